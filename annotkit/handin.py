"""Handing in with one call, and restoring work from a hand-in: what the HandIn widget does.

A hand-in is one file, ``<name>.json``, holding everything the student did (every article: tags, notes,
perspectives, reflections). It is written to the student's own ``~/annotkit-hand-in/`` folder (to download and
give to the teacher), and, where the teacher set up a class inbox (``ANNOTKIT_HANDIN_DIR``: for example a shared
folder on a JupyterHub that students can write to but not read), a copy goes there too. The same file restores
the work into a new session (Binder throws sessions away after ten idle minutes).
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import versions
from ._browserstore import user_path
from ._storefile import Transaction, now
from .errors import SubmissionError
from .records import BASE_COLUMNS
from .submissions import MAX_FILE_BYTES, export_submission, parse_submission

if TYPE_CHECKING:
    from .store import AnnotationStore

__all__ = ["HANDIN_DIR_ENV", "MY_HANDINS", "HandInReceipt", "ImportReport", "hand_in", "import_submission"]

#: The class inbox, when the teacher has one.
HANDIN_DIR_ENV = "ANNOTKIT_HANDIN_DIR"
#: Where a student's own copy of each hand-in goes.
MY_HANDINS = Path("~") / "annotkit-hand-in"


@dataclass(frozen=True)
class HandInReceipt:
    """What :func:`hand_in` did.

    Attributes
    ----------
    path
        The hand-in file in the student's own folder.
    name
        The student's name, as written inside the file.
    counts
        Per article title: how many ``actors``, ``claims``, ``perspectives``, ``notes`` and ``reflections``.
    inbox_path
        The copy in the class inbox, or None (no inbox, or it could not be written: see ``inbox_problem``).
    inbox_problem
        Why the copy could not go to the class inbox, in words for the student, or None.
    draft
        Whether it was handed in as a draft.
    """

    path: Path
    name: str
    counts: dict[str, dict[str, int]]
    inbox_path: Path | None = None
    inbox_problem: str | None = None
    draft: bool = False

    @property
    def message(self) -> str:
        """The plain message the student reads: what was handed in, and what to do next."""
        totals = {kind: sum(c[kind] for c in self.counts.values()) for kind in _KINDS}
        parts = [_count(totals[kind], word) for kind, word in _KINDS.items() if totals[kind] or kind != "notes"]
        what = "Saved a draft" if self.draft else "Handed in"
        articles = f" on {len(self.counts)} articles" if len(self.counts) > 1 else ""
        text = f"{what}{articles}: {', '.join(parts)}"
        if self.inbox_path is not None:
            return f"{text}. A copy went to your class's hand-in folder, and you can download it too."
        message = f"{text} — download it and give it to your teacher."
        if self.inbox_problem:
            message += f" ({self.inbox_problem})"
        return message


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_submission` restored.

    Attributes
    ----------
    added
        Annotations restored.
    skipped
        Annotations the store already had (restoring twice changes nothing).
    reflections
        Reflection answers restored.
    articles
        The titles (or ids) of the articles the file held.
    handed_in_by
        The name (or login) inside the file.
    """

    added: int
    skipped: int
    reflections: int
    articles: list[str] = field(default_factory=list)
    handed_in_by: str | None = None

    @property
    def message(self) -> str:
        """The plain message the student reads."""
        if not self.added and not self.reflections:
            return f"Nothing new in that file: your store already has all {self.skipped} of its tags."
        on = f" on {', '.join(f'“{a}”' for a in self.articles)}" if self.articles else ""
        return f"Restored {_count(self.added, 'tag')} and {_count(self.reflections, 'reflection')}{on}."


_KINDS = {"actors": "actor tag", "claims": "claim", "perspectives": "perspective", "reflections": "reflection",
          "notes": "note"}  # fmt: skip


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def safe_file_name(name: str) -> str:
    """A file name made from a student's name: letters (any alphabet), digits, ``-`` and ``_``; spaces become ``_``.

    >>> safe_file_name("  Zoë  O'Brien-Smith / 3B "), safe_file_name("../../etc")
    ('Zoë_OBrien-Smith_3B', 'etc')
    """
    name = unicodedata.normalize("NFC", name)
    kept = re.sub(r"[^\w\- ]", "", name, flags=re.UNICODE).strip()
    return re.sub(r"\s+", "_", kept)[:80] or "student"


def _counts(payload: dict[str, Any]) -> dict[str, dict[str, int]]:
    counts = {}
    for article in payload["articles"]:
        rows = article["annotations"]
        counts[article.get("title") or article["article_id"]] = {
            "actors": sum(r["layer"] == "actor" for r in rows),
            "claims": sum(r["layer"] == "claim" for r in rows),
            "perspectives": sum(r["layer"] == "perspective" for r in rows),
            "reflections": sum(bool(r["answer"].strip()) for r in article.get("reflections", [])),
            "notes": sum(bool(r.get("note")) for r in rows),
        }
    return counts


def hand_in(
    store: AnnotationStore | None = None,
    *,
    name: str | None = None,
    folder: str | Path | None = None,
    draft: bool = False,
) -> HandInReceipt:
    """Hand in everything the student did: write ``<name>.json``, and copy it to the class inbox if there is one.

    Parameters
    ----------
    store
        The student's store; default ``open_store()``.
    name
        The student's name; default the one they gave before (``store.student_name``). A name given here is
        remembered for every later notebook.
    folder
        Where the student's own copy goes; default ``~/annotkit-hand-in``.
    draft
        Hand in work in progress, as ``<name>.draft.json`` (a teacher's live class view reads drafts as students
        go; a draft never replaces a final hand-in).

    Raises
    ------
    SubmissionError
        With a plain message: no name yet, or nothing to hand in yet.

    >>> import tempfile, annotkit
    >>> folder = Path(tempfile.mkdtemp())
    >>> article = annotkit.load_bundled_article()
    >>> store = annotkit.open_store(folder / "work.sqlite", annotator="ana")
    >>> start = article.text.index("Lloyd Austin")
    >>> _ = store.add(article, layer="actor", label="official", start=start, end=start + 12, entity="Lloyd Austin")
    >>> receipt = hand_in(store, name="Ana Ruiz", folder=folder)
    >>> receipt.path.name
    'Ana_Ruiz.json'
    >>> print(receipt.message)
    Handed in: 1 actor tag, 0 claims, 0 perspectives, 0 reflections — download it and give it to your teacher.
    """
    from .store import open_store

    store = store if store is not None else open_store()
    name = store.set_student_name(name) if name is not None and name.strip() else store.student_name
    if not name:
        msg = "Type your name first (as your teacher knows you), so your teacher knows whose work this is."
        raise SubmissionError(msg)
    if not store.articles():
        msg = (
            "There is nothing to hand in yet: you have not tagged anything or answered a reflection. "
            "Do the lesson's exercises, then hand in."
        )
        raise SubmissionError(msg)
    # A draft never replaces a final hand-in: it has a file of its own.
    file_name = f"{safe_file_name(name)}{'.draft' if draft else ''}.json"
    mine = Path(folder).expanduser() if folder is not None else user_path(MY_HANDINS)  # JupyterLite: on the drive
    path = export_submission(store, mine / file_name, draft=draft)
    payload = json.loads(path.read_bytes())
    inbox_path, problem = _to_inbox(path, file_name, store.annotator)
    return HandInReceipt(path, name, _counts(payload), inbox_path, problem, draft)


def _to_inbox(path: Path, file_name: str, annotator: str) -> tuple[Path | None, str | None]:
    """Copy a hand-in into the class inbox, never over a classmate's file.

    In an inbox students cannot read, a name a classmate took first cannot be overwritten: the login is added.
    """
    setting = os.environ.get(HANDIN_DIR_ENV, "").strip()
    if not setting:
        return None, None
    inbox = Path(setting).expanduser()
    if not inbox.is_dir():
        return None, "your class's hand-in folder was not found, so no copy went there; tell your teacher"
    data = path.read_bytes()
    candidates = [file_name, f"{Path(file_name).stem}-{safe_file_name(annotator)}.json"]
    for candidate in candidates:
        target = inbox / candidate
        partial = inbox / f".{candidate}.{os.getpid()}.partial"
        try:
            partial.write_bytes(data)
            partial.replace(target)
        except PermissionError:
            partial.unlink(missing_ok=True)
            continue  # a classmate with the same name handed in first
        except OSError as error:
            partial.unlink(missing_ok=True)
            return None, f"the copy to your class's hand-in folder failed ({error.strerror}); tell your teacher"
        return target, None
    return None, "your class's hand-in folder would not take your file; tell your teacher"


def import_submission(store: AnnotationStore, path: str | Path) -> ImportReport:
    """Restore work from a hand-in file into a store (for a new session, or a new computer).

    The annotations come back as the store's annotator's, with their ids, notes and how they were made; ones the
    store already has are skipped, so restoring twice changes nothing. Reflections come back unless the store
    has a newer answer (the older one is kept in the history either way); the name comes back if none is set.

    Raises
    ------
    SubmissionError
        For a file that is not a hand-in, is damaged, or was changed after it was written.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        msg = f"There is no file at '{path}'. Choose the .json file you handed in."
        raise SubmissionError(msg) from None
    if size > MAX_FILE_BYTES:
        msg = f"'{path.name}' is {size:,} bytes: too big to be a hand-in. Choose the .json file you handed in."
        raise SubmissionError(msg)
    try:
        parsed = parse_submission(path.read_bytes())
    except SubmissionError as error:
        msg = f"'{path.name}' cannot be restored: {error}. Choose the .json file you handed in."
        raise SubmissionError(msg) from None
    return restore(store, parsed.payload)


def restore(store: AnnotationStore, payload: dict[str, Any]) -> ImportReport:
    """Write a checked submission's work into a store (see :func:`import_submission`)."""
    added = skipped = reflections = 0
    titles = []
    db = store._db
    with Transaction(db):
        for article in payload["articles"]:
            identity, version = article["article_id"], article["text_sha256"]
            titles.append(article.get("title") or identity)
            text = article.get("text")
            if text is not None:
                versions.remember(db, versions.StoredText(identity, version, text, article.get("title"), None))
            for row in article["annotations"]:
                if db.execute("SELECT 1 FROM annotations WHERE annotation_id = ?", (row["annotation_id"],)).fetchone():
                    skipped += 1
                    continue
                attributes = {k: v for k, v in row.items() if k not in BASE_COLUMNS and v is not None}
                stamp = row.get("created") or now()
                db.execute(
                    'INSERT INTO annotations (annotation_id, article_id, annotator, layer, label, start, "end", text,'
                    " prefix, suffix, status, note, origin, attributes, created, modified, text_sha256)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (row["annotation_id"], identity, store.annotator, row["layer"], row["label"], row.get("start"),
                     row.get("end"), row.get("text"), row.get("prefix"), row.get("suffix"), row.get("status", "ok"),
                     row.get("note"), row.get("origin", "python"), json.dumps(attributes, ensure_ascii=False), stamp,
                     row.get("modified") or stamp, version),
                )  # fmt: skip
                # Logged as an import, which undo leaves alone: Ctrl+Z must not unpick restored work.
                db.execute(
                    "INSERT INTO history (annotator, annotation_id, action, before, at, article_id, layer, origin)"
                    " VALUES (?, ?, 'import', NULL, ?, ?, ?, ?)",
                    (store.annotator, row["annotation_id"], now(), identity, row["layer"], row.get("origin", "python")),
                )
                added += 1
            for reflection in article.get("reflections", []):
                reflections += _restore_reflection(db, store.annotator, identity, reflection)
        if payload.get("student_name") and not _has_name(db, store.annotator):
            db.execute(
                "INSERT INTO annotators VALUES (?, ?, ?) ON CONFLICT (annotator) DO UPDATE SET"
                " student_name = excluded.student_name, modified = excluded.modified",
                (store.annotator, payload["student_name"], now()),
            )
    store._synced.clear()
    return ImportReport(added, skipped, reflections, titles, payload.get("student_name") or payload["annotator"])


def _has_name(db: Any, annotator: str) -> bool:
    row = db.execute("SELECT student_name FROM annotators WHERE annotator = ?", (annotator,)).fetchone()
    return bool(row and row[0])


def _restore_reflection(db: Any, annotator: str, article_id: str, reflection: dict[str, Any]) -> int:
    """Restore one answer unless the store holds a newer one; keep it in the history either way."""
    answer, stamp = reflection["answer"], reflection.get("modified") or now()
    db.execute(
        "INSERT INTO reflection_history (annotator, article_id, question_id, answer, at) VALUES (?, ?, ?, ?, ?)",
        (annotator, article_id, reflection["question_id"], answer, stamp),
    )
    current = db.execute(
        "SELECT answer, modified FROM reflections WHERE annotator = ? AND article_id = ? AND question_id = ?",
        (annotator, article_id, reflection["question_id"]),
    ).fetchone()
    if current is not None and (current[0] == answer or current[1] >= stamp):
        return 0
    db.execute(
        "INSERT INTO reflections VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (annotator, article_id, question_id)"
        " DO UPDATE SET question = excluded.question, answer = excluded.answer, modified = excluded.modified",
        (annotator, article_id, reflection["question_id"], reflection.get("question") or "", answer, stamp),
    )
    return 1
