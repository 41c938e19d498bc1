"""What a notebook shows where an annotkit widget was, once the page has been reloaded or the kernel restarted.

A widget lives in the kernel; the notebook file only holds a pointer to it. After a page reload (or a kernel
restart, or reopening the notebook the next day) that pointer leads nowhere, and JupyterLab shows "Error
displaying widget: model not found" until the cell is run again. Nothing is lost (every tag is in the store), but a
student cannot know that. So annotkit does two things:

- every annotkit widget's output carries a note in plain words as its ``text/plain`` and ``text/html``
  representation ("Run this cell to show the tagger again — your tags are saved."), which nbconvert, GitHub and
  any viewer without widgets show; and
- :func:`pre_save_hook`, a Jupyter server hook, keeps only that note when a notebook is saved, so a saved
  notebook never holds a dangling widget: reopened, it shows the note where the widget was.

The hook is a Jupyter server extension: ``make lab`` and Binder's ``postBuild`` turn it on with
``jupyter server extension enable annotkit.reload``; on a JupyterHub, the same command in the user image does.

>>> note_text("the tagger")
'Run this cell to show the tagger again — your tags are saved.'
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["MARKER", "WIDGET_VIEW", "note_html", "note_text", "pre_save_hook", "strip_widget_views"]

#: The MIME type of a widget's output in a notebook (a pointer to a model in the kernel).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The attribute that marks an annotkit note; the hook only touches outputs that carry it.
MARKER = "data-annotkit-reload"


def note_text(what: str) -> str:
    """The note, in plain words: what to do to see the widget again, and that nothing is lost."""
    return f"{_RUN} {_AFTER.format(what=what)}"


def note_html(what: str, widget: str) -> str:
    """The note as HTML (for JupyterLab, Notebook 7, nbconvert and GitHub): ``widget`` is the widget's class name.

    >>> 'data-annotkit-reload="CheckMyWork"' in note_html("Check my work", "CheckMyWork")
    True
    """
    return (
        f'<div {MARKER}="{html.escape(widget)}" style="border-left: 4px solid #e69f00; padding: 0.4rem 0.8rem; '
        'margin: 0.2rem 0;">'
        f"<b>{_RUN}</b> {html.escape(_AFTER.format(what=what))} "
        "<small>(Shift + Enter runs the cell you are in.)</small></div>"
    )


_RUN = "Run this cell"
_AFTER = "to show {what} again — your tags are saved."


def strip_widget_views(notebook: dict[str, Any]) -> int:
    """Drop the widget pointer from every output of an annotkit widget, keeping its note; the number changed.

    Only outputs whose HTML carries the annotkit note are touched: other libraries' widgets stay as they are.

    >>> output = {"output_type": "display_data", "metadata": {},
    ...           "data": {WIDGET_VIEW: {"model_id": "f00"}, "text/plain": note_text("the tagger"),
    ...                    "text/html": note_html("the tagger", "ActorTagger")}}
    >>> notebook = {"cells": [{"cell_type": "code", "outputs": [output]}]}
    >>> strip_widget_views(notebook), sorted(output["data"])
    (1, ['text/html', 'text/plain'])
    """
    changed = 0
    for cell in notebook.get("cells") or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs") or []:
            data = output.get("data") if isinstance(output, dict) else None
            if not isinstance(data, dict) or WIDGET_VIEW not in data:
                continue
            page = data.get("text/html")
            page = "".join(page) if isinstance(page, list) else page  # nbformat may split text into lines
            if isinstance(page, str) and MARKER in page:
                del data[WIDGET_VIEW]
                changed += 1
    return changed


def pre_save_hook(model: dict[str, Any], **_: Any) -> None:
    """A Jupyter server pre-save hook: a notebook is saved with annotkit's notes instead of dangling widgets."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_widget_views(model["content"])


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Tell Jupyter that this module is a server extension (``jupyter server extension enable annotkit.reload``)."""
    return [{"module": "annotkit.reload"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Add :func:`pre_save_hook` to the server's contents manager (alongside any hooks already set)."""
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)
    serverapp.log.info("annotkit: notebooks are saved with a note where each annotkit widget was")
