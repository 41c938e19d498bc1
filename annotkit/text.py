"""Sentences and tokens: rule-based, fast, and tuned for news prose.

Offsets are half-open code-point offsets into the text given; nothing here copies or changes the text.
"""

from __future__ import annotations

import re

from .words import ABBREVIATIONS, CUE_VERBS, TITLES

__all__ = ["sentence_spans", "token_spans"]

_TITLES = TITLES
_ABBREVIATIONS = ABBREVIATIONS
_NEVER_SPLIT_BEFORE_LOWER = frozenset({"e.g", "i.e", "vs", "etc"})

# Words that start sentences in news prose; after an ambiguous abbreviation ("... in the U.S. The next
# day ...") one of these says a new sentence has begun.
_SENTENCE_STARTERS = frozenset(
    """the a an he she it they we i you his her their its our my this that these those there here but and
    or so yet in on at for after before when while although though if as since meanwhile however still
    some many most several other others one two three no not both each every such what who why how where
    officials police authorities critics analysts experts residents witnesses asked earlier later last
    next""".split()
)

# "Are we ready?" Ortega asked. / ...?’” Holmes testified. / "Why?" he said.
_REPORTING_AFTER_QUESTION = re.compile(
    r"^(?:(?:[A-Z][\w'’.-]*|he|she|they|we|i|it)\s+){1,4}(?:" + "|".join(sorted(CUE_VERBS)) + r")\b"
)
# Rep. Robert C. "Bobby" Scott: an initial, a nickname in quotation marks, then the surname.
_NICKNAME_AFTER = re.compile(r"[\"“‘']\w[\w.'’-]*[\"”’']\s+[A-Z]")

_CAPITALIZED_WORD_BEFORE = re.compile(r"[A-Z][\w'’-]*\s+$")
_TIME_FOLLOWERS = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|(?:[A-Z]{2,4}T|GMT|UTC|ET|CT|MT|PT)\b|local\b"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d"
    r"|(?:Eastern|Pacific|Central|Mountain|Atlantic|Greenwich)\b|[ECMP]\.(?:[SD]\.)?T\."
)
_CANDIDATE = re.compile(r"[.!?…]+[”\"’')\]»]*(?=\s+\S)|[。！？]+[”」』）]*(?=\S)")
_WORD_BEFORE = re.compile(r"([\w.'’-]+)$")
_OPENING_QUOTES = "\"“‘'«("


def _ends_sentence(text: str, match: re.Match[str], next_pos: int) -> bool:
    punct = match.group().rstrip("”\"’')]»」』）")
    if punct[-1] in "。！？":
        return True
    nxt = text[next_pos]
    if nxt.islower() or nxt in ",;:-–—)(":
        return False
    following = text[next_pos : next_pos + 60]
    if punct[-1] in "?!" and punct != match.group() and _REPORTING_AFTER_QUESTION.match(following):
        return False  # "Are we ready?" Ortega asked.
    if punct != ".":
        return True
    before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if not before:
        return True
    word = before.group(1).lstrip("'’").lower()
    bare = word.rstrip(".")
    if bare in _TITLES:
        return False
    if bare == "st" and not _CAPITALIZED_WORD_BEFORE.search(text, max(0, before.start() - 40), before.start()):
        return False  # "St. Louis" (Saint), unlike "200 Main St." (Street)
    if bare in ("a.m", "p.m") and nxt.isupper():
        # "at 9 a.m. Monday" runs on; "started at 7:30 a.m. Temperatures ..." is a new sentence.
        return not _TIME_FOLLOWERS.match(following)
    is_initialism = bool(re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", word))  # u.s, a.m, j (after "J.")
    is_initial = len(bare) == 1 and bare.isalpha()
    if not (bare in _ABBREVIATIONS or is_initialism or is_initial):
        return True
    if nxt.isdigit() or bare in _NEVER_SPLIT_BEFORE_LOWER:
        return False
    if nxt in _OPENING_QUOTES:
        return not (is_initial and _NICKNAME_AFTER.match(following))
    first_word = re.match(r"[\w'’]+", following)
    return first_word is not None and first_word.group().lower() in _SENTENCE_STARTERS and not is_initial


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` (one paragraph) into sentences and return their ``(start, end)`` offsets.

    Each span starts and ends on a non-space character; the spans are in order and never overlap.

    >>> text = 'U.S. troops left at 6 a.m. Monday. "We are done," Gen. Lee said. "Why?" he asked.'
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['U.S. troops left at 6 a.m. Monday.', '"We are done," Gen. Lee said.', '"Why?" he asked.']
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _CANDIDATE.finditer(text, start, end):
        next_pos = match.end()
        while next_pos < end and text[next_pos].isspace():
            next_pos += 1
        if next_pos >= end or not _ends_sentence(text, match, next_pos):
            continue
        if not any(ch.isalnum() for ch in text[begin : match.start()]):
            continue  # "... " standing alone after a sentence belongs to the next one
        spans.append((begin, match.end()))
        begin = next_pos
    while begin < end and text[begin].isspace():
        begin += 1
    stop = end
    while stop > begin and text[stop - 1].isspace():
        stop -= 1
    if stop > begin:
        spans.append((begin, stop))
    return [(s, e) for s, e in spans if e > s]


_TOKEN = re.compile(
    r"""
      (?:[^\W\d_]\.){2,}(?![^\W\d_])                  # U.S.  a.m.  U.N.
    | (?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gen|Gov|Lt|Col|Sgt|Capt|Maj|Adm|Rev|St|Jr|Sr|Jan|Feb|Mar|Apr|Jun|Jul|Aug
        |Sep|Sept|Oct|Nov|Dec|No|Inc|Corp|Co|Ltd|vs|etc)\.(?=[\s,;:)]|$)
    | \d+(?:[.,:/]\d+)*(?:%|st|nd|rd|th|s)?(?![^\W_])  # 2,500  3.5  6:18  1990s  26th  2.4%
    | (?=[^\W\d_]*n['’]t\b)[^\W\d_]+?(?=n['’]t\b)    # do|n't (the guard keeps other words fast)
    | n['’]t\b
    | ['’](?:s|re|ve|ll|d|m)\b                        # 's 're 've 'll 'd 'm
    | [^\W_]+(?:['’][A-Z][^\W_]*)*(?:[-‐][^\W_]+(?:['’][A-Z][^\W_]*)*)*   # words: al-Kadhimi, O'Brien
    | \S                                              # anything else, one character at a time
    """,
    re.VERBOSE,
)


def token_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into word and punctuation tokens and return their ``(start, end)`` offsets.

    Possessives and contractions are split the way spaCy splits them, so a name can be tagged on its own.

    >>> text = "Iraq's leader didn't meet U.S. envoys at 6:30 a.m."
    >>> [text[s:e] for s, e in token_spans(text)]
    ['Iraq', "'s", 'leader', 'did', "n't", 'meet', 'U.S.', 'envoys', 'at', '6:30', 'a.m.']
    """
    end = len(text) if end is None else end
    return [m.span() for m in _TOKEN.finditer(text, start, end)]
