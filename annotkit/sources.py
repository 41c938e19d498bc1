"""Reading article files: bytes to text, and plain text, Markdown or HTML to raw blocks.

A *block* is what the page shows as one unit (a paragraph, a heading, a caption) before cleaning decides
what it is. Plain text keeps the lines of each block, because a web capture repeats a photo caption as two
identical lines and cleaning needs to see that.
"""

from __future__ import annotations

import codecs
import re
import warnings
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import ArticleError, ArticleWarning

__all__ = ["DEFAULT_MAX_BYTES", "SUPPORTED_SUFFIXES", "Block", "decode_article_bytes", "read_article_file"]

#: Files larger than this are refused unless ``max_bytes`` says otherwise (a news article is ~10-50 KB).
DEFAULT_MAX_BYTES = 5_000_000

#: File endings annotkit reads, and the format each one means.
SUPPORTED_SUFFIXES = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}

FORMATS = ("txt", "md", "html")

_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


@dataclass(frozen=True)
class Block:
    """One unit of the page before cleaning.

    Attributes
    ----------
    lines
        The block's lines, each stripped; plain text keeps several, Markdown and HTML give one.
    hint
        What the markup says the block is (``"headline"``, ``"caption"``, ``"body"``), or None for plain text.
    """

    lines: tuple[str, ...]
    hint: str | None = None


def _supported_list() -> str:
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def read_article_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, str]:
    """Read an article file and return ``(text, format)`` after checking it is a readable text article.

    Raises ArticleError, with what to do next, for a missing path, a folder, an unsupported type, a file over
    ``max_bytes``, an empty file, binary data or bytes that are not text.
    """
    path = Path(path)
    if not path.exists():
        msg = f"No article file at '{path}'. Check the name and the folder (the path is relative to {Path.cwd()})."
        raise ArticleError(msg)
    if path.is_dir():
        msg = f"'{path}' is a folder, not an article file. Give one file, or use load_articles() for a folder."
        raise ArticleError(msg)
    fmt = SUPPORTED_SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        msg = (
            f"annotkit cannot read '{path.name}': '{path.suffix or '(no ending)'}' files are not supported. "
            f"Save the article as one of: {_supported_list()}."
        )
        raise ArticleError(msg)
    size = path.stat().st_size
    if size > max_bytes:
        msg = (
            f"'{path.name}' is {size:,} bytes, more than the limit of {max_bytes:,} bytes for one article. "
            "Check it is a single article; if it is, pass a larger max_bytes=."
        )
        raise ArticleError(msg)
    data = path.read_bytes()
    return decode_article_bytes(data, source=path.name), fmt


def decode_article_bytes(data: bytes, *, source: str = "the article") -> str:
    """Decode an article's bytes: UTF-8 (with or without a byte-order mark), else Windows-1252 with a warning.

    >>> decode_article_bytes("Café au lait".encode("utf-8-sig"))  # a byte-order mark is dropped
    'Café au lait'
    """
    if not data.strip():
        msg = f"{source} is empty. Paste the article's text into it, save, and load it again."
        raise ArticleError(msg)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # What Windows Notepad calls "Unicode": UTF-16 with a byte-order mark.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192]:
        msg = (
            f"{source} looks like binary data (a PDF, a Word file or an image?), not text. "
            "Copy the article's text into a .txt file, or save the web page as .html."
        )
        raise ArticleError(msg)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            msg = (
                f"{source} contains bytes that are not text in any encoding annotkit knows (UTF-8, Windows-1252). "
                "Open it in a text editor and save it again as UTF-8."
            )
            raise ArticleError(msg) from None
        warnings.warn(
            f"{source} is not UTF-8; it was read as Windows-1252. Check accented letters and quotation marks, "
            "and save the file as UTF-8 to silence this warning.",
            ArticleWarning,
            stacklevel=3,
        )
    controls = len(_CONTROL_CHARACTERS.findall(text))
    if controls > max(2, len(text) // 100):
        msg = f"{source} does not look like text: it has {controls} control characters. Is it really an article?"
        raise ArticleError(msg)
    return text


def split_blocks(text: str, fmt: str) -> list[Block]:
    """Split an article's text into raw blocks according to its format (``"txt"``, ``"md"`` or ``"html"``)."""
    if fmt not in FORMATS:
        msg = f"Unknown article format {fmt!r}. Use one of: {', '.join(FORMATS)}."
        raise ArticleError(msg)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "html":
        return _html_blocks(text)
    if fmt == "md":
        return _markdown_blocks(text)
    return _text_blocks(text)


# --- plain text -------------------------------------------------------------------------------------------


def _text_blocks(text: str) -> list[Block]:
    blocks, lines = [], []
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            lines.append(line)
        elif lines:
            blocks.append(Block(tuple(lines)))
            lines = []
    if lines:
        blocks.append(Block(tuple(lines)))
    return blocks


# --- Markdown ---------------------------------------------------------------------------------------------

# A closing run of #s must follow a space ("# Learn C#" keeps its "#").
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_IMAGE_LINE = re.compile(r"^!\[([^\]]*)\]\([^)]*\)\s*$")
_MD_RULE = re.compile(r"^(?:[-*_]\s*){3,}$")
_MD_REF_DEFINITION = re.compile(r"^\[[^\]]+\]:\s*\S+")
_MD_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # inline images carry no article text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<[^>\n]+>"), ""),  # stray HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),  # backslash escapes
]


def _markdown_inline(line: str) -> str:
    for pattern, replacement in _MD_INLINE:
        line = pattern.sub(replacement, line)
    return line.strip()


def _markdown_blocks(text: str) -> list[Block]:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter: metadata, not article text
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                lines = lines[end + 1 :]
                break
    blocks: list[Block] = []
    current: list[str] = []
    seen_headline = False

    def flush() -> None:
        if current:
            blocks.append(Block((" ".join(current),), "body"))
            current.clear()

    for raw in lines:
        line = raw.strip()
        while line.startswith(">"):
            line = line[1:].strip()
        if not line or _MD_RULE.match(line) or _MD_REF_DEFINITION.match(line):
            flush()
            continue
        if heading := _MD_HEADING.match(line):
            flush()
            is_headline = len(heading.group(1)) == 1 and not seen_headline
            seen_headline |= is_headline
            blocks.append(Block((_markdown_inline(heading.group(2)),), "headline" if is_headline else "body"))
            continue
        if image := _MD_IMAGE_LINE.match(line):
            flush()
            if image.group(1).strip():
                blocks.append(Block((_markdown_inline(image.group(1)),), "caption"))
            continue
        if _MD_LIST_ITEM.match(line):
            flush()
            line = _MD_LIST_ITEM.sub("", line)
        current.append(_markdown_inline(line))
    flush()
    return [b for b in blocks if b.lines[0]]


# --- HTML -------------------------------------------------------------------------------------------------

# Elements whose content is never article text (code, navigation, furniture).
_HTML_SKIP = frozenset(
    [
        "script",
        "style",
        "nav",
        "footer",
        "aside",
        "form",
        "noscript",
        "template",
        "svg",
        "iframe",
        "button",
        "select",
        "textarea",
        "object",
        "canvas",
        "dialog",
        "menu",
    ]
)
_HTML_BLOCKS = frozenset(
    [
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "figcaption",
        "blockquote",
        "pre",
        "dt",
        "dd",
        "td",
        "th",
        "caption",
    ]
)
_HTML_BREAKS = frozenset(
    [
        "div",
        "section",
        "article",
        "main",
        "figure",
        "ul",
        "ol",
        "dl",
        "table",
        "tr",
        "body",
        "header",
        "hr",
        "address",
    ]
)
_HTML_VOID = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)


class _ArticleHTMLParser(HTMLParser):
    """Collects visible text blocks; remembers which were inside <article> and what the <title> says."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str, bool]] = []  # (text, tag, inside <article>)
        self.title = ""
        self._skip_depth = 0
        # Only the skipped element's own tag is counted: a <li> or <p> left unclosed inside a <nav>
        # (valid HTML) must not keep the rest of the page skipped.
        self._skip_tag = ""
        self._header_depth = 0
        self._article_depth = 0
        self._in_title = False
        self._tag = "div"
        self._buffer: list[str] = []

    def _flush(self) -> None:
        text = " ".join(" ".join(self._buffer).split())
        if text:
            self.blocks.append((text, self._tag, self._article_depth > 0))
        self._buffer = []
        self._tag = "div"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hidden = any(
            (name == "hidden")
            or (name == "aria-hidden" and value == "true")
            or (name == "style" and value and "display:none" in value.replace(" ", "").lower())
            for name, value in attrs
        )
        if tag in _HTML_VOID:
            if tag == "br" and not self._skip_depth:
                self._buffer.append(" ")
            return
        if self._skip_depth:
            if tag == self._skip_tag:
                self._skip_depth += 1
            return
        if tag in _HTML_SKIP or hidden:
            self._skip_tag = tag
            self._skip_depth = 1
            return
        if tag == "title":
            self._in_title = True
        if tag in _HTML_BLOCKS or tag in _HTML_BREAKS:
            self._flush()
            if tag in _HTML_BLOCKS:
                self._tag = tag
        if tag == "article":
            self._article_depth += 1
        elif tag == "header":
            self._header_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HTML_VOID:
            return
        if self._skip_depth:
            if tag == self._skip_tag:
                self._skip_depth -= 1
            return
        if tag == "title":
            self._in_title = False
        if tag in _HTML_BLOCKS or tag in _HTML_BREAKS:
            self._flush()
        if tag == "article":
            self._article_depth = max(0, self._article_depth - 1)
        elif tag == "header":
            self._header_depth = max(0, self._header_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._in_title:
            self.title += data
            return
        # A page header holds the headline, bylines, dates and menus: keep only its <h1>.
        if self._header_depth and self._tag != "h1":
            return
        self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _html_blocks(text: str) -> list[Block]:
    parser = _ArticleHTMLParser()
    parser.feed(text)
    parser.close()
    found = parser.blocks
    if any(inside for _, _, inside in found):
        found = [b for b in found if b[2] or b[1] == "h1"]
    blocks: list[Block] = []
    seen_headline = False
    for text_, tag, _ in found:
        if tag == "h1" and not seen_headline:
            seen_headline = True
            blocks.append(Block((text_,), "headline"))
        elif tag == "figcaption":
            blocks.append(Block((text_,), "caption"))
        else:
            blocks.append(Block((text_,), "body"))
    title = " ".join(parser.title.split())
    if not seen_headline and title:
        # "Storm hits coast | The Daily Planet": the site's name is not part of the headline.
        head, sep, tail = max(title.rpartition(" | "), title.rpartition(" - "), key=lambda p: len(p[0]))
        if sep and head and len(tail.split()) <= 4:
            title = head
        blocks.insert(0, Block((title,), "headline"))
    return blocks
