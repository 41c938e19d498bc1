"""Quotations and who said them.

Three steps, one module each: :mod:`annotkit.quotemarks` finds the spans in quotation marks, deciding each one
on its own; :mod:`annotkit.names` finds the people the article names; :mod:`annotkit.attribution` reads the
attribution around each quotation. This module puts them together, tells a quotation from a phrase in quotation
marks that nobody is quoted saying (a scare quote, a title, a nickname), and carries a speaker on to the next
quotation of the same speaker and across the parts of a quotation that runs over several paragraphs.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .attribution import Attribution, Context, attribute_after, attribute_before, attribute_to_subject
from .names import Names, collect_names, name_without_titles
from .quotemarks import Quoted, find_quoted
from .words import CUE_VERBS, ORGANIZATION_WORDS, PARTICIPLE_CUES

__all__ = ["QUOTE_KINDS", "QuoteSpan", "find_quotes", "name_without_titles"]

#: What a span in quotation marks can be: somebody's words, or the journalist's own use of the marks.
QUOTE_KINDS = ("quotation", "scare quote", "title", "nickname")


@dataclass(frozen=True)
class QuoteSpan:
    """One span in quotation marks found in an article.

    Attributes
    ----------
    para_id
        Index of the paragraph the quotation (or this part of it) stands in.
    start, end
        Half-open offsets of the quoted words, inside the quotation marks.
    speaker
        Who said it, as the article names them (a person's fullest name, without titles), or None.
    cue
        The reporting words that attribute it ("said", "told", "according to"), or None.
    attribution
        How the speaker was found: "after quote", "before quote", "sentence subject" (the subject of the
        sentence a partial quotation stands in), "previous sentence" (the subject of the sentence just before a
        quotation that stands as a sentence of its own), "headline" (the person before a headline's reporting
        verb: "Glenn Beck Says ..."), "same sentence", "previous quote", "same quote", or None.
    continues
        For a quotation that runs on from the previous paragraph, the index of its previous part; else None.
    kind
        One of ``QUOTE_KINDS``: ``"quotation"`` for somebody's words; ``"scare quote"``, ``"title"`` (of a film,
        a show, a book) and ``"nickname"`` for marks that quote nobody (these never have a speaker).
    role
        The speaker's title or role as the article gives it ("Defense Secretary"), or None.
    """

    para_id: int
    start: int
    end: int
    speaker: str | None
    cue: str | None
    attribution: str | None
    continues: int | None
    kind: str = "quotation"
    role: str | None = None


def find_quotes(
    text: str,
    paragraphs: list[tuple[int, int]],
    sentences: list[tuple[int, int]],
    *,
    headlines: frozenset[int] = frozenset(),
) -> list[QuoteSpan]:
    """Find the quotations in an article and attribute each to a speaker.

    Parameters
    ----------
    text
        The article's cleaned text.
    paragraphs, sentences
        ``(start, end)`` offsets of the article's paragraphs and sentences, in order.
    headlines
        Indexes of the paragraphs that are headlines (their Title Case is not read for names).

    >>> text = '"We are ready," said Gen. Amina Bello. "Are you?" she asked.'
    >>> [(text[q.start : q.end], q.speaker, q.cue) for q in find_quotes(text, [(0, 60)], [(0, 38), (39, 60)])]
    [('We are ready', 'Amina Bello', 'said'), ('Are you?', 'Amina Bello', 'asked')]
    """
    raw = find_quoted(text, paragraphs)
    spans = [(q.outer_start, q.outer_end) for q in raw]
    prose = [p for index, p in enumerate(paragraphs) if index not in headlines]
    sentence_starts = [s for s, _ in sentences]
    names = collect_names(text, prose, spans, sentence_starts)
    context = Context()

    def sentence_of(pos: int) -> tuple[int, int]:
        index = max(0, bisect.bisect_right(sentence_starts, pos) - 1)
        return sentences[index] if sentences else (0, len(text))

    found: list[Attribution | None] = []
    for index, quote in enumerate(raw):
        para_start, para_end = paragraphs[quote.para_id]
        _, sentence_end = sentence_of(max(quote.outer_end - 1, quote.outer_start))
        next_quote = spans[index + 1][0] if index + 1 < len(spans) else len(text)
        after = text[quote.outer_end : min(sentence_end, next_quote, para_end)]
        sentence_start, _ = sentence_of(quote.outer_start)
        previous_quote = spans[index - 1][1] if index else 0
        before = text[max(sentence_start, previous_quote, para_start) : quote.outer_start]
        attribution = attribute_after(after, names, quote.start, context) or attribute_before(
            before, names, quote.start, context
        )
        if attribution is None and not before.strip() and quote.para_id and not quote.continues:
            # 'Cruz called them on it:' closing one paragraph hands the floor to the quotation opening the next.
            previous_start, previous_end = paragraphs[quote.para_id - 1]
            if text[previous_start:previous_end].rstrip().endswith(":"):
                last_sentence, _ = sentence_of(previous_end - 1)
                attribution = attribute_before(
                    text[max(last_sentence, previous_start) : previous_end], names, quote.start, context
                )
        if attribution is None:
            attribution = _headline_speaker(text[para_start : quote.outer_start], names)
        if attribution is None and quote.para_id in headlines:
            attribution = _headline_cue(text[para_start:para_end], names)
        shares_sentence = index and sentence_of(spans[index - 1][0]) == sentence_of(quote.outer_start)
        if attribution is None and before.strip() and not (shares_sentence and found[-1] is not None):
            attribution = attribute_to_subject(before, names, quote.start, context)
        found.append(attribution)

    quotes: list[QuoteSpan] = []
    for index, quote in enumerate(raw):
        previous = index - 1 if quote.continues and index else None
        attribution = found[index]
        kind = _kind(text, quote, attribution, paragraphs, sentence_of, headline=quote.para_id in headlines)
        if kind != "quotation":
            quotes.append(QuoteSpan(quote.para_id, quote.start, quote.end, None, None, None, previous, kind))
            continue
        if attribution is None:
            attribution = _carried_on(text, quotes, raw, index, paragraphs, sentence_of)
        if attribution is None:
            attribution = _previous_sentence_subject(text, quote, paragraphs, sentence_of, names, context)
        quotes.append(
            QuoteSpan(
                quote.para_id,
                quote.start,
                quote.end,
                attribution.speaker if attribution else None,
                attribution.cue if attribution else None,
                attribution.how if attribution else None,
                previous,
                kind,
                attribution.role if attribution else None,
            )
        )
    return _share_speakers_across_parts(quotes)


_HEADLINE_SPEAKER = re.compile(r"^((?:[A-Z][\w.'’-]+\s+){0,3}[A-Z][a-z][\w'’-]*):\s")


def _headline_speaker(before: str, names: Names) -> Attribution | None:
    """``Warren: Trump Is a ‘Proven Failure’``: a headline hands its quotation to the person named before a colon."""
    match = _HEADLINE_SPEAKER.match(before)
    if not match:
        return None
    name = names.canonical(name_without_titles(match.group(1)) or match.group(1))
    known = name in names.full or name.split()[-1] in (names.surnames | names.possible_surnames)
    return Attribution(name, None, "before quote", names.roles.get(name)) if known else None


def _previous_sentence_subject(
    text: str,
    quote: Quoted,
    paragraphs: list[tuple[int, int]],
    sentence_of: Callable[[int], tuple[int, int]],
    names: Names,
    context: Context,
) -> Attribution | None:
    """The subject of the sentence just before a quotation that stands as a sentence of its own.

    ``Lena Ortiz agreed. "Voters are running out of time."``: the quotation is Lena Ortiz's.
    """
    para_start, _ = paragraphs[quote.para_id]
    sentence_start, _ = sentence_of(quote.outer_start)
    if text[max(sentence_start, para_start) : quote.outer_start].strip() or sentence_start <= para_start:
        return None
    previous_start, previous_end = sentence_of(sentence_start - 1)
    previous = text[max(previous_start, para_start) : min(previous_end, quote.outer_start)]
    if any(mark in previous for mark in '"“”'):
        return None  # a sentence with its own quotation speaks for that one
    found = attribute_to_subject(previous, names, quote.start, context)
    return replace(found, how="previous sentence") if found else None


# "Glenn Beck Says ...", "..., Howard Dean Tells Convention": a headline's reporting verb, capitalized.
_HEADLINE_CUE = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+){1,4})(Says|Tells|Calls|Slams|Blasts|Warns|Urges|Claims|Admits|Vows|Asks|Insists"
    r"|Denies|Declares|Predicts|Responds|Jokes|Announces|Suggests|Argues|Pledges|Promises|Rips|Mocks)\b"
)


def _headline_cue(headline: str, names: Names) -> Attribution | None:
    """The person named right before a headline's reporting verb: ``Glenn Beck Says Trump, 'Alt Right' ...``."""
    for match in _HEADLINE_CUE.finditer(headline):
        run = match.group(1).split()
        while run and run[0].lower() in _SMALL_WORDS:
            run = run[1:]  # "The", "And"
        if not run:
            continue  # "Letters: On The Claims ...": only small words before the verb, nobody named
        name = name_without_titles(" ".join(run)) or " ".join(run)
        name = names.canonical(name)
        known = name in names.full or name in names.possible or name.split()[-1] in names.surnames
        if (known or len(name.split()) >= 2) and not any(w in ORGANIZATION_WORDS for w in name.split()):
            return Attribution(name, match.group(2).lower(), "headline", names.roles.get(name))
    return None


def _carried_on(
    text: str,
    quotes: list[QuoteSpan],
    raw: list[Quoted],
    index: int,
    paragraphs: list[tuple[int, int]],
    sentence_of: Callable[[int], tuple[int, int]],
) -> Attribution | None:
    """The previous quotation's speaker, for one in the same paragraph or opening the next one."""
    prior_index = next((i for i in range(index - 1, -1, -1) if quotes[i].kind == "quotation"), None)
    if prior_index is None:
        return None
    quote, prior, prior_raw = raw[index], quotes[prior_index], raw[prior_index]
    if not prior.speaker:
        return None
    opens_paragraph = not text[paragraphs[quote.para_id][0] : quote.outer_start].strip()
    same_paragraph = prior_raw.para_id == quote.para_id
    previous_paragraph = prior_raw.para_id == quote.para_id - 1 and opens_paragraph
    if not (same_paragraph or previous_paragraph or quote.continues):
        return None
    same_sentence = sentence_of(quote.outer_start) == sentence_of(prior_raw.outer_start)
    return Attribution(prior.speaker, None, "same sentence" if same_sentence else "previous quote", prior.role)


_SMALL_WORDS = frozenset("a an the of and or in on at to for with from by as vs but nor is my your".split())
_NAME_BEFORE = re.compile(r"(?:\b[A-Z][a-z][\w'’-]*|\b[A-Z]\.)\s*$")
_NAME_AFTER = re.compile(r"^\s*[A-Z][a-z][\w'’-]*")
_REPORTING = CUE_VERBS | PARTICIPLE_CUES | {"according", "calling", "dubbing"}
_TERM = re.compile(
    r"\b(?:so-called|dubbed|known as|the term|the word|the phrase|the label|nicknamed)\s*$", re.IGNORECASE
)
_WORD_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")  # "so-called" is one word, not "called"


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


# What stands before the title of a show, a book or a film: a possessive ("NBC's"), "on", or the kind of work.
_BEFORE_A_WORK = re.compile(
    r"(?:[\w.&]+['’]s?|\b(?:on|in|of|at|with|for|titled|entitled|show|program|programme|series|book|memoir"
    r"|film|movie|documentary|album|song|play|novel|column|podcast|newsletter|slogan|hashtag))[\s,]*$",
    re.IGNORECASE,
)


def _names_a_work(inner: str, before: str) -> bool:
    """A short Title Case phrase after a possessive, "on" or "the book": a work's title, not somebody's words."""
    words = inner.split()
    if not 1 <= len(words) <= 6 or inner.rstrip()[-1:] in ".?!…,":
        return False
    content = [w for w in words if w[:1].isalpha() and w.lower() not in _SMALL_WORDS]
    return bool(content) and all(w[0].isupper() for w in content) and bool(_BEFORE_A_WORK.search(before))


def _kind(
    text: str,
    quote: Quoted,
    attribution: Attribution | None,
    paragraphs: list[tuple[int, int]],
    sentence_of: Callable[[int], tuple[int, int]],
    *,
    headline: bool,
) -> str:
    """Tell somebody's words from a scare quote, a title or a nickname in quotation marks."""
    inner = text[quote.start : quote.end]
    words = inner.split()
    sentence_start, sentence_end = sentence_of(quote.outer_start)
    sentence_start = max(sentence_start, paragraphs[quote.para_id][0])
    before = text[sentence_start : quote.outer_start]
    after = text[quote.outer_end : paragraphs[quote.para_id][1]]
    sentence = text[sentence_start:sentence_end]
    title_case_sentence = _title_case(sentence)
    # Rep. Robert C. "Bobby" Scott, Dwayne "The Rock" Johnson: a name, a capitalized word or two, the surname.
    if (
        len(words) <= 3
        and inner[:1].isupper()
        and not title_case_sentence
        and _NAME_BEFORE.search(before)
        and _NAME_AFTER.match(after)
    ):
        return "nickname"
    if _TERM.search(before):
        return "scare quote"  # the so-called "red line"
    if _names_a_work(inner, before) and not title_case_sentence:
        return "title"  # told NBC's "Meet the Press", appeared on "Morning Joe", the book "Tough Choices"
    if attribution is not None and (attribution.cue is not None or attribution.how == "sentence subject"):
        return "quotation"
    if quote.continues or len(words) > 6 or headline or title_case_sentence:
        return "quotation"
    opens = not before.strip()
    if opens or inner.rstrip()[-1:] in ".?!…":
        return "quotation"  # a sentence of its own, or one that opens with it
    if any(w.lower() in _REPORTING for w in _WORD_RE.findall(sentence)):
        return "quotation"  # a short partial quotation: somebody in the sentence says it
    # Nobody in the sentence is said to have said these words: the journalist's own marks.
    return "title" if _title_case(inner) or (len(words) == 1 and inner[:1].isupper()) else "scare quote"


def _share_speakers_across_parts(quotes: list[QuoteSpan]) -> list[QuoteSpan]:
    """A quotation that runs over several paragraphs has one speaker, named in whichever part names it."""
    result = list(quotes)
    for index in range(len(result) - 1, -1, -1):
        part = result[index]
        if part.continues is not None and part.speaker and not result[part.continues].speaker:
            earlier = result[part.continues]
            result[part.continues] = replace(earlier, speaker=part.speaker, cue=None, attribution="same quote")
    for index, part in enumerate(result):
        if part.continues is not None and not part.speaker and result[part.continues].speaker:
            result[index] = replace(
                part, speaker=result[part.continues].speaker, cue=None, attribution="same quote", kind="quotation"
            )
    return result
