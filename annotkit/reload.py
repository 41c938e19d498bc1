"""What a notebook shows where an annotkit widget was, when the kernel that drew it is gone.

A widget lives in the kernel; the notebook file only holds a pointer to it. Reload the page while the kernel runs
and JupyterLab and Notebook 7 draw the widget again from the kernel. But once that kernel is gone (restarted,
stopped by the server after idle minutes, as Binder and JupyterHub do, or the notebook reopened the next day), the
pointer leads nowhere and the page says "Error displaying widget: model not found" until the cell is run again.
Nothing is lost (every tag is in the store), but a student cannot know that. So:

- every annotkit widget's output carries a note in plain words as its ``text/plain`` and ``text/html``
  ("Run the notebook from the top to show the tagger again — your tags are saved."), and notes the kernel that
  drew it; and
- this module is a Jupyter server extension: when the server hands a notebook to the page, it drops the pointer
  of every annotkit widget whose kernel is no longer running, so the page shows the note instead of the error,
  and keeps the pointers of the widgets that are still alive (they are drawn again, as before).

Turn it on with ``jupyter server extension enable annotkit.reload`` (``make lab`` and Binder's ``postBuild``
do; on a JupyterHub, run it once in the user image).

>>> note_text("the tagger")
'Run the notebook from the top to show the tagger again — your tags are saved.'
"""

from __future__ import annotations

import functools
import html
import inspect
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["MARKER", "WIDGET_VIEW", "kernel_identity", "note_html", "note_text", "strip_dead_widget_views"]

#: The MIME type of a widget's output in a notebook (a pointer to a model in the kernel).
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The attribute that marks an annotkit note; only outputs that carry it are ever touched.
MARKER = "data-annotkit-reload"
#: The key of an annotkit widget output's metadata that says which kernel drew it.
METADATA_KEY = "annotkit"

_RUN = "Run the notebook from the top"
_AFTER = "to show {what} again — your tags are saved."


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
        "<small>(In the menu: Run ▸ Run All Cells. This cell alone is not enough after a restart: the cells above "
        "it load the article.)</small></div>"
    )


def kernel_identity() -> dict[str, Any]:
    """Which kernel is running this code: ``{"kernel": <its id>, "pid": <its process>}`` (empty outside a kernel).

    The id is the one the Jupyter server knows the kernel by (from its connection file, ``kernel-<id>.json``);
    the process tells a restarted kernel, which keeps its id, from the one before.
    """
    try:
        from ipykernel.connect import get_connection_file

        connection = os.path.basename(get_connection_file())
    except (ImportError, RuntimeError, OSError):  # not in a kernel (a script, a test): no kernel to name
        return {}
    found = re.fullmatch(r"kernel-(.+)\.json", connection)
    return {"kernel": found.group(1), "pid": os.getpid()} if found else {}


def strip_dead_widget_views(notebook: dict[str, Any], alive: Callable[[Mapping[str, Any]], bool]) -> int:
    """Drop the pointer of every annotkit widget whose kernel is gone, keeping its note; the number dropped.

    ``alive`` is given an output's ``annotkit`` metadata (``kernel``, ``pid``) and says whether that kernel still
    runs. Only outputs whose HTML carries the annotkit note are touched: other libraries' widgets stay as they are.

    >>> output = {"output_type": "display_data", "metadata": {"annotkit": {"kernel": "k1", "pid": 7}},
    ...           "data": {WIDGET_VIEW: {"model_id": "f00"}, "text/plain": note_text("the tagger"),
    ...                    "text/html": note_html("the tagger", "ActorTagger")}}
    >>> notebook = {"cells": [{"cell_type": "code", "outputs": [output]}]}
    >>> strip_dead_widget_views(notebook, alive=lambda drawn_by: False), sorted(output["data"])
    (1, ['text/html', 'text/plain'])
    """
    dropped = 0
    for cell in notebook.get("cells") or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs") or []:
            data = output.get("data") if isinstance(output, dict) else None
            if not isinstance(data, dict) or WIDGET_VIEW not in data:
                continue
            page = data.get("text/html")
            page = "".join(page) if isinstance(page, list) else page  # nbformat may keep text as a list of lines
            if not isinstance(page, str) or MARKER not in page:
                continue
            drawn_by = (output.get("metadata") or {}).get(METADATA_KEY) or {}
            if not alive(drawn_by):
                del data[WIDGET_VIEW]
                dropped += 1
    return dropped


class _RunningKernels:
    """Whether a kernel still runs, asked of the Jupyter server's kernel manager."""

    def __init__(self, kernel_manager: Any) -> None:
        self.kernel_manager = kernel_manager

    def __call__(self, drawn_by: Mapping[str, Any]) -> bool:
        kernel = drawn_by.get("kernel")
        if not kernel or kernel not in self.kernel_manager:
            return False
        pid = getattr(getattr(self.kernel_manager.get_kernel(kernel), "provisioner", None), "pid", None)
        # A kernel the server cannot see the process of (a remote one) is taken at its id.
        return pid is None or drawn_by.get("pid") in (None, pid)


def _strip_when_served(model: Any, alive: Callable[[Mapping[str, Any]], bool]) -> Any:
    if isinstance(model, dict) and model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_dead_widget_views(model["content"], alive)
    return model


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Tell Jupyter that this module is a server extension (``jupyter server extension enable annotkit.reload``)."""
    return [{"module": "annotkit.reload"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Make the server hand out notebooks without the pointers of annotkit widgets whose kernel is gone.

    Jupyter has no hook for reading a notebook, so the contents manager's ``get`` is wrapped (it may be a plain or
    an async method, depending on the manager).
    """
    manager = serverapp.contents_manager
    original = manager.get
    alive = _RunningKernels(serverapp.kernel_manager)
    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def get(*args: Any, **kwargs: Any) -> Any:
            return _strip_when_served(await original(*args, **kwargs), alive)

    else:

        @functools.wraps(original)
        def get(*args: Any, **kwargs: Any) -> Any:
            return _strip_when_served(original(*args, **kwargs), alive)

    manager.get = get
    serverapp.log.info("annotkit: widgets whose kernel is gone are shown as a note saying what to do")
