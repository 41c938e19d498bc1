"""The span tagger: an article shown as text, where students tag words with the mouse or the keyboard.

One anywidget holds the whole tool: the label bar, the text (paragraph numbers in the margin), the form for the
tag under the caret (or for the next tag), the list of tags and a status line. The browser only reports what the
student does; this module decides what it becomes. Every change goes straight into the annotation store with
``origin="browser"``, and what the browser shows is read back from the store after every action, so two
notebooks on one store, a kernel restart or a restored hand-in never leave a tagger showing something stale.

The browser gets the tags once in full, then only what changed (a few hundred bytes per tag, whatever the
article's length).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from ..anchoring import Utf16Offsets, align_to_tokens
from ..article import Article
from ..errors import AnnotationError
from ..records import SPAN_LAYERS
from ..store import AnnotationStore, open_store
from ._base import Mirror, StudentActions, front_end, register, require_article, styles
from .forms import form_fields
from .notes import ReloadNote
from .palette import PALETTE_SIZE, label_palette

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PALETTE_SIZE", "SpanTagger", "label_palette", "paragraph_blocks", "require_article"]

#: Characters of an actor's name or a claim's speaker shown in a highlight's label.
CAPTION_NOTE = 32
#: Dropped from the ends of a selection: a selection dragged past a word takes its comma or quotation mark
#: along. A full stop stays ("U.S.").
EDGE_PUNCTUATION = frozenset(',;:!?"“”‘’«»()[]')


def paragraph_blocks(article: Article, paragraphs: Iterable[int] | None) -> list[tuple[int, int]]:
    """The (start, end) code-point ranges of the paragraphs to show; all of them by default."""
    return [(start, end) for start, end, _ in _paragraphs(article, paragraphs)]


def _paragraphs(article: Article, paragraphs: Iterable[int] | None) -> list[tuple[int, int, int]]:
    frame = article.paragraphs
    if paragraphs is None:
        chosen = frame
    else:
        wanted = list(paragraphs)
        unknown = sorted(set(wanted) - set(frame["para_id"]))
        if unknown:
            msg = (
                f"The article has no paragraph {unknown[0]}: its paragraphs are numbered 0 to {len(frame) - 1} "
                "(see article.paragraphs)."
            )
            raise AnnotationError(msg)
        chosen = frame[frame["para_id"].isin(wanted)]
    return [(int(s), int(e), int(p)) for s, e, p in zip(chosen["start"], chosen["end"], chosen["para_id"], strict=True)]


def _is_set(value: Any) -> bool:
    return value is not None and value == value and value != ""  # value == value is False for NaN


class SpanTagger(ReloadNote, StudentActions, anywidget.AnyWidget):
    """Tag words of an article with the labels of one layer (actors or claims), with mouse or keyboard.

    Parameters
    ----------
    article
        The article to tag.
    store
        Where tags are saved; default ``annotkit.open_store()`` (``$ANNOTKIT_STORE`` decides where).
    layer
        ``"actor"`` or ``"claim"``.
    paragraphs
        Numbers of the paragraphs to show (``article.paragraphs.para_id``); default all. The tagger then lists,
        and lets the student change, only the tags in those paragraphs.
    read_only
        Show the tags without letting anyone change them.

    Attributes
    ----------
    defaults
        Attribute values (and ``note``) the next tag gets: what the form shows as "Next tag".

    Examples
    --------
    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> tagger = SpanTagger(article, store=annotkit.open_store(":memory:", annotator="ana"), layer="actor")
    >>> annotation_id = tagger.tag("Lloyd Austin", label="official", entity="Lloyd Austin")
    >>> tagger.annotations[["text", "label", "origin"]].values.tolist()
    [['Lloyd Austin', 'official', 'python']]
    """

    _esm = front_end("text.js", "form.js", "tagger.js")
    _css = styles("tagger.css")
    reload_name = "the tagger"

    text = traitlets.Unicode("").tag(sync=True)
    blocks: traitlets.List[Any] = traitlets.List().tag(sync=True)
    labels: traitlets.List[Any] = traitlets.List().tag(sync=True)
    fields: traitlets.List[Any] = traitlets.List().tag(sync=True)
    snapshot = traitlets.Dict().tag(sync=True)
    next_values = traitlets.Dict().tag(sync=True)
    active_label = traitlets.Unicode("").tag(sync=True)
    focused = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Dict().tag(sync=True)
    read_only = traitlets.Bool(False).tag(sync=True)

    def __init__(
        self,
        article: Article,
        *,
        store: AnnotationStore | None = None,
        layer: str = "actor",
        paragraphs: Iterable[int] | None = None,
        read_only: bool = False,
    ) -> None:
        article = require_article(article, type(self).__name__)
        store = store if store is not None else open_store()
        if layer not in SPAN_LAYERS:
            msg = f"A span tagger tags words, so its layer must be one of: {', '.join(SPAN_LAYERS)} (got {layer!r})."
            raise AnnotationError(msg)
        self.article = article
        self.store = store
        self.layer = store.scheme.layer(layer)
        self.defaults: dict[str, Any] = {}
        self._listeners: list[Callable[[], None]] = []
        self._offsets = Utf16Offsets(article.text)
        self._paragraphs = _paragraphs(article, paragraphs)
        self._whole = paragraphs is None
        self._mirror = Mirror()
        self._changes: list[int] = []  # made here: what Ctrl+Z may undo
        self._spans: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
        self._paragraph_starts = [int(s) for s in article.paragraphs["start"]]
        self._orphans: tuple[str, ...] = ()
        palette = label_palette(self.layer)
        spans, extra, orphans = self._read()
        to_utf16 = self._offsets.to_utf16
        super().__init__(
            text=article.text,
            blocks=[[to_utf16(s), to_utf16(e), p] for s, e, p in self._paragraphs],
            labels=palette,
            fields=form_fields(self.layer),
            snapshot=self._mirror.snapshot(spans, extra),
            active_label=palette[0]["id"],
            read_only=read_only,
        )
        self._report_orphans(orphans)
        self.on_msg(self._on_browser_message)
        register(self, store)

    # --- what the student does, from Python ----------------------------------------------------------------

    def select(self, start: int, end: int, label: str | None = None, **attributes: Any) -> str:
        """Tag ``article.text[start:end]`` (code-point offsets), exactly as a selection in the browser does.

        Spaces, commas, quotation marks and brackets at either end are dropped, and a span that cuts a word
        grows to whole words. ``label`` defaults to the label chosen in the toolbar; ``attributes`` (and
        ``note=``) add to, and override, :attr:`defaults`. Returns the new annotation's id.
        """
        return self._select(start, end, label, attributes, origin="python")

    def tag(self, words: str, label: str | None = None, *, occurrence: int = 1, **attributes: Any) -> str:
        """Tag the ``occurrence``-th appearance (1 = first) of ``words`` in the article; see :meth:`select`."""
        if not isinstance(occurrence, int) or occurrence < 1:
            msg = f"occurrence counts from 1 (the first time the words appear), got {occurrence!r}."
            raise AnnotationError(msg)
        start = -1
        for _ in range(occurrence):
            start = self.article.text.find(words, start + 1)
            if start < 0:
                count = self.article.text.count(words)
                where = f"appear {count} time{'s' if count != 1 else ''}" if count else "do not appear"
                msg = f"The words {words!r} {where} in the article, so occurrence={occurrence} cannot be tagged."
                raise AnnotationError(msg)
        return self.select(start, start + len(words), label, **attributes)

    def update(self, annotation_id: str, **changes: Any) -> None:
        """Change a tag's label, attributes or ``note`` (what the form does with the caret in the tag)."""
        self._update(annotation_id, changes, origin="python")

    def remove(self, annotation_id: str) -> None:
        """Remove a tag (``undo`` brings it back)."""
        self._remove(annotation_id, origin="python")

    def relabel(self, annotation_id: str, label: str) -> None:
        """Give a tag another label."""
        self._update(annotation_id, {"label": label}, origin="python")

    def undo(self) -> None:
        """Undo the last change made in this tagger (never one made in another notebook or tool)."""
        self._check_writable()
        undone = self.store.undo(article=self.article, layer=self.layer.name, among=self._changes)
        self._sync()
        if undone is None:
            self._say("Nothing to undo here.")
        else:
            self._say(undone.describe(self._label_name(undone.label)))

    def set_defaults(self, **values: Any) -> None:
        """Set what the next tag gets (the form's "Next tag" values); ``None`` or ``""`` clears a value."""
        for name, value in values.items():
            if name != "note":
                self.layer.attribute(name)  # an unknown attribute is refused, naming the layer's attributes
            if _is_set(value):
                self.defaults[name] = value
            else:
                self.defaults.pop(name, None)
        self._publish_defaults()

    # --- reading ---------------------------------------------------------------------------------------

    @property
    def annotations(self) -> pd.DataFrame:
        """The annotator's tags of this layer in this article, as saved in the store.

        A tagger showing some paragraphs has only the tags in those paragraphs (and any tag that could not be
        found in this version of the text, status ``"orphaned"``).
        """
        frame = self.store.annotations(self.article, annotator=self.store.annotator, layer=self.layer.name)
        if self._whole or frame.empty:
            return frame
        keep = [self._in_view(*span) if span is not None else True for span in self._positions(frame)]
        return frame[keep].reset_index(drop=True)

    @property
    def spans(self) -> list[dict[str, Any]]:
        """The highlights the browser shows (offsets in UTF-16 code units, as the browser counts), in text order."""
        return sorted(self._mirror.items.values(), key=lambda s: (s["start"], s["end"], s["id"]))

    @property
    def tagger(self) -> SpanTagger:
        """The widget itself: notebooks written for annotkit 0.1 reach a tool's tagger as ``tool.tagger``."""
        return self

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change made through this tagger."""
        self._listeners.append(callback)

    def refresh(self) -> pd.DataFrame:
        """Show what the store holds now (another notebook may have changed it); return :attr:`annotations`."""
        self._sync()
        return self.annotations

    # --- the store, read after every action --------------------------------------------------------------

    def _rows(self) -> list[dict[str, Any]]:
        return self.store.rows(self.article, annotator=self.store.annotator, layer=self.layer.name)

    def _read(self) -> tuple[dict[str, dict[str, Any]], dict[str, Any], list[str]]:
        """(the tags to show by id, the actors tagged, the words of tags not found) — plain SQL reads, no frames."""
        rows = self._rows()
        spans, orphans, cache = {}, [], {}
        for row in rows:
            if row["start"] is None:
                orphans.append(str(row["text"]))
            elif self._in_view(row["start"], row["end"]):
                # A tag not changed since the last read keeps its browser form: only changed tags cost anything.
                version = (row["modified"], row["start"], row["end"], row["label"], row["text"])
                known = self._spans.get(row["annotation_id"])
                span = known[1] if known and known[0] == version else self._span(row)
                cache[row["annotation_id"]] = (version, span)
                spans[row["annotation_id"]] = span
        self._spans = cache
        entities = self.store.entities(self.article) if self.layer.name != "actor" else _entities(rows)
        return spans, {"entities": entities}, orphans

    def _sync(self) -> None:
        """Read the store again and send the browser what changed (nothing when nothing did)."""
        spans, extra, orphans = self._read()
        message = self._mirror.changes(spans, extra)
        if message is not None:
            self.send(message)
        if self.focused and self.focused not in spans:
            self.focused = ""
        self._report_orphans(orphans)
        for callback in self._listeners:
            callback()

    def _reset(self) -> None:
        """Send the browser everything (a view that missed a change asks for this)."""
        spans, extra, orphans = self._read()
        self.send(self._mirror.reset(spans, extra))
        self._report_orphans(orphans)

    def _report_orphans(self, orphans: list[str]) -> None:
        if tuple(orphans) == self._orphans:
            return
        self._orphans = tuple(orphans)
        if orphans:
            words = ", ".join(f"“{t}”" for t in orphans[:3])
            self._say(
                f"{len(orphans)} of your tags ({words}) could not be found in this version of the article. They are "
                "kept in the store; ask your teacher, or tag those words again.",
                kind="error",
            )

    def _span(self, row: dict[str, Any]) -> dict[str, Any]:
        """A tag as the browser shows it: UTF-16 offsets, its caption, its values for the form."""
        to_utf16 = self._offsets.to_utf16
        values = {a.name: row[a.name] for a in self.layer.attributes if _is_set(row.get(a.name))}
        return {
            "id": row["annotation_id"],
            "start": to_utf16(int(row["start"])),
            "end": to_utf16(int(row["end"])),
            "label": row["label"],
            "text": row["text"],
            "caption": self._caption(row),
            "detail": self._detail(row),
            "note": row.get("note") or "",
            "values": values,
        }

    def _in_view(self, start: int, end: int) -> bool:
        return self._whole or any(start < e and end > s for s, e, _ in self._paragraphs)

    @staticmethod
    def _positions(frame: pd.DataFrame) -> list[tuple[int, int] | None]:
        return [
            None if s is None or s != s else (int(s), int(e))
            for s, e in zip(frame["start"].astype(object), frame["end"].astype(object), strict=True)
        ]

    # --- changes, from Python or the browser ---------------------------------------------------------------

    def _select(self, start: int, end: int, label: str | None, attributes: dict[str, Any], *, origin: str) -> str:
        self._check_writable()
        start, end = align_to_tokens(self.article, *self._trimmed(start, end), "expand")
        self._check_paragraphs(start, end)
        label = label or self.active_label
        rows = self._rows()
        for row in rows:  # a second click on the same words must not count them twice
            if (row["start"], row["end"], row["label"]) == (start, end, label):
                self._sync()
                self._say(f"“{row['text']}” is already tagged as {self._caption(row)}.")
                return str(row["annotation_id"])
        values = {**self.defaults, **{k: v for k, v in attributes.items() if v is not None}}
        note = values.pop("note", None)
        values = self._fill_in(start, end, values, rows)
        annotation_id = self.store.add(
            self.article, layer=self.layer.name, label=label, start=start, end=end, note=note, origin=origin, **values
        )
        self._remember_change()
        self._after_tag()
        self._sync()
        span = self._mirror.items.get(annotation_id)
        self._say(self._tagged_message(span) if span else "Tagged.", kind="ok")
        return annotation_id

    def _update(self, annotation_id: str, changes: dict[str, Any], *, origin: str) -> None:
        self._check_writable()
        self._live_row(annotation_id)
        for name in changes:
            if name not in ("label", "note"):
                self.layer.attribute(name)
        self._check_update(annotation_id, changes)
        self.store.update(annotation_id, article=self.article, origin=origin, **changes)
        self._remember_change()
        self._sync()
        span = self._mirror.items.get(annotation_id)
        if span is not None:
            self._say(f"Saved: “{span['text']}” — {self._summary(span)}.", kind="ok")

    def _remove(self, annotation_id: str, *, origin: str) -> None:
        self._check_writable()
        row = self._live_row(annotation_id)
        self.store.remove(annotation_id, origin=origin)
        self._remember_change()
        self._sync()
        self._say(f"Removed “{row['text']}” ({self._caption(row)}). Ctrl+Z brings it back.")

    # What the tools (ActorTagger, ClaimTagger) add.
    def _fill_in(self, start: int, end: int, values: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
        """The values a new tag gets, given its words and this layer's tags (``rows``): the words name an actor."""
        if self.layer.name == "actor" and not _is_set(values.get("entity")):
            values = {**values, "entity": " ".join(self.article.text[start:end].split())}
        return values

    def _after_tag(self) -> None:
        """What the form keeps for the tag after this one: nothing, unless a tool says otherwise."""
        if self.defaults:
            self.defaults.clear()
            self._publish_defaults()

    def _check_update(self, annotation_id: str, changes: dict[str, Any]) -> None:
        """A tool's own rules for a change (ClaimTagger: a claim keeps a speaker)."""

    # --- words for the student ---------------------------------------------------------------------------

    def _label_name(self, label: str) -> str:
        return next((c.name for c in self.layer.labels if c.id == label), label)

    def _detail(self, row: dict[str, Any]) -> str:
        """What the list shows after the words: the actor linked, or who makes the claim."""
        for name in ("entity", "said_by"):
            value = row.get(name)
            if _is_set(value):
                return str(value) if name == "entity" else f"said by {value}"
        return ""

    def _caption(self, row: dict[str, Any]) -> str:
        name = self._label_name(row["label"])
        detail = self._detail(row)
        if not detail or detail == " ".join(str(row.get("text")).split()):  # the words name themselves
            return name
        # The caption sits in the text: keep it short (the list shows it in full).
        short = detail if len(detail) <= CAPTION_NOTE else detail[: CAPTION_NOTE - 1].rstrip() + "…"
        return f"{name} · {short}"

    def _summary(self, span: dict[str, Any]) -> str:
        """The tag's label and every value of its form, as the status line says them."""
        parts = [self._label_name(span["label"])]
        for attribute in self.layer.attributes:
            value = span["values"].get(attribute.name)
            title = attribute.name.replace("_", " ")
            if value is None:
                parts.append(f"{title}: not chosen")
            else:
                name = next((c.name for c in attribute.choices if c.id == value), value)
                parts.append(f"{title}: {name}")
        if span["note"]:
            parts.append("with a note")
        return ", ".join(parts)

    def _tagged_message(self, span: dict[str, Any]) -> str:
        choices = [a for a in self.layer.attributes if a.kind == "choice"]
        missing = [a.name.replace("_", " ") for a in choices if a.name not in span["values"]]
        said = f"Tagged “{span['text']}” as {span['caption']}."
        if not missing:
            return f"{said} Saved with {self._summary(span)}."
        return f"{said} Still to choose: {', '.join(missing)} — press Enter to fill them in."

    def _live_row(self, annotation_id: str) -> dict[str, Any]:
        """A tag this tagger shows (this annotator, this layer, these paragraphs, not removed)."""
        for row in self._rows():
            if row["annotation_id"] == annotation_id and row["start"] is not None:
                if self._in_view(row["start"], row["end"]):
                    return row
                msg = "That tag is in a paragraph this tagger does not show: change it where its words are shown."
                raise AnnotationError(msg)
        msg = "That tag is not here any more (already removed?). Ctrl+Z brings back the last one removed."
        raise AnnotationError(msg)

    def _trimmed(self, start: int, end: int) -> tuple[int, int]:
        text = self.article.text
        if not (0 <= start <= len(text) and 0 <= end <= len(text)):
            msg = f"start={start}, end={end} is outside the article (0 to {len(text)})."
            raise AnnotationError(msg)
        start, end = min(start, end), max(start, end)
        while start < end and (text[start].isspace() or text[start] in EDGE_PUNCTUATION):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in EDGE_PUNCTUATION):
            end -= 1
        if start == end:
            msg = "Nothing to tag: select at least one word."
            raise AnnotationError(msg)
        return start, end

    def _check_paragraphs(self, start: int, end: int) -> None:
        """An actor stays inside one paragraph; any tag stays inside the paragraphs this tagger shows."""
        first, last = (bisect.bisect_right(self._paragraph_starts, at) - 1 for at in (start, end - 1))
        if first != last and not self.layer.crosses_paragraphs:
            noun = self.layer.name
            msg = (
                f"Your selection runs from paragraph {first} into paragraph {last}. An {noun}'s words never cross "
                "a paragraph break: select words inside one paragraph, then tag them."
                if noun == "actor"
                else f"Your selection runs from paragraph {first} into paragraph {last}, and a {noun} tag stays "
                "inside one paragraph: select words inside one paragraph, then tag them."
            )
            raise AnnotationError(msg)
        shown = {p for _, _, p in self._paragraphs}
        if not self._whole and not set(range(first, last + 1)) <= shown:
            msg = "Your selection takes in text this tagger does not show: select words in the paragraphs shown."
            raise AnnotationError(msg)

    def _check_writable(self) -> None:
        if self.read_only:
            msg = "This view is read-only; tag in the exercise's tagger instead."
            raise AnnotationError(msg)

    def _publish_defaults(self) -> None:
        self.next_values = {k: v for k, v in self.defaults.items() if _is_set(v)}

    # --- the browser -------------------------------------------------------------------------------------

    def _point(self, unit: Any, *, rounding: int) -> int:
        """A code-point offset for a UTF-16 offset from the browser; inside an emoji, round outwards."""
        if not isinstance(unit, int) or isinstance(unit, bool):
            msg = f"The browser sent an offset that is not a whole number: {unit!r}."
            raise AnnotationError(msg)
        point = self._offsets.to_points(unit)
        if point is None:
            point = self._offsets.to_points(unit + rounding)
        if point is None:
            msg = f"The browser sent an offset outside the article: {unit}."
            raise AnnotationError(msg)
        return point

    def _recover(self) -> None:
        self._sync()

    def _handle(self, content: dict[str, Any], buffers: list[Any]) -> None:
        event = content.get("event")
        if event == "select":
            start = self._point(content.get("start"), rounding=-1)
            end = self._point(content.get("end"), rounding=1)
            self._select(start, end, str(content.get("label") or "") or None, {}, origin="browser")
        elif event == "remove":
            self._remove(str(content.get("id")), origin="browser")
        elif event == "relabel":
            self._update(str(content.get("id")), {"label": str(content.get("label"))}, origin="browser")
        elif event == "edit":
            self._update(str(content.get("id")), _changes(content), origin="browser")
        elif event == "next":
            self.set_defaults(**_changes(content))
            self._say("The next tag gets these values.")
        elif event == "undo":
            self.undo()
        elif event == "hello":
            if content.get("version") != self._mirror.version:
                self._reset()
        elif event == "sync":
            self._sync()


def _changes(content: dict[str, Any]) -> dict[str, Any]:
    changes = content.get("changes")
    if not isinstance(changes, dict) or not all(isinstance(k, str) for k in changes):
        msg = "The browser sent a change annotkit cannot read. Reload the page and run the cell again."
        raise AnnotationError(msg)
    return {name: (value if _is_set(value) else None) for name, value in changes.items()}


def _entities(rows: list[dict[str, Any]]) -> list[str]:
    """The actors named by actor tags, in the order first tagged (what ``store.entities`` gives)."""
    seen: dict[str, None] = {}
    for row in rows:
        if _is_set(row.get("entity")):
            seen.setdefault(str(row["entity"]))
    return list(seen)
