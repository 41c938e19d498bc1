"""The note every annotkit widget leaves in a notebook for when it cannot be drawn (see :mod:`annotkit.reload`).

A widget class gets it by listing :class:`ReloadNote` first among its bases and naming what it shows::

    class ActorTagger(ReloadNote, widgets.VBox):
        reload_name = "the tagger"
"""

from __future__ import annotations

from typing import Any

from ..reload import note_html, note_text

__all__ = ["ReloadNote"]


class ReloadNote:
    """Mixin for annotkit's widgets: their output also holds a note in plain words (``text/plain``, ``text/html``).

    JupyterLab and Notebook 7 draw the widget while its kernel holds it; everywhere else (a reloaded page once the
    notebook is saved, nbconvert, GitHub) the note tells the student to run the cell again, and that their tags
    are saved.

    Attributes
    ----------
    reload_name
        What the widget is, as the note names it: "the tagger", "Check my work".
    """

    reload_name = "this tool"

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | tuple[dict[str, Any], dict[str, Any]]:
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if data is not None:
            data["text/plain"] = note_text(self.reload_name)
            data["text/html"] = note_html(self.reload_name, type(self).__name__)
        return bundle
