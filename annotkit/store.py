"""The annotation store: every annotation a student makes, saved at once in one SQLite file.

Why SQLite: it ships with Python, a write is atomic and durable the moment ``add`` returns, two kernels (two
notebooks open at once) can write the same file safely, and a killed process loses at most the change it was
making. The whole of a student's work is in the one file after every change, so it can be copied or uploaded
alone. The store never overwrites a file it did not create, and nothing is ever deleted: removing an
annotation hides it, ``undo`` brings it back, and every answer to a reflection is kept.

Annotations are anchored twice, like web annotations: by position and by their exact text with 32 characters
of context on each side. An article is known by its identity and the version of its text; tags made on another
version of the same article are moved onto the version in use when it is opened, and those that cannot be found
are kept and named, never hidden.
"""

from __future__ import annotations

import getpass
import json
import os
import sqlite3
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import versions
from ._storefile import DEFAULT_STORE, SCHEMA_VERSION, Transaction, connect, default_path, now
from .anchoring import ALIGNMENT_MODES, CONTEXT_CHARS, align_to_tokens
from .errors import AnnotationError, StoreError
from .records import BASE_COLUMNS, JOURNALIST, ORIGINS, annotations_frame, with_article
from .scheme import Scheme, load_scheme
from .versions import StoredText

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article
    from .handin import ImportReport

__all__ = [
    "ALIGNMENT_MODES",
    "CONTEXT_CHARS",
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "AnnotationStore",
    "StoredText",
    "Undone",
    "align_to_tokens",
    "open_store",
]

#: The longest reflection answer or note kept (a page and a half of text).
MAX_TEXT = 20_000
# An annotation as stored: the base columns, its attributes as JSON, and the text version its offsets point into.
_SELECT = ", ".join(f'"{c}"' for c in BASE_COLUMNS) + ", attributes, text_sha256"
_READ_CACHE_SIZE = 16  # answers of rows() kept: a notebook's few widgets, each asking for its layer
_PARSED_CACHE_SIZE = 20_000  # attribute texts kept parsed: a long lesson's tags, many times over


@dataclass(frozen=True)
class Undone:
    """What :meth:`AnnotationStore.undo` reversed.

    Attributes
    ----------
    annotation_id
        The annotation changed back.
    action
        The change that was undone: ``"add"``, ``"update"`` or ``"remove"``.
    layer, label, text
        The annotation as it is now (its words, or None for a perspective).
    entity
        The actor it is about (a perspective), or linked to (an actor tag), if any.
    """

    annotation_id: str
    action: str
    layer: str
    label: str
    text: str | None
    entity: str | None

    def describe(self, label_name: str | None = None) -> str:
        """The change undone in words, for a status line: ``Undid: removed the tag “Biden” (Official).``."""
        what = f"“{self.text}”" if self.text else f"{self.entity}'s perspective" if self.entity else "the tag"
        label = f" ({label_name or self.label})" if self.text else ""
        done = {"add": "tagging", "update": "the change to", "remove": "removing"}[self.action]
        return f"Undid {done} {what}{label}."


def _default_annotator() -> str:
    # ANNOTKIT_ANNOTATOR first: on shared logins (every student is "jovyan"), each student sets their own name.
    user = os.environ.get("ANNOTKIT_ANNOTATOR", "").strip() or os.environ.get("JUPYTERHUB_USER", "").strip()
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "student"


def _check_text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        msg = f"{what} must be text, not {type(value).__name__} ({value!r})."
        raise AnnotationError(msg)
    if len(value) > MAX_TEXT:
        msg = f"{what} is {len(value):,} characters long; keep it under {MAX_TEXT:,} (about a page and a half)."
        raise AnnotationError(msg)
    return value


class AnnotationStore:
    """Annotations saved in a SQLite file; open one with :func:`open_store`.

    Every change (``add``, ``update``, ``remove``, ``undo``, ``reflect``) is committed before the method returns.

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
        self._db = connect(path)
        self._synced: set[tuple[str, str]] = set()  # (article_id, text_sha256) moved onto this version already
        # rows() is called on every key press a widget handles, often twice with nothing written in between: the
        # last answers are kept, each with the file's change marker when it was read (see _change_marker).
        self._read_cache: dict[tuple[Any, ...], tuple[tuple[int, int], list[dict[str, Any]]]] = {}
        self._parsed: dict[str, dict[str, Any]] = {}  # attributes JSON text -> its values (the same text, parsed once)
        #: The history number of the last change made through this store object (a widget keeps its own, so its
        #: Ctrl+Z undoes only what was changed in it).
        self.last_change: int | None = None

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

    def _write(self) -> Transaction:
        return Transaction(self._db)

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
        note: str | None = None,
        origin: str = "python",
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
        note
            The annotator's own note on it ("why I tagged it so").
        origin
            ``"browser"`` when a student made it by hand in a widget, ``"python"`` (the default) when code did.
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
        note = self._note(note)
        origin = self._origin(origin)
        annotation_id = uuid.uuid4().hex[:16]
        stamp = now()
        text, prefix, suffix = versions.anchored(article, start, end)
        with self._write() as db:
            versions.remember(db, article)
            db.execute(
                'INSERT INTO annotations (annotation_id, article_id, annotator, layer, label, start, "end", text,'
                " prefix, suffix, note, origin, attributes, created, modified, text_sha256)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (annotation_id, article.article_id, self.annotator, layer, label, start, end, text, prefix, suffix,
                 note, origin, json.dumps(clean, ensure_ascii=False), stamp, stamp, article.text_sha256),
            )  # fmt: skip
            self._log(db, annotation_id, "add", None, article.article_id, layer, origin)
        return annotation_id

    def update(
        self,
        annotation_id: str,
        *,
        article: Article | None = None,
        alignment: str = "strict",
        origin: str = "python",
        **changes: Any,
    ) -> None:
        """Change an annotation's label, span (``start``/``end``, needs ``article``), note or attributes; save at once.

        An attribute (or the note) set to None or "" is cleared. ``origin`` says who made the change (kept in the
        history); an annotation's own ``origin`` is how it was first made.
        """
        current = self._row(annotation_id)
        origin = self._origin(origin)
        attributes = {
            **json.loads(current["attributes"]),
            **{k: v for k, v in changes.items() if k not in ("label", "start", "end", "note")},
        }
        label = changes.get("label", current["label"])
        clean = self.scheme.validate(current["layer"], label, attributes)
        note = self._note(changes["note"]) if "note" in changes else current["note"]
        start, end, text, prefix, suffix, version = (
            current["start"],
            current["end"],
            current["text"],
            current["prefix"],
            current["suffix"],
            current["text_sha256"],
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
            text, prefix, suffix = versions.anchored(article, start, end)
            version = article.text_sha256
        if article is not None:
            self._check_references(article, current["layer"], clean)
        with self._write() as db:
            self._log(db, annotation_id, "update", current, current["article_id"], current["layer"], origin)
            db.execute(
                'UPDATE annotations SET label = ?, start = ?, "end" = ?, text = ?, prefix = ?, suffix = ?, note = ?,'
                " attributes = ?, text_sha256 = ?, modified = ? WHERE annotation_id = ?",
                (label, start, end, text, prefix, suffix, note, json.dumps(clean, ensure_ascii=False), version,
                 now(), annotation_id),
            )  # fmt: skip

    def remove(self, annotation_id: str, *, origin: str = "python") -> None:
        """Remove an annotation (``undo`` brings it back; nothing is ever erased from the file)."""
        current = self._row(annotation_id)
        origin = self._origin(origin)
        with self._write() as db:
            self._log(db, annotation_id, "remove", current, current["article_id"], current["layer"], origin)
            db.execute(
                "UPDATE annotations SET removed = 1, modified = ? WHERE annotation_id = ?", (now(), annotation_id)
            )

    def undo(
        self,
        *,
        article: Article | str | None = None,
        layer: str | None = None,
        among: Collection[int] | None = None,
    ) -> Undone | None:
        """Reverse this annotator's last change not undone yet — in this article and layer, when given.

        ``among`` limits it to those changes (their :attr:`last_change` numbers): a widget passes the changes made
        in it, so Ctrl+Z in one notebook never reaches into another. Returns what was undone, or None when there
        is nothing to undo.
        """
        where = ["annotator = ?", "undone = 0", "action IN ('add', 'update', 'remove')"]
        params: list[Any] = [self.annotator]
        if among is not None:
            changes = sorted({int(seq) for seq in among})
            if not changes:
                return None
            where.append(f"seq IN ({', '.join('?' * len(changes))})")
            params.extend(changes)
        if article is not None:
            where.append("article_id = ?")
            params.append(article if isinstance(article, str) else article.article_id)
        if layer is not None:
            where.append("layer = ?")
            params.append(layer)
        with self._write() as db:
            last = db.execute(
                f"SELECT seq, annotation_id, action, before FROM history WHERE {' AND '.join(where)}"
                " ORDER BY seq DESC LIMIT 1",
                params,
            ).fetchone()
            if last is None:
                return None
            seq, annotation_id, action, before = last
            if action == "add":
                db.execute(
                    "UPDATE annotations SET removed = 1, modified = ? WHERE annotation_id = ?", (now(), annotation_id)
                )
            else:  # update or remove: put back the row as it was
                old = json.loads(before)
                db.execute(
                    "UPDATE annotations SET label = ?, start = ?, \"end\" = ?, text = ?, prefix = ?, suffix = ?,"
                    " status = ?, note = ?, attributes = ?, text_sha256 = ?, modified = ?, removed = 0"
                    " WHERE annotation_id = ?",
                    (old["label"], old["start"], old["end"], old["text"], old["prefix"], old["suffix"], old["status"],
                     old.get("note"), old["attributes"], old.get("text_sha256"), now(), annotation_id),
                )  # fmt: skip
            db.execute("UPDATE history SET undone = 1 WHERE seq = ?", (seq,))
        row = self._row(annotation_id)
        attributes = json.loads(row["attributes"])
        return Undone(annotation_id, action, row["layer"], row["label"], row["text"], attributes.get("entity"))

    # --- reading -----------------------------------------------------------------------------------------

    def rows(
        self,
        article: Article | StoredText | str | None = None,
        annotator: str | None = None,
        layer: str | None = None,
        *,
        include_removed: bool = False,
    ) -> list[dict[str, Any]]:
        """The saved annotations as plain dicts (the columns of :meth:`annotations`), oldest first.

        The quick way for code that runs on every key press (the widgets): no DataFrame is built. When
        ``article`` is an Article, tags made on another version of its text are moved onto it first; tags that
        could not be found have ``status="orphaned"`` and no ``start``/``end``.
        """
        where, params = ["1 = 1"], []
        if article is None or isinstance(article, str):
            article_id, text_version = article, None
        else:
            self._sync(article)
            article_id, text_version = article.article_id, article.text_sha256
            # Tags on this text, and those that could not be found in it. Tags on another article that only
            # shares the name stay on theirs.
            where.append("(text_sha256 = ? OR status = 'orphaned')")
            params.append(article.text_sha256)
        for column, value in (("article_id", article_id), ("annotator", annotator), ("layer", layer)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if not include_removed:
            where.append("removed = 0")
        marker = self._change_marker()
        key = (article_id, text_version, annotator, layer, include_removed)
        cached = self._read_cache.get(key)
        if cached is not None and marker is not None and cached[0] == marker:
            return [dict(row) for row in cached[1]]  # copies: a caller may change what it was given
        result = []
        for values in self._db.execute(
            f"SELECT {_SELECT} FROM annotations WHERE {' AND '.join(where)} ORDER BY rowid", params
        ):
            row = dict(zip(BASE_COLUMNS, values, strict=False))
            row.update(self._attribute_values(values[-2]))
            if row["status"] == "orphaned":  # kept with its words, but it has no place in this text
                row["start"] = row["end"] = None
            result.append(row)
        if marker is not None:
            if len(self._read_cache) >= _READ_CACHE_SIZE:
                self._read_cache.clear()
            self._read_cache[key] = (marker, [dict(row) for row in result])
        return result

    def annotations(
        self,
        article: Article | str | None = None,
        annotator: str | None = None,
        layer: str | None = None,
        *,
        include_removed: bool = False,
    ) -> pd.DataFrame:
        """The saved annotations as a DataFrame: the base columns, then the scheme's attributes (oldest first).

        Given an Article, tags made on another version of its text are moved onto it first (see :meth:`rows`).

        >>> open_store(":memory:").annotations().columns[:4].tolist()
        ['annotation_id', 'article_id', 'annotator', 'layer']
        """
        rows = self.rows(article, annotator, layer, include_removed=include_removed)
        return annotations_frame(rows, attributes=self._attributes(rows))

    def orphans(self, article: Article, annotator: str | None = None) -> pd.DataFrame:
        """The annotations on this article that could not be found in this version of its text.

        They are kept with their words and context (and come back if the text does); a widget names them so
        the student can tag those words again.
        """
        rows = [r for r in self.rows(article, annotator) if r["status"] == "orphaned"]
        return annotations_frame(rows, attributes=self._attributes(rows))

    def entities(self, article: Article | str, annotator: str | None = None) -> list[str]:
        """The actor entities tagged in an article (by this annotator unless another is named), in order."""
        article_id = article if isinstance(article, str) else article.article_id
        rows = self._db.execute(
            "SELECT attributes FROM annotations WHERE article_id = ? AND annotator = ? AND layer = 'actor'"
            " AND removed = 0 ORDER BY rowid",
            (article_id, annotator or self.annotator),
        ).fetchall()
        seen: dict[str, None] = {}
        for (attributes,) in rows:
            entity = json.loads(attributes).get("entity")
            if entity:
                seen.setdefault(entity)
        return list(seen)

    def article_text(self, article_id: str) -> str | None:
        """The newest text the store knows of an article (None if it has never seen it)."""
        row = self._db.execute(
            "SELECT text FROM article_versions WHERE article_id = ? AND text IS NOT NULL ORDER BY used DESC LIMIT 1",
            (article_id,),
        ).fetchone()
        return row[0] if row else None

    def tagged_text_version(self, article_id: str, annotator: str | None = None) -> str | None:
        """The ``text_sha256`` the first of an annotator's live tags on an article was made on (None: no tag has one).

        For work whose article text the store never saw (restored from an annotkit 0.1 file), this is the only
        record of the text version it belongs to.
        """
        row = self._db.execute(
            "SELECT text_sha256 FROM annotations WHERE article_id = ? AND annotator = ? AND removed = 0"
            " AND text_sha256 IS NOT NULL ORDER BY rowid LIMIT 1",
            (article_id, annotator or self.annotator),
        ).fetchone()
        return str(row[0]) if row else None

    def article_title(self, article_id: str) -> str | None:
        """The title of an article the store knows (None if it has none)."""
        row = self._db.execute(
            "SELECT title FROM article_versions WHERE article_id = ? AND title IS NOT NULL ORDER BY used DESC LIMIT 1",
            (article_id,),
        ).fetchone()
        return row[0] if row else None

    def articles(self, annotator: str | None = None) -> list[str]:
        """The ids of the articles this annotator (by default the store's) has annotated or reflected on."""
        who = annotator or self.annotator
        rows = self._db.execute(
            "SELECT article_id FROM annotations WHERE annotator = ? AND removed = 0"
            " UNION SELECT article_id FROM reflections WHERE annotator = ? AND answer != ''",
            (who, who),
        ).fetchall()
        return sorted(r[0] for r in rows)

    # --- the student -------------------------------------------------------------------------------------

    @property
    def student_name(self) -> str | None:
        """The name this student typed (once, in any notebook), or None until they do."""
        row = self._db.execute("SELECT student_name FROM annotators WHERE annotator = ?", (self.annotator,)).fetchone()
        return row[0] if row and row[0] else None

    def set_student_name(self, name: str) -> str:
        """Remember the student's name for every notebook on this store; return it, tidied."""
        name = " ".join(_check_text(name, "Your name").split())
        if not name:
            msg = "Type your name (as your teacher knows you), then try again."
            raise AnnotationError(msg)
        if len(name) > 100:
            msg = "That name is very long. Type your name as your teacher knows you (under 100 characters)."
            raise AnnotationError(msg)
        with self._write() as db:
            db.execute(
                "INSERT INTO annotators VALUES (?, ?, ?) ON CONFLICT (annotator) DO UPDATE SET"
                " student_name = excluded.student_name, modified = excluded.modified",
                (self.annotator, name, now()),
            )
        return name

    def reflect(self, article: Article, question_id: str, answer: str, *, question: str) -> None:
        """Save the student's answer to a reflection question (every earlier answer is kept in the history).

        Parameters
        ----------
        article
            The article the lesson is about.
        question_id
            A short id that stays the same when the question's wording is improved (``"02-anonymous-source"``).
        answer
            What the student wrote (an empty answer is saved too: the earlier ones stay in the history).
        question
            The question as the student read it.
        """
        if not isinstance(question_id, str) or not question_id.strip():
            msg = f"A reflection needs a question_id (a short name such as '02-anonymous-source'), not {question_id!r}."
            raise AnnotationError(msg)
        answer = _check_text(answer, "Your answer")
        question = _check_text(question, "The question")
        stamp = now()
        with self._write() as db:
            versions.remember(db, article)
            current = db.execute(
                "SELECT answer FROM reflections WHERE annotator = ? AND article_id = ? AND question_id = ?",
                (self.annotator, article.article_id, question_id),
            ).fetchone()
            if current is not None and current[0] == answer:
                return
            db.execute(
                "INSERT INTO reflections VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (annotator, article_id, question_id)"
                " DO UPDATE SET question = excluded.question, answer = excluded.answer, modified = excluded.modified",
                (self.annotator, article.article_id, question_id, question, answer, stamp),
            )
            db.execute(
                "INSERT INTO reflection_history (annotator, article_id, question_id, answer, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (self.annotator, article.article_id, question_id, answer, stamp),
            )

    def change_count(self) -> int:
        """How many changes this store has recorded (tags, undos and reflections), from every notebook using it.

        It only grows, so a tool can tell cheaply whether the work changed since it last looked (the hand-in
        button's drafts do).
        """
        row = self._db.execute(  # an undo marks its history row rather than adding one: it counts too
            "SELECT (SELECT count(*) + coalesce(sum(undone), 0) FROM history)"
            " + (SELECT count(*) FROM reflection_history)"
        ).fetchone()
        return int(row[0])

    def reflections(self, article: Article | str | None = None, annotator: str | None = None) -> pd.DataFrame:
        """Saved reflections: ``annotator, article_id, question_id, question, answer, modified``."""
        import pandas as pd

        where, params = ["1 = 1"], []
        article_id = article if article is None or isinstance(article, str) else article.article_id
        for column, value in (("article_id", article_id), ("annotator", annotator)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        columns = ["annotator", "article_id", "question_id", "question", "answer", "modified"]
        rows = self._db.execute(
            f"SELECT {', '.join(columns)} FROM reflections WHERE {' AND '.join(where)} ORDER BY modified", params
        ).fetchall()
        return pd.DataFrame(rows, columns=columns).astype("string")

    # --- handing in and restoring --------------------------------------------------------------------------

    def export_submission(
        self, path: str | Path, *, annotator: str | None = None, article_id: str | None = None, draft: bool = False
    ) -> Path:
        """Write a submission file for the teacher; see :func:`annotkit.submissions.export_submission`."""
        from .submissions import export_submission

        return export_submission(self, path, annotator=annotator, article_id=article_id, draft=draft)

    def import_submission(self, path: str | Path) -> ImportReport:
        """Restore work from a hand-in file into this store; see :func:`annotkit.handin.import_submission`."""
        from .handin import import_submission

        return import_submission(self, path)

    # --- re-anchoring ------------------------------------------------------------------------------------

    def reanchor(self, article: Article) -> pd.DataFrame:
        """Move annotations made on other versions of this article's text onto this one, finding each by its words.

        Each annotation is found by position if its words are still there, else by its words and context (with
        small differences allowed in long ones); one that cannot be found is marked ``orphaned`` — kept, shown,
        never dropped, and placed again if the text comes back. Annotations of a *different* article that only
        shares its name (their texts have little in common) are left alone.

        Returns one row per annotation looked at: ``annotation_id, status, old_start, start``.
        """
        import pandas as pd

        self._synced.discard((article.article_id, article.text_sha256))
        results = self._sync(article)
        return pd.DataFrame(results, columns=["annotation_id", "status", "old_start", "start"])

    def _sync(self, article: Article | StoredText) -> list[tuple[str, str, int | None, int | None]]:
        """Re-anchor (once per store and text version) what was tagged on other versions of the article."""
        version = (article.article_id, article.text_sha256)
        if version in self._synced:
            return []
        results = versions.sync(self._db, article)
        self._synced.add(version)
        return results

    def settle(self, article_id: str) -> StoredText | None:
        """Move every tag of an article onto the newest version of its text the store knows, and return it.

        That version (None if the store has no text for the article) is what a hand-in holds.
        """
        version = versions.newest(self._db, article_id)
        if version is not None:
            self._sync(version)
        return version

    # --- helpers -----------------------------------------------------------------------------------------

    def _change_marker(self) -> tuple[int, int] | None:
        """What changes whenever the file does: this connection's writes, and every other connection's commits.

        ``total_changes`` counts the rows this connection wrote; ``PRAGMA data_version`` changes when another
        connection (another notebook, another store object) commits. None in JupyterLite, whose connection
        reloads the file by itself: there nothing is kept between reads.
        """
        if not isinstance(self._db, sqlite3.Connection):
            return None
        return self._db.total_changes, self._db.execute("PRAGMA data_version").fetchone()[0]

    def _attribute_values(self, text: str) -> dict[str, Any]:
        """The attributes column parsed (a row's values are plain strings and numbers, copied by ``update``)."""
        values = self._parsed.get(text)
        if values is None:
            if len(self._parsed) >= _PARSED_CACHE_SIZE:
                self._parsed.clear()
            values = self._parsed[text] = json.loads(text)
        return values

    def _attributes(self, rows: list[dict[str, Any]]) -> tuple[str, ...]:
        """The scheme's attribute columns, then any other attribute the rows hold (never dropped silently)."""
        names = self.scheme.attribute_names
        known = {*BASE_COLUMNS, *names}
        return (*names, *dict.fromkeys(k for row in rows for k in row if k not in known))

    def _row(self, annotation_id: str) -> dict[str, Any]:
        columns = ["layer", "label", "start", "end", "text", "prefix", "suffix", "status", "note", "attributes",
                   "article_id", "text_sha256"]  # fmt: skip
        row = self._db.execute(
            f"SELECT {', '.join(_quoted(c) for c in columns)} FROM annotations WHERE annotation_id = ?",
            (annotation_id,),
        ).fetchone()
        if row is None:
            msg = f"No annotation with id {annotation_id!r} in {self.path.name}. Check the id in store.annotations()."
            raise AnnotationError(msg)
        return dict(zip(columns, row, strict=True))

    def _log(
        self,
        db: sqlite3.Connection,
        annotation_id: str,
        action: str,
        before: Mapping[str, Any] | None,
        article_id: str,
        layer: str,
        origin: str,
    ) -> None:
        cursor = db.execute(
            "INSERT INTO history (annotator, annotation_id, action, before, at, article_id, layer, origin)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.annotator, annotation_id, action, json.dumps(before) if before else None, now(), article_id, layer,
             origin),
        )  # fmt: skip
        self.last_change = cursor.lastrowid

    @staticmethod
    def _note(note: Any) -> str | None:
        if note is None:
            return None
        note = _check_text(note, "A note").strip()
        return note or None

    @staticmethod
    def _origin(origin: Any) -> str:
        if origin not in ORIGINS:
            msg = f"origin must be one of: {', '.join(ORIGINS)} (how the change was made), not {origin!r}."
            raise AnnotationError(msg)
        return str(origin)

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


def open_store(
    path: str | Path | None = None, *, annotator: str | None = None, scheme: Scheme | None = None
) -> AnnotationStore:
    """Open the annotation store, creating it if needed.

    Parameters
    ----------
    path
        The store file; default ``$ANNOTKIT_STORE`` if set, else ``~/.annotkit/work.sqlite`` (a hidden folder in
        your home folder, shared by every notebook). ``":memory:"`` gives a store that lives only as long as the
        kernel (for trying things out).
    annotator
        Whose work this is; default ``$ANNOTKIT_ANNOTATOR``, else ``$JUPYTERHUB_USER``, else the login name.
    scheme
        The scheme to check annotations against; default the course's.

    Raises
    ------
    StoreError
        For a file that is not an annotkit store, is damaged, or was made by a newer annotkit. Such a file is
        never overwritten.

    >>> open_store(":memory:", annotator="ana").annotator
    'ana'
    """
    path = default_path() if path is None else Path(path)
    if str(path) != ":memory:":
        path = path.expanduser()
    try:
        return AnnotationStore(path, annotator=annotator or _default_annotator(), scheme=scheme or load_scheme())
    except sqlite3.OperationalError as error:  # a folder we may not write to, a read-only file ...
        msg = (
            f"annotkit cannot open its store at '{path}' ({error}). Check that the folder exists and that you may "
            "write there, or set ANNOTKIT_STORE to a file in a folder of your own."
        )
        raise StoreError(msg) from None
