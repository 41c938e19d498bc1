"""Export and import in every interchange format: round trips, each tool's offsets, anchoring, error messages,
and the files the real tools wrote (tests/fixtures/interop/, recorded as tools/interop/README.md says)."""

import json
import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annotkit
from annotkit.errors import AnnotationError, FormatError, FormatWarning
from annotkit.formats import FORMATS, export, export_config, import_annotations
from annotkit.formats.brat_format import decode_note, decode_value, encode_note, encode_value
from annotkit.records import BASE_COLUMNS

ATTRIBUTE_COLUMNS = annotkit.load_scheme().attribute_names
COLUMNS = (*BASE_COLUMNS, *ATTRIBUTE_COLUMNS)
FIXTURES = Path(__file__).parent / "fixtures" / "interop"
RECORDED = FIXTURES / "recorded-0.1"
FILE_NAMES = {
    "csv": "mine.csv",
    "jsonl": "mine.jsonl",
    "w3c": "mine.json",
    "brat": "mine.ann",
    "labelstudio": "mine.json",
    "doccano": "mine.jsonl",
}
IDENTITY = ("annotation_id", "annotator", "created", "modified")
#: What each format cannot hold, beyond identity (each module's docstring says why).
LOSES = {"labelstudio": ("origin",), "brat": ("origin",)}
#: Formats that give back exactly the frame they were given.
EXACT = ("csv", "jsonl", "w3c", "doccano")
EMOJI_TEXT = (
    "Zoë Ångström 😀 met Dr. Ana Nuñez in Kraków.\n\n"
    'Nuñez said "the café 🇫🇷 is open" on Monday. 👍🏽 Zoë agreed: "Nuñez is right."'
)


def span(article, annotation_id, layer, label, quote, *, occurrence=0, annotator="student1", minute=0, **attrs):
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(quote, start + 1)
    end = start + len(quote)
    return {
        "annotation_id": annotation_id,
        "article_id": article.article_id,
        "annotator": annotator,
        "layer": layer,
        "label": label,
        "start": start,
        "end": end,
        "text": quote,
        "prefix": article.text[max(0, start - 32) : start],
        "suffix": article.text[end : end + 32],
        "status": "ok",
        "origin": "browser",
        "created": f"2024-03-01T10:{minute:02d}:00Z",
        "modified": f"2024-03-01T11:{minute:02d}:00Z",
        **attrs,
    }


def perspective(article, annotation_id, *, annotator="student1", minute=0, **attrs):
    row = span(article, annotation_id, "perspective", "perspective", article.text[:1], annotator=annotator)
    row.update(start=None, end=None, text=None, prefix=None, suffix=None, **attrs)
    row.update(created=f"2024-03-01T12:{minute:02d}:00Z", modified=f"2024-03-01T13:{minute:02d}:00Z")
    return row


def frame(rows):
    data = pd.DataFrame(rows, columns=list(COLUMNS))
    return data.astype({c: "Int64" if c in ("start", "end") else "string" for c in COLUMNS})


@pytest.fixture(scope="module")
def bundled_case():
    article = annotkit.load_bundled_article()
    biden = {"entity": "Joe Biden", "affiliation": "united_states"}
    rows = [
        span(article, "a1", "actor", "official", "President Joe Biden", **biden, identification="named"),
        span(article, "a2", "actor", "official", "Biden", occurrence=2, **biden, identification="named", minute=1),
        span(article, "a3", "actor", "official", "White House press secretary Jen Psaki", entity="Jen Psaki"),
        span(article, "a4", "actor", "official", "Lloyd Austin", entity="Lloyd Austin", identification="named"),
        span(article, "a5", "actor", "unsure", "a senior U.S. official", entity="a senior U.S. official",
             identification="anonymous", annotator="student2", minute=5),
        span(article, "c1", "claim", "claim", "This is a shift in mission.", said_by="Jen Psaki",
             form="direct_quote", claim_type="other", checkable="no", minute=2,
             note="Psaki speaks for Biden here.\nIs that his claim too?\tMaybe \\ not.", origin="python"),
        span(article, "c2", "claim", "claim", "are capable of doing multiple things", said_by="Lloyd Austin",
             form="direct_quote", checkable="unsure", minute=3),
        span(article, "c3", "claim", "claim", "U.S. forces in Iraq will end their combat duties there",
             said_by="the journalist", form="paraphrase", claim_type="prediction", checkable="no"),
        span(article, "c4", "claim", "other", "we're not going to be, by the end of the year, in a combat mission",
             said_by="Joe Biden", minute=4),
        # runs over a paragraph break: brat writes it as two fragments
        span(article, "c5", "claim", "unsure", "will remain there.\n\nIn a joint statement",
             said_by="the journalist", annotator="student2", minute=6),
        perspective(article, "p1", entity="Joe Biden", stance="support", frame="security",
                    rationale='He says "we\'re not going to be ... in a combat mission".\nA second line\tand a tab.',
                    evidence="c4;c1"),
        perspective(article, "p2", entity="Lloyd Austin", stance="mixed", evidence="c2", annotator="student2",
                    minute=7, note="He does not say much."),
    ]  # fmt: skip
    return article, frame(rows)


@pytest.fixture(scope="module")
def emoji_case():
    article = annotkit.Article.from_text(EMOJI_TEXT)
    rows = [
        span(article, "e1", "actor", "expert_or_think_tank", "Zoë Ångström", entity="Zoë Ångström"),
        span(article, "e2", "actor", "official", "Dr. Ana Nuñez", entity="Ana Nuñez", identification="named"),
        span(article, "e3", "actor", "official", "Nuñez", occurrence=1, entity="Ana Nuñez"),
        span(article, "e4", "claim", "claim", "the café 🇫🇷 is open", said_by="Ana Nuñez", form="direct_quote"),
        span(article, "e5", "actor", "expert_or_think_tank", "Zoë", occurrence=1, entity="Zoë Ångström"),
        span(article, "e6", "claim", "claim", "Nuñez is right.", said_by="Zoë Ångström"),
        perspective(article, "e7", entity="Zoë Ångström", stance="support", evidence="e6", rationale="🙂 agrees"),
    ]
    return article, frame(rows)


def every(mask):
    """Whether every value is True: pandas' .all() skips <NA>, which would hide a value gone missing."""
    return bool(mask.fillna(False).all())


def content(annotations, format=None):
    """Everything but ids, annotators, times (and what the format loses), with evidence as its claims' offsets."""
    ignored = (*IDENTITY, *LOSES.get(format, ()))
    plain = [{k: None if pd.isna(v) else v for k, v in r.items()} for r in annotations.to_dict("records")]
    claims = {r["annotation_id"]: (r["start"], r["end"]) for r in plain if r["layer"] == "claim"}
    rows = []
    for r in plain:
        if r["evidence"] is not None:
            r["evidence"] = tuple(claims.get(c, c) for c in r["evidence"].split(";"))
        rows.append(tuple(sorted((k, r[k]) for k in annotations.columns if k not in ignored)))
    return sorted(rows, key=repr)


@pytest.mark.parametrize("case", ["bundled_case", "emoji_case"])
@pytest.mark.parametrize("format", FORMATS)
def test_round_trip_keeps_spans_labels_attributes_and_speakers(tmp_path, request, format, case):
    article, mine = request.getfixturevalue(case)
    path = export(mine, tmp_path / FILE_NAMES[format], format=format, article=article)
    back = import_annotations(path, format=format, article=article)
    assert list(back.columns) == list(COLUMNS)
    assert back.dtypes.to_dict() == mine.dtypes.to_dict()
    assert content(back, format) == content(mine, format)
    assert (back.dropna(subset=["start"]).apply(lambda r: article.text[r.start : r.end] == r.text, axis=1)).all()


@pytest.mark.parametrize("format", EXACT)
def test_csv_jsonl_w3c_and_doccano_give_back_exactly_the_frame(tmp_path, bundled_case, format):
    article, mine = bundled_case
    path = export(mine, tmp_path / FILE_NAMES[format], format=format, article=article)
    pd.testing.assert_frame_equal(import_annotations(path, format=format, article=article), mine)


def test_labelstudio_keeps_ids_and_annotators_and_one_time_span_per_annotator(tmp_path, bundled_case):
    article, mine = bundled_case
    path = export(mine, tmp_path / "mine.json", format="labelstudio", article=article)
    back = import_annotations(path, format="labelstudio", article=article).set_index("annotation_id")
    mine = mine.set_index("annotation_id")
    assert sorted(back.index) == sorted(mine.index)
    assert back.annotator.to_dict() == mine.annotator.to_dict()
    firsts = mine.groupby("annotator").created.min()
    lasts = mine.groupby("annotator").modified.max()
    assert every(back.created == back.annotator.map(firsts)) and every(back.modified == back.annotator.map(lasts))


def test_brat_makes_up_stable_ids_and_loses_annotators_and_times(tmp_path, bundled_case):
    article, mine = bundled_case
    path = export(mine, tmp_path / "mine.ann", format="brat", article=article)
    first = import_annotations(path, format="brat", article=article)
    again = import_annotations(path, format="brat", article=article)
    assert first.annotation_id.tolist() == again.annotation_id.tolist()
    assert first.annotation_id.str.startswith(f"brat-{article.article_id}-").all()
    assert first[["annotator", "created", "modified"]].isna().all().all()


def test_brat_file_links_claims_to_the_nearest_mention_of_their_speaker(tmp_path, bundled_case):
    article, mine = bundled_case
    path = export(mine, tmp_path / "mine.ann", format="brat", article=article)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == article.text
    assert lines[0] == "T1\tofficial 213 232\tPresident Joe Biden"
    # brat's config cannot list values with spaces: free text shows a space as "_"; choice values are ids
    assert "A1\tentity T1 Joe_Biden" in lines and "A2\taffiliation T1 united_states" in lines
    assert "A19\tsaid_by T8 the_journalist" in lines
    # c1 (T6) was said by Jen Psaki (T3); c4 (T9, at 575) by Joe Biden, whose mention nearest before it is
    # "Biden" at 382 (T2), not the headline's "President Joe Biden" (T1)
    assert [line for line in lines if line.startswith("R")] == [
        "R1\tsaid_by Arg1:T6 Arg2:T3",
        "R2\tsaid_by Arg1:T7 Arg2:T4",
        "R3\tsaid_by Arg1:T9 Arg2:T2",
    ]
    fragments = re.search(
        r"^T10\tclaim-unsure (\d+ \d+;\d+ \d+)\twill remain there. In a joint", "\n".join(lines), re.M
    )
    assert fragments, "a span over a paragraph break is written as two fragments"
    assert "#1\tAnnotatorNotes T6\tPsaki speaks for Biden here.\\nIs that his claim too?\\tMaybe \\\\ not." in lines
    note = next(line for line in lines if line.startswith("#2"))
    assert note.startswith("#2\tAnnotatorNotes T1\tannotkit:perspective {")
    assert json.loads(note.split("annotkit:perspective ", 1)[1])["evidence"] == ["T9", "T6"]


def test_brat_counts_characters_like_python(tmp_path, emoji_case):
    article, mine = emoji_case
    path = export(mine, tmp_path / "mine.ann", format="brat", article=article)
    start = article.text.index("the café")
    assert f"T4\tclaim {start} {start + 19}\tthe café 🇫🇷 is open" in path.read_text(encoding="utf-8").splitlines()


def test_labelstudio_offsets_are_code_points(tmp_path, emoji_case):
    # Label Studio 1.23.2's editor stored a mouse selection of "closures" in the emoji article as 216-224 (code
    # points), not 220-228 (UTF-16): see test_labelstudio_editor_selection_is_read_as_code_points
    article, mine = emoji_case
    path = export(mine, tmp_path / "mine.json", format="labelstudio", article=article)
    results = json.loads(path.read_text(encoding="utf-8"))[0]["annotations"][0]["result"]
    claim = next(r for r in results if r["id"] == "e4" and r["type"] == "labels")
    start = article.text.index("the café")
    assert (claim["value"]["start"], claim["value"]["end"]) == (start, start + 19)
    assert article.text[claim["value"]["start"] : claim["value"]["end"]] == claim["value"]["text"]
    relation = {"type": "relation", "from_id": "e4", "to_id": "e3", "direction": "right", "labels": ["said_by"]}
    assert relation in results, "the claim points at the nearest mention of Ana Nuñez before it"


def test_doccano_offsets_are_utf16_units_in_both_kinds_of_project(tmp_path, emoji_case):
    article, mine = emoji_case
    path = export(mine, tmp_path / "mine.jsonl", format="doccano", article=article)
    line = json.loads(path.read_text(encoding="utf-8"))
    units = article.text.encode("utf-16-le")
    start = article.text.index("the café")
    # one emoji (😀) before the claim: one more unit; the flag inside it is two characters, four units
    assert [start + 1, start + 1 + 19 + 2, "claim"] in line["label"]
    for s16, e16, _tag in line["label"]:
        assert units[2 * s16 : 2 * e16].decode("utf-16-le") in set(mine.text.dropna())
    assert [[e["start_offset"], e["end_offset"], e["label"]] for e in line["entities"]] == line["label"]
    ids = {e["id"]: mine.dropna(subset=["start"]).iloc[n].annotation_id for n, e in enumerate(line["entities"])}
    assert [(ids[r["from_id"]], ids[r["to_id"]], r["type"]) for r in line["relations"]] == [
        ("e4", "e3", "said_by"),
        ("e6", "e5", "said_by"),
    ]
    assert line["annotkit"]["offsets"] == "utf-16"


def test_w3c_annotation_shape(tmp_path, bundled_case):
    article, mine = bundled_case
    path = export(mine, tmp_path / "mine.json", format="w3c", article=article)
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["type"] == "AnnotationCollection" and collection["total"] == len(mine)
    items = {item["id"]: item for item in collection["first"]["items"]}
    actor = items["urn:annotkit:a1"]
    assert actor["@context"] == "http://www.w3.org/ns/anno.jsonld" and actor["type"] == "Annotation"
    assert actor["creator"] == {"type": "Person", "nickname": "student1"}
    assert actor["body"][0] == {"type": "TextualBody", "purpose": "tagging", "value": "official"}
    assert {"type": "TextualBody", "purpose": "identifying", "value": "Joe Biden", "annotkit:attribute": "entity"} in (
        actor["body"]
    )
    quote, position = actor["target"]["selector"]
    assert actor["target"]["source"] == f"urn:annotkit:article:{article.article_id}"
    assert quote["type"] == "TextQuoteSelector" and quote["exact"] == "President Joe Biden"
    assert position == {"type": "TextPositionSelector", "start": 213, "end": 232}
    stance = items["urn:annotkit:p1"]
    assert stance["target"] == f"urn:annotkit:article:{article.article_id}"
    link = {"type": "SpecificResource", "source": "urn:annotkit:c4", "purpose": "linking"}
    assert {**link, "annotkit:attribute": "evidence"} in stance["body"]


@pytest.mark.parametrize("format", ["csv", "jsonl", "w3c"])
def test_anchoring_formats_find_moved_spans_and_orphan_lost_ones(tmp_path, emoji_case, format):
    article, mine = emoji_case
    path = export(mine, tmp_path / FILE_NAMES[format], format=format, article=article)
    edited = annotkit.Article.from_text(
        "Update: a correction was added.\n\n" + EMOJI_TEXT.replace("Nuñez is right.", "Yes.")
    )
    back = import_annotations(path, format=format, article=edited).set_index("annotation_id")
    assert every(back.article_id == edited.article_id)
    assert back.loc["e4", "start"] == mine.set_index("annotation_id").loc["e4", "start"] + 33
    assert edited.text[back.loc["e4", "start"] : back.loc["e4", "end"]] == "the café 🇫🇷 is open"
    assert back.loc["e4", "prefix"] == edited.text[back.loc["e4", "start"] - 32 : back.loc["e4", "start"]]
    assert back.loc["e6", "status"] == "orphaned" and pd.isna(back.loc["e6", "start"])
    assert back.loc["e6", "text"] == "Nuñez is right."
    assert every(back.drop(index="e6").status == "ok")


def test_w3c_finds_an_ambiguous_quote_by_its_context(tmp_path, emoji_case):
    article, mine = emoji_case
    path = export(mine, tmp_path / "mine.json", format="w3c", article=article)
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data["first"]["items"]:
        if isinstance(item["target"], dict):
            item["target"]["selector"].pop()  # drop every TextPositionSelector: quotes only
    path.write_text(json.dumps(data), encoding="utf-8")
    back = import_annotations(path, format="w3c", article=article)
    # "Nuñez" (e3) and "Zoë" (e5) occur more than once; their context picks the right one
    pd.testing.assert_frame_equal(back, mine)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
@pytest.mark.parametrize("format", ["csv", "jsonl", "labelstudio"])
def test_random_spans_round_trip(tmp_path, emoji_case, format, data):
    article = emoji_case[0]
    n = len(article.text)
    values = st.none() | st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)
    rows = []
    for number in range(data.draw(st.integers(0, 6))):
        start = data.draw(st.integers(0, n - 1))
        end = data.draw(st.integers(start + 1, n))
        layer = data.draw(st.sampled_from(["actor", "claim"]))
        label = data.draw(st.sampled_from(["official", "other", "unsure", "claim"]))
        row = span(article, f"r{number}", layer, label, article.text[start:end], annotator=data.draw(values))
        row.update(start=start, end=end, prefix=article.text[max(0, start - 32) : start])
        row.update(suffix=article.text[end : end + 32], created=None, modified=None)
        row.update({name: data.draw(values) for name in ATTRIBUTE_COLUMNS})
        rows.append(row)
    mine = frame(rows)
    path = export(mine, tmp_path / FILE_NAMES[format], format=format, article=article)
    back = import_annotations(path, format=format, article=article)
    if format == "labelstudio":  # Label Studio has no place for origin
        mine = mine.assign(origin=pd.NA).astype({"origin": "string"})
    # Label Studio groups annotations by annotator, so only the order may change
    pd.testing.assert_frame_equal(back.sort_values("annotation_id", ignore_index=True), mine)


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_brat_attribute_values_are_encoded_reversibly_without_whitespace(value):
    encoded = encode_value(value)
    assert decode_value(encoded) == value and not re.search(r"\s", encoded)


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_brat_notes_are_encoded_reversibly_on_one_line(value):
    encoded = encode_note(value)
    assert decode_note(encoded) == value and not re.search(r"[\r\n\t]", encoded)


@pytest.mark.parametrize("call", ["export", "import"])
def test_unknown_format_lists_the_formats(tmp_path, bundled_case, call):
    article, mine = bundled_case
    path = tmp_path / "mine.xml"

    def run():
        if call == "export":
            return export(mine, path, format="xml", article=article)
        return import_annotations(path, format="xml", article=article)

    with pytest.raises(FormatError) as error:
        run()
    assert str(error.value) == (
        "format='xml' is not a format annotkit knows. Use one of: csv, jsonl, w3c, brat, labelstudio, doccano."
    )


MALFORMED = [
    (
        "csv",
        ",".join(COLUMNS) + "\n" + "a1,x,s,actor,official,ten" + "," * (len(COLUMNS) - 6) + "\n",
        "mine.csv, line 2: start is 'ten', not a whole number. "
        "Offsets count characters from the start of the article (0, 1, 2 ...).",
    ),
    ("csv", "name,age\nZoë,15\n", "mine.csv has no annotation_id, article_id, annotator, layer, label, start, end, "
     "text, prefix, suffix, status, created, modified column(s), so it is not an annotkit CSV of annotations. "
     "Its header is: name, age."),
    (
        "jsonl",
        '{"annotation_id": "a1",\n',
        "mine.jsonl is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 24). "
        "Was it changed by hand, or cut short?",
    ),
    ("jsonl", "[1, 2]\n", "mine.jsonl, line 1 holds a list ([...]), not an object ({...}). "
     "Each line must hold one annotation."),
    (
        "w3c",
        '{"type": "AnnotationCollection", "first": "https://example.org/page/1"}',
        "mine.json is an AnnotationCollection whose annotations are not in the file "
        '(its "first" page has no "items" list). Save the collection with its page embedded.',
    ),
    (
        "brat",
        "T1\tofficial twelve 24\tJoe Biden\n",
        "mine.ann has no span annotkit can read: line 1: T1 has the offsets 'twelve 24', which are not 'start end' "
        "pairs inside the article (0 to 5675), so it was left out.",
    ),
    ("brat", "T1 official 0 5 Biden\n", "mine.ann has no span annotkit can read: line 1 is not a brat line "
     "('T1 official 0 5 Biden'; it should look like 'T1<TAB>official 0 9<TAB>Joe Biden')."),
    (
        "labelstudio",
        '[{"text": "Biden"}]',
        'mine.json is not a Label Studio export: it should be a list of tasks like {"data": {...}}.',
    ),
    ("labelstudio", '[{"data": {"text": ', "mine.json is not valid JSON: Expecting value (line 1, column 20). "
     "Was it changed by hand, or cut short?"),
    (
        "doccano",
        '["Biden", "said"]\n',
        'mine.jsonl, line 1 holds a list ([...]), not a doccano example ({"text": ..., "label": [...]}).',
    ),
]  # fmt: skip


@pytest.mark.parametrize(("format", "content", "message"), MALFORMED)
def test_malformed_file_is_named_with_what_is_wrong(tmp_path, bundled_case, format, content, message):
    path = tmp_path / FILE_NAMES[format]
    path.write_bytes(content.encode("utf-8"))
    with pytest.raises(FormatError) as error:
        import_annotations(path, format=format, article=bundled_case[0])
    assert str(error.value) == message


def test_doccano_span_outside_the_article_is_named_and_the_rest_kept(tmp_path, emoji_case):
    article = emoji_case[0]
    path = tmp_path / "mine.jsonl"
    spans = [[5, 500, "official"], [0, 12, "official"], [20, 10, "claim"]]
    path.write_text(json.dumps({"text": article.text, "label": spans}), encoding="utf-8")
    message = (
        "mine.jsonl: 2 problems, the rest of the file was imported. line 1: span 1 runs from 5 to 500, which is "
        "not a span of this article (0 to 126 UTF-16 units), so it was left out; line 1: span 3 runs from 20 to "
        "10, which is not a span of this article (0 to 126 UTF-16 units), so it was left out"
    )
    with pytest.warns(FormatWarning, match=f"^{re.escape(message)}$"):
        back = import_annotations(path, format="doccano", article=article)
    assert back.text.tolist() == ["Zoë Ångström"]


WRONG_ARTICLE = {
    "csv": "mine.csv was made for article {made}, not for this article ({this}), and none of its 10 span(s) are "
    "in this article's text. Import it with the article it was made for.",
    "jsonl": "mine.jsonl was made for article {made}, not for this article ({this}), and none of its 10 span(s) "
    "are in this article's text. Import it with the article it was made for.",
    "w3c": "mine.json was made for article {made}, not for this article ({this}), and none of its 10 span(s) are "
    "in this article's text. Import it with the article it was made for.",
    "brat": "mine.txt (beside mine.ann) is not the text of this article ({this}). "
    "Import the brat files with the article they were annotated on.",
    "labelstudio": "mine.json has no task with this article's text ({this}). "
    "Import it with the article it was annotated on.",
    "doccano": "mine.jsonl has no line with this article's text ({this}). "
    "Import it with the article it was annotated on.",
}


@pytest.mark.parametrize("format", FORMATS)
def test_file_of_another_article_is_refused(tmp_path, bundled_case, emoji_case, format):
    article, mine = bundled_case
    other = emoji_case[0]
    path = export(mine, tmp_path / FILE_NAMES[format], format=format, article=article)
    with pytest.raises(FormatError) as error:
        import_annotations(path, format=format, article=other)
    assert str(error.value) == WRONG_ARTICLE[format].format(made=article.article_id, this=other.article_id)


def test_missing_file(tmp_path, bundled_case):
    with pytest.raises(FormatError, match=r"^No file at '.*nowhere\.csv'\. Check the path"):
        import_annotations(tmp_path / "nowhere.csv", format="csv", article=bundled_case[0])


def test_export_refuses_annotations_of_another_article(tmp_path, bundled_case, emoji_case):
    article, mine = bundled_case
    other = emoji_case[0]
    with pytest.raises(AnnotationError) as error:
        export(mine, tmp_path / "mine.csv", format="csv", article=other)
    assert str(error.value) == (
        f"Some annotations belong to article {article.article_id}, not to this article ({other.article_id}). "
        "Export one article at a time: annotations[annotations.article_id == article.article_id]."
    )


def test_export_refuses_a_span_whose_text_is_not_the_articles(tmp_path, bundled_case):
    article, mine = bundled_case
    broken = mine.copy()
    broken.loc[0, "text"] = "President Joe"
    with pytest.raises(AnnotationError) as error:
        export(broken, tmp_path / "mine.csv", format="csv", article=article)
    assert str(error.value) == (
        "Annotation a1 says its text is 'President Joe', but the article has 'President Joe Biden' at 213-232. "
        "Re-anchor it, or fix its start and end."
    )


def test_brat_needs_an_ann_file_name(tmp_path, bundled_case):
    article, mine = bundled_case
    with pytest.raises(FormatError) as error:
        export(mine, tmp_path / "mine.txt", format="brat", article=article)
    assert str(error.value) == (
        "A brat annotation file ends in .ann (the article text goes beside it as .txt), not 'mine.txt'. "
        "Use a name like 'mine.ann'."
    )


@pytest.mark.parametrize(
    ("format", "needs"), [("brat", "brat"), ("labelstudio", "Label Studio"), ("doccano", "doccano")]
)
def test_offset_formats_leave_out_orphans_with_one_warning(tmp_path, emoji_case, format, needs):
    article, mine = emoji_case
    orphaned = mine.copy()
    orphaned.loc[orphaned.annotation_id.isin(["e1", "e4"]), "status"] = "orphaned"
    message = (
        f"2 annotation(s) were left out of {FILE_NAMES[format]} because they are not anchored in the text "
        f"({needs} needs offsets): e1, e4."
    )
    with pytest.warns(FormatWarning, match=f"^{re.escape(message)}$"):
        path = export(orphaned, tmp_path / FILE_NAMES[format], format=format, article=article)
    back = import_annotations(path, format=format, article=article)
    assert len(back) == len(mine) - 2


def test_brat_leaves_out_a_perspective_on_an_entity_nobody_tagged(tmp_path, emoji_case):
    article, mine = emoji_case
    lonely = mine.copy()
    lonely.loc[lonely.annotation_id == "e7", "entity"] = "Kraków city council"
    message = (
        "1 annotation(s) were left out of mine.ann because brat can only attach a perspective to a mention of its "
        "entity: e7."
    )
    with pytest.warns(FormatWarning, match=f"^{re.escape(message)}$"):
        export(lonely, tmp_path / "mine.ann", format="brat", article=article)


# ------------------------------------------------------------------------------ files the real tools wrote


@pytest.fixture(scope="module")
def emoji_article():
    return annotkit.load_article(FIXTURES / "emoji.txt")


def imported(path, format, article, **options):
    """Import a file, returning the frame and the one warning's text ("" when there is none)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        back = import_annotations(path, format=format, article=article, **options)
    messages = [str(w.message) for w in caught if issubclass(w.category, FormatWarning)]
    assert len(messages) <= 1, "one warning per file, never one per row"
    assert all(r.text == article.text[r.start : r.end] for r in back.dropna(subset=["start"]).itertuples())
    return back, messages[0] if messages else ""


def key_spans(article, recorded):
    """The answer key's spans as the recorded file says annotkit wrote them (the course key has changed since).

    Label Studio regions carry their words; doccano's ``annotkit`` key carries each span's character offsets.
    """
    data = recorded.read_text(encoding="utf-8")
    if recorded.suffix == ".jsonl":
        entries = json.loads(data.splitlines()[0])["annotkit"]["annotations"]
        spans = {(e["start"], e["end"]) for e in entries if e.get("start") is not None}
        return sorted((start, end, article.text[start:end]) for start, end in spans)
    results = json.loads(data)[0]["annotations"][0]["result"]
    texts = [r["value"]["text"] for r in results if r.get("type") == "labels" and r.get("from_name") == "label"]
    return sorted(texts)


def spans_of(frame):
    spans = frame.dropna(subset=["start"])
    return sorted(zip(spans.start.astype(int), spans.end.astype(int), spans.text, strict=True))


@pytest.mark.parametrize(
    ("name", "actors", "claims", "perspectives"),
    [("export_1_raw.json", 101, 47, 23), ("export_1_uiedit.json", 102, 47, 1), ("export_three.json", 222, 84, 51)],
)
def test_labelstudio_recorded_key_files_import_on_the_right_words(name, actors, claims, perspectives):
    article = annotkit.load_bundled_article()
    path = RECORDED / "labelstudio" / name
    back, warning = imported(path, "labelstudio", article)
    assert back.layer.value_counts().to_dict() == {"actor": actors, "claim": claims, "perspective": perspectives}
    if name != "export_three.json":  # every region on the words the file says it tags
        assert sorted(text for _, _, text in spans_of(back)) == key_spans(article, path)
    # no name survived Label Studio in these files (annotkit 0.1 kept it where Label Studio drops it)
    assert "annotations by Label Studio user(s) without a name were imported as labelstudio-user-1" in warning


def test_labelstudio_editor_keeps_the_perspective_it_emptied_and_every_other_region():
    # after one edit in Label Studio's editor, the last task-level perspective is left with an empty label:
    # annotkit 0.1 refused the whole file; it is a perspective (the layer has one label), and the rest is kept
    article = annotkit.load_bundled_article()
    back, _ = imported(RECORDED / "labelstudio" / "export_1_uiedit.json", "labelstudio", article)
    (only,) = back[back.layer == "perspective"].itertuples()
    assert only.annotation_id == "perspective-023" and only.label == "perspective" and only.entity is not pd.NA
    made = back[~back.annotation_id.str.startswith(("actor-", "claim-", "perspective-"))]
    assert len(made) == 1, "the region drawn with the mouse in the editor"


def test_labelstudio_three_students_stay_three(tmp_path):
    article = annotkit.load_bundled_article()
    back, warning = imported(RECORDED / "labelstudio" / "export_three.json", "labelstudio", article)
    assert sorted(back.annotator.unique()) == [f"labelstudio-user-1-annotation-{n}" for n in (1, 2, 3)]
    assert back.groupby("annotator").annotation_id.first().str[:3].tolist() == ["ais", "ben", "car"]
    assert "pass annotators={user id: name} to name them" in warning


def test_labelstudio_user_ids_are_named_by_the_mapping_given(emoji_article):
    back, warning = imported(
        RECORDED / "labelstudio" / "export_2_apionly.json", "labelstudio", emoji_article, annotators={1: "Ana Ruiz"}
    )
    assert back.annotator.unique().tolist() == ["Ana Ruiz"] and warning == ""


def test_labelstudio_editor_selection_is_read_as_code_points(emoji_article):
    back, warning = imported(RECORDED / "labelstudio" / "export_2_uiedit.json", "labelstudio", emoji_article)
    closures = back.set_index("annotation_id").loc["sCzY4yaThu"]
    assert (closures.start, closures.end, closures.text) == (216, 224, "closures")
    # annotkit 0.1 wrote UTF-16 offsets with the right words: placed on their words, and said so once
    assert "counted UTF-16 units (as annotkit 0.1 wrote them), not characters" in warning
    assert spans_of(back[back.annotation_id != "sCzY4yaThu"]) == spans_of(
        imported(RECORDED / "doccano" / "export_emoji.jsonl", "doccano", emoji_article)[0]
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("export_2_notext.json", [("notext1", "road closures", None)]),
        ("export_2_apionly.json",
         [("apiA1", "Police chief Ana Souza", None), ("apiC1", "safe 👍 and well staffed", "Ana Souza")]),
    ],
)  # fmt: skip
def test_labelstudio_regions_made_through_its_api_are_code_points(emoji_article, name, expected):
    back, _ = imported(RECORDED / "labelstudio" / name, "labelstudio", emoji_article)
    said = back.said_by.astype(object).where(back.said_by.notna(), None)
    assert list(zip(back.annotation_id, back.text, said, strict=True)) == expected


def test_doccano_recorded_files_import_on_the_right_words(emoji_article):
    article = annotkit.load_bundled_article()
    for name in ("export_key-overlap.jsonl", "export_key-relations.jsonl"):
        back, warning = imported(RECORDED / "doccano" / name, "doccano", article)
        assert spans_of(back) == key_spans(article, RECORDED / "doccano" / name) and warning == ""
        assert (back.layer == "perspective").sum() == 23
    back, warning = imported(RECORDED / "doccano" / "export_key-no-overlap.jsonl", "doccano", article)
    assert len(spans_of(back)) == 93
    assert set(spans_of(back)) <= set(key_spans(article, RECORDED / "doccano" / "export_key-no-overlap.jsonl"))
    assert warning.startswith(
        "export_key-no-overlap.jsonl: 1 problem, the rest of the file was imported. line 1: 55 annotation(s) "
        "annotkit wrote have no span in doccano any more (deleted there, or dropped by a project that does not "
        "allow overlapping spans): "
    )


def test_doccano_ui_selection_is_read_as_utf16_units(emoji_article):
    # "warned" selected with the mouse in doccano's editor was stored as 205-211: UTF-16 units
    back, warning = imported(RECORDED / "doccano" / "export_emoji-uispan.jsonl", "doccano", emoji_article)
    made = back[back.annotation_id == f"doccano-{emoji_article.article_id}-7"]
    assert (made.start.item(), made.end.item(), made.text.item()) == (201, 207, "warned") and warning == ""
    original, _ = imported(RECORDED / "doccano" / "export_emoji.jsonl", "doccano", emoji_article)
    assert spans_of(back) == sorted([*spans_of(original), (201, 207, "warned")])


def test_brat_server_file_with_trailing_tab_and_brat_note(emoji_article, tmp_path):
    back, warning = imported(RECORDED / "brat" / "server" / "emoji.ann", "brat", emoji_article)
    warned = back.set_index("text").loc["warned"]
    assert (warned.said_by, warned.form, warned.note) == ("Ana Souza", "indirect", "made in brat")
    assert warning == ""
    (stance,) = back[back.layer == "perspective"].itertuples()
    assert stance.entity == "Zoë Müller" and stance.evidence == f"brat-{emoji_article.article_id}-T4"


def test_brat_events_carry_their_attributes_and_relations(emoji_article, tmp_path):
    # brat's default configuration makes a claim an event: its trigger is the span, its attributes are the claim's
    start = emoji_article.text.index("warned")
    (tmp_path / "e.ann").write_text(
        f"T1\tofficial 129 151\tPolice chief Ana Souza\nA1\tentity T1 Ana%20Souza\nT7\tclaim {start} {start + 6}"
        "\twarned\nE1\tclaim:T7\nA2\tform E1 indirect\nA3\tcheckable E1\nR1\tsaid_by Arg1:E1 Arg2:T1\t\n"
        "A4\tform E9 mixed\n",
        encoding="utf-8",
    )
    back, warning = imported(tmp_path / "e.ann", "brat", emoji_article)
    claim = back.set_index("text").loc["warned"]
    assert (claim.layer, claim.form, claim.checkable, claim.said_by) == ("claim", "indirect", "true", "Ana Souza")
    assert warning == (
        "e.ann: 1 problem, the rest of the file was imported. line 8: the attribute form is about E9, which is not "
        "in the file"
    )


# ---------------------------------------------------------------------------------- one problem, one warning


def test_labelstudio_one_bad_region_is_named_and_the_others_kept(tmp_path, bundled_case):
    article, mine = bundled_case
    path = export(mine, tmp_path / "mine.json", format="labelstudio", article=article)
    tasks = json.loads(path.read_text(encoding="utf-8"))
    results = tasks[0]["annotations"][0]["result"]
    results[[r.get("id") for r in results].index("a3")]["value"] = {}  # Psaki's region emptied
    next(r for r in results if r.get("id") == "c1" and r["type"] == "labels")["value"]["text"] = "not in the article"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    back, warning = imported(path, "labelstudio", article)
    assert sorted(set(mine.annotation_id) - set(back.annotation_id)) == ["a3", "c1"]
    assert warning == (
        "mine.json: 4 problems, the rest of the file was imported. region a3 has no label, so it was left out; "
        "region c1: its words 'not in the article' are not in the article, so it was left out; the said_by "
        "relation c1 -> a3 links a region that is not in the file; the evidence relation p1 -> c1 links a region "
        "that is not in the file"
    )


def test_labelstudio_predictions_are_imported_and_named(tmp_path, emoji_article):
    start = emoji_article.text.index("Ana Souza")
    value = {"start": start, "end": start + 9, "text": "Ana Souza", "labels": ["official"]}
    result = {"id": "p1", "from_name": "label", "to_name": "text", "type": "labels", "value": value}
    task = {"data": {"text": emoji_article.text}, "annotations": [], "predictions": [
        {"model_version": "guess-v1", "result": [result]}]}  # fmt: skip
    (tmp_path / "p.json").write_text(json.dumps([task]), encoding="utf-8")
    back, warning = imported(tmp_path / "p.json", "labelstudio", emoji_article)
    assert back[["annotation_id", "annotator", "origin", "text"]].values.tolist() == [
        ["p1", "prediction-guess-v1", "python", "Ana Souza"]
    ]
    assert "1 prediction(s) (machine suggestions, not a student's work) were imported" in warning


# --------------------------------------------------------------------------------------- Label Studio's shape


def test_labelstudio_has_one_annotation_per_student_with_the_name_in_a_control(tmp_path, bundled_case):
    article, mine = bundled_case
    path = export(mine, tmp_path / "mine.json", format="labelstudio", article=article)
    annotations = json.loads(path.read_text(encoding="utf-8"))[0]["annotations"]
    names = [[r["value"]["text"] for r in a["result"] if r.get("from_name") == "annotator"] for a in annotations]
    assert names == [[["student1"]], [["student2"]]]
    results = annotations[0]["result"]
    stance = next(r for r in results if r.get("id") == "p1" and r["type"] == "labels")
    # a perspective is a region of its own control, on the first mention of its actor
    assert stance["from_name"] == "perspective" and stance["value"]["text"] == "President Joe Biden"
    evidence = [(r["from_id"], r["to_id"]) for r in results if r.get("labels") == ["evidence"]]
    assert evidence == [("p1", "c4"), ("p1", "c1")]
    from_names = {r["from_name"] for a in annotations for r in a["result"] if "from_name" in r}
    config = export_config(format="labelstudio", path=tmp_path).read_text(encoding="utf-8")
    assert all(f'name="{name}"' in config for name in from_names), "every result has its control"


def test_labelstudio_config_has_every_label_choice_and_relation(tmp_path):
    import xml.etree.ElementTree as ET

    scheme = annotkit.load_scheme()
    root = ET.parse(export_config(scheme, format="labelstudio", path=tmp_path / "ls.xml")).getroot()
    controls = {e.get("name"): e for e in root.iter() if e.get("name")}
    labels = [e.get("value") for e in controls["label"]]
    assert labels[:2] == ["official", "government_body"] and labels[-3:] == ["claim", "claim-other", "claim-unsure"]
    assert [e.get("value") for e in controls["perspective"]] == ["perspective"]
    for attribute in scheme.attribute_names:
        control = controls[attribute]
        assert control.get("perRegion") == "true"
        kind = {a.kind for layer in scheme.layers for a in layer.attributes if a.name == attribute}
        assert control.tag == ("Choices" if kind == {"choice"} else "TextArea")
    assert [c.get("value") for c in controls["stance"]] == list(scheme.layer("perspective").attribute("stance").values)
    assert [r.get("value") for r in root.iter("Relation")] == ["said_by", "evidence"]
    assert controls["annotator"].get("perRegion") is None and controls["note"].get("perRegion") == "true"


def test_brat_configs_name_every_tag_relation_and_choice(tmp_path):
    folder = export_config(format="brat", path=tmp_path / "brat")
    conf = (folder / "annotation.conf").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^\[(\w+)\]\n(.*?)(?=^\[|\Z)", conf, re.M | re.S))
    entities = sections["entities"].split()
    assert entities[0] == "official" and entities[-3:] == ["claim", "claim-other", "claim-unsure"]
    assert sections["relations"].startswith("said_by\tArg1:claim|claim-other|claim-unsure, Arg2:official|")
    forms = "|".join(annotkit.load_scheme().layer("claim").attribute("form").values)
    assert f"form\tArg:claim|claim-other|claim-unsure, Value:{forms}" in conf
    assert "claim-unsure | Claim (Unsure)" in (folder / "visual.conf").read_text(encoding="utf-8")
    (folder / "visual.conf").write_text("[labels]\nmine | Mine\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"already has its own visual\.conf; annotkit never overwrites a file you"):
        export_config(format="brat", path=folder)


def test_export_config_knows_its_formats(tmp_path):
    with pytest.raises(FormatError) as error:
        export_config(format="doccano", path=tmp_path)
    assert str(error.value) == "format='doccano' has no configuration to write. Use one of: labelstudio, brat."


# ------------------------------------------------------------------------------------------ brat's .txt file


def test_brat_never_overwrites_a_txt_file_it_was_not_given(tmp_path, bundled_case):
    article, mine = bundled_case
    source = tmp_path / "story.txt"
    source.write_text("Biden Announces End\r\n\r\nthe raw source, as the teacher saved it", encoding="utf-8")
    before = source.read_bytes()
    with pytest.raises(FormatError) as error:
        export(mine, tmp_path / "story.ann", format="brat", article=article)
    assert str(error.value) == (
        f"brat keeps the article's text beside the annotations, as story.txt, but {source} is already there and "
        "holds something else (the article's original file?). annotkit never overwrites a file you did not name. "
        "Export to another folder, or give another name: 'story-annotations.ann'."
    )
    assert source.read_bytes() == before and not (tmp_path / "story.ann").exists()
    # the same text already there is fine, and is left as it is
    (tmp_path / "same.txt").write_bytes(article.text.encode("utf-8"))
    export(mine, tmp_path / "same.ann", format="brat", article=article)
    assert (tmp_path / "same.txt").read_bytes() == article.text.encode("utf-8")


# ------------------------------------------------------------------------------- a teacher's own attribute


@pytest.fixture(scope="module")
def gender_scheme(tmp_path_factory):
    spec = json.loads(annotkit.data_path("schemes", "default.json").read_text(encoding="utf-8"))
    spec["layers"]["actor"]["attributes"]["gender"] = {
        "kind": "choice",
        "definition": "How the article presents the actor.",
        "values": {v: {"definition": v} for v in ("woman", "man", "group", "other", "unsure")},
    }
    spec["layers"]["claim"]["attributes"]["source_doc"] = {"kind": "text", "definition": "Where it is written."}
    path = tmp_path_factory.mktemp("scheme") / "gender.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return annotkit.load_scheme(path)


@pytest.mark.parametrize("format", FORMATS)
def test_a_teachers_own_attribute_round_trips(tmp_path, emoji_case, gender_scheme, format):
    article, mine = emoji_case
    mine = mine.assign(gender=pd.NA, source_doc=pd.NA).astype({"gender": "string", "source_doc": "string"})
    mine.loc[mine.annotation_id == "e2", "gender"] = "woman"
    mine.loc[mine.annotation_id == "e4", "source_doc"] = "the mayor's_office 100% notes"
    path = export(mine, tmp_path / FILE_NAMES[format], format=format, article=article, scheme=gender_scheme)
    back = import_annotations(path, format=format, article=article, scheme=gender_scheme)
    assert list(back.columns) == [*BASE_COLUMNS, *gender_scheme.attribute_names]
    assert {"gender", "source_doc"} <= set(gender_scheme.attribute_names)
    assert content(back, format) == content(mine, format)
    # without the scheme, the attribute found in the file is kept all the same
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FormatWarning)
        plain = import_annotations(path, format=format, article=article)
    assert (plain.gender == "woman").any()


# ------------------------------------------------------------------- W3C Web Annotation test suite (MUSTs)


W3C_SUITE = FIXTURES / "w3c-web-annotation-tests"
W3C_BASE = "https://w3c.github.io/web-annotation-tests/"


def w3c_validators(test):
    """One validator per MUST assertion of a .test file of the W3C suite, with its definitions resolvable."""
    import jsonschema
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    # the suite refers to its files by name alone ("id.json#/definitions/..."), so all share one base
    schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in W3C_SUITE.rglob("*.json")}
    schemas = {name: {**schema, "id": W3C_BASE + name} for name, schema in schemas.items()}
    # (a draft-04 "$ref" hides its siblings, "id" included, so a bare name is a key too)
    registry = Registry().with_resources(
        (uri, Resource.from_contents(schema, default_specification=DRAFT4))
        for name, schema in schemas.items()
        for uri in (W3C_BASE + name, name)
    )
    checker = jsonschema.FormatChecker(())
    # the suite's two formats, checked here rather than by optional packages
    checker.checks("uri")(
        lambda v: not isinstance(v, str) or bool(re.fullmatch(r"[A-Za-z][\w+.-]*:[^\s<>\"{}|^`\\]*", v))
    )
    rfc3339 = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"
    checker.checks("date-time")(lambda v: not isinstance(v, str) or bool(re.fullmatch(rfc3339, v)))
    assertions = json.loads((W3C_SUITE / test).read_text(encoding="utf-8"))["assertions"]
    for name in assertions:
        schema = schemas[Path(name).name]
        yield name, jsonschema.Draft4Validator(schema, registry=registry, format_checker=checker)


def w3c_failures(document, test):
    return [name for name, validator in w3c_validators(test) if not validator.is_valid(document)]


@pytest.mark.parametrize("case", ["bundled_case", "emoji_case"])
def test_w3c_export_passes_the_w3c_test_suite_musts(tmp_path, request, case):
    article, mine = request.getfixturevalue(case)
    path = export(mine, tmp_path / "mine.json", format="w3c", article=article)
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert w3c_failures(collection, "collections/collectionMusts.test") == []
    assert w3c_failures(collection, "collections/pages/pageMusts.test") == []
    for item in collection["first"]["items"]:
        assert w3c_failures(item, "annotations/annotationMusts.test") == [], item["id"]


def test_w3c_times_are_utc_with_z(tmp_path, emoji_case):
    article, mine = emoji_case
    stamps = mine.assign(created="2026-12-06T23:52:48.733+00:00", modified="2026-12-06T23:52:49")
    collection = json.loads(export(stamps, tmp_path / "m.json", format="w3c", article=article).read_text("utf-8"))
    item = collection["first"]["items"][0]
    assert (item["created"], item["modified"]) == ("2026-12-06T23:52:48.733Z", "2026-12-06T23:52:49Z")
    assert w3c_failures(item, "annotations/annotationMusts.test") == []


def test_w3c_empty_export_is_a_collection_without_a_page(tmp_path, bundled_case):
    article, mine = bundled_case
    path = export(mine.iloc[:0], tmp_path / "none.json", format="w3c", article=article)
    collection = json.loads(path.read_text(encoding="utf-8"))
    assert collection["total"] == 0 and "first" not in collection
    assert w3c_failures(collection, "collections/collectionMusts.test") == []
    assert import_annotations(path, format="w3c", article=article).empty


@pytest.mark.parametrize(
    ("defect", "test", "assertion"),
    [
        ("page without id", "collections/pages/pageMusts.test", "collections/pages/5.2-pageIdValidated.json"),
        (
            "time without a zone",
            "annotations/annotationMusts.test",
            "annotations/3.3.1-annotationCreatedValidated.json",
        ),
        ("annotation id not an IRI", "annotations/annotationMusts.test", "annotations/3.1-annotationIdValidated.json"),
    ],
)
def test_w3c_suite_catches_the_defects_annotkit_had(tmp_path, emoji_case, defect, test, assertion):
    article, mine = emoji_case
    collection = json.loads(export(mine, tmp_path / "m.json", format="w3c", article=article).read_text("utf-8"))
    item = collection["first"]["items"][0]
    if defect == "page without id":
        del collection["first"]["id"]
    elif defect == "time without a zone":
        item["created"] = "2024-03-01T10:00:00"
    else:
        item["id"] = "urn:annotkit:an id with spaces"
    document = collection if test.startswith("collections") else item
    assert assertion in w3c_failures(document, test)


def test_w3c_reads_annotkit_0_1_evidence_bodies(tmp_path, emoji_case):
    article, mine = emoji_case
    path = export(mine, tmp_path / "m.json", format="w3c", article=article)
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data["first"]["items"]:
        for body in item["body"]:
            if body.get("type") == "SpecificResource":  # as 0.1 wrote it: the claim as the body's own id
                body["id"] = body.pop("source")
                del body["type"]
    path.write_text(json.dumps(data), encoding="utf-8")
    pd.testing.assert_frame_equal(import_annotations(path, format="w3c", article=article), mine)


# --------------------------------------- annotkit 0.2's exports, through the real tools (tools/interop/*.py)

RECORDED_02 = FIXTURES / "recorded-0.2"


def test_labelstudio_keeps_students_perspectives_and_relations_through_its_editor(emoji_article):
    # exported by annotkit, imported into Label Studio 1.23.2, a region drawn with the mouse ("closures") and a
    # perspective's stance changed in its own controls, saved, exported by Label Studio
    raw, warning = imported(RECORDED_02 / "labelstudio" / "export_emoji_raw.json", "labelstudio", emoji_article)
    edited, warning_after = imported(
        RECORDED_02 / "labelstudio" / "export_emoji_uiedit.json", "labelstudio", emoji_article
    )
    assert warning == warning_after == ""
    assert raw.annotator.unique().tolist() == ["interop"] == edited.annotator.unique().tolist()
    new = edited[~edited.annotation_id.isin(raw.annotation_id)]
    assert new[["layer", "label", "start", "end", "text"]].values.tolist() == [["claim", "other", 216, 224, "closures"]]
    before = raw.set_index("annotation_id").drop(columns=["created", "modified"]).astype("string").fillna("")
    after = edited.set_index("annotation_id").drop(columns=["created", "modified"]).loc[before.index]
    changed = (before != after.astype("string").fillna("")).stack()
    souza = before.index[before.entity.eq("Ana Souza") & before.layer.eq("perspective")].item()
    assert changed[changed].index.tolist() == [(souza, "stance")], "nothing but the stance changed"
    assert set(after.stance.dropna()) == {"support", "oppose"}
    after = after.astype({"start": "Int64"})
    claims = after[after.layer == "claim"]
    assert claims.said_by.tolist() == ["Zoë Müller", "Ana Souza", "Café 🎉 Owners"]
    assert after[after.entity.eq("Zoë Müller") & after.layer.eq("perspective")].evidence.item() in claims.index


def test_labelstudio_keeps_the_key_and_three_students_apart():
    article = annotkit.load_bundled_article()
    key, warning = imported(RECORDED_02 / "labelstudio" / "export_key_raw.json", "labelstudio", article)
    recorded = RECORDED_02 / "labelstudio" / "export_key_raw.json"
    assert sorted(text for _, _, text in spans_of(key)) == key_spans(article, recorded) and warning == ""
    assert (key.layer == "perspective").sum() == 23 and key.note.notna().sum() > 100
    three, warning = imported(RECORDED_02 / "labelstudio" / "export_three_raw.json", "labelstudio", article)
    assert sorted(three.annotator.unique()) == ["Aisha", "Ben", "Carmen"] and warning == ""


def test_doccano_0_2_exports_come_back_whole_from_both_kinds_of_project(emoji_article):
    article = annotkit.load_bundled_article()
    linked, warning = imported(RECORDED_02 / "doccano" / "export_key-relations.jsonl", "doccano", article)
    assert spans_of(linked) == key_spans(article, RECORDED_02 / "doccano" / "export_key-relations.jsonl")
    assert warning == ""
    assert linked.said_by.notna().sum() == 47 and (linked.layer == "perspective").sum() == 23
    for name in ("export_emoji-overlap.jsonl", "export_emoji-relations.jsonl"):
        back, warning = imported(RECORDED_02 / "doccano" / name, "doccano", emoji_article)
        assert warning == "" and sorted(back.said_by.dropna()) == ["Ana Souza", "Café 🎉 Owners", "Zoë Müller"]


@pytest.mark.parametrize("kind", ["overlap", "relations"])
def test_doccano_reads_the_copy_edited_in_doccano(tmp_path, emoji_article, kind):
    # doccano keeps the keys its project does not use as metadata, unchanged: a span and an arrow added in
    # doccano (UTF-16 units, as its editor counts) are in the copy it uses, and only there
    line = json.loads((RECORDED_02 / "doccano" / f"export_emoji-{kind}.jsonl").read_text(encoding="utf-8"))
    units = emoji_article.text.encode("utf-16-le")
    start = units.decode("utf-16-le").index("warned")
    start16 = len(emoji_article.text[:start].encode("utf-16-le")) // 2
    assert (start16, start) == (205, 201)
    if kind == "overlap":
        line["label"].append([start16, start16 + 6, "claim"])
    else:
        souza = next(e for e in line["entities"] if e["label"] == "official" and e["start_offset"] == 132)
        line["entities"].append({"id": 999, "label": "claim", "start_offset": start16, "end_offset": start16 + 6})
        line["relations"].append({"id": 998, "from_id": 999, "to_id": souza["id"], "type": "said_by"})
    (tmp_path / "edited.jsonl").write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    back, warning = imported(tmp_path / "edited.jsonl", "doccano", emoji_article)
    made = back[back.text == "warned"]
    assert warning == "" and (made.start.item(), made.layer.item()) == (201, "claim")
    said = made.said_by.astype(object).where(made.said_by.notna(), None).item()
    assert said == (None if kind == "overlap" else "Ana Souza"), "only a relation project holds the arrow"


def frame_as_strings(frame):
    return frame.set_index("annotation_id").astype("string").fillna("")


@pytest.mark.parametrize("kind", ["overlap", "relations"])
def test_doccano_round_trip_through_its_editor(emoji_article, kind):
    # annotkit's export (annotkit_emoji.jsonl) imported into doccano 1.8.4, exported untouched, then edited in
    # doccano's editor in Chromium with the mouse and exported again (tools/interop/doccano.py): "warned" tagged as
    # a claim; in the default project the claim "Parade Will Go Ahead" deleted; in the relation project "Police
    # chief Ana Souza" relabelled, a said_by arrow drawn from "warned" to it, and the arrow of "Parade Will Go
    # Ahead" deleted
    sent, warning = imported(RECORDED_02 / "doccano" / "annotkit_emoji.jsonl", "doccano", emoji_article)
    untouched, warning_raw = imported(RECORDED_02 / "doccano" / f"export_emoji-{kind}.jsonl", "doccano", emoji_article)
    assert warning == warning_raw == ""
    pd.testing.assert_frame_equal(frame_as_strings(untouched).loc[sent.annotation_id], frame_as_strings(sent))
    assert len(untouched) == len(sent)

    path = RECORDED_02 / "doccano" / f"export_emoji-{kind}-uiedit.jsonl"
    line = json.loads(path.read_text(encoding="utf-8"))
    stored = (
        [(e["start_offset"], e["end_offset"]) for e in line["entities"]]
        if kind == "relations"
        else [(start, end) for start, end, _ in line["label"]]
    )
    assert (205, 211) in stored, "doccano counts UTF-16 units"
    back, warning = imported(path, "doccano", emoji_article)
    new = back[~back.annotation_id.isin(sent.annotation_id)]
    assert new[["layer", "label", "start", "end", "text"]].values.tolist() == [["claim", "claim", 201, 207, "warned"]]
    assert new.annotation_id.item().startswith(f"doccano-{emoji_article.article_id}-")
    before = frame_as_strings(sent)
    parade = before.index[before.text.eq("Parade Will Go Ahead")].item()
    souza = before.index[before.text.eq("Police chief Ana Souza")].item()
    if kind == "overlap":  # a default project: the deleted span is named, nothing else changes
        assert warning == (
            f"{path.name}: 1 problem, the rest of the file was imported. line 1: 1 annotation(s) annotkit wrote have "
            "no span in doccano any more (deleted there, or dropped by a project that does not allow overlapping "
            f"spans): {parade}"
        )
        assert pd.isna(new.said_by.item())
        before = before.drop(parade)
    else:  # the arrows are doccano's: a new one names the speaker, a deleted one clears it
        assert warning == "" and new.said_by.item() == "Ana Souza"
    after = frame_as_strings(back).loc[before.index]
    changed = (before != after).stack()
    expected = [] if kind == "overlap" else [(parade, "said_by"), (souza, "label")]
    assert sorted(changed[changed].index.tolist()) == sorted(expected)
    if kind == "relations":
        assert after.said_by[parade] == "" and after.label[souza] == "public_or_civil_society"
        assert after.loc[souza, ["entity", "affiliation", "identification"]].tolist() == ["Ana Souza", "other", "named"]


@pytest.mark.parametrize(
    ("arrows", "expected", "problem"),
    [
        ([(253, 250)], "Café 🎉 Owners", None),  # as annotkit wrote it
        ([(253, 248)], "Zoë Müller", None),  # pointed at another actor in doccano
        ([], None, None),  # deleted in doccano
        ([(253, 248), (253, 249)], "Zoë Müller",
         "the claim 'Parade Will Go Ahead' has 2 said_by arrows (Zoë Müller, Ana Souza); the first, Zoë Müller, "
         "was used as its speaker"),
    ],
)  # fmt: skip
def test_doccano_relation_project_arrows_decide_the_speaker(tmp_path, emoji_article, arrows, expected, problem):
    line = json.loads((RECORDED_02 / "doccano" / "export_emoji-relations.jsonl").read_text(encoding="utf-8"))
    kept = [r for r in line["relations"] if r["from_id"] != 253]
    drawn = [{"id": 900 + n, "from_id": a, "to_id": b, "type": "said_by"} for n, (a, b) in enumerate(arrows)]
    line["relations"] = kept + drawn
    assert next(e for e in line["entities"] if e["id"] == 253)["start_offset"] == 19
    (tmp_path / "arrows.jsonl").write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    back, warning = imported(tmp_path / "arrows.jsonl", "doccano", emoji_article)
    parade = back.set_index("text").said_by["Parade Will Go Ahead"]
    assert (None if pd.isna(parade) else parade) == expected
    assert back.set_index("text").said_by["safe 👍 and well staffed"] == "Ana Souza", "other claims untouched"
    if problem is None:
        assert warning == ""
    else:
        assert warning == f"arrows.jsonl: 1 problem, the rest of the file was imported. line 1: {problem}"


def test_doccano_keeps_a_speaker_it_could_not_draw(tmp_path, emoji_article):
    # a claim whose speaker has no mention in the text gets no arrow from annotkit; a relation project's export
    # (no arrow for it) must not cost it its speaker, nor may annotkit 0.1's files, which wrote no arrows at all
    article = emoji_article
    mine, _ = imported(RECORDED_02 / "doccano" / "annotkit_emoji.jsonl", "doccano", article)
    mine.loc[mine.text == "Parade Will Go Ahead", "said_by"] = "the organisers"
    path = export(mine, tmp_path / "mine.jsonl", format="doccano", article=article)
    assert len(json.loads(path.read_text(encoding="utf-8"))["relations"]) == 2
    back = import_annotations(path, format="doccano", article=article)
    assert back.set_index("text").said_by["Parade Will Go Ahead"] == "the organisers"
    voa, old = annotkit.load_bundled_article(), RECORDED / "doccano" / "export_key-relations.jsonl"
    legacy, _ = imported(old, "doccano", voa)
    written = json.loads(old.read_text("utf-8").splitlines()[0])
    assert legacy.said_by.notna().sum() == sum(1 for e in written["annotkit"]["annotations"] if e.get("said_by")) > 0


def test_brat_server_saves_annotkits_file_with_its_own_additions(emoji_article, tmp_path):
    # brat's server read annotkit's export (with the configuration annotkit wrote) and added, through the calls
    # its editor makes, a claim on "warned" with a note and a said_by arc, ending the arc's line with a tab
    ann = RECORDED_02 / "brat" / "emoji-server.ann"
    assert ann.read_text(encoding="utf-8").splitlines()[-1].endswith("\t")
    back, warning = imported(ann, "brat", emoji_article)
    warned = back.set_index("text").loc["warned"]
    assert (warned.said_by, warned.form, warned.note) == ("Ana Souza", "indirect", "made in brat")
    assert warning == "" and sorted(back[back.layer == "perspective"].entity) == ["Ana Souza", "Zoë Müller"]
    # the configuration brat read is annotkit's, made from the scheme of the day (the scheme has grown since)
    recorded = (RECORDED_02 / "brat" / "annotation.conf").read_text("utf-8").splitlines()
    today = export_config(format="brat", path=tmp_path).joinpath("annotation.conf").read_text("utf-8").splitlines()
    assert recorded[0].startswith("# annotkit: made from the scheme annotkit-default")
    assert [line for line in recorded if not line.startswith(("#", "form"))] == [
        line for line in today if not line.startswith(("#", "form"))
    ]


@pytest.mark.parametrize("format", ["csv", "jsonl"])
def test_files_written_by_annotkit_0_1_import_without_note_and_origin(tmp_path, emoji_case, format):
    article, mine = emoji_case
    path = export(mine, tmp_path / FILE_NAMES[format], format=format, article=article)
    if format == "csv":
        old = pd.read_csv(path, dtype=str, keep_default_na=False).drop(columns=["note", "origin"])
        old.to_csv(path, index=False)
    else:
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        path.write_text("".join(json.dumps({k: v for k, v in r.items() if k not in ("note", "origin")}) + "\n"
                                for r in lines), encoding="utf-8")  # fmt: skip
    back = import_annotations(path, format=format, article=article)
    assert list(back.columns) == list(COLUMNS)
    assert back.note.isna().all() and back.origin.tolist() == ["python"] * len(back)
    assert spans_of(back) == spans_of(mine)
