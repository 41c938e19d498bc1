import json
import os
import re
import stat

import pytest

import annotkit
from annotkit import SubmissionError
from annotkit.handin import HANDIN_DIR_ENV, hand_in, import_submission, safe_file_name
from annotkit.submissions import read_submissions

ARTICLE = annotkit.Article.from_text(
    'Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild. "We will rebuild," Ruiz said.', source="storm.txt"
)


@pytest.fixture
def store(tmp_path):
    with annotkit.open_store(tmp_path / "work.sqlite", annotator="ana") as opened:
        yield opened


def tag(store, words, entity, **extra):
    start = ARTICLE.text.index(words)
    return store.add(ARTICLE, layer="actor", label="official", start=start, end=start + len(words), entity=entity,
                     **extra)  # fmt: skip


def some_work(store):
    tag(store, "Mayor Ana Ruiz", "Ana Ruiz", note="The mayor speaks for the city.")
    tag(store, "Ruiz", "Ana Ruiz")
    start = ARTICLE.text.index("We will rebuild")
    store.add(ARTICLE, layer="claim", label="claim", start=start, end=start + 15, said_by="Ana Ruiz",
              form="direct_quote", origin="browser")  # fmt: skip
    store.add(ARTICLE, layer="perspective", label="perspective", entity="Ana Ruiz", stance="support",
              rationale="She promises to rebuild.")  # fmt: skip
    store.reflect(ARTICLE, "02-named", "Only the mayor is named.", question="Who is named?")
    store.reflect(ARTICLE, "02-empty", "", question="Left blank")


def test_hand_in_writes_one_named_file_and_says_what_went_in(store, tmp_path):
    some_work(store)
    receipt = hand_in(store, name="  Ana Ruiz ", folder=tmp_path / "mine")
    assert receipt.path == tmp_path / "mine" / "Ana_Ruiz.json"
    assert receipt.message == (
        "Handed in: 2 actor tags, 1 claim, 1 perspective, 1 reflection, 1 note — download it and give it to your "
        "teacher."
    )
    payload = json.loads(receipt.path.read_bytes())
    assert payload["student_name"] == "Ana Ruiz"  # inside the file, not only in its name
    assert store.student_name == "Ana Ruiz"  # remembered for every later notebook
    again = hand_in(store, folder=tmp_path / "mine")  # no name needed the second time
    assert again.path == receipt.path


def test_hand_in_without_a_name_or_without_work_says_what_to_do(store, tmp_path):
    with pytest.raises(SubmissionError) as raised:
        hand_in(store, folder=tmp_path)
    assert str(raised.value) == (
        "Type your name first (as your teacher knows you), so your teacher knows whose work this is."
    )
    with pytest.raises(SubmissionError) as raised:
        hand_in(store, name="Ana", folder=tmp_path)
    assert str(raised.value) == (
        "There is nothing to hand in yet: you have not tagged anything or answered a reflection. "
        "Do the lesson's exercises, then hand in."
    )


def test_the_receipt_names_the_student_and_a_file_too_big_is_refused_by_its_size(store, tmp_path):
    some_work(store)
    receipt = hand_in(store, name="Ana Ruiz", folder=tmp_path / "mine")
    assert receipt.name == "Ana Ruiz"
    limit = tmp_path / "limit.json"
    limit.write_bytes(b" " * 5_000_000)  # exactly the limit: read, and refused for what it holds, not its size
    with annotkit.open_store(tmp_path / "new.sqlite", annotator="ana") as fresh:
        with pytest.raises(SubmissionError) as raised:
            import_submission(fresh, limit)
        assert "too big" not in str(raised.value)
        too_big = tmp_path / "too-big.json"
        too_big.write_bytes(b" " * 5_000_001)
        with pytest.raises(SubmissionError) as raised:
            import_submission(fresh, too_big)
    assert str(raised.value) == (
        "'too-big.json' is 5,000,001 bytes: too big to be a hand-in. Choose the .json file you handed in."
    )


def test_articles_are_named_by_title_never_by_hash(store, tmp_path):
    some_work(store)
    other = annotkit.Article.from_text("Another Headline Here\n\nSen. Bo Li spoke. Nothing else happened.")
    start = other.text.index("Bo Li")
    store.add(other, layer="actor", label="official", start=start, end=start + 5, entity="Bo Li")
    receipt = hand_in(store, name="Ana", folder=tmp_path)
    assert receipt.message.startswith("Handed in on 2 articles: 3 actor tags, 1 claim")
    assert set(receipt.counts) == {"Storm Hits Coast", "Another Headline Here"}


def test_a_class_inbox_gets_a_copy(store, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv(HANDIN_DIR_ENV, str(inbox))
    some_work(store)
    receipt = hand_in(store, name="Ana Ruiz", folder=tmp_path / "mine")
    assert receipt.inbox_path == inbox / "Ana_Ruiz.json"
    assert receipt.inbox_path.read_bytes() == receipt.path.read_bytes()
    assert receipt.message.endswith("A copy went to your class's hand-in folder, and you can download it too.")
    assert not list(inbox.glob(".*partial"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere, so a classmate's file cannot be protected")
def test_a_classmate_with_the_same_name_is_never_overwritten(store, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    taken = inbox / "Ana_Ruiz.json"
    taken.write_text("classmate", encoding="utf-8")
    taken.chmod(stat.S_IRUSR)
    inbox.chmod(stat.S_IRWXU | stat.S_ISVTX)
    monkeypatch.setenv(HANDIN_DIR_ENV, str(inbox))
    some_work(store)
    receipt = hand_in(store, name="Ana Ruiz", folder=tmp_path / "mine")
    assert taken.read_text(encoding="utf-8") == "classmate"
    assert receipt.inbox_path == inbox / "Ana_Ruiz-ana.json"


def test_a_missing_inbox_is_a_message_not_a_traceback(store, tmp_path, monkeypatch):
    monkeypatch.setenv(HANDIN_DIR_ENV, str(tmp_path / "nowhere"))
    some_work(store)
    receipt = hand_in(store, name="Ana", folder=tmp_path / "mine")
    assert receipt.inbox_path is None
    assert receipt.path.exists()
    assert receipt.message.endswith(
        "(your class's hand-in folder was not found, so no copy went there; tell your teacher)"
    )


def test_a_hand_in_reads_back_with_everything(store, tmp_path):
    some_work(store)
    receipt = hand_in(store, name="Ana Ruiz", folder=tmp_path / "class")
    result = read_submissions(tmp_path / "class")
    assert result.problems.empty
    assert sorted(result.annotations.layer) == ["actor", "actor", "claim", "perspective"]
    assert result.annotations.note.dropna().tolist() == ["The mayor speaks for the city."]
    assert result.reflections.answer.tolist() == ["Only the mayor is named.", ""]
    assert result.submissions.student_name.tolist() == ["Ana Ruiz"]
    assert receipt.path.name == "Ana_Ruiz.json"


def test_restoring_a_hand_in_into_a_new_session_brings_back_everything(store, tmp_path):
    some_work(store)
    receipt = hand_in(store, name="Ana Ruiz", folder=tmp_path / "mine")
    before = store.annotations(ARTICLE)
    with annotkit.open_store(tmp_path / "new-session.sqlite", annotator="jovyan") as fresh:
        report = fresh.import_submission(receipt.path)
        assert report.message == "Restored 4 tags and 2 reflections on “Storm Hits Coast”."
        after = fresh.annotations(ARTICLE)
        columns = ["annotation_id", "layer", "label", "start", "end", "text", "note", "origin", "entity", "said_by"]
        assert after[columns].equals(before[columns])
        assert set(after.annotator) == {"jovyan"}  # restored as this session's own work
        assert fresh.student_name == "Ana Ruiz"
        assert fresh.reflections(ARTICLE).answer.tolist() == ["Only the mayor is named.", ""]
        assert fresh.undo(article=ARTICLE, layer="actor") is None  # restored work is not undone by Ctrl+Z
        again = import_submission(fresh, receipt.path)
        assert (again.added, again.skipped) == (0, 4)
        assert again.message == "Nothing new in that file: your store already has all 4 of its tags."


def test_a_newer_reflection_is_not_overwritten_by_an_older_hand_in(store, tmp_path):
    some_work(store)
    receipt = hand_in(store, name="Ana", folder=tmp_path)
    store.reflect(ARTICLE, "02-named", "A better answer, written later.", question="Who is named?")
    import_submission(store, receipt.path)
    assert store.reflections(ARTICLE).set_index("question_id").answer["02-named"] == "A better answer, written later."


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "'bad.json' cannot be restored: not valid JSON"),
        (b'{"grades": 1}', "'bad.json' cannot be restored: not an annotkit submission"),
    ],
)
def test_restoring_a_wrong_file_says_what_to_choose(store, tmp_path, content, problem):
    (tmp_path / "bad.json").write_bytes(content)
    with pytest.raises(SubmissionError, match=re.escape(problem)) as raised:
        store.import_submission(tmp_path / "bad.json")
    assert str(raised.value).endswith("Choose the .json file you handed in.")
    with pytest.raises(SubmissionError, match=re.escape("There is no file at")):
        store.import_submission(tmp_path / "missing.json")


def test_safe_file_names():
    assert safe_file_name("Ana Ruiz") == "Ana_Ruiz"
    assert safe_file_name("José Peña") == "José_Peña"
    assert safe_file_name("a/b\\c:d*e?") == "abcde"
    assert safe_file_name("...") == "student"
    assert safe_file_name("Ana " * 40) == ("Ana_" * 20)[:80]  # at most 80 characters


def test_a_draft_never_replaces_a_final_hand_in(store, tmp_path):
    some_work(store)
    final = hand_in(store, name="Ana Ruiz", folder=tmp_path)
    tag(store, "Ruiz said", "Ana Ruiz")  # more work after handing in ...
    draft = hand_in(store, folder=tmp_path, draft=True)  # ... saved as a draft, automatically or by hand
    assert (final.path.name, draft.path.name) == ("Ana_Ruiz.json", "Ana_Ruiz.draft.json")
    assert draft.message.startswith("Saved a draft: 3 actor tags")
    result = read_submissions(tmp_path)
    latest = result.submissions.set_index("submission")
    assert latest.latest.to_dict() == {"Ana_Ruiz.draft.json": False, "Ana_Ruiz.json": True}  # the final counts
    assert latest.draft.to_dict() == {"Ana_Ruiz.draft.json": True, "Ana_Ruiz.json": False}


def _everything(store):
    frame = store.annotations(include_removed=True).drop(columns=["annotator"])
    return frame.sort_values("annotation_id").reset_index(drop=True)


def test_restoring_keeps_every_column_to_the_letter(store, tmp_path):
    some_work(store)
    tag(store, "We will rebuild", "Ruiz 🎉 «José»", note="Ünïcode stays as it is ✓")
    receipt = hand_in(store, name="Ana Ruiz", folder=tmp_path / "mine")
    with annotkit.open_store(tmp_path / "new.sqlite", annotator="jovyan") as fresh:
        report = fresh.import_submission(receipt.path)
        assert report.handed_in_by == "Ana Ruiz"
        assert _everything(fresh).equals(_everything(store))  # prefix, suffix, status, origin, created, modified ...
        assert fresh.article_text("storm") == ARTICLE.text
        assert fresh.article_title("storm") == "Storm Hits Coast"
        reflections = fresh.reflections(ARTICLE).drop(columns=["annotator"]).reset_index(drop=True)
        assert reflections.equals(store.reflections(ARTICLE).drop(columns=["annotator"]).reset_index(drop=True))
        raw = fresh._db.execute("SELECT attributes FROM annotations WHERE note LIKE 'Ünïcode%'").fetchone()[0]
        assert "🎉 «José»" in raw  # stored as written, not as \\u escapes
        history = fresh._db.execute("SELECT DISTINCT action, origin FROM history ORDER BY origin").fetchall()
        assert history == [("import", "browser"), ("import", "python")]


def _payload_file(tmp_path, annotation, **article):
    """A hand-in written by hand, with only the fields a hand-in must have."""
    from annotkit.submissions import seal

    payload = {
        "format": "annotkit-submission", "format_version": 2, "annotator": "ben", "student_name": None,
        "exported": "2026-12-01T10:00:00.000Z", "draft": False,
        "scheme": {"name": "annotkit-default", "attributes": ["entity"]},
        "articles": [{"article_id": "storm", "text_sha256": ARTICLE.text_sha256, "annotations": [annotation],
                      **article}],
    }  # fmt: skip
    path = tmp_path / "ben.json"
    path.write_bytes(seal(payload))
    return path


def test_restoring_fills_what_a_hand_in_leaves_out(store, tmp_path):
    start = ARTICLE.text.index("Ana Ruiz")
    path = _payload_file(
        tmp_path,
        {"annotation_id": "b1", "layer": "actor", "label": "official", "start": start, "end": start + 8,
         "text": "Ana Ruiz", "entity": "Ana Ruiz"},
    )  # fmt: skip
    report = import_submission(store, path)
    assert (report.added, report.reflections, report.handed_in_by, report.articles) == (1, 0, "ben", ["storm"])
    row = store.rows("storm")[0]
    assert (row["status"], row["origin"]) == ("ok", "python")
    assert row["created"] == row["modified"]  # no time given: both are the time of the restore
    assert row["created"] > "2026"
    assert store.student_name is None
    assert store._db.execute("SELECT origin FROM history").fetchall() == [("python",)]


def test_restoring_keeps_the_times_a_hand_in_gives(store, tmp_path):
    start = ARTICLE.text.index("Ana Ruiz")
    path = _payload_file(
        tmp_path,
        {"annotation_id": "b1", "layer": "actor", "label": "official", "start": start, "end": start + 8,
         "text": "Ana Ruiz", "entity": "Ana Ruiz", "status": "orphaned", "origin": "browser",
         "prefix": "Mayor ", "suffix": " said", "created": "2026-01-01T00:00:00.000Z",
         "modified": "2026-01-02T00:00:00.000Z"},
        title="Storm Hits Coast",
        reflections=[{"question_id": "q1", "answer": "Yes.", "modified": "2026-01-03T00:00:00.000Z"}],
    )  # fmt: skip
    report = import_submission(store, path)
    assert report.reflections == 1
    row = store._db.execute(
        "SELECT status, origin, prefix, suffix, created, modified FROM annotations WHERE annotation_id = 'b1'"
    ).fetchone()
    assert row == ("orphaned", "browser", "Mayor ", " said", "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z")
    assert store.article_text("storm") is None  # the file carried no text
    assert store.reflections().set_index("question_id").loc["q1", ["question", "answer", "modified"]].tolist() == [
        "", "Yes.", "2026-01-03T00:00:00.000Z"
    ]  # fmt: skip


def test_a_restored_reflection_replaces_an_older_different_answer(store, tmp_path, monkeypatch):
    monkeypatch.setattr("annotkit.store.now", lambda: "2026-01-01T00:00:00.000Z")
    store.reflect(ARTICLE, "q1", "An early answer.", question="Why?")
    start = ARTICLE.text.index("Ana Ruiz")
    annotation = {"annotation_id": "b1", "layer": "actor", "label": "official", "start": start, "end": start + 8,
                  "text": "Ana Ruiz", "entity": "Ana Ruiz"}  # fmt: skip
    later = {
        "question_id": "q1",
        "question": "Why?",
        "answer": "A later answer.",
        "modified": "2026-02-01T00:00:00.000Z",
    }
    same_time = {**later, "answer": "Written at the same moment.", "modified": "2026-02-01T00:00:00.000Z"}
    assert import_submission(store, _payload_file(tmp_path, annotation, reflections=[later])).reflections == 1
    assert store.reflections().answer.tolist() == ["A later answer."]
    # The store's answer is as new as the file's: the store's is kept (and the file's goes into the history).
    assert import_submission(store, _payload_file(tmp_path, annotation, reflections=[same_time])).reflections == 0
    assert store.reflections().answer.tolist() == ["A later answer."]
    history = store._db.execute("SELECT answer FROM reflection_history ORDER BY seq").fetchall()
    assert [a for (a,) in history] == ["An early answer.", "A later answer.", "Written at the same moment."]


def test_a_student_name_already_typed_is_kept_when_restoring(store, tmp_path):
    some_work(store)
    receipt = hand_in(store, name="Ana Ruiz", folder=tmp_path / "mine")
    with annotkit.open_store(tmp_path / "new.sqlite", annotator="jovyan") as fresh:
        fresh.set_student_name("Ana R.")
        assert fresh.import_submission(receipt.path).handed_in_by == "Ana Ruiz"
        assert fresh.student_name == "Ana R."
