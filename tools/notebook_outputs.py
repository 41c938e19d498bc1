"""Keep course notebooks clean in git: outputs stripped, except the expected output of checked cells.

A code cell tagged ``nbval-check-output`` (a cell tag, so students never see test machinery in the cell) is
compared by nbval with the output stored in the notebook, so that output is kept (it is the expected answer); every
other output is removed.

    python tools/notebook_outputs.py refresh notebooks/02_actors.ipynb   # run it, store checked outputs
    python tools/notebook_outputs.py strip                                # strip every course notebook

``refresh`` runs the notebook the way ``make test`` does: an empty, throw-away annotation store.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TAG = "nbval-check-output"


def checked(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and TAG in cell.metadata.get("tags", [])


def strip(notebook: nbformat.NotebookNode) -> None:
    # Saved widget state would show stale widgets (and a copy of tagger.js) when the notebook opens without a kernel.
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        # nbval skips the comparison for a cell that looks unrun, so a checked cell keeps a count (always 1).
        cell.execution_count = 1 if checked(cell) else None
        if not checked(cell):
            cell.outputs = []
        for output in cell.outputs:
            if output.get("output_type") == "execute_result":
                output["execution_count"] = 1
        cell.metadata.pop("execution", None)


def refresh(path: Path) -> None:
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ANNOTKIT_STORE"] = str(Path(folder) / "work.sqlite")
        os.environ["ANNOTKIT_AUTOFILL"] = "1"
        NotebookClient(
            notebook,
            timeout=300,
            kernel_name="python3",
            store_widget_state=False,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    strip(notebook)
    nbformat.write(notebook, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["strip", "refresh"])
    parser.add_argument("paths", nargs="*", type=Path)
    args = parser.parse_args()
    paths = args.paths or sorted((ROOT / "notebooks").glob("**/*.ipynb"))
    for path in paths:
        if ".ipynb_checkpoints" in path.parts:
            continue
        if args.action == "refresh":
            refresh(path)
        else:
            notebook = nbformat.read(path, as_version=4)
            strip(notebook)
            nbformat.write(notebook, path)
        print(f"{args.action}: {path.relative_to(ROOT) if path.is_absolute() else path}", file=sys.stderr)


if __name__ == "__main__":
    main()
