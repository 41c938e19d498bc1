"""Every course notebook, opened in JupyterLab and run as a student would: every widget renders, nothing fails.

Autofill is off here (the server runs without ANNOTKIT_AUTOFILL or CI), so each notebook meets an empty store,
exactly like a student's first visit; nbval runs the same notebooks with autofill on.
"""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ._lab import REPO, LabServer, assert_no_widget_errors, open_in_lab, run_all, screenshot

NOTEBOOKS = sorted(
    path.relative_to(REPO / "notebooks")
    for path in (REPO / "notebooks").glob("**/*.ipynb")
    if ".ipynb_checkpoints" not in path.parts
)
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# Widget outputs the kernel sent, counted in the notebook's model (every cell, on screen or not).
WIDGETS_SENT_JS = f"""() => {{
    let n = 0;
    for (const cell of window.jupyterapp.shell.currentWidget.content.model.cells) {{
        if (cell.type !== 'code') continue;
        for (let i = 0; i < cell.outputs.length; i++) if ('{WIDGET_MIME}' in cell.outputs.get(i).data) n++;
    }}
    return n;
}}"""


@pytest.fixture(scope="module")
def course(lab_server: LabServer) -> Iterator[Path]:
    """A copy of the course's notebooks folder inside the server's root, as a student's checkout has it."""
    target = lab_server.root / "course" / "notebooks"
    shutil.copytree(
        REPO / "notebooks", target, ignore=shutil.ignore_patterns("conftest.py", "__pycache__", "*.sqlite*")
    )
    # Keep every cell in the page (JupyterLab otherwise drops cells scrolled out of view), so every widget is checked.
    tracker = lab_server.settings_dir / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True, exist_ok=True)
    tracker.write_text(json.dumps({"windowingMode": "none"}), encoding="utf-8")
    yield target
    tracker.unlink()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=str)
def test_notebook_runs_and_every_widget_renders(page: Page, lab_server: LabServer, course: Path, notebook: Path):
    open_in_lab(page, lab_server, course / notebook)
    run_all(page)
    sent = page.evaluate(WIDGETS_SENT_JS)
    # A widget output is a Lumino panel (no data-mime-type) holding the rendered widget: an ipywidget
    # (.jupyter-widgets) or one of annotkit's anywidgets, whose root carries data-annotkit.
    rendered = page.locator(".jp-NotebookPanel .jp-OutputArea-output").filter(
        has=page.locator(".jupyter-widgets, [data-annotkit]")
    )
    expect(rendered).to_have_count(sent)  # a widget that failed shows "Error displaying widget" instead
    assert_no_widget_errors(page)
    if sent:  # the screenshot shows the lesson's first widget, not the notebook's last lines
        rendered.first.scroll_into_view_if_needed()
    screenshot(page, f"course-{str(notebook).replace('/', '-')}")
