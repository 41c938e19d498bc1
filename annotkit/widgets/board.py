"""The perspective board: where each tagged actor stands on the article's central question, and why.

One anywidget: the actors the student tagged on one side (one Tab stop, arrows move), and the form of the
actor chosen on the other: stance, frame, rationale, the claims that show it (evidence) and a note. Every change
is saved at once with ``origin="browser"``; the board reads the store again after each, so actors and claims
tagged in another notebook appear as soon as the student comes back to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from ..errors import AnnotationError
from ..store import AnnotationStore, open_store
from ._base import Mirror, StudentActions, front_end, register, require_article, styles
from .forms import NOTE_FIELD, attribute_title, choice_field
from .notes import ReloadNote

if TYPE_CHECKING:
    import pandas as pd

    from ..article import Article

__all__ = ["PerspectiveBoard"]

#: Characters of a claim shown in the evidence list.
CLAIM_WORDS = 90


def _is_set(value: Any) -> bool:
    return value is not None and value == value and value != ""  # value == value is False for NaN


class PerspectiveBoard(ReloadNote, StudentActions, anywidget.AnyWidget):
    """A row per actor tagged: stance on the central question, frame, rationale, evidence claims and a note.

    Every change is saved at once.

    Parameters
    ----------
    article
        The article.
    store
        Where the work is saved; default ``annotkit.open_store()``.

    Examples
    --------
    >>> import annotkit
    >>> from annotkit.widgets import ActorTagger
    >>> article = annotkit.load_bundled_article()
    >>> store = annotkit.open_store(":memory:", annotator="ana")
    >>> _ = ActorTagger(article, store=store).tag("President Joe Biden", label="official", entity="Joe Biden")
    >>> board = PerspectiveBoard(article, store=store)
    >>> _ = board.set("Joe Biden", stance="support", frame="security", rationale="He announces the change.")
    >>> board.annotations[["entity", "stance", "frame"]].values.tolist()
    [['Joe Biden', 'support', 'security']]
    """

    _esm = front_end("board.js")
    _css = styles("board.css")
    reload_name = "the perspective board"

    question = traitlets.Unicode("").tag(sync=True)
    fields: traitlets.List[Any] = traitlets.List().tag(sync=True)
    snapshot = traitlets.Dict().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    def __init__(self, article: Article, *, store: AnnotationStore | None = None) -> None:
        article = require_article(article, "PerspectiveBoard")
        self.article = article
        self.store = store if store is not None else open_store()
        self.layer = self.store.scheme.layer("perspective")
        self._mirror = Mirror()
        self._changes: list[int] = []  # made here: what Ctrl+Z may undo
        question = self.store.scheme.central_question(article) or (
            "(No central question is set for this article: your teacher adds one to the scheme.)"
        )
        rows, extra = self._read()
        super().__init__(question=question, fields=self._fields(), snapshot=self._mirror.snapshot(rows, extra))
        self.on_msg(self._on_browser_message)
        register(self, self.store)

    # --- Python API ----------------------------------------------------------------------------------------

    @property
    def annotations(self) -> pd.DataFrame:
        """The student's perspectives on this article."""
        return self.store.annotations(self.article, annotator=self.store.annotator, layer="perspective")

    def set(self, entity: str, **values: Any) -> str:
        """Save an actor's perspective (``stance=``, ``frame=``, ``rationale=``, ``evidence=``, ``note=``); its id.

        ``None`` or ``""`` clears a value; ``evidence`` is a list of claim ids.
        """
        return self._set(entity, values, origin="python")

    def refresh(self) -> None:
        """Show what the store holds now: actors and claims tagged since, in this notebook or another."""
        self._sync()

    def undo(self) -> None:
        """Undo the last change to this article's perspectives."""
        undone = self.store.undo(article=self.article, layer="perspective", among=self._changes)
        self._sync()
        self._say("Nothing to undo here." if undone is None else undone.describe())

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The board as the browser shows it: one dict per actor (``entity``, ``values``, ``note``, ``mentions``)."""
        return list(self._mirror.items.values())

    # --- the store ---------------------------------------------------------------------------------------

    def _set(self, entity: str, values: dict[str, Any], *, origin: str) -> str:
        if not isinstance(entity, str) or not entity.strip():
            msg = "Say whose perspective this is: set('Joe Biden', stance=...)."
            raise AnnotationError(msg)
        for name in values:
            if name != "note":
                self.layer.attribute(name)  # an unknown attribute is refused, naming the layer's attributes
        if entity not in self.store.entities(self.article):
            msg = (
                f"“{entity}” is not among the actors you have tagged in this article (their tags may have been "
                "removed). Tag them in the actor tagger first, then set their perspective here."
            )
            raise AnnotationError(msg)
        if "evidence" in values and values["evidence"] is not None and not isinstance(values["evidence"], str):
            values = {**values, "evidence": list(values["evidence"]) or None}
        current = self._perspective(entity)
        if current is None:
            others = {k: v for k, v in values.items() if k != "note"}
            annotation_id = self.store.add(
                self.article, layer="perspective", label="perspective", origin=origin, entity=entity,
                note=values.get("note"), **others,
            )  # fmt: skip
        else:
            annotation_id = current
            self.store.update(annotation_id, article=self.article, origin=origin, **values)
        self._remember_change()
        self._sync()
        return annotation_id

    def _perspective(self, entity: str) -> str | None:
        rows = self.store.rows(self.article, annotator=self.store.annotator, layer="perspective")
        match = [r for r in rows if r.get("entity") == entity]
        return None if not match else str(match[-1]["annotation_id"])

    def _fields(self) -> list[dict[str, Any]]:
        fields: list[dict[str, Any]] = []
        for attribute in self.layer.attributes:
            if attribute.kind == "choice":
                fields.append(choice_field(attribute))
            elif attribute.kind == "claims":
                fields.append(
                    {"name": attribute.name, "kind": "claims", "title": attribute_title(attribute),
                     "help": attribute.definition}
                )  # fmt: skip
            elif attribute.kind == "text":
                fields.append(
                    {"name": attribute.name, "kind": "note", "title": attribute_title(attribute),
                     "help": attribute.definition, "placeholder": "Why do you think so? Quote the words that show it."}
                )  # fmt: skip
        return [*fields, NOTE_FIELD]

    def _read(self) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
        """One row per actor tagged (with their saved perspective), and the claims to give as evidence."""
        actors = self.store.rows(self.article, annotator=self.store.annotator, layer="actor")
        mentions: dict[str, int] = {}
        for row in actors:
            if _is_set(row.get("entity")):
                mentions[row["entity"]] = mentions.get(row["entity"], 0) + 1
        saved = {
            r["entity"]: r
            for r in self.store.rows(self.article, annotator=self.store.annotator, layer="perspective")
            if _is_set(r.get("entity"))
        }
        rows: dict[str, dict[str, Any]] = {}
        for entity in [*mentions, *(e for e in saved if e not in mentions)]:
            row = saved.get(entity, {})
            values = {}
            for attribute in self.layer.attributes:
                value: Any = row.get(attribute.name)  # a cell of the store's frame
                if attribute.name == "entity" or not _is_set(value):
                    continue
                values[attribute.name] = value.split(";") if attribute.kind == "claims" else value
            rows[entity] = {
                "id": entity,
                "entity": entity,
                "annotation_id": row.get("annotation_id") or "",
                "mentions": mentions.get(entity, 0),
                "values": values,
                "note": row.get("note") or "",
            }
        claims = [
            {"id": r["annotation_id"], "text": _short(r["text"]), "said_by": r.get("said_by") or ""}
            for r in self.store.rows(self.article, annotator=self.store.annotator, layer="claim")
            if r["start"] is not None
        ]
        return rows, {"claims": claims}

    def _sync(self) -> None:
        rows, extra = self._read()
        message = self._mirror.changes(rows, extra)
        if message is not None:
            self.send(message)

    # --- the browser -------------------------------------------------------------------------------------

    def _recover(self) -> None:
        self._sync()

    def _handle(self, content: dict[str, Any], buffers: list[Any]) -> None:
        event = content.get("event")
        if event == "edit":
            entity, changes = content.get("entity"), content.get("changes")
            if not isinstance(entity, str) or not isinstance(changes, dict):
                msg = "The browser sent a change annotkit cannot read. Reload the page and run the cell again."
                raise AnnotationError(msg)
            changes = {k: (v if _is_set(v) and v != [] else None) for k, v in changes.items()}
            self._set(entity, changes, origin="browser")
            names = ", ".join(
                "note" if k == "note" else attribute_title(self.layer.attribute(k)).lower() for k in changes
            )
            self._say(f"Saved {entity}'s {names}.", kind="ok")
        elif event == "undo":
            self.undo()
        elif event == "hello":
            if content.get("version") != self._mirror.version:
                self.send(self._mirror.reset(*self._read()))
        elif event == "sync":
            self._sync()


def _short(text: Any, limit: int = CLAIM_WORDS) -> str:
    words = " ".join(str(text).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"
