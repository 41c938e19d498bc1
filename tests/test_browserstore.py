"""The store as JupyterLite runs it (annotkit/_browserstore.py), tested here on the computer's file system.

In the browser the store is SQLite in memory, mirrored to one file: these tests force that backend
(``ANNOTKIT_STORE_BACKEND=browser``) and check what the browser relies on — the file is a whole database after every
change, nothing is written when nothing changed, two kernels see each other's work, a failed save loses nothing. The
same code runs in Chromium in tests/lite/ (``make lite-test``), where the file is on JupyterLite's drive.
"""

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

import annotkit
from annotkit import _browserstore, _storefile
from annotkit.errors import AnnotkitWarning, StoreError
from annotkit.store import SCHEMA_VERSION, open_store


@pytest.fixture(autouse=True)
def browser_backend(monkeypatch):
    monkeypatch.setenv(_browserstore.BACKEND_ENV, "browser")


@pytest.fixture
def article():
    return annotkit.Article.from_text(
        "Storm Hits Coast\n\nMayor Ana Ruiz said the city would rebuild. Critics called the plan costly.",
        article_id="storm",
    )


def add_actor(store, article, words="Mayor Ana Ruiz", entity="Ana Ruiz"):
    start = article.text.index(words)
    return store.add(article, layer="actor", label="official", start=start, end=start + len(words), entity=entity)


def plain_rows(path, sql):
    """Read the file with plain SQLite, as a desktop annotkit or a teacher's tool would."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


def test_the_backend_is_chosen_in_the_browser_only(monkeypatch):
    monkeypatch.delenv(_browserstore.BACKEND_ENV)
    assert not _browserstore.active()  # CPython on a computer
    monkeypatch.setattr(_browserstore.sys, "platform", "emscripten")
    assert _browserstore.active() and _browserstore.in_browser()
    monkeypatch.setenv(_browserstore.BACKEND_ENV, "file")
    assert not _browserstore.active()


def test_every_change_is_in_the_file_as_a_plain_sqlite_database(tmp_path, article):
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        assert isinstance(store._db, _browserstore.BrowserConnection)
        first = add_actor(store, article)
        # Before closing: the file alone holds the tag, and is a normal rollback-journal database.
        assert plain_rows(path, "SELECT annotation_id, text FROM annotations") == [(first, "Mayor Ana Ruiz")]
        assert plain_rows(path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert path.read_bytes()[18:20] == b"\x01\x01"
        store.remove(first)
        assert plain_rows(path, "SELECT removed FROM annotations") == [(1,)]
        store.undo()
        assert plain_rows(path, "SELECT removed FROM annotations") == [(0,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work.sqlite"]  # no journal, no half-written save


def test_a_desktop_store_opens_in_the_browser_and_back(tmp_path, article, monkeypatch):
    path = tmp_path / "work.sqlite"
    monkeypatch.setenv(_browserstore.BACKEND_ENV, "file")
    with open_store(path, annotator="ana") as desktop:
        add_actor(desktop, article)
    monkeypatch.setenv(_browserstore.BACKEND_ENV, "browser")
    with open_store(path, annotator="ana") as browser:
        assert len(browser.rows()) == 1
        add_actor(browser, article, "Critics", "critics")
    monkeypatch.setenv(_browserstore.BACKEND_ENV, "file")
    with open_store(path, annotator="ana") as desktop:
        assert [r["entity"] for r in desktop.rows()] == ["Ana Ruiz", "critics"]


def test_nothing_is_written_when_nothing_changed(tmp_path, article):
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        add_actor(store, article)
    before = (path.stat().st_mtime_ns, path.read_bytes())
    with open_store(path, annotator="ana") as store:
        store.rows()
        store.annotations()
        assert store.student_name is None
        with pytest.raises(annotkit.AnnotationError):
            store.add(article, layer="actor", label="no-such-label", start=0, end=5)  # refused: rolled back
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before


def test_two_kernels_see_each_others_work_and_never_write_over_it(tmp_path, article, monkeypatch):
    monkeypatch.setattr(_browserstore, "REFRESH_INTERVAL", 0.0)  # a human takes longer than that between actions
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as one, open_store(path, annotator="ana") as two:
        first = add_actor(one, article)
        assert [r["annotation_id"] for r in two.rows()] == [first]  # two reads what one saved
        second = add_actor(two, article, "Critics", "critics")  # two writes on top of one's work
        one.set_student_name("Ana Ruiz")
        assert two.student_name == "Ana Ruiz"
        one.reflect(article, "q1", "Because the mayor spoke first.", question="Why?")
    with open_store(path, annotator="ana") as store:
        assert {r["annotation_id"] for r in store.rows()} == {first, second}
        assert store.student_name == "Ana Ruiz"
        assert store.reflections()["answer"].tolist() == ["Because the mayor spoke first."]


def test_a_write_always_reloads_another_kernels_save_first(tmp_path, article, monkeypatch):
    monkeypatch.setattr(_browserstore, "REFRESH_INTERVAL", 3600.0)  # reads would not look again for an hour...
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as one, open_store(path, annotator="ana") as two:
        first = add_actor(one, article)
        second = add_actor(two, article, "Critics", "critics")  # ...but a write does
    assert {row[0] for row in plain_rows(path, "SELECT annotation_id FROM annotations")} == {first, second}


def test_a_failed_save_says_so_and_the_next_save_writes_everything(tmp_path, article, monkeypatch):
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        first = add_actor(store, article)
        real_replace = Path.replace

        def full_disk(self, target):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(Path, "replace", full_disk)
        with pytest.raises(StoreError) as failure:
            add_actor(store, article, "Critics", "critics")
        assert str(failure.value) == (
            "annotkit could not save your work in the browser's storage ([Errno 28] No space left on device). "
            "It is kept in this page and saved with your next change; if this message comes back, hand in your "
            "work now."
        )
        # The file still holds the last good save, whole; nothing half-written is left beside it.
        assert {r[0] for r in plain_rows(path, "SELECT annotation_id FROM annotations")} == {first}
        assert sorted(p.name for p in tmp_path.iterdir()) == ["work.sqlite"]
        monkeypatch.setattr(Path, "replace", real_replace)
        store.set_student_name("Ana Ruiz")  # the next change saves the tag that failed too
    assert len(plain_rows(path, "SELECT annotation_id FROM annotations")) == 2


def test_a_store_of_annotkit_01_in_wal_mode_opens(tmp_path, article):
    path = tmp_path / "work.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("BEGIN")
    _storefile.MIGRATIONS[0](db)  # annotkit 0.1's tables
    db.execute("PRAGMA user_version = 1")
    db.execute("COMMIT")
    db.close()
    assert path.read_bytes()[18:20] == b"\x02\x02"
    with open_store(path, annotator="ana") as store:
        add_actor(store, article)
    assert path.read_bytes()[18:20] == b"\x01\x01"
    assert len(plain_rows(path, "SELECT * FROM annotations")) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"my essay", "is not an annotkit store (it is not even a database)"),
        (b"SQLite format 3\x00" + b"\x00" * 200, "is damaged"),
    ],
)
def test_a_file_that_is_not_a_store_is_refused_and_left_alone(tmp_path, content, message):
    path = tmp_path / "work.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match=re.escape(message)):
        open_store(path, annotator="ana")
    assert path.read_bytes() == content


def test_a_half_written_save_of_a_stopped_kernel_is_removed(tmp_path, article, monkeypatch):
    path = tmp_path / "work.sqlite"
    old = tmp_path / "work.sqlite.1a2b3c4d.saving"
    fresh = tmp_path / "work.sqlite.5e6f7a8b.saving"  # another kernel's save, being written right now
    for leftover in (old, fresh):
        leftover.write_bytes(b"partial")
    hour_ago = old.stat().st_mtime - 3600
    os.utime(old, (hour_ago, hour_ago))
    with open_store(path, annotator="ana") as store:
        add_actor(store, article)
    assert not old.exists() and fresh.exists()


def test_in_jupyterlite_the_store_is_on_the_drive(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTKIT_STORE", raising=False)
    monkeypatch.setattr(_browserstore, "in_browser", lambda: True)
    drive = tmp_path / "drive"
    drive.mkdir()
    monkeypatch.setattr(_browserstore, "DRIVE", drive)
    monkeypatch.setattr(_browserstore, "DRIVE_STORE", drive / ".annotkit" / "work.sqlite")
    assert _storefile.default_path() == drive / ".annotkit" / "work.sqlite"
    monkeypatch.setenv("ANNOTKIT_STORE", str(tmp_path / "chosen.sqlite"))
    assert _storefile.default_path() == tmp_path / "chosen.sqlite"  # a teacher's setting still wins


def test_without_the_drive_the_student_is_told_their_work_will_not_last(tmp_path, monkeypatch):
    monkeypatch.delenv("ANNOTKIT_STORE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(_browserstore, "in_browser", lambda: True)
    monkeypatch.setattr(_browserstore, "DRIVE", tmp_path / "no-drive")
    with pytest.warns(AnnotkitWarning) as caught:
        path = _storefile.default_path()
    assert path == tmp_path / ".annotkit" / "work.sqlite"
    assert str(caught[0].message) == (
        "This browser does not let JupyterLite keep your files (a private window?), so your work lives only in this "
        "page: reloading or closing it loses it. Open the course in a normal window, or hand in your work before you "
        "close the page."
    )


def test_a_jupyterlite_hand_in_names_the_student_by_the_name_they_gave(tmp_path, article):
    store = open_store(tmp_path / "work.sqlite", annotator=_browserstore.BROWSER_USER)
    add_actor(store, article)
    receipt = annotkit.hand_in(store, name="Ana Ruiz", folder=tmp_path / "out")
    payload = json.loads(receipt.path.read_bytes())
    assert (payload["annotator"], payload["student_name"]) == ("Ana Ruiz", "Ana Ruiz")
    # Two JupyterLite students are two students for the teacher, not one "web_user".
    ben = open_store(tmp_path / "ben.sqlite", annotator=_browserstore.BROWSER_USER)
    add_actor(ben, article, "Critics", "critics")
    annotkit.hand_in(ben, name="Ben Okafor", folder=tmp_path / "out")
    work = annotkit.read_submissions(tmp_path / "out")
    assert sorted(work.submissions["annotator"]) == ["Ana Ruiz", "Ben Okafor"]
    assert len(work.annotations) == 2
    # Restoring the hand-in in the browser puts the work back under the browser's login.
    fresh = open_store(tmp_path / "fresh.sqlite", annotator=_browserstore.BROWSER_USER)
    report = fresh.import_submission(receipt.path)
    assert (report.added, fresh.student_name, fresh.rows()[0]["annotator"]) == (1, "Ana Ruiz", "web_user")
    for opened in (store, ben, fresh):
        opened.close()


def test_a_login_other_than_the_browsers_is_handed_in_as_it_is(tmp_path, article):
    with open_store(tmp_path / "work.sqlite", annotator="ana") as store:
        add_actor(store, article)
        receipt = annotkit.hand_in(store, name="Ana Ruiz", folder=tmp_path / "out")
    assert json.loads(receipt.path.read_bytes())["annotator"] == "ana"


def test_in_jupyterlite_a_hand_in_goes_where_the_student_can_download_it(tmp_path, article, monkeypatch):
    drive = tmp_path / "drive"
    drive.mkdir()
    monkeypatch.setattr(_browserstore, "in_browser", lambda: True)
    monkeypatch.setattr(_browserstore, "DRIVE", drive)
    with open_store(tmp_path / "work.sqlite", annotator=_browserstore.BROWSER_USER) as store:
        add_actor(store, article)
        receipt = annotkit.hand_in(store, name="Ana Ruiz")
    assert receipt.path == drive / "annotkit-hand-in" / "Ana_Ruiz.json"


def test_two_kernels_saving_at_the_same_moment_keep_both_changes(tmp_path, article, monkeypatch):
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as one, open_store(path, annotator="ana") as two:
        first = add_actor(one, article)
        two.rows()  # two has read the file before one's next save...
        monkeypatch.setattr(_browserstore, "REFRESH_INTERVAL", 3600.0)
        one_second = add_actor(one, article, "Critics", "critics")
        # ...and changes the store in the same instant, before it could see one's save:
        monkeypatch.setattr(two._db, "_refresh", lambda writing: None)
        two_tag = add_actor(two, article, "the city", "the city")
        two.set_student_name("Ana Ruiz")
    saved = {row[0] for row in plain_rows(path, "SELECT annotation_id FROM annotations")}
    assert saved == {first, one_second, two_tag}
    history = plain_rows(path, "SELECT annotation_id, action FROM history ORDER BY seq")
    assert sorted(history) == sorted([(first, "add"), (one_second, "add"), (two_tag, "add")])
    assert plain_rows(path, "SELECT student_name FROM annotators") == [("Ana Ruiz",)]


def test_a_tag_written_over_by_another_kernel_goes_back_into_the_file(tmp_path, article, monkeypatch):
    monkeypatch.setattr(_browserstore, "REFRESH_INTERVAL", 0.0)
    path = tmp_path / "work.sqlite"
    with open_store(path, annotator="ana") as store:
        before = path.read_bytes()  # a kernel that read the file before the next tag...
        tag = add_actor(store, article)
        _browserstore._replace(path, before)  # ...saves its copy over it
        assert plain_rows(path, "SELECT count(*) FROM annotations") == [(0,)]
        assert [row["annotation_id"] for row in store.rows()] == [tag]  # the next look at the file merges
    assert plain_rows(path, "SELECT annotation_id FROM annotations") == [(tag,)]
