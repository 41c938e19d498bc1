"""What every annotkit widget shares: its front end files, the article check, and friendly errors.

Each widget's browser side is one ES module made of ``static/base.js`` (our own form controls and the key guard
that keeps key presses away from JupyterLab) followed by the widget's own file; its CSS likewise.
"""

from __future__ import annotations

import functools
import logging
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..article import Article
from ..errors import AnnotkitError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..store import AnnotationStore

__all__ = [
    "STATIC",
    "Mirror",
    "StudentActions",
    "friendly_message",
    "front_end",
    "live_widgets",
    "register",
    "require_article",
    "styles",
]

STATIC = Path(__file__).parent / "static"
_log = logging.getLogger("annotkit.widgets")


@functools.cache
def front_end(*names: str) -> str:
    """One ES module from ``static/base.js`` and the named files, in order (the last one exports the widget)."""
    return "\n".join((STATIC / name).read_text(encoding="utf-8") for name in ("base.js", *names))


@functools.cache
def styles(*names: str) -> str:
    """The shared stylesheet, the label colours, and the named widget stylesheets."""
    from .palette import palette_css

    parts = [(STATIC / "base.css").read_text(encoding="utf-8"), palette_css()]
    parts += [(STATIC / name).read_text(encoding="utf-8") for name in names]
    return "\n".join(parts)


def require_article(article: Any, widget: str) -> Article:
    """Refuse anything that is not an Article, saying how to get one."""
    if not isinstance(article, Article):
        msg = (
            f"{widget} needs an article first, got {type(article).__name__}. Load one with "
            "annotkit.load_bundled_article() or annotkit.load_article('path/to/article.txt')."
        )
        raise TypeError(msg)
    return article


def friendly_message(error: BaseException, doing: str) -> str:
    """What a student reads when something fails: annotkit's own message, or a plain sentence, never a traceback.

    annotkit's errors are written for students, so they are shown as they are. Anything else is a bug or a full
    disk: the student is told what failed and that their work is safe; the traceback goes to the
    ``annotkit.widgets`` logger at debug level (a cell's output is no place for it).

    >>> friendly_message(OSError(28, "No space left on device"), "saving your note")[:70]
    'Something went wrong while saving your note (No space left on device).'
    """
    if isinstance(error, AnnotkitError):
        return str(error)
    _log.debug("annotkit widget: %s failed", doing, exc_info=error)
    detail = error.strerror if isinstance(error, OSError) and error.strerror else type(error).__name__
    return f"Something went wrong while {doing} ({detail}). Your work so far is safe; try again, or ask your teacher."


# The widgets alive in this kernel, by store, so restoring work from a file can show it in every one of them.
_LIVE: weakref.WeakKeyDictionary[Any, weakref.WeakSet[Any]] = weakref.WeakKeyDictionary()


def register(widget: Any, store: AnnotationStore) -> None:
    """Remember a widget that shows ``store`` (forgotten when the widget is)."""
    _LIVE.setdefault(store, weakref.WeakSet()).add(widget)


def live_widgets(store: AnnotationStore) -> Iterator[Any]:
    """The widgets of this kernel showing ``store`` that are still open."""
    for widget in list(_LIVE.get(store, ())):
        if getattr(widget, "comm", None) is not None:
            yield widget


class Mirror:
    """What a widget's browser side holds (tags, or perspectives, by id), kept in step by sending only changes.

    Every action reads the store again and hands the result to :meth:`changes`, which returns the message to
    send (what was added, changed or removed since, and any other list that changed), or None when nothing did.
    Versions number the messages, so a view that missed one asks for :meth:`reset`.

    >>> mirror = Mirror()
    >>> mirror.snapshot({"a": {"id": "a", "n": 1}}, {"entities": []})["version"]
    0
    >>> mirror.changes({"a": {"id": "a", "n": 2}}, {"entities": []})
    {'kind': 'delta', 'base': 0, 'version': 1, 'upsert': [{'id': 'a', 'n': 2}], 'remove': []}
    >>> mirror.changes({"a": {"id": "a", "n": 2}}, {"entities": []}) is None
    True
    """

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.extra: dict[str, Any] = {}
        self.version = 0

    def snapshot(self, items: dict[str, dict[str, Any]], extra: dict[str, Any]) -> dict[str, Any]:
        """Everything, as the widget's first state (its ``snapshot`` trait)."""
        self.items, self.extra = dict(items), dict(extra)
        return {"version": self.version, "items": list(items.values()), **extra}

    def reset(self, items: dict[str, dict[str, Any]], extra: dict[str, Any]) -> dict[str, Any]:
        """Everything again, as a message (for a view that missed a change)."""
        self.version += 1
        return {"kind": "reset", **self.snapshot(items, extra)}

    def changes(self, items: dict[str, dict[str, Any]], extra: dict[str, Any]) -> dict[str, Any] | None:
        """The message that brings the browser from what it has to ``items`` and ``extra``; None if equal."""
        upsert = [item for key, item in items.items() if self.items.get(key) != item]
        remove = [key for key in self.items if key not in items]
        changed = {k: v for k, v in extra.items() if self.extra.get(k) != v}
        self.items, self.extra = dict(items), dict(extra)
        if not (upsert or remove or changed):
            return None
        message: dict[str, Any] = {"kind": "delta", "base": self.version, "version": self.version + 1}
        message.update(upsert=upsert, remove=remove)
        if changed:
            message["extra"] = changed
        self.version += 1
        return message


class StudentActions:
    """Mixin for the tools: each message from the browser is one student action, and a failure is a sentence.

    A widget writes ``_handle(content, buffers)`` (``content`` is always a dict), may write ``_recover()`` (show
    the store as it is, after a failure) and ``doing`` (what a failure interrupted, for its message), and has a
    synced ``status`` trait, which :meth:`_say` sets.
    """

    doing = "saving your change"
    _messages = 0
    store: AnnotationStore
    _changes: list[int]  # a tool that writes makes this list: the changes its Ctrl+Z may undo

    def _say(self, text: str, *, kind: str = "info") -> None:
        self._messages += 1  # a new number, so the same message is announced again
        self.status = {"text": text, "kind": kind, "n": self._messages}

    def _on_browser_message(self, _widget: Any, content: Any, buffers: Any) -> None:
        with self.hold_sync():  # type: ignore[attr-defined]  # what changes reaches the browser in one message
            try:
                self._handle(content if isinstance(content, dict) else {}, list(buffers or []))
            except Exception as error:  # a student sees a sentence, never a traceback
                self._recover()
                self._say(friendly_message(error, self.doing), kind="error")

    def _handle(self, content: dict[str, Any], buffers: list[Any]) -> None:
        raise NotImplementedError

    def _remember_change(self) -> None:
        """Keep the number of the change just made through this tool: its Ctrl+Z undoes only its own changes."""
        if self.store.last_change is not None:
            self._changes.append(self.store.last_change)

    def _recover(self) -> None:
        """After a failure: nothing by default."""
