"""When two tagged spans are "the same" without being exactly the same: the one definition of overlap.

Two spans overlap when they share at least half of the words the two cover together: the Jaccard index of
their tokens (annotkit's own tokens, from :func:`annotkit.text.token_spans`) is at least :data:`THRESHOLD`.
"Lloyd Austin" and "Defense Secretary Lloyd Austin" share 2 of 4 tokens, so they overlap; "Austin" and "Defense
Secretary Lloyd Austin" (1 of 4) do not. Words, not characters: a long word must not outweigh two short ones,
and a name's title should weigh what its words weigh.

Scoring (a student against the key), agreement (span F1 between annotators), "Check my work" and the comparison
view all use this definition; agreement's class-wide version (token intervals in numpy) is tested to give the
same answer.
"""

from __future__ import annotations

from functools import lru_cache

from .text import token_spans

__all__ = ["THRESHOLD", "jaccard", "overlap", "overlaps", "words"]

#: Two spans overlap when their token Jaccard is at least this.
THRESHOLD = 0.5


@lru_cache(maxsize=65536)  # a class tags the same spans again and again ("President Joe Biden")
def words(start: int, end: int, text: str) -> frozenset[tuple[int, int]]:
    """The tokens of a span, as absolute ``(start, end)`` offsets, from the span's own text.

    >>> sorted(words(10, 22, "Lloyd Austin"))
    [(10, 15), (16, 22)]
    """
    return frozenset((start + s, start + e) for s, e in token_spans(text))


def jaccard(a: frozenset[tuple[int, int]], b: frozenset[tuple[int, int]]) -> float:
    """Tokens in both over tokens in either (two spans' :func:`words`); 0.0 when both are empty."""
    return len(a & b) / len(a | b) if a or b else 0.0


@lru_cache(maxsize=262144)  # the same pairs of spans come up for student after student
def overlap(a_start: int, a_end: int, a_text: str, b_start: int, b_end: int, b_text: str) -> float:
    """The token Jaccard of two spans: tokens both cover over tokens either covers (0.0 to 1.0).

    >>> overlap(18, 30, "Lloyd Austin", 0, 30, "Defense Secretary Lloyd Austin")
    0.5
    """
    return jaccard(words(a_start, a_end, a_text), words(b_start, b_end, b_text))


def overlaps(a_start: int, a_end: int, a_text: str, b_start: int, b_end: int, b_text: str) -> bool:
    """Whether two spans overlap: token Jaccard of at least :data:`THRESHOLD`.

    >>> overlaps(18, 30, "Lloyd Austin", 0, 30, "Defense Secretary Lloyd Austin")
    True
    >>> overlaps(24, 30, "Austin", 0, 30, "Defense Secretary Lloyd Austin")
    False
    """
    return overlap(a_start, a_end, a_text, b_start, b_end, b_text) >= THRESHOLD
