"""The store's file: opening it safely, its tables, migrations between versions, and write transactions.

Why a rollback journal and not write-ahead logging: with WAL, committed work can sit in a second file
(``work.sqlite-wal``) until a checkpoint, so a student who copies or uploads "the file" can lose everything. With
the rollback journal, the moment a change is committed it is in the one file; the journal exists only while a
change is being written. Two kernels still share the file safely: each write takes the lock up front
(``BEGIN IMMEDIATE``) and waits its turn.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from . import _browserstore
from .errors import AnnotkitWarning, StoreError

__all__ = ["DEFAULT_STORE", "LEGACY_STORE", "SCHEMA_VERSION", "Transaction", "connect", "default_path", "now"]

#: Where a student's work lives unless ``ANNOTKIT_STORE`` says otherwise: out of the way, in their home folder,
#: and the same for every notebook of the course.
DEFAULT_STORE = Path("~") / ".annotkit" / "work.sqlite"
#: Where annotkit 0.1 kept the work: in the notebook's folder. Copied into the new place once.
LEGACY_STORE = Path("annotations.sqlite")

SCHEMA_VERSION = 2
_SQLITE_HEADER = b"SQLite format 3\x00"
_APPLICATION = "annotkit"
#: Seconds a write waits for another kernel's write to finish before giving up with a message.
BUSY_TIMEOUT = 30


def now() -> str:
    """The time now, as an ISO 8601 UTC timestamp with milliseconds (``2026-12-07T10:00:00.000Z``)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``: take the write lock up front, so two kernels queue instead of failing."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            msg = f"The annotation store is busy or cannot be written ({error}). Wait a moment and try again."
            raise StoreError(msg) from None
        return self.db

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


# --- the tables, version by version -------------------------------------------------------------------------

_VERSION_1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE articles (
        article_id TEXT PRIMARY KEY, title TEXT, source TEXT, text TEXT NOT NULL, added TEXT NOT NULL
    )""",
    """CREATE TABLE annotations (
        annotation_id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL,
        annotator TEXT NOT NULL,
        layer TEXT NOT NULL,
        label TEXT NOT NULL,
        start INTEGER,
        "end" INTEGER,
        text TEXT,
        prefix TEXT,
        suffix TEXT,
        status TEXT NOT NULL DEFAULT 'ok',
        attributes TEXT NOT NULL DEFAULT '{}',
        created TEXT NOT NULL,
        modified TEXT NOT NULL,
        removed INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX annotations_by_article ON annotations (article_id, annotator, layer)",
    # Every change, so undo can reverse it and nothing a student did is ever lost.
    """CREATE TABLE history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        annotator TEXT NOT NULL,
        annotation_id TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT,
        at TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0
    )""",
    f"INSERT INTO meta VALUES ('application', '{_APPLICATION}')",
)


def _create_version_1(db: sqlite3.Connection) -> None:
    # One statement at a time: executescript() would commit half-way through the migration's transaction.
    for statement in _VERSION_1:
        db.execute(statement)


_VERSION_2 = (
    # An article is known by its identity and by the version of its text: one row per version seen, with when it
    # was last used. The text may be unknown (work restored from a hand-in of annotkit 0.1, which had none).
    """CREATE TABLE article_versions (
        article_id TEXT NOT NULL,
        text_sha256 TEXT NOT NULL,
        title TEXT,
        source TEXT,
        text TEXT,
        used TEXT NOT NULL,
        PRIMARY KEY (article_id, text_sha256)
    )""",
    # The annotator's note, how the annotation was made (browser or python), and the text version its offsets
    # point into.
    "ALTER TABLE annotations ADD COLUMN note TEXT",
    "ALTER TABLE annotations ADD COLUMN origin TEXT NOT NULL DEFAULT 'python'",
    "ALTER TABLE annotations ADD COLUMN text_sha256 TEXT",
    # Undo acts within one widget: its article and layer.
    "ALTER TABLE history ADD COLUMN article_id TEXT",
    "ALTER TABLE history ADD COLUMN layer TEXT",
    "ALTER TABLE history ADD COLUMN origin TEXT",
    "CREATE INDEX history_by_scope ON history (annotator, article_id, layer, undone)",
    """CREATE TABLE annotators (
        annotator TEXT PRIMARY KEY, student_name TEXT, modified TEXT NOT NULL
    )""",
    """CREATE TABLE reflections (
        annotator TEXT NOT NULL,
        article_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        modified TEXT NOT NULL,
        PRIMARY KEY (annotator, article_id, question_id)
    )""",
    # Every answer ever saved: a reflection rewritten is never lost.
    """CREATE TABLE reflection_history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        annotator TEXT NOT NULL,
        article_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        answer TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
)


def _create_version_2(db: sqlite3.Connection) -> None:
    for statement in _VERSION_2:
        db.execute(statement)
    # Version 1 knew an article by a hash of its text; version 2 by its identity (the file's name) and a version.
    old = db.execute("SELECT article_id, title, source, text, added FROM articles").fetchall()
    for old_id, title, source, text, added in old:
        identity = Path(source).stem if source else old_id
        version = hashlib.sha256(text.encode("utf-8")).hexdigest()
        db.execute(
            "INSERT OR IGNORE INTO article_versions VALUES (?, ?, ?, ?, ?, ?)",
            (identity, version, title, source, text, added),
        )
        db.execute(
            "UPDATE annotations SET article_id = ?, text_sha256 = ? WHERE article_id = ?", (identity, version, old_id)
        )
    db.execute("DROP TABLE articles")
    db.execute(
        "UPDATE history SET article_id = (SELECT a.article_id FROM annotations a WHERE a.annotation_id ="
        " history.annotation_id), layer = (SELECT a.layer FROM annotations a WHERE a.annotation_id ="
        " history.annotation_id)"
    )


# MIGRATIONS[n] brings a store from schema version n to n + 1; version 0 is an empty file.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_version_1, _create_version_2]


# --- opening ----------------------------------------------------------------------------------------------------


def connect(path: Path) -> sqlite3.Connection:
    """Open (or create) a store, refusing anything that is not one, and bring its tables up to date."""
    in_memory = str(path) == ":memory:"
    if not in_memory:
        if path.is_dir():
            msg = f"'{path}' is a folder. Give a file name for the store, such as {path / 'work.sqlite'}."
            raise StoreError(msg)
        if path.exists() and path.stat().st_size:
            with path.open("rb") as handle:
                header = handle.read(len(_SQLITE_HEADER))
            if header != _SQLITE_HEADER:
                msg = (
                    f"'{path}' is not an annotkit store (it is not even a database), so annotkit will not touch it. "
                    "Choose another file name, or set ANNOTKIT_STORE to your store."
                )
                raise StoreError(msg)
        path.parent.mkdir(parents=True, exist_ok=True)
    mirrored = not in_memory and _browserstore.active()  # JupyterLite: see _browserstore
    db: sqlite3.Connection
    try:
        if mirrored:
            db = _browserstore.connect(path, timeout=BUSY_TIMEOUT)
        else:
            db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
    except sqlite3.DatabaseError as error:
        raise _damaged(path, error) from None
    try:
        _prepare(db, path, in_memory=in_memory, mirrored=mirrored)
    except BaseException:
        # A connection left open would keep the file locked (or in write-ahead mode) for as long as the kernel
        # keeps the error, so a second try in the same notebook would fail too.
        db.close()
        raise
    return db


def _damaged(path: Path, error: sqlite3.Error) -> StoreError:
    msg = f"'{path}' is damaged and cannot be read ({error}). Keep the file, and ask your teacher to look at it."
    return StoreError(msg)


def _prepare(db: sqlite3.Connection, path: Path, *, in_memory: bool, mirrored: bool) -> None:
    """Check that the file is an annotkit store this annotkit can read, make it durable, and migrate it."""
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise _damaged(path, error) from None
    if tables and "meta" not in tables:
        msg = f"'{path}' is a database, but not an annotkit store, so annotkit will not touch it. Choose another file."
        raise StoreError(msg)
    if version > SCHEMA_VERSION:
        msg = (
            f"'{path}' was made by a newer annotkit (store version {version}; this one reads up to "
            f"{SCHEMA_VERSION}). Upgrade annotkit: pip install -U annotkit."
        )
        raise StoreError(msg)
    # FULL: a change is on the disk before add() returns, so a power cut or a killed kernel cannot lose it.
    db.execute("PRAGMA synchronous = FULL")
    if tables and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        msg = f"'{path}' is damaged. Keep the file (it may still hold your work), and ask your teacher to look at it."
        raise StoreError(msg)
    if not in_memory and not mirrored:
        _use_rollback_journal(db)
    if version < SCHEMA_VERSION:
        with Transaction(db):
            # Read the version again under the write lock: another kernel may have just created or migrated it.
            current = db.execute("PRAGMA user_version").fetchone()[0]
            for step in range(current, SCHEMA_VERSION):
                MIGRATIONS[step](db)
                db.execute(f"PRAGMA user_version = {step + 1}")


def _use_rollback_journal(db: sqlite3.Connection) -> None:
    """Keep everything in the one file (see the module's docstring); a store from annotkit 0.1 used WAL."""
    for attempt in range(50):
        try:
            mode = db.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # another kernel holds a lock this pragma will not wait for
            mode = None
        if mode == "delete":
            return
        time.sleep(0.05 * (attempt + 1))
    msg = "The annotation store stayed locked by another program. Close other notebooks using it, and try again."
    raise StoreError(msg)


# --- where the store is -----------------------------------------------------------------------------------------


def default_path() -> Path:
    """``$ANNOTKIT_STORE``, else ``~/.annotkit/work.sqlite`` (where annotkit 0.1's work is copied once)."""
    configured = os.environ.get("ANNOTKIT_STORE", "").strip()
    if configured:
        return Path(configured).expanduser()
    if _browserstore.in_browser():
        return _browserstore.default_path()
    path = DEFAULT_STORE.expanduser()
    if not path.exists() and LEGACY_STORE.is_file():
        _copy_legacy(LEGACY_STORE, path)
    return path


def _copy_legacy(old: Path, new: Path) -> None:
    """Copy annotkit 0.1's store (WAL and all) into the new place, once, and say so."""
    try:
        source = sqlite3.connect(f"file:{old}?mode=ro", uri=True)
        if source.execute("SELECT count(*) FROM sqlite_master WHERE name = 'meta'").fetchone()[0] != 1:
            source.close()
            return  # not an annotkit store: leave it alone
        new.parent.mkdir(parents=True, exist_ok=True)
        partial = new.with_name(new.name + ".partial")
        target = sqlite3.connect(partial)
        with target:
            source.backup(target)  # takes committed work from the WAL file too
        target.close()
        source.close()
        shutil.move(partial, new)
    except (sqlite3.Error, OSError):
        return  # the old file stays where it is; open_store can still be pointed at it with ANNOTKIT_STORE
    warnings.warn(
        f"Your work in {old} was copied to {new}, where annotkit keeps it from now on. "
        f"Nothing was lost; you can delete {old} when you like.",
        AnnotkitWarning,
        stacklevel=4,
    )
