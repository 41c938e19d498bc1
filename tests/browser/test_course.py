"""Every course notebook, opened in JupyterLab and run as a student would: every widget renders, nothing fails.

Autofill is off here (the server runs without ANNOTKIT_AUTOFILL or CI), so each notebook meets an empty store,
exactly like a student's first visit; nbval runs the same notebooks with autofill on.
"""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ._lab import REPO, LabServer, assert_no_widget_errors, open_in_lab, run_all, screenshot

NOTEBOOKS = sorted(
    path.relative_to(REPO / "notebooks")
    for path in (REPO / "notebooks").glob("**/*.ipynb")
    if ".ipynb_checkpoints" not in path.parts
)
WIDGET_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.widget-view+json']"


@pytest.fixture(scope="module")
def course(lab_server: LabServer) -> Path:
    """A copy of the course's notebooks folder inside the server's root, as a student's checkout has it."""
    target = lab_server.root / "course" / "notebooks"
    shutil.copytree(
        REPO / "notebooks", target, ignore=shutil.ignore_patterns("conftest.py", "__pycache__", "*.sqlite*")
    )
    return target


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=str)
def test_notebook_runs_and_every_widget_renders(page: Page, lab_server: LabServer, course: Path, notebook: Path):
    open_in_lab(page, lab_server, course / notebook)
    run_all(page)
    widgets = page.locator(WIDGET_OUTPUT)
    for index in range(widgets.count()):
        # A rendered widget has content; a broken one shows "Error displaying widget" (checked below).
        expect(widgets.nth(index).locator(".jupyter-widgets, .lm-Widget").first).to_be_attached()
    assert_no_widget_errors(page)
    screenshot(page, f"course-{str(notebook).replace('/', '-')}")
