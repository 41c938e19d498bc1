"""No key pressed in an annotkit widget reaches JupyterLab or Notebook 7 (issue 9, item 1).

Every control of every widget (the text, label buttons, choices, boxes, lists, buttons, links) is focused in
turn and sent the keys that are notebook shortcuts in command mode: D D deletes the cell, A and B insert one,
M makes it Markdown, X cuts it, Z undoes a cell operation, Escape leaves edit mode, the arrows move to another
cell, Enter edits it. Afterwards the notebook has the same cells (types and sources) and the same active cell.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ._lab import LabServer, assert_no_widget_errors, make_notebook, open_in_lab, open_in_notebook7, run_all
from ._widgets import BUNDLED_SETUP, notebook_cells

SHORTCUTS = ["d", "d", "a", "b", "m", "x", "z", "Escape", "ArrowDown", "ArrowUp", "Enter"]
CELLS = [
    BUNDLED_SETUP
    + "actors = ActorTagger(article, store=store, paragraphs=[2, 3])\n"
    + "actors.tag('President Joe Biden', label='official')\nactors.tag('Iraqi', label='government_body')\nactors",
    "claims = ClaimTagger(article, store=store, paragraphs=[2, 3])\n"
    "claims.tag('U.S. forces in Iraq will end their combat duties', said_by='Joe Biden')\nclaims",
    "PerspectiveBoard(article, store=store)",
    "Reflection(article, 'keys', 'Which words show where Joe Biden stands?', store=store)",
    "import tempfile\nHandIn(store=store, folder=tempfile.mkdtemp())",
]
# Everything a student can reach with Tab or arrows, or click: each gets the keys. The file input is opened by
# its button (pressing Enter on a file input would open the system's file dialog, which is not the notebook).
CONTROLS_JS = """(widget) => {
    const root = document.querySelectorAll('.ak-root')[widget];
    for (const details of root.querySelectorAll('details')) details.open = true;
    const selector = 'button, input:not([type=file]), textarea, a[href], summary, [tabindex], [contenteditable]';
    return [...root.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0).length;
}"""
FOCUS_CONTROL_JS = """async ([widget, index]) => {
    const root = document.querySelectorAll('.ak-root')[widget];
    for (const details of root.querySelectorAll('details')) details.open = true;
    const selector = 'button, input:not([type=file]), textarea, a[href], summary, [tabindex], [contenteditable]';
    const controls = [...root.querySelectorAll(selector)].filter((el) => el.getClientRects().length > 0);
    const el = controls[index];
    if (!el) return null;
    // A button is disabled while the kernel works (handing in): wait for it, as a student would.
    for (let waited = 0; el.disabled && waited < 30000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    el.scrollIntoView({block: 'center'});
    el.focus();
    const what = (el.dataset.annotkitLabel && 'label')
        || el.closest('[data-annotkit-field]')?.getAttribute('data-annotkit-field')
        || el.getAttribute('data-annotkit') || el.closest('[data-annotkit]').getAttribute('data-annotkit');
    return {what: what + ': ' + (el.textContent || el.placeholder || '').trim().slice(0, 40),
            focused: document.activeElement === el};
}"""
ACTIVE_CELL_JS = "() => window.jupyterapp.shell.currentWidget.content.activeCellIndex"


@pytest.mark.parametrize(
    ("app", "opener"), [("lab", open_in_lab), ("notebook7", open_in_notebook7)], ids=["lab", "notebook7"]
)
def test_no_key_in_any_widget_reaches_the_notebook(
    page: Page, lab_server: LabServer, notebook_dir: Path, app: str, opener: Callable[..., None]
):
    page.on("filechooser", lambda chooser: None)  # "Choose my hand-in file…" asks for a file: nobody answers
    opener(page, lab_server, make_notebook(notebook_dir, f"keys-{app}", CELLS))
    run_all(page)
    expect(page.locator(".ak-root")).to_have_count(len(CELLS))
    expect(page.locator("[data-annotkit='tagger'] mark").first).to_be_visible()
    before = notebook_cells(page)
    tried: list[str] = []
    for widget, cell in enumerate(range(len(CELLS))):
        assert page.evaluate(CONTROLS_JS, widget) >= 1, f"widget {widget} shows no control"
        for index in range(200):  # the widget changes under the keys (a tag removed, a download link shown)
            control = page.evaluate(FOCUS_CONTROL_JS, [widget, index])
            if control is None:
                break
            assert control["focused"], f"could not focus {control['what']}"
            for key in SHORTCUTS:
                page.keyboard.press(key)
            tried.append(control["what"])
            assert notebook_cells(page) == before, f"keys in {control['what']!r} changed the notebook"
            assert page.evaluate(ACTIVE_CELL_JS) == cell, f"keys in {control['what']!r} moved to another cell"
    kinds = {what.split(":")[0] for what in tried}
    # Every kind of control was tried: the text, label buttons, choices, a text box, a list, buttons.
    for kind in ("text", "label", "affiliation", "said_by", "span-list", "actor-list", "stance", "evidence", "answer",
                 "name", "hand-in", "restore-button", "note"):  # fmt: skip
        assert kind in kinds, f"no {kind} control was tried: {sorted(kinds)}"
    assert_no_widget_errors(page)
