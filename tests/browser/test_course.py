"""Every course notebook, opened in JupyterLab and run as a student would: every widget renders, nothing fails.

Each notebook meets an empty store, exactly like a student's first visit. Each lesson whose tagging tools work on
the course's article (02-04) is then run again (Run All, in the same kernel) with a student's work in the store:
still every widget renders, with no error output anywhere. That work is what a student makes by hand in lessons
02-04 (tags made with the mouse, a note, an answer), which a test of its own does and checks in the store. (The
other lessons' widgets, reflections and Hand in, are the same ones these lessons run twice; every lesson runs
twice with saved work in a kernel, in tests/test_course_notebooks.py.)
"""

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from course_harness import notebook_code
from playwright.sync_api import Page, expect

from ._lab import REPO, LabServer, assert_no_widget_errors, open_in_lab, run_all, saved_annotations, screenshot
from ._widgets import STATUS, TEXT, drag_select

NOTEBOOKS = sorted(
    path.relative_to(REPO / "notebooks")
    for path in (REPO / "notebooks").glob("**/*.ipynb")
    if ".ipynb_checkpoints" not in path.parts
)
STUDENT_NOTEBOOKS = [notebook for notebook in NOTEBOOKS if notebook.parent == Path(".")]
_TOOL_ON_THE_ARTICLE = re.compile(r"\b(?:ActorTagger|ClaimTagger|PerspectiveBoard)\(article\b")


def _tools_show_the_students_work(notebook: Path) -> bool:
    """Whether the lesson's tagging tools show the course's article, where the hand-tagged work is."""
    code = notebook_code(REPO / "notebooks" / notebook)
    return "article = annotkit.load_bundled_article()" in code and _TOOL_ON_THE_ARTICLE.search(code) is not None


RUN_AGAIN_WITH_WORK = [notebook for notebook in STUDENT_NOTEBOOKS if _tools_show_the_students_work(notebook)]
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
    # The worker may run this file's tests in more than one stretch (conftest.py's SPLIT_FILES): start clean.
    shutil.rmtree(target.parent)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=str)
def test_notebook_runs_and_every_widget_renders(page: Page, lab_server: LabServer, course: Path, notebook: Path):
    """A first visit (an empty store); then, for lessons 02-04, a student's work in the store and Run All again."""
    open_in_lab(page, lab_server, course / notebook)
    run_all(page)
    _every_widget_renders(page, f"course-{str(notebook).replace('/', '-')}")
    if notebook in RUN_AGAIN_WITH_WORK:
        _write_hand_tagged_work(lab_server)
        run_all(page)  # Run All a second time, in the same kernel, as students do
        _every_widget_renders(page, f"course-with-work-{notebook.stem}")


def test_the_lessons_with_tools_on_the_course_article_run_again_with_work():
    assert [notebook.stem for notebook in RUN_AGAIN_WITH_WORK] == ["02_actors", "03_claims", "04_perspectives"]


def _every_widget_renders(page: Page, screenshot_name: str) -> None:
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
    screenshot(page, screenshot_name)


def _open_and_run(page: Page, lab_server: LabServer, path: Path) -> None:
    lab_server.shutdown_kernels()  # one kernel at a time, as a student moving from lesson to lesson; the store stays
    open_in_lab(page, lab_server, path)
    run_all(page)


def test_tags_made_by_hand_in_lessons_02_to_04_are_saved_as_made(page: Page, lab_server: LabServer, course: Path):
    """Tag a few actors, a claim and a stance with the mouse, write a note and an answer: all of it is saved."""
    _open_and_run(page, lab_server, course / "02_actors.ipynb")
    first = page.locator(TEXT).first
    expect(first).to_contain_text("President Joe Biden")
    page.locator("[data-annotkit-label='official']").first.click()
    for count, words in enumerate(["President Joe Biden", "Mustafa al-Kadhimi"], start=1):
        drag_select(page, words)
        expect(first.locator("mark")).to_have_count(count)  # the labels move the text: wait for each
    page.locator("[data-annotkit-label='military_or_security']").first.click()
    drag_select(page, "U.S. forces")
    expect(first.locator("mark")).to_have_count(3)
    note = page.locator("[data-annotkit='tagger']").first.locator("[data-annotkit-field='note']")
    note.fill("The troops: never named.")
    note.blur()
    answer = page.locator("[data-annotkit='reflection'] textarea").first
    answer.fill("To speak freely before it is announced.")
    answer.blur()
    expect(page.locator("[data-annotkit='reflection'] [data-annotkit='status']").first).to_contain_text("Saved at")
    assert_no_widget_errors(page)

    _open_and_run(page, lab_server, course / "03_claims.ipynb")
    speaker = page.locator("input[data-annotkit-field='said_by']").first
    speaker.fill("the journalist")
    speaker.press("Enter")
    page.locator("[data-annotkit-label='claim']").first.click()
    drag_select(page, "U.S. forces in Iraq will end their combat duties there")
    expect(page.locator(TEXT).first.locator("mark")).to_have_count(1)
    assert_no_widget_errors(page)

    _open_and_run(page, lab_server, course / "04_perspectives.ipynb")
    board = page.locator("[data-annotkit='board']")
    board.locator("[data-annotkit='actor-list'] li[data-id='Joe Biden']").click()
    board.locator("[data-annotkit-field='stance'] [data-value='support']").click()
    expect(board.locator("[data-annotkit-field='stance'] [data-value='support']")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(board.locator(STATUS)).to_contain_text("Saved Joe Biden's stance")  # saved a moment after the choice
    assert_no_widget_errors(page)

    saved = saved_annotations(lab_server)
    by_layer = {layer: [row for row in saved if row["layer"] == layer] for layer in ("actor", "claim", "perspective")}
    assert sorted(row["text"] for row in by_layer["actor"]) == [
        "Mustafa al-Kadhimi",
        "President Joe Biden",
        "U.S. forces",
    ]
    assert [row["note"] for row in by_layer["actor"] if row["text"] == "U.S. forces"] == ["The troops: never named."]
    assert [(row["said_by"], row["origin"]) for row in by_layer["claim"]] == [("the journalist", "browser")]
    assert [(row["entity"], row["stance"]) for row in by_layer["perspective"]] == [("Joe Biden", "support")]
    assert {row["origin"] for row in saved} == {"browser"}
    # The work the lessons are run with in test_notebook_runs_and_every_widget_renders.
    made = [(row["layer"], row["label"], row["text"]) for row in saved if row["layer"] != "perspective"]
    assert sorted(made) == sorted((layer, label, words) for layer, label, words, _, _ in HAND_TAGGED)


# What the hand-tagging test above leaves in the store, as (layer, label, words, occurrence, values).
HAND_TAGGED = [
    ("actor", "official", "President Joe Biden", 1, {"entity": "Joe Biden"}),
    ("actor", "official", "Mustafa al-Kadhimi", 1, {"entity": "Mustafa al-Kadhimi"}),
    ("actor", "military_or_security", "U.S. forces", 1, {"entity": "U.S. forces", "note": "The troops: never named."}),
    ("claim", "claim", "U.S. forces in Iraq will end their combat duties there", 1, {"said_by": "the journalist"}),
]


def _write_hand_tagged_work(lab_server: LabServer) -> None:
    """Write into the server's store what the hand-tagging test leaves there, and an answer."""
    import annotkit

    article = annotkit.load_bundled_article()
    store = annotkit.open_store(lab_server.store)
    try:
        for layer, label, words, occurrence, values in HAND_TAGGED:
            at = -1
            for _ in range(occurrence):
                at = article.text.index(words, at + 1)
            store.add(article, layer=layer, label=label, start=at, end=at + len(words), origin="browser", **values)
        store.add(article, layer="perspective", label="perspective", entity="Joe Biden", stance="support",
                  origin="browser")  # fmt: skip
        store.reflect(
            article,
            "02-anonymous-source",
            "To speak freely before it is announced.",
            question="Why might an official want to stay anonymous?",
        )
    finally:
        store.close()
