"""Check my work, the reload note and the views in a real browser, in JupyterLab and Notebook 7.

- Keys pressed in Check my work never reach the notebook: its cells (count, types, sources), the active cell and
  the notebook's mode stay as they were.
- After a page reload the widgets come back while their kernel runs; once the kernel is gone (restarted), the
  page says in plain words what to do, never "Error displaying widget: model not found".
- The comparison table wraps: no cell is cut off, even in a narrow window.
"""

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ._lab import (
    KERNEL_TIMEOUT,
    LabServer,
    assert_no_widget_errors,
    make_notebook,
    open_in_lab,
    open_in_notebook7,
    reload_page,
    run_all,
    screenshot,
    switched_theme,
)

APPS = pytest.mark.parametrize(
    ("app", "opener"), [("lab", open_in_lab), ("notebook7", open_in_notebook7)], ids=["lab", "notebook7"]
)
SETUP = (
    "import annotkit\n"
    "from annotkit.widgets import ActorTagger, CheckMyWork\n"
    "article = annotkit.load_bundled_article()\n"
    "store = annotkit.open_store()"
)
CHECK_CELL = (
    "ActorTagger(article, store=store).tag('President Joe Biden', 'official')\n"
    "check = CheckMyWork(article, store=store)\n"
    "check"
)
BUTTON = "[data-annotkit='check-button']"
COUNT = "[data-annotkit='count']"
MESSAGES = "[data-annotkit='messages'] li"
NOTE = "[data-annotkit-reload]"

# What a student's key presses must never change: the cells, which one is active, and the notebook's mode.
_NOTEBOOK_SHAPE_JS = """() => {
    const notebook = window.jupyterapp.shell.currentWidget.content;
    return {
        cells: Array.from(notebook.model.cells).map(c => [c.type, c.sharedModel.getSource()]),
        active: notebook.activeCellIndex,
        mode: notebook.mode,
    };
}"""
KEYS = ("d", "d", "a", "b", "m", "x", "z", "Escape", "ArrowDown", "ArrowUp", "Enter")


def focus_in_widget(page: Page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('[data-annotkit]')")


@APPS
def test_no_key_pressed_in_check_my_work_changes_the_notebook(
    page: Page, lab_server: LabServer, notebook_dir: Path, app: str, opener: Callable[..., None]
):
    opener(page, lab_server, make_notebook(notebook_dir, f"check-keys-{app}", [SETUP, CHECK_CELL, "1 + 1"]))
    run_all(page)
    button = page.locator(BUTTON)
    expect(button).to_have_text("Check my work")
    button.focus()  # focus in an output makes its cell the active one: that is JupyterLab, not a key
    before = page.evaluate(_NOTEBOOK_SHAPE_JS)
    for key in KEYS:
        page.keyboard.press(key)
        assert focus_in_widget(page), f"after {key!r} the focus left Check my work"
    assert page.evaluate(_NOTEBOOK_SHAPE_JS) == before
    # Enter on the button is a press of the button: the check ran.
    expect(page.locator(COUNT)).to_have_text(re.compile(r"^1 of \d+$"))
    expect(button).to_have_text("Check again")
    assert_no_widget_errors(page)


def test_the_button_shows_the_count_and_the_messages(page: Page, lab_server: LabServer, notebook_dir: Path):
    cells = [SETUP, CHECK_CELL, "ActorTagger(article, store=store).tag('U.S. Marines', 'military_or_security')"]
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "check-click", cells))
    run_all(page)
    expect(page.locator(MESSAGES)).to_have_text(re.compile("Press the button"))
    page.locator(BUTTON).click()
    count = page.locator(COUNT)
    expect(count).to_have_text(re.compile(r"^1 of \d+$"))
    total = int(count.inner_text().split()[-1])
    expect(page.locator("[data-annotkit='progress']")).to_have_attribute("aria-valuenow", "1")
    expect(page.locator(MESSAGES).first).to_have_text(f"Actors: you found 1 of the {total} actor mentions in the key.")
    expect(page.locator(f"{MESSAGES}[data-kind='hint']").first).to_contain_text("Re-read paragraph")
    # A debatable item found is counted apart: the total does not move.
    expect(page.locator(MESSAGES).filter(has_text="debatable")).to_have_count(1)
    expect(count).to_have_text(f"1 of {total}")
    assert_no_widget_errors(page)
    screenshot(page, "check-my-work-lab")


def save(page: Page) -> None:
    page.evaluate("async () => { await window.jupyterapp.commands.execute('docmanager:save'); }")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=KERNEL_TIMEOUT)


@APPS
def test_after_a_reload_the_widgets_come_back_or_say_what_to_do(
    page: Page, lab_server: LabServer, notebook_dir: Path, app: str, opener: Callable[..., None]
):
    assert "annotkit: widgets whose kernel is gone" in lab_server.log(), (
        "annotkit's Jupyter server extension (annotkit.reload) is not enabled: reinstall annotkit "
        "(`make .venv/.test-installed`), which puts etc/jupyter/jupyter_server_config.d/annotkit.json in place."
    )
    cells = [SETUP, "ActorTagger(article, store=store, paragraphs=[0, 1, 2])", "CheckMyWork(article, store=store)"]
    notebook = make_notebook(notebook_dir, f"reload-{app}", cells)
    opener(page, lab_server, notebook)
    run_all(page)
    expect(page.locator("[data-annotkit='tagger']")).to_be_visible()
    expect(page.locator(BUTTON)).to_be_visible()
    save(page)
    saved = json.loads(notebook.read_text(encoding="utf-8"))
    assert sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in saved["cells"]
               for o in c.get("outputs", [])) == 2  # fmt: skip

    # The page reloads while the kernel runs: the widgets are drawn again from the kernel.
    reload_page(page, lab_server)
    expect(page.locator("[data-annotkit='tagger']")).to_be_visible()
    expect(page.locator(BUTTON)).to_be_visible()
    expect(page.locator(NOTE)).to_have_count(0)
    assert_no_widget_errors(page)

    # The kernel restarts (or is stopped after idle minutes): the page says what to do, in words.
    for kernel in lab_server.api("GET", "/api/kernels"):
        lab_server.api("POST", f"/api/kernels/{kernel['id']}/restart", timeout=60)
    reload_page(page, lab_server)
    notes = page.locator(NOTE)
    expect(notes).to_have_count(2)
    expect(notes.nth(0)).to_have_text(
        "Run the notebook from the top to show the tagger again — your tags are saved. (In the menu: Run ▸ Run All "
        "Cells. This cell alone is not enough after a restart: the cells above it load the article.)"
    )
    expect(notes.nth(1)).to_contain_text(
        "Run the notebook from the top to show Check my work again — your tags are saved."
    )
    expect(page.locator(".jp-OutputArea-output").filter(has_text="Error displaying widget")).to_have_count(0)
    screenshot(page, f"reload-note-{app}")

    # Running the cells brings the tools back.
    run_all(page)
    expect(page.locator("[data-annotkit='tagger']")).to_be_visible()
    expect(page.locator(BUTTON)).to_be_visible()
    expect(notes).to_have_count(0)
    assert_no_widget_errors(page)


# Words a cell's lines were broken inside of (a word drawn on two lines), for a table of the page.
_SPLIT_WORDS_JS = """table => {
    const split = [];
    for (const cell of table.querySelectorAll('td, th')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const match of node.textContent.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
                if (lines.size > 1) split.push(match[0]);
            }
        }
    }
    return split;
}"""


def test_the_comparison_wraps_and_names_a_misspelt_classmate(page: Page, lab_server: LabServer, notebook_dir: Path):
    page.set_viewport_size({"width": 1024, "height": 900})  # a school laptop, with JupyterLab's file browser open
    cells = [
        "import annotkit\n"
        "from annotkit.widgets import show_comparison, show_article\n"
        "article = annotkit.load_bundled_article()\n"
        "key = annotkit.load_key(article)\n"
        "work = annotkit.read_submissions(annotkit.data_path('sample_class')).annotations\n"
        "names = sorted(work.annotator.unique())\n"
        "show_comparison(article, {'me': key, 'key': key}, class_work=work, classmates=[names[0], names[1] + 'x'],\n"
        "                paragraphs=range(7, 12), layer='claim')",
        "show_article(article, key, paragraphs=[7, 8])",
    ]
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "compare-narrow", cells))
    run_all(page)
    table = page.locator("table.annotkit-compare")
    expect(table).to_be_visible()
    expect(page.locator(".annotkit-note")).to_contain_text("There is no classmate called")
    expect(page.locator(".annotkit-note")).to_contain_text("Did you mean")
    clipped = table.evaluate(
        """table => Array.from(table.querySelectorAll('td, th'))
            .filter(cell => cell.scrollWidth > cell.clientWidth + 1).map(cell => cell.textContent)"""
    )
    assert clipped == [], f"cells cut off: {clipped}"
    fits = table.evaluate("table => table.getBoundingClientRect().right <= document.documentElement.clientWidth")
    assert fits, "the table runs off the side of the window"
    assert table.evaluate(_SPLIT_WORDS_JS) == [], "words are broken in the middle"
    numbers = page.locator(".annotkit-article [data-paragraph]")
    expect(numbers).to_have_count(2)
    expect(page.locator(".annotkit-article span[title='paragraph 7']")).to_have_text("7")
    screenshot(page, "comparison-narrow", full_page=True)


def test_check_my_work_reads_well_in_the_dark_theme(page: Page, lab_server: LabServer, notebook_dir: Path):
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "check-dark", [SETUP, CHECK_CELL]))
    run_all(page)
    page.locator(BUTTON).click()
    expect(page.locator(COUNT)).to_have_text(re.compile(r"^1 of \d+$"))
    with switched_theme(page, lab_server, "JupyterLab Dark"):  # chosen while the messages are shown
        expect(page.locator("body[data-jp-theme-light='false']")).to_have_count(1)
        # The messages follow the theme: light on dark, not the light theme's near-black.
        for selector in (f"{MESSAGES}[data-kind='found']", f"{MESSAGES}[data-kind='hint']", COUNT):
            colour = page.locator(selector).first.evaluate("el => getComputedStyle(el).color")
            channels = [int(c) for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
            assert sum(channels) > 3 * 128, f"{selector}: text colour {colour} is dark on a dark theme"
        assert_no_widget_errors(page)
        screenshot(page, "check-my-work-lab-dark")
