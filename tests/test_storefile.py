"""The store's file, rule by rule: how it is opened, how it is written, and where it lives.

Each rule here is one a student's work depends on: a change is written under a lock taken up front (two
notebooks queue instead of failing half-way), a failed change leaves nothing behind, the whole of the work is
in the one file (rollback journal, never write-ahead logging), and a file that is not a store is never touched.
"""

import re
import sqlite3

import pytest

import annotkit
from annotkit import StoreError
from annotkit._storefile import LEGACY_STORE, Transaction, connect, default_path, now
from annotkit.store import open_store


@pytest.fixture
def article():
    return annotkit.Article.from_text("Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild.")


def tag(store, article, entity="Ana Ruiz"):
    start = article.text.index("Ana Ruiz")
    return store.add(article, layer="actor", label="official", start=start, end=start + 8, entity=entity)


def count(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM annotations").fetchone()[0]


# --- writing ------------------------------------------------------------------------------------------------------


def test_a_change_takes_the_write_lock_before_it_reads(tmp_path):
    """BEGIN IMMEDIATE, not a deferred BEGIN: a second writer waits at the start instead of failing mid-change."""
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store, Transaction(store._db) as db:
        db.execute("SELECT count(*) FROM annotations").fetchone()  # only read so far
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_a_change_is_committed_when_the_block_ends(tmp_path, article):
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        tag(store, article)
        assert count(path) == 1  # another connection sees it while the store is still open
        assert not store._db.in_transaction


def test_a_change_that_fails_half_way_leaves_nothing_behind(tmp_path):
    path = tmp_path / "work.sqlite"

    def half_a_change(db):
        with Transaction(db):
            db.execute(
                "INSERT INTO annotations (annotation_id, article_id, annotator, layer, label, created, modified)"
                " VALUES ('x', 'storm', 'ana', 'actor', 'official', 'now', 'now')"
            )
            raise RuntimeError("half way")

    with open_store(path, annotator="ana") as store:
        with pytest.raises(RuntimeError, match="half way"):
            half_a_change(store._db)
        assert not store._db.in_transaction
        assert count(path) == 0


def test_a_store_locked_by_another_program_says_to_wait(tmp_path, article, monkeypatch):
    monkeypatch.setattr("annotkit._storefile.BUSY_TIMEOUT", 0.05)
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            message = (
                "The annotation store is busy or cannot be written (database is locked). Wait a moment and try again."
            )
            with pytest.raises(StoreError, match=re.escape(message)):
                tag(store, article)
        finally:
            other.execute("ROLLBACK")
            other.close()
        tag(store, article)  # once the other program is done, the same store writes again
        assert count(path) == 1


def test_a_second_writer_waits_for_the_first(tmp_path, article):
    """The busy timeout: a write that finds the file locked waits, rather than failing at once."""
    import threading

    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        threading.Timer(0.5, lambda: other.execute("COMMIT")).start()
        tag(store, article)  # waits about half a second, then writes
        other.close()
        assert count(path) == 1


# --- one file -----------------------------------------------------------------------------------------------------


def test_every_connection_is_durable_and_uses_the_rollback_journal(tmp_path):
    db = connect(tmp_path / "work.sqlite")
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    db.close()
    again = connect(tmp_path / "work.sqlite")  # synchronous is a setting of each connection, not of the file
    assert again.execute("PRAGMA synchronous").fetchone()[0] == 2
    again.close()


def test_a_store_left_in_write_ahead_mode_is_brought_back_into_one_file(tmp_path, article):
    path = tmp_path / "work.sqlite"
    open_store(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    with open_store(path, annotator="ana") as store:
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        tag(store, article)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["work.sqlite"]


def test_a_store_held_in_write_ahead_mode_by_another_program_is_refused_in_words(tmp_path, monkeypatch):
    path = tmp_path / "work.sqlite"
    open_store(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN")
    holder.execute("SELECT count(*) FROM annotations").fetchone()  # a reader keeps the write-ahead log in use
    waits = []
    monkeypatch.setattr("annotkit._storefile.time.sleep", waits.append)
    message = "The annotation store stayed locked by another program. Close other notebooks using it, and try again."
    try:
        with pytest.raises(StoreError) as refused:
            open_store(path)
    finally:
        holder.close()
    assert str(refused.value) == message  # the whole message: no words added around it
    assert len(waits) == 50 and waits[0] == pytest.approx(0.05) and waits[-1] == pytest.approx(2.5)  # 64 s in all
    with open_store(path) as store:  # once the other program let go
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_a_store_in_memory_keeps_no_file(tmp_path, monkeypatch, article):
    monkeypatch.chdir(tmp_path)
    with open_store(":memory:", annotator="ana") as store:
        tag(store, article)
        assert len(store.annotations()) == 1
    assert list(tmp_path.iterdir()) == []


# --- opening ------------------------------------------------------------------------------------------------------


def test_an_empty_file_becomes_a_store(tmp_path, article):
    path = tmp_path / "work.sqlite"
    path.touch()  # as a student might create "the file" first
    with open_store(path, annotator="ana") as store:
        tag(store, article)
    assert count(path) == 1


def test_a_store_in_a_folder_not_there_yet_is_created_with_its_folders(tmp_path):
    path = tmp_path / "a" / "b" / "work.sqlite"
    open_store(path).close()
    assert path.is_file()


def test_a_file_with_a_database_header_only_in_part_is_refused(tmp_path):
    fake = tmp_path / "work.sqlite"
    fake.write_bytes(b"SQLite format 2\x00" + b"\x00" * 100)
    with pytest.raises(StoreError, match="is not an annotkit store"):
        open_store(fake)
    assert fake.read_bytes().startswith(b"SQLite format 2")


def test_a_file_that_is_a_database_with_no_tables_becomes_a_store(tmp_path):
    path = tmp_path / "work.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").connection.close()
    open_store(path).close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'application'").fetchone() == ("annotkit",)


def test_the_newer_version_message_says_what_to_do(tmp_path):
    path = tmp_path / "s.sqlite"
    open_store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 3")
    message = (
        f"'{path}' was made by a newer annotkit (store version 3; this one reads up to 2). "
        "Upgrade annotkit: pip install -U annotkit."
    )
    with pytest.raises(StoreError, match=re.escape(message)):
        open_store(path)


def test_a_store_failing_its_check_says_to_keep_the_file(tmp_path, article):
    path = tmp_path / "s.sqlite"
    with open_store(path, annotator="ana") as store:
        for n in range(200):
            tag(store, article, entity=f"Ana Ruiz {n}")
    data = bytearray(path.read_bytes())
    page = 4096
    data[3 * page + 200 : 3 * page + 1200] = b"\x00" * 1000  # wreck a page inside the annotations
    path.write_bytes(bytes(data))
    message = f"'{path}' is damaged. Keep the file (it may still hold your work), and ask your teacher to look at it."
    with pytest.raises(StoreError, match=re.escape(message)):
        open_store(path)


# --- where the store is ---------------------------------------------------------------------------------------


def test_annotkit_store_is_read_with_spaces_and_a_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ANNOTKIT_STORE", "  ~/class/work.sqlite  ")
    assert default_path() == tmp_path / "class" / "work.sqlite"


def test_a_blank_annotkit_store_means_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ANNOTKIT_STORE", "   ")
    monkeypatch.chdir(tmp_path)
    assert default_path() == tmp_path / ".annotkit" / "work.sqlite"


def _legacy_store(folder, article):
    with open_store(folder / LEGACY_STORE, annotator="ana") as store:
        tag(store, article)


def test_the_legacy_store_is_copied_once_and_never_over_newer_work(tmp_path, monkeypatch, article):
    monkeypatch.delenv("ANNOTKIT_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    _legacy_store(tmp_path, article)
    with pytest.warns(annotkit.AnnotkitWarning) as warned:
        path = default_path()
    assert str(warned[0].message) == (
        f"Your work in {LEGACY_STORE} was copied to {path}, where annotkit keeps it from now on. "
        f"Nothing was lost; you can delete {LEGACY_STORE} when you like."
    )
    assert count(path) == 1
    assert not path.with_name(path.name + ".partial").exists()
    with open_store(path, annotator="ana") as store:
        tag(store, article, entity="Ana")
    default_path()  # no warning (filterwarnings = error), and the work done since is not overwritten
    assert count(path) == 2


def test_the_legacy_store_is_copied_into_a_folder_that_already_exists(tmp_path, monkeypatch, article):
    monkeypatch.delenv("ANNOTKIT_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "home" / ".annotkit").mkdir(parents=True)  # made by another tool, or an earlier annotkit
    _legacy_store(tmp_path, article)
    with pytest.warns(annotkit.AnnotkitWarning, match="was copied to"):
        path = default_path()
    assert count(path) == 1


def test_the_copy_warning_points_at_the_notebook_cell_that_opened_the_store(tmp_path, monkeypatch, article):
    monkeypatch.delenv("ANNOTKIT_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    _legacy_store(tmp_path, article)
    with pytest.warns(annotkit.AnnotkitWarning) as warned:
        open_store(annotator="ana").close()  # the line a student wrote
    assert warned[0].filename == __file__


def test_a_legacy_file_that_is_not_a_store_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTKIT_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    with sqlite3.connect(tmp_path / LEGACY_STORE) as db:
        db.execute("CREATE TABLE grades (name TEXT)")
    path = default_path()
    assert not path.exists()
    (tmp_path / LEGACY_STORE).unlink()
    (tmp_path / LEGACY_STORE).write_text("not a database", encoding="utf-8")
    assert not default_path().exists()  # unreadable: left where it is, and nothing is said


def test_now_is_utc_with_milliseconds():
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", now())


# --- _storefile: how the store's file is opened (mutation survivors, round 6) ---


def test_a_file_that_is_not_a_database_is_refused_with_what_to_do_instead(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("my notes for Monday", encoding="utf-8")
    message = (
        f"'{path}' is not an annotkit store (it is not even a database), so annotkit will not touch it. "
        "Choose another file name, or set ANNOTKIT_STORE to your store."
    )
    with pytest.raises(StoreError, match=re.escape(message)):
        open_store(path)
    assert path.read_text(encoding="utf-8") == "my notes for Monday"


def test_a_store_that_cannot_be_opened_names_the_file_and_why(tmp_path):
    path = tmp_path / "work.sqlite"
    path.symlink_to(tmp_path / "gone" / "work.sqlite")  # a link to a folder since removed
    message = (
        f"'{path}' is damaged and cannot be read (unable to open database file). "
        "Keep the file, and ask your teacher to look at it."
    )
    with pytest.raises(StoreError, match=re.escape(message)):
        open_store(path)


def test_a_damaged_database_says_what_sqlite_found(tmp_path):
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    message = f"'{path}' is damaged and cannot be read (file is not a database). Keep the file"
    with pytest.raises(StoreError, match=re.escape(message)):
        open_store(path)


def test_a_write_waits_thirty_seconds_for_another_notebooks_write(tmp_path):
    with open_store(tmp_path / "work.sqlite") as store:
        assert store._db.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000


def test_a_store_opened_in_one_thread_can_be_written_from_another(tmp_path, article):
    """Widget callbacks may run on another thread than the cell that opened the store."""
    import threading

    path = tmp_path / "work.sqlite"
    errors = []

    def write():
        try:
            tag(store, article)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    with open_store(path, annotator="ana") as store:
        worker = threading.Thread(target=write)
        worker.start()
        worker.join()
    assert errors == []
    assert count(path) == 1


def test_a_store_can_be_opened_while_another_notebook_is_writing_to_it(tmp_path, monkeypatch, article):
    """Opening a store already at this version reads it; only a migration waits for the write lock."""
    monkeypatch.setattr("annotkit._storefile.BUSY_TIMEOUT", 0.05)
    path = tmp_path / "work.sqlite"
    open_store(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with open_store(path, annotator="ana") as store:
            assert len(store.annotations()) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_in_the_browser_each_change_replaces_the_store_file_whole(tmp_path, monkeypatch, article):
    """JupyterLite: the store is kept in memory and written to a new file renamed over the old one, never in place."""
    monkeypatch.setenv("ANNOTKIT_STORE_BACKEND", "browser")
    waits = []
    monkeypatch.setattr("annotkit._storefile.time.sleep", waits.append)
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        tag(store, article)
        before = path.stat().st_ino
        tag(store, article, entity="Ana Ruiz Diaz")
        assert path.stat().st_ino != before
        assert len(store.annotations()) == 2
    assert count(path) == 2
    assert waits == []  # a database in memory has no journal to switch: opening it never waits


def test_a_version_1_store_keeps_each_article_text_and_where_its_tags_point(tmp_path):
    """Migration to version 2: an article with a file is known by the file's name, one without by its old id."""
    import hashlib

    from annotkit._storefile import _create_version_1

    path = tmp_path / "work.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    _create_version_1(db)
    db.execute("PRAGMA user_version = 1")
    texts = {
        "flood": "Rain Floods Valley\n\nThe river rose overnight.",
        "typed": "Market Opens\n\nStalls filled early.",
    }
    db.execute(
        "INSERT INTO articles VALUES ('a1', 'Rain Floods Valley', 'news/flood.txt', ?, 'then')", (texts["flood"],)
    )
    db.execute("INSERT INTO articles VALUES ('b2', 'Market Opens', NULL, ?, 'then')", (texts["typed"],))
    for annotation_id, article_id in (("t1", "a1"), ("t2", "b2")):
        db.execute(
            "INSERT INTO annotations (annotation_id, article_id, annotator, layer, label, created, modified)"
            " VALUES (?, ?, 'ana', 'actor', 'official', 'then', 'then')",
            (annotation_id, article_id),
        )
    db.close()
    open_store(path).close()
    sha = {name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in texts.items()}
    with sqlite3.connect(path) as db:
        versions = db.execute(
            "SELECT article_id, text_sha256, text FROM article_versions ORDER BY article_id"
        ).fetchall()
        tags = db.execute("SELECT annotation_id, article_id, text_sha256 FROM annotations ORDER BY 1").fetchall()
    assert versions == [("b2", sha["typed"], texts["typed"]), ("flood", sha["flood"], texts["flood"])]
    assert tags == [("t1", "flood", sha["flood"]), ("t2", "b2", sha["typed"])]
