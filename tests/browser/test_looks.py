"""How the widgets look, in JupyterLab's light and dark themes: screenshots of each, and what can be measured.

Label names are on one line and at least 12 px; paragraph numbers are in the margin; text is light on the dark
theme. The screenshots (tests/browser/artifacts/looks-<theme>-<widget>.png) are for people to look at.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ._lab import (
    ARTIFACTS,
    LabServer,
    assert_no_widget_errors,
    make_notebook,
    open_in_lab,
    run_all,
    switched_theme,
)
from ._widgets import BUNDLED_SETUP

CELLS = [
    BUNDLED_SETUP + "actors = ActorTagger(article, store=store, paragraphs=[2, 3, 4])\n"
    "actors.tag('U.S. forces', label='military_or_security', affiliation='united_states')\n"
    "actors.tag('President Joe Biden', label='official', note='He announces it.')\n"
    "actors.tag('Iraqi Prime Minister Mustafa al-Kadhimi', label='official')\n"
    "actors.tag('reporters', label='media')\n"
    "actors.tag('the Iraqi leader', label='unsure', entity='Mustafa al-Kadhimi')\n"
    "actors.tag('ISIS', label='armed_non_state_group')\nactors",
    "claims = ClaimTagger(article, store=store, paragraphs=[2, 3, 4])\n"
    "claims.tag('U.S. forces in Iraq will end their combat duties there', said_by='Joe Biden', form='indirect')\n"
    "claims",
    "board = PerspectiveBoard(article, store=store)\n"
    "board.set('Joe Biden', stance='support', frame='security', rationale='He announces the change.')\nboard",
    "Reflection(article, 'looks', 'Which words show where Joe Biden stands?', store=store)",
    "import tempfile\nHandIn(store=store, folder=tempfile.mkdtemp())",
]
NAMES = ["actor-tagger", "claim-tagger", "perspective-board", "reflection", "hand-in"]
# Every label name a student reads on a coloured badge: its font size, and whether it is on one line.
BADGES_JS = """() => {
    const found = [];
    for (const el of document.querySelectorAll('.ak-root .ak-badge, .ak-root .ak-label, .ak-root .ak-chip')) {
        const style = getComputedStyle(el);
        found.push({what: el.textContent.trim(), size: parseFloat(style.fontSize),
                    lines: Math.round(el.getBoundingClientRect().height / parseFloat(style.lineHeight || 16)),
                    rects: el.getClientRects().length, nowrap: style.whiteSpace === 'nowrap'});
    }
    for (const el of document.querySelectorAll('.ak-root mark.ak-end')) {
        const style = getComputedStyle(el, '::after');
        found.push({what: el.dataset.caption, size: parseFloat(style.fontSize), lines: 1, rects: 1,
                    nowrap: style.whiteSpace === 'nowrap' && style.display === 'inline-block'});
    }
    return found;
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_widget_in_both_themes(page: Page, lab_server: LabServer, notebook_dir: Path, theme: str):
    open_in_lab(page, lab_server, make_notebook(notebook_dir, f"looks-{theme}", CELLS))
    expect(page.locator("body[data-jp-theme-light='true']")).to_have_count(1)  # JupyterLab's default
    with switched_theme(page, lab_server, "JupyterLab Dark" if theme == "dark" else "JupyterLab Light"):
        expect(page.locator(f"body[data-jp-theme-light='{'false' if theme == 'dark' else 'true'}']")).to_have_count(1)
        run_all(page)
        roots = page.locator(".ak-root")
        expect(roots).to_have_count(len(CELLS))
        expect(page.locator("[data-annotkit='tagger'] mark").first).to_be_visible()
        expect(page.locator("[data-annotkit='actor-list'] li[data-id]")).to_have_count(5)

        badges = page.evaluate(BADGES_JS)
        assert len(badges) > 40
        small = [b for b in badges if b["size"] < 12]
        assert not small, f"label names under 12 px: {small[:5]}"
        split = [b for b in badges if not b["nowrap"] or b["rects"] != 1 or b["lines"] > 1]
        assert not split, f"label names on more than one line: {split[:5]}"

        numbers = page.locator("[data-annotkit='tagger']").first.locator("p.ak-par")
        assert [numbers.nth(i).get_attribute("data-para") for i in range(numbers.count())] == ["2", "3", "4"]
        margin = numbers.first.evaluate("p => getComputedStyle(p, '::before').content")
        assert margin == '"2"', margin

        colour = page.locator("[data-annotkit='text']").first.evaluate("el => getComputedStyle(el).color")
        channels = [int(c) for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
        assert (sum(channels) > 3 * 128) == (theme == "dark"), f"text colour {colour} in the {theme} theme"
        assert_no_widget_errors(page)

        ARTIFACTS.mkdir(exist_ok=True)
        for index, name in enumerate(NAMES):
            roots.nth(index).scroll_into_view_if_needed()
            roots.nth(index).screenshot(path=str(ARTIFACTS / f"looks-{theme}-{name}.png"))
