import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

import annotkit
from annotkit import AnnotationError, StoreError
from annotkit.records import BASE_COLUMNS
from annotkit.store import SCHEMA_VERSION, Undone, open_store


@pytest.fixture
def article():
    return annotkit.Article.from_text(
        'Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild. "We will rebuild," Ruiz said. '
        "Critics called the plan costly. 🎉 José Peña agreed."
    )


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "work.sqlite", annotator="ana") as opened:
        yield opened


def span(article, words, occurrence=1):
    at = -1
    for _ in range(occurrence):
        at = article.text.index(words, at + 1)
    return at, at + len(words)


def add_actor(store, article, words, entity, **extra):
    start, end = span(article, words)
    return store.add(article, layer="actor", label="official", start=start, end=end, entity=entity, **extra)


def test_add_saves_at_once_with_anchor_and_columns(store, article, tmp_path):
    annotation_id = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz", affiliation="other")
    with open_store(tmp_path / "work.sqlite", annotator="someone else") as other:
        frame = other.annotations()
    assert list(frame.columns) == [*BASE_COLUMNS, *store.scheme.attribute_names]
    row = frame.iloc[0]
    assert row.annotation_id == annotation_id
    assert (row.annotator, row.layer, row.label, row.status) == ("ana", "actor", "official", "ok")
    assert article.text[row.start : row.end] == row.text == "Mayor Ana Ruiz"
    assert row.prefix == "Storm Hits Coast\n\n"
    assert row.suffix == article.text[row.end : row.end + 32]
    assert (row.entity, row.affiliation) == ("Ana Ruiz", "other")


def test_offsets_are_code_points_with_emoji_and_accents(store, article):
    add_actor(store, article, "José Peña", "José Peña")
    row = store.annotations().iloc[0]
    assert article.text[row.start : row.end] == "José Peña"


def test_claim_said_by_must_name_a_tagged_actor(store, article):
    start, end = span(article, "the city would rebuild")
    msg = (
        "said_by='Ana Ruiz' names no actor you have tagged in this article. Tag the actor first, or choose one of "
        "your actors (none yet) or 'the journalist'."
    )
    with pytest.raises(AnnotationError, match=re.escape(msg)):
        store.add(article, layer="claim", label="claim", start=start, end=end, said_by="Ana Ruiz")
    add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    store.add(article, layer="claim", label="claim", start=start, end=end, said_by="Ana Ruiz", form="indirect")
    store.add(article, layer="claim", label="claim", start=start, end=end, said_by="the journalist")
    assert store.annotations(layer="claim").said_by.tolist() == ["Ana Ruiz", "the journalist"]


def test_perspective_is_about_a_tagged_entity_and_has_no_span(store, article):
    add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    store.add(
        article, layer="perspective", label="perspective", entity="Ana Ruiz", stance="support", evidence=["c1", "c2"]
    )
    row = store.annotations(layer="perspective").iloc[0]
    assert str(row.start) == "<NA>"
    assert row.evidence == "c1;c2"
    with pytest.raises(AnnotationError, match="is about an actor, not a span of text"):
        store.add(article, layer="perspective", label="perspective", start=0, end=5, entity="Ana Ruiz")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (5, 5, "The span start=5, end=5 is empty"),
        (9, 3, "The span start=9, end=3 is reversed"),
        (0, 10_000, "The span start=0, end=10000 is outside the article"),
        (-1, 4, "The span start=-1, end=4 is outside the article"),
        ("0", 4, "An actor needs start= as a whole number"),
    ],
)
def test_bad_spans_are_refused(store, article, start, end, message):
    with pytest.raises(AnnotationError, match=re.escape(message)):
        store.add(article, layer="actor", label="official", start=start, end=end, entity="X")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"layer": "actors", "label": "official"},
            "Unknown layer 'actors'. The scheme's layers are: actor, claim, perspective.",
        ),
        ({"layer": "actor", "label": "boss"}, "Unknown actor label 'boss'. Choose one of: official, government_body"),
        (
            {"layer": "actor", "label": "official", "mood": "x"},
            "The actor layer has no attribute 'mood'. Its attributes are:",
        ),
        ({"layer": "actor", "label": "official", "affiliation": "usa"}, "'usa' is not an affiliation the scheme knows"),
        ({"layer": "actor", "label": "official", "entity": ""}, "An actor needs entity"),
    ],
)
def test_scheme_violations_name_the_field_and_the_allowed_values(store, article, kwargs, message):
    kwargs.setdefault("entity", "Ana Ruiz")
    start, end = span(article, "Ana Ruiz")
    with pytest.raises(AnnotationError, match=re.escape(message)):
        store.add(article, start=start, end=end, **kwargs)


def test_alignment_modes(store, article):
    start, end = span(article, "Ana Ruiz")
    with pytest.raises(AnnotationError, match="cuts through a word"):
        store.add(article, layer="actor", label="official", start=start + 1, end=end, entity="A")
    store.add(article, layer="actor", label="official", start=start + 1, end=end, entity="A", alignment="expand")
    store.add(article, layer="actor", label="official", start=start + 1, end=end, entity="A", alignment="contract")
    assert store.annotations().text.tolist() == ["Ana Ruiz", "Ruiz"]
    with pytest.raises(
        AnnotationError, match=re.escape("Unknown alignment 'loose'. Use one of: strict, contract, expand.")
    ):
        store.add(article, layer="actor", label="official", start=start, end=end, entity="A", alignment="loose")


def test_update_remove_and_undo_lose_nothing(store, article):
    first = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    store.update(first, entity="Ana María Ruiz", label="unsure", note="Is she the mayor?")
    store.remove(first)
    assert store.annotations().empty
    assert store.annotations(include_removed=True).entity.tolist() == ["Ana María Ruiz"]
    undone = store.undo()  # un-remove
    assert (undone.annotation_id, undone.action, undone.text) == (first, "remove", "Mayor Ana Ruiz")
    assert store.annotations()[["label", "note"]].values.tolist() == [["unsure", "Is she the mayor?"]]
    assert store.undo().action == "update"
    row = store.annotations().iloc[0]
    assert (row.label, row.entity, str(row.note)) == ("official", "Ana Ruiz", "<NA>")
    assert store.undo().action == "add"
    assert store.annotations().empty
    assert store.undo() is None


def test_undo_describes_what_it_undid():
    assert (
        Undone("a1", "remove", "actor", "official", "Biden", "Joe Biden").describe("Official")
        == "Undid removing “Biden” (Official)."
    )
    assert Undone("a1", "add", "claim", "claim", "We will rebuild", None).describe() == (
        "Undid tagging “We will rebuild” (claim)."
    )
    assert Undone("p1", "update", "perspective", "perspective", None, "Ana Ruiz").describe() == (
        "Undid the change to Ana Ruiz's perspective."
    )
    assert Undone("p2", "remove", "perspective", "perspective", None, None).describe() == "Undid removing the tag."


def test_a_removal_is_recorded_with_its_article_layer_and_origin(store, article):
    first = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    with pytest.raises(AnnotationError, match=re.escape("origin must be one of: browser, python")):
        store.remove(first, origin="keyboard")
    store.remove(first, origin="browser")
    row = store._db.execute(
        "SELECT action, article_id, layer, origin FROM history WHERE annotation_id = ? ORDER BY seq DESC", (first,)
    ).fetchone()
    assert row == ("remove", article.article_id, "actor", "browser")
    assert store.undo(article=article, layer="actor").action == "remove"  # found by the widget's own scope


def test_undo_stays_in_its_article_and_layer(store, article):
    other = annotkit.Article.from_text("Another Headline Here\n\nSen. Bo Li spoke. Nothing else happened.")
    actor = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    start, end = span(article, "the city would rebuild")
    claim = store.add(article, layer="claim", label="claim", start=start, end=end, said_by="Ana Ruiz")
    start, end = span(other, "Bo Li")
    elsewhere = store.add(other, layer="actor", label="official", start=start, end=end, entity="Bo Li")
    # The claim tagger's Ctrl+Z undoes the claim, not the later tag in another article's tagger.
    assert store.undo(article=article, layer="claim").annotation_id == claim
    assert store.undo(article=article, layer="claim") is None
    assert store.undo(article=article, layer="actor").annotation_id == actor
    assert store.annotations(other).annotation_id.tolist() == [elsewhere]


def test_undo_only_reverses_my_own_changes(tmp_path, article):
    with (
        open_store(tmp_path / "s.sqlite", annotator="ana") as ana,
        open_store(tmp_path / "s.sqlite", annotator="ben") as ben,
    ):
        add_actor(ana, article, "Mayor Ana Ruiz", "Ana Ruiz")
        assert ben.undo() is None
        assert len(ana.annotations()) == 1


def test_update_can_move_a_span(store, article):
    first = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    start, end = span(article, "Ana Ruiz")
    store.update(first, article=article, start=start, end=end)
    assert store.annotations().text.tolist() == ["Ana Ruiz"]
    with pytest.raises(AnnotationError, match="pass the article it belongs to"):
        store.update(first, start=start)


def test_unknown_annotation_id(store):
    with pytest.raises(AnnotationError, match=re.escape("No annotation with id 'nope' in work.sqlite.")):
        store.remove("nope")


def test_reanchoring_after_the_text_changes(tmp_path):
    old = annotkit.Article.from_text(
        "Storm Hits Coast\n\nMayor Ana Ruiz said teh city would rebuild. Ruiz left.", source="storm.txt"
    )
    new = annotkit.Article.from_text(
        "Storm Hits Coast\n\nOn Monday, Mayor Ana Ruiz said the city would rebuild.", source="storm.txt"
    )
    assert old.article_id == new.article_id == "storm"
    assert old.text_sha256 != new.text_sha256
    with open_store(tmp_path / "s.sqlite", annotator="ana") as store:
        add_actor(store, old, "Mayor Ana Ruiz", "Ana Ruiz")
        start, end = span(old, "Ruiz", occurrence=2)
        store.add(old, layer="actor", label="official", start=start, end=end, entity="Ana Ruiz")
        result = store.reanchor(new)
        assert result.status.tolist() == ["ok", "orphaned"]
        frame = store.annotations(new)
        assert frame.status.tolist() == ["ok", "orphaned"]  # the orphan is kept and shown, not dropped
        ok, orphan = frame.iloc[0], frame.iloc[1]
        assert new.text[ok.start : ok.end] == "Mayor Ana Ruiz"
        assert (str(orphan.start), orphan.text) == ("<NA>", "Ruiz")
        assert store.orphans(new).text.tolist() == ["Ruiz"]
        # Back on the old text, both are found again: nothing was lost by looking at the new one.
        assert store.annotations(old).status.tolist() == ["ok", "ok"]


def test_fixing_a_typo_keeps_every_tag_in_view(tmp_path):
    """The issue's case: tag in a text with "teh", fix the typo, open the corrected article: the tags are there."""
    folder = tmp_path / "articles"
    folder.mkdir()
    story = folder / "storm.txt"
    story.write_text("Storm Hits Coast\n\nMayor Ana Ruiz said teh city would rebuild its harbour.", encoding="utf-8")
    before = annotkit.load_article(story)
    with open_store(tmp_path / "s.sqlite", annotator="ana") as store:
        add_actor(store, before, "Mayor Ana Ruiz", "Ana Ruiz")
        start, end = span(before, "teh city would rebuild its harbour")
        store.add(before, layer="claim", label="claim", start=start, end=end, said_by="Ana Ruiz")
        story.write_text(
            "Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild its harbour.", encoding="utf-8"
        )
        after = annotkit.load_article(story)
        frame = store.annotations(after)
    assert frame.status.tolist() == ["ok", "ok"]
    assert frame.text.tolist() == ["Mayor Ana Ruiz", "the city would rebuild its harbour"]  # found despite the fix
    assert all(after.text[r.start : r.end] == r.text for r in frame.itertuples())


def test_another_article_with_the_same_name_is_not_reanchored_onto(tmp_path):
    first = annotkit.Article.from_text(
        "Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild.", source="a/story.txt"
    )
    second = annotkit.Article.from_text(
        "Vote Delayed Again\n\nThe council met on Tuesday and put the vote off until spring, once more.",
        source="b/story.txt",
    )
    with open_store(tmp_path / "s.sqlite", annotator="ana") as store:
        add_actor(store, first, "Mayor Ana Ruiz", "Ana Ruiz")
        assert store.annotations(second).empty  # not shown as orphans of an article it never was on
        assert store.annotations(first).status.tolist() == ["ok"]


def test_the_whole_work_is_in_one_file_after_every_change(tmp_path, article):
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
        add_actor(store, article, "José Peña", "José Peña")
        store.reflect(article, "q1", "Because she is the mayor.", question="Why?")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["work.sqlite"]  # no -wal, -shm or -journal beside it
        copy = tmp_path / "copy" / "work.sqlite"
        copy.parent.mkdir()
        copy.write_bytes(path.read_bytes())  # while the store is still open, as a student would copy it
    with open_store(copy, annotator="ana") as copied:
        assert copied.annotations().text.tolist() == ["Mayor Ana Ruiz", "José Peña"]
        assert copied.reflections().answer.tolist() == ["Because she is the mayor."]


def test_durability_settings(store):
    db = store._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_the_default_store_is_one_hidden_file_in_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTKIT_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    with open_store(annotator="ana") as store:
        assert store.path == tmp_path / "home" / ".annotkit" / "work.sqlite"


def _version_1_store(path, article):
    """A store as annotkit 0.1 left it: schema version 1, write-ahead log, an article known by a hash."""
    from annotkit._storefile import _create_version_1

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("BEGIN")
    _create_version_1(db)
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO articles VALUES ('a0123456789abcde', 'Storm Hits Coast', 'storm.txt', ?, 'then')", (article.text,)
    )
    start, end = span(article, "Mayor Ana Ruiz")
    db.execute(
        'INSERT INTO annotations (annotation_id, article_id, annotator, layer, label, start, "end", text, prefix,'
        " suffix, attributes, created, modified) VALUES ('old1', 'a0123456789abcde', 'ana', 'actor', 'official', ?, ?,"
        " 'Mayor Ana Ruiz', '', '', '{\"entity\": \"Ana Ruiz\"}', 'then', 'then')",
        (start, end),
    )
    db.execute("INSERT INTO history (annotator, annotation_id, action, at) VALUES ('ana', 'old1', 'add', 'then')")
    db.execute("COMMIT")
    return db  # left open: its last changes are still in the -wal file, as when a kernel was running


def test_a_version_1_store_is_moved_and_migrated_with_nothing_lost(tmp_path, monkeypatch):
    article = annotkit.Article.from_text(
        "Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild.", source="storm.txt"
    )
    monkeypatch.delenv("ANNOTKIT_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    legacy = _version_1_store(tmp_path / "annotations.sqlite", article)
    assert (tmp_path / "annotations.sqlite-wal").exists()
    with pytest.warns(annotkit.AnnotkitWarning, match="was copied to"):
        store = open_store(annotator="ana")
    legacy.close()
    with store:
        frame = store.annotations(article)
        assert frame[["annotation_id", "article_id", "entity", "status"]].values.tolist() == [
            ["old1", "storm", "Ana Ruiz", "ok"]
        ]
        assert store.undo(article=article, layer="actor").annotation_id == "old1"  # the history came along too
    assert (tmp_path / "annotations.sqlite").exists()  # the old file is left where it was


def test_student_name_is_remembered_for_every_notebook(tmp_path):
    with open_store(tmp_path / "s.sqlite", annotator="ana") as first:
        assert first.student_name is None
        assert first.set_student_name("  Ana   Ruiz ") == "Ana Ruiz"
    with (
        open_store(tmp_path / "s.sqlite", annotator="ana") as second,
        open_store(tmp_path / "s.sqlite", annotator="ben") as classmate,
    ):
        assert second.student_name == "Ana Ruiz"
        assert classmate.student_name is None
    with pytest.raises(AnnotationError, match="Type your name"):
        second.set_student_name("   ")


def test_reflections_are_saved_and_every_answer_is_kept(store, article):
    store.reflect(article, "02-anonymous", "First thought.", question="Why stay anonymous?")
    store.reflect(article, "02-anonymous", "Better answer.", question="Why stay anonymous?")
    store.reflect(article, "02-anonymous", "Better answer.", question="Why stay anonymous?")  # no change, no copy
    frame = store.reflections(article)
    assert frame[["question_id", "answer"]].values.tolist() == [["02-anonymous", "Better answer."]]
    history = store._db.execute("SELECT answer FROM reflection_history ORDER BY seq").fetchall()
    assert [a for (a,) in history] == ["First thought.", "Better answer."]
    with pytest.raises(AnnotationError, match="A reflection needs a question_id"):
        store.reflect(article, "", "x", question="?")
    with pytest.raises(AnnotationError, match="keep it under 20,000"):
        store.reflect(article, "q", "x" * 20_001, question="?")


def test_notes_and_origin(store, article):
    start, end = span(article, "Mayor Ana Ruiz")
    first = store.add(article, layer="actor", label="official", start=start, end=end, entity="Ana Ruiz",
                      note="  The mayor speaks for the city. ", origin="browser")  # fmt: skip
    row = store.annotations().iloc[0]
    assert (row.note, row.origin) == ("The mayor speaks for the city.", "browser")
    store.update(first, note="")
    assert str(store.annotations().iloc[0].note) == "<NA>"
    with pytest.raises(AnnotationError, match="origin must be one of: browser, python"):
        store.add(article, layer="actor", label="official", start=start, end=end, entity="A", origin="autofill")


def gender_scheme(folder):
    """A copy of the default scheme with a teacher's own actor attribute, ``gender``."""
    spec = json.loads(annotkit.data_path("schemes", "default.json").read_text(encoding="utf-8"))
    spec["layers"]["actor"]["attributes"]["gender"] = {
        "kind": "choice",
        "definition": "How the article presents the actor's gender.",
        "values": {c: {"definition": c} for c in ("woman", "man", "not_said", "other", "unsure")},
    }
    (folder / "mine.json").write_text(json.dumps(spec), encoding="utf-8")
    return annotkit.load_scheme(folder / "mine.json")


def test_a_teachers_own_attribute_is_a_column(tmp_path, article):
    scheme = gender_scheme(tmp_path)
    with open_store(tmp_path / "s.sqlite", annotator="ana", scheme=scheme) as store:
        add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz", gender="woman")
        frame = store.annotations()
    columns = list(frame.columns)
    assert columns.index("gender") == columns.index("identification") + 1  # in the scheme's order
    assert frame.gender.tolist() == ["woman"]


def test_default_path_and_annotator_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTKIT_STORE", str(tmp_path / "class.sqlite"))
    monkeypatch.setenv("JUPYTERHUB_USER", "student-17")
    with open_store() as store:
        assert store.path == tmp_path / "class.sqlite"
        assert store.annotator == "student-17"
    assert (tmp_path / "class.sqlite").is_file()


def test_a_file_that_is_not_a_store_is_refused_and_never_overwritten(tmp_path):
    essay = tmp_path / "essay.sqlite"
    essay.write_text("My essay about the news.", encoding="utf-8")
    msg = f"'{essay}' is not an annotkit store (it is not even a database), so annotkit will not touch it."
    with pytest.raises(StoreError, match=re.escape(msg)):
        open_store(essay)
    assert essay.read_text(encoding="utf-8") == "My essay about the news."


def test_another_database_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE grades (name TEXT)")
    before = other.read_bytes()
    with pytest.raises(StoreError, match="is a database, but not an annotkit store"):
        open_store(other)
    assert other.read_bytes() == before


def test_a_damaged_store_is_refused(tmp_path, article):
    path = tmp_path / "s.sqlite"
    with open_store(path, annotator="ana") as store:
        add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # wreck the first page after the header
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        open_store(path)


def test_a_store_from_a_newer_annotkit_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    open_store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="was made by a newer annotkit"):
        open_store(path)


def test_a_new_store_is_at_the_current_schema_version(tmp_path):
    open_store(tmp_path / "s.sqlite").close()
    with sqlite3.connect(tmp_path / "s.sqlite") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("SELECT value FROM meta WHERE key = 'application'").fetchone()[0] == "annotkit"


def test_a_folder_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        open_store(tmp_path)


_WRITER = textwrap.dedent(
    """
    import sys
    import annotkit
    from annotkit.store import open_store
    article = annotkit.Article.from_text("Storm Hits Coast\\n\\nMayor Ana Ruiz said the city would rebuild.")
    start = article.text.index("Ana Ruiz")
    store = open_store(sys.argv[1], annotator=sys.argv[2])
    for n in range(int(sys.argv[3])):
        annotation_id = store.add(article, layer="actor", label="official", start=start, end=start + 8,
                                  entity=f"Ana Ruiz {n}")
        print(annotation_id, flush=True)  # printed only after the commit returned
    if len(sys.argv) > 4:  # then wait, like a kernel between a student's tags, until killed
        import time
        time.sleep(600)
    """
)


def _writer(path, annotator, count, *extra):
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), annotator, str(count), *extra],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "class.sqlite"
    writers = [_writer(path, name, 150) for name in ("ana", "ben")]
    printed = [w.communicate(timeout=120)[0].split() for w in writers]
    assert [w.returncode for w in writers] == [0, 0]
    with open_store(path) as store:
        frame = store.annotations()
    assert len(frame) == 300
    assert set(frame.annotation_id) == set(printed[0]) | set(printed[1])
    assert frame.groupby("annotator").size().to_dict() == {"ana": 150, "ben": 150}


def test_a_process_killed_mid_write_loses_nothing_committed(tmp_path):
    path = tmp_path / "class.sqlite"
    writer = _writer(path, "ana", 100_000)
    committed = []
    deadline = time.monotonic() + 60
    while len(committed) < 200 and time.monotonic() < deadline:
        committed.append(writer.stdout.readline().strip())
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    assert len(committed) == 200
    with open_store(path) as store:  # opens: the file is intact
        saved = set(store.annotations().annotation_id)
    assert set(committed) <= saved
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_after_a_kernel_is_killed_the_store_file_alone_holds_every_tag(tmp_path):
    """Copy only the store file (no journal) after SIGKILL, as a student uploading "the file" would."""
    path = tmp_path / "work.sqlite"
    writer = _writer(path, "ana", 200, "then wait")
    committed = [writer.stdout.readline().strip() for _ in range(200)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    writer.stdout.close()
    copy = tmp_path / "uploaded" / "work.sqlite"
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    with sqlite3.connect(copy) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with open_store(copy) as store:
        assert set(store.annotations().annotation_id) == set(committed)


def test_store_json_attributes_round_trip_unicode(store, article):
    add_actor(store, article, "José Peña", "José Peña 🎉")
    with sqlite3.connect(store.path) as db:
        raw = db.execute("SELECT attributes FROM annotations").fetchone()[0]
        origin = db.execute("SELECT origin FROM history").fetchone()[0]
    assert json.loads(raw) == {"entity": "José Peña 🎉"}
    assert "José Peña 🎉" in raw  # written as typed, readable in the file (not \u escapes)
    assert origin == "python"  # the history records how the tag was made


def test_annotkit_annotator_names_the_student_on_a_shared_login(monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "jovyan")
    monkeypatch.setenv("ANNOTKIT_ANNOTATOR", "  Amira  ")
    assert annotkit.open_store(":memory:").annotator == "Amira"
    monkeypatch.setenv("ANNOTKIT_ANNOTATOR", "")
    assert annotkit.open_store(":memory:").annotator == "jovyan"


def test_update_checks_and_records_like_add(store, article):
    first = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    claim_start, claim_end = span(article, "the city would rebuild")
    claim = store.add(article, layer="claim", label="claim", start=claim_start, end=claim_end, said_by="Ana Ruiz")
    with pytest.raises(AnnotationError, match=re.escape("origin must be one of: browser, python")):
        store.update(first, note="x", origin="keyboard")
    with pytest.raises(AnnotationError, match="names no actor you have tagged"):
        store.update(claim, article=article, said_by="Nobody Here")  # references are checked when the article is given
    message = "To move a span, pass the article it belongs to: store.update(id, article=article, start=..., end=...)."
    with pytest.raises(AnnotationError, match=re.escape(message)):
        store.update(first, end=claim_end)
    store.update(first, note="Ünïcode ✓", origin="browser")
    row = store._db.execute(
        "SELECT action, article_id, layer, origin FROM history WHERE annotation_id = ? ORDER BY seq DESC", (first,)
    ).fetchone()
    assert row == ("update", article.article_id, "actor", "browser")
    assert store.undo(article=article, layer="actor").action == "update"


def test_update_moves_one_end_of_a_span_and_keeps_the_other(store, article):
    first = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    start, end = span(article, "Mayor Ana Ruiz")
    store.update(first, article=article, start=start + 6)  # only the start: the end stays
    assert store.annotations().text.tolist() == ["Ana Ruiz"]
    store.update(first, article=article, end=end + 5)  # only the end: the start stays
    assert store.annotations().text.tolist() == ["Ana Ruiz said"]
    version = store._db.execute("SELECT text_sha256 FROM annotations").fetchone()[0]
    assert version == article.text_sha256


def test_update_stores_attributes_as_written(store, article):
    first = add_actor(store, article, "José Peña", "José")
    store.update(first, entity="José Peña 🎉")
    raw = store._db.execute("SELECT attributes FROM annotations").fetchone()[0]
    assert "José Peña 🎉" in raw


def test_orphans_are_those_on_this_article_by_whoever_is_asked_for(tmp_path):
    old = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so. Ruiz left.", source="storm.txt")
    new = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so.", source="storm.txt")
    other = annotkit.Article.from_text("Vote Delayed\n\nRuiz left. Ruiz came back.", source="vote.txt")
    path = tmp_path / "s.sqlite"
    for who in ("ana", "ben"):
        with open_store(path, annotator=who) as store:
            for article in (old, other):
                start, end = span(article, "Ruiz", occurrence=2)
                store.add(article, layer="actor", label="official", start=start, end=end, entity=who)
    with open_store(path, annotator="ana") as store:
        orphans = store.orphans(new)  # like annotations(): everybody's, unless an annotator is named
        assert orphans[["annotator", "entity", "text"]].values.tolist() == [
            ["ana", "ana", "Ruiz"],
            ["ben", "ben", "Ruiz"],
        ]
        assert list(orphans.columns) == list(store.annotations().columns)  # the scheme's columns, as everywhere
        assert store.orphans(new, annotator="ben").entity.tolist() == ["ben"]


def test_reanchor_looks_again_each_time_it_is_asked(tmp_path):
    old = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so.", source="storm.txt")
    new = annotkit.Article.from_text("Storm Hits Coast\n\nOn Monday, Mayor Ana Ruiz said so.", source="storm.txt")
    with open_store(tmp_path / "s.sqlite", annotator="ana") as store:
        first = add_actor(store, old, "Mayor Ana Ruiz", "Ana Ruiz")
        store.annotations(new)  # moved onto the new text once
        store._db.execute("UPDATE annotations SET text_sha256 = ?", (old.text_sha256,))  # as if it had not been
        result = store.reanchor(new)
        assert list(result.columns) == ["annotation_id", "status", "old_start", "start"]
        assert result.values.tolist() == [[first, "ok", 29, 29]]


def test_orphans_show_a_teachers_own_attribute_where_the_annotations_do(tmp_path):
    old = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so. Ruiz left.", source="storm.txt")
    new = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so.", source="storm.txt")
    with open_store(tmp_path / "s.sqlite", annotator="ana", scheme=gender_scheme(tmp_path)) as store:
        start, end = span(old, "Ruiz", occurrence=2)
        store.add(old, layer="actor", label="official", start=start, end=end, entity="Ana Ruiz", gender="woman")
        orphans = store.orphans(new)
        columns = list(store.annotations().columns)
        assert list(orphans.columns) == columns  # gender after identification, in the scheme's order
        assert orphans[["text", "gender"]].values.tolist() == [["Ruiz", "woman"]]
        assert list(store.orphans(old).columns) == columns  # none to show: still the scheme's columns


def test_undo_takes_an_article_by_its_id(store, article):
    other = annotkit.Article.from_text("Another Headline Here\n\nSen. Bo Li spoke. Nothing else happened.")
    actor = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    start, end = span(other, "Bo Li")
    store.add(other, layer="actor", label="official", start=start, end=end, entity="Bo Li")
    assert store.undo(article=article.article_id).annotation_id == actor  # not the later tag in the other article


def test_what_a_student_types_is_checked_with_a_message_naming_the_field(store, article):
    checks = [
        (lambda v: store.reflect(article, "q1", v, question="Why?"), "Your answer"),
        (lambda v: store.reflect(article, "q1", "Because.", question=v), "The question"),
        (lambda v: store.set_student_name(v), "Your name"),
    ]
    for typed, field in checks:
        with pytest.raises(AnnotationError) as raised:
            typed(42)
        assert str(raised.value) == f"{field} must be text, not int (42)."
    store.reflect(article, "q1", "x" * 20_000, question="Why?")  # exactly the limit is kept
    with pytest.raises(AnnotationError) as raised:
        store.reflect(article, "q1", "x" * 20_001, question="Why?")
    assert str(raised.value) == (
        "Your answer is 20,001 characters long; keep it under 20,000 (about a page and a half)."
    )
    assert store.reflections(article).answer.str.len().tolist() == [20_000]


def test_a_students_name_is_checked_with_messages_they_can_act_on(store):
    with pytest.raises(AnnotationError) as raised:
        store.set_student_name(" \n ")
    assert str(raised.value) == "Type your name (as your teacher knows you), then try again."
    assert store.set_student_name("A" * 100) == "A" * 100  # 100 characters is not too long
    with pytest.raises(AnnotationError) as raised:
        store.set_student_name("A" * 101)
    assert str(raised.value) == (
        "That name is very long. Type your name as your teacher knows you (under 100 characters)."
    )
    assert store.student_name == "A" * 100


def test_the_annotator_is_the_login_name_else_student(monkeypatch):
    import getpass

    monkeypatch.delenv("ANNOTKIT_ANNOTATOR", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "amira")
    assert annotkit.open_store(":memory:").annotator == "amira"

    def no_login_name():
        raise KeyError("getpwuid(): uid not found: 1000")

    monkeypatch.setattr(getpass, "getuser", no_login_name)  # some containers have no login name
    assert annotkit.open_store(":memory:").annotator == "student"


def test_an_article_is_named_by_its_id_too(store, article):
    add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    add_actor(store, article, "José Peña", "José Peña")
    assert store.entities(article.article_id) == store.entities(article) == ["Ana Ruiz", "José Peña"]
    assert store.article_title(article.article_id) == "Storm Hits Coast"
    assert store.article_title("never-opened") is None


def test_export_submission_passes_on_who_and_whether_it_is_a_draft(tmp_path, article):
    path = tmp_path / "s.sqlite"
    with open_store(path, annotator="ben") as classmate:
        add_actor(classmate, article, "José Peña", "José Peña")
    with open_store(path, annotator="ana") as store:
        add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
        written = store.export_submission(tmp_path / "ben.json", annotator="ben", draft=True)
    data = json.loads(written.read_text(encoding="utf-8"))
    assert (data["annotator"], data["draft"]) == ("ben", True)
    assert [a["entity"] for a in data["articles"][0]["annotations"]] == ["José Peña"]


def test_undo_says_what_it_undid_and_puts_back_the_text_version(tmp_path):
    old = annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said so.", source="storm.txt")
    new = annotkit.Article.from_text("Storm Hits Coast\n\nOn Monday, Mayor Ana Ruiz said so.", source="storm.txt")
    with open_store(tmp_path / "s.sqlite", annotator="ana") as store:
        first = add_actor(store, old, "Mayor Ana Ruiz", "Ana Ruiz")
        start, end = span(new, "Ana Ruiz")
        store.update(first, article=new, start=start, end=end)  # moved on the new version of the text
        undone = store.undo()
        assert (undone.action, undone.layer, undone.label, undone.text, undone.entity) == (
            "update",
            "actor",
            "official",
            "Mayor Ana Ruiz",
            "Ana Ruiz",
        )
        version = store._db.execute("SELECT text_sha256 FROM annotations").fetchone()[0]
        assert version == old.text_sha256  # as it was: the span is on the old version's text
        assert store.annotations(old).text.tolist() == ["Mayor Ana Ruiz"]


def test_a_note_and_a_span_are_checked_with_messages_naming_what_is_wrong(store, article):
    start, end = span(article, "Mayor Ana Ruiz")
    with pytest.raises(AnnotationError) as raised:
        store.add(article, layer="actor", label="official", start=start, end=end, entity="A", note=42)
    assert str(raised.value) == "A note must be text, not int (42)."
    with pytest.raises(AnnotationError) as raised:
        store.add(article, layer="actor", label="official", start=start, end=str(end), entity="A")
    assert str(raised.value) == (
        f"An actor needs end= as a whole number (an offset into the article's text), not '{end}'."
    )
    with pytest.raises(AnnotationError) as raised:
        store.add(article, layer="perspective", label="perspective", start=start, entity="Ana Ruiz")
    assert str(raised.value) == "A perspective is about an actor, not a span of text: leave out start and end."
    last = len(article.text)  # a span may end where the text ends
    store.add(article, layer="actor", label="official", start=last - len("agreed."), end=last, entity="Peña")
    assert store.annotations().text.tolist() == ["agreed."]


def test_a_speaker_not_tagged_is_refused_with_the_actors_to_choose_from(store, article):
    start, end = span(article, "Mayor Ana Ruiz")
    for n in range(1, 14):
        store.add(article, layer="actor", label="official", start=start, end=end, entity=f"Person {n}")
    claim_start, claim_end = span(article, "the city would rebuild")
    with pytest.raises(AnnotationError) as raised:
        store.add(article, layer="claim", label="claim", start=claim_start, end=claim_end, said_by="Nobody")
    actors = ", ".join(f"Person {n}" for n in range(1, 13))  # the first 12, not all 13
    assert str(raised.value) == (
        "said_by='Nobody' names no actor you have tagged in this article. Tag the actor first, or choose one of "
        f"your actors ({actors}) or 'the journalist'."
    )
    with pytest.raises(AnnotationError) as raised:
        store.add(article, layer="perspective", label="perspective", entity="Nobody", stance="support")
    assert str(raised.value).endswith(f"choose one of your actors ({actors}).")  # no journalist for a perspective


def test_reflections_have_the_contract_columns_and_filter_by_article_and_annotator(tmp_path, article):
    other = annotkit.Article.from_text("Another Headline Here\n\nSen. Bo Li spoke. Nothing else happened.")
    path = tmp_path / "s.sqlite"
    with open_store(path, annotator="ben") as classmate:
        classmate.reflect(article, "q1", "Ben's answer.", question="Why?")
    with open_store(path, annotator="ana") as store:
        store.reflect(article, "q1", "Ana's answer.", question="Why?")
        store.reflect(other, "q1", "Elsewhere.", question="Why?")
        everyone = store.reflections(article)  # everybody's answers in this article, not another article's
        assert list(everyone.columns) == ["annotator", "article_id", "question_id", "question", "answer", "modified"]
        assert everyone.answer.tolist() == ["Ben's answer.", "Ana's answer."]
        assert store.reflections(article.article_id, annotator="ben").answer.tolist() == ["Ben's answer."]


def test_rows_and_annotations_filter_by_article_and_annotator_and_leave_out_removed(tmp_path, article):
    other = annotkit.Article.from_text("Another Headline Here\n\nSen. Bo Li spoke. Nothing else happened.")
    path = tmp_path / "s.sqlite"
    with open_store(path, annotator="ben") as classmate:
        add_actor(classmate, article, "José Peña", "José Peña")
    with open_store(path, annotator="ana") as store:
        kept = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
        store.remove(add_actor(store, article, "José Peña", "Peña"))
        start, end = span(other, "Bo Li")
        store.add(other, layer="actor", label="official", start=start, end=end, entity="Bo Li")
        assert [r["annotation_id"] for r in store.rows(article, "ana")] == [kept]  # the removed one left out
        assert [r["entity"] for r in store.rows(article.article_id)] == ["José Peña", "Ana Ruiz"]  # everyone's
        assert store.annotations(article, annotator="ben").entity.tolist() == ["José Peña"]
        assert store.annotations(annotator="ana").entity.tolist() == ["Ana Ruiz", "Bo Li"]


def test_undo_among_the_changes_a_widget_made_reaches_no_other(store, article):
    first = add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
    mine = store.last_change  # the history number of the change just made through this store object
    assert isinstance(mine, int)
    add_actor(store, article, "José Peña", "José Peña")  # made elsewhere (another widget, a notebook cell)
    assert store.last_change != mine
    assert store.undo(among=[]) is None  # a widget that changed nothing undoes nothing
    assert store.undo(among={mine, mine}).annotation_id == first  # not the later tag made elsewhere
    assert store.annotations().entity.tolist() == ["José Peña"]


def test_a_read_shows_what_another_notebook_just_saved_even_when_nothing_here_changed(tmp_path, article):
    # Reads are kept between key presses; another notebook's change on the same file must still show at once.
    path = tmp_path / "s.sqlite"
    with open_store(path, annotator="ana") as mine, open_store(path, annotator="ana") as other_notebook:
        first = add_actor(mine, article, "Mayor Ana Ruiz", "Ana Ruiz")
        assert [r["annotation_id"] for r in mine.rows(article, "ana")] == [first]
        second = add_actor(other_notebook, article, "José Peña", "José Peña")
        assert [r["annotation_id"] for r in mine.rows(article, "ana")] == [first, second]
        other_notebook.update(first, entity="Ana María Ruiz")
        assert mine.rows(article, "ana")[0]["entity"] == "Ana María Ruiz"
        other_notebook.remove(second)
        assert [r["annotation_id"] for r in mine.rows(article, "ana")] == [first]


def test_a_read_is_the_stores_not_what_a_caller_did_with_the_last_one(store, article):
    add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz", affiliation="united_states")
    for _ in range(3):  # the first read, then the ones answered from what was kept
        rows = store.rows(article, "ana", "actor")
        assert [(r["entity"], r["affiliation"]) for r in rows] == [("Ana Ruiz", "united_states")]
        rows[0]["entity"] = "changed by the caller"
        rows.append({"annotation_id": "made up"})


def test_reads_with_different_filters_are_answered_each_by_its_own(tmp_path, article):
    path = tmp_path / "s.sqlite"
    with open_store(path, annotator="claim") as classmate:  # an annotator named like a layer
        add_actor(classmate, article, "José Peña", "José Peña")
    with open_store(path, annotator="ana") as store:
        add_actor(store, article, "Mayor Ana Ruiz", "Ana Ruiz")
        assert [r["entity"] for r in store.rows(article, annotator="claim")] == ["José Peña"]
        assert store.rows(article, layer="claim") == []
        assert [r["entity"] for r in store.rows(article, layer="actor")] == ["José Peña", "Ana Ruiz"]
        assert store.rows(article, annotator="claim", include_removed=True)[0]["entity"] == "José Peña"
