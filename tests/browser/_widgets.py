"""Helpers for the browser tests of annotkit's widgets: where things are, and acting as a student would."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

TEXT = "[data-annotkit='text']"
STATUS = "[data-annotkit='status']"
FORM = "[data-annotkit='form']"
TAG_LIST = "[data-annotkit='span-list']"

# A small article with two paragraphs (and "city", the word the input-method bug read as 'y wo').
SMALL_ARTICLE = (
    "Storm Hits Coast\n\n"
    "Mayor Ana Ruiz said the city would rebuild. Critics led by Tomás Vega called the plan costly.\n\n"
    "José Peña agreed with the critics. Officials said the harbour would reopen in May."
)
SMALL_SETUP = (
    "import annotkit\n"
    "from annotkit.widgets import ActorTagger, ClaimTagger, HandIn, PerspectiveBoard, Reflection\n"
    f"article = annotkit.Article.from_text({SMALL_ARTICLE!r}, article_id='storm-hits-coast')\n"
    "store = annotkit.open_store()\n"
)
BUNDLED_SETUP = (
    "import annotkit\n"
    "from annotkit.widgets import ActorTagger, ClaimTagger, HandIn, PerspectiveBoard, Reflection\n"
    "article = annotkit.load_bundled_article()\n"
    "store = annotkit.open_store()\n"
)

# The notebook as a student could change it: every cell's type and source, in order.
CELLS_JS = """() => window.jupyterapp.shell.currentWidget.content.model.sharedModel.cells.map(
    (cell) => [cell.cell_type, cell.getSource()])"""

# What has the keyboard focus: the element's tag, its annotkit role, and whether it is inside a widget.
FOCUS_JS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return {tag: 'BODY', inWidget: false};
    return {
        tag: el.tagName,
        role: el.getAttribute('role') || '',
        field: el.closest('[data-annotkit-field]')?.getAttribute('data-annotkit-field') || '',
        part: el.closest('[data-annotkit]')?.getAttribute('data-annotkit') || '',
        text: (el.textContent || el.value || '').slice(0, 60),
        inWidget: !!el.closest('.ak-root'),
        focusVisible: el.matches(':focus-visible'),
    };
}"""


def notebook_cells(page: Page) -> list[list[str]]:
    """Every cell of the open notebook as [type, source]."""
    return page.evaluate(CELLS_JS)


def focused(page: Page) -> dict[str, Any]:
    """What has the keyboard focus (see FOCUS_JS)."""
    return page.evaluate(FOCUS_JS)


def mark(page: Page, label: str) -> Locator:
    return page.locator(f"{TEXT} mark[data-label='{label}']")


_BOXES_JS = """([selector, nth, wanted, scroll]) => {
    const root = document.querySelectorAll(selector)[nth];
    const find = (words, occurrence) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            let at = node.data.indexOf(words);
            while (at >= 0) {
                seen += 1;
                if (seen === occurrence) {
                    const range = document.createRange();
                    range.setStart(node, at);
                    range.setEnd(node, at + words.length);
                    return range;
                }
                at = node.data.indexOf(words, at + 1);
            }
        }
        return null;
    };
    const ranges = wanted.map(([words, occurrence]) => find(words, occurrence));
    if (ranges.some((r) => r === null)) return null;
    if (scroll) ranges[0].startContainer.parentElement.scrollIntoView({block: "center"});
    return ranges.map((range) => {
        const rects = [...range.getClientRects()];
        const first = rects[0], last = rects[rects.length - 1];
        const [y1, y2] = [first.top + first.height / 2, last.top + last.height / 2];
        return {x1: first.left + 1, y1, x2: last.right - 1, y2};
    });
}"""


def text_boxes(page: Page, wanted: list[tuple[str, int]], nth: int = 0) -> list[dict[str, float]]:
    """Where each (words, occurrence) of the ``nth`` tagger's text is on screen (its first and last line), measured
    together after scrolling the first into view."""
    boxes = page.evaluate(_BOXES_JS, [TEXT, nth, wanted, True])
    assert boxes, f"not all of {wanted} are shown in tagger {nth}"
    return page.evaluate(_BOXES_JS, [TEXT, nth, wanted, False])


def text_range_box(page: Page, words: str, occurrence: int = 1, nth: int = 0) -> dict[str, float]:
    """Where the ``occurrence``-th appearance of ``words`` in the ``nth`` tagger's text is on screen."""
    return text_boxes(page, [(words, occurrence)], nth)[0]


def drag_select(page: Page, words: str, occurrence: int = 1, nth: int = 0) -> None:
    """Select ``words`` in the ``nth`` tagger with a real mouse drag, from the first character to the last."""
    box = text_range_box(page, words, occurrence, nth)
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def drag_between(page: Page, first: str, last: str, nth: int = 0) -> None:
    """A mouse drag from the start of ``first`` to the end of ``last`` (which may be in another paragraph)."""
    start, end = text_boxes(page, [(first, 1), (last, 1)], nth)
    page.mouse.move(start["x1"], start["y1"])
    page.mouse.down()
    page.mouse.move(end["x2"], end["y2"], steps=8)
    page.mouse.up()


def caret_to(page: Page, words: str, *, nth: int = 0, select: bool = False) -> None:
    """Put the caret before ``words`` in the ``nth`` tagger's text (or select them), as a script can."""
    page.evaluate(
        """([selector, words, select, nth]) => {
            const root = document.querySelectorAll(selector)[nth];
            root.focus();
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const at = node.data.indexOf(words);
                if (at < 0) continue;
                window.getSelection().setBaseAndExtent(node, at, node, select ? at + words.length : at);
                return;
            }
            throw new Error('not in the text: ' + words);
        }""",
        [TEXT, words, select, nth],
    )


class Keys:
    """The keyboard, counting every key press (a chord such as Shift+ArrowRight is one press)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0
        self.log: list[str] = []

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.count += 1
            self.log.append(key)

    def type(self, text: str) -> None:
        """Type text into the focused box: one key press per character."""
        self.page.keyboard.type(text)
        self.count += len(text)
        self.log.append(f"type {text!r}")
