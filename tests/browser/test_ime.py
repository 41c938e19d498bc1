"""Input methods (IME, virtual keyboards) cannot change the article, and offsets stay right afterwards.

An input method's composition cannot be cancelled (its beforeinput events are not cancelable), so the tagger
draws the text again from the model when the composition ends. Issue 9 saw the opposite: after typing through
an input method, a selection of "city" was read as 'y wo'. Chromium's DevTools protocol types the way an input
method does (Input.imeSetComposition, Input.insertText).
"""

from pathlib import Path

from playwright.sync_api import Page, expect

import annotkit

from ._lab import LabServer, assert_no_widget_errors, make_notebook, open_in_lab, run_all, saved_annotations
from ._widgets import SMALL_ARTICLE, SMALL_SETUP, STATUS, TEXT, caret_to, drag_select

CELLS = [SMALL_SETUP + "actors = ActorTagger(article, store=store)\nactors"]
ARTICLE_TEXT_JS = """() => [...document.querySelectorAll("[data-annotkit='text'] p")].map((p) => p.textContent)"""


def test_an_input_method_cannot_change_the_article_and_offsets_stay_right(
    page: Page, lab_server: LabServer, notebook_dir: Path
):
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "ime", CELLS))
    run_all(page)
    expect(page.locator(TEXT)).to_contain_text("the city would rebuild")
    article = annotkit.Article.from_text(SMALL_ARTICLE, article_id="storm-hits-coast")
    paragraphs = article.paragraphs["text"].tolist()
    assert page.evaluate(ARTICLE_TEXT_JS) == paragraphs
    cdp = page.context.new_cdp_session(page)

    # A composition in the middle of the text (as a Japanese or Chinese input method makes), then committed.
    caret_to(page, "ty would")  # inside "city"
    cdp.send("Input.imeSetComposition", {"text": "y wo", "selectionStart": 4, "selectionEnd": 4})
    cdp.send("Input.imeSetComposition", {"text": "y wor", "selectionStart": 5, "selectionEnd": 5})
    cdp.send("Input.insertText", {"text": "y wor"})  # commits the composition
    assert page.evaluate(ARTICLE_TEXT_JS) == paragraphs  # drawn again from the model: "y wor" is gone
    expect(page.locator(STATUS)).to_have_text(
        "The article cannot be changed: select words, then press a number key to tag them."
    )

    # Text sent straight in, as a virtual keyboard or dictation does.
    caret_to(page, "Critics")
    cdp.send("Input.insertText", {"text": "Hello "})
    page.keyboard.insert_text("typed ")
    assert page.evaluate(ARTICLE_TEXT_JS) == paragraphs

    # The offsets still fit the article: "city" is saved as "city", and a name after it exactly.
    page.locator("[data-annotkit-label='other']").click()
    drag_select(page, "city")
    expect(page.locator(f"{TEXT} mark[data-label='other']")).to_have_text("city")
    caret_to(page, "Tomás Vega", select=True)
    page.keyboard.press("8")  # public or civil society
    expect(page.locator(f"{TEXT} mark[data-label='public_or_civil_society']")).to_have_text("Tomás Vega")
    saved = {row["text"]: (row["start"], row["end"]) for row in saved_annotations(lab_server)}
    assert saved == {
        "city": (article.text.index("city"), article.text.index("city") + 4),
        "Tomás Vega": (article.text.index("Tomás Vega"), article.text.index("Tomás Vega") + 10),
    }
    assert page.evaluate(ARTICLE_TEXT_JS) == paragraphs
    assert_no_widget_errors(page)
