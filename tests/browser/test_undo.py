"""Ctrl+Z undoes the last change made in this widget, never one made in another notebook (issue 9, item 4).

Lesson 02's tagger and lesson 04's perspective board, open side by side as a student has them: each in its own
notebook and kernel, on the same store file.
"""

from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect

from ._lab import LabServer, assert_no_widget_errors, make_notebook, open_in_lab, run_all, saved_annotations
from ._widgets import BUNDLED_SETUP, STATUS, TEXT, caret_to, drag_select

ACTORS = [BUNDLED_SETUP + "actors = ActorTagger(article, store=store, paragraphs=[2, 3])\nactors"]
BOARD = [BUNDLED_SETUP + "board = PerspectiveBoard(article, store=store)\nboard"]


def stances(server: LabServer) -> dict[str, str]:
    return {r["entity"]: r["stance"] for r in saved_annotations(server) if r["layer"] == "perspective"}


def test_ctrl_z_in_one_notebook_never_undoes_another_notebooks_change(
    page: Page, browser_context: BrowserContext, lab_server: LabServer, notebook_dir: Path
):
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "02-actors", ACTORS))
    run_all(page)
    page.locator("[data-annotkit-label='official']").click()
    drag_select(page, "President Joe Biden")
    expect(page.locator(f"{TEXT} mark")).to_have_count(1)

    other = browser_context.new_page()  # lesson 04, in another tab
    try:
        open_in_lab(other, lab_server, make_notebook(notebook_dir, "04-board", BOARD))
        run_all(other)
        expect(other.locator("[data-annotkit='actor-list'] li[data-id]")).to_have_count(1)
        other.locator("[data-annotkit-field='stance'] [data-value='support']").click()
        expect(other.locator(STATUS)).to_have_text("Saved Joe Biden's stance.")
        assert stances(lab_server) == {"Joe Biden": "support"}

        # Back in 02: a tag more, then Ctrl+Z: only 02's own last change is undone, and named.
        page.bring_to_front()
        drag_select(page, "Mustafa al-Kadhimi")
        expect(page.locator(f"{TEXT} mark")).to_have_count(2)
        caret_to(page, "Within")
        page.keyboard.press("Control+z")
        expect(page.locator(STATUS)).to_have_text("Undid tagging “Mustafa al-Kadhimi” (Official).")
        expect(page.locator(f"{TEXT} mark")).to_have_count(1)
        assert stances(lab_server) == {"Joe Biden": "support"}  # 04's stance is untouched

        # In 04, the board's Ctrl+Z is its own too, and the board shows each undo at once.
        other.bring_to_front()
        other.locator("[data-annotkit-field='stance'] [data-value='mixed']").click()
        row = other.locator("[data-annotkit='actor-list'] li[data-id='Joe Biden']")
        expect(row).to_contain_text("Mixed")
        assert stances(lab_server) == {"Joe Biden": "mixed"}
        other.keyboard.press("Control+z")
        expect(other.locator(STATUS)).to_have_text("Undid the change to Joe Biden's perspective.")
        expect(row).to_contain_text("Support")
        expect(other.locator("[data-annotkit-field='stance'] [aria-checked='true']")).to_have_text("Support")
        other.keyboard.press("Control+z")
        expect(row).to_contain_text("no stance yet")
        assert stances(lab_server) == {}
        assert [r["text"] for r in saved_annotations(lab_server)] == ["President Joe Biden"]  # 02's tag stays
        assert_no_widget_errors(other)

        page.bring_to_front()
        page.keyboard.press("Control+z")
        expect(page.locator(STATUS)).to_have_text("Undid tagging “President Joe Biden” (Official).")
        page.keyboard.press("Control+z")
        expect(page.locator(STATUS)).to_have_text("Nothing to undo here.")
    finally:
        other.close()
    assert_no_widget_errors(page)
