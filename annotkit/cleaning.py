"""Turning raw blocks into the article's paragraphs: what is site furniture, headline, caption, body or credit.

The rules are the ones a careful reader applies to a captured web page: navigation lines and dates go, a
caption that the page repeats as alt text is kept once, the contributors' line is a credit, and a dateline
stays with the paragraph it opens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .sources import Block

__all__ = ["PARAGRAPH_KINDS", "clean_blocks", "normalize_space"]

#: The kinds of paragraph an article has, in the order a page usually shows them.
PARAGRAPH_KINDS = ("headline", "caption", "body", "credit")

# Whole lines that are site navigation or furniture, compared case-insensitively.
_BOILERPLATE_LINES = frozenset(
    (
        "accessibility links", "breaking news", "skip to main content", "skip to content",
        "skip to main navigation", "skip to navigation", "skip to search", "print options", "print", "share",
        "share this", "share this article", "share this story", "email", "comments", "see comments",
        "advertisement", "ad", "subscribe", "sign up", "menu", "search", "log in", "sign in", "see all news",
        "embed", "no media source currently available", "read more", "back to top", "listen to this article",
        "listen", "cookie settings", "accept cookies", "close", "next", "previous",
    )
)  # fmt: skip
_BOILERPLATE_PREFIXES = ("follow us on", "share on", "sign up for", "subscribe to", "copyright", "©")

# A heading that introduces a list of links to other stories; the links go with it.
_RELATED_HEADINGS = frozenset(
    (
        "related", "related stories", "related articles", "related content", "related coverage", "latest news",
        "most popular", "most read", "you may also like", "see also", "more stories",
    )
)  # fmt: skip

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|wednes|thu|thurs|fri|sat|satur|sun)(?:day)?\.?,?"
_DATE = (
    rf"(?:{_WEEKDAY}\s+)?(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})"
)
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?"
# "July 26, 2021 6:18 PM", "Updated: 26 July 2021", "Published: 7:05 PM MDT July 18, 2024".
_DATE_PART = rf"(?:(?:last\s+)?(?:updated|published|posted)(?:\s+on)?\s*:?|{_DATE}|{_TIME}|at|on|[,|·•–—-])"
_DATE_LINE = re.compile(rf"^(?:{_DATE_PART}\s*)*(?:{_DATE}|{_TIME})(?:\s*{_DATE_PART})*\s*\.?$", re.IGNORECASE)

_CAPTION_PREFIX = re.compile(r"^(?:FILE\s*(?:PHOTO)?\s*[-–—:]|FILE PHOTO\b|PHOTO:)")
_CREDIT = re.compile(
    "|".join(
        (
            r"\bcontributed (?:to )?(?:this|the) (?:report|story|article)\b",
            r"\bcontributed reporting\b",
            r"^some information (?:for|in) this (?:report|story|article) came from\b",
            r"^\(?\s*(?:additional )?reporting by\b",
            r"^\(?\s*(?:writing|editing|compiled) by\b",
        )
    ),
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^by\s+\S", re.IGNORECASE)
_BYLINE_SMALL_WORDS = frozenset({"and", "of", "the", "in", "for", "&", "de", "van", "von", "al", "el"})

# "WASHINGTON —", "LAGOS, Nigeria (AP) —", "GENEVA (Reuters) -" standing alone on a line.
_DATELINE_ONLY = re.compile(r"^[A-Z][A-Z .'’-]+(?:,\s*[A-Z][\w .'’-]*)?(?:\s*\([^)]*\))?\s*[-–—]+$")

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def normalize_space(text: str) -> str:
    r"""Collapse every run of white space to one space, drop invisible characters, and normalize to NFC.

    >>> normalize_space("  Prime\u00a0Minister   Mustafa\nal-Kadhimi ")
    'Prime Minister Mustafa al-Kadhimi'
    """
    if text.isascii():  # most of an English article: nothing invisible, nothing to compose
        return " ".join(text.split())
    return unicodedata.normalize("NFC", " ".join(text.translate(_INVISIBLE).split()))


def _is_boilerplate(line: str) -> bool:
    if len(line) > 100:  # site furniture is short; prose is not
        return False
    low = line.lower().rstrip(":")
    return low in _BOILERPLATE_LINES or low.startswith(_BOILERPLATE_PREFIXES) or bool(_DATE_LINE.match(line))


def _is_related_heading(line: str) -> bool:
    low = line.lower().rstrip(":")
    return low in _RELATED_HEADINGS or low.startswith("more from ")


def _looks_like_link_title(line: str) -> bool:
    return len(line.split()) <= 15 and not line.rstrip().endswith((".", "!", "?", '"', "”", "’"))


def _is_credit(text: str) -> bool:
    if len(text.split()) > 60:
        return False
    if _CREDIT.search(text):
        return True
    # "By JANE DOE", "By Helen Marsh, environment correspondent": capitalized names, then perhaps a role.
    names = text.split(",")[0].split()
    return (
        bool(_BYLINE.match(text))
        and len(text.split()) <= 10
        and all(w[0].isupper() or w.lower() in _BYLINE_SMALL_WORDS for w in names[1:] if w[0].isalpha())
    )


def _split_repeated_lines(lines: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Group a block's lines into paragraphs; a line repeated right after itself is a caption, kept once."""
    groups: list[tuple[str, list[str]]] = []
    lines = list(lines)
    i = 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1] == lines[i]:
            j += 1
        if j > i:
            groups.append(("caption", [lines[i]]))
        elif groups and groups[-1][0] == "text":
            groups[-1][1].append(lines[i])
        else:
            groups.append(("text", [lines[i]]))
        i = j + 1
    return groups


def _drop_furniture(blocks: list[Block]) -> list[Block]:
    """Remove boilerplate lines, and the "Related" lists of links with their heading."""
    kept: list[Block] = []
    in_related = 0  # link titles still allowed to be dropped after a "Related" heading
    for block in blocks:
        lines = []
        for line in block.lines:
            if _is_related_heading(line):
                in_related = 12
                continue
            if in_related and _looks_like_link_title(line):
                in_related -= 1
                continue
            in_related = 0
            if not _is_boilerplate(line):
                lines.append(line)
        if lines:
            kept.append(Block(tuple(lines), block.hint))
    return kept


def clean_blocks(blocks: list[Block], *, find_headline: bool = True) -> list[tuple[str, str]]:
    """Turn raw blocks into ``(kind, text)`` paragraphs, kind being one of ``PARAGRAPH_KINDS``.

    ``find_headline`` lets plain text promote its first short paragraph to headline; Markdown and HTML
    mark their headline themselves.
    """
    paragraphs: list[tuple[str, str]] = []
    for block in _drop_furniture(blocks):
        if block.hint is not None:
            paragraphs.append((block.hint, normalize_space(" ".join(block.lines))))
            continue
        for kind, lines in _split_repeated_lines(block.lines):
            paragraphs.append(("caption" if kind == "caption" else "body", normalize_space(" ".join(lines))))

    paragraphs = [(kind, text) for kind, text in paragraphs if text]
    paragraphs = [
        ("credit" if _is_credit(text) else "caption" if _CAPTION_PREFIX.match(text) else kind, text)
        if kind == "body"
        else (kind, text)
        for kind, text in paragraphs
    ]
    paragraphs = _join_lone_datelines(paragraphs)
    has_headline = any(kind == "headline" for kind, _ in paragraphs)
    if find_headline and not has_headline:
        _promote_headline(paragraphs)
    return paragraphs


def _join_lone_datelines(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    joined: list[tuple[str, str]] = []
    carry = ""
    for kind, text in paragraphs:
        if kind == "body" and _DATELINE_ONLY.match(text) and not carry:
            carry = text
            continue
        if carry:
            if kind == "body":
                text = f"{carry} {text}"
            else:
                joined.append(("body", carry))
            carry = ""
        joined.append((kind, text))
    if carry:
        joined.append(("body", carry))
    return joined


def _promote_headline(paragraphs: list[tuple[str, str]]) -> None:
    """Make the first short, unpunctuated paragraph (within the first few) the headline."""
    # A headline heads an article: a text whose only body paragraph is short is that article, not a headline.
    if sum(kind == "body" for kind, _ in paragraphs) < 2:
        return
    for index, (kind, text) in enumerate(paragraphs[:4]):
        if kind in ("credit", "caption"):
            continue
        if kind == "body" and len(text.split()) < 25 and not text.endswith(".") and not _DATELINE_START.match(text):
            paragraphs[index] = ("headline", text)
        return


_DATELINE_START = re.compile(r"^[A-Z][A-Z .'’-]{2,}(?:,\s*[A-Z][\w .'’-]*)?(?:\s*\([^)]*\))?\s*[-–—]\s")
