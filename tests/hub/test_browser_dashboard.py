"""The teacher's dashboard in a real browser: rendered by Voilà as an app, and the grading view driven by the
keyboard alone in JupyterLab (no key reaches the notebook). Marked ``browser``: skipped without Chromium,
failed under CI=true."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from browser._lab import (
    CHROMIUM_ARGS,
    VIEWPORT,
    chromium_available,
    chromium_missing_message,
    chromium_path,
    make_notebook,
    open_in_lab,
    run_all,
    screenshot,
    start_server,
)
from playwright.sync_api import expect, sync_playwright

from ._jupyterhub import in_own_thread

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "notebooks" / "teacher" / "10_teacher_dashboard.ipynb"


@pytest.fixture(scope="module")
def chromium():
    path = chromium_path()
    if not chromium_available(path):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: a missing browser is a failure. {chromium_missing_message(path)}", pytrace=False)
        pytest.skip(chromium_missing_message(path))
    return path


@pytest.fixture(scope="module")
def server(chromium, tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("dashboard"))  # JupyterLab, with Voilà's server extension
    yield running
    running.stop()


def in_browser(chromium: str, server, name: str, body):
    """Run ``body(page)`` with a Chromium of its own, in a thread of its own.

    The browser tests' session fixtures keep a Playwright (and its event loop) open in the main thread for the
    whole run; a second sync Playwright there is refused, so this one lives in another thread.
    """

    def run():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport=VIEWPORT, accept_downloads=True).new_page()
            try:
                return body(page)
            except BaseException:
                screenshot(page, f"FAILED-{name}", full_page=True)
                raise
            finally:
                browser.close()
                server.shutdown_kernels()

    return in_own_thread(run)


def test_the_dashboard_renders_as_an_app_in_voila(chromium, server, tmp_path):
    in_browser(chromium, server, "voila-dashboard", lambda page: _voila_dashboard(page, server, tmp_path))


def _voila_dashboard(page, server, tmp_path):
    folder = server.root / "teacher"
    folder.mkdir(exist_ok=True)
    shutil.copy(DASHBOARD, folder / DASHBOARD.name)
    started = time.monotonic()
    page.goto(server.page_url(f"voila/render/teacher/{DASHBOARD.name}"), timeout=120_000)
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


def test_grading_with_the_keyboard_alone_never_edits_the_notebook(chromium, server):
    in_browser(chromium, server, "grading-view", lambda page: _grading_with_keys(page, server))


def _grading_with_keys(page, server):
    notebook = make_notebook(server.root / "grading", "grading", GRADING_CELLS)
    open_in_lab(page, server, notebook)
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
