"""Inter-annotator agreement: how far a class's annotators agree, beyond what chance alone would give.

Label agreement is measured on a *units x annotators* table (one row per thing labelled, one column per
annotator): Cohen's kappa for each pair, Fleiss' kappa and Krippendorff's alpha (nominal) for the whole class.
Span F1 measures whether annotators marked the same stretches of text. :func:`agreement` computes them all, and
:meth:`Agreement.summary` reads them out in words. Everything here is a pure function: frames in, numbers out.

Missing labels are ``None``, ``NaN`` or ``pd.NA``. When every label is one and the same, chance agreement is
already perfect and the kappa and alpha formulas divide 0 by 0. annotkit then returns 1.0 (nobody disagreed),
where scikit-learn and statsmodels return NaN with a warning and the ``krippendorff`` package raises an error.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from .errors import AgreementError
from .records import ATTRIBUTE_COLUMNS, BASE_COLUMNS, LAYERS

if TYPE_CHECKING:
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

#: Layers whose annotations are spans of text (perspectives are records about an actor entity instead).
SPAN_LAYERS = ("actor", "claim")
#: How :func:`span_f1` decides that two spans match.
SPAN_MODES = ("exact", "overlap")
#: The value a token gets from an annotator none of whose spans covers it.
NO_SPAN = "none"

# Landis & Koch (1977): the upper edge of each band, the band as they wrote it, and its reading for a class.
_BANDS = (
    (0.20, "0.00–0.20", "slight agreement", "hardly better than guessing at random"),
    (0.40, "0.21–0.40", "fair agreement", "a little better than chance, but the annotators often disagree"),
    (0.60, "0.41–0.60", "moderate agreement", "clearly better than chance, yet about a coin toss on hard cases"),
    (0.80, "0.61–0.80", "substantial agreement", "the annotators agree most of the time, far more than chance"),
    (1.00, "0.81–1.00", "almost perfect agreement", "the annotators nearly always give the same label"),
)


def _is_missing(value: Any) -> bool:
    if isinstance(value, str):  # most labels: answer without asking pandas, which is slow one value at a time
        return False
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _values(column: pd.Series | pd.Index) -> list:
    """A column's values as Python objects (missing ones as ``pd.NA`` or NaN): much faster to loop over."""
    return column.to_numpy(dtype=object).tolist()


def _only_one_label(counts: Counter) -> bool:
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
    observed = sum(x == y for x, y in pairs) / n
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


def _unit_counts(table: pd.DataFrame) -> list[Counter]:
    """How many annotators gave each label, one Counter per unit; missing labels are not counted."""
    return [Counter(v for v in row if not _is_missing(v)) for row in table.to_numpy(dtype=object).tolist()]


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
    n_raters = table.shape[1]
    units = [counts for counts in _unit_counts(table) if counts.total() == n_raters]
    if not units:
        msg = (
            f"Fleiss' kappa needs units labelled by all {n_raters} annotators, and there are none. "
            "Fill in the missing labels, or use krippendorff_alpha, which allows them."
        )
        raise AgreementError(msg)
    totals = sum(units, Counter())
    if _only_one_label(totals):
        return 1.0
    pair_share = n_raters * (n_raters - 1)
    observed = sum((sum(c * c for c in counts.values()) - n_raters) / pair_share for counts in units) / len(units)
    chance = sum((total / (len(units) * n_raters)) ** 2 for total in totals.values())
    return (observed - chance) / (1 - chance)


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
    units = [counts for counts in _unit_counts(table) if counts.total() >= 2]
    if not units:
        msg = "No unit has labels from two annotators or more, so there is nothing to compare. Fill in some labels."
        raise AgreementError(msg)
    values = sum(units, Counter())
    if _only_one_label(values):
        return 1.0
    # Each unit's ordered pairs of different labels, weighted 1/(m - 1) so every unit counts as much as its labels.
    disagreeing = sum((c.total() ** 2 - sum(n * n for n in c.values())) / (c.total() - 1) for c in units)
    n = values.total()
    by_chance = n * n - sum(count * count for count in values.values())
    return 1 - (n - 1) * disagreeing / by_chance


def _spans(spans: Any) -> set[tuple[int, int, Any]]:
    import pandas as pd

    if isinstance(spans, pd.DataFrame):
        spans = spans[["start", "end", "label"]].itertuples(index=False, name=None)
    result = set()
    for span in spans:
        try:
            start, end, label = span
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            start = end = -1
        if not 0 <= start < end:
            msg = f"A span must be (start, end, label) with 0 <= start < end, but got {span!r}."
            raise AgreementError(msg)
        result.add((start, end, label))
    return result


def _overlaps(a: tuple[int, int, Any], b: tuple[int, int, Any]) -> bool:
    """Same label, and the characters both cover are at least half of the characters either covers."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    covered = (a[1] - a[0]) + (b[1] - b[0]) - max(shared, 0)
    return a[2] == b[2] and shared > 0 and 2 * shared >= covered


def _overlap_matches(spans_a: set, spans_b: set) -> int:
    # A maximum matching, not a greedy one: no span is matched twice, and the count does not depend on which
    # annotator comes first, so F1 stays symmetric.
    by_label: dict[Any, list] = {}
    for other in spans_b:
        by_label.setdefault(other[2], []).append(other)
    partners = {span: [other for other in by_label.get(span[2], []) if _overlaps(span, other)] for span in spans_a}
    matched_to: dict[tuple, tuple] = {}

    def find_partner(span: tuple, tried: set) -> bool:
        for other in partners[span]:
            if other not in tried:
                tried.add(other)
                if other not in matched_to or find_partner(matched_to[other], tried):
                    matched_to[other] = span
                    return True
        return False

    return sum(find_partner(span, set()) for span in spans_a)


def span_f1(a: Iterable[tuple[int, int, Any]], b: Iterable[tuple[int, int, Any]], *, mode: str = "exact") -> float:
    """Span F1: the share of all the spans two annotators marked that the other annotator also marked.

    Parameters
    ----------
    a, b
        Each annotator's spans as ``(start, end, label)`` (half-open character offsets), or DataFrames with
        ``start``, ``end`` and ``label`` columns. A span given twice counts once.
    mode
        ``"exact"``: two spans match when start, end and label are all the same. ``"overlap"``: they match
        when the labels are the same and the characters both cover are at least half of the characters
        either covers (character Jaccard >= 0.5: "Ana Ruiz" matches "Ruiz"). Each span matches at most one.

    Returns
    -------
    float
        ``2 x matches / (spans in a + spans in b)``, the same both ways round; 1.0 when neither marked anything.

    >>> ana = [(0, 8, "person"), (13, 22, "official")]
    >>> ben = [(4, 8, "person"), (13, 22, "official")]
    >>> span_f1(ana, ben), span_f1(ana, ben, mode="overlap")
    (0.5, 1.0)
    """
    if mode not in SPAN_MODES:
        msg = f"Unknown mode {mode!r}. Use one of: {', '.join(repr(m) for m in SPAN_MODES)}."
        raise AgreementError(msg)
    spans_a, spans_b = _spans(a), _spans(b)
    if not spans_a and not spans_b:
        return 1.0
    matches = len(spans_a & spans_b) if mode == "exact" else _overlap_matches(spans_a, spans_b)
    return 2 * matches / (len(spans_a) + len(spans_b))


def _check_annotations(annotations: Any, layer: str, attribute: str | None) -> str:
    """Check the frame and the layer, and return the column whose values are compared."""
    import pandas as pd

    if layer not in LAYERS:
        msg = f"Unknown layer {layer!r}. Use one of: {', '.join(repr(name) for name in LAYERS)}."
        raise AgreementError(msg)
    if not isinstance(annotations, pd.DataFrame):
        msg = f"The annotations should be a DataFrame, not a {type(annotations).__name__}."
        raise AgreementError(msg)
    needed = [*BASE_COLUMNS, *(["entity"] if layer == "perspective" else [])]
    if missing := [column for column in needed if column not in annotations.columns]:
        msg = (
            f"The annotations frame has no {', '.join(missing)} column(s). Start it from "
            "annotkit.records.empty_annotations(), which has every column."
        )
        raise AgreementError(msg)
    column = attribute or ("stance" if layer == "perspective" else "label")
    if column not in annotations.columns:
        known = ", ".join(c for c in ("label", *ATTRIBUTE_COLUMNS) if c in annotations.columns)
        msg = f"The annotations have no column {column!r} to compare. Use one of: {known}."
        raise AgreementError(msg)
    return column


def _annotations_for(annotations: pd.DataFrame, article: Article) -> pd.DataFrame:
    """The annotations about this article (or about no article in particular) that still sit on its text."""
    import numpy as np

    about = [_is_missing(i) or i == article.article_id for i in _values(annotations.article_id)]
    if len(annotations) and not any(about):
        ids = ", ".join(sorted({str(i) for i in annotations.article_id}))
        msg = (
            f"None of these annotations are about this article ({article.article_id}); they are about {ids}. "
            "Pass the article they were made on."
        )
        raise AgreementError(msg)
    # An orphaned annotation could not be re-anchored after the text changed, so its offsets mean nothing here.
    # Rows without an annotator cannot be compared with anyone.
    anchored = [
        not _is_missing(who) and (_is_missing(status) or status != "orphaned")
        for who, status in zip(_values(annotations.annotator), _values(annotations.status), strict=True)
    ]
    return annotations[np.array(about, dtype=bool) & np.array(anchored, dtype=bool)]


def _on_layer(rows: pd.DataFrame, layer: str) -> pd.DataFrame:
    """The rows on this layer; for a span layer, only those with both offsets."""
    keep = [not _is_missing(name) and name == layer for name in _values(rows.layer)]
    if layer in SPAN_LAYERS:
        offsets = zip(keep, _values(rows.start), _values(rows.end), strict=True)
        keep = [k and not (_is_missing(s) or _is_missing(e)) for k, s, e in offsets]
    return rows[keep]


def _token_units(rows: pd.DataFrame, annotators: list[str], column: str, article: Article) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    words = article.tokens[article.tokens.is_word]
    starts, ends = words.start.to_numpy(), words.end.to_numpy()
    spans: dict[str, list] = {who: [] for who in annotators}
    for who, s, e, v in zip(*(_values(rows[c]) for c in ("annotator", "start", "end", column)), strict=True):
        spans[who].append((int(s), int(e), pd.NA if _is_missing(v) else v))
    table = {}
    for annotator, mine in spans.items():
        values = np.full(len(words), NO_SPAN, dtype=object)
        # Longest first, so a shorter span covering the same token overwrites it: the shortest span wins.
        # Among spans of one length, the one first in the frame is written last, and so wins.
        order = sorted(range(len(mine)), key=lambda i: (mine[i][0] - mine[i][1], -i))
        for start, end, value in (mine[i] for i in order):
            values[(starts >= start) & (ends <= end)] = value
        table[annotator] = values
    return pd.DataFrame(table, index=pd.Index(words.token_id.to_numpy(), name="unit"), columns=annotators)


def _perspective_units(rows: pd.DataFrame, annotators: list[str], column: str) -> pd.DataFrame:
    import pandas as pd

    rows = rows[rows.entity.notna()]
    # Read the rows in order of modification, so the last one per annotator and entity (their latest reading)
    # is the one kept; ISO timestamps sort as text, and sorted() keeps the frame's order for ties.
    modified = ["" if _is_missing(m) else m for m in _values(rows.modified)]
    order = sorted(range(len(rows)), key=modified.__getitem__)
    columns = [_values(rows.annotator), _values(rows.entity), _values(rows[column])]
    latest = {(columns[0][i], columns[1][i]): columns[2][i] for i in order}
    entities = sorted({entity for _, entity in latest})
    table = {who: [latest.get((who, entity), pd.NA) for entity in entities] for who in annotators}
    return pd.DataFrame(table, index=pd.Index(entities, name="unit"), columns=annotators)


def units_from_annotations(
    annotations: pd.DataFrame, *, article: Article, layer: str, attribute: str | None = None
) -> pd.DataFrame:
    r"""Turn a class's annotations into the units x annotators table that agreement is measured on.

    Parameters
    ----------
    annotations
        An annotation frame (see :mod:`annotkit.records`). Rows about other articles (by ``article_id``) and
        orphaned rows are left out; every annotator with a row left is a column.
    article
        The article the annotations were made on.
    layer
        ``"actor"`` or ``"claim"``: the units are the article's word tokens (index: ``token_id``); a token's
        value is the label of the annotator's span on that layer covering it, or ``"none"`` when no span of
        theirs does. When two of one annotator's spans cover a token, the **shortest** wins (the most precise
        reading; among equally long spans, the first in the frame). ``"perspective"``: the units are the
        actor entities (the ``entity`` column); the value is missing when an annotator gave no perspective on
        that entity, and their latest (by ``modified``) counts when they gave two.
    attribute
        Compare this column instead of the label, e.g. ``"said_by"``; for perspectives the default is
        ``"stance"``. A covering span whose attribute is empty gives a missing value.

    Returns
    -------
    pandas.DataFrame
        One row per unit (index name ``unit``), one column per annotator (sorted).

    >>> import pandas as pd
    >>> from annotkit import Article
    >>> from annotkit.records import empty_annotations
    >>> article = Article.from_text("Headline Here\n\nAna Ruiz met the mayor.")
    >>> rows = [{"annotator": "ana", "layer": "actor", "label": "person", "start": 15, "end": 23}]
    >>> annotations = pd.concat([empty_annotations(), pd.DataFrame(rows)], ignore_index=True)
    >>> units_from_annotations(annotations, article=article, layer="actor").ana.tolist()
    ['none', 'none', 'person', 'person', 'none', 'none', 'none']
    """
    column = _check_annotations(annotations, layer, attribute)
    rows = _annotations_for(annotations, article)
    annotators = sorted(set(_values(rows.annotator)))
    on_layer = _on_layer(rows, layer)
    if layer == "perspective":
        return _perspective_units(on_layer, annotators, column)
    return _token_units(on_layer, annotators, column, article)


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
        (see :func:`span_f1`); None for a table of labels and for perspectives.
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
        labels = sum(_unit_counts(self.units), Counter())
        if _only_one_label(labels):
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

        rows = [("Krippendorff's alpha", self.krippendorff_alpha)]
        if self.fleiss_kappa is not None:
            rows.append(("Fleiss' kappa", self.fleiss_kappa))
        rows.append((f"Cohen's kappa (mean of {len(self.cohen_kappa)} pairs)", self.cohen_kappa.kappa.mean()))
        rows = [(measure, value, self._kappa_meaning(value)) for measure, value in rows]
        if self.span_f1 is not None:
            for mode, how in (("exact", "same start, end and label"), ("overlap", "same label, overlapping by half")):
                value = self.span_f1[f"f1_{mode}"].mean()
                meaning = f"on average, {value:.0%} of the spans two annotators marked, the other marked too ({how})"
                rows.append((f"span F1, {mode} (mean of {len(self.span_f1)} pairs)", value, meaning))
        return pd.DataFrame(rows, columns=["measure", "value", "what_it_means"])


def _pairwise_cohen(table: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    labelled = table.notna()
    rows = []
    for a, b in combinations(table.columns, 2):
        n_units = int((labelled[a] & labelled[b]).sum())
        rows.append((a, b, cohen_kappa(table[a], table[b]) if n_units else math.nan, n_units))
    return pd.DataFrame(rows, columns=["annotator_a", "annotator_b", "kappa", "n_units"])


def _pairwise_span_f1(
    annotations: pd.DataFrame, article: Article, layer: str, column: str, annotators: list[str]
) -> pd.DataFrame:
    import pandas as pd

    rows = _on_layer(_annotations_for(annotations, article), layer)
    spans: dict[str, list] = {who: [] for who in annotators}
    for who, start, end, value in zip(*(_values(rows[c]) for c in ("annotator", "start", "end", column)), strict=True):
        spans[who].append((start, end, None if _is_missing(value) else value))
    result = [
        (a, b, span_f1(spans[a], spans[b]), span_f1(spans[a], spans[b], mode="overlap"))
        for a, b in combinations(annotators, 2)
    ]
    return pd.DataFrame(result, columns=["annotator_a", "annotator_b", "f1_exact", "f1_overlap"])


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
        column = _check_annotations(data, layer, attribute)
        table = _check_table(
            units_from_annotations(data, article=article, layer=layer, attribute=attribute), "agreement"
        )
        if layer in SPAN_LAYERS:
            span_table = _pairwise_span_f1(data, article, layer, column, list(table.columns))
    else:
        if not (article is None and layer is None and attribute is None):
            msg = (
                "article=, layer= and attribute= are only for annotation frames; this is a table of labels "
                "(one column per annotator). Leave them out."
            )
            raise AgreementError(msg)
        table = _check_table(data, "agreement")
    complete = [counts.total() for counts in _unit_counts(table)]
    return Agreement(
        cohen_kappa=_pairwise_cohen(table),
        fleiss_kappa=fleiss_kappa(table) if table.shape[1] in complete else None,
        krippendorff_alpha=krippendorff_alpha(table),
        span_f1=span_table,
        n_units=sum(n >= 2 for n in complete),
        n_annotators=table.shape[1],
        units=table,
    )
