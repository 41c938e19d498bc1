"""Lesson 02 with the keyboard alone: tag, link, set every attribute and write a note, counting the key presses.

The student works on paragraphs 2 and 3 of the course's article and must end with exactly the answer key's
firm actor mentions there (label, actor linked, affiliation, identification), all saved as their own work
(origin "browser"). Words are reached the way a student reaches them: Ctrl+arrows a word at a time, Shift to
select. The key presses are counted and written to tests/browser/artifacts/keys-02.json; where the keyboard
focus goes after each step is checked too (never lost to the page's <body>).
"""

import json
from pathlib import Path

import numpy as np
from playwright.sync_api import Page, expect

import annotkit
from annotkit.article import paragraph_at

from ._lab import ARTIFACTS, LabServer, assert_no_widget_errors, make_notebook, open_in_lab, run_all, screenshot
from ._widgets import BUNDLED_SETUP, FORM, STATUS, TAG_LIST, TEXT, Keys, focused, notebook_cells

CELLS = [BUNDLED_SETUP + "actors = ActorTagger(article, store=store, paragraphs=[2, 3])\nactors"]
# Where the caret and the selection are, as offsets into the article (UTF-16, as the tagger counts).
SELECTION_JS = """() => {
    const selection = window.getSelection();
    if (!selection.rangeCount) return null;
    const offset = (node, at) => {
        const run = node.nodeType === Node.TEXT_NODE ? node.parentElement.closest('.ak-run') : null;
        return run ? Number(run.dataset.start) + at : null;
    };
    const range = selection.getRangeAt(0);
    return [offset(range.startContainer, range.startOffset), offset(range.endContainer, range.endOffset)];
}"""
NOTE = "Described, not named: the article calls him the Iraqi leader."
# What the student enters for each mention (the answer key's firm items in paragraphs 2-3): the label's number
# key, what to type to link it to an actor already tagged (None: the guess is right), and the first letters of
# the affiliation and identification chosen.
PLAN = [
    ("U.S. forces", "3", None, "u", "d"),
    ("President Joe Biden", "1", None, "u", "n"),
    ("Iraqi Prime Minister Mustafa al-Kadhimi", "1", None, "i", "n"),
    ("reporters", "7", None, "n", "d"),
    ("Biden", "1", None, "u", "n"),
    ("the Iraqi leader", "1", "Mus", "i", "d"),
    ("American troops", "3", "U.S", "u", "d"),
    ("ISIS", "4", None, "n", "n"),
    ("Islamic State group", "4", "ISIS", "n", "n"),
]


def selection(page: Page) -> list[int]:
    return page.evaluate(SELECTION_JS)


def trimmed(text: str) -> bool:
    """Whether the tagger drops these characters from the ends of a selection (spaces, commas, quotes)."""
    return all(c.isspace() or c in ',;:!?"“”‘’«»()[]' for c in text)


def select_words(page: Page, keys: Keys, text: str, start: int, end: int) -> None:
    """Select ``text[start:end]`` as a student does: Ctrl+arrows to the words, Ctrl+Shift+arrows over them.

    A selection with a space or a comma more at either end is fine: the tagger drops them.
    """
    for _ in range(200):
        if selection(page)[1] >= start:
            break
        keys.press("Control+ArrowRight")  # to the end of the next word
    if selection(page)[1] > start:
        keys.press("Control+ArrowLeft")  # went into the first word: back to its start
    caret = selection(page)[1]
    if not trimmed(text[caret:start]):
        keys.press("ArrowLeft" if caret > start else "ArrowRight", abs(caret - start))
    for _ in range(50):
        if selection(page)[1] >= end:
            break
        keys.press("Control+Shift+ArrowRight")
    if not trimmed(text[end : selection(page)[1]]):
        keys.press("Shift+ArrowLeft", selection(page)[1] - end)
    chosen = selection(page)
    assert trimmed(text[chosen[0] : start]) and trimmed(text[end : chosen[1]]), (chosen, [start, end])


def test_lesson_02_with_the_keyboard_alone(page: Page, lab_server: LabServer, notebook_dir: Path):
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "exercise-02", CELLS))
    run_all(page)
    text = page.locator(TEXT)
    expect(text).to_contain_text("U.S. forces")
    cells = notebook_cells(page)
    article = annotkit.load_bundled_article()
    keys = Keys(page)
    text.click(position={"x": 60, "y": 18})  # into the text: the one mouse action, then keys only
    keys.press("Control+Home")
    counts = []
    searched_from = article.paragraphs.start[2]
    for words, number, link, affiliation, identification in PLAN:
        before = keys.count
        start = article.text.index(words, searched_from)
        end = start + len(words)
        searched_from = end
        select_words(page, keys, article.text, start, end)
        keys.press(number)  # tag it with that label, and at once ...
        keys.press("Enter")  # ... into the new tag's form, at its first field: "Who is it?"
        expect(page.locator(f"{FORM} [data-annotkit='form-title']")).to_contain_text(f"“{words}”")
        assert focused(page)["field"] == "entity", (words, focused(page), selection(page), keys.log[-12:])
        if link:
            keys.type(link)  # the guess is selected: typing replaces it, the list offers the actors tagged
            keys.press("ArrowDown")
            keys.press("Enter")  # take it, and go on to the next field
        else:
            keys.press("Tab")
        assert focused(page)["field"] == "affiliation", focused(page)
        keys.press(affiliation)  # the first choice starting with that letter
        keys.press("Tab")
        assert focused(page)["field"] == "identification", focused(page)
        keys.press(identification)
        if words == "the Iraqi leader":
            keys.press("Tab")
            assert focused(page)["field"] == "note"
            keys.type(NOTE)
        keys.press("Escape")  # back to the text, after the tag
        assert focused(page)["part"] == "text", focused(page)
        expect(page.locator(STATUS)).to_contain_text("Saved:")
        counts.append({"words": words, "keys": keys.count - before})

    # Exactly the key's firm actor mentions in these paragraphs, with every attribute, as the student's own work.
    key = annotkit.load_key(article)
    key = key[(key["layer"] == "actor") & ~key["debatable"]]
    key = key[np.isin(paragraph_at(article, key["start"].astype("int64")), [2, 3])]
    columns = ["start", "end", "label", "entity", "affiliation", "identification"]
    expected = sorted(tuple(row) for row in key[columns].astype(object).values.tolist())
    store = annotkit.open_store(lab_server.store)
    try:
        mine = store.annotations(article)
    finally:
        store.close()
    assert sorted(tuple(row) for row in mine[columns].astype(object).values.tolist()) == expected
    assert set(mine["origin"]) == {"browser"}
    assert mine.loc[mine["text"] == "the Iraqi leader", "note"].tolist() == [NOTE]
    assert notebook_cells(page) == cells
    assert_no_widget_errors(page)
    screenshot(page, "exercise-02-keyboard-done")

    typed = len(NOTE)
    report = {
        "mentions": len(PLAN),
        "key_presses": keys.count,
        "of_which_typing_the_note": typed,
        "per_mention": counts,
        "keys": keys.log,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "keys-02.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\nLesson 02, paragraphs 2-3: {len(PLAN)} mentions, {keys.count} key presses ({typed} typing the note)")
    # A mention with everything set takes a few keys beyond reaching its words: no tab marathons.
    for count, (words, *_rest) in zip(counts, PLAN, strict=True):
        attributes = count["keys"] - (typed if words == "the Iraqi leader" else 0)
        assert attributes <= 30, f"{words}: {count['keys']} key presses"


def test_focus_never_lands_on_the_page_after_remove_or_a_label(page: Page, lab_server: LabServer, notebook_dir: Path):
    cells = [
        BUNDLED_SETUP + "actors = ActorTagger(article, store=store, paragraphs=[2, 3])\n"
        "for words in ('U.S. forces', 'President Joe Biden', 'reporters'):\n"
        "    actors.tag(words, label='official')\n"
        "actors"
    ]
    open_in_lab(page, lab_server, make_notebook(notebook_dir, "focus", cells))
    run_all(page)
    items = page.locator(f"{TAG_LIST} li[data-id]")
    expect(items).to_have_count(3)

    # The list is one Tab stop: Tab from the form's last field reaches it, arrows move in it.
    page.locator(TEXT).focus()
    tabs = 0
    while focused(page)["part"] != "span-list" and tabs < 12:
        page.keyboard.press("Tab")
        tabs += 1
    assert focused(page)["part"] == "span-list", focused(page)
    assert tabs <= 7, f"{tabs} Tabs from the text to the list of tags"
    assert focused(page)["focusVisible"]
    page.keyboard.press("ArrowDown")
    assert "President Joe Biden" in focused(page)["text"]

    page.keyboard.press("Delete")  # removes it: focus goes to the next tag in the list
    expect(items).to_have_count(2)
    assert focused(page)["part"] == "span-list" and "reporters" in focused(page)["text"], focused(page)

    items.last.locator("[data-annotkit='remove']").click()  # the mouse: the same
    expect(items).to_have_count(1)
    assert focused(page)["part"] == "span-list" and "U.S. forces" in focused(page)["text"], focused(page)
    page.keyboard.press("Delete")  # the last one: focus goes back to the text
    expect(items).to_have_count(0)
    assert focused(page)["part"] == "text", focused(page)

    # A label chosen with the keyboard (Shift+Tab to the label bar, arrows, Enter) sends focus back to the text.
    page.keyboard.press("Shift+Tab")
    assert focused(page)["tag"] == "BUTTON" and focused(page)["inWidget"], focused(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert focused(page)["part"] == "text", focused(page)
    expect(page.locator("[data-annotkit-label='government_body']")).to_have_attribute("aria-pressed", "true")
    page.locator("[data-annotkit-label='media']").click()  # and with the mouse
    assert focused(page)["part"] == "text", focused(page)

    # Enter in the text opens the form for the next tag; Escape comes back.
    page.keyboard.press("Enter")
    assert focused(page)["field"] == "entity"
    expect(page.locator(f"{FORM} [data-annotkit='form-title']")).to_contain_text("Next tag")
    page.keyboard.press("Escape")
    assert focused(page)["part"] == "text"
    assert_no_widget_errors(page)
