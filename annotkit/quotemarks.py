"""Finding quotations by their quotation marks, decided one quotation at a time.

Curly marks say which way they face; straight ones are read from the characters around them; AP's doubled
single marks (``''`` and ``‘‘ … ’’``) and ``«»`` count as double marks. A stack lets a quotation hold another one
(an article may nest straight double quotes inside straight double quotes). Double and single quotations are
both found wherever they stand, so one single-quoted phrase in a headline no longer decides the whole article's
style; an apostrophe (``don't``, ``the troops' mission``, ``'90s``) is never taken for a mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .words import CUE_VERBS, PRONOUNS

__all__ = ["Quoted", "find_quoted"]


@dataclass(frozen=True)
class Quoted:
    """A span in quotation marks, before anyone asks who said it.

    Attributes
    ----------
    para_id
        The paragraph it stands in.
    start, end
        Half-open offsets of the words inside the marks (white space and one trailing comma trimmed).
    outer_start, outer_end
        Offsets of the whole quotation with its marks (and the comma before a closing mark).
    continues
        True when it opens a paragraph while the previous paragraph ended inside a quotation.
    kind
        ``"double"`` or ``"single"``: the marks it stands in.
    """

    para_id: int
    start: int
    end: int
    outer_start: int
    outer_end: int
    continues: bool
    kind: str


_DOUBLE, _SINGLE = "double", "single"
_MARKS = re.compile("''|‘‘|’’|``|[\"“”‘’'«»„]")
_BEFORE_OPENER = frozenset(" \t\n([{—–-/\"“‘'«„")
_AFTER_CLOSER = frozenset(" \t\n,.;:!?)]}—–-\"”’'»…")
_CLOSING_FOLLOWERS = CUE_VERBS | frozenset(PRONOUNS) | {"according"}


def _classify(text: str, i: int, j: int, begin: int, end: int, in_single: bool) -> tuple[str, str] | None:
    """What the mark ``text[i:j]`` does: ``("open"|"close"|"toggle", kind)``, or None for an apostrophe."""
    mark = text[i:j]
    prev = text[i - 1] if i > begin else " "
    nxt = text[j] if j < end else " "
    if mark in ("“", "«", "‘‘", "``", "„"):
        return ("open", _DOUBLE)
    if mark in ("”", "»", "’’"):
        return ("close", _DOUBLE)
    if mark in ('"', "''"):
        opener = prev in _BEFORE_OPENER and not nxt.isspace()
        closer = not prev.isspace() and nxt in _AFTER_CLOSER
        if opener and not closer:
            return ("open", _DOUBLE)
        if closer and not opener:
            return ("close", _DOUBLE)
        return ("toggle", _DOUBLE) if mark == '"' else None
    # A single mark: an apostrophe inside a word (don't, Iraq's, O'Brien) or before a year ('90s) is no mark.
    if prev.isalnum() and nxt.isalnum():
        return None
    if mark != "’" and prev in _BEFORE_OPENER and (nxt.isalpha() or nxt in '"“'):
        return ("open", _SINGLE)
    if mark == "‘":
        return ("open", _SINGLE) if not nxt.isdigit() else None
    if in_single and (
        _plausible_single_close(text, i, end)
        or not any(_plausible_single_close(text, k, end) for k in range(i + 1, end) if text[k] in "’'")
    ):
        return ("close", _SINGLE)
    return None


def _plausible_single_close(text: str, i: int, end: int) -> bool:
    """Tell a closing single quote from the apostrophe of a plural possessive ("the troops' mission")."""
    prev = text[i - 1] if i > 0 else " "
    if prev in ".,!?;:…—–-":
        return True
    after = text[i + 1 : min(end, i + 40)]
    if not after or after[0] in ',.;:!?)]}"”—–-»…':
        return True
    word = re.match(r"\s+([\w'’]+)", after)
    return word is not None and (word.group(1)[0].isupper() or word.group(1).lower() in _CLOSING_FOLLOWERS)


def _single_closes(text: str, start: int, end: int) -> bool:
    """Whether a single quotation opened at ``start`` has a closing mark later in its paragraph."""
    return any(
        text[k] in "’'" and not (text[k - 1].isalnum() and text[k + 1 : k + 2].isalnum()) for k in range(start, end)
    )


def _opens_sentence(text: str, i: int, j: int, begin: int) -> bool:
    """A single mark that opens a sentence with a capital letter: a quotation that may run on past its paragraph."""
    before = text[begin:i].rstrip()
    return (not before or before[-1] in ".!?:") and text[j : j + 1].isupper()


def find_quoted(text: str, paragraphs: list[tuple[int, int]]) -> list[Quoted]:
    r"""Every top-level span in quotation marks, paragraph by paragraph, in order.

    >>> text = "Sanders: Clinton must 'get away' from Wall St.\n\n“We won,” he said."
    >>> [text[q.start : q.end] for q in find_quoted(text, [(0, 46), (48, 66)])]
    ['get away', 'We won']
    """
    found: list[tuple[int, int, int, bool, str]] = []
    pending = False  # the previous paragraph ended inside a quotation
    for para_id, (begin, end) in enumerate(paragraphs):
        stack: list[str] = []
        opened_at = -1
        continues = False
        for match in _MARKS.finditer(text, begin, end):
            i, j = match.span()
            mark = _classify(text, i, j, begin, end, _SINGLE in stack)
            if mark is None:
                continue
            action, kind = mark
            if action == "toggle":
                action = "close" if kind in stack else "open"
            if action == "open":
                if (
                    not stack
                    and kind == _SINGLE
                    and not _single_closes(text, j, end)
                    and not _opens_sentence(text, i, j, begin)
                ):
                    continue  # a lone single mark: an apostrophe or a slip, not a quotation
                if not stack:
                    opened_at = j
                    continues = pending and not text[begin:i].strip()
                stack.append(kind)
            elif kind in stack:
                while stack and stack.pop() != kind:
                    pass
                if not stack:
                    found.append((para_id, opened_at, i, continues, kind))
        pending = bool(stack) and stack[0] == _DOUBLE
        if stack:
            found.append((para_id, opened_at, end, continues, stack[0]))
    quoted = []
    for para_id, start, stop, continues, kind in found:
        inner_start, inner_end = _trim(text, start, stop)
        if inner_end > inner_start:
            outer_start, outer_end = _outer(text, inner_start, inner_end, paragraphs[para_id])
            quoted.append(Quoted(para_id, inner_start, inner_end, outer_start, outer_end, continues, kind))
    return quoted


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and text[end - 1] == ",":
        end -= 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _outer(text: str, start: int, end: int, paragraph: tuple[int, int]) -> tuple[int, int]:
    """Widen a quotation's span to take in its marks (and a comma before the closing mark)."""
    begin, stop = paragraph
    while start > begin and text[start - 1] in "\"“‘'«„` ":
        start -= 1
        if text[start] != " " and not (start > begin and text[start - 1] == text[start] and text[start] in "'‘`"):
            break
    while end < stop and text[end] in ",\"”’'» ":
        end += 1
        if text[end - 1] not in ", " and not (end < stop and text[end] == text[end - 1] and text[end] in "'’"):
            break
    return start, end
