"""The reflection box and the hand-in widget, driven from Python as the browser drives them."""

import json

import pytest

import annotkit
from annotkit.widgets import ActorTagger, ClaimTagger, HandIn, PerspectiveBoard, Reflection

QUESTION = "Why might an official speak without giving a name?"


@pytest.fixture
def store(tmp_path):
    store = annotkit.open_store(tmp_path / "work.sqlite", annotator="ana")
    yield store
    store.close()


def send(widget, buffers=(), **content):
    widget._on_browser_message(widget, content, list(buffers))


def recorded(widget):
    messages = []
    widget.send = lambda content, buffers=None: messages.append((content, buffers))
    return messages


# --- Reflection -------------------------------------------------------------------------------------------


def test_an_answer_typed_in_the_box_is_saved_and_comes_back(bundled, store, tmp_path):
    box = Reflection(bundled, "02-anonymous", QUESTION, store=store)
    assert (box.question, box.answer) == (QUESTION, "")
    send(box, event="save", text="To speak freely.", seq=1)
    send(box, event="save", text="To speak freely before the decision is announced.", seq=2)
    assert box.status["kind"] == "ok" and box.status["seq"] == 2 and box.status["text"].startswith("Saved at ")
    again = Reflection(
        bundled, "02-anonymous", QUESTION, store=annotkit.open_store(tmp_path / "work.sqlite", annotator="ana")
    )
    assert again.answer == "To speak freely before the decision is announced."
    answers = store.reflections(bundled)
    assert answers[["question_id", "question", "answer"]].values.tolist()[-1] == [
        "02-anonymous",
        QUESTION,
        "To speak freely before the decision is announced.",
    ]


def test_another_notebooks_answer_is_shown_when_the_student_comes_back(bundled, store, tmp_path):
    here = Reflection(bundled, "q", QUESTION, store=store)
    there = Reflection(bundled, "q", QUESTION, store=annotkit.open_store(tmp_path / "work.sqlite", annotator="ana"))
    there.save("Written in the other notebook.")
    send(here, event="sync")
    assert here.answer == "Written in the other notebook."


def test_a_reflection_needs_a_question_and_a_bad_message_is_a_sentence(bundled, store):
    with pytest.raises(annotkit.AnnotationError, match="needs a question id as text"):
        Reflection(bundled, "", QUESTION, store=store)
    with pytest.raises(annotkit.AnnotationError, match="needs a question as text"):
        Reflection(bundled, "q", "  ", store=store)
    box = Reflection(bundled, "q", QUESTION, store=store)
    send(box, event="save", text=None)
    assert box.status["kind"] == "error" and "copy it, reload the page" in box.status["text"]


def test_an_answer_too_long_is_refused_in_words_and_nothing_is_lost(bundled, store):
    box = Reflection(bundled, "q", QUESTION, store=store)
    box.save("A first answer.")
    send(box, event="save", text="x" * 30_000, seq=3)
    assert box.status["kind"] == "error" and "30,000 characters" in box.status["text"]
    assert store.reflections(bundled)["answer"].tolist()[-1] == "A first answer."


# --- HandIn -----------------------------------------------------------------------------------------------


@pytest.fixture
def work(bundled, store):
    """A little of everything: two actor tags, a claim, a perspective, a reflection."""
    actors = ActorTagger(bundled, store=store)
    actors.tag("President Joe Biden", "official", note="He announces it.")
    actors.tag("Jen Psaki", "official")
    ClaimTagger(bundled, store=store).tag("This is a shift in mission", "claim", said_by="Jen Psaki")
    PerspectiveBoard(bundled, store=store).set("Joe Biden", stance="support")
    Reflection(bundled, "q", QUESTION, store=store).save("To speak freely.")
    return store


def test_the_button_asks_for_a_name_once_hands_in_and_sends_the_file_to_download(work, tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTKIT_HANDIN_DIR", raising=False)
    widget = HandIn(store=work, folder=tmp_path / "out")
    assert (widget.student_name, widget.inbox) == ("", False)
    messages = recorded(widget)
    send(widget, event="hand_in", name="Ana Ruiz")
    assert widget.status["kind"] == "ok"
    assert widget.status["text"] == (
        "Handed in: 2 actor tags, 1 claim, 1 perspective, 1 reflection, 1 note — download it and give it to your "
        "teacher."
    )
    assert (widget.student_name, work.student_name) == ("Ana Ruiz", "Ana Ruiz")  # remembered for every notebook
    [(message, buffers)] = messages
    path = tmp_path / "out" / "Ana_Ruiz.json"
    assert message == {"kind": "receipt", "filename": "Ana_Ruiz.json", "message": widget.status["text"],
                       "size": path.stat().st_size}  # fmt: skip
    assert buffers == [path.read_bytes()]  # the browser makes the download link from these bytes
    back = annotkit.read_submissions(path)
    assert back.problems.empty and back.submissions["student_name"].tolist() == ["Ana Ruiz"]
    assert len(back.annotations) == 4 and back.reflections["answer"].tolist() == ["To speak freely."]

    later = HandIn(store=work, folder=tmp_path / "out")  # another notebook: no need to type the name again
    assert later.student_name == "Ana Ruiz"
    send(later, event="hand_in", name=None)
    assert later.status["kind"] == "ok"


def test_a_class_folder_gets_a_copy(work, tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    monkeypatch.setenv("ANNOTKIT_HANDIN_DIR", str(inbox))
    widget = HandIn(store=work, folder=tmp_path / "out")
    assert widget.inbox is True
    receipt = widget.hand_in("Ana Ruiz")
    assert receipt.inbox_path is not None and receipt.inbox_path.parent == inbox
    assert "class's hand-in folder" in widget.status["text"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [(None, "name"), ("", "name")],
    ids=["no-name", "empty-name"],
)
def test_handing_in_without_a_name_says_so_without_a_traceback(work, tmp_path, name, expected):
    widget = HandIn(store=work, folder=tmp_path)
    assert widget.hand_in(name) is None
    assert widget.status["kind"] == "error" and expected in widget.status["text"].lower()
    assert "Traceback" not in widget.status["text"]


def test_handing_in_nothing_says_so(store, tmp_path):
    widget = HandIn(store=store, folder=tmp_path)
    send(widget, event="hand_in", name="Ana Ruiz")
    assert widget.status["kind"] == "error" and "nothing" in widget.status["text"].lower()


def test_a_folder_that_cannot_be_written_is_a_sentence(work, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    widget = HandIn(store=work, folder=blocker / "inside")
    assert widget.hand_in("Ana Ruiz") is None
    assert widget.status["kind"] == "error" and "Traceback" not in widget.status["text"]
    assert widget.status["text"].endswith("Your work so far is safe; try again, or ask your teacher.") or (
        "folder" in widget.status["text"].lower()
    )


def test_drafts_by_themselves_are_off_unless_the_teacher_turns_them_on(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no annotkit-class.json above this folder
    monkeypatch.delenv("ANNOTKIT_AUTO_HANDIN_MINUTES", raising=False)
    assert HandIn(store=store).auto_minutes == 0
    (tmp_path / "annotkit-class.json").write_text('{"auto_hand_in_minutes": 5}', encoding="utf-8")
    assert HandIn(store=store).auto_minutes == 5  # the course folder the teacher handed out says so
    monkeypatch.setenv("ANNOTKIT_AUTO_HANDIN_MINUTES", "0")
    assert HandIn(store=store).auto_minutes == 0  # the hub's setting wins
    assert HandIn(store=store, auto_minutes=2).auto_minutes == 2


def test_a_draft_goes_in_by_itself_only_when_the_work_changed(bundled, store, tmp_path):
    out = tmp_path / "out"
    widget = HandIn(store=store, folder=out, auto_minutes=5)
    draft = out / "Ana_Ruiz.draft.json"
    send(widget, event="auto_draft")
    assert not out.exists()  # no name yet: nothing goes anywhere, and nothing is said
    store.set_student_name("Ana Ruiz")
    send(widget, event="auto_draft")
    assert not draft.exists() and widget.status == {}  # nothing done yet: no draft, no message
    tagger = ActorTagger(bundled, store=store)
    tagger.tag("President Joe Biden", "official")
    send(widget, event="auto_draft")
    assert len(annotkit.read_submissions(draft).annotations) == 1
    assert widget.last_draft  # the note under the button says when
    written = draft.stat().st_mtime_ns
    send(widget, event="auto_draft")
    assert draft.stat().st_mtime_ns == written  # nothing changed: nothing is written
    Reflection(bundled, "q", QUESTION, store=store).save("To speak freely.")  # a reflection is a change too
    tagger.tag("Jen Psaki", "official")
    send(widget, event="auto_draft")
    back = annotkit.read_submissions(draft)
    assert len(back.annotations) == 2 and back.reflections["answer"].tolist() == ["To speak freely."]
    assert not (out / "Ana_Ruiz.json").exists()  # a draft is never the final hand-in
    assert widget.status == {}  # drafts are quiet
    tagger.undo()  # an undo changes the work too
    send(widget, event="auto_draft")
    assert len(annotkit.read_submissions(draft).annotations) == 1


def test_a_draft_that_fails_says_so_once_and_nothing_is_lost(work, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    work.set_student_name("Ana Ruiz")
    widget = HandIn(store=work, folder=blocker / "inside", auto_minutes=5)
    send(widget, event="auto_draft")
    assert widget.status["kind"] == "error" and "draft" in widget.status["text"]
    said = widget.status["n"]
    send(widget, event="auto_draft")
    assert widget.status["n"] == said  # not said again every few minutes
    assert len(work.annotations()) == 4


def test_restoring_a_hand_in_brings_everything_back_and_every_tagger_shows_it(bundled, work, tmp_path):
    receipt = HandIn(store=work, folder=tmp_path / "out").hand_in("Ana Ruiz")
    fresh = annotkit.open_store(tmp_path / "new-session.sqlite", annotator="ana")
    try:
        actors = ActorTagger(bundled, store=fresh)  # open before the restore, as in a new Binder session
        board = PerspectiveBoard(bundled, store=fresh)
        widget = HandIn(store=fresh)
        send(widget, buffers=[receipt.path.read_bytes()], event="restore", filename="Ana_Ruiz.json")
        assert widget.status["kind"] == "ok"
        assert widget.status["text"].startswith("Restored 4 tags and 1 reflection")
        assert widget.student_name == "Ana Ruiz" == fresh.student_name
        assert [s["text"] for s in actors.spans] == ["President Joe Biden", "Jen Psaki"]  # shown at once
        assert [r["entity"] for r in board.rows if r["values"]] == ["Joe Biden"]
        send(widget, buffers=[receipt.path.read_bytes()], event="restore", filename="Ana_Ruiz.json")
        assert widget.status["text"].startswith("Nothing new in that file")  # twice changes nothing
        assert len(fresh.annotations(bundled)) == 4
    finally:
        fresh.close()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "is empty"),
        (b"not json at all", "cannot be restored: not valid JSON"),
        (json.dumps({"format": "something else"}).encode(), "not an annotkit submission"),
    ],
    ids=["empty", "not-json", "not-a-hand-in"],
)
def test_restoring_a_file_that_is_no_hand_in_is_a_sentence(store, data, words):
    widget = HandIn(store=store)
    send(widget, buffers=[data], event="restore", filename="photo.json")
    assert widget.status["kind"] == "error"
    assert words in widget.status["text"] and "Traceback" not in widget.status["text"]
    assert store.annotations().empty
