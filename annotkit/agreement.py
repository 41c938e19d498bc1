"""Inter-annotator agreement: how far a class's annotators agree, beyond what chance alone would give.

Label agreement is measured on a *units x annotators* table (one row per thing labelled, one column per
annotator): Cohen's kappa for each pair, Fleiss' kappa and Krippendorff's alpha (nominal) for the whole class.
Span F1 measures whether annotators marked the same stretches of text. :func:`agreement` computes them all, and
:meth:`Agreement.summary` reads them out in words. Everything here is a pure function: frames in, numbers out.

Missing labels are ``None``, ``NaN`` or ``pd.NA``. When every label is one and the same, chance agreement is
already perfect and the kappa and alpha formulas divide 0 by 0. annotkit then returns 1.0 (nobody disagreed),
where scikit-learn and statsmodels return NaN with a warning and the ``krippendorff`` package raises an error.

:func:`agreement` is built for a whole class at once: it numbers the labels once (a units x annotators array
of integers) and computes every pair's kappa and exact span F1 with matrix products, so 1,000 annotators
(499,500 pairs) take about a second. Overlap span F1 is searched pair by pair, so :func:`agreement` leaves it
out (NaN) above :data:`OVERLAP_F1_MAX_ANNOTATORS` annotators; :func:`span_f1` computes it for any two.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from . import overlap
from .agreement_units import NO_SPAN as NO_SPAN
from .agreement_units import SPAN_LAYERS as SPAN_LAYERS
from .agreement_units import (
    _is_missing,
    _missing,
    _offsets,
    _units,
    _values,
    units_from_annotations,
)
from .errors import AgreementError
from .records import BASE_COLUMNS, LAYERS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .article import Article

__all__ = [
    "Agreement",
    "agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "interpret",
    "krippendorff_alpha",
    "span_f1",
    "units_from_annotations",
]

#: How :func:`span_f1` decides that two spans match.
SPAN_MODES = ("exact", "overlap")
#: :func:`agreement` computes overlap span F1 (``f1_overlap``) only for classes of at most this many
#: annotators; above it ``f1_overlap`` is NaN. Overlap matching compares each annotator's spans with every
#: other annotator's, and pairs grow with the square of the class (100 annotators are 4,950 pairs and take
#: about 0.2 s; 1,000 are 499,500). Exact F1 is computed for any class size, and :func:`span_f1` with
#: ``mode="overlap"`` still compares any two annotators.
OVERLAP_F1_MAX_ANNOTATORS = 100

# Landis & Koch (1977): the upper edge of each band, the band as they wrote it, and its reading for a class.
_BANDS = (
    (0.20, "0.00–0.20", "slight agreement", "hardly better than guessing at random"),
    (0.40, "0.21–0.40", "fair agreement", "a little better than chance, but the annotators often disagree"),
    (0.60, "0.41–0.60", "moderate agreement", "clearly better than chance, yet about a coin toss on hard cases"),
    (0.80, "0.61–0.80", "substantial agreement", "the annotators agree most of the time, far more than chance"),
    (1.00, "0.81–1.00", "almost perfect agreement", "the annotators nearly always give the same label"),
)


def _only_one_label(counts: Counter[Hashable]) -> bool:
    # Chance agreement is perfect, so kappa and alpha are 0/0; observed agreement is then perfect too.
    return len(counts) == 1


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa: how far two annotators agree beyond chance, from -1 through 0 (chance) to 1 (perfect).

    Parameters
    ----------
    a, b
        One label per unit from each annotator, in the same order. A unit where either label is missing
        (None, NaN or ``pd.NA``) is left out.

    Returns
    -------
    float
        ``(observed - chance) / (1 - chance)``; 1.0 when both annotators used one and the same label for
        every unit (there was nothing to disagree about; scikit-learn returns NaN there).

    >>> round(cohen_kappa(["yes", "yes", "no", "no"], ["yes", "no", "no", "no"]), 2)
    0.5
    """
    a, b = (_values(x) if hasattr(x, "to_numpy") else list(x) for x in (a, b))
    if len(a) != len(b):
        msg = f"cohen_kappa needs one label per unit from each annotator, but got {len(a)} and {len(b)} labels."
        raise AgreementError(msg)
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if not (_is_missing(x) or _is_missing(y))]
    if not pairs:
        msg = "No unit has a label from both annotators, so there is nothing to compare. Fill in some labels."
        raise AgreementError(msg)
    counts_a, counts_b = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    if _only_one_label(counts_a + counts_b):
        return 1.0
    n = len(pairs)
    observed: float = sum(x == y for x, y in pairs) / n
    chance = sum(counts_a[label] * counts_b[label] for label in counts_a) / n**2
    return (observed - chance) / (1 - chance)


def _check_table(table: Any, caller: str) -> pd.DataFrame:
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        msg = (
            f"{caller} needs a DataFrame with one row per unit and one column per annotator, "
            f"not a {type(table).__name__}."
        )
        raise AgreementError(msg)
    if table.shape[1] < 2:
        msg = (
            f"Agreement needs at least 2 annotators (one column each), but this table has {table.shape[1]}: "
            f"{list(table.columns)}."
        )
        raise AgreementError(msg)
    return table


class _Codes:
    """A units x annotators table as integer codes, and how often each label was given on each unit.

    ``codes[unit, annotator]`` numbers the label (``categories[code]``), -1 where it is missing. ``category``,
    ``unit`` and ``counts`` list every (label, unit) pair someone gave, sorted, and how many annotators gave
    that label on that unit. Every measure here is a closed formula over these arrays.
    """

    def __init__(self, codes: np.ndarray, categories: np.ndarray) -> None:
        import numpy as np

        self.codes, self.categories, self.n_categories = codes, categories, len(categories)
        self.missing = codes < 0
        self.n_labels = codes.shape[1] - self.missing.sum(axis=1)  # per unit
        present = ~self.missing
        self.category, self.unit, self.counts = _distinct_pairs(codes[present], np.nonzero(present)[0], len(codes))

    @classmethod
    def of(cls, table: pd.DataFrame) -> _Codes:
        import numpy as np
        import pandas as pd

        values = table.to_numpy(dtype=object)
        missing = pd.isna(values)
        codes = np.full(values.shape, -1, dtype=np.int64)
        # factorize compares labels as Python does (1 == 1.0 == True), like the Counters of cohen_kappa.
        codes[~missing], categories = pd.factorize(values[~missing])
        return cls(codes, np.asarray(categories, dtype=object))

    def totals(self, units: np.ndarray) -> np.ndarray:
        """How often each label was given on these units (a boolean mask over units)."""
        import numpy as np

        keep = units[self.unit]
        return np.bincount(self.category[keep], weights=self.counts[keep], minlength=self.n_categories)

    def agreeing_pairs(self) -> np.ndarray:
        """Per unit, the sum of squared label counts: ordered pairs of annotators (self-pairs too) who agree."""
        import numpy as np

        return np.bincount(self.unit, weights=self.counts.astype(float) ** 2, minlength=len(self.codes))


def _distinct_pairs(major: np.ndarray, minor: np.ndarray, n_minor: int) -> tuple[np.ndarray, ...]:
    """The distinct (major, minor) pairs of two integer arrays, sorted, and how often each occurs."""
    import numpy as np

    keys = major * n_minor + minor
    size = (int(major.max()) + 1) * n_minor if len(major) else 0
    if size <= max(4 * len(keys), 1 << 20):  # few enough possible pairs: count them all, no sorting needed
        counts = np.bincount(keys, minlength=size)
        keys = np.flatnonzero(counts)
        counts = counts[keys]
    else:
        keys, counts = np.unique(keys, return_counts=True)
    return keys // n_minor, keys % n_minor, counts


def _fleiss(codes: _Codes) -> float | None:
    """Fleiss' kappa over the units every annotator labelled; None when there are none."""
    import numpy as np

    n_raters = codes.codes.shape[1]
    complete = codes.n_labels == n_raters
    n_units = int(complete.sum())
    if not n_units:
        return None
    totals = codes.totals(complete)
    if np.count_nonzero(totals) == 1:  # one label only: see _only_one_label
        return 1.0
    agreeing = codes.agreeing_pairs()[complete]
    observed = ((agreeing - n_raters) / (n_raters * (n_raters - 1))).sum() / n_units
    chance = ((totals / (n_units * n_raters)) ** 2).sum()
    return float((observed - chance) / (1 - chance))


def _alpha(codes: _Codes) -> float | None:
    """Krippendorff's alpha (nominal) over the units with two labels or more; None when there are none."""
    import numpy as np

    pairable = codes.n_labels >= 2
    if not pairable.any():
        return None
    values = codes.totals(pairable)
    if np.count_nonzero(values) == 1:
        return 1.0
    # Each unit's ordered pairs of different labels, weighted 1/(m - 1) so every unit counts as much as its labels.
    m = codes.n_labels[pairable]
    disagreeing = ((m * m - codes.agreeing_pairs()[pairable]) / (m - 1)).sum()
    n = values.sum()
    by_chance = n * n - (values * values).sum()
    return float(1 - (n - 1) * disagreeing / by_chance)


def fleiss_kappa(table: pd.DataFrame) -> float:
    """Fleiss' kappa: agreement beyond chance among two or more annotators who each labelled every unit.

    Parameters
    ----------
    table
        One row per unit, one column per annotator, a label in each cell. Fleiss' kappa needs the same
        number of labels for every unit, so **units with a missing label are left out**; use
        :func:`krippendorff_alpha` to keep them.

    Returns
    -------
    float
        1.0 when every label is the same (statsmodels returns NaN there).

    >>> import pandas as pd
    >>> table = pd.DataFrame({"ana": ["a", "a", "b", "b"], "ben": ["a", "b", "b", "b"], "cai": ["a", "a", "b", "a"]})
    >>> round(fleiss_kappa(table), 3)
    0.333
    """
    table = _check_table(table, "fleiss_kappa")
    kappa = _fleiss(_Codes.of(table))
    if kappa is None:
        msg = (
            f"Fleiss' kappa needs units labelled by all {table.shape[1]} annotators, and there are none. "
            "Fill in the missing labels, or use krippendorff_alpha, which allows them."
        )
        raise AgreementError(msg)
    return kappa


def krippendorff_alpha(table: pd.DataFrame) -> float:
    """Krippendorff's alpha (nominal): agreement beyond chance, for any number of annotators and missing labels.

    Parameters
    ----------
    table
        One row per unit, one column per annotator; missing labels are allowed. A unit with fewer than two
        labels cannot be compared with anything and is ignored.

    Returns
    -------
    float
        ``1 - observed disagreement / disagreement expected by chance``; 1.0 when every comparable label is
        the same (the ``krippendorff`` package raises an error or returns NaN there).

    >>> import pandas as pd
    >>> table = pd.DataFrame({"ana": ["a", "a", "b", None], "ben": ["a", "b", "b", "b"], "cai": ["a", None, "b", "a"]})
    >>> round(krippendorff_alpha(table), 3)
    0.28
    """
    table = _check_table(table, "krippendorff_alpha")
    alpha = _alpha(_Codes.of(table))
    if alpha is None:
        raise AgreementError(_NOTHING_TO_COMPARE)
    return alpha


_NOTHING_TO_COMPARE = (
    "No unit has labels from two annotators or more, so there is nothing to compare. Fill in some labels."
)


Span = tuple[int, int, Any]
#: What :func:`_maximum_matching` pairs: spans, or their numbers.
_Span = TypeVar("_Span", bound=Hashable)
_NEED_WORDS = (
    "Overlap compares the words two spans cover, so it needs them: give DataFrames with a text column, or pass "
    "text=article.text."
)


def _spans(spans: Any, *, text: str | None = None, words_needed: bool = False) -> dict[Span, frozenset[Any]]:
    """Each distinct ``(start, end, label)``, with its tokens when overlap needs them."""
    import pandas as pd

    own_text: list[Any] | None = None
    if isinstance(spans, pd.DataFrame):
        own_text = spans["text"].to_numpy(dtype=object, na_value=None).tolist() if "text" in spans.columns else None
        spans = spans[["start", "end", "label"]].itertuples(index=False, name=None)
    result: dict[Span, frozenset[Any]] = {}
    for n, span in enumerate(spans):
        try:
            start, end, label = span
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            start = end = -1
        if not 0 <= start < end:
            msg = f"A span must be (start, end, label) with 0 <= start < end, but got {span!r}."
            raise AgreementError(msg)
        tokens: frozenset[Any] = frozenset()
        if words_needed:
            covered = text[start:end] if text is not None else own_text[n] if own_text is not None else None
            if not isinstance(covered, str):
                raise AgreementError(_NEED_WORDS)
            tokens = overlap.words(start, end, covered)
        result.setdefault((start, end, label), tokens)
    return result


def _overlap_matches(spans_a: dict[Span, frozenset[Any]], spans_b: dict[Span, frozenset[Any]]) -> int:
    by_label: dict[Any, list[Span]] = {}
    for other in spans_b:
        by_label.setdefault(other[2], []).append(other)
    return _maximum_matching(
        {
            span: [
                other
                for other in by_label.get(span[2], [])
                if other[:2] == span[:2] or overlap.jaccard(words, spans_b[other]) >= overlap.THRESHOLD
            ]
            for span, words in spans_a.items()
        }
    )


def _maximum_matching(partners: Mapping[_Span, Sequence[_Span]]) -> int:
    """The size of a maximum matching, given each of one side's candidate partners on the other side.

    A maximum matching, not a greedy one: no span is matched twice, and the count does not depend on which
    annotator comes first, so F1 stays symmetric.
    """
    matched_to: dict[_Span, _Span] = {}

    def find_partner(span: _Span, tried: set[_Span]) -> bool:
        for other in partners[span]:
            if other not in tried:
                tried.add(other)
                if other not in matched_to or find_partner(matched_to[other], tried):
                    matched_to[other] = span
                    return True
        return False

    return sum(find_partner(span, set()) for span in partners)


def span_f1(
    a: Iterable[Span],
    b: Iterable[Span],
    *,
    mode: str = "exact",
    text: str | None = None,
) -> float:
    """Span F1: the share of all the spans two annotators marked that the other annotator also marked.

    Parameters
    ----------
    a, b
        Each annotator's spans as ``(start, end, label)`` (half-open character offsets), or DataFrames with
        ``start``, ``end``, ``label`` (and ``text``) columns. A span given twice counts once.
    mode
        ``"exact"``: two spans match when start, end and label are all the same. ``"overlap"``: they match
        when the labels are the same and they share at least half of the words the two cover together (token
        Jaccard >= 0.5, :mod:`annotkit.overlap`: "Lloyd Austin" matches "Defense Secretary Lloyd Austin").
        Each span matches at most one.
    text
        The article's text, for overlap with spans given as tuples (DataFrames bring their own ``text``).

    Returns
    -------
    float
        ``2 x matches / (spans in a + spans in b)``, the same both ways round; 1.0 when neither marked anything.

    >>> text = "Defense Secretary Lloyd Austin spoke."
    >>> ana = [(0, 30, "official")]
    >>> ben = [(18, 30, "official")]
    >>> span_f1(ana, ben), span_f1(ana, ben, mode="overlap", text=text)
    (0.0, 1.0)
    """
    if mode not in SPAN_MODES:
        msg = f"Unknown mode {mode!r}. Use one of: {', '.join(repr(m) for m in SPAN_MODES)}."
        raise AgreementError(msg)
    needed = mode == "overlap"
    spans_a, spans_b = _spans(a, text=text, words_needed=needed), _spans(b, text=text, words_needed=needed)
    if not spans_a and not spans_b:
        return 1.0
    matches = len(spans_a.keys() & spans_b.keys()) if mode == "exact" else _overlap_matches(spans_a, spans_b)
    return 2 * matches / (len(spans_a) + len(spans_b))


def interpret(value: float) -> str:
    """What a kappa or alpha value means, in words, with its Landis & Koch (1977) band.

    >>> interpret(0.65)
    'substantial agreement (0.61–0.80): the annotators agree most of the time, far more than chance'
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        msg = f"interpret needs a number such as 0.65, not {value!r}."
        raise AgreementError(msg)
    if math.isnan(value):
        return "not defined: no unit was labelled by two annotators"
    if value > 1 + 1e-9:
        msg = f"Kappa and alpha are at most 1 (perfect agreement), but got {value}. For a percentage, divide by 100."
        raise AgreementError(msg)
    if value >= 1:  # exactly 1 when nobody disagreed, but let a rounding error in the last digit pass too
        return "perfect agreement: the annotators gave the same label every time"
    if value < 0:
        return "less than chance agreement (below 0): the annotators disagree more than random guessing would"
    band, name, meaning = next((band, name, meaning) for edge, band, name, meaning in _BANDS if value <= edge)
    return f"{name} ({band}): {meaning}"


@dataclass(frozen=True, eq=False)
class Agreement:
    """How far a class's annotators agree: every measure at once. Build one with :func:`agreement`.

    Attributes
    ----------
    cohen_kappa
        One row per pair of annotators: ``annotator_a, annotator_b, kappa, n_units`` (``n_units``: the units
        both labelled; ``kappa`` is NaN when there are none).
    fleiss_kappa
        Fleiss' kappa over the units every annotator labelled; None when there is no such unit.
    krippendorff_alpha
        Krippendorff's alpha (nominal) over every unit labelled by two annotators or more.
    span_f1
        For actor and claim annotations, one row per pair: ``annotator_a, annotator_b, f1_exact, f1_overlap``
        (see :func:`span_f1`); None for a table of labels and for perspectives. ``f1_overlap`` is NaN when
        there are more than :data:`OVERLAP_F1_MAX_ANNOTATORS` annotators: overlap matching searches each pair,
        too slow for a large class (use :func:`span_f1` on the pairs you want to discuss).
    n_units
        How many units two annotators or more labelled: the ones agreement is measured on.
    n_annotators
        How many annotators (columns) there are.
    units
        The units x annotators table it was all computed from: the rows where annotators differ are the
        ones to discuss.
    """

    cohen_kappa: pd.DataFrame = field(repr=False)
    fleiss_kappa: float | None
    krippendorff_alpha: float
    span_f1: pd.DataFrame | None = field(repr=False)
    n_units: int
    n_annotators: int
    units: pd.DataFrame = field(repr=False)

    def _kappa_meaning(self, value: float) -> str:
        labels = _Codes.of(self.units).categories
        if len(labels) == 1:
            (label,) = labels
            return f"every label was {label!r}, so there was nothing to disagree about (1.0 by convention)"
        return interpret(value)

    def summary(self) -> pd.DataFrame:
        """One row per measure: ``measure, value, what_it_means``, in words a class can read.

        >>> import pandas as pd
        >>> table = pd.DataFrame({"ana": ["a", "a", "b", "b"], "ben": ["a", "b", "b", "b"]})
        >>> agreement(table).summary().what_it_means[0]
        'moderate agreement (0.41–0.60): clearly better than chance, yet about a coin toss on hard cases'
        """
        import pandas as pd

        kappas = [("Krippendorff's alpha", self.krippendorff_alpha)]
        if self.fleiss_kappa is not None:
            kappas.append(("Fleiss' kappa", self.fleiss_kappa))
        kappas.append((f"Cohen's kappa (mean of {len(self.cohen_kappa)} pairs)", self.cohen_kappa.kappa.mean()))
        rows = [(measure, value, self._kappa_meaning(value)) for measure, value in kappas]
        if self.span_f1 is not None:
            for mode, how in (("exact", "same start, end and label"), ("overlap", "same label, overlapping by half")):
                value = self.span_f1[f"f1_{mode}"].mean()
                meaning = f"on average, {value:.0%} of the spans two annotators marked, the other marked too ({how})"
                if mode == "overlap" and self.span_f1[f"f1_{mode}"].isna().all():
                    meaning = (
                        f"not computed for a class of more than {OVERLAP_F1_MAX_ANNOTATORS} annotators (too many "
                        "pairs to search); annotkit.span_f1(a, b, mode='overlap') compares any two"
                    )
                rows.append((f"span F1, {mode} (mean of {len(self.span_f1)} pairs)", value, meaning))
        return pd.DataFrame(rows, columns=["measure", "value", "what_it_means"])


def _pairwise_cohen(codes: _Codes, annotators: pd.Index) -> pd.DataFrame:
    """Cohen's kappa for every pair of annotators at once, as :func:`cohen_kappa` computes it for one pair.

    For each label k, with X the units x annotators indicator of "gave k": the units where a and b both gave k
    are ``(X.T @ X)[a, b]``, and a's count of k on the units b labelled is ``(X.T @ labelled)[a, b]``. Summed
    over labels these give observed and chance agreement for every pair. The matrix products count in
    float32, exact for whole numbers below 2**24; each label's products only span the units where someone
    gave it and the annotators who did.
    """
    import numpy as np
    import pandas as pd

    n_units, n_raters = codes.codes.shape
    exact = np.float32 if n_units < 2**24 else np.float64
    labelled: np.ndarray = (~codes.missing).astype(exact)
    shared = labelled.T @ labelled if codes.missing.any() else np.full((n_raters, n_raters), float(n_units))
    agree = np.zeros((n_raters, n_raters))
    chance = np.zeros((n_raters, n_raters))  # sum over labels of count_a(k) * count_b(k), on shared units
    present = ~codes.missing
    used, who, _ = _distinct_pairs(codes.codes[present], np.nonzero(present)[1], n_raters)
    by_label = np.searchsorted(used, np.arange(codes.n_categories + 1))
    in_cells = np.searchsorted(codes.category, np.arange(codes.n_categories + 1))
    for label in range(codes.n_categories):
        raters = who[by_label[label] : by_label[label + 1]]
        if len(raters) < 2:  # nobody else gave this label: it adds nothing to any pair
            continue
        units = codes.unit[in_cells[label] : in_cells[label + 1]]
        block = (slice(None), slice(None)) if len(raters) == n_raters else np.ix_(raters, raters)
        gave = (codes.codes[units][:, raters] == label).astype(exact)
        counts = np.broadcast_to(gave.sum(axis=0, dtype=float)[:, None], (len(raters), len(raters)))
        gaps = codes.missing[units][:, raters]
        if gaps.any():  # a's count of this label, less the units where b gave no label
            counts = counts - gave.T @ gaps.astype(exact)
        agree[block] += gave.T @ gave
        chance[block] += counts * counts.T
    first, second = np.triu_indices(n_raters, k=1)
    n_shared = shared[first, second].astype(np.int64)
    pairs_agree, pairs_chance, n = agree[first, second], chance[first, second], n_shared.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        observed, expected = pairs_agree / n, pairs_chance / (n * n)
        kappa = (observed - expected) / (1 - expected)
    kappa[pairs_chance == n * n] = 1.0  # both gave one and the same label throughout: see _only_one_label
    kappa[n_shared == 0] = math.nan
    return pd.DataFrame(
        {
            "annotator_a": annotators.take(first),
            "annotator_b": annotators.take(second),
            "kappa": kappa,
            "n_units": n_shared,
        }
    )


def _shared_spans(owner: np.ndarray, span: np.ndarray, n_annotators: int) -> np.ndarray:
    """How many spans each pair of annotators both marked: an annotators x annotators matrix.

    ``owner`` and ``span`` list who marked which span (numbered), each pair once. A span marked by many
    annotators adds a column to a matrix product; one marked by a few adds its pairs one by one.
    """
    import numpy as np

    many = 64
    markers = np.bincount(span)
    popular = markers[span] > many
    columns = np.unique(span[popular], return_inverse=True)[1]
    marked = np.zeros((n_annotators, columns.max() + 1 if len(columns) else 0), dtype=np.float32)
    marked[owner[popular], columns] = 1
    shared = marked @ marked.T
    # The rest, sorted by span and then owner: the d-th annotator after one who marked a span, if they marked
    # it too, is a pair with a < b.
    order = np.lexsort((owner[~popular], span[~popular]))
    owner, span = owner[~popular][order], span[~popular][order]
    pairs = []
    for d in range(1, many):
        same = span[d:] == span[:-d]
        if not same.any():
            break
        pairs.append(owner[:-d][same] * n_annotators + owner[d:][same])
    flat = np.bincount(np.concatenate([np.zeros(0, dtype=np.int64), *pairs]), minlength=n_annotators**2)
    return shared + flat.reshape(n_annotators, n_annotators)


def _overlap_matched(
    owner: np.ndarray, starts: np.ndarray, ends: np.ndarray, labels: np.ndarray, n_raters: int
) -> np.ndarray:
    """How many spans each pair of annotators matched in overlap mode: an annotators x annotators matrix.

    The spans are sorted by ``owner``, each annotator's once. Two spans that overlap (as :func:`span_f1`
    decides) and overlap no other span of the other annotator's are a match; the rest are matched by search.
    """
    import numpy as np

    matched = np.zeros((n_raters, n_raters))
    bounds = np.searchsorted(owner, np.arange(n_raters + 1))
    lengths = ends - starts
    for a in range(n_raters - 1):
        mine, theirs = slice(bounds[a], bounds[a + 1]), slice(bounds[a + 1], None)  # later annotators' spans
        shared = np.minimum(ends[mine, None], ends[None, theirs]) - np.maximum(starts[mine, None], starts[None, theirs])
        overlap = (labels[mine, None] == labels[None, theirs]) & (shared > 0)
        overlap &= 3 * shared >= lengths[mine, None] + lengths[None, theirs]  # 2 x shared >= either covers
        mine_i, theirs_j = np.nonzero(overlap)
        b = owner[theirs][theirs_j] - a - 1  # (the other annotator, less a + 1)
        # How many partners each span has among the other annotator's spans.
        n_mine = np.bincount(mine_i * n_raters + b, minlength=overlap.shape[0] * n_raters)[mine_i * n_raters + b]
        n_theirs = overlap.sum(axis=0)[theirs_j]
        alone = (n_mine == 1) & (n_theirs == 1)
        found = np.bincount(b[alone], minlength=n_raters - a - 1).astype(float)
        rest = np.flatnonzero(~alone)
        for other in np.unique(b[rest]):
            partners: dict[int, list[int]] = {}
            for i, j in zip(mine_i[rest][b[rest] == other], theirs_j[rest][b[rest] == other], strict=True):
                partners.setdefault(int(i), []).append(int(j))
            found[other] += _maximum_matching(partners)
        matched[a, a + 1 :] = found
    return matched


def _pairwise_span_f1(rows: pd.DataFrame, column: str, annotators: pd.Index, article: Article) -> pd.DataFrame:
    """Span F1 for every pair of annotators: exact for any class, overlap up to OVERLAP_F1_MAX_ANNOTATORS.

    Overlap is token Jaccard (:mod:`annotkit.overlap`), worked out here on token intervals: a span covers a run of
    the article's tokens, so the tokens two spans share is the overlap of their runs.
    """
    import numpy as np
    import pandas as pd

    owner = annotators.get_indexer(rows.annotator.to_numpy(dtype=object))
    starts, ends = _offsets(rows.start), _offsets(rows.end)
    values = rows[column].to_numpy(dtype=object).copy()
    values[_missing(rows[column])] = None
    if (bad := np.flatnonzero((starts < 0) | (starts >= ends))).size:
        first = bad[np.argmin(owner[bad])]  # the one span_f1 would have found first, pair by pair
        span_f1([(_values(rows.start)[first], _values(rows.end)[first], values[first])], [])  # raises
    # Number each distinct (start, end, label), and keep each annotator's spans once, as span_f1 does.
    labels = pd.factorize(values)[0]
    span = pd.factorize(pd.MultiIndex.from_arrays([starts, ends, labels]))[0]
    distinct = np.flatnonzero(~pd.Index(owner * (len(span) + 1) + span).duplicated())
    distinct = distinct[np.argsort(owner[distinct], kind="stable")]
    owner, n_raters = owner[distinct], len(annotators)
    n_spans = np.bincount(owner, minlength=n_raters)
    first, second = np.triu_indices(n_raters, k=1)
    marked = n_spans[first] + n_spans[second]
    f1 = {"exact": _shared_spans(owner, span[distinct], n_raters)[first, second]}
    if n_raters <= OVERLAP_F1_MAX_ANNOTATORS:
        token_starts, token_ends = article.tokens["start"].to_numpy(), article.tokens["end"].to_numpy()
        first_token = np.searchsorted(token_ends, starts[distinct], side="right")  # the first token ending after start
        end_token = np.searchsorted(token_starts, ends[distinct], side="left")  # one past the last starting before end
        spans = (owner, first_token, end_token, labels[distinct])
        f1["overlap"] = _overlap_matched(*spans, n_raters)[first, second]
    with np.errstate(divide="ignore", invalid="ignore"):
        exact, overlap = (np.where(marked > 0, 2 * f1[m] / marked, 1.0) if m in f1 else math.nan for m in SPAN_MODES)
    return pd.DataFrame(
        {
            "annotator_a": annotators.take(first),
            "annotator_b": annotators.take(second),
            "f1_exact": exact,
            "f1_overlap": overlap,
        }
    )


def agreement(
    data: pd.DataFrame, *, article: Article | None = None, layer: str | None = None, attribute: str | None = None
) -> Agreement:
    """Measure how far annotators agree, with every measure at once.

    Parameters
    ----------
    data
        Either a table of labels, one row per unit and one column per annotator (missing labels allowed), or
        an annotation frame (with the columns of :data:`annotkit.records.BASE_COLUMNS`).
    article, layer, attribute
        Only for an annotation frame: the article, the layer to compare and, optionally, the attribute to
        compare instead of the label; see :func:`units_from_annotations`.

    Returns
    -------
    Agreement
        The same figures as :func:`cohen_kappa`, :func:`fleiss_kappa`, :func:`krippendorff_alpha` and
        :func:`span_f1` give, computed for every pair at once. For a class of more than
        :data:`OVERLAP_F1_MAX_ANNOTATORS` annotators, ``span_f1.f1_overlap`` is NaN (not computed).

    >>> import pandas as pd
    >>> table = pd.DataFrame({"ana": ["a", "a", "b", None], "ben": ["a", "b", "b", "b"], "cai": ["a", "a", "b", "b"]})
    >>> result = agreement(table)
    >>> result.n_annotators, result.n_units, round(result.krippendorff_alpha, 2), round(result.fleiss_kappa, 2)
    (3, 4, 0.67, 0.55)
    """
    import pandas as pd

    is_annotations = isinstance(data, pd.DataFrame) and set(BASE_COLUMNS) <= set(data.columns)
    span_table = None
    if is_annotations:
        if article is None or layer is None:
            msg = (
                "These are annotations, not a table of labels. Pass article=... (the article they were made on) "
                f"and layer=... (one of {', '.join(repr(name) for name in LAYERS)}) to compare them."
            )
            raise AgreementError(msg)
        units = _units(data, article=article, layer=layer, attribute=attribute)
        table = _check_table(units.table, "agreement")
        if layer in SPAN_LAYERS:
            span_table = _pairwise_span_f1(units.rows, units.column, table.columns, article)
        codes = _Codes.of(table) if units.coded is None else _Codes(*units.coded)
    else:
        if not (article is None and layer is None and attribute is None):
            msg = (
                "article=, layer= and attribute= are only for annotation frames; this is a table of labels "
                "(one column per annotator). Leave them out."
            )
            raise AgreementError(msg)
        table = _check_table(data, "agreement")
        codes = _Codes.of(table)
    cohen = _pairwise_cohen(codes, table.columns)
    alpha = _alpha(codes)
    if alpha is None:
        raise AgreementError(_NOTHING_TO_COMPARE)
    return Agreement(
        cohen_kappa=cohen,
        fleiss_kappa=_fleiss(codes),
        krippendorff_alpha=alpha,
        span_f1=span_table,
        n_units=int((codes.n_labels >= 2).sum()),
        n_annotators=table.shape[1],
        units=table,
    )
