import math
import re
from itertools import combinations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats import inter_rater

from annotkit import Article
from annotkit.agreement import (
    Agreement,
    agreement,
    cohen_kappa,
    fleiss_kappa,
    interpret,
    krippendorff_alpha,
    span_f1,
    units_from_annotations,
)
from annotkit.errors import AgreementError
from annotkit.records import empty_annotations

# ---------------------------------------------------------------------------------------------------------------
# Fixtures and strategies

TEXT = "Headline Here\n\nAna Ruiz met the mayor. Officials agreed."
WORD_TOKENS = [0, 1, 2, 3, 4, 5, 6, 8, 9]  # token 7 and 10 are full stops
ANA_RUIZ, THE_MAYOR, OFFICIALS, WHOLE_SENTENCE = (15, 23), (28, 37), (39, 48), (15, 38)


@pytest.fixture(scope="module")
def article() -> Article:
    return Article.from_text(TEXT)


def annotations(*rows: dict) -> pd.DataFrame:
    """An annotation frame with these rows; columns a row leaves out are missing."""
    return pd.concat([empty_annotations(), pd.DataFrame(list(rows))], ignore_index=True)


def span(annotator, layer, label, where, **attributes) -> dict:
    start, end = where
    return {"annotator": annotator, "layer": layer, "label": label, "start": start, "end": end, **attributes}


def perspective(annotator, entity, stance, **more) -> dict:
    return {
        "annotator": annotator,
        "layer": "perspective",
        "label": "perspective",
        "entity": entity,
        "stance": stance,
        **more,
    }


LABELS = st.integers(min_value=0, max_value=3)
MAYBE_LABELS = st.one_of(LABELS, st.none())


@st.composite
def tables(draw, *, labels=LABELS, min_annotators=2):
    n_units = draw(st.integers(min_value=1, max_value=20))
    n_annotators = draw(st.integers(min_value=min_annotators, max_value=5))
    columns = {f"r{i}": draw(st.lists(labels, min_size=n_units, max_size=n_units)) for i in range(n_annotators)}
    return pd.DataFrame(columns, dtype=object)


def distinct(values) -> set:
    return {v for v in values if v is not None}


def complete_rows(table: pd.DataFrame) -> np.ndarray:
    return np.array([row for row in table.itertuples(index=False, name=None) if None not in row], dtype=int)


def pairable_values(table: pd.DataFrame) -> set:
    rows = [[v for v in row if v is not None] for row in table.itertuples(index=False, name=None)]
    return {v for row in rows if len(row) >= 2 for v in row}


# In a text of punctuation every character is a token of its own, so token overlap is character overlap there:
# the examples below can count characters.
PUNCTUATION = "," * 100
SPANS = st.sets(
    st.tuples(st.integers(0, 30), st.integers(1, 12), st.sampled_from(["person", "group"])).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=8,
)

# ---------------------------------------------------------------------------------------------------------------
# Against the reference implementations


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(MAYBE_LABELS, MAYBE_LABELS), min_size=1, max_size=40))
def test_cohen_kappa_matches_scikit_learn(pairs):
    kept = [(a, b) for a, b in pairs if a is not None and b is not None]
    assume(kept and len(distinct(v for pair in kept for v in pair)) >= 2)  # one label only: tested below
    a, b = zip(*pairs, strict=True)
    expected = cohen_kappa_score([x for x, _ in kept], [y for _, y in kept])
    assert cohen_kappa(a, b) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(tables())
def test_fleiss_kappa_matches_statsmodels(table):
    assume(len(set(table.to_numpy().ravel())) >= 2)
    counts, _ = inter_rater.aggregate_raters(table.to_numpy(dtype=int))
    assert fleiss_kappa(table) == pytest.approx(inter_rater.fleiss_kappa(counts), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(tables(labels=MAYBE_LABELS))
def test_fleiss_kappa_matches_statsmodels_on_the_complete_units(table):
    complete = complete_rows(table)
    assume(len(complete) and len(np.unique(complete)) >= 2)
    counts, _ = inter_rater.aggregate_raters(complete)
    assert fleiss_kappa(table) == pytest.approx(inter_rater.fleiss_kappa(counts), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(tables(labels=MAYBE_LABELS))
def test_krippendorff_alpha_matches_the_krippendorff_package_with_missing_values(table):
    assume(len(pairable_values(table)) >= 2)
    reliability_data = table.T.to_numpy(dtype=float, na_value=np.nan)  # annotators x units, NaN when missing
    expected = krippendorff.alpha(reliability_data=reliability_data, level_of_measurement="nominal")
    assert krippendorff_alpha(table) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, float("nan")])
def test_none_nan_and_na_all_mean_missing(missing):
    assert cohen_kappa(["a", "b", "a", missing], ["a", "b", "b", "a"]) == cohen_kappa(["a", "b", "a"], ["a", "b", "b"])
    table = pd.DataFrame({"ana": ["a", "b", missing], "ben": ["a", "b", "b"], "cai": ["a", "a", missing]}, dtype=object)
    without = pd.DataFrame({"ana": ["a", "b", None], "ben": ["a", "b", "b"], "cai": ["a", "a", None]}, dtype=object)
    assert krippendorff_alpha(table) == krippendorff_alpha(without)
    assert fleiss_kappa(table) == fleiss_kappa(without.iloc[:2])


# ---------------------------------------------------------------------------------------------------------------
# One label only: chance agreement is perfect, the formulas are 0/0, and annotkit says 1.0


@settings(max_examples=100, deadline=None)
@given(tables(labels=st.just("none")))
def test_one_label_everywhere_is_perfect_agreement(table):
    assert krippendorff_alpha(table) == 1.0
    assert fleiss_kappa(table) == 1.0
    assert cohen_kappa(table.r0, table.r1) == 1.0


def test_one_label_is_where_the_reference_implementations_give_up():
    # The documented difference: the krippendorff package refuses a table with one value in it.
    with pytest.raises(ValueError, match="more than one value"):
        krippendorff.alpha(reliability_data=[[1.0, 1.0], [1.0, 1.0]], level_of_measurement="nominal")
    assert krippendorff_alpha(pd.DataFrame({"ana": [1, 1], "ben": [1, 1]})) == 1.0


def test_alpha_counts_only_comparable_labels_for_one_label():
    # The 3s are each alone on their unit, so the only comparable label is 1: that is perfect agreement.
    table = pd.DataFrame({"ana": [1, 3, None], "ben": [1, None, 3]})
    assert krippendorff_alpha(table) == 1.0


def test_summary_says_why_one_label_scores_one():
    summary = agreement(pd.DataFrame({"ana": ["none"] * 3, "ben": ["none"] * 3})).summary()
    assert summary.value.tolist() == [1.0, 1.0, 1.0]
    assert set(summary.what_it_means) == {
        "every label was 'none', so there was nothing to disagree about (1.0 by convention)"
    }


# ---------------------------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=100, deadline=None)
@given(st.lists(MAYBE_LABELS, min_size=1, max_size=30))
def test_cohen_kappa_of_an_annotator_with_themselves_is_one(labels):
    assume(distinct(labels))
    assert cohen_kappa(labels, labels) == 1.0


@settings(max_examples=100, deadline=None)
@given(tables(labels=MAYBE_LABELS, min_annotators=1))
def test_a_table_of_identical_annotators_agrees_perfectly(table):
    clones = pd.concat([table.iloc[:, :1]] * 3, axis=1, ignore_index=True)
    assume(distinct(clones[0]))
    assert krippendorff_alpha(clones) == 1.0
    assert fleiss_kappa(clones) == 1.0


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(MAYBE_LABELS, MAYBE_LABELS), min_size=1, max_size=30))
def test_cohen_kappa_is_symmetric(pairs):
    assume(any(a is not None and b is not None for a, b in pairs))
    a, b = zip(*pairs, strict=True)
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa(b, a), abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(SPANS)
def test_span_f1_of_a_set_with_itself_is_one(spans):
    assert span_f1(spans, spans) == 1.0
    assert span_f1(spans, spans, mode="overlap", text=PUNCTUATION) == 1.0


@settings(max_examples=100, deadline=None)
@given(SPANS, SPANS)
def test_span_f1_is_symmetric_and_overlap_is_never_stricter(a, b):
    for mode in ("exact", "overlap"):
        assert span_f1(a, b, mode=mode, text=PUNCTUATION) == span_f1(b, a, mode=mode, text=PUNCTUATION)
    assert span_f1(a, b, mode="overlap", text=PUNCTUATION) >= span_f1(a, b)
    assert 0.0 <= span_f1(a, b) <= 1.0


# ---------------------------------------------------------------------------------------------------------------
# Textbook examples


def test_cohen_kappa_textbook_example():
    # Wikipedia, "Cohen's kappa": 50 grant proposals; both say yes to 20, both no to 15, they differ on 15.
    # Observed agreement 0.7, chance agreement 0.5, so kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    a = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)


def test_fleiss_kappa_textbook_example():
    # Wikipedia, "Fleiss' kappa": 14 raters put 10 subjects into 5 categories; kappa = 0.210.
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    rows = [[category for category, n in enumerate(row, start=1) for _ in range(n)] for row in counts]
    assert round(fleiss_kappa(pd.DataFrame(rows)), 3) == 0.210


def test_krippendorff_alpha_textbook_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 coders, 12 units, nominal alpha 0.743.
    n = None
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    table = pd.DataFrame({f"coder{i}": labels for i, labels in enumerate(coders)}, dtype=object)
    assert round(krippendorff_alpha(table), 3) == 0.743


# ---------------------------------------------------------------------------------------------------------------
# Span F1


@pytest.mark.parametrize(
    ("a", "b", "exact", "overlap"),
    [
        ([(0, 8, "person")], [(0, 8, "person")], 1.0, 1.0),
        ([(0, 8, "person")], [(4, 8, "person")], 0.0, 1.0),  # half the tokens
        ([(0, 8, "person")], [(5, 8, "person")], 0.0, 0.0),  # less than half
        ([(0, 8, "person")], [(0, 8, "group")], 0.0, 0.0),  # labels differ
        ([(0, 8, "person")], [(8, 16, "person")], 0.0, 0.0),  # touching is not overlapping
        ([(0, 10, "x")], [(0, 9, "x"), (1, 10, "x")], 0.0, 2 / 3),  # a span matches at most one other
        ([], [], 1.0, 1.0),  # nobody marked anything: nothing to disagree about
        ([(0, 8, "person")], [], 0.0, 0.0),
    ],
)
def test_span_f1_examples(a, b, exact, overlap):
    assert span_f1(a, b) == pytest.approx(exact)
    assert span_f1(a, b, mode="overlap", text=PUNCTUATION) == pytest.approx(overlap)


def test_overlap_counts_words_not_characters():
    """The one overlap (annotkit.overlap): "Lloyd Austin" matches the key's "Defense Secretary Lloyd Austin"."""
    text = "Defense Secretary Lloyd Austin said so."
    key, name, surname = (0, 30, "official"), (18, 30, "official"), (24, 30, "official")
    assert span_f1([key], [name], mode="overlap", text=text) == 1.0  # 2 of 4 words
    assert span_f1([key], [surname], mode="overlap", text=text) == 0.0  # 1 of 4 words
    frame = pd.DataFrame({"start": [18], "end": [30], "label": ["official"], "text": ["Lloyd Austin"]})
    assert span_f1(frame, [key], mode="overlap", text=text) == 1.0
    with pytest.raises(AgreementError, match="Overlap compares the words two spans cover"):
        span_f1([key], [name], mode="overlap")


def test_span_f1_overlap_finds_the_best_matching_not_the_greedy_one():
    # ana's (1, 10) overlaps both of ben's spans best with (0, 10); taking that would leave (0, 18) without a
    # partner. Matching (1, 10) with (2, 10) instead matches both.
    ana = [(1, 10, "x"), (0, 18, "x")]
    ben = [(0, 10, "x"), (2, 10, "x")]
    assert span_f1(ana, ben, mode="overlap", text=PUNCTUATION) == 1.0


def test_span_f1_reads_frames_and_counts_a_repeated_span_once():
    frame = pd.DataFrame({"start": [0, 0, 13], "end": [8, 8, 22], "label": ["person", "person", "official"]})
    assert span_f1(frame, [(0, 8, "person")]) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    ("call", "msg"),
    [
        (lambda: span_f1([], [], mode="fuzzy"), "Unknown mode 'fuzzy'. Use one of: 'exact', 'overlap'."),
        (
            lambda: span_f1([(8, 3, "person")], []),
            "A span must be (start, end, label) with 0 <= start < end, but got (8, 3, 'person').",
        ),
        (
            lambda: span_f1([(0, 8)], []),
            "A span must be (start, end, label) with 0 <= start < end, but got (0, 8).",
        ),
        (
            lambda: span_f1([(3, 3, "person")], []),
            "A span must be (start, end, label) with 0 <= start < end, but got (3, 3, 'person').",
        ),
        (
            lambda: span_f1(pd.DataFrame({"start": [8], "end": [3], "label": ["person"]}), []),
            "A span must be (start, end, label) with 0 <= start < end, but got (8, 3, 'person').",
        ),
    ],
)
def test_span_f1_errors(call, msg):
    with pytest.raises(AgreementError) as raised:
        call()
    assert str(raised.value) == msg


# ---------------------------------------------------------------------------------------------------------------
# Errors a student will read


@pytest.mark.parametrize(
    ("call", "msg"),
    [
        (
            lambda: cohen_kappa(["a", "b"], ["a"]),
            "cohen_kappa needs one label per unit from each annotator, but got 2 and 1 labels.",
        ),
        (
            lambda: cohen_kappa(["a", None], [None, "b"]),
            "No unit has a label from both annotators, so there is nothing to compare. Fill in some labels.",
        ),
        (
            lambda: fleiss_kappa(pd.DataFrame({"ana": ["a"]})),
            "Agreement needs at least 2 annotators (one column each), but this table has 1: ['ana'].",
        ),
        (
            lambda: fleiss_kappa(pd.DataFrame({"ana": ["a", None], "ben": [None, "b"]})),
            "Fleiss' kappa needs units labelled by all 2 annotators, and there are none. "
            "Fill in the missing labels, or use krippendorff_alpha, which allows them.",
        ),
        (
            lambda: krippendorff_alpha(pd.DataFrame({"ana": ["a", None], "ben": [None, "b"]})),
            "No unit has labels from two annotators or more, so there is nothing to compare. Fill in some labels.",
        ),
        (
            lambda: krippendorff_alpha([["a", "b"], ["a", "a"]]),
            "krippendorff_alpha needs a DataFrame with one row per unit and one column per annotator, not a list.",
        ),
        (
            lambda: interpret(65),
            "Kappa and alpha are at most 1 (perfect agreement), but got 65. For a percentage, divide by 100.",
        ),
        (lambda: interpret("high"), "interpret needs a number such as 0.65, not 'high'."),
        (
            lambda: interpret(1.5),
            "Kappa and alpha are at most 1 (perfect agreement), but got 1.5. For a percentage, divide by 100.",
        ),
        (
            lambda: fleiss_kappa([["a", "b"], ["a", "a"]]),
            "fleiss_kappa needs a DataFrame with one row per unit and one column per annotator, not a list.",
        ),
    ],
)
def test_error_messages(call, msg):
    with pytest.raises(AgreementError) as raised:
        call()
    assert str(raised.value) == msg  # word for word: nothing before or after


def test_agreement_error_is_a_value_error():
    assert issubclass(AgreementError, ValueError)


# ---------------------------------------------------------------------------------------------------------------
# interpret


@pytest.mark.parametrize(
    ("value", "start"),
    [
        (-0.3, "less than chance agreement (below 0)"),
        (0.0, "slight agreement (0.00–0.20)"),
        (0.2, "slight agreement (0.00–0.20)"),
        (0.21, "fair agreement (0.21–0.40)"),
        (0.5, "moderate agreement (0.41–0.60)"),
        (0.65, "substantial agreement (0.61–0.80)"),
        (0.8, "substantial agreement (0.61–0.80)"),
        (0.95, "almost perfect agreement (0.81–1.00)"),
        (1.0, "perfect agreement"),
        (1 + 1e-9, "perfect agreement"),  # a rounding error in the last digits is let pass
        (math.nan, "not defined"),
        (np.float64(0.7), "substantial agreement (0.61–0.80)"),
    ],
)
def test_interpret_names_the_landis_and_koch_band(value, start):
    assert interpret(value).startswith(start)


# ---------------------------------------------------------------------------------------------------------------
# units_from_annotations


def test_span_units_are_word_tokens_with_none_where_nothing_was_marked(article):
    frame = annotations(
        span("zoe", "actor", "person", ANA_RUIZ),
        span("ana", "actor", "person", ANA_RUIZ),
        span("ana", "actor", "official", THE_MAYOR),
        span("ana", "claim", "statement", WHOLE_SENTENCE),  # another layer: not part of the actor table
    )
    units = units_from_annotations(frame, article=article, layer="actor")
    assert units.index.name == "unit"
    assert units.index.tolist() == WORD_TOKENS
    assert units.columns.tolist() == ["ana", "zoe"]  # sorted
    assert units.ana.tolist() == ["none", "none", "person", "person", "none", "official", "official", "none", "none"]
    assert units.zoe.tolist() == ["none", "none", "person", "person", "none", "none", "none", "none", "none"]


def test_the_shortest_covering_span_wins(article):
    for rows in ([WHOLE_SENTENCE, ANA_RUIZ], [ANA_RUIZ, WHOLE_SENTENCE]):  # whatever the order in the frame
        labels = {WHOLE_SENTENCE: "group", ANA_RUIZ: "person"}
        frame = annotations(*(span("ana", "actor", labels[where], where) for where in rows))
        units = units_from_annotations(frame, article=article, layer="actor")
        assert units.ana.tolist()[2:7] == ["person", "person", "group", "group", "group"]


def test_an_annotator_without_spans_on_the_layer_marked_every_token_none(article):
    frame = annotations(span("ana", "actor", "person", ANA_RUIZ), span("ben", "claim", "statement", WHOLE_SENTENCE))
    units = units_from_annotations(frame, article=article, layer="actor")
    assert set(units.ben) == {"none"}


def test_an_attribute_is_compared_instead_of_the_label(article):
    frame = annotations(
        span("ana", "claim", "statement", OFFICIALS, said_by="Officials"),
        span("ben", "claim", "statement", OFFICIALS),  # said_by left empty: a missing value, not "none"
    )
    units = units_from_annotations(frame, article=article, layer="claim", attribute="said_by")
    assert units.loc[8, "ana"] == "Officials" and pd.isna(units.loc[8, "ben"])
    assert units.loc[9].tolist() == ["none", "none"]


def test_orphaned_annotations_and_other_articles_are_left_out(article):
    frame = annotations(
        span("ana", "actor", "person", ANA_RUIZ, article_id=article.article_id),
        span("ana", "actor", "group", OFFICIALS, status="orphaned"),
        span("ana", "actor", "group", THE_MAYOR, article_id="a-different-one"),
    )
    units = units_from_annotations(frame, article=article, layer="actor")
    assert units.ana.tolist().count("none") == 7


def test_perspective_units_are_entities_and_the_latest_reading_counts(article):
    frame = annotations(
        perspective("ben", "Ana Ruiz", "negative"),
        perspective("ana", "Ana Ruiz", "neutral", modified="2024-05-02T10:00:00Z"),
        perspective("ana", "Ana Ruiz", "positive", modified="2024-05-01T10:00:00Z"),  # older, though later here
        perspective("ana", "the mayor", "neutral", frame="security"),
    )
    units = units_from_annotations(frame, article=article, layer="perspective")
    assert units.index.name == "unit"
    assert units.index.tolist() == ["Ana Ruiz", "the mayor"]
    assert units.loc["Ana Ruiz"].tolist() == ["neutral", "negative"]
    assert units.loc["the mayor", "ana"] == "neutral" and pd.isna(units.loc["the mayor", "ben"])
    framing = units_from_annotations(frame, article=article, layer="perspective", attribute="frame")
    assert framing.loc["the mayor", "ana"] == "security"


@pytest.mark.parametrize(
    ("kwargs", "msg"),
    [
        ({"layer": "actors"}, "Unknown layer 'actors'. Use one of: 'actor', 'claim', 'perspective'."),
        (
            {"layer": "actor", "attribute": "mood"},
            "The annotations have no column 'mood' to compare. Use one of: label, entity, affiliation, "
            "identification, said_by, form, claim_type, checkable, stance, frame, rationale, evidence.",
        ),
    ],
)
def test_units_from_annotations_errors(article, kwargs, msg):
    with pytest.raises(AgreementError, match=re.escape(msg)):
        units_from_annotations(annotations(span("ana", "actor", "person", ANA_RUIZ)), article=article, **kwargs)


def test_units_from_annotations_needs_the_annotation_columns(article):
    frame = pd.DataFrame({"annotator": ["ana"], "label": ["person"]})
    msg = (
        "The annotations frame has no annotation_id, article_id, layer, start, end, text, prefix, suffix, status, "
        "note, origin, created, modified column(s). Start it from annotkit.records.empty_annotations(), which has "
        "every column."
    )
    with pytest.raises(AgreementError, match=re.escape(msg)):
        units_from_annotations(frame, article=article, layer="actor")


def test_annotations_about_another_article_are_refused(article):
    frame = annotations(span("ana", "actor", "person", ANA_RUIZ, article_id="a123"))
    msg = f"None of these annotations are about this article ({article.article_id}); they are about a123. "
    with pytest.raises(AgreementError, match=re.escape(msg + "Pass the article they were made on.")):
        units_from_annotations(frame, article=article, layer="actor")


# ---------------------------------------------------------------------------------------------------------------
# agreement


def test_agreement_on_a_table_of_labels():
    table = pd.DataFrame(
        {"ana": ["a", "a", "b", None, "b"], "ben": ["a", "b", "b", "b", None], "cai": ["a", "a", "b", "b", None]}
    )
    result = agreement(table)
    assert isinstance(result, Agreement)
    assert (result.n_annotators, result.n_units, result.span_f1) == (3, 4, None)  # the last unit has one label
    assert result.krippendorff_alpha == pytest.approx(krippendorff_alpha(table))
    assert result.fleiss_kappa == pytest.approx(fleiss_kappa(table))
    pairs = result.cohen_kappa
    assert pairs.columns.tolist() == ["annotator_a", "annotator_b", "kappa", "n_units"]
    assert pairs[["annotator_a", "annotator_b", "n_units"]].values.tolist() == [
        ["ana", "ben", 3],
        ["ana", "cai", 3],
        ["ben", "cai", 4],
    ]
    assert pairs.kappa[0] == pytest.approx(cohen_kappa(table.ana, table.ben))
    summary = result.summary()
    assert summary.columns.tolist() == ["measure", "value", "what_it_means"]
    assert summary.measure.tolist() == ["Krippendorff's alpha", "Fleiss' kappa", "Cohen's kappa (mean of 3 pairs)"]
    assert summary.what_it_means[0] == interpret(result.krippendorff_alpha)
    assert summary.value[2] == pytest.approx(pairs.kappa.mean())


def test_agreement_without_a_unit_everyone_labelled_has_no_fleiss_kappa():
    table = pd.DataFrame({"ana": ["a", "b", None], "ben": ["a", None, "b"], "cai": [None, "b", "b"]})
    result = agreement(table)
    assert result.fleiss_kappa is None
    assert "Fleiss' kappa" not in result.summary().measure.tolist()


def test_a_pair_without_shared_units_has_no_kappa():
    table = pd.DataFrame({"ana": ["a", None], "ben": [None, "b"], "cai": ["a", "b"]})
    kappas = agreement(table).cohen_kappa
    assert math.isnan(kappas.kappa[0]) and kappas.n_units[0] == 0


def test_agreement_on_actor_annotations(article):
    frame = annotations(
        span("ana", "actor", "person", ANA_RUIZ),
        span("ana", "actor", "official", THE_MAYOR),
        span("ben", "actor", "person", (19, 23)),  # only "Ruiz"
        span("ben", "actor", "official", THE_MAYOR),
        span("ben", "actor", "group", OFFICIALS),
    )
    result = agreement(frame, article=article, layer="actor")
    assert (result.n_annotators, result.n_units) == (2, 9)
    assert result.units.equals(units_from_annotations(frame, article=article, layer="actor"))
    assert result.krippendorff_alpha == pytest.approx(krippendorff_alpha(result.units))
    assert result.span_f1.to_dict("records") == [
        {"annotator_a": "ana", "annotator_b": "ben", "f1_exact": pytest.approx(2 / 5), "f1_overlap": 0.8}
    ]
    summary = result.summary()
    assert summary.measure.tolist()[-2:] == ["span F1, exact (mean of 1 pairs)", "span F1, overlap (mean of 1 pairs)"]
    assert summary.what_it_means.iloc[-1] == (
        "on average, 80% of the spans two annotators marked, the other marked too (same label, overlapping by half)"
    )


def test_agreement_on_perspectives_has_no_span_f1(article):
    frame = annotations(
        perspective("ana", "Ana Ruiz", "positive"),
        perspective("ben", "Ana Ruiz", "positive"),
        perspective("ana", "the mayor", "neutral"),
        perspective("ben", "the mayor", "negative"),
    )
    result = agreement(frame, article=article, layer="perspective")
    assert result.span_f1 is None
    assert result.units.index.tolist() == ["Ana Ruiz", "the mayor"]
    assert result.cohen_kappa.kappa[0] == pytest.approx(cohen_kappa(["positive", "neutral"], ["positive", "negative"]))


@pytest.mark.parametrize(
    ("call", "msg"),
    [
        (
            lambda article: agreement(annotations(span("ana", "actor", "person", ANA_RUIZ))),
            "These are annotations, not a table of labels. Pass article=... (the article they were made on) "
            "and layer=... (one of 'actor', 'claim', 'perspective') to compare them.",
        ),
        (
            lambda article: agreement(pd.DataFrame({"ana": ["a"], "ben": ["a"]}), layer="actor"),
            "article=, layer= and attribute= are only for annotation frames; this is a table of labels "
            "(one column per annotator). Leave them out.",
        ),
        (
            lambda article: agreement(
                annotations(span("ana", "actor", "person", ANA_RUIZ)), article=article, layer="actor"
            ),
            "Agreement needs at least 2 annotators (one column each), but this table has 1: ['ana'].",
        ),
        (
            lambda article: agreement(pd.DataFrame({"ana": ["a"], "ben": [None]})),
            "No unit has labels from two annotators or more, so there is nothing to compare. Fill in some labels.",
        ),
        (
            lambda article: agreement(pd.DataFrame({"ana": [None, None], "ben": [None, None]})),
            "No unit has labels from two annotators or more, so there is nothing to compare. Fill in some labels.",
        ),
        (
            lambda article: agreement([["a", "b"], ["a", "a"]]),
            "agreement needs a DataFrame with one row per unit and one column per annotator, not a list.",
        ),
        (
            lambda article: agreement(annotations(span("ana", "actor", "person", ANA_RUIZ)), article=article),
            "These are annotations, not a table of labels. Pass article=... (the article they were made on) "
            "and layer=... (one of 'actor', 'claim', 'perspective') to compare them.",
        ),
    ],
)
def test_agreement_errors(article, call, msg):
    with pytest.raises(AgreementError) as raised:
        call(article)
    assert str(raised.value) == msg


def test_agreement_is_a_frozen_record():
    result = agreement(pd.DataFrame({"ana": ["a", "b"], "ben": ["a", "b"]}))
    with pytest.raises(AttributeError):
        result.n_units = 3
    assert "krippendorff_alpha=1.0" in repr(result)


# ---------------------------------------------------------------------------------------------------------------
# A large class: the fast paths give the same figures as a slow, plain reference


def reference_units(frame: pd.DataFrame, article: Article, column: str) -> pd.DataFrame:
    """units_from_annotations for a span layer, token by token (every row is on the article and layer)."""
    words = article.tokens[article.tokens.is_word]
    starts, ends = words.start.to_numpy(), words.end.to_numpy()
    table = {}
    for who, rows in frame.groupby("annotator", sort=True):
        values = np.full(len(words), "none", dtype=object)
        spans = list(zip(rows.start, rows.end, rows[column], strict=True))
        # Longest first, the last of equally long ones in the frame first: the shortest, then first, wins.
        order = sorted(range(len(spans)), key=lambda i: (spans[i][1] - spans[i][0], i), reverse=True)
        for start, end, value in (spans[i] for i in order):
            values[(starts >= start) & (ends <= end)] = pd.NA if pd.isna(value) else value
        table[who] = values
    return pd.DataFrame(table, index=pd.Index(words.token_id.to_numpy(), name="unit"))


def reference_alpha_and_fleiss(table: pd.DataFrame) -> tuple[float, float | None]:
    """Krippendorff's alpha and Fleiss' kappa from one Counter of labels per unit."""
    from collections import Counter

    units = [Counter(v for v in row if not pd.isna(v)) for row in table.itertuples(index=False, name=None)]
    pairable = [c for c in units if c.total() >= 2]
    values = sum(pairable, Counter())
    disagreeing = sum((c.total() ** 2 - sum(n * n for n in c.values())) / (c.total() - 1) for c in pairable)
    n = values.total()
    alpha = 1 - (n - 1) * disagreeing / (n * n - sum(v * v for v in values.values()))
    raters = table.shape[1]
    complete = [c for c in units if c.total() == raters]
    if not complete:
        return alpha, None
    totals = sum(complete, Counter())
    observed = sum((sum(v * v for v in c.values()) - raters) / (raters * (raters - 1)) for c in complete)
    chance = sum((t / (len(complete) * raters)) ** 2 for t in totals.values())
    return alpha, (observed / len(complete) - chance) / (1 - chance)


def random_class(article: Article, n_annotators: int, seed: int) -> pd.DataFrame:
    """Spans from a shared pool (some a word longer or shorter), random ones, nested ones, repeats."""
    rng = np.random.default_rng(seed)
    words = article.tokens[article.tokens.is_word]
    starts, ends, n = words.start.to_numpy(), words.end.to_numpy(), len(words)
    labels = ["official", "media", "government_body", "other"]
    pool = [(int(i), int(i + rng.integers(0, 4)), labels[rng.integers(0, 4)]) for i in rng.integers(0, n - 5, 100)]
    rows = []
    for a in range(n_annotators):
        for k in range(60):
            if rng.random() < 0.7:
                first, last, label = pool[rng.integers(0, len(pool))]
                first = first + (rng.random() < 0.1)
                last = max(first, last) + (rng.random() < 0.2)
            else:
                first = int(rng.integers(0, n - 5))
                last, label = first + int(rng.integers(0, 5)), labels[rng.integers(0, 4)]
            said_by = None if rng.random() < 0.3 else ["Biden", "Officials"][k % 2]
            rows.append(span(f"s{a:03d}", "actor", label, (starts[first], ends[last]), said_by=said_by))
    rows.append(span("s000", "actor", "official", (starts[3], ends[3])))  # a repeat: counted once
    return annotations(*rows)


@pytest.fixture(scope="module")
def bundled():
    import annotkit

    return annotkit.load_bundled_article()


@pytest.mark.parametrize("attribute", [None, "said_by"])  # said_by: missing values too
def test_a_200_annotator_class_gives_the_reference_figures(bundled, attribute):
    frame = random_class(bundled, 200, seed=1)
    column = attribute or "label"
    result = agreement(frame, article=bundled, layer="actor", attribute=attribute)
    expected_units = reference_units(frame, bundled, column)
    assert result.units.equals(expected_units)
    assert (result.n_annotators, result.n_units) == (200, len(expected_units))
    alpha, fleiss = reference_alpha_and_fleiss(expected_units)
    assert result.krippendorff_alpha == pytest.approx(alpha, abs=1e-9)
    assert (result.fleiss_kappa is None) == (fleiss is None)
    if fleiss is not None:
        assert result.fleiss_kappa == pytest.approx(fleiss, abs=1e-9)

    names = list(expected_units.columns)
    pairs = list(combinations(names, 2))
    kappas = result.cohen_kappa
    assert list(zip(kappas.annotator_a, kappas.annotator_b, strict=True)) == pairs
    labelled = expected_units.notna().to_numpy().astype(int)
    assert kappas.n_units.tolist() == (labelled.T @ labelled)[np.triu_indices(200, k=1)].tolist()
    for i in np.random.default_rng(0).choice(len(pairs), 300, replace=False):
        a, b = pairs[i]
        expected = cohen_kappa(expected_units[a], expected_units[b]) if kappas.n_units[i] else math.nan
        assert kappas.kappa[i] == pytest.approx(expected, abs=1e-9, nan_ok=True)

    spans = {
        who: [(s, e, None if pd.isna(v) else v) for s, e, v in zip(rows.start, rows.end, rows[column], strict=True)]
        for who, rows in frame.groupby("annotator")
    }
    f1 = result.span_f1
    assert list(zip(f1.annotator_a, f1.annotator_b, strict=True)) == pairs
    assert f1.f1_exact.tolist() == pytest.approx([span_f1(spans[a], spans[b]) for a, b in pairs], abs=1e-12)
    assert f1.f1_overlap.isna().all()  # more than OVERLAP_F1_MAX_ANNOTATORS: not computed
    assert "not computed for a class of more than 100 annotators" in result.summary().what_it_means.iloc[-1]


def test_overlap_span_f1_of_a_class_matches_span_f1_pair_by_pair(bundled):
    frame = random_class(bundled, 40, seed=2)
    result = agreement(frame, article=bundled, layer="actor")
    spans = {who: list(zip(rows.start, rows.end, rows.label, strict=True)) for who, rows in frame.groupby("annotator")}
    expected = [
        span_f1(spans[a], spans[b], mode="overlap", text=bundled.text) for a, b in combinations(sorted(spans), 2)
    ]
    assert result.span_f1.f1_overlap.tolist() == pytest.approx(expected, abs=1e-12)
    assert result.summary().what_it_means.iloc[-1].startswith("on average")


@settings(max_examples=100, deadline=None)
@given(tables(labels=st.one_of(MAYBE_LABELS, st.sampled_from(["a", "b"])), min_annotators=2))
def test_every_pair_of_agreement_is_cohen_kappa_of_that_pair(table):
    assume(table.notna().sum(axis=1).max() >= 2)
    kappas = agreement(table).cohen_kappa
    for (a, b), kappa, n_units in zip(combinations(table.columns, 2), kappas.kappa, kappas.n_units, strict=True):
        assert n_units == int((table[a].notna() & table[b].notna()).sum())
        expected = cohen_kappa(table[a], table[b]) if n_units else math.nan
        assert kappa == pytest.approx(expected, abs=1e-9, nan_ok=True)


def test_a_label_named_none_is_the_same_as_no_span(article):
    frame = annotations(span("ana", "actor", "none", ANA_RUIZ), span("ben", "actor", "person", OFFICIALS))
    result = agreement(frame, article=article, layer="actor")
    assert set(result.units.ana) == {"none"}
    assert result.krippendorff_alpha == pytest.approx(krippendorff_alpha(result.units))


@pytest.mark.parametrize("n_annotators", [100, 101])
def test_a_class_of_more_than_100_gets_exact_span_f1_pair_by_pair_and_is_told_why_overlap_is_missing(
    article, n_annotators
):
    """The fast path for a span most of a large class marked (a matrix product), on the three-sentence article;
    overlap F1 up to 100 annotators, not above."""
    rng = np.random.default_rng(5)
    rows = []
    for n in range(n_annotators):
        who = f"s{n:03d}"
        rows.append(span(who, "actor", "person" if n < 90 else "official", ANA_RUIZ))  # 90 mark it alike
        if n % 3:
            rows.append(span(who, "actor", "official", THE_MAYOR))  # 67: just over the 64 of the fast path
        for where in (OFFICIALS, WHOLE_SENTENCE):
            if rng.random() < 0.1:
                rows.append(span(who, "actor", "group", where))  # a few: pair by pair
    frame = annotations(*rows)
    result = agreement(frame, article=article, layer="actor")
    spans = {
        who: [(s, e, v) for s, e, v in zip(rows.start, rows.end, rows.label, strict=True)]
        for who, rows in frame.groupby("annotator")
    }
    f1 = result.span_f1
    n_pairs = n_annotators * (n_annotators - 1) // 2
    assert len(f1) == n_pairs
    expected = [span_f1(spans[a], spans[b]) for a, b in zip(f1.annotator_a, f1.annotator_b, strict=True)]
    assert f1.f1_exact.tolist() == pytest.approx(expected, abs=1e-12)
    what = result.summary().set_index("measure").what_it_means
    assert what[f"span F1, exact (mean of {n_pairs} pairs)"].endswith("(same start, end and label)")
    if n_annotators == 100:
        assert f1.f1_overlap.notna().all()
        return
    assert f1.f1_overlap.isna().all()
    assert what[f"span F1, overlap (mean of {n_pairs} pairs)"] == (
        "not computed for a class of more than 100 annotators (too many pairs to search); "
        "annotkit.span_f1(a, b, mode='overlap') compares any two"
    )


@pytest.mark.parametrize("first", ["ben", "dan"])
def test_annotators_with_no_spans_on_the_layer_get_span_f1_pair_by_pair(article, first):
    """Pairs who both marked nothing agree (1.0), one span against none is 0.0: as span_f1 says, pair by pair."""
    others = [who for who in ("ben", "cal", "dan", "zed") if who != first]
    frame = annotations(
        span(first, "actor", "person", ANA_RUIZ),  # their span first in the frame, ana's second
        span("ana", "actor", "official", THE_MAYOR),
        *(span(who, "claim", "claim", WHOLE_SENTENCE) for who in others),  # the others marked no actor
    )
    result = agreement(frame, article=article, layer="actor")
    spans = {who: [] for who in ("ana", "ben", "cal", "dan", "zed")}
    spans["ana"], spans[first] = [(*THE_MAYOR, "official")], [(*ANA_RUIZ, "person")]
    pairs = list(combinations(sorted(spans), 2))
    f1 = result.span_f1
    assert list(zip(f1.annotator_a, f1.annotator_b, strict=True)) == pairs
    assert f1.f1_exact.tolist() == [span_f1(spans[a], spans[b]) for a, b in pairs]
    assert f1.f1_overlap.tolist() == [span_f1(spans[a], spans[b], mode="overlap", text=TEXT) for a, b in pairs]
    assert set(f1.f1_exact) == {0.0, 1.0}


@pytest.mark.parametrize("bad", [(20, 20), (25, 20), (-3, 5)])
def test_agreement_refuses_a_span_that_is_empty_backwards_or_before_the_text(article, bad):
    frame = annotations(
        span("ben", "actor", "person", (30, 28)),
        span("ana", "actor", "person", ANA_RUIZ, said_by=None),
        span("ana", "actor", "person", bad, said_by=None),  # ana comes first: hers is the one named
    )
    with pytest.raises(AgreementError) as raised:
        agreement(frame, article=article, layer="actor", attribute="said_by")
    assert str(raised.value) == f"A span must be (start, end, label) with 0 <= start < end, but got {(*bad, None)}."


def test_span_f1_of_frames_in_overlap_mode_reads_their_own_text():
    text = "Defense Secretary Lloyd Austin spoke."
    ana = pd.DataFrame({"start": [0], "end": [30], "label": ["official"], "text": [text[0:30]]})
    ben = pd.DataFrame({"start": [18], "end": [30], "label": ["official"], "text": [text[18:30]]})
    assert span_f1(ana, ben, mode="overlap") == 1.0


def test_the_same_span_matches_itself_in_overlap_mode_even_without_words():
    text = "Ana    Ruiz"
    assert span_f1([(4, 6, "x")], [(4, 6, "x")], mode="overlap", text=text) == 1.0


def test_the_units_a_pair_shares_are_whole_numbers(article):
    table = pd.DataFrame({"ana": ["a", "b", None], "ben": ["a", "a", "b"], "cal": ["b", None, "b"]})
    kappas = agreement(table).cohen_kappa
    assert kappas.n_units.tolist() == [2, 1, 2]
    assert pd.api.types.is_integer_dtype(kappas.n_units)


def test_agreement_reads_a_frame_of_the_annotation_columns_alone_and_compares_an_attribute(article):
    from annotkit.records import BASE_COLUMNS

    frame = annotations(
        span("ana", "actor", "person", ANA_RUIZ, said_by="Ana Ruiz"),
        span("ben", "actor", "person", ANA_RUIZ, said_by="Ben"),
        span("ben", "actor", "official", THE_MAYOR, said_by="Ana Ruiz"),
    )
    by_label = agreement(frame[list(BASE_COLUMNS)], article=article, layer="actor")  # no attribute columns at all
    assert by_label.units.equals(units_from_annotations(frame, article=article, layer="actor"))
    by_speaker = agreement(frame, article=article, layer="actor", attribute="said_by")
    assert by_speaker.units.equals(units_from_annotations(frame, article=article, layer="actor", attribute="said_by"))
    assert "Ben" in set(by_speaker.units.ben)


def test_a_large_table_with_many_labels_gives_the_reference_alpha():
    """Over a million possible (label, unit) pairs and few given: the figures come from sorting, not counting."""
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 1000, size=(1500, 2))  # some 950 labels used: 950 x 1,500 > 2**20
    labels[::3, 1] = labels[::3, 0]  # a third agree
    table = pd.DataFrame(labels, columns=["ana", "ben"])
    alpha, fleiss = reference_alpha_and_fleiss(table)
    result = agreement(table)
    assert result.krippendorff_alpha == pytest.approx(alpha, abs=1e-9)
    assert result.fleiss_kappa == pytest.approx(fleiss, abs=1e-9)
