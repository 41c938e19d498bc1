"""Finding an annotation in a text again after the text changed, the way web annotations do.

Each annotation remembers its position and its exact words with some context before and after (the Hypothesis
client's ``TextPositionSelector`` and ``TextQuoteSelector``). To re-anchor: trust the position if the words are
still there; otherwise look for the words, and accept a place only when the evidence is good enough. A short
word found somewhere else is not the same word, so it stays unanchored ("orphaned") and is shown to the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import AnnotationError

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article

__all__ = ["ALIGNMENT_MODES", "CONTEXT_CHARS", "Utf16Offsets", "align_to_tokens", "anchor", "context", "onto"]

#: Characters of context remembered on each side of an annotation.
CONTEXT_CHARS = 32
#: A quote at least this long, found exactly once, is trusted without its context.
LONG_QUOTE = 8
#: A quote this long or longer may be found with small differences (a typo corrected inside it): at most one
#: changed character in FUZZY_RATIO, searched within FUZZY_WINDOW characters of where it used to be.
FUZZY_RATIO = 8
FUZZY_WINDOW = 600
#: Approximate matching costs time in proportion to a quote's length: longer quotes are matched by their ends only.
FUZZY_LONGEST = 120
#: What a span may do when it does not sit on token boundaries (the modes of spaCy's ``Doc.char_span``).
ALIGNMENT_MODES = ("strict", "contract", "expand")


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
        return _fuzzy(text, exact, prefix, suffix, near=start)
    scores = sorted(((_context_score(text, a, a + len(exact), prefix, suffix), a) for a in found), reverse=True)
    best, at = scores[0]
    keeps_context = 2 * best >= len(prefix) + len(suffix)
    if len(found) == 1:
        return (at, at + len(exact)) if len(exact) >= LONG_QUOTE or keeps_context else None
    if best > scores[1][0] and keeps_context:
        return at, at + len(exact)
    return None


def _fuzzy(text: str, exact: str, prefix: str, suffix: str, *, near: int | None) -> tuple[int, int] | None:
    """Where a long quote sits now with a few characters changed (a typo fixed in it), near its old place.

    At most one changed character in FUZZY_RATIO is accepted, and a place only where no other place fits as well.
    A long quote is first looked for by its two ends (a correction in the middle leaves them whole); then, for a
    shorter one, by approximate matching.
    """
    if len(exact) < LONG_QUOTE:
        return None
    budget = max(1, len(exact) // FUZZY_RATIO)
    centre = near if near is not None and 0 <= near <= len(text) else len(text) // 2
    low = max(0, centre - FUZZY_WINDOW)
    window = text[low : centre + len(exact) + FUZZY_WINDOW]
    places = _by_ends(window, exact, budget) if len(exact) >= 4 * LONG_QUOTE else []
    if not places and len(exact) <= FUZZY_LONGEST:
        places = _approximate(window, exact, budget)
    if not places:
        return None
    if len(places) > 1:
        scored = sorted(
            ((_context_score(text, low + a, low + b, prefix, suffix), a, b) for a, b in places), reverse=True
        )
        if scored[0][0] == scored[1][0]:
            return None  # two places fit as well as each other: do not guess
        places = [scored[0][1:]]
    a, b = places[0]
    return low + a, low + b


def _by_ends(window: str, exact: str, budget: int) -> list[tuple[int, int]]:
    """Places where the quote's first and last LONG_QUOTE characters both are, about the quote's length apart."""
    head, tail = exact[:LONG_QUOTE], exact[-LONG_QUOTE:]
    places = []
    at = window.find(head)
    while at >= 0:
        end = window.find(tail, at + len(exact) - LONG_QUOTE - budget)
        if end >= 0 and abs(end + LONG_QUOTE - at - len(exact)) <= budget:
            places.append((at, end + LONG_QUOTE))
        at = window.find(head, at + 1)
    return places


def _approximate(window: str, exact: str, budget: int) -> list[tuple[int, int]]:
    """Sellers' algorithm: the stretches of ``window`` the fewest edits away from ``exact``, within ``budget``."""
    size = len(window)
    costs = [0] * (size + 1)  # edits to match exact[:i] ending just before window[j]; a match may start anywhere
    starts = list(range(size + 1))
    for i, char in enumerate(exact, start=1):
        above_costs, above_starts = costs, starts
        costs, starts = [i] * (size + 1), [0] * (size + 1)
        for j in range(1, size + 1):
            best = (above_costs[j - 1] + (char != window[j - 1]), above_starts[j - 1])
            best = min(best, (above_costs[j] + 1, above_starts[j]), (costs[j - 1] + 1, starts[j - 1]))
            costs[j], starts[j] = best
    lowest = min(costs[1:], default=budget + 1)
    if lowest > budget:
        return []
    # Neighbouring ends belong to one match (a letter more or less); keep one place per match. A match starting
    # where the last one ends is another match (half-open offsets), such as a quote repeated with no space.
    places: list[tuple[int, int]] = []
    for j in range(1, size + 1):
        if costs[j] == lowest:
            if places and starts[j] < places[-1][1]:
                continue
            places.append((starts[j], j))
    return places


def align_to_tokens(article: Article, start: int, end: int, alignment: str) -> tuple[int, int]:
    """Snap a span to token boundaries as ``alignment`` says (the modes of spaCy's ``Doc.char_span``)."""
    import numpy as np

    if alignment not in ALIGNMENT_MODES:
        msg = f"Unknown alignment {alignment!r}. Use one of: {', '.join(ALIGNMENT_MODES)}."
        raise AnnotationError(msg)
    starts, ends = article._token_bounds
    touched = np.nonzero((starts < end) & (ends > start))[0]
    inside = np.nonzero((starts >= start) & (ends <= end))[0]
    on_boundaries = start in set(starts[touched]) and end in set(ends[touched])
    if on_boundaries:
        return start, end
    if alignment == "strict":
        snippet = article.text[start:end]
        msg = (
            f"The span {snippet!r} (start={start}, end={end}) cuts through a word. Select whole words, or pass "
            "alignment='expand' (grow to whole words) or alignment='contract' (shrink to whole words)."
        )
        raise AnnotationError(msg)
    chosen = touched if alignment == "expand" else inside
    if len(chosen) == 0:
        msg = f"The span start={start}, end={end} holds no whole word to contract to. Select at least one word."
        raise AnnotationError(msg)
    return int(starts[chosen[0]]), int(ends[chosen[-1]])


def onto(annotations: pd.DataFrame, article: Article) -> tuple[pd.DataFrame, int, int]:
    """Place annotations on this version of the article's text: ``(frame, moved, lost)``.

    A span whose words still sit at its offsets stays; one made on another version of the text (a typo fixed,
    another cleaning) is found again by :func:`anchor`; one that cannot be found becomes ``orphaned`` with no
    offsets, so ``article.text[start:end] == text`` holds for every placed row.
    """
    frame = annotations.copy()
    if frame.empty:
        return frame, 0, 0
    text = article.text
    columns = [frame[c].to_numpy(dtype=object, na_value=None) for c in ("start", "end", "text", "prefix", "suffix")]
    status = frame["status"].to_numpy(dtype=object, na_value=None)
    new_start, new_end = list(columns[0]), list(columns[1])
    new_status = list(status)
    found: dict[tuple[Any, ...], tuple[int, int] | None] = {}
    moved = lost = 0
    for i, (start, end, words, prefix, suffix) in enumerate(zip(*columns, strict=True)):
        if start is None or status[i] == "orphaned":
            continue
        start, end = int(start), int(end)
        if 0 <= start < end <= len(text) and text[start:end] == words:
            continue
        place = (start, end, words, prefix, suffix)
        if place not in found:
            found[place] = anchor(
                text, start=start, end=end, exact=words or "", prefix=prefix or "", suffix=suffix or ""
            )
        where = found[place]
        if where is None:
            new_start[i] = new_end[i] = None
            new_status[i] = "orphaned"
            lost += 1
        else:
            new_start[i], new_end[i] = where
            moved += 1
    if moved or lost:
        import pandas as pd

        frame["start"] = pd.array(new_start, dtype="Int64")
        frame["end"] = pd.array(new_end, dtype="Int64")
        frame["status"] = pd.array(new_status, dtype="string")
    return frame, moved, lost


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
