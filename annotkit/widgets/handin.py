"""Hand in with one button, and restore work from a hand-in file.

The widget asks for the student's name once (``store.student_name``: every later notebook knows it), calls
:func:`annotkit.hand_in`, and shows its plain message with a download link the browser makes from the file's
bytes, so it works in JupyterLab, Notebook 7 and Voilà alike. "Restore my work from a file" sends a hand-in
file's bytes to the kernel, which gives them to ``store.import_submission`` and says what came back. Every
failure is a sentence for the student, never a traceback.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from ..errors import SubmissionError
from ..store import AnnotationStore, open_store
from ._base import StudentActions, friendly_message, front_end, live_widgets, register, styles
from .notes import ReloadNote

if TYPE_CHECKING:
    from ..handin import HandInReceipt, ImportReport

__all__ = ["HandIn"]

#: The biggest file "Restore my work" takes: a whole course's hand-in is well under 5 MB.
MAX_RESTORE_BYTES = 50 * 1024 * 1024
#: Where $ANNOTKIT_HANDIN_DIR names the class's hand-in folder (a JupyterHub shared folder, say).
INBOX_ENV = "ANNOTKIT_HANDIN_DIR"


class HandIn(ReloadNote, StudentActions, anywidget.AnyWidget):
    """A "Hand in my work" button (it asks for the student's name once), and "Restore my work from a file".

    Parameters
    ----------
    store
        The student's store; default ``annotkit.open_store()``.
    folder
        Where the student's own copy goes; default ``~/annotkit-hand-in`` (see :func:`annotkit.hand_in`).
    draft
        Hand in work in progress.
    auto_minutes
        Also hand in a draft by itself every so many minutes while the notebook is open, when the work changed
        (the teacher's live class view). Default: what the teacher set for the class
        (:func:`annotkit.hub.auto_handin_minutes`), usually off.

    Examples
    --------
    >>> import tempfile, annotkit
    >>> from annotkit.widgets import ActorTagger
    >>> folder = tempfile.mkdtemp()
    >>> store = annotkit.open_store(":memory:", annotator="ana")
    >>> _ = ActorTagger(annotkit.load_bundled_article(), store=store).tag("Lloyd Austin", label="official")
    >>> button = HandIn(store=store, folder=folder)
    >>> receipt = button.hand_in(name="Ana Ruiz")
    >>> receipt.path.name, store.student_name
    ('Ana_Ruiz.json', 'Ana Ruiz')
    """

    _esm = front_end("handin.js")
    _css = styles("handin.css")
    reload_name = "the hand-in button"
    doing = "doing that"

    student_name = traitlets.Unicode("").tag(sync=True)
    inbox = traitlets.Bool(False).tag(sync=True)
    status = traitlets.Dict().tag(sync=True)
    auto_minutes = traitlets.Float(0.0).tag(sync=True)
    #: When the last automatic draft went in ("10:42"), for the note under the button.
    last_draft = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        *,
        store: AnnotationStore | None = None,
        folder: str | Path | None = None,
        draft: bool = False,
        auto_minutes: float | None = None,
    ) -> None:
        self.store = store if store is not None else open_store()
        self.folder = folder
        self.draft = draft
        if auto_minutes is None:
            from ..hub import auto_handin_minutes

            auto_minutes = auto_handin_minutes()
        self._drafted_at: int | None = None  # the store's change count when the last draft went in
        super().__init__(
            student_name=self.store.student_name or "",
            inbox=bool(os.environ.get(INBOX_ENV)),
            auto_minutes=max(float(auto_minutes or 0.0), 0.0),
        )
        self.on_msg(self._on_browser_message)
        register(self, self.store)

    def hand_in(self, name: str | None = None) -> HandInReceipt | None:
        """Hand in (what the button does): the receipt, or None with the reason in the status line."""
        from .. import hand_in

        try:
            if name is not None and name.strip():
                self.store.set_student_name(name)
            receipt = hand_in(self.store, name=name or None, folder=self.folder, draft=self.draft)
        except Exception as error:  # a student sees a sentence, never a traceback
            self.student_name = self.store.student_name or ""
            self._say(friendly_message(error, "handing in your work"), kind="error")
            return None
        self.student_name = receipt.name
        self._say(receipt.message, kind="ok")
        data = receipt.path.read_bytes()
        self.send(
            {"kind": "receipt", "filename": receipt.path.name, "message": receipt.message, "size": len(data)},
            buffers=[data],
        )
        return receipt

    def auto_draft(self) -> HandInReceipt | None:
        """Hand in a draft by itself (what the timer does): the receipt, or None when there was nothing new to send.

        Quiet by design: no draft before the student gave their name or did any work, none when nothing changed
        since the last one, and a failure is said once in the status line, never as a traceback.
        """
        from .. import hand_in

        changes = self.store.change_count()
        if not self.store.student_name or changes == self._drafted_at:
            return None
        try:
            receipt = hand_in(self.store, folder=self.folder, draft=True)
        except SubmissionError:  # nothing to hand in yet: the next tick tries again
            return None
        except Exception as error:
            self._drafted_at = changes  # said once, not every few minutes
            self._say(friendly_message(error, "handing in a draft for your teacher"), kind="error")
            return None
        self._drafted_at = changes
        self.last_draft = time.strftime("%H:%M")
        return receipt

    def restore(self, path: str | Path) -> ImportReport | None:
        """Restore work from a hand-in file (what "Restore my work" does): the report, or None and the reason."""
        try:
            report = self.store.import_submission(path)
        except Exception as error:  # a student sees a sentence, never a traceback
            self._say(friendly_message(error, "restoring your work"), kind="error")
            return None
        self.student_name = self.store.student_name or ""
        self._say(report.message, kind="ok")
        for widget in live_widgets(self.store):  # every tagger and board of this kernel shows it at once
            if widget is not self and hasattr(widget, "refresh"):
                widget.refresh()
        return report

    def _restore_bytes(self, filename: str, data: bytes) -> None:
        if not data:
            msg = f"“{filename}” is empty: choose the .json file you downloaded when you handed in."
            raise SubmissionError(msg)
        if len(data) > MAX_RESTORE_BYTES:
            size = len(data) // 1_000_000
            msg = f"“{filename}” is too big to be a hand-in file ({size} MB). Choose the .json file you handed in."
            raise SubmissionError(msg)
        with tempfile.TemporaryDirectory(prefix="annotkit-restore-") as folder:
            path = Path(folder) / (Path(filename).name or "hand-in.json")
            path.write_bytes(data)
            self.restore(path)

    def _handle(self, content: dict[str, Any], buffers: list[Any]) -> None:
        event = content.get("event")
        if event == "hand_in":
            name = content.get("name")
            self.hand_in(name if isinstance(name, str) else None)
        elif event == "set_name":
            self.student_name = self.store.set_student_name(str(content.get("name") or ""))
            self._say(f"Hello, {self.student_name}! Your name goes inside every hand-in.", kind="ok")
        elif event == "restore":
            data = bytes(buffers[0]) if buffers else b""
            self._restore_bytes(str(content.get("filename") or "hand-in.json"), data)
        elif event == "auto_draft":
            self.auto_draft()
        elif event == "sync":
            self.student_name = self.store.student_name or ""
