import json
import re
import zipfile

import pytest

import annotkit
from annotkit import SubmissionError
from annotkit.submissions import MAX_FILE_BYTES, read_submissions, seal

ARTICLE = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild. Ruiz left.")


def work(tmp_path, annotator, entities=("Ana Ruiz",), store_name="store.sqlite"):
    store = annotkit.open_store(tmp_path / store_name, annotator=annotator)
    start = ARTICLE.text.index("Mayor Ana Ruiz")
    for entity in entities:
        store.add(ARTICLE, layer="actor", label="official", start=start, end=start + 14, entity=entity)
    return store


def test_export_writes_a_checked_portable_file(tmp_path):
    with work(tmp_path, "ana") as store:
        path = store.export_submission(tmp_path / "out" / "ana.json")
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["format"] == "annotkit-submission"
    assert (payload["annotator"], payload["article_id"]) == ("ana", ARTICLE.article_id)
    assert payload["scheme"] == "annotkit-default"
    assert len(payload["article_sha256"]) == 64
    assert payload["annotations"][0]["entity"] == "Ana Ruiz"
    assert not list((tmp_path / "out").glob("*.partial"))


def test_export_asks_which_article_when_there_are_several(tmp_path):
    other = annotkit.Article.from_text("Another Headline Here\n\nSen. Bo Li spoke. Nothing else happened.")
    with work(tmp_path, "ana") as store:
        start = other.text.index("Bo Li")
        store.add(other, layer="actor", label="official", start=start, end=start + 5, entity="Bo Li")
        with pytest.raises(SubmissionError, match=re.escape("ana has annotations on 2 articles (")):
            store.export_submission(tmp_path / "ana.json")
        store.export_submission(tmp_path / "ana.json", article_id=other.article_id)


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


def test_bad_files_are_reported_without_stopping(tmp_path):
    folder = tmp_path / "class"
    with work(tmp_path, "ana") as store:
        good = store.export_submission(folder / "ana.json")
    tampered = json.loads(good.read_text(encoding="utf-8"))
    tampered["annotations"][0]["entity"] = "Somebody Else"
    (folder / "tampered.json").write_text(json.dumps(tampered), encoding="utf-8")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    (folder / "other.json").write_text(json.dumps({"grades": [1, 2]}), encoding="utf-8")
    (folder / "huge.json").write_bytes(b" " * (MAX_FILE_BYTES + 1))
    result = read_submissions(folder)
    problems = dict(zip(result.problems.submission, result.problems.problem, strict=True))
    assert problems["tampered.json"] == "the checksum does not match: the file was changed after it was exported"
    assert problems["broken.json"].startswith("not valid JSON")
    assert problems["other.json"] == 'not an annotkit submission (no "format": "annotkit-submission")'
    assert problems["huge.json"].startswith("the file is 5,000,001 bytes, over the limit")
    assert result.annotations.annotator.tolist() == ["ana"]


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


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("entity", 5, "annotation 1 has an entity that is not text (int)"),
        ("label", ["official"], "annotation 1 has a label that is not text (list)"),
        ("start", "12", "annotation 1 has a start that is not a whole number"),
    ],
)
def test_a_sealed_file_with_fields_of_the_wrong_kind_is_refused(tmp_path, field, value, problem):
    # Anyone can compute a SHA-256: a valid seal does not make the contents trustworthy.
    payload = {
        "format": "annotkit-submission", "format_version": 1, "annotator": "x", "article_id": "a",
        "article_sha256": "0" * 64, "exported": "2026-11-23T10:00:00",
        "annotations": [
            {"layer": "actor", "label": "official", "entity": "Ana Ruiz", "start": 1, "end": 3, field: value}
        ],
    }  # fmt: skip
    (tmp_path / "x.json").write_bytes(seal(payload))
    result = read_submissions(tmp_path)
    assert result.annotations.empty
    assert result.problems.problem.tolist() == [problem]


GOOD = {"layer": "actor", "label": "official", "entity": "Ana Ruiz", "start": 1, "end": 3}


@pytest.mark.parametrize(
    ("second", "problem"),
    [
        ({**GOOD, "start": True}, "annotation 2 has a start that is not a whole number"),
        ({**GOOD, "end": 3.0}, "annotation 2 has an end that is not a whole number"),
        ({**GOOD, "stance": 3}, "annotation 2 has a stance that is not text (int)"),
        ({**GOOD, "text": {"a": 1}}, "annotation 2 has a text that is not text (dict)"),
        ({**GOOD, "mood": "happy"}, "annotation 2 has unknown fields: mood"),
        ({**GOOD, "layer": "speech"}, "annotation 2 is malformed (it needs a layer: actor, claim, perspective)"),
        ({"label": "official"}, "annotation 2 is malformed (it needs a layer: actor, claim, perspective)"),
        ("actor", "annotation 2 is malformed (it needs a layer: actor, claim, perspective)"),
        ({**GOOD, "annotator": "y"}, "annotation 2 belongs to another annotator than the submission's"),
        ({**GOOD, "annotator": None}, "annotation 2 belongs to another annotator than the submission's"),
        ({**GOOD, "annotator": "x", "start": None, "end": None, "stance": None}, None),
        ({"layer": "perspective", "entity": "Ana Ruiz", "stance": "support"}, None),
    ],
)
def test_every_annotation_is_checked_and_the_first_bad_one_named(tmp_path, second, problem):
    # Files are checked field by field, and row by row only to name the problem: both must agree.
    payload = {
        "format": "annotkit-submission", "format_version": 1, "annotator": "x", "article_id": "a",
        "article_sha256": "0" * 64, "exported": "2026-11-23T10:00:00", "annotations": [GOOD, second, GOOD],
    }  # fmt: skip
    (tmp_path / "x.json").write_bytes(seal(payload))
    result = read_submissions(tmp_path)
    assert result.problems.problem.tolist() == ([problem] if problem else [])
    assert len(result.annotations) == (0 if problem else 3)


def test_handing_in_before_tagging_says_there_is_nothing_to_hand_in(tmp_path):
    store = annotkit.open_store(tmp_path / "s.sqlite", annotator="ana")
    with pytest.raises(annotkit.SubmissionError, match="ana has not tagged anything yet"):
        store.export_submission(tmp_path / "ana.json")
