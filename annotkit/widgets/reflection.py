"""A reflection: a question and an answer box, saved in the store as the student types, and handed in with the tags.

The answer is saved a moment after the student stops typing and when they leave the box (``store.reflect``,
which keeps every earlier answer too), so closing the notebook never loses a sentence.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import anywidget
import traitlets

from ..article import Article
from ..errors import AnnotationError
from ..store import AnnotationStore, open_store
from ._base import friendly_message, front_end, register, require_article, styles
from .notes import ReloadNote

__all__ = ["Reflection"]


class Reflection(ReloadNote, anywidget.AnyWidget):
    """A question for the student to answer in their own words; the answer is saved as they type.

    Parameters
    ----------
    article
        The article the question is about.
    question_id
        A short id that stays the same when the question's wording is improved (``"02-anonymous"``): the
        teacher's table of answers is organised by it.
    question
        The question, as the student reads it.
    store
        Where the answer is saved; default ``annotkit.open_store()``.

    Examples
    --------
    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> store = annotkit.open_store(":memory:", annotator="ana")
    >>> box = Reflection(article, "02-anonymous", "Why might an official stay anonymous?", store=store)
    >>> box.save("To speak freely about a decision not yet announced.")
    >>> store.reflections(article)["answer"].tolist()
    ['To speak freely about a decision not yet announced.']
    """

    _esm = front_end("reflection.js")
    _css = styles("reflection.css")
    reload_name = "the question and your answer"

    question = traitlets.Unicode("").tag(sync=True)
    answer = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    def __init__(
        self, article: Article, question_id: str, question: str, *, store: AnnotationStore | None = None
    ) -> None:
        article = require_article(article, "Reflection")
        for name, value in (("question_id", question_id), ("question", question)):
            if not isinstance(value, str) or not value.strip():
                what = name.replace("_", " ")
                msg = f"A reflection needs a {what} as text, e.g. Reflection(article, '02-why', 'Why ...?')."
                raise AnnotationError(msg)
        self.article = article
        self.question_id = question_id.strip()
        self.store = store if store is not None else open_store()
        self._saved_seq = 0
        super().__init__(question=question.strip(), answer=self._stored())
        self.on_msg(self._on_browser_message)
        register(self, self.store)

    def save(self, text: str) -> None:
        """Save ``text`` as the answer (what typing in the box does)."""
        self.store.reflect(self.article, self.question_id, text, question=self.question)
        self.answer = text
        stamp = datetime.now().strftime("%H:%M")  # the student's own clock
        self.status = {"text": f"Saved at {stamp}.", "kind": "ok", "seq": self._saved_seq}

    def refresh(self) -> None:
        """Show the answer saved in the store (typed in another notebook, or restored from a file)."""
        self.answer = self._stored()

    def _stored(self) -> str:
        frame = self.store.reflections(self.article)
        mine = frame[(frame["question_id"] == self.question_id) & (frame["annotator"] == self.store.annotator)]
        return "" if mine.empty else str(mine.sort_values("modified")["answer"].iloc[-1])

    def _on_browser_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        content = content if isinstance(content, dict) else {}
        event = content.get("event")
        try:
            if event == "save":
                text = content.get("text")
                if not isinstance(text, str):
                    msg = "The browser sent an answer annotkit cannot read: copy it, reload the page, paste it."
                    raise AnnotationError(msg)
                seq = content.get("seq")
                self._saved_seq = seq if isinstance(seq, int) else self._saved_seq
                self.save(text)
            elif event == "sync":
                self.refresh()
        except Exception as error:  # a student sees a sentence, never a traceback
            self.status = {"text": friendly_message(error, "saving your answer"), "kind": "error", "seq": -1}
