"""Run a course notebook in a real kernel, cell by cell, and let a test act between cells (the way testbook does).

The student's notebook holds no checks and no autofill: a test drives it from the outside. It runs the notebook
top to bottom in a fresh kernel with a throw-away store, and after the cell with a given id it can run code of its
own in the same kernel (fill a tagger from the key through the widget's Python API, as a student's clicks would)
and read values back. Nothing a test injects is saved in the notebook.

    with NotebookRun(NOTEBOOKS / "02_actors.ipynb", tmp_path) as run:
        run.run_through("tag-first-half")
        run.fill("actors", paragraphs=range(0, 11))
        run.run_to_end()
        assert run.value("len(actors.annotations)") == 25
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import nbformat
from kernels import AsyncSocketKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
TESTS = Path(__file__).resolve().parent
STUDENT_NOTEBOOKS = sorted(NOTEBOOKS.glob("0*.ipynb"))


def notebook_code(path: Path) -> str:
    """Every code cell of a notebook, in order, as one text."""
    notebook = nbformat.read(path, as_version=4)
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def reflection_ids(path: Path) -> list[str]:
    """The question ids of a notebook's Reflection widgets, in the order the lesson asks them."""
    return re.findall(r"Reflection\(\s*\w+,\s*\"(\d\d-[a-z0-9-]+)\"", notebook_code(path))


class NotebookRun:
    """One notebook in one kernel. Use as a context manager: the kernel stops when the block ends."""

    def __init__(self, path: Path, folder: Path, *, annotator: str = "student") -> None:
        self.path = Path(path)
        self.notebook = nbformat.read(self.path, as_version=4)
        self.folder = Path(folder)
        self.env = {
            "ANNOTKIT_STORE": str(self.folder / "work.sqlite"),
            "ANNOTKIT_ANNOTATOR": annotator,
            "ANNOTKIT_HANDIN_DIR": "",
            "HOME": str(self.folder),  # hand-ins and stores default to the home folder: keep them in tmp
            "ANNOTKIT_AUTOFILL": "1",  # notebooks that write example files (06, 11) write them to temporary folders
        }
        self.client = NotebookClient(
            self.notebook,
            timeout=600,
            kernel_name="python3",
            kernel_manager_class=AsyncSocketKernelManager,
            allow_errors=False,
            store_widget_state=False,
            resources={"metadata": {"path": str(self.path.parent)}},
        )
        self.next = 0
        self._context: Any = None

    def __enter__(self) -> NotebookRun:
        saved = {name: os.environ.get(name) for name in self.env}
        os.environ.update(self.env)  # the kernel inherits this process's environment
        try:
            self._context = self.client.setup_kernel()
            self._context.__enter__()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        self.execute(f"import sys; sys.path.insert(0, {str(TESTS)!r})")
        return self

    def __exit__(self, *exc: object) -> None:
        self._context.__exit__(*exc)

    # --- running the notebook's own cells ---------------------------------------------------------------------

    def index_of(self, cell_id: str) -> int:
        for index, cell in enumerate(self.notebook.cells):
            if cell.get("id") == cell_id:
                return index
        msg = f"{self.path.name} has no cell with id {cell_id!r}"
        raise KeyError(msg)

    def run_through(self, cell_id: str) -> None:
        """Run the notebook's cells from where it stopped up to and including the cell ``cell_id``."""
        self._run_until(self.index_of(cell_id) + 1)

    def run_to_end(self) -> None:
        self._run_until(len(self.notebook.cells))

    def skip_to(self, cell_id: str) -> None:
        """Leave out the cells up to ``cell_id``, as a student who scrolls past them does: the next run starts there."""
        self.next = self.index_of(cell_id)

    def run_again(self) -> None:
        """Run every cell again from the top in the same kernel, as Run All Cells a second time does."""
        self.next = 0
        self.run_to_end()

    def _run_until(self, stop: int) -> None:
        for index in range(self.next, stop):
            cell = self.notebook.cells[index]
            if cell.cell_type == "code":
                self.client.execute_cell(cell, index)
        self.next = max(self.next, stop)

    def outputs(self, cell_id: str) -> list[dict]:
        """The outputs the notebook's own cell gave."""
        return self.notebook.cells[self.index_of(cell_id)].outputs

    def text(self, cell_id: str) -> str:
        """Everything a cell printed or returned as text."""
        parts = []
        for output in self.outputs(cell_id):
            if output.get("output_type") == "stream":
                parts.append(output["text"])
            elif "data" in output and "text/plain" in output["data"]:
                parts.append(output["data"]["text/plain"])
        return "".join(parts)

    # --- the test's own code, in the same kernel --------------------------------------------------------------

    def execute(self, code: str) -> str:
        """Run code in the kernel (not saved in the notebook); return what it printed. An error raises."""
        cell = nbformat.v4.new_code_cell(code)
        self.notebook.cells.append(cell)  # nbclient writes outputs into the notebook: lend it a cell, then take it back
        try:
            self.client.execute_cell(cell, len(self.notebook.cells) - 1)
        except CellExecutionError as error:
            msg = f"injected code failed in {self.path.name}:\n{code}\n{error}"
            raise AssertionError(msg) from None
        finally:
            self.notebook.cells.pop()
        return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")

    def value(self, expression: str) -> Any:
        """The value of an expression in the kernel, through JSON (tuples come back as lists)."""
        marker = "@@value@@"
        printed = self.execute(f"import json as _json\nprint({marker!r} + _json.dumps({expression}, default=str))")
        return json.loads(printed.split(marker, 1)[1])

    def fill(self, tool: str, **options: Any) -> int:
        """Fill the kernel's tagging tool ``tool`` from the answer key, as a student's clicks would."""
        arguments = "".join(f", {name}={value!r}" for name, value in options.items())
        return self.value(f"__import__('course_autofill').autofill({tool}{arguments})")
