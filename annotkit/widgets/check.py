"""Check my work: a button that compares a student's tags with the answer key, and says kindly how it went.

The key stays in Python: the browser only ever receives counts and messages (:mod:`annotkit.feedback`), never
the key's words. The count is out of the key's firm items in the exercise's paragraphs, so it never changes while
the student works.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from ..errors import AnnotkitError
from ..feedback import Progress, feedback_from, progress, within_paragraphs
from ..store import AnnotationStore, open_store
from .notes import ReloadNote
from .tagger import require_article

if TYPE_CHECKING:
    import pandas as pd

    from ..article import Article

__all__ = ["CheckMyWork"]

STATIC = Path(__file__).parent / "static"


class CheckMyWork(ReloadNote, anywidget.AnyWidget):
    """A "Check my work" button: how many of the key's items the student found, and where to look next.

    Parameters
    ----------
    article
        The article the student tags.
    store
        Where the student's tags are; default ``annotkit.open_store()``.
    layer
        The exercise's layer: ``"actor"``, ``"claim"`` or ``"perspective"``.
    paragraphs
        Check only these paragraphs (``article.paragraphs.para_id``, the numbers in the tagger's margin), for an
        exercise on part of the article; default the whole article.
    key
        The answer key: a key file (path) or a key frame. Default: the article's own key, which the widget loads
        itself (so no notebook needs to hold the key in a variable).

    Attributes
    ----------
    progress
        A :class:`~annotkit.feedback.Progress` (``found``, ``total``, ``debatable``, ``unsure``), after a check.

    Examples
    --------
    >>> import annotkit
    >>> from annotkit.widgets import ActorTagger
    >>> article = annotkit.load_bundled_article()
    >>> store = annotkit.open_store(":memory:", annotator="ana")
    >>> _ = ActorTagger(article, store=store).tag("President Joe Biden", label="official")
    >>> check = CheckMyWork(article, store=store, layer="actor")
    >>> check.check().message.iloc[0]  # doctest: +ELLIPSIS
    'Actors: you found 1 of the ... actor mentions in the key.'
    >>> check.progress.found, check.progress.debatable
    (1, 0)
    """

    _esm = STATIC / "check.js"
    _css = STATIC / "check.css"
    reload_name = "Check my work"

    layer = traitlets.Unicode("actor").tag(sync=True)
    scope = traitlets.Unicode("").tag(sync=True)
    found = traitlets.Int(0).tag(sync=True)
    total = traitlets.Int(0).tag(sync=True)
    debatable = traitlets.Int(0).tag(sync=True)
    unsure = traitlets.Int(0).tag(sync=True)
    messages: traitlets.List[Any] = traitlets.List().tag(sync=True)
    checked = traitlets.Int(0).tag(sync=True)  # how many checks so far: the browser waits for it to change
    error = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        article: Article,
        *,
        store: AnnotationStore | None = None,
        layer: str = "actor",
        paragraphs: Iterable[int] | None = None,
        key: pd.DataFrame | str | Path | None = None,
    ) -> None:
        article = require_article(article, "CheckMyWork")
        self.article = article
        self.store = store if store is not None else open_store()
        layer = self.store.scheme.layer(layer).name
        self._paragraphs = None if paragraphs is None else sorted(set(paragraphs))
        key = _load_key(article, key)
        # The key for this exercise only, kept out of sight: the widget is not a way to read the answers.
        self._key = key if self._paragraphs is None else within_paragraphs(key, article, self._paragraphs)
        super().__init__(layer=layer, scope=_scope_text(self._paragraphs))
        self.on_msg(self._on_browser_message)

    @property
    def progress(self) -> Progress:
        """How far the student has got, as of the last check."""
        return Progress(self.layer, self.found, self.total, self.debatable, self.unsure)

    def check(self) -> pd.DataFrame:
        """Compare the student's work with the key; show and return the messages (``layer, kind, message``).

        The same as pressing the button.
        """
        from ..scoring import score

        mine = self.store.annotations(self.article, annotator=self.store.annotator)
        if self._paragraphs is not None:
            mine = within_paragraphs(mine, self.article, self._paragraphs)
        result = score(mine, self._key, article=self.article)
        messages = feedback_from(result, article=self.article, key=self._key, layer=self.layer)
        done = progress(result, self.layer)
        with self.hold_sync():
            self.found, self.total, self.debatable, self.unsure = done.found, done.total, done.debatable, done.unsure
            self.messages = [
                {"kind": kind, "text": text} for kind, text in zip(messages.kind, messages.message, strict=True)
            ]
            self.error = ""
            self.checked += 1
        return messages

    def _on_browser_message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        if content.get("event") != "check":
            return
        try:
            self.check()
        except AnnotkitError as error:  # a message for the student, never a traceback in the widget
            self.error = str(error)
            self.checked += 1


def _load_key(article: Article, key: pd.DataFrame | str | Path | None) -> pd.DataFrame:
    """The key as a frame: given, read from a file, or the article's own."""
    import pandas as pd

    from ..keys import load_key

    if isinstance(key, pd.DataFrame):
        return key
    return load_key(article, key)


def _scope_text(paragraphs: list[int] | None) -> str:
    """``"Checks paragraphs 0–10 only."``; empty for the whole article.

    >>> _scope_text([0, 1, 2, 5, 7, 8])
    'Checks paragraphs 0–2, 5 and 7–8 only.'
    """
    if paragraphs is None:
        return ""
    runs: list[list[int]] = []
    for number in paragraphs:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    names = [str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs]
    if len(names) == 1:
        one = len(runs[0]) == 1
        return f"Checks paragraph{'' if one else 's'} {names[0]} only."
    return f"Checks paragraphs {', '.join(names[:-1])} and {names[-1]} only."
