"""The bundled answer key is data a teacher may edit: these checks catch an edit that breaks it."""

import json
import re
import subprocess
import sys

import pytest

import annotkit
from annotkit.keys import answer_key, find_key

ARTICLE = annotkit.load_bundled_article()
KEY = answer_key(ARTICLE)
SCHEME = annotkit.load_scheme()
SPEC = json.loads(find_key(ARTICLE).read_text(encoding="utf-8"))


def test_the_key_belongs_to_the_article_and_the_scheme():
    assert SPEC["article"] == ARTICLE.article_id
    assert (SPEC["scheme"], SPEC["scheme_version"]) == (SCHEME.name, SCHEME.version)
    assert SPEC["central_question"] == SCHEME.central_question(ARTICLE)
    assert len(SPEC["notes_for_teachers"]) > 200


def test_the_key_covers_all_three_layers_in_depth():
    counts = KEY.groupby("layer").size().to_dict()
    assert counts["actor"] >= 80
    assert counts["claim"] >= 40
    assert counts["perspective"] >= 15
    quoted = set(ARTICLE.quotes.speaker)
    entities = set(KEY.loc[KEY.layer == "actor", "entity"])
    assert quoted - {"the two countries", "a United Nations report"} <= entities


@pytest.mark.parametrize("row", list(KEY[KEY.layer != "perspective"].itertuples()), ids=lambda r: r.annotation_id)
def test_every_span_is_on_token_boundaries_and_its_own_text(row):
    assert ARTICLE.text[row.start : row.end] == row.text
    assert row.start in set(ARTICLE.tokens.start)
    assert row.end in set(ARTICLE.tokens.end)


@pytest.mark.parametrize("row", list(KEY.itertuples()), ids=lambda r: r.annotation_id)
def test_every_item_fits_the_scheme_and_explains_itself(row):
    attributes = {
        a.name: getattr(row, a.name) for a in SCHEME.layer(row.layer).attributes if str(getattr(row, a.name)) != "<NA>"
    }
    SCHEME.validate(row.layer, row.label, attributes)
    assert str(row.note).strip() not in ("", "<NA>")


def test_claims_and_perspectives_refer_to_tagged_actors_and_claims():
    entities = set(KEY.loc[KEY.layer == "actor", "entity"])
    claims = KEY[KEY.layer == "claim"]
    assert set(claims.said_by) <= entities | {"the journalist"}
    perspectives = KEY[KEY.layer == "perspective"]
    assert set(perspectives.entity) <= entities
    assert perspectives.entity.is_unique
    claim_ids = set(claims.annotation_id)
    for evidence in perspectives.evidence.dropna():
        assert set(evidence.split(";")) <= claim_ids


def test_no_span_is_tagged_twice_in_a_layer():
    spans = KEY[KEY.layer != "perspective"]
    assert not spans.duplicated(["layer", "start", "end"]).any()


def test_the_key_scores_perfectly_against_itself():
    result = annotkit.score(KEY, KEY)
    assert set(result.table.f1) == {1.0}
    assert result.attribution_accuracy == result.stance_accuracy == 1.0


def test_a_key_for_another_article_is_refused_by_name(tmp_path):
    other = annotkit.Article.from_text("Another Story\n\nPresident Joe Biden spoke.", format="txt")
    key = annotkit.data_path("keys", "voa-2021-07-26-us-combat-mission-iraq.json")
    with pytest.raises(
        annotkit.AnnotationError,
        match=re.escape("is for the article 'voa-2021-07-26-us-combat-mission-iraq', not this one ('Another Story')"),
    ):
        annotkit.load_key(other, path=key)


# --- load_key checks what it loads, and write_key writes only what load_key accepts ------------------------------

SMALL = annotkit.Article.from_text(
    "Iraqi Leader Visits\n\nThe Iraqi prime minister met Biden. Iraq wants the troops to stay, Iraq said.",
    source="small.txt",
)


def small_key(tmp_path, items, **fields):
    path = tmp_path / "key.json"
    spec = {"format_version": 2, "article": "small", "annotations": items, **fields}
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


ACTOR = {"id": "a1", "layer": "actor", "label": "government_body", "text": "Iraq", "entity": "Iraq"}


def test_occurrences_count_whole_words_so_iraq_is_never_inside_iraqi(tmp_path):
    key = annotkit.load_key(SMALL, small_key(tmp_path, [{**ACTOR, "occurrence": 2}]))
    start = key.start.iloc[0]
    assert SMALL.text[start - 1 : start + 5] == " Iraq " and SMALL.text[start + 5 :].startswith("said")


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([{**ACTOR, "label": "king"}], "item a1: Unknown actor label 'king'. Choose one of: official"),
        ([{**ACTOR, "affiliation": "usa"}], "item a1: 'usa' is not an affiliation the scheme knows"),
        ([{**ACTOR, "mood": "calm"}], "item a1: The actor layer has no attribute 'mood'"),
        ([{**ACTOR, "occurrence": 3}], "'Iraq' appear 2 times as whole words in the article, so occurrence 3 cannot"),
        ([{**ACTOR, "text": "Baghdad"}], "the words 'Baghdad' are not in the article"),
        ([{k: v for k, v in ACTOR.items() if k != "label"}], "has a mistake in item 1: 'label' is missing"),
        ([{**ACTOR, "occurrence": "2"}], 'item 1, field "occurrence": should be a whole number, not "2"'),
        ([ACTOR, {**ACTOR, "text": "Biden", "entity": "Joe Biden"}], "the id 'a1' is used twice"),
        ([ACTOR, {"id": "c1", "layer": "claim", "label": "claim", "text": "wants the troops", "said_by": "Iran"}],
         "item c1: said_by 'Iran' is not the entity of any actor in the key"),
        ([ACTOR, {"id": "p1", "layer": "perspective", "label": "perspective", "entity": "Iraq", "evidence": ["c9"]}],
         "item p1: the evidence 'c9' is not a claim in the key"),
        ([ACTOR, {"id": "p1", "layer": "perspective", "label": "perspective", "entity": "Iraq", "text": "Iraq"}],
         "item p1: A perspective is about an actor, so it has no text"),
    ],
)  # fmt: skip
def test_a_broken_key_is_refused_saying_which_item_and_why(tmp_path, items, message):
    with pytest.raises(annotkit.AnnotationError, match=re.escape(message)):
        annotkit.load_key(SMALL, small_key(tmp_path, items))


def test_a_good_key_loads_without_the_slow_explaining_validator():
    # jsonschema (which explains a mistake in words) takes seconds to import; a student's Check my work loads the
    # key at every kernel start, so only a key that fails the fast check may bring it in.
    code = "import sys, annotkit as a; a.answer_key(a.load_bundled_article()); print('jsonschema' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def test_a_key_file_that_is_not_json_or_not_there(tmp_path):
    (tmp_path / "key.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(annotkit.AnnotationError, match=re.escape("The key file key.json is not valid JSON")):
        annotkit.load_key(SMALL, tmp_path / "key.json")
    with pytest.raises(annotkit.AnnotationError, match=re.escape("There is no key file at")):
        annotkit.load_key(SMALL, tmp_path / "nope.json")


def test_a_key_made_on_another_version_of_the_text_warns_when_every_item_is_still_found(tmp_path):
    path = small_key(tmp_path, [ACTOR], text_sha256="0" * 64)
    with pytest.warns(annotkit.AnnotkitWarning, match="was made on another version of the article's text"):
        assert len(annotkit.load_key(SMALL, path)) == 1


def test_write_key_round_trips_the_course_key(tmp_path):
    path = annotkit.write_key(KEY, tmp_path / "copy.json", article=ARTICLE, central_question="Q?")
    again = annotkit.load_key(ARTICLE, path)
    columns = ["layer", "label", "start", "end", "entity", "said_by", "stance", "debatable", "note"]
    assert sorted(map(tuple, again[columns].astype(str).values)) == sorted(map(tuple, KEY[columns].astype(str).values))
    spec = json.loads(path.read_text(encoding="utf-8"))
    assert (spec["format_version"], spec["article"], spec["central_question"]) == (2, ARTICLE.article_id, "Q?")
    assert spec["text_sha256"] == ARTICLE.text_sha256
    by_id = dict(zip(again.annotation_id, again.text, strict=True))
    original = dict(zip(KEY.annotation_id, KEY.text, strict=True))
    for old, new in zip(KEY.evidence, again.evidence, strict=True):  # evidence follows the renumbered claims
        if isinstance(old, str):
            assert [original[i] for i in old.split(";")] == [by_id[i] for i in new.split(";")]
    with pytest.raises(annotkit.AnnotationError, match="already exists, so it was not touched"):
        annotkit.write_key(KEY, path, article=ARTICLE)


def test_write_key_refuses_what_load_key_would_refuse(tmp_path):
    store = annotkit.open_store(":memory:", annotator="t")
    start = SMALL.text.index("Iraqi")
    store.add(SMALL, layer="actor", label="government_body", start=start, end=start + 5, entity="Iraq")
    frame = store.annotations()
    frame.loc[0, "end"] = start + 4  # "Iraq" inside "Iraqi"
    with pytest.raises(annotkit.AnnotationError, match=re.escape("The actor 'Iraq' (start=0) cuts through a word")):
        annotkit.write_key(frame, tmp_path / "k.json", article=SMALL)
    assert not (tmp_path / "k.json").exists()


# --- finding an article's key -------------------------------------------------------------------------------------


def test_find_key_looks_in_the_course_folder_first_and_skips_what_it_cannot_read(tmp_path, monkeypatch):
    keys = tmp_path / "course" / "data" / "keys"
    keys.mkdir(parents=True)
    (keys / "0-broken.json").write_text("{oops", encoding="utf-8")
    (keys / "1-latin1.json").write_bytes(b'{"article": "small", "note": "caf\xe9"}')  # not UTF-8
    (keys / "2-list.json").write_text('["small"]', encoding="utf-8")
    (keys / "3-other.json").write_text('{"article": "another"}', encoding="utf-8")
    (keys / "4-notes.txt").write_text('{"article": "small"}', encoding="utf-8")
    (keys / "5-small.json").write_text('{"article": "small", "note": "café"}', encoding="utf-8")
    (keys / "6-small-too.json").write_text('{"article": "small"}', encoding="utf-8")
    monkeypatch.setenv("ANNOTKIT_COURSE", str(tmp_path / "course"))
    assert find_key(SMALL) == keys / "5-small.json"  # the first, in name order, that is this article's
    assert find_key(annotkit.Article.from_text("Title\n\nText.", source="nobody.txt")) is None
    assert find_key(ARTICLE).name.endswith(".json")  # the bundled key, when the course has none for it


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({**ACTOR, "text": None}, "item a1: An actor needs the words it tags (text)."),
        ({"id": "c1", "layer": "claim", "label": "claim", "said_by": "Iraq"}, "item c1: A claim needs the words"),
    ],
)
def test_a_span_item_without_words_is_refused_in_plain_grammar(tmp_path, item, message):
    item = {k: v for k, v in item.items() if v is not None}
    with pytest.raises(annotkit.AnnotationError, match=re.escape(message)):
        annotkit.load_key(SMALL, small_key(tmp_path, [ACTOR, item] if item["layer"] == "claim" else [item]))
