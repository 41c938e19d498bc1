"""The store in the browser (JupyterLite): SQLite in memory, saved whole to one file after every change.

In JupyterLite, Python runs in the page (Pyodide) and its files live in the browser: ``/drive`` is the student's
JupyterLite file browser (kept in the browser's IndexedDB by JupyterLite), everything else (``/tmp``, the home
folder) is memory that a reload wipes. SQLite cannot run on ``/drive`` itself: the drive reads a file whole when it
is opened and writes it back whole when it is closed, each handle on its own copy, so SQLite's page writes, its
journal and its second handle on the same file tear the database apart (the known upstream problem).

So in the browser the store is an in-memory SQLite database, loaded from the store's file when it is opened
(``Connection.deserialize``) and written back whole (``Connection.serialize``) after every committed change: the
same tables, the same file format (a normal SQLite file a desktop annotkit opens as it is), one file per student.
Each save writes a new file beside the store and renames it over the store, so the file on the drive is always a
whole database, the old one or the new one, whatever moment the page is closed.

Why ``/drive`` and not an IndexedDB folder (Emscripten's IDBFS), measured in Chromium: a store on ``/drive``
written this way is kept the moment the change returns (tests/lite reloads the page after saving), and the file is
the student's, in their file browser, to download or upload. IDBFS writes to IndexedDB in the background
(``FS.syncfs`` is asynchronous): a 176 KB file saved with it just before the page went away was gone after the
reload, while the same file written to ``/drive`` was there. It must be read back asynchronously too, before the
store can open, which a notebook's synchronous ``open_store()`` cannot wait for; and its files are invisible to the
student. A save costs 50–60 ms at the median for a 70–180 KB store on a busy 2-core machine (one request to the
page through JupyterLite's drive API; writing a new file and renaming it took twice as long).

The drive needs JupyterLite's service worker: where the browser refuses it (some private windows), the store stays
in memory and annotkit says, once, that the work will not outlive the page.

Two notebooks (two kernels) on one store: each keeps its own copy in memory. Before a change, a kernel reloads the
file if another kernel saved it since, and before reading it checks at most every half second, so a tagger shows
what another notebook just did on its next action. Should the other kernel save in the milliseconds between, the
save merges the two copies row by row (``_storemerge``) instead of writing over the other's work.

The teacher sees every JupyterLite student as the same login, ``web_user``; see :func:`handed_in_as`.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

from ._storemerge import merge
from .errors import AnnotkitWarning, StoreError

__all__ = [
    "BROWSER_USER",
    "DRIVE",
    "BrowserConnection",
    "active",
    "connect",
    "default_path",
    "handed_in_as",
    "in_browser",
    "user_path",
]

#: The login every JupyterLite user has (Emscripten's ``USER``).
BROWSER_USER = "web_user"
#: JupyterLite's file browser, seen from the kernel.
DRIVE = Path("/drive")
#: Where the store lives in JupyterLite: in the student's files, hidden like ``~/.annotkit`` on a computer.
DRIVE_STORE = DRIVE / ".annotkit" / "work.sqlite"
#: Set to "browser" to use this store anywhere (the tests run the store's suite so), "file" to never use it.
BACKEND_ENV = "ANNOTKIT_STORE_BACKEND"
#: Seconds between two looks at the file for another kernel's changes before a read (a write always looks).
REFRESH_INTERVAL = 0.5
#: A half-written save of a kernel that was stopped is removed after this many seconds.
STALE_SAVE = 600
_SQLITE_HEADER = b"SQLite format 3\x00"


def in_browser() -> bool:
    """Whether Python runs in the browser (Pyodide, as in JupyterLite)."""
    return sys.platform == "emscripten"


def active() -> bool:
    """Whether the store is kept in memory and saved whole: in the browser, or when asked for."""
    backend = os.environ.get(BACKEND_ENV, "").strip().lower()
    if backend in ("browser", "file"):
        return backend == "browser"
    return in_browser()


def handed_in_as(annotator: str, student_name: str | None) -> str:
    """Who a hand-in says made the work: the login, or in JupyterLite the name the student gave.

    Every JupyterLite student has the login ``web_user``, so a class's hand-ins would all come from one person (the
    teacher's tables keep one hand-in per student and article). The store keeps the work under its login — one
    browser is one student, and the work stays whole whenever the name is given or corrected — and the hand-in
    names the student by the name they typed.

    >>> handed_in_as("web_user", "Ana Ruiz"), handed_in_as("ana", "Ana Ruiz"), handed_in_as("web_user", None)
    ('Ana Ruiz', 'ana', 'web_user')
    """
    if annotator == BROWSER_USER and student_name:
        return student_name
    return annotator


def _drive_works() -> bool:
    try:
        return DRIVE.is_dir() and os.listdir(DRIVE) is not None
    except OSError:  # mounted, but JupyterLite's service worker does not answer
        return False


def user_path(path: Path) -> Path:
    """A path under ``~`` where the student can see it: in JupyterLite, on the drive (the file browser).

    In JupyterLite the home folder is the page's memory: invisible in the file browser, gone at the next reload.
    A hand-in written there could never be downloaded.

    >>> user_path(Path("/srv/inbox"))
    PosixPath('/srv/inbox')
    """
    if in_browser() and path.parts[:1] == ("~",) and _drive_works():
        return DRIVE.joinpath(*path.parts[1:])
    return path.expanduser()


def default_path() -> Path:
    """The store's file in JupyterLite: on the drive, kept across reloads; in memory (and a warning) without it."""
    if _drive_works():
        return DRIVE_STORE
    warnings.warn(
        "This browser does not let JupyterLite keep your files (a private window?), so your work lives only in this "
        "page: reloading or closing it loses it. Open the course in a normal window, or hand in your work before "
        "you close the page.",
        AnnotkitWarning,
        stacklevel=4,
    )
    return Path("~/.annotkit/work.sqlite").expanduser()


def connect(path: Path, *, timeout: float) -> BrowserConnection:
    """Open a store file as an in-memory database (an empty one if the file is missing or empty)."""
    db = sqlite3.connect(":memory:", timeout=timeout, isolation_level=None, check_same_thread=False,
                         factory=BrowserConnection)  # fmt: skip
    db.mirror(path)
    return db


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def _replace(path: Path, image: bytes) -> tuple[int, int] | None:
    """Write a new file beside ``path`` and rename it over ``path`` (atomic on a computer's file system).

    Returns the stamp of the file written, taken before the rename: a save another kernel makes right after ours
    then shows as a change, never as ours.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.saving")
    try:
        with partial.open("wb") as handle:
            handle.write(image)
            handle.flush()
            if not in_browser():  # the browser's file systems have nothing to flush
                os.fsync(handle.fileno())
        stamp = _stamp(partial)
        partial.replace(path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return stamp


def _put_on_drive(path: Path, image: bytes) -> bool:
    """Replace a file of JupyterLite's drive in one request; False where there is no such drive.

    Through the file system the same save costs four requests to the page and a rename (about twice as long,
    measured in Chromium); JupyterLite's drive API stores the whole file as one IndexedDB record, in one
    transaction, so the file is the old one or the new one whatever happens.
    """
    if not in_browser() or DRIVE not in path.parents:
        return False
    try:
        import js  # type: ignore[import-not-found]  # Pyodide's modules: only in the browser
        import pyodide_js  # type: ignore[import-not-found]
        from pyodide.ffi import JsException, to_js  # type: ignore[import-not-found]

        api = pyodide_js.FS.lookupPath(str(DRIVE)).node.mount.type.API
        put = api.put
    except Exception:  # another JupyterLite, another drive: the file system route works everywhere
        return False
    try:
        put(str(path), to_js({"data": to_js(image), "format": "base64"}, dict_converter=js.Object.fromEntries))
    except JsException as error:
        raise OSError(str(error)) from None
    return True


def _rollback_header(image: bytes) -> bytes:
    """A database saved in WAL mode (annotkit 0.1), marked as rollback-journal: memory databases have no WAL."""
    if image[:16] == _SQLITE_HEADER and image[18:20] == b"\x02\x02":
        return image[:18] + b"\x01\x01" + image[20:]
    return image


class BrowserConnection(sqlite3.Connection):
    """A SQLite connection to an in-memory database that mirrors one file.

    The file is read when the store opens, read again when another kernel has saved it, and rewritten whole after
    every statement that ends a change (``COMMIT``, or a change outside a transaction) — only if the database
    differs from what was saved.
    """

    path: Path
    _saved: bytes
    _stamp: tuple[int, int] | None
    _checked: float

    def mirror(self, path: Path) -> None:
        """Mirror ``path``: load it now (it may not exist yet)."""
        self.path = path
        self._saved = b""
        self._stamp = None
        self._checked = 0.0
        self._load()
        self._remove_stale_saves()

    # --- the mirror ------------------------------------------------------------------------------------------

    def _load(self) -> None:
        stamp = _stamp(self.path)
        image = self.path.read_bytes() if stamp is not None and stamp[1] else b""
        if image:
            self.deserialize(_rollback_header(image))
        # What the database is now, as serialize() gives it: only a real change is written back.
        self._saved = self._image() if image else b""
        self._stamp = stamp
        self._checked = time.monotonic()

    def _image(self) -> bytes:
        try:
            return self.serialize()
        except sqlite3.OperationalError:  # a database with no page yet has no image
            return b""

    def _refresh(self, *, writing: bool) -> None:
        """Load the file again if another kernel saved it since we last read or wrote it."""
        if self.in_transaction or (not writing and time.monotonic() - self._checked < REFRESH_INTERVAL):
            return
        self._checked = time.monotonic()
        stamp = _stamp(self.path)
        if stamp == self._stamp or stamp is None:
            return
        # A statement of ours still being read, or the file being replaced: keep our copy, look again next time.
        with contextlib.suppress(sqlite3.Error, OSError, StoreError):
            theirs = _rollback_header(self.path.read_bytes())
            # Merged, not replaced: nothing in a store is ever deleted, so a row of ours the file lacks was written
            # over by a kernel that saved at the same moment (or a save of ours failed): it goes back in.
            if not self._saved or not merge(self, self._saved, theirs):
                self._load()  # the file holds all we have: take it as it is
            else:
                self._saved, self._stamp = theirs, stamp
                self._save()

    def _save(self) -> None:
        """Write the database to the file if it changed, whole, so the file is always the old or the new one."""
        image = self._image()
        if image == self._saved:
            return
        try:
            if _stamp(self.path) not in (self._stamp, None):
                # Another kernel saved while we were changing the store: keep its work and ours.
                merge(self, self._saved, _rollback_header(self.path.read_bytes()))
                image = self._image()
            stamp = _stamp(self.path) if _put_on_drive(self.path, image) else _replace(self.path, image)
        except (OSError, sqlite3.Error) as error:
            # The change is in memory, and goes to the file with the next save (always the whole database).
            msg = (
                f"annotkit could not save your work in the browser's storage ({error}). It is kept in this page "
                "and saved with your next change; if this message comes back, hand in your work now."
            )
            raise StoreError(msg) from None
        self._saved = image
        self._stamp = stamp

    def _remove_stale_saves(self) -> None:
        """Half-written saves a stopped kernel left behind (a live one renames its own within milliseconds)."""
        try:
            leftovers = list(self.path.parent.glob(f"{self.path.name}.*.saving"))
        except OSError:
            return
        for leftover in leftovers:
            stamp = _stamp(leftover)
            if stamp is not None and time.time() - stamp[0] / 1e9 > STALE_SAVE:
                leftover.unlink(missing_ok=True)

    # --- statements ------------------------------------------------------------------------------------------

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        self._refresh(writing=_starts_write(sql))
        ended = self.in_transaction
        cursor = super().execute(sql, parameters)
        if not self.in_transaction and (ended or not _reads_only(sql)):
            self._save()
        return cursor

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        self._refresh(writing=True)
        cursor = super().executemany(sql, parameters)
        if not self.in_transaction:
            self._save()
        return cursor

    def commit(self) -> None:
        super().commit()
        self._save()

    def close(self) -> None:
        try:
            self._save()
            # A kernel that saved at the same moment may have written over our last change: put it back.
            self._refresh(writing=True)
        finally:
            super().close()


def _first_word(sql: str) -> str:
    return sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""


def _starts_write(sql: str) -> bool:
    return _first_word(sql) not in ("SELECT", "WITH", "PRAGMA", "EXPLAIN")


def _reads_only(sql: str) -> bool:
    # A PRAGMA may change the file (user_version): compared before saving, so an unchanged one costs nothing.
    return _first_word(sql) in ("SELECT", "WITH", "EXPLAIN")
