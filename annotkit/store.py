"""The annotation store: every annotation a student makes, saved at once in one SQLite file.

Why SQLite: it ships with Python, a write is atomic and durable the moment ``add`` returns, two kernels (two
notebooks open at once) can write the same file safely, and a killed process loses at most the change it was
making. The store never overwrites a file it did not create, and nothing is ever deleted: removing an
annotation hides it, and ``undo`` brings it back.

Annotations are anchored twice, like web annotations: by position and by their exact text with 32 characters
of context on each side, so they can find their place again when an article's text changes.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .anchoring import CONTEXT_CHARS, anchor, context
from .errors import AnnotationError, StoreError
from .records import BASE_COLUMNS, JOURNALIST, annotations_frame, with_article
from .scheme import Scheme, load_scheme

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article

__all__ = ["ALIGNMENT_MODES", "CONTEXT_CHARS", "SCHEMA_VERSION", "AnnotationStore", "open_store"]

SCHEMA_VERSION = 1
ALIGNMENT_MODES = ("strict", "contract", "expand")
_SQLITE_HEADER = b"SQLite format 3\x00"
_APPLICATION = "annotkit"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


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


# MIGRATIONS[n] brings a store from schema version n to n + 1; version 0 is an empty file.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_create_version_1]


def _default_annotator() -> str:
    # ANNOTKIT_ANNOTATOR first: on shared logins (every student is "jovyan"), each student sets their own name.
    user = os.environ.get("ANNOTKIT_ANNOTATOR", "").strip() or os.environ.get("JUPYTERHUB_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "student"


class AnnotationStore:
    """Annotations saved in a SQLite file; open one with :func:`open_store`.

    Every change (``add``, ``update``, ``remove``, ``undo``) is committed before the method returns.

    Attributes
    ----------
    path
        The store's file.
    annotator
        Whose annotations ``add`` makes, and whose changes ``undo`` reverses.
    scheme
        The scheme annotations are checked against.

    Examples
    --------
    >>> import tempfile, annotkit
    >>> article = annotkit.load_bundled_article()
    >>> store = open_store(Path(tempfile.mkdtemp()) / "work.sqlite", annotator="ana")
    >>> start = article.text.index("President Joe Biden")
    >>> first = store.add(article, layer="actor", label="official", start=start, end=start + 19,
    ...                   entity="Joe Biden", affiliation="united_states", identification="named")
    >>> store.annotations()[["text", "entity"]].values.tolist()
    [['President Joe Biden', 'Joe Biden']]
    >>> store.close()
    """

    def __init__(self, path: Path, *, annotator: str, scheme: Scheme) -> None:
        self.path = path
        self.annotator = annotator
        self.scheme = scheme
        self._db = _connect(path)

    # --- lifecycle ---------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file. Everything was already saved."""
        self._db.close()

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"AnnotationStore({str(self.path)!r}, annotator={self.annotator!r})"

    def _write(self) -> _Transaction:
        return _Transaction(self._db)

    # --- changes -----------------------------------------------------------------------------------------

    def add(
        self,
        article: Article,
        *,
        layer: str,
        label: str,
        start: int | None = None,
        end: int | None = None,
        alignment: str = "strict",
        **attributes: Any,
    ) -> str:
        """Add an annotation and save it; return its id.

        Parameters
        ----------
        article
            The article annotated.
        layer, label
            From the scheme (``load_scheme()``).
        start, end
            Half-open offsets into ``article.text``, for span layers (actor, claim).
        alignment
            What to do when a span does not sit on token boundaries: ``"strict"`` refuses it, ``"contract"``
            shrinks it to the whole tokens inside, ``"expand"`` grows it to the tokens it touches.
        **attributes
            The layer's attributes (``entity=``, ``said_by=``, ``stance=`` ...).

        Raises
        ------
        AnnotationError
            Naming the field that is wrong and what is allowed.
        """
        clean = self.scheme.validate(layer, label, attributes)
        start, end = self._span(article, layer, start, end, alignment)
        self._check_references(article, layer, clean)
        annotation_id = uuid.uuid4().hex[:16]
        now = _now()
        row = (
            annotation_id,
            article.article_id,
            self.annotator,
            layer,
            label,
            start,
            end,
            *self._anchor(article, start, end),
            json.dumps(clean, ensure_ascii=False),
            now,
            now,
        )
        with self._write() as db:
            _remember_article(db, article)
            db.execute(
                'INSERT INTO annotations (annotation_id, article_id, annotator, layer, label, start, "end", text,'
                " prefix, suffix, attributes, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            self._log(db, annotation_id, "add", None)
        return annotation_id

    def update(
        self, annotation_id: str, *, article: Article | None = None, alignment: str = "strict", **changes: Any
    ) -> None:
        """Change an annotation's label, span (``start``/``end``, needs ``article``) or attributes; save at once.

        An attribute set to None or "" is cleared.
        """
        current = self._row(annotation_id)
        attributes = {
            **json.loads(current["attributes"]),
            **{k: v for k, v in changes.items() if k not in ("label", "start", "end")},
        }
        label = changes.get("label", current["label"])
        clean = self.scheme.validate(current["layer"], label, attributes)
        start, end, text, prefix, suffix = (
            current["start"],
            current["end"],
            current["text"],
            current["prefix"],
            current["suffix"],
        )
        if "start" in changes or "end" in changes:
            if article is None or article.article_id != current["article_id"]:
                msg = (
                    "To move a span, pass the article it belongs to: "
                    "store.update(id, article=article, start=..., end=...)."
                )
                raise AnnotationError(msg)
            start, end = self._span(
                article, current["layer"], changes.get("start", start), changes.get("end", end), alignment
            )
            text, prefix, suffix = self._anchor(article, start, end)
        if article is not None:
            self._check_references(article, current["layer"], clean)
        with self._write() as db:
            self._log(db, annotation_id, "update", current)
            db.execute(
                'UPDATE annotations SET label = ?, start = ?, "end" = ?, text = ?, prefix = ?, suffix = ?,'
                " attributes = ?, modified = ? WHERE annotation_id = ?",
                (label, start, end, text, prefix, suffix, json.dumps(clean, ensure_ascii=False), _now(), annotation_id),
            )

    def remove(self, annotation_id: str) -> None:
        """Remove an annotation (``undo`` brings it back; nothing is ever erased from the file)."""
        current = self._row(annotation_id)
        with self._write() as db:
            self._log(db, annotation_id, "remove", current)
            db.execute(
                "UPDATE annotations SET removed = 1, modified = ? WHERE annotation_id = ?", (_now(), annotation_id)
            )

    def undo(self) -> str | None:
        """Reverse this annotator's last change that is not undone yet; return its annotation id (None if none)."""
        with self._write() as db:
            last = db.execute(
                "SELECT seq, annotation_id, action, before FROM history WHERE annotator = ? AND undone = 0"
                " ORDER BY seq DESC LIMIT 1",
                (self.annotator,),
            ).fetchone()
            if last is None:
                return None
            seq, annotation_id, action, before = last
            if action == "add":
                db.execute(
                    "UPDATE annotations SET removed = 1, modified = ? WHERE annotation_id = ?", (_now(), annotation_id)
                )
            else:  # update or remove: put back the row as it was
                old = json.loads(before)
                db.execute(
                    "UPDATE annotations SET label = ?, start = ?, \"end\" = ?, text = ?, prefix = ?, suffix = ?,"
                    " status = ?, attributes = ?, modified = ?, removed = 0 WHERE annotation_id = ?",
                    (old["label"], old["start"], old["end"], old["text"], old["prefix"], old["suffix"], old["status"],
                     old["attributes"], _now(), annotation_id),
                )  # fmt: skip
            db.execute("UPDATE history SET undone = 1 WHERE seq = ?", (seq,))
        return annotation_id

    # --- reading -----------------------------------------------------------------------------------------

    def annotations(
        self,
        article_id: str | Article | None = None,
        annotator: str | None = None,
        layer: str | None = None,
        *,
        include_removed: bool = False,
    ) -> pd.DataFrame:
        """The saved annotations as a DataFrame with the columns of ``annotkit.records`` (newest last).

        >>> open_store(":memory:").annotations().columns[:4].tolist()
        ['annotation_id', 'article_id', 'annotator', 'layer']
        """
        if article_id is not None and not isinstance(article_id, str):
            article_id = article_id.article_id
        where, params = ["1 = 1"], []
        for column, value in (("article_id", article_id), ("annotator", annotator), ("layer", layer)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if not include_removed:
            where.append("removed = 0")
        rows = self._db.execute(
            f"SELECT {', '.join(_quoted(c) for c in BASE_COLUMNS)}, attributes FROM annotations"
            f" WHERE {' AND '.join(where)} ORDER BY rowid",
            params,
        ).fetchall()
        return annotations_frame(
            {**dict(zip(BASE_COLUMNS, row[:-1], strict=True)), **json.loads(row[-1])} for row in rows
        )

    def entities(self, article: Article, annotator: str | None = None) -> list[str]:
        """The actor entities tagged in an article (by this annotator unless another is named), in order."""
        rows = self._db.execute(
            "SELECT attributes FROM annotations WHERE article_id = ? AND annotator = ? AND layer = 'actor'"
            " AND removed = 0 ORDER BY rowid",
            (article.article_id, annotator or self.annotator),
        ).fetchall()
        seen: list[str] = []
        for (attributes,) in rows:
            entity = json.loads(attributes).get("entity")
            if entity and entity not in seen:
                seen.append(entity)
        return seen

    def article_text(self, article_id: str) -> str | None:
        """The text of an article the store has annotations on (None if it has never seen it)."""
        row = self._db.execute("SELECT text FROM articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def export_submission(
        self, path: str | Path, *, annotator: str | None = None, article_id: str | None = None
    ) -> Path:
        """Write a submission file for the teacher; see :func:`annotkit.submissions.export_submission`."""
        from .submissions import export_submission

        return export_submission(self, path, annotator=annotator, article_id=article_id)

    # --- re-anchoring ------------------------------------------------------------------------------------

    def reanchor(self, article: Article, *, from_article_id: str | None = None) -> pd.DataFrame:
        """Move annotations made on an older version of an article onto this one, finding each by its quote.

        The older version is the stored article with the same source file (or ``from_article_id``). Each
        annotation is found by position if its text is still there, else by its exact text and context;
        one that cannot be found is kept with ``status="orphaned"`` — shown, never dropped.

        Returns one row per annotation moved: ``annotation_id, status, old_start, start``.
        """
        import pandas as pd

        if from_article_id is None:
            found = self._db.execute(
                "SELECT article_id FROM articles WHERE source = ? AND article_id != ? ORDER BY added DESC",
                (article.source, article.article_id),
            ).fetchone()
            if found is None:
                return pd.DataFrame(columns=["annotation_id", "status", "old_start", "start"])
            from_article_id = found[0]
        rows = self._db.execute(
            'SELECT annotation_id, start, "end", text, prefix, suffix FROM annotations WHERE article_id = ?',
            (from_article_id,),
        ).fetchall()
        results = []
        with self._write() as db:
            _remember_article(db, article)
            for annotation_id, start, end, text, prefix, suffix in rows:
                if start is None:  # a perspective: about an entity, not a span
                    new, status = (None, None), "ok"
                else:
                    found = anchor(
                        article.text, start=start, end=end, exact=text, prefix=prefix or "", suffix=suffix or ""
                    )
                    # An orphan keeps its words and context (to show, and to re-anchor later) but no position,
                    # so text[start:end] == text holds for every row that has one.
                    new, status = (found, "ok") if found else ((None, None), "orphaned")
                fields = self._anchor(article, *new) if new[0] is not None else (text, prefix, suffix)
                db.execute(
                    'UPDATE annotations SET article_id = ?, start = ?, "end" = ?, text = ?, prefix = ?, suffix = ?,'
                    " status = ?, modified = ? WHERE annotation_id = ?",
                    (article.article_id, new[0], new[1], *fields, status, _now(), annotation_id),
                )
                results.append((annotation_id, status, start, new[0]))
        return pd.DataFrame(results, columns=["annotation_id", "status", "old_start", "start"])

    # --- helpers -----------------------------------------------------------------------------------------

    def _row(self, annotation_id: str) -> dict[str, Any]:
        columns = ["layer", "label", "start", "end", "text", "prefix", "suffix", "status", "attributes", "article_id"]
        row = self._db.execute(
            f"SELECT {', '.join(_quoted(c) for c in columns)} FROM annotations WHERE annotation_id = ?",
            (annotation_id,),
        ).fetchone()
        if row is None:
            msg = f"No annotation with id {annotation_id!r} in {self.path.name}. Check the id in store.annotations()."
            raise AnnotationError(msg)
        return dict(zip(columns, row, strict=True))

    def _log(self, db: sqlite3.Connection, annotation_id: str, action: str, before: Mapping[str, Any] | None) -> None:
        db.execute(
            "INSERT INTO history (annotator, annotation_id, action, before, at) VALUES (?, ?, ?, ?, ?)",
            (self.annotator, annotation_id, action, json.dumps(before) if before else None, _now()),
        )

    def _span(self, article: Article, layer: str, start: Any, end: Any, alignment: str) -> tuple[Any, Any]:
        if self.scheme.layer(layer).kind == "record":
            if start is not None or end is not None:
                what = with_article(layer).capitalize()
                msg = f"{what} is about an actor, not a span of text: leave out start and end."
                raise AnnotationError(msg)
            return None, None
        for name, value in (("start", start), ("end", end)):
            if not isinstance(value, int) or isinstance(value, bool):
                what = with_article(layer).capitalize()
                msg = f"{what} needs {name}= as a whole number (an offset into the article's text), not {value!r}."
                raise AnnotationError(msg)
        if not 0 <= start < end <= len(article.text):
            problem = "is empty" if start == end else "is reversed" if start > end else "is outside the article"
            msg = (
                f"The span start={start}, end={end} {problem}: it must satisfy 0 <= start < end <= "
                f"{len(article.text)} (the article's length)."
            )
            raise AnnotationError(msg)
        return align_to_tokens(article, start, end, alignment)

    def _anchor(self, article: Article, start: int | None, end: int | None) -> tuple[Any, Any, Any]:
        if start is None or end is None:
            return None, None, None
        return (article.text[start:end], *context(article.text, start, end))

    def _check_references(self, article: Article, layer: str, attributes: Mapping[str, Any]) -> None:
        """``said_by`` and a perspective's ``entity`` must name an actor tagged in the same article."""
        name = {"claim": "said_by", "perspective": "entity"}.get(layer)
        value = attributes.get(name) if name else None
        if value is None or (layer == "claim" and value == JOURNALIST):
            return
        entities = self.entities(article)
        if value not in entities:
            choices = ", ".join(entities[:12]) or "none yet"
            extra = f" or {JOURNALIST!r}" if layer == "claim" else ""
            msg = (
                f"{name}={value!r} names no actor you have tagged in this article. Tag the actor first, or choose "
                f"one of your actors ({choices}){extra}."
            )
            raise AnnotationError(msg)


def _quoted(column: str) -> str:
    return f'"{column}"'


class _Transaction:
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


def _remember_article(db: sqlite3.Connection, article: Article) -> None:
    db.execute(
        "INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?, ?)",
        (article.article_id, article.title, article.source, article.text, _now()),
    )


def align_to_tokens(article: Article, start: int, end: int, alignment: str) -> tuple[int, int]:
    """Snap a span to token boundaries as ``alignment`` says (the modes of spaCy's ``Doc.char_span``)."""
    import numpy as np

    if alignment not in ALIGNMENT_MODES:
        msg = f"Unknown alignment {alignment!r}. Use one of: {', '.join(ALIGNMENT_MODES)}."
        raise AnnotationError(msg)
    starts = article.tokens["start"].to_numpy()
    ends = article.tokens["end"].to_numpy()
    touched = np.nonzero((starts < end) & (ends > start))[0]
    inside = np.nonzero((starts >= start) & (ends <= end))[0]
    on_boundaries = start in set(starts[touched]) and end in set(ends[touched])
    if on_boundaries:
        return start, end
    if alignment == "strict":
        snippet = article.text[start:end]
        msg = (
            f"The span {snippet!r} (start={start}, end={end}) cuts through a word. Select whole words, or pass "
            "alignment='expand' (grow to whole words) or alignment='contract' (shrink to whole words)."
        )
        raise AnnotationError(msg)
    chosen = touched if alignment == "expand" else inside
    if len(chosen) == 0:
        msg = f"The span start={start}, end={end} holds no whole word to contract to. Select at least one word."
        raise AnnotationError(msg)
    return int(starts[chosen[0]]), int(ends[chosen[-1]])


def _connect(path: Path) -> sqlite3.Connection:
    """Open (or create) a store, refusing anything that is not one, and bring its schema up to date."""
    in_memory = str(path) == ":memory:"
    if not in_memory:
        if path.is_dir():
            msg = f"'{path}' is a folder. Give a file name for the store, such as {path / 'annotations.sqlite'}."
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
    try:
        db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        msg = f"'{path}' is damaged and cannot be read ({error}). Keep the file, and ask your teacher to look at it."
        raise StoreError(msg) from None
    if tables and "meta" not in tables:
        db.close()
        msg = f"'{path}' is a database, but not an annotkit store, so annotkit will not touch it. Choose another file."
        raise StoreError(msg)
    if version > SCHEMA_VERSION:
        db.close()
        msg = (
            f"'{path}' was made by a newer annotkit (store version {version}; this one reads up to "
            f"{SCHEMA_VERSION}). Upgrade annotkit: pip install -U annotkit."
        )
        raise StoreError(msg)
    db.execute("PRAGMA synchronous = FULL")
    if tables and db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
        db.close()
        msg = f"'{path}' is damaged. Keep the file (it may still hold your work), and ask your teacher to look at it."
        raise StoreError(msg)
    if version < SCHEMA_VERSION:
        with _Transaction(db):
            # Read the version again under the write lock: another kernel may have just created or migrated it.
            current = db.execute("PRAGMA user_version").fetchone()[0]
            for step in range(current, SCHEMA_VERSION):
                MIGRATIONS[step](db)
                db.execute(f"PRAGMA user_version = {step + 1}")
    if not in_memory:
        _use_wal(db)
    return db


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch to write-ahead logging: readers never block the writer, and a crash cannot tear a write."""
    for attempt in range(50):
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError:  # another kernel holds a lock this pragma will not wait for
            time.sleep(0.05 * (attempt + 1))
    msg = "The annotation store stayed locked by another program. Close other notebooks using it, and try again."
    raise StoreError(msg)


def open_store(
    path: str | Path | None = None, *, annotator: str | None = None, scheme: Scheme | None = None
) -> AnnotationStore:
    """Open the annotation store, creating it if needed.

    Parameters
    ----------
    path
        The store file; default ``$ANNOTKIT_STORE`` if set, else ``annotations.sqlite`` in the working folder.
        ``":memory:"`` gives a store that lives only as long as the kernel (for trying things out).
    annotator
        Whose work this is; default ``$ANNOTKIT_ANNOTATOR``, else ``$JUPYTERHUB_USER``, else the login name.
    scheme
        The scheme to check annotations against; default the course's scheme.

    Raises
    ------
    StoreError
        For a file that is not an annotkit store, is damaged, or was made by a newer annotkit. Such a file is
        never overwritten.

    >>> open_store(":memory:", annotator="ana").annotator
    'ana'
    """
    if path is None:
        path = os.environ.get("ANNOTKIT_STORE") or "annotations.sqlite"
    return AnnotationStore(Path(path), annotator=annotator or _default_annotator(), scheme=scheme or load_scheme())
