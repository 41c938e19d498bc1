"""The one definition of overlap (token Jaccard >= 0.5), and the places that must all use it.

Each case sits on one side of the threshold, or on it: moving the threshold, the comparison or the formula
fails a test here, and so does any place (pair by pair or class-wide) that stops agreeing with the definition.
"""

import pandas as pd
import pytest

import annotkit
from annotkit.agreement import agreement, span_f1
from annotkit.overlap import THRESHOLD, jaccard, overlap, overlaps, words
from annotkit.records import empty_annotations

TEXT = "Defense Secretary Lloyd Austin met President Joe Biden on Monday, and Austin's team."


def at(words_, occurrence=1):
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(words_, start + 1)
    return start, start + len(words_), words_


# (one span, the other, their token Jaccard)
CASES = [
    ("Lloyd Austin", "Defense Secretary Lloyd Austin", 2 / 4),  # on the threshold: overlaps
    ("Secretary Lloyd Austin", "Defense Secretary Lloyd Austin", 3 / 4),
    ("Secretary Lloyd", "Lloyd Austin", 1 / 3),  # below
    ("Austin", "Defense Secretary Lloyd Austin", 1 / 4),
    ("Joe Biden", "Biden", 1 / 2),
    ("Joe Biden", "Biden on", 1 / 3),
    ("President Joe Biden", "Joe Biden on Monday", 2 / 5),
    ("Joe Biden on", "President Joe Biden on", 3 / 4),
    ("Lloyd Austin", "Lloyd Austin", 1.0),
    ("Lloyd Austin", "Joe Biden", 0.0),
    ("Monday,", "Monday", 1 / 2),  # punctuation is a token too
]


def test_the_threshold_is_half():
    assert THRESHOLD == 0.5


def test_words_are_the_tokens_of_a_span_at_their_place_in_the_text():
    assert sorted(words(*at("Lloyd Austin"))) == [(18, 23), (24, 30)]
    assert sorted(words(*at("Austin's"))) == [(70, 76), (76, 78)]  # a possessive is a token of its own
    assert words(*at("Austin", 1)) != words(*at("Austin", 2))  # the same word elsewhere is another token


@pytest.mark.parametrize(("a", "b", "expected"), CASES, ids=[f"{a}|{b}" for a, b, _ in CASES])
def test_overlap_is_the_token_jaccard(a, b, expected):
    assert overlap(*at(a), *at(b)) == pytest.approx(expected)
    assert overlap(*at(b), *at(a)) == pytest.approx(expected)  # symmetric


@pytest.mark.parametrize(("a", "b", "expected"), CASES, ids=[f"{a}|{b}" for a, b, _ in CASES])
def test_spans_overlap_from_half_their_words(a, b, expected):
    assert overlaps(*at(a), *at(b)) is (expected >= 0.5)


def test_the_same_words_elsewhere_do_not_overlap():
    assert overlap(*at("Austin", 1), *at("Austin", 2)) == 0.0
    assert not overlaps(*at("Austin", 1), *at("Austin", 2))


def test_jaccard_of_token_sets():
    a, b = frozenset({(0, 1), (2, 3), (4, 5)}), frozenset({(2, 3), (4, 5), (6, 7), (8, 9)})
    assert jaccard(a, b) == 2 / 5
    assert jaccard(a, a) == 1.0
    assert jaccard(a, frozenset()) == 0.0
    assert jaccard(frozenset(), frozenset()) == 0.0  # nothing in either: no overlap, and no division by zero


# --- every place that decides overlap decides it the same way ---------------------------------------------------


@pytest.mark.parametrize(("a", "b", "expected"), CASES, ids=[f"{a}|{b}" for a, b, _ in CASES])
def test_span_f1_matches_spans_that_overlap(a, b, expected):
    one, other = at(a), at(b)
    f1 = span_f1([(one[0], one[1], "official")], [(other[0], other[1], "official")], mode="overlap", text=TEXT)
    assert f1 == (1.0 if expected >= THRESHOLD else 0.0)


def _class(spans):
    rows = [
        {"annotation_id": f"{who}{n}", "article_id": ARTICLE.article_id, "annotator": who, "layer": "actor",
         "label": "official", "start": start, "end": end, "text": words_, "status": "ok"}
        for n, (who, (start, end, words_)) in enumerate(spans)
    ]  # fmt: skip
    return pd.concat([empty_annotations(), pd.DataFrame(rows)], ignore_index=True)


ARTICLE = annotkit.Article.from_text(f"Headline\n\n{TEXT}")
OFFSET = len("Headline\n\n")


def in_article(words_, occurrence=1):
    start, end, text = at(words_, occurrence)
    return start + OFFSET, end + OFFSET, text


@pytest.mark.parametrize(("a", "b", "expected"), CASES, ids=[f"{a}|{b}" for a, b, _ in CASES])
def test_class_agreement_matches_spans_that_overlap(a, b, expected):
    result = agreement(_class([("ana", in_article(a)), ("ben", in_article(b))]), article=ARTICLE, layer="actor")
    assert result.span_f1.f1_overlap.tolist() == [1.0 if expected >= THRESHOLD else 0.0]


def test_class_agreement_and_span_f1_count_partial_matches_alike():
    ana = [in_article("Defense Secretary Lloyd Austin"), in_article("Joe Biden"), in_article("Monday")]
    ben = [in_article("Lloyd Austin"), in_article("Biden on")]
    frame = _class([("ana", s) for s in ana] + [("ben", s) for s in ben])
    result = agreement(frame, article=ARTICLE, layer="actor")
    expected = span_f1(
        [(s, e, "official") for s, e, _ in ana], [(s, e, "official") for s, e, _ in ben], mode="overlap",
        text=ARTICLE.text,
    )  # fmt: skip
    assert expected == 2 * 1 / (3 + 2)
    assert result.span_f1.f1_overlap.tolist() == [pytest.approx(expected)]
