"""The note every annotkit widget leaves in a notebook for when it cannot be drawn (see :mod:`annotkit.reload`).

A widget class gets it by listing :class:`ReloadNote` first among its bases and naming what it shows::

    class ActorTagger(ReloadNote, widgets.VBox):
        reload_name = "the tagger"
"""

from __future__ import annotations

from typing import Any

from ..reload import METADATA_KEY, kernel_identity, note_html, note_text

__all__ = ["ReloadNote"]


class ReloadNote:
    """Mixin for annotkit's widgets: their output also holds a note in plain words, and which kernel drew it.

    JupyterLab and Notebook 7 draw the widget while its kernel runs; once that kernel is gone, the server extension
    of :mod:`annotkit.reload` drops the widget from the notebook it serves and the note shows instead ("Run this
    cell to show the tagger again — your tags are saved."), as it does in nbconvert and on GitHub.

    Attributes
    ----------
    reload_name
        What the widget is, as the note names it: "the tagger", "Check my work".
    """

    reload_name = "this tool"

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        if data is None:  # a widget with no view: nothing is drawn, so there is nothing to add a note to
            return None
        data["text/plain"] = note_text(self.reload_name)
        data["text/html"] = note_html(self.reload_name, type(self).__name__)
        drawn_by = kernel_identity()
        if drawn_by:
            metadata = {**(metadata or {}), METADATA_KEY: drawn_by}
        return data, metadata or {}
