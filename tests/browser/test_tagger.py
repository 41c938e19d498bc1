"""The span tagger in a real browser: mouse, keyboard, the store behind it, safety, and reopening.

Each test runs a notebook in JupyterLab (one in Notebook 7), acts as a student would, then reads the store file
back in Python: what the student sees must be what was saved.
"""

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import annotkit

from ._lab import (
    LabServer,
    assert_no_widget_errors,
    make_notebook,
    open_in_lab,
    open_in_notebook7,
    reload_page,
    run_all,
    saved_annotations,
    screenshot,
    switched_theme,
)
from ._widgets import (
    FORM,
    SMALL_SETUP,
    STATUS,
    TEXT,
    drag_between,
    drag_select,
    mark,
    notebook_cells,
    text_range_box,
)

ACTORS_CELL = (
    "import annotkit\n"
    "from annotkit.widgets import ActorTagger\n"
    "article = annotkit.load_bundled_article()\n"
    "actors = ActorTagger(article, paragraphs=[2, 3])\n"
    "actors"
)

# Text with markup and script, and characters outside the Basic Multilingual Plane before the names.
UNSAFE_TEXT = (
    "Safety Test\n\n"
    'The mayor said <img src=x onerror="window.__annotkit_xss = 1"> and <script>window.__annotkit_xss = 2</script>'
    " loudly. 👋🏽 Zoë Ćirić met Lloyd Austin 🇺🇳 today."
)
UNSAFE_CELL = (
    "import annotkit\n"
    "from annotkit.widgets import ActorTagger\n"
    f"article = annotkit.Article.from_text({UNSAFE_TEXT!r}, format='txt')\n"
    "actors = ActorTagger(article)\n"
    "actors"
)


def word_box(page: Page, words: str) -> dict:
    """Where ``words`` (their first appearance in the tagger) are on screen: left, right and middle height."""
    box = text_range_box(page, words)
    assert box
    return {"left": box["x1"] - 1, "right": box["x2"] + 1, "y": box["y1"]}


@pytest.mark.parametrize(("app", "opener"), [("lab", open_in_lab), ("notebook7", open_in_notebook7)])
def test_a_name_selected_with_the_mouse_is_tagged_saved_and_removable(
    page: Page, lab_server: LabServer, notebook_dir: Path, app: str, opener: Callable[..., None]
):
    opener(page, lab_server, make_notebook(notebook_dir, "mouse", [ACTORS_CELL]))
    run_all(page)
    expect(page.locator(TEXT)).to_contain_text("President Joe Biden")

    page.locator("[data-annotkit-label='official']").click()
    drag_select(page, "Mustafa al-Kadhimi")

    expect(mark(page, "official")).to_have_text("Mustafa al-Kadhimi")
    expect(page.locator(STATUS)).to_contain_text("Tagged “Mustafa al-Kadhimi” as Official")
    [row] = saved_annotations(lab_server)
    assert (row["text"], row["label"], row["entity"]) == ("Mustafa al-Kadhimi", "official", "Mustafa al-Kadhimi")
    expect(mark(page, "official")).to_have_attribute("data-annotation-id", row["annotation_id"])
    assert_no_widget_errors(page)
    screenshot(page, f"tagger-{app}-mouse-tagged")

    page.locator("[data-annotkit='span-list'] [data-annotkit='remove']").click()
    expect(page.locator(f"{TEXT} mark")).to_have_count(0)
    assert saved_annotations(lab_server) == []


def test_an_actor_selected_across_a_paragraph_break_is_refused_and_a_claim_is_not(
    page: Page, lab_server: LabServer, notebook_dir: Path
):
    cells = [
        SMALL_SETUP + "actors = ActorTagger(article, store=store)\n"
        "actors.tag('Tomás Vega', label='expert_or_think_tank')\nactors",
        "claims = ClaimTagger(article, store=store)\nclaims.set_defaults(said_by='the journalist')\nclaims",
    ]
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "across", cells))
    run_all(page)
    actors, claims = page.locator("[data-annotkit='tagger']").nth(0), page.locator("[data-annotkit='tagger']").nth(1)
    expect(actors.locator("mark[data-label='expert_or_think_tank']")).to_have_count(1)
    actors.locator("[data-annotkit-label='other']").click()
    drag_between(page, "Critics", "José Peña", nth=0)  # across "Tomás Vega" and a paragraph break
    expect(actors.locator(STATUS)).to_have_text(
        "Your selection runs from paragraph 1 into paragraph 2. An actor's words never cross a paragraph break: "
        "select words inside one paragraph, then tag them."
    )
    expect(actors.locator(STATUS)).to_have_class(re.compile("ak-error"))
    assert [r["label"] for r in saved_annotations(lab_server)] == ["expert_or_think_tank"]  # nothing else saved
    expect(actors.locator("mark")).to_have_count(1)

    drag_between(page, "Critics led", "agreed with the critics", nth=1)  # a claim may cross
    expect(claims.locator("mark[data-label='claim']").first).to_be_visible()
    row = next(r for r in saved_annotations(lab_server) if r["layer"] == "claim")
    assert row["text"].startswith("Critics led") and row["text"].endswith("agreed with the critics")
    assert "\n\n" in row["text"] and row["origin"] == "browser"
    assert claims.locator(f"{TEXT} p").filter(has=page.locator("mark[data-label='claim']")).count() == 2
    screenshot(page, "tagger-lab-across-paragraphs")


def test_the_keyboard_alone_tags_relabels_removes_and_undoes(page: Page, lab_server: LabServer, notebook_dir: Path):
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "keyboard", [ACTORS_CELL]))
    run_all(page)
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    text = page.locator(TEXT)
    text.focus()  # what Tab does; the region is focusable

    # Paragraph 2 begins "Within months, U.S. forces in Iraq ...": move to "U.S." and select 11 characters.
    page.keyboard.press("Control+Home")
    for _ in range(len("Within months, ")):
        page.keyboard.press("ArrowRight")
    for _ in range(len("U.S. forces")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("3")  # the third label: military or security force

    expect(mark(page, "military_or_security")).to_have_text("U.S. forces")
    [row] = saved_annotations(lab_server)
    assert (row["text"], row["label"]) == ("U.S. forces", "military_or_security")

    page.keyboard.press("ArrowLeft")  # the caret is inside the tag: the form shows it
    expect(page.locator(f"{FORM} [data-annotkit='form-title']")).to_contain_text("Editing")
    expect(page.locator(f"{FORM} [data-annotkit='form-title']")).to_contain_text("“U.S. forces”")
    page.keyboard.press("2")  # with the caret in a tag, a number changes its label
    expect(mark(page, "government_body")).to_have_text("U.S. forces")
    assert saved_annotations(lab_server)[0]["label"] == "government_body"

    page.keyboard.press("Delete")
    expect(text.locator("mark")).to_have_count(0)
    expect(page.locator(STATUS)).to_contain_text("Removed “U.S. forces”")
    assert saved_annotations(lab_server) == []
    page.keyboard.press("Control+z")
    expect(mark(page, "government_body")).to_have_count(1)
    assert len(saved_annotations(lab_server)) == 1

    # Typing in the widget never reaches JupyterLab's notebook shortcuts (a, b: new cells; d d: delete; m).
    for key in ("a", "b", "d", "d", "m", "x"):
        page.keyboard.press(key)
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells
    expect(text).to_contain_text("Within months, U.S. forces")  # and never edits the article
    screenshot(page, "tagger-lab-keyboard")


def test_article_markup_is_shown_as_text_and_runs_nothing(page: Page, lab_server: LabServer, notebook_dir: Path):
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "unsafe", [UNSAFE_CELL]))
    run_all(page)
    text = page.locator(TEXT)
    expect(text).to_contain_text('<img src=x onerror="window.__annotkit_xss = 1">')
    expect(text).to_contain_text("<script>window.__annotkit_xss = 2</script>")
    assert text.locator("img, script").count() == 0
    assert page.evaluate("window.__annotkit_xss") is None

    # UTF-16 in the browser, code points in Python: after an emoji, the name is still saved exactly.
    page.locator("[data-annotkit-label='official']").click()
    drag_select(page, "Lloyd Austin")
    expect(mark(page, "official")).to_have_text("Lloyd Austin")
    [row] = saved_annotations(lab_server)
    article = annotkit.Article.from_text(UNSAFE_TEXT, format="txt")
    assert article.text[row["start"] : row["end"]] == row["text"] == "Lloyd Austin"
    drag_select(page, "Zoë Ćirić")
    expect(mark(page, "official")).to_have_count(2)
    assert {r["text"] for r in saved_annotations(lab_server)} == {"Lloyd Austin", "Zoë Ćirić"}
    assert page.evaluate("window.__annotkit_xss") is None
    assert_no_widget_errors(page)
    screenshot(page, "tagger-lab-unsafe-text")


def test_tags_come_back_after_the_kernel_stops_and_the_page_reloads(
    page: Page, lab_server: LabServer, notebook_dir: Path
):
    notebook = make_notebook(notebook_dir, "reopen", [ACTORS_CELL])
    open_in_lab(page, lab_server, notebook)
    run_all(page)
    page.locator("[data-annotkit-label='official']").click()
    drag_select(page, "Joe Biden")
    expect(mark(page, "official")).to_have_count(1)

    # Close everything: the kernel goes, the page goes. Nothing was saved in the notebook file. JupyterLab reopens
    # the notebook, with a new kernel, as a student finds it the next day.
    lab_server.shutdown_kernels()
    reload_page(page, lab_server)
    run_all(page)
    expect(mark(page, "official")).to_have_text("Joe Biden")
    expect(page.locator("[data-annotkit='span-list'] li")).to_have_count(1)
    assert [r["text"] for r in saved_annotations(lab_server)] == ["Joe Biden"]


def test_after_restart_kernel_a_tool_says_what_to_do_and_takes_no_more_changes(
    page: Page, lab_server: LabServer, notebook_dir: Path
):
    """Restart Kernel without a reload: the old tagger must not look alive while nothing it sends is saved."""
    notebook = make_notebook(notebook_dir, "restart", [ACTORS_CELL])
    open_in_lab(page, lab_server, notebook)
    run_all(page)
    page.locator("[data-annotkit-label='official']").click()
    drag_select(page, "Joe Biden")
    expect(mark(page, "official")).to_have_count(1)
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
    gone = page.locator("[data-annotkit='kernel-gone']")
    expect(gone).to_have_text(
        "The kernel stopped or restarted. Run the notebook from the top to show the tagger again — your work is "
        "saved. (In the menu: Run ▸ Run All Cells.)",
        timeout=60_000,
    )
    assert page.locator(TEXT).evaluate("el => el.closest('[inert]') !== null")  # no more changes go nowhere
    screenshot(page, "tagger-lab-kernel-restarted")
    run_all(page)  # what the note says to do
    expect(mark(page, "official")).to_have_text("Joe Biden")
    expect(gone).to_have_count(0)


def test_esc_and_shift_enter_in_the_text_lead_back_to_the_notebook(
    page: Page, lab_server: LabServer, notebook_dir: Path
):
    """A keyboard's way out of the tool; Jupyter's Shift+Enter reflex never opens the form or types into it."""
    notebook = make_notebook(notebook_dir, "way-out", [ACTORS_CELL, "1 + 1"])
    open_in_lab(page, lab_server, notebook)
    run_all(page)
    cells = notebook_cells(page)
    in_tool = "() => document.activeElement.closest('.ak-root') !== null"
    mode = "() => window.jupyterapp.shell.currentWidget.content.mode"
    page.locator(TEXT).focus()
    page.keyboard.press("Shift+Enter")
    expect(page.locator(FORM)).not_to_contain_text("Editing")  # no form opened for what comes next
    page.wait_for_function(f"() => !({in_tool})()")
    assert page.evaluate(mode) == "command"
    page.locator(TEXT).focus()
    page.keyboard.press("Escape")  # nothing selected: Esc leaves the tool
    page.wait_for_function(f"() => !({in_tool})()")
    assert page.evaluate(mode) == "command"
    assert notebook_cells(page) == cells
    assert saved_annotations(lab_server) == []


def test_dark_theme_keeps_tags_readable(page: Page, lab_server: LabServer, notebook_dir: Path):
    notebook = make_notebook(notebook_dir, "dark", [ACTORS_CELL, "actors.tag('Joe Biden')"])
    open_in_lab(page, lab_server, notebook)
    with switched_theme(page, lab_server, "JupyterLab Dark"):  # chosen before the tagger is drawn
        expect(page.locator("body[data-jp-theme-light='false']")).to_have_count(1)
        run_all(page)
        expect(mark(page, "official")).to_have_count(1)
        # The text follows the theme: light on dark, not the light theme's near-black.
        colour = page.locator(TEXT).evaluate("el => getComputedStyle(el).color")
        channels = [int(c) for c in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
        assert sum(channels) > 3 * 128, f"text colour {colour} is dark on a dark theme"
        assert_no_widget_errors(page)
        screenshot(page, "tagger-lab-dark-theme")


def test_timings_are_recorded_for_the_benchmarks(page: Page, lab_server: LabServer, notebook_dir: Path):
    """The speed goals' figures, measured here and printed by `make bench` (no goal is asserted in a test)."""
    long_article = (
        "import annotkit\n"
        "from annotkit.widgets import ActorTagger\n"
        "article = annotkit.load_bundled_article()\n"
        "body = article.text.split('\\n\\n')[2:]\n"
        "paragraphs = [body[i % len(body)] for i in range(120)]\n"
        "long = annotkit.Article.from_text('A Long Article\\n\\n' + '\\n\\n'.join(paragraphs), format='txt')\n"
        "print('words:', long.tokens.is_word.sum())\n"
        "actors = ActorTagger(long)\n"
        "actors"
    )
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "speed", [long_article]))
    run_all(page)
    tagger = page.locator("[data-annotkit='tagger']")
    expect(tagger).to_have_attribute("data-render-ms", re.compile(r"\d"))
    words = int(page.locator(".jp-OutputArea-output").filter(has_text="words:").inner_text().split()[-1])
    render_ms = float(tagger.get_attribute("data-render-ms"))
    page.locator("[data-annotkit-label='official']").click()
    tag_ms = []
    for name in ("Joe Biden", "Lloyd Austin", "Jen Psaki", "Katherine Zimmerman", "Mustafa al-Kadhimi") * 2:
        occurrence = 1 + len([n for n in tag_ms if n[0] == name])
        tagger.evaluate("el => el.removeAttribute('data-tag-ms')")
        drag_select(page, name, occurrence=occurrence)
        expect(tagger).to_have_attribute("data-tag-ms", re.compile(r"\d"))  # set once the highlight is painted
        tag_ms.append((name, float(tagger.get_attribute("data-tag-ms"))))
    assert words >= 5000
    assert len(saved_annotations(lab_server)) == len(tag_ms)
    results = Path(__file__).resolve().parents[2] / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "browser.json").write_text(
        json.dumps({"words": words, "render_ms": render_ms, "tag_ms": [ms for _, ms in tag_ms]}, indent=2),
        encoding="utf-8",
    )
    assert render_ms > 0 and all(ms > 0 for _, ms in tag_ms)
