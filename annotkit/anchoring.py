"""Finding an annotation in a text again after the text changed, the way web annotations do.

Each annotation remembers its position and its exact words with some context before and after (the Hypothesis
client's ``TextPositionSelector`` and ``TextQuoteSelector``). To re-anchor: trust the position if the words are
still there; otherwise look for the words, and accept a place only when the evidence is good enough. A short
word found somewhere else is not the same word, so it stays unanchored ("orphaned") and is shown to the user.
"""

from __future__ import annotations

__all__ = ["CONTEXT_CHARS", "Utf16Offsets", "anchor", "context"]

#: Characters of context remembered on each side of an annotation.
CONTEXT_CHARS = 32
#: A quote at least this long, found exactly once, is trusted without its context.
LONG_QUOTE = 8


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The ``prefix`` and ``suffix`` remembered around ``text[start:end]``.

    >>> context("Mayor Ana Ruiz said so.", 6, 14)
    ('Mayor ', ' said so.')
    """
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the remembered context still sit right before and after ``start:end``."""
    score = 0
    for a, b in zip(reversed(prefix), reversed(text[:start]), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(suffix, text[end:], strict=False):
        if a != b:
            break
        score += 1
    return score


def anchor(
    text: str, *, start: int | None, end: int | None, exact: str, prefix: str = "", suffix: str = ""
) -> tuple[int, int] | None:
    """Where the quote ``exact`` is in ``text`` now, or None when it cannot be found without guessing.

    The position wins when the quote is still there. Otherwise the quote is accepted where it occurs once, if it
    is long or keeps at least half of its context; or, among several occurrences, where one keeps at least half
    of its context and more than any other.

    >>> anchor("On Monday, Mayor Ana Ruiz said so.", start=0, end=14, exact="Mayor Ana Ruiz", prefix="", suffix=" said")
    (11, 25)
    >>> anchor("Mayor Ana Ruiz said so.", start=30, end=34, exact="Ruiz", prefix="so. ", suffix=" left.") is None
    True
    """
    if not exact:
        return None
    if start is not None and end is not None and 0 <= start < end <= len(text) and text[start:end] == exact:
        return start, end
    found: list[int] = []
    at = text.find(exact)
    while at >= 0:
        found.append(at)
        at = text.find(exact, at + 1)
    if not found:
        return None
    scores = sorted(((_context_score(text, a, a + len(exact), prefix, suffix), a) for a in found), reverse=True)
    best, at = scores[0]
    keeps_context = 2 * best >= len(prefix) + len(suffix)
    if len(found) == 1:
        return (at, at + len(exact)) if len(exact) >= LONG_QUOTE or keeps_context else None
    if best > scores[1][0] and keeps_context:
        return at, at + len(exact)
    return None


class Utf16Offsets:
    """Convert between Python's code-point offsets and JavaScript's UTF-16 offsets in one text.

    A character outside the Basic Multilingual Plane (most emoji) is one code point but two UTF-16 units,
    so every offset after it differs by one.

    Parameters
    ----------
    text
        The text the offsets point into.
    """

    def __init__(self, text: str) -> None:
        units = [0]
        for char in text:
            units.append(units[-1] + (2 if ord(char) > 0xFFFF else 1))
        self._units = units
        self._points = {unit: point for point, unit in enumerate(units)}

    def to_utf16(self, point: int) -> int:
        """The UTF-16 offset of a code-point offset."""
        return self._units[point]

    def to_points(self, unit: int) -> int | None:
        """The code-point offset of a UTF-16 offset; None inside a surrogate pair or outside the text."""
        return self._points.get(unit)
