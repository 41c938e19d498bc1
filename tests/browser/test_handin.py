"""Hand in with one button, download the file, and restore it in a new session, as a student does.

The download link is made in the browser from the file's bytes, so it works wherever the widget does (no file
server): the file downloaded must be the file written, readable by ``read_submissions``. Restoring it into a
fresh store brings back every tag, shown at once in a tagger opened before.
"""

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
    run_all,
    screenshot,
)
from ._widgets import BUNDLED_SETUP, STATUS, TEXT, drag_select

HANDIN = "[data-annotkit='handin']"


def work_cells(folder: Path) -> list[str]:
    return [
        BUNDLED_SETUP + "actors = ActorTagger(article, store=store, paragraphs=[2, 3])\nactors",
        "Reflection(article, '02-anonymous', 'Why might an official speak without giving a name?', store=store)",
        f"HandIn(store=store, folder={str(folder)!r})",
    ]


@pytest.mark.parametrize(
    ("app", "opener"), [("lab", open_in_lab), ("notebook7", open_in_notebook7)], ids=["lab", "notebook7"]
)
def test_hand_in_download_and_restore_in_a_new_session(
    page: Page, lab_server: LabServer, notebook_dir: Path, tmp_path: Path, app: str, opener: Callable[..., None]
):
    folder = tmp_path / "hand-in"
    opener(page, lab_server, make_notebook(notebook_dir, f"work-{app}", work_cells(folder)))
    run_all(page)
    page.locator("[data-annotkit-label='official']").click()
    for count, words in enumerate(("President Joe Biden", "Mustafa al-Kadhimi"), start=1):
        drag_select(page, words)
        expect(page.locator(f"{TEXT} mark")).to_have_count(count)  # the labels move the text: wait for it
    answer = page.locator("[data-annotkit='reflection'] textarea")
    answer.fill("To speak freely before it is announced.")
    answer.blur()  # leaving the box saves it
    expect(page.locator("[data-annotkit='reflection'] [data-annotkit='status']")).to_contain_text("Saved at")

    handin = page.locator(HANDIN)
    handin.locator("[data-annotkit-field='name']").fill("Ana Ruiz")
    handin.locator("[data-annotkit='hand-in']").click()
    expect(handin.locator(STATUS)).to_have_text(
        "Handed in: 2 actor tags, 0 claims, 0 perspectives, 1 reflection — download it and give it to your teacher."
    )
    expect(handin).to_contain_text("Handing in as Ana Ruiz")
    link = handin.locator("[data-annotkit='download']")
    expect(link).to_have_text("⬇ Download Ana_Ruiz.json")
    with page.expect_download() as download:
        link.click()
    downloaded = tmp_path / "downloaded.json"
    download.value.save_as(downloaded)
    assert download.value.suggested_filename == "Ana_Ruiz.json"
    assert downloaded.read_bytes() == (folder / "Ana_Ruiz.json").read_bytes()
    back = annotkit.read_submissions(downloaded)
    assert back.problems.empty
    assert back.submissions["student_name"].tolist() == ["Ana Ruiz"]
    assert sorted(back.annotations["text"]) == ["Mustafa al-Kadhimi", "President Joe Biden"]
    assert set(back.annotations["origin"]) == {"browser"}
    assert back.reflections["answer"].tolist() == ["To speak freely before it is announced."]
    assert_no_widget_errors(page)
    screenshot(page, f"handin-{app}-handed-in")

    # A new session: an empty store, a tagger already open, and the file the student downloaded.
    fresh = tmp_path / "new-session.sqlite"
    cells = [
        "import annotkit\nfrom annotkit.widgets import ActorTagger, HandIn\n"
        f"store = annotkit.open_store({str(fresh)!r})\narticle = annotkit.load_bundled_article()\n"
        "actors = ActorTagger(article, store=store, paragraphs=[2, 3])\nactors",
        "HandIn(store=store)",
    ]
    opener(page, lab_server, make_notebook(notebook_dir, f"restore-{app}", cells))
    run_all(page)
    expect(page.locator(f"{TEXT} mark")).to_have_count(0)
    handin = page.locator(HANDIN)
    handin.locator("summary").click()
    with page.expect_file_chooser() as chooser:
        handin.locator("[data-annotkit='restore-button']").click()
    chooser.value.set_files(downloaded)
    expect(handin.locator(STATUS)).to_have_text(
        "Restored 2 tags and 1 reflection on “Biden Announces End to US Combat Mission in Iraq”."
    )
    expect(page.locator(f"{TEXT} mark")).to_have_count(2)  # the tagger shows every tag, at once
    expect(page.locator("[data-annotkit='span-list'] li[data-id]")).to_have_count(2)
    expect(handin).to_contain_text("Handing in as Ana Ruiz")  # the name came back too
    store = annotkit.open_store(fresh, annotator=back.submissions["annotator"].iloc[0])
    try:
        assert sorted(store.annotations()["text"]) == ["Mustafa al-Kadhimi", "President Joe Biden"]
    finally:
        store.close()
    assert_no_widget_errors(page)
    screenshot(page, f"handin-{app}-restored")


def test_the_download_link_works_in_voila_too(page: Page, lab_server: LabServer, notebook_dir: Path, tmp_path: Path):
    """Voilà renders a notebook as an app, with no file browser: the link is made from the bytes in the page."""
    folder = tmp_path / "hand-in"
    cells = [
        BUNDLED_SETUP + "ActorTagger(article, store=store).tag('Lloyd Austin', label='official')",
        f"HandIn(store=store, folder={str(folder)!r})",
    ]
    notebook = make_notebook(notebook_dir, "voila-handin", cells)
    page.goto(lab_server.page_url(f"voila/render/{lab_server.relative(notebook)}"), timeout=120_000)
    handin = page.locator(HANDIN)
    expect(handin).to_be_visible(timeout=120_000)
    handin.locator("[data-annotkit-field='name']").fill("Ana Ruiz")
    handin.locator("[data-annotkit-field='name']").press("Enter")
    expect(handin.locator(STATUS)).to_contain_text("Handed in: 1 actor tag")
    with page.expect_download() as download:
        handin.locator("[data-annotkit='download']").click()
    downloaded = tmp_path / "from-voila.json"
    download.value.save_as(downloaded)
    assert downloaded.read_bytes() == (folder / "Ana_Ruiz.json").read_bytes()
    assert annotkit.read_submissions(downloaded).annotations["text"].tolist() == ["Lloyd Austin"]
    screenshot(page, "handin-voila")


def test_a_draft_goes_to_the_teacher_by_itself_while_the_student_works(
    page: Page, lab_server: LabServer, notebook_dir: Path, tmp_path: Path
):
    """The live class view: with drafts turned on, the page asks for one every few minutes (here: every 1.2 s)."""
    folder = tmp_path / "hand-in"
    cells = [
        BUNDLED_SETUP
        + "store.set_student_name('Ana Ruiz')\nactors = ActorTagger(article, store=store, paragraphs=[2])\nactors",
        f"HandIn(store=store, folder={str(folder)!r}, auto_minutes=0.02)",
    ]
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "drafts", cells))
    run_all(page)
    handin = page.locator(HANDIN)
    expect(handin).to_contain_text("a draft of your work also goes to your teacher")
    page.locator("[data-annotkit-label='official']").click()
    drag_select(page, "President Joe Biden")
    expect(handin).to_contain_text("(the last at", timeout=60_000)  # Python wrote it and said when
    draft = folder / "Ana_Ruiz.draft.json"
    assert annotkit.read_submissions(draft).annotations["text"].tolist() == ["President Joe Biden"]
    assert not (folder / "Ana_Ruiz.json").exists()
    assert_no_widget_errors(page)
