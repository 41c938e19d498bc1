"""The teacher's dashboard in a real browser: rendered by Voilà as an app, and the grading view driven by the
keyboard alone in JupyterLab (no key reaches the notebook)."""

import json
import shutil
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from ._lab import REPO, LabServer, make_notebook, open_in_lab, run_all, screenshot

DASHBOARD = REPO / "notebooks" / "teacher" / "10_teacher_dashboard.ipynb"


def test_the_dashboard_renders_as_an_app_in_voila(
    page: Page, lab_server: LabServer, notebook_dir: Path, tmp_path: Path
):
    shutil.copy(DASHBOARD, notebook_dir / DASHBOARD.name)
    started = time.monotonic()
    page.goto(
        lab_server.page_url(f"voila/render/{lab_server.relative(notebook_dir / DASHBOARD.name)}"), timeout=120_000
    )
    tabs = page.locator(".lm-TabBar-tab, .p-TabBar-tab")
    expect(tabs.filter(has_text="Grade the thinking")).to_be_visible(timeout=120_000)
    seconds = time.monotonic() - started
    expect(page.get_by_text("Aisha").first).to_be_visible()
    assert page.get_by_text("Traceback").count() == 0 and page.get_by_text("Error displaying widget").count() == 0
    # The code is not shown: an app, not a notebook.
    assert page.get_by_text("from annotkit.dashboard import Dashboard").count() == 0
    screenshot(page, "voila-dashboard", full_page=True)

    # Projector mode: no names.
    page.get_by_text("Projector mode: no names, no grades").click()
    expect(page.get_by_text("Aisha")).to_have_count(0)
    page.get_by_text("Projector mode: no names, no grades").click()

    # Every file has a download button that really downloads it.
    tabs.filter(has_text="Grades & files").click()
    page.get_by_role("button", name="Make the files").click()
    link = page.locator("a.ak-download", has_text="grades (moodle)")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "grades-moodle.csv"
    assert saved.read_text(encoding="utf-8").startswith("Username,Email address,ID number,First name,Last name,")
    print(f"\nVoilà rendered the dashboard in {seconds:.1f} s")


GRADING_CELLS = [
    """import pandas as pd
from pathlib import Path
from annotkit.dashboard import GradingView
from annotkit.rubric import THINKING_COLUMNS, open_marks
answers = pd.DataFrame([
    ["ana", "a1", "rationale", "joe biden", "Joe Biden", "He says the troops stay to train.", "stance: support"],
    ["ben", "a1", "rationale", "joe biden", "Joe Biden", "<b>not bold</b>", "stance: oppose"],
    ["ana", "a1", "reflection", "04-missing-voices", "Whose voice is missing?", "Iraqi civilians.", ""],
], columns=THINKING_COLUMNS)
marks = open_marks(Path("grading-marks.json"))
view = GradingView(answers, marks, names={"ana": "Ana Ruiz", "ben": "Ben Okafor"})
view""",
]


def test_grading_with_the_keyboard_alone_never_edits_the_notebook(
    page: Page, lab_server: LabServer, notebook_dir: Path
):
    notebook = make_notebook(notebook_dir, "grading", GRADING_CELLS)
    open_in_lab(page, lab_server, notebook)
    run_all(page)
    root = page.locator('[data-annotkit="grading"]')
    expect(root).to_be_visible(timeout=60_000)
    expect(root.locator('[data-annotkit="prompt"]')).to_have_text("Perspective rationales: Joe Biden")
    # A student's words are text, never HTML.
    expect(root.get_by_text("<b>not bold</b>")).to_be_visible()
    cells_before = page.locator(".jp-NotebookPanel .jp-Cell").count()
    root.focus()
    page.keyboard.press("2")  # Ana: supported; on to Ben
    page.keyboard.press("1")  # Ben: restates
    # Keys that are JupyterLab's notebook shortcuts in command mode: none may reach the notebook.
    for key in ("a", "b", "d", "d", "x", "m", "Enter"):
        page.keyboard.press(key)
    page.keyboard.press("ArrowRight")  # the next question
    expect(root.locator('[data-annotkit="prompt"]')).to_have_text("Reflections: Whose voice is missing?")
    page.keyboard.press("3")
    expect(root.locator('[data-annotkit="status"]')).to_contain_text("Saved: 3 (thinks further) for Ana Ruiz")
    assert page.locator(".jp-NotebookPanel .jp-Cell").count() == cells_before
    saved = json.loads((notebook.parent / "grading-marks.json").read_text(encoding="utf-8"))
    points = {(m["annotator"], m["criterion"]): m["points"] for m in saved["marks"]}
    assert points == {("ana", "rationale"): 2, ("ben", "rationale"): 1, ("ana", "reflection"): 3}
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Backspace")  # clears Ana's rationale mark
    expect(root.locator('[data-annotkit="status"]')).to_contain_text("Cleared the mark for Ana Ruiz")
    assert root.get_attribute("data-lm-suppress-shortcuts") == "true"
    screenshot(page, "grading-view")
