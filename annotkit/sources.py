"""Reading article files: bytes to text, and plain text, Markdown or HTML to raw blocks.

A *block* is what the page shows as one unit (a paragraph, a heading, a caption) before cleaning decides
what it is. Plain text keeps the lines of each block, because a web capture repeats a photo caption as two
identical lines and cleaning needs to see that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .charsets import decode_article_bytes
from .errors import ArticleError

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "Block",
    "decode_article_bytes",
    "read_article_file",
    "read_blocks",
    "split_blocks",
]

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
    return decode_article_bytes(data, source=path.name, html=fmt == "html"), fmt


def split_blocks(text: str, fmt: str) -> list[Block]:
    """Split an article's text into raw blocks according to its format (``"txt"``, ``"md"`` or ``"html"``)."""
    return read_blocks(text, fmt)[0]


def read_blocks(text: str, fmt: str, *, source: str | None = None) -> tuple[list[Block], dict[str, Any]]:
    """Split an article's text into raw blocks, and return them with what the source says about the article.

    For a web page (``fmt="html"``) the blocks are the article's main text (see :mod:`annotkit.pages`) and the
    metadata is the page's own (title, outlet, published, contributors, url); a page that may not be one article
    (a home page, a paywall teaser) gets one ArticleWarning saying so. Plain text and Markdown give no metadata.
    """
    if fmt not in FORMATS:
        msg = f"Unknown article format {fmt!r}. Use one of: {', '.join(FORMATS)}."
        raise ArticleError(msg)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "html":
        import warnings

        from .errors import ArticleWarning
        from .pages import read_page

        page = read_page(text, source=source or "The page")
        if page.doubts:
            warnings.warn(" ".join(page.doubts), ArticleWarning, stacklevel=4)
        return [Block((line,), hint) for hint, line in page.blocks], page.metadata
    if fmt == "md":
        return _markdown_blocks(text), {}
    return _text_blocks(text), {}


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
