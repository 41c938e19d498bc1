"""The span tagger: an article shown as text, where students tag words with the mouse or the keyboard.

The browser only reports selections; this module decides what they become. Every change goes straight into
the annotation store, and the highlights are always redrawn from the store, so closing the notebook,
restarting the kernel or opening a second notebook never loses or hides a tag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from ..anchoring import Utf16Offsets, align_to_tokens
from ..article import Article
from ..errors import AnnotationError, AnnotkitError
from ..records import SPAN_LAYERS
from ..store import AnnotationStore, open_store
from .notes import ReloadNote

if TYPE_CHECKING:
    import pandas as pd

    from ..scheme import Layer

__all__ = ["SpanTagger", "label_palette"]

STATIC = Path(__file__).parent / "static"
#: Number keys that apply labels, in label order.
LABEL_KEYS = "1234567890"
#: Colours in tagger.css: the Okabe–Ito palette's seven colours, Paul Tol's wine, and grey, which is kept for
#: "other" and "unsure".
PALETTE_SIZE = 9
NEUTRAL_LABELS = ("other", "unsure")
#: Characters of an actor's name or a claim's speaker shown in a highlight's label.
CAPTION_NOTE = 32
#: Dropped from the ends of a selection: a selection dragged past a word takes its comma or quotation mark
#: along. A full stop stays ("U.S.").
EDGE_PUNCTUATION = frozenset(',;:!?"“”‘’«»()[]')


def label_palette(layer: Layer) -> list[dict[str, Any]]:
    """The layer's labels as the browser shows them: name, help text, number key and colour index."""
    labels = []
    colour = 0
    for number, choice in enumerate(layer.labels):
        if choice.id in NEUTRAL_LABELS:
            index = PALETTE_SIZE - 1
        else:
            index = colour % (PALETTE_SIZE - 1)
            colour += 1
        labels.append(
            {
                "id": choice.id,
                "name": choice.name,
                "definition": choice.definition,
                "key": LABEL_KEYS[number] if number < len(LABEL_KEYS) else "",
                "color": index,
            }
        )
    return labels


def require_article(article: Any, widget: str) -> Article:
    """Refuse anything that is not an Article, saying how to get one."""
    if not isinstance(article, Article):
        msg = (
            f"{widget} needs an article first, got {type(article).__name__}. Load one with "
            "annotkit.load_bundled_article() or annotkit.load_article('path/to/article.txt')."
        )
        raise TypeError(msg)
    return article


def paragraph_blocks(article: Article, paragraphs: Iterable[int] | None) -> list[tuple[int, int]]:
    """The (start, end) code-point ranges of the paragraphs to show; all of them by default."""
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
    return [(int(s), int(e)) for s, e in zip(chosen["start"], chosen["end"], strict=True)]


class SpanTagger(ReloadNote, anywidget.AnyWidget):
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
        Numbers of the paragraphs to show (``article.paragraphs.para_id``); default all.
    read_only
        Show the tags without letting anyone change them.

    Attributes
    ----------
    defaults
        Attribute values given to every new tag (the tagging tools fill it from their controls).

    Examples
    --------
    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> tagger = SpanTagger(article, store=annotkit.open_store(":memory:", annotator="ana"), layer="actor")
    >>> annotation_id = tagger.tag("Lloyd Austin", label="official", entity="Lloyd Austin")
    >>> tagger.annotations[["text", "label"]].values.tolist()
    [['Lloyd Austin', 'official']]
    """

    _esm = STATIC / "tagger.js"
    _css = STATIC / "tagger.css"
    reload_name = "the tagger"

    text = traitlets.Unicode("").tag(sync=True)
    blocks = traitlets.List().tag(sync=True)
    labels = traitlets.List().tag(sync=True)
    spans = traitlets.List().tag(sync=True)
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
        self._fill_in: Callable[[int, int, dict[str, Any]], dict[str, Any]] | None = None
        self._listeners: list[Callable[[], None]] = []
        self._offsets = Utf16Offsets(article.text)
        self._messages = 0
        palette = label_palette(self.layer)
        super().__init__(
            text=article.text,
            blocks=[
                [self._offsets.to_utf16(s), self._offsets.to_utf16(e)] for s, e in paragraph_blocks(article, paragraphs)
            ],
            labels=palette,
            active_label=palette[0]["id"],
            read_only=read_only,
        )
        self.on_msg(self._on_browser_message)
        self.refresh()

    # --- what a browser selection does, from Python ---------------------------------------------------------

    def select(self, start: int, end: int, label: str | None = None, **attributes: Any) -> str:
        """Tag ``article.text[start:end]`` (code-point offsets), exactly as a selection in the browser does.

        Spaces, commas, quotation marks and brackets at either end are dropped, and a span that cuts a word
        grows to whole words. ``label`` defaults to
        the label chosen in the toolbar; ``attributes`` add to (and override) :attr:`defaults`. Returns the new
        annotation's id.
        """
        self._check_writable()
        start, end = align_to_tokens(self.article, *self._trimmed(start, end), "expand")
        label = label or self.active_label
        shown = self.annotations
        same = shown[(shown["start"] == start) & (shown["end"] == end) & (shown["label"] == label)]
        if len(same):  # a second click on the same words must not count them twice
            row = same.iloc[0].to_dict()
            self._say(f"“{row['text']}” is already tagged as {self._caption(row)}.")
            return str(row["annotation_id"])
        values = {**self.defaults, **{k: v for k, v in attributes.items() if v is not None}}
        if self._fill_in is not None:
            values = self._fill_in(start, end, values)
        elif self.layer.name == "actor" and not values.get("entity"):
            values["entity"] = " ".join(self.article.text[start:end].split())  # the words name the actor
        annotation_id = self.store.add(self.article, layer=self.layer.name, label=label, start=start, end=end, **values)
        shown = self.refresh()
        row = shown[shown["annotation_id"] == annotation_id].iloc[0].to_dict()
        self._say(f"Tagged “{row['text']}” as {self._caption(row)}.")
        return annotation_id

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

    def remove(self, annotation_id: str) -> None:
        """Remove a tag (``undo`` brings it back)."""
        self._check_writable()
        row = self._live_row(annotation_id)
        self.store.remove(annotation_id)
        if self.focused == annotation_id:
            self.focused = ""
        self.refresh()
        self._say(f"Removed “{row['text']}” ({self._caption(row)}). Ctrl+Z brings it back.")

    def relabel(self, annotation_id: str, label: str) -> None:
        """Give a tag another label."""
        self._check_writable()
        self._live_row(annotation_id)
        self.store.update(annotation_id, label=label)
        self.refresh()
        row = self._row(annotation_id)
        self._say(f"“{row['text']}” is now {self._caption(row)}.")

    def undo(self) -> None:
        """Undo this annotator's last change to this layer of this article (in any tagger showing them)."""
        self._check_writable()
        undone = self.store.undo(article=self.article, layer=self.layer.name)
        self.refresh()
        if undone is None:
            self._say("Nothing to undo.")
        else:
            self._say(undone.describe(next((c.name for c in self.layer.labels if c.id == undone.label), None)))

    # --- reading ---------------------------------------------------------------------------------------

    @property
    def annotations(self) -> pd.DataFrame:
        """The annotator's tags of this layer in this article, as saved in the store."""
        return self.store.annotations(self.article, annotator=self.store.annotator, layer=self.layer.name)

    def on_change(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every change made through this tagger."""
        self._listeners.append(callback)

    def refresh(self) -> pd.DataFrame:
        """Redraw from the store (it may have been changed by another notebook); return what is shown."""
        frame = self.annotations
        placed = frame[frame["status"] != "orphaned"]
        to_utf16 = self._offsets.to_utf16
        self.spans = [
            {
                "id": row["annotation_id"],
                "start": to_utf16(int(row["start"])),
                "end": to_utf16(int(row["end"])),
                "label": row["label"],
                "text": row["text"],
                "note": self._note(row),
                "caption": self._caption(row),
            }
            for row in placed.to_dict("records")
        ]
        lost = frame[frame["status"] == "orphaned"]
        if len(lost):
            words = ", ".join(f"“{t}”" for t in lost["text"].head(3))
            self._say(
                f"{len(lost)} of your tags ({words}) could not be found in this version of the article. They are "
                "kept in the store; ask your teacher, or tag those words again.",
                kind="error",
            )
        for callback in self._listeners:
            callback()
        return frame

    # --- helpers -----------------------------------------------------------------------------------------

    def _note(self, row: dict[str, Any]) -> str:
        """What the list shows after the words: the actor linked, or who makes the claim."""
        for name in ("entity", "said_by"):
            value = row.get(name)
            if isinstance(value, str) and value:
                return value if name == "entity" else f"said by {value}"
        return ""

    def _caption(self, row: dict[str, Any]) -> str:
        name = next((c.name for c in self.layer.labels if c.id == row["label"]), row["label"])
        note = self._note(row)
        if not note or note == " ".join(str(row.get("text")).split()):  # the words name themselves
            return name
        # The caption sits in the text: keep it short (the list below shows it in full).
        return f"{name} · {note if len(note) <= CAPTION_NOTE else note[: CAPTION_NOTE - 1].rstrip() + '…'}"

    def _row(self, annotation_id: str) -> dict[str, Any]:
        frame = self.store.annotations(self.article, include_removed=True)
        match = frame[frame["annotation_id"] == annotation_id]
        if match.empty:
            msg = f"There is no tag with id {annotation_id!r} in this article."
            raise AnnotationError(msg)
        return match.iloc[0].to_dict()

    def _live_row(self, annotation_id: str) -> dict[str, Any]:
        """A tag this tagger shows (this annotator, this layer, not removed)."""
        frame = self.annotations
        match = frame[frame["annotation_id"] == annotation_id]
        if match.empty:
            msg = "That tag is not here any more (already removed?). Ctrl+Z brings back the last one removed."
            raise AnnotationError(msg)
        return match.iloc[0].to_dict()

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

    def _check_writable(self) -> None:
        if self.read_only:
            msg = "This view is read-only; tag in the exercise's tagger instead."
            raise AnnotationError(msg)

    def _say(self, text: str, *, kind: str = "info") -> None:
        self._messages += 1  # a new number, so the same message is announced again
        self.status = {"text": text, "kind": kind, "n": self._messages}

    def _point(self, unit: Any, *, rounding: int) -> int:
        """A code-point offset for a UTF-16 offset from the browser; inside an emoji, round outwards."""
        if not isinstance(unit, int):
            msg = f"The browser sent an offset that is not a whole number: {unit!r}."
            raise AnnotationError(msg)
        point = self._offsets.to_points(unit)
        if point is None:
            point = self._offsets.to_points(unit + rounding)
        if point is None:
            msg = f"The browser sent an offset outside the article: {unit}."
            raise AnnotationError(msg)
        return point

    def _on_browser_message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        with self.hold_sync():  # the highlight and its announcement reach the browser in one message
            self._handle(content)

    def _handle(self, content: dict[str, Any]) -> None:
        try:
            event = content.get("event")
            if event == "select":
                start = self._point(content.get("start"), rounding=-1)
                end = self._point(content.get("end"), rounding=1)
                self.select(start, end, content.get("label") or None)
            elif event == "remove":
                self.remove(str(content.get("id")))
            elif event == "relabel":
                self.relabel(str(content.get("id")), str(content.get("label")))
            elif event == "undo":
                self.undo()
        except AnnotkitError as error:
            self.refresh()
            self._say(str(error), kind="error")
