import hashlib
import io
import json
import re
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import annotkit
from annotkit import SubmissionError
from annotkit.submissions import MAX_FILE_BYTES, MAX_FILES, parse_submission, read_submissions, seal

ARTICLE = annotkit.Article.from_text(
    "Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild. Ruiz left.", source="storm.txt"
)
OTHER = annotkit.Article.from_text("Another Headline Here\n\nSen. Bo Li spoke. Nothing else happened.", source="li.txt")


def work(tmp_path, annotator, entities=("Ana Ruiz",), store_name="store.sqlite"):
    store = annotkit.open_store(tmp_path / store_name, annotator=annotator)
    start = ARTICLE.text.index("Mayor Ana Ruiz")
    for entity in entities:
        store.add(ARTICLE, layer="actor", label="official", start=start, end=start + 14, entity=entity)
    return store


def payload_v2(annotations, **changes):
    """A format 2 payload (no checksum) around some annotations, for tests of what a seal does not prove."""
    payload = {
        "format": "annotkit-submission", "format_version": 2, "annotator": "x", "student_name": "Xu",
        "exported": "2026-11-23T10:00:00.000Z", "draft": False,
        "scheme": {"name": "annotkit-default", "version": "1", "attributes": ["entity", "stance"]},
        "articles": [{"article_id": "storm", "text_sha256": "0" * 64, "annotations": annotations}],
    }  # fmt: skip
    payload.update(changes)
    return payload


def test_export_writes_a_checked_portable_file_with_everything_in_it(tmp_path):
    with work(tmp_path, "ana") as store:
        store.set_student_name("Ana Ruiz")
        store.update(store.annotations().annotation_id.iloc[0], note="She speaks for the city.")
        store.reflect(ARTICLE, "02-named", "Named, so I can check her.", question="Who is named?")
        path = store.export_submission(tmp_path / "out" / "ana.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert (payload["format"], payload["format_version"]) == ("annotkit-submission", 2)
    assert (payload["annotator"], payload["student_name"], payload["draft"]) == ("ana", "Ana Ruiz", False)
    assert payload["scheme"]["attributes"] == list(annotkit.load_scheme().attribute_names)
    assert payload["exported"].endswith("Z")
    [article] = payload["articles"]
    assert (article["article_id"], article["title"], article["text"]) == ("storm", "Storm Hits Coast", ARTICLE.text)
    assert article["text_sha256"] == hashlib.sha256(ARTICLE.text.encode()).hexdigest()
    assert article["origins"] == {"python": 1}
    assert article["annotations"][0]["entity"] == "Ana Ruiz"
    assert article["annotations"][0]["note"] == "She speaks for the city."
    assert article["reflections"][0]["answer"] == "Named, so I can check her."
    assert list(payload)[-1] == "checksum"
    assert not list((tmp_path / "out").glob("*.partial"))


def test_one_file_holds_every_article_the_student_worked_on(tmp_path):
    with work(tmp_path, "ana") as store:
        start = OTHER.text.index("Bo Li")
        store.add(OTHER, layer="actor", label="official", start=start, end=start + 5, entity="Bo Li")
        both = store.export_submission(tmp_path / "ana.json")
        one = store.export_submission(tmp_path / "ana-li.json", article_id="li")
        with pytest.raises(SubmissionError, match=re.escape("they have some on: 'Another Headline Here', 'Storm")):
            store.export_submission(tmp_path / "x.json", article_id="nope")
    result = read_submissions([both])
    assert sorted(result.submissions.article_id) == ["li", "storm"]
    assert result.annotations.groupby("article_id").size().to_dict() == {"li": 1, "storm": 1}
    assert read_submissions([one]).submissions.article_id.tolist() == ["li"]


def test_a_class_folder_reads_into_one_frame_with_the_latest_of_each_student(tmp_path):
    folder = tmp_path / "class"
    with work(tmp_path, "ana") as store:
        store.export_submission(folder / "ana-1.json")
        start = ARTICLE.text.index("Ruiz left")
        store.add(ARTICLE, layer="actor", label="official", start=start, end=start + 4, entity="Ana Ruiz")
        store.export_submission(folder / "ana-2.json")
    with work(tmp_path, "ben") as store:
        store.export_submission(folder / "ben.json")
    result = read_submissions(folder)
    assert result.problems.empty
    assert result.annotations.groupby("annotator").size().to_dict() == {"ana": 2, "ben": 1}
    assert len(result.all_annotations) == 4  # earlier submissions stay available
    assert result.submissions.set_index("submission").latest.to_dict() == {
        "ana-1.json": False,
        "ana-2.json": True,
        "ben.json": True,
    }
    assert list(result.submissions.columns) == [
        "submission", "annotator", "student_name", "article_id", "title", "text_sha256", "exported", "draft",
        "n_annotations", "n_by_code", "latest",
    ]  # fmt: skip
    assert result.texts[("storm", ARTICLE.text_sha256)] == ARTICLE.text


def test_reflections_names_and_work_made_by_code_reach_the_teacher(tmp_path):
    with work(tmp_path, "ana") as store:
        start = ARTICLE.text.index("Ruiz left")
        store.add(ARTICLE, layer="actor", label="official", start=start, end=start + 4, entity="Ana Ruiz",
                  origin="browser")  # fmt: skip
        store.reflect(ARTICLE, "02-named", "Only the mayor is named.", question="Who is named?")
        annotkit.hand_in(store, name="Ana Ruiz", folder=tmp_path / "class")
    result = read_submissions(tmp_path / "class")
    row = result.submissions.iloc[0]
    assert (row.student_name, row.n_annotations, row.n_by_code) == ("Ana Ruiz", 2, 1)
    assert result.reflections[["student_name", "question_id", "answer"]].values.tolist() == [
        ["Ana Ruiz", "02-named", "Only the mayor is named."]
    ]


def test_a_teachers_own_attribute_survives_the_class_read(tmp_path):
    spec = json.loads(annotkit.data_path("schemes", "default.json").read_text(encoding="utf-8"))
    spec["layers"]["actor"]["attributes"]["gender"] = {
        "kind": "choice",
        "definition": "How the article presents the actor's gender.",
        "values": {c: {"definition": c} for c in ("woman", "man", "not_said", "other", "unsure")},
    }
    (tmp_path / "mine.json").write_text(json.dumps(spec), encoding="utf-8")
    scheme = annotkit.load_scheme(tmp_path / "mine.json")
    with annotkit.open_store(tmp_path / "s.sqlite", annotator="ana", scheme=scheme) as store:
        start = ARTICLE.text.index("Mayor Ana Ruiz")
        store.add(ARTICLE, layer="actor", label="official", start=start, end=start + 14, entity="Ana Ruiz",
                  gender="woman")  # fmt: skip
        store.export_submission(tmp_path / "class" / "ana.json")
    result = read_submissions(tmp_path / "class")
    assert result.problems.empty
    assert result.annotations.gender.tolist() == ["woman"]


def test_bad_files_are_reported_without_stopping(tmp_path):
    folder = tmp_path / "class"
    with work(tmp_path, "ana") as store:
        good = store.export_submission(folder / "ana.json")
    tampered = json.loads(good.read_text(encoding="utf-8"))
    tampered["articles"][0]["annotations"][0]["entity"] = "Somebody Else"
    (folder / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "other.json").write_text(json.dumps({"grades": [1, 2]}), encoding="utf-8")
    (folder / "huge.json").write_bytes(b" " * (MAX_FILE_BYTES + 1))
    (folder / "words.json").write_text(json.dumps({**tampered, "format_version": "2"}), encoding="utf-8")
    result = read_submissions(folder)
    problems = dict(zip(result.problems.submission, result.problems.problem, strict=True))
    assert problems["tampered.json"] == "the checksum does not match: the file was changed after it was exported"
    assert problems["broken.json"].startswith("not valid JSON")
    assert problems["other.json"] == 'not an annotkit submission (no "format": "annotkit-submission")'
    assert problems["huge.json"].startswith("the file is 5,000,001 bytes, over the limit")
    assert problems["words.json"] == 'field "format_version": should be 2, not "2"'
    assert result.annotations.annotator.tolist() == ["ana"]


def test_hidden_folders_and_the_sample_class_beside_real_work_are_not_read(tmp_path):
    homes = tmp_path / "homes"
    with work(tmp_path, "ana") as store:
        store.export_submission(homes / "ana" / "annotkit-hand-in" / "ana.json")
        store.export_submission(homes / "ana" / ".ipynb_checkpoints" / "ana-checkpoint.json")
    sample = annotkit.data_path("sample_class", "aisha.json")
    (homes / "ana" / "course" / "data" / "sample_class").mkdir(parents=True)
    (homes / "ana" / "course" / "data" / "sample_class" / "aisha.json").write_bytes(sample.read_bytes())
    result = read_submissions(homes)
    assert result.submissions.annotator.tolist() == ["ana"]
    assert result.problems.empty
    assert read_submissions(annotkit.data_path("sample_class")).submissions.annotator.nunique() > 20  # alone: read


def test_a_zip_with_path_traversal_is_refused_entry_by_entry(tmp_path):
    with work(tmp_path, "ana") as store:
        good = store.export_submission(tmp_path / "ana.json")
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(good, "class/ana.json")
        zf.writestr("../../escape.json", good.read_bytes())
        zf.writestr("/abs.json", good.read_bytes())
        zf.writestr("notes.txt", "not a submission")
    result = read_submissions(archive)
    assert result.submissions.submission.tolist() == ["class/ana.json"]
    assert sorted(result.problems.submission) == ["../../escape.json", "/abs.json"]
    assert set(result.problems.problem) == {"refused: the name points outside the zip (path traversal)"}
    assert not (tmp_path.parent / "escape.json").exists()


def _zip_lying_about_size(data: bytes, declared: int) -> bytes:
    """A zip whose member's local and central headers both claim ``declared`` uncompressed bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("ana.json", data)
    raw = bytearray(buffer.getvalue())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.find(signature)
        raw[at + offset : at + offset + 4] = struct.pack("<I", declared)
    return bytes(raw)


def test_a_damaged_or_lying_zip_member_is_one_problem_not_a_crash(tmp_path):
    with work(tmp_path, "ana") as store:
        good = store.export_submission(tmp_path / "ana.json").read_bytes()
    lying = tmp_path / "lying.zip"
    lying.write_bytes(_zip_lying_about_size(good, 10))  # says 10 bytes, holds thousands
    result = read_submissions(lying)
    assert len(result.problems) == 1
    assert result.submissions.empty

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ana.json", good)
        zf.writestr("ben.json", good)
    raw = bytearray(buffer.getvalue())
    second = raw.find(b"PK\x03\x04", 10)
    raw[second + 60 : second + 90] = b"\x00" * 30  # wreck the second member's compressed data
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    result = read_submissions(damaged)
    assert result.submissions.submission.tolist() == ["ana.json"]
    assert result.problems.submission.tolist() == ["ben.json"]
    assert "damaged" in result.problems.problem.iloc[0] or "checksum" in result.problems.problem.iloc[0]


NOT_A_SUBMISSION = 'not an annotkit submission (no "format": "annotkit-submission")'


@pytest.mark.parametrize("n_files", [2, 3, 5])
def test_files_over_the_folder_cap_are_reported(tmp_path, monkeypatch, n_files):
    monkeypatch.setattr("annotkit.submissions.MAX_FILES", 3)
    for n in range(n_files):
        (tmp_path / f"{n}.json").write_text("{}", encoding="utf-8")
    result = read_submissions(tmp_path)
    read = min(n_files, 3)
    expected = [(f"{n}.json", NOT_A_SUBMISSION) for n in range(read)]  # the first, in order, are read
    if n_files > 3:
        expected.append((f"{n_files - 3} more files", "not read: a folder is read up to 3 files"))
    assert list(result.problems.itertuples(index=False, name=None)) == expected
    assert MAX_FILES == 10_000


@pytest.mark.parametrize("n_files", [3, 5])
def test_a_list_of_files_over_the_cap_is_reported(tmp_path, monkeypatch, n_files):
    monkeypatch.setattr("annotkit.submissions.MAX_FILES", 3)
    paths = [tmp_path / f"{n}.json" for n in range(n_files)]
    for path in paths:
        path.write_text("{}", encoding="utf-8")
    problems = list(read_submissions(paths).problems.itertuples(index=False, name=None))
    assert problems[:3] == [(str(path), NOT_A_SUBMISSION) for path in paths[:3]]
    assert problems[3:] == ([("2 more files", "not read: at most 3 files are read at once")] if n_files > 3 else [])


def test_a_zip_over_the_cap_is_reported_file_by_file(tmp_path, monkeypatch):
    monkeypatch.setattr("annotkit.submissions.MAX_FILES", 2)
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for n in range(4):
            zipped.writestr(f"{n}.json", "{}")
    problems = list(read_submissions(archive).problems.itertuples(index=False, name=None))
    assert problems == [
        ("0.json", NOT_A_SUBMISSION),
        ("1.json", NOT_A_SUBMISSION),
        ("2.json", "not read: a zip is read up to 2 files"),
        ("3.json", "not read: a zip is read up to 2 files"),
    ]


def test_a_file_over_the_size_limit_is_reported_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr("annotkit.submissions.MAX_FILE_BYTES", 10)
    (tmp_path / "small.json").write_text("{" + " " * 8 + "}", encoding="utf-8")  # 10 bytes: read
    (tmp_path / "large.json").write_text("{" + " " * 9 + "}", encoding="utf-8")  # 11 bytes: not read
    problems = dict(read_submissions(tmp_path).problems.itertuples(index=False, name=None))
    assert problems == {
        "large.json": "the file is 11 bytes, over the limit of 10",
        "small.json": NOT_A_SUBMISSION,
    }


def test_a_zip_member_over_the_size_limit_is_reported_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr("annotkit.submissions.MAX_FILE_BYTES", 10)
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("small.json", "{" + " " * 8 + "}")
        zipped.writestr("large.json", "{" + " " * 9 + "}")
    problems = dict(read_submissions(archive).problems.itertuples(index=False, name=None))
    assert problems == {"large.json": "the file unpacks to more than 10 bytes", "small.json": NOT_A_SUBMISSION}


def test_a_list_of_files_and_a_missing_one(tmp_path):
    with work(tmp_path, "ana") as store:
        good = store.export_submission(tmp_path / "ana.json")
    result = read_submissions([good, tmp_path / "missing.json"])
    assert len(result.submissions) == 1
    assert result.problems.problem.tolist() == ["the file does not exist"]


def test_a_zip_that_is_not_a_zip(tmp_path):
    bad = tmp_path / "class.zip"
    bad.write_text("hello", encoding="utf-8")
    result = read_submissions(bad)
    assert result.problems.problem.iloc[0].startswith("not a readable zip file")


def test_an_empty_class_has_the_documented_columns(tmp_path):
    result = read_submissions(tmp_path)
    assert result.annotations.empty
    assert "annotation_id" in result.annotations.columns
    assert list(result.problems.columns) == ["submission", "problem"]
    assert list(result.reflections.columns)[-2:] == ["answer", "modified"]


def test_the_checksum_is_the_last_field_and_covers_every_byte_before_it(tmp_path):
    with work(tmp_path, "ana") as store:
        path = store.export_submission(tmp_path / "ana.json")
    data = path.read_bytes()
    assert data.rstrip().endswith(b"}")
    assert list(json.loads(data))[-1] == "checksum"
    flipped = data.replace(b'"Ana Ruiz"', '"Ana Ruíz"'.encode(), 1)  # one letter changed before the seal
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "flipped.json").write_bytes(flipped)
    (tmp_path / "class" / "ana.json").write_bytes(data)
    result = read_submissions(tmp_path / "class")
    assert result.submissions.submission.tolist() == ["ana.json"]
    assert result.problems.submission.tolist() == ["flipped.json"]


GOOD = {"annotation_id": "g", "layer": "actor", "label": "official", "entity": "Ana Ruiz", "start": 1, "end": 3}


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        ({**GOOD, "start": True},
         'article 1, annotation 2, field "start": should be a whole number or empty, not true'),
        ({**GOOD, "end": 3.0}, "annotation 2 has a start or end that is not a whole number (1, 3.0)"),
        ({**GOOD, "stance": 3}, 'article 1, annotation 2, field "stance": should be text or empty, not 3'),
        ({**GOOD, "text": {"a": 1}}, 'article 1, annotation 2, field "text": should be text or empty, not {"a": 1}'),
        ({**GOOD, "mood": "happy"}, "annotation 2 has fields its scheme does not declare: mood"),
        ({**GOOD, "Mood!": "happy"}, "article 1, annotation 2: fields annotkit does not know: 'Mood!'"),
        ({**GOOD, "layer": "speech"},
         "article 1, annotation 2, field \"layer\": 'speech' is not one of 'actor', 'claim', 'perspective'"),
        ({"label": "official"}, "article 1, annotation 2: 'annotation_id' is missing"),
        ("actor", 'article 1, annotation 2: should be an object ({...}), not "actor"'),
        ({**GOOD, "annotator": "y"}, "annotation 2 belongs to another annotator than the submission's"),
        ({**GOOD, "article_id": "elsewhere"},
         "annotation 2 says it is about another article than the one it is filed under"),
        ({**GOOD, "start": 5, "end": 2}, "annotation 2 has a start and end that do not make a span (5, 2)"),
        ({**GOOD, "annotator": "x", "start": None, "end": None, "stance": None}, None),
        ({"annotation_id": "p", "layer": "perspective", "label": "perspective", "entity": "Ana Ruiz"}, None),
    ],
)  # fmt: skip
def test_every_annotation_is_checked_and_the_first_bad_one_named(tmp_path, second, problem):
    # Anyone can compute a SHA-256: a valid seal does not make the contents trustworthy.
    (tmp_path / "x.json").write_bytes(seal(payload_v2([GOOD, second, GOOD])))
    result = read_submissions(tmp_path)
    assert result.problems.problem.tolist() == ([problem] if problem else [])
    assert len(result.annotations) == (0 if problem else 3)


def test_an_annotkit_0_1_file_is_still_read_and_its_article_recognised(tmp_path):
    article = annotkit.load_bundled_article()
    start = article.text.index("Lloyd Austin")
    legacy_id = "a" + article.text_sha256[:15]  # how annotkit 0.1 named the bundled article
    payload = {
        "format": "annotkit-submission", "format_version": 1, "annotator": "ana", "article_id": legacy_id,
        "article_sha256": article.text_sha256, "scheme": "annotkit-default", "scheme_version": "1.0",
        "exported": "2026-11-20T10:00:00.000+00:00",
        "annotations": [{"annotation_id": "old", "article_id": legacy_id, "annotator": "ana", "layer": "actor",
                         "label": "official", "start": start, "end": start + 12, "text": "Lloyd Austin",
                         "entity": "Lloyd Austin", "status": "ok"}],
    }  # fmt: skip
    (tmp_path / "ana.json").write_bytes(seal(payload))
    result = read_submissions(tmp_path)
    assert result.problems.empty
    assert result.annotations[["article_id", "entity"]].values.tolist() == [[article.article_id, "Lloyd Austin"]]


def test_a_file_from_a_newer_annotkit_says_so(tmp_path):
    (tmp_path / "x.json").write_bytes(seal(payload_v2([GOOD], format_version=3)))
    assert read_submissions(tmp_path).problems.problem.tolist() == [
        "made by a newer annotkit; upgrade annotkit to read it"
    ]


# --- never raises, whatever the bytes --------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
keys = st.sampled_from(["format", "format_version", "annotator", "exported", "articles", "checksum", "scheme",
                        "student_name", "draft", "annotations", "article_id", "article_sha256"])  # fmt: skip
near_submissions = st.dictionaries(keys, json_values, max_size=10).map(lambda d: {"format": "annotkit-submission", **d})
annotation = st.fixed_dictionaries(
    {"annotation_id": st.text(min_size=1, max_size=5), "layer": st.sampled_from(["actor", "claim", "x"]),
     "label": st.text(max_size=5)},
    optional={"start": json_values, "end": json_values, "entity": json_values, "note": json_values,
              "mood": json_values, "annotator": json_values, "status": json_values},
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_random_bytes_never_raise(tmp_path, data):
    (tmp_path / "x.json").write_bytes(data)
    result = read_submissions(tmp_path)
    assert len(result.problems) + len(result.submissions) >= 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=near_submissions)
def test_random_json_never_raises_even_when_sealed(tmp_path, payload):
    (tmp_path / "x.json").write_bytes(seal(payload))
    read_submissions(tmp_path)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(annotations=st.lists(annotation, max_size=4))
def test_random_annotations_never_raise_and_what_is_accepted_is_well_formed(tmp_path, annotations):
    (tmp_path / "x.json").write_bytes(seal(payload_v2(annotations)))
    result = read_submissions(tmp_path)
    for row in result.annotations.itertuples():
        assert row.layer in ("actor", "claim", "perspective")
        assert str(row.start) == "<NA>" or row.start < row.end


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(members=st.lists(st.tuples(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=12),
                                  st.binary(max_size=200)), max_size=4, unique_by=lambda m: m[0]),
       cut=st.integers(min_value=0, max_value=400))  # fmt: skip
def test_random_and_truncated_zips_never_raise(tmp_path, members, cut):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(f"{name}.json", data)
    raw = buffer.getvalue()
    (tmp_path / "class.zip").write_bytes(raw[: len(raw) - cut] if cut < len(raw) else raw)
    read_submissions(tmp_path / "class.zip")


def test_parse_submission_explains_the_first_problem():
    with pytest.raises(SubmissionError, match=re.escape("'articles' is missing")):
        parse_submission(seal({"format": "annotkit-submission", "format_version": 2, "annotator": "x",
                               "exported": "2026-11-23T10:00:00Z"}))  # fmt: skip


def test_handing_in_before_tagging_says_there_is_nothing_to_hand_in(tmp_path):
    store = annotkit.open_store(tmp_path / "s.sqlite", annotator="ana")
    with pytest.raises(annotkit.SubmissionError, match="ana has not tagged anything yet"):
        store.export_submission(tmp_path / "ana.json")


def _version_1(annotations, **changes):
    article = annotkit.load_bundled_article()
    payload = {
        "format": "annotkit-submission", "format_version": 1, "annotator": "ana",
        "article_id": "a" + article.text_sha256[:15], "article_sha256": article.text_sha256,
        "scheme": "annotkit-default", "scheme_version": "1.0", "exported": "2026-11-20T10:00:00.000+00:00",
        "annotations": annotations,
    }  # fmt: skip
    payload.update(changes)
    return {k: v for k, v in payload.items() if v is not None}


def test_an_annotkit_0_1_file_reads_as_a_final_hand_in_of_its_scheme():
    parsed = parse_submission(seal(_version_1([])))
    assert parsed.payload["draft"] is False
    assert parsed.payload["student_name"] is None
    assert parsed.payload["scheme"] == {
        "name": "annotkit-default",
        "attributes": list(annotkit.records.default_attributes()),
    }
    assert parse_submission(seal(_version_1([], scheme=None))).payload["scheme"]["name"] == ""


def test_an_annotkit_0_1_file_with_a_malformed_annotation_names_it():
    with pytest.raises(SubmissionError, match=re.escape("annotation 1")):
        parse_submission(seal(_version_1(["not an annotation"])))


def test_an_unreadable_bundled_article_does_not_stop_recognising_a_0_1_file(monkeypatch):
    import annotkit.article

    real = annotkit.article.load_article
    seen = []

    def first_fails(path, *args, **kwargs):
        seen.append(path)
        if len(seen) == 1:
            raise annotkit.ArticleError("unreadable")
        return real(path, *args, **kwargs)

    bundled = annotkit.load_bundled_article()
    data = seal(_version_1([]))
    monkeypatch.setattr(annotkit.article, "load_article", first_fails)
    assert sorted(annotkit._data.data_path("articles").glob("*.txt"))[0].stem != bundled.article_id
    parsed = parse_submission(data)
    assert parsed.payload["articles"][0]["article_id"] == bundled.article_id


def test_a_hand_in_holds_the_annotators_own_work_on_that_article_and_nothing_else(tmp_path):
    with work(tmp_path, "ana", entities=("Ana Ruiz", "the mayor")) as store:
        store.reflect(ARTICLE, "02-named", "Only the mayor is named.", question="Who is named?")
        store.reflect(OTHER, "02-named", "A senator.", question="Who is named?")
        with work(tmp_path, "ben") as ben:
            ben.reflect(ARTICLE, "02-named", "Ben's answer.", question="Who is named?")
        # export_submission itself, as hand_in calls it: a final hand-in unless asked for a draft
        path = annotkit.submissions.export_submission(store, tmp_path / "ana.json", article_id="storm")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["draft"] is False
    scheme = annotkit.load_scheme()
    assert payload["scheme"] == {"name": scheme.name, "version": scheme.version,
                                 "attributes": list(scheme.attribute_names)}  # fmt: skip
    [article] = payload["articles"]
    assert article["origins"] == {"python": 2}
    assert [r["answer"] for r in article["reflections"]] == ["Only the mayor is named."]
    for annotation in article["annotations"]:  # the file says whose and which article once, not per annotation
        assert "annotator" not in annotation and "article_id" not in annotation
        assert None not in annotation.values() and "note" not in annotation  # no empty fields either


def test_a_hand_in_from_jupyterlite_names_the_student_and_only_for_their_own_work(tmp_path):
    store = annotkit.open_store(tmp_path / "s.sqlite", annotator="web_user")
    store.set_student_name("Ana Ruiz")
    start = ARTICLE.text.index("Mayor Ana Ruiz")
    store.add(ARTICLE, layer="actor", label="official", start=start, end=start + 14, entity="Ana Ruiz")
    mine = json.loads(store.export_submission(tmp_path / "ana.json").read_text(encoding="utf-8"))
    assert (mine["annotator"], mine["student_name"]) == ("Ana Ruiz", "Ana Ruiz")
    store.close()
    # A teacher opening the same file hands in the web_user's work, not under the teacher's own name.
    teacher = annotkit.open_store(tmp_path / "s.sqlite", annotator="tess")
    teacher.set_student_name("Tess Teacher")
    theirs = json.loads(teacher.export_submission(tmp_path / "x.json", annotator="web_user").read_text("utf-8"))
    teacher.close()
    assert (theirs["annotator"], theirs["student_name"]) == ("web_user", None)


def test_work_restored_without_its_text_is_handed_in_with_its_own_text_version(tmp_path):
    from annotkit.handin import restore

    store = annotkit.open_store(tmp_path / "s.sqlite", annotator="ana")
    restore(store, parse_submission(seal(payload_v2([GOOD]))).payload)  # as an annotkit 0.1 file brings it
    payload = json.loads(store.export_submission(tmp_path / "ana.json").read_text(encoding="utf-8"))
    store.close()
    [article] = payload["articles"]
    assert (article["article_id"], article["text"], article["text_sha256"]) == ("storm", None, "0" * 64)
    assert [a["annotation_id"] for a in article["annotations"]] == ["g"]


def test_a_hand_in_holds_the_work_on_its_text_not_on_another_article_of_the_same_name(tmp_path):
    other_storm = annotkit.Article.from_text("Budget Vote Delayed\n\nThe council met. Nobody voted today.",
                                             source="storm.txt")  # fmt: skip
    assert other_storm.article_id == ARTICLE.article_id
    with work(tmp_path, "ana") as store:
        start = other_storm.text.index("The council")
        store.add(other_storm, layer="actor", label="official", start=start, end=start + 11, entity="council")
        payload = json.loads(store.export_submission(tmp_path / "ana.json").read_text(encoding="utf-8"))
    [article] = payload["articles"]
    assert article["text"] == other_storm.text
    assert [a["text"] for a in article["annotations"]] == ["The council"]


@pytest.mark.parametrize(
    "name", ["..\\..\\escape.json", "\\abs.json", "C:/escape.json", "C:\\escape.json", "class/..\\..\\x.json"]
)
def test_a_zip_entry_named_as_on_windows_cannot_point_outside_the_zip(tmp_path, name):
    with work(tmp_path, "ana") as store:
        good = store.export_submission(tmp_path / "ana.json").read_bytes()
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(name, good)
    result = read_submissions(archive)
    assert result.submissions.empty
    assert result.problems.values.tolist() == [[name, "refused: the name points outside the zip (path traversal)"]]


def test_what_is_not_a_hand_in_in_a_zip_is_skipped_and_reading_goes_on(tmp_path):
    with work(tmp_path, "ana") as store:
        good = store.export_submission(tmp_path / "ana.json").read_bytes()
    archive = tmp_path / "class.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("README.txt", "the class of 9B")  # first in the zip
        zf.writestr("class/.ipynb_checkpoints/ana-checkpoint.json", good)
        zf.writestr("__MACOSX/class/._ana.json", b"\x00\x05\x16\x07")
        zf.writestr("__MACOSX/class/ana.json", good)  # a Mac's copy: never the student's hand-in
        zf.writestr("class/ana.json", good)
    result = read_submissions(archive)
    assert result.submissions.submission.tolist() == ["class/ana.json"]
    assert result.problems.empty


def _damage_member(raw: bytes, *, flag: int = 0, crc: bool = False) -> bytes:
    """A one-member zip with its general-purpose flag set (1: encrypted) or its CRC wrong, in both headers."""
    data = bytearray(raw)
    for signature, flag_at, crc_at in ((b"PK\x03\x04", 6, 14), (b"PK\x01\x02", 8, 16)):
        at = data.find(signature)
        data[at + flag_at] |= flag
        if crc:
            data[at + crc_at] ^= 0xFF
    return bytes(data)


@pytest.mark.parametrize(
    ("damage", "start"),
    [({"crc": True}, "this file in the zip is damaged"), ({"flag": 1}, "this file in the zip cannot be unpacked")],
)
def test_a_problem_with_a_zip_member_is_told_in_at_most_300_characters(tmp_path, damage, start):
    name = "class/" + "a" * 400 + ".json"  # the error repeats the member's name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(name, '{"format": "annotkit-submission"}')
    archive = tmp_path / "class.zip"
    archive.write_bytes(_damage_member(buffer.getvalue(), **damage))
    [problem] = read_submissions(archive).problems.problem.tolist()
    assert problem.startswith(start)
    assert len(problem) == 300


def test_a_zip_bomb_is_read_no_further_than_the_size_limit(tmp_path, monkeypatch):
    import tracemalloc

    monkeypatch.setattr("annotkit.submissions.MAX_FILE_BYTES", 1_000)
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf, zf.open("ana.json", "w") as member:
        for _ in range(20):
            member.write(b" " * 1_000_000)  # 20 MB of spaces: about 20 KB in the zip
    read_submissions(archive)  # once first, so that what it imports is not counted
    tracemalloc.start()
    try:
        problems = read_submissions(archive).problems.problem.tolist()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems == ["the file unpacks to more than 1,000 bytes"]
    assert peak < 5_000_000  # never the 20 MB the member unpacks to


def test_a_file_given_alone_is_read_under_its_own_name(tmp_path):
    with work(tmp_path, "ana") as store:
        path = store.export_submission(tmp_path / "class" / "ana.json")
    assert read_submissions(path).submissions.submission.tolist() == ["ana.json"]


def test_a_file_whose_article_text_does_not_match_its_version_is_refused(tmp_path):
    with work(tmp_path, "ana") as store:
        payload = parse_submission(store.export_submission(tmp_path / "ana.json").read_bytes()).payload
    payload["articles"][0]["text"] += " One sentence more."
    (tmp_path / "class").mkdir()
    (tmp_path / "class" / "ana.json").write_bytes(seal(payload))
    assert read_submissions(tmp_path / "class").problems.problem.tolist() == [
        "the text of the article 'storm' does not match its text_sha256"
    ]


def test_a_file_without_a_scheme_is_read(tmp_path):
    payload = payload_v2([{**GOOD, "mood": "calm"}])
    del payload["scheme"]  # the schema lets it out: nothing then says which fields to expect
    (tmp_path / "x.json").write_bytes(seal(payload))
    result = read_submissions(tmp_path)
    assert result.problems.empty
    assert result.annotations.entity.tolist() == ["Ana Ruiz"]


@pytest.mark.parametrize(
    ("annotation", "problem"),
    [
        ({**GOOD, "start": 3, "end": 3}, "annotation 1 has a start and end that do not make a span (3, 3)"),
        (
            {**GOOD, "mood": "calm", "colour": "red"},
            "annotation 1 has fields its scheme does not declare: colour, mood",
        ),
    ],
)
def test_an_empty_span_or_undeclared_fields_are_refused(tmp_path, annotation, problem):
    (tmp_path / "x.json").write_bytes(seal(payload_v2([annotation])))
    assert read_submissions(tmp_path).problems.problem.tolist() == [problem]


def test_an_annotation_with_every_field_its_scheme_declares_is_read(tmp_path):
    every = dict.fromkeys(annotkit.records.BASE_COLUMNS, "x")
    every.update(GOOD, annotator="x", article_id="storm", status="ok", origin="browser",
                 created="2026-11-23T10:00:00Z", modified="2026-11-23T10:00:00Z", stance="support")  # fmt: skip
    (tmp_path / "x.json").write_bytes(seal(payload_v2([every])))
    result = read_submissions(tmp_path)
    assert result.problems.empty
    assert result.annotations.stance.tolist() == ["support"]


def test_a_file_whose_checksum_is_not_at_the_end_is_refused(tmp_path):
    payload = json.loads(seal(payload_v2([GOOD])))
    moved = {"checksum": payload.pop("checksum"), **payload}  # the same fields, the checksum first
    (tmp_path / "x.json").write_text(json.dumps(moved), encoding="utf-8")
    assert read_submissions(tmp_path).problems.problem.tolist() == [
        "the checksum does not match: the file was changed after it was exported"
    ]


def test_an_annotkit_0_1_file_without_a_format_version_is_read_as_one(tmp_path):
    payload = _version_1([])
    del payload["format_version"]  # annotkit 0.1 did not always write it
    assert parse_submission(seal(payload)).payload["format_version"] == 2


def test_the_hand_in_file_is_readable_in_a_text_editor(tmp_path):
    with work(tmp_path, "zoë", entities=("Zoë Ruiz",)) as store:
        data = store.export_submission(tmp_path / "zoë.json").read_bytes()
    text = data.decode("utf-8")
    lines = text.splitlines()
    assert lines[:3] == ["{", ' "format": "annotkit-submission",', ' "format_version": 2,']  # a field a line
    assert ' "annotator": "zoë",' in lines and '     "entity": "Zoë Ruiz"' in lines  # names as typed, not \u00eb
    assert lines[-4:] == ["  }", " ],", f' "checksum": "{json.loads(data)["checksum"]}"', "}"]


def test_who_handed_in_what_and_how_is_told_in_the_class_tables(tmp_path):
    annotations = [{**GOOD, "annotation_id": "a"}, {**GOOD, "annotation_id": "b", "origin": "browser"},
                   {**GOOD, "annotation_id": "c", "origin": "python"}]  # fmt: skip
    reflections = [{"question_id": "02-named", "question": "Who is named?", "answer": "The mayor.",
                    "modified": "2026-11-23T10:00:00Z"}]  # fmt: skip
    for annotator in ("x", "y"):
        payload = payload_v2(annotations, annotator=annotator)
        payload["articles"][0].update(title="Storm Hits Coast", reflections=reflections)
        (tmp_path / f"{annotator}.json").write_bytes(seal(payload))
    result = read_submissions(tmp_path)
    assert result.problems.empty
    # an annotation from a file without "origin" (annotkit 0.1) counts as made by code
    assert result.submissions[["annotator", "title", "n_annotations", "n_by_code"]].values.tolist() == [
        ["x", "Storm Hits Coast", 3, 2],
        ["y", "Storm Hits Coast", 3, 2],
    ]
    assert result.reflections.values.tolist() == [
        [f"{a}.json", a, "Xu", "storm", "02-named", "Who is named?", "The mayor.", "2026-11-23T10:00:00Z"]
        for a in ("x", "y")
    ]
    assert list(result.reflections.columns) == [
        "submission",
        "annotator",
        "student_name",
        "article_id",
        "question_id",
        "question",
        "answer",
        "modified",
    ]


def test_the_latest_hand_ins_keep_the_columns_and_numbering_of_every_hand_in(tmp_path):
    folder = tmp_path / "class"
    with work(tmp_path, "ana") as store:
        store.export_submission(folder / "ana-1.json")
        store.export_submission(folder / "ana-2.json")
    result = read_submissions(folder)
    assert len(result.all_annotations) == 2 and len(result.annotations) == 1
    assert list(result.annotations.columns) == list(result.all_annotations.columns)
    assert result.annotations.index.tolist() == [0]


def test_a_file_that_cannot_be_read_is_one_problem_said_plainly(tmp_path, monkeypatch):
    with work(tmp_path, "ana") as store:
        path = store.export_submission(tmp_path / "ana.json")

    def refused(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(type(path), "read_bytes", refused)
    assert read_submissions([path]).problems.problem.tolist() == ["the file cannot be read (Permission denied)"]


def test_a_file_that_breaks_the_reader_is_one_problem_naming_the_error(tmp_path, monkeypatch):
    with work(tmp_path, "ana") as store:
        path = store.export_submission(tmp_path / "ana.json")

    def broken(payload):
        raise KeyError("articles")

    monkeypatch.setattr("annotkit.submissions._check_consistency", broken)
    result = read_submissions([path])
    assert result.problems.values.tolist() == [[str(path), "the file could not be read (KeyError)"]]


def test_handing_in_someone_elses_work_is_not_handing_in_your_own(tmp_path):
    with work(tmp_path, "ben"):
        pass
    store = annotkit.open_store(tmp_path / "store.sqlite", annotator="ana")
    with pytest.raises(annotkit.SubmissionError, match="ana has not tagged anything yet"):
        store.export_submission(tmp_path / "ana.json")
    store.close()


def test_reflections_alone_are_handed_in_with_the_version_of_their_article(tmp_path):
    store = annotkit.open_store(tmp_path / "s.sqlite", annotator="ana")
    store.reflect(OTHER, "02-named", "A senator.", question="Who is named?")
    [article] = json.loads(store.export_submission(tmp_path / "ana.json").read_text(encoding="utf-8"))["articles"]
    store.close()
    assert (article["text_sha256"], article["text"], article["annotations"]) == (OTHER.text_sha256, OTHER.text, [])


def test_restored_reflections_without_a_text_say_the_empty_texts_version(tmp_path):
    from annotkit.handin import restore

    payload = payload_v2([])
    payload["articles"][0]["reflections"] = [
        {"question_id": "02-named", "question": "Who?", "answer": "The mayor.", "modified": "2026-11-23T10:00:00Z"}
    ]
    store = annotkit.open_store(tmp_path / "s.sqlite", annotator="ana")
    restore(store, parse_submission(seal(payload)).payload)
    [article] = json.loads(store.export_submission(tmp_path / "ana.json").read_text(encoding="utf-8"))["articles"]
    store.close()
    assert (article["text"], article["text_sha256"]) == (None, hashlib.sha256(b"").hexdigest())
    assert [r["answer"] for r in article["reflections"]] == ["The mayor."]


def test_a_class_read_says_what_it_holds_when_shown(tmp_path):
    folder = tmp_path / "class"
    with work(tmp_path, "ana", entities=("Ana Ruiz", "the mayor")) as store:
        store.export_submission(folder / "ana-1.json")
        store.export_submission(folder / "ana-2.json")
    (folder / "notes.json").write_text("not a hand-in", encoding="utf-8")
    assert repr(read_submissions(folder)) == "Submissions(2 accepted, 1 refused, 2 annotations from the latest of each)"
    (tmp_path / "empty").mkdir()
    assert repr(read_submissions(tmp_path / "empty")) == (
        "Submissions(0 accepted, 0 refused, 0 annotations from the latest of each)"
    )
