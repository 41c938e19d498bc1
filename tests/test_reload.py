"""After a reload: annotkit widgets whose kernel is gone are served as a note (annotkit.reload).

The browser tests (tests/browser/test_check.py) check the whole thing in JupyterLab and Notebook 7; these check
the rules with a stand-in for the Jupyter server.
"""

import asyncio
import concurrent.futures
import copy
import logging
from types import SimpleNamespace

import pytest

import annotkit
from annotkit.reload import (
    MARKER,
    WIDGET_VIEW,
    _jupyter_server_extension_points,
    _load_jupyter_server_extension,
    _RunningKernels,
    kernel_identity,
    note_html,
    note_text,
    strip_dead_widget_views,
)
from annotkit.widgets import ActorTagger, CheckMyWork, ClaimTagger, PerspectiveBoard, SpanTagger


def widget_output(kernel="k1", pid=100, *, annotkit_widget=True, lines=False):
    page = note_html("the tagger", "ActorTagger") if annotkit_widget else "<b>a slider</b>"
    return {
        "output_type": "display_data",
        "metadata": {"annotkit": {"kernel": kernel, "pid": pid}} if kernel else {},
        "data": {
            WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": "abc"},
            "text/plain": note_text("the tagger"),
            "text/html": page.splitlines(keepends=True) if lines else page,
        },
    }


def notebook(*outputs):
    return {
        "cells": [
            {"cell_type": "markdown", "source": "# Lesson", "metadata": {}},
            {"cell_type": "code", "source": "tagger", "metadata": {}, "outputs": list(outputs), "execution_count": 1},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


class Kernels:
    """A stand-in for the server's kernel manager: kernel ids, each with its process (None: a remote kernel)."""

    def __init__(self, **pids):
        self.pids = pids

    def __contains__(self, kernel_id):
        return kernel_id in self.pids

    def get_kernel(self, kernel_id):
        pid = self.pids[kernel_id]
        return SimpleNamespace(provisioner=None if pid is None else SimpleNamespace(pid=pid))


def test_only_annotkit_widgets_of_a_gone_kernel_lose_their_pointer():
    gone, alive = widget_output("old"), widget_output("k1")
    other, lines = widget_output("old", annotkit_widget=False), widget_output("old", lines=True)
    nb = notebook(gone, alive, other, lines)
    assert strip_dead_widget_views(nb, _RunningKernels(Kernels(k1=100))) == 2
    assert WIDGET_VIEW not in gone["data"] and WIDGET_VIEW not in lines["data"]
    assert WIDGET_VIEW in alive["data"]
    assert WIDGET_VIEW in other["data"]  # another library's widget: not ours to touch
    assert gone["data"]["text/plain"] == "Run the notebook from the top to show the tagger again — your tags are saved."


@pytest.mark.parametrize(
    ("drawn_by", "kernels", "alive"),
    [
        ({"kernel": "k1", "pid": 100}, {"k1": 100}, True),
        ({"kernel": "k1", "pid": 100}, {"k1": 200}, False),  # restarted: same id, another process
        ({"kernel": "k1", "pid": 100}, {}, False),  # stopped (culled, server restarted, another day)
        ({"kernel": "k1", "pid": 100}, {"k1": None}, True),  # a remote kernel: its id is all there is
        ({}, {"k1": 100}, False),  # drawn outside a kernel we know
    ],
)
def test_a_kernel_is_alive_when_the_server_runs_it_in_the_same_process(drawn_by, kernels, alive):
    assert _RunningKernels(Kernels(**kernels))(drawn_by) is alive


def server(get, **kernels):
    return SimpleNamespace(
        contents_manager=SimpleNamespace(get=get),
        kernel_manager=Kernels(**kernels),
        log=logging.getLogger("test-server"),
    )


def test_the_extension_serves_notebooks_without_dead_widgets():
    stored = notebook(widget_output("old"), widget_output("k1"))
    app = server(lambda path, **kwargs: {"type": "notebook", "content": copy.deepcopy(stored)}, k1=100)
    _load_jupyter_server_extension(app)
    served = app.contents_manager.get("lesson.ipynb", content=True)["content"]
    outputs = served["cells"][1]["outputs"]
    assert [WIDGET_VIEW in o["data"] for o in outputs] == [False, True]
    assert WIDGET_VIEW in stored["cells"][1]["outputs"][0]["data"]  # the file itself is not changed


def _run(coroutine):
    """Run a coroutine on its own thread: another test may have left an event loop running on this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_extension_wraps_an_async_contents_manager_and_leaves_other_files_alone():
    stored = notebook(widget_output("old"))

    async def get(path, **kwargs):
        if path.endswith(".txt"):
            return {"type": "file", "content": "hello"}
        return {"type": "notebook", "content": copy.deepcopy(stored)}

    app = server(get)
    _load_jupyter_server_extension(app)
    served = _run(app.contents_manager.get("lesson.ipynb"))
    assert WIDGET_VIEW not in served["content"]["cells"][1]["outputs"][0]["data"]
    assert _run(app.contents_manager.get("notes.txt")) == {"type": "file", "content": "hello"}
    assert _run(app.contents_manager.get("lesson.ipynb", content=False)) is not None


def test_it_is_a_jupyter_server_extension():
    assert _jupyter_server_extension_points() == [{"module": "annotkit.reload"}]


def test_outside_a_kernel_no_kernel_is_named():
    assert kernel_identity() == {}


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (lambda a, s: ActorTagger(a, store=s), "the tagger"),
        (lambda a, s: ClaimTagger(a, store=s), "the tagger"),
        (lambda a, s: SpanTagger(a, store=s), "the tagger"),
        (lambda a, s: PerspectiveBoard(a, store=s), "the perspective board"),
        (lambda a, s: CheckMyWork(a, store=s), "Check my work"),
    ],
)
def test_every_annotkit_widget_carries_the_note(bundled, make, what):
    store = annotkit.open_store(":memory:", annotator="ana")
    data, metadata = make(bundled, store)._repr_mimebundle_()
    assert WIDGET_VIEW in data
    assert data["text/plain"] == f"Run the notebook from the top to show {what} again — your tags are saved."
    assert MARKER in data["text/html"]
    assert "annotkit" not in metadata  # outside a kernel there is no kernel to name
