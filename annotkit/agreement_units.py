"""The units x annotators table that agreement is measured on, built from a class's annotations.

:func:`units_from_annotations` lives here so that :mod:`annotkit.agreement` stays about the measures; import it
from there (``annotkit.agreement.units_from_annotations``). Everything is computed column-wise with numpy, so a
class of a thousand annotators takes a fraction of a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import AgreementError
from .records import BASE_COLUMNS, LAYERS, SPAN_LAYERS, attribute_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .article import Article

__all__ = ["NO_SPAN", "SPAN_LAYERS", "units_from_annotations"]

#: Layers whose annotations are spans of text (perspectives are records about an actor entity instead).
#: The value a token gets from an annotator none of whose spans covers it.
NO_SPAN = "none"


def _is_missing(value: Any) -> bool:
    if isinstance(value, str):  # most labels: answer without asking pandas, which is slow one value at a time
        return False
    import pandas as pd

    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _values(column: pd.Series | pd.Index) -> list[Any]:
    """A column's values as Python objects (missing ones as ``pd.NA`` or NaN): much faster to loop over."""
    values: list[Any] = column.to_numpy(dtype=object).tolist()
    return values


def _missing(column: pd.Series) -> np.ndarray:
    """Which values are missing (None, NaN, ``pd.NA``), as a boolean array."""
    import pandas as pd

    missing: np.ndarray = pd.isna(column.to_numpy(dtype=object))
    return missing


def _equals(column: pd.Series, value: Any) -> np.ndarray:
    """Which values are present and equal to ``value``, as a boolean array."""
    import numpy as np

    values = column.to_numpy(dtype=object)
    present = ~_missing(column)
    result = np.zeros(len(values), dtype=bool)
    result[present] = values[present] == value
    return result


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
        known = ", ".join(("label", *attribute_columns(annotations.columns)))
        msg = f"The annotations have no column {column!r} to compare. Use one of: {known}."
        raise AgreementError(msg)
    return column


def _annotations_for(annotations: pd.DataFrame, article: Article) -> pd.DataFrame:
    """The annotations about this article (or about no article in particular) that still sit on its text."""
    about = _missing(annotations.article_id) | _equals(annotations.article_id, article.article_id)
    if len(annotations) and not about.any():
        ids = ", ".join(sorted({str(i) for i in annotations.article_id}))
        msg = (
            f"None of these annotations are about this article ({article.article_id}); they are about {ids}. "
            "Pass the article they were made on."
        )
        raise AgreementError(msg)
    # An orphaned annotation could not be re-anchored after the text changed, so its offsets mean nothing here.
    # Rows without an annotator cannot be compared with anyone.
    anchored = ~_missing(annotations.annotator) & ~_equals(annotations.status, "orphaned")
    return annotations[about & anchored]


def _on_layer(rows: pd.DataFrame, layer: str) -> pd.DataFrame:
    """The rows on this layer; for a span layer, only those with both offsets."""
    keep = _equals(rows.layer, layer)
    if layer in SPAN_LAYERS:
        keep &= ~_missing(rows.start) & ~_missing(rows.end)
    return rows[keep]


def _offsets(column: pd.Series) -> np.ndarray:
    import numpy as np

    try:
        offsets: np.ndarray = column.to_numpy(dtype=np.int64)
    except (TypeError, ValueError):  # offsets stored as text, say
        return np.array([int(v) for v in _values(column)], dtype=np.int64)
    return offsets


def _span_codes(rows: pd.DataFrame, annotators: list[str], column: str, article: Article) -> tuple[np.ndarray, ...]:
    """The word-token table as numbers: ``codes[word, annotator]`` indexes ``labels`` (-1: missing value).

    ``labels[0]`` is :data:`NO_SPAN`, the value of a word none of the annotator's spans covers.
    """
    import numpy as np
    import pandas as pd

    words = article.tokens[article.tokens.is_word]  # in text order, and no two overlap
    n_words, n_annotators = len(words), len(annotators)
    owner = pd.Index(annotators).get_indexer(rows.annotator.to_numpy(dtype=object))
    starts, ends = _offsets(rows.start), _offsets(rows.end)
    values = rows[column].to_numpy(dtype=object).copy()
    values[_missing(rows[column])] = None
    value_codes, labels = pd.factorize(np.concatenate([np.array([NO_SPAN], dtype=object), values]))
    value_codes = value_codes[1:]
    # The words a span covers (start >= span start, end <= span end) are one run: first to last.
    first = np.searchsorted(words.start.to_numpy(), starts, side="left")
    last = np.searchsorted(words.end.to_numpy(), ends, side="right")
    n_covered = np.maximum(last - first, 0)
    # The shortest span covering a word wins (the most precise reading); among spans of one length, the one
    # first in the frame. Rank 0 is the span that wins over every other.
    priority = np.lexsort((np.arange(len(starts)), ends - starts))
    rank = np.empty(len(starts), dtype=np.int64)
    rank[priority] = np.arange(len(starts))
    span = np.repeat(np.arange(len(starts)), n_covered)
    word = first[span] + np.arange(len(span)) - np.repeat(np.cumsum(n_covered) - n_covered, n_covered)
    cell = word * n_annotators + owner[span]
    best = np.full(n_words * n_annotators, len(starts), dtype=np.int64)
    np.minimum.at(best, cell, rank[span])
    codes = np.zeros(n_words * n_annotators, dtype=np.int64)  # 0: NO_SPAN
    covered = np.flatnonzero(best < len(starts))
    codes[covered] = value_codes[priority[best[covered]]]
    return codes.reshape(n_words, n_annotators), np.asarray(labels, dtype=object)


def _token_table(codes: np.ndarray, labels: np.ndarray, annotators: list[str], article: Article) -> pd.DataFrame:
    import numpy as np
    import pandas as pd

    words = article.tokens[article.tokens.is_word]
    table = np.append(labels, pd.NA)[codes]  # code -1 picks the last: pd.NA
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
    return _units(annotations, article=article, layer=layer, attribute=attribute).table


class _Units(NamedTuple):
    """What :func:`units_from_annotations` computes on the way, for :func:`annotkit.agreement` to reuse."""

    table: pd.DataFrame
    rows: pd.DataFrame  # the annotations compared: on this article and layer, not orphaned
    column: str  # the column compared
    coded: tuple[np.ndarray, np.ndarray] | None  # for span layers: the table as numbers (see _span_codes)


def _units(annotations: pd.DataFrame, *, article: Article, layer: str, attribute: str | None) -> _Units:
    column = _check_annotations(annotations, layer, attribute)
    rows = _annotations_for(annotations, article)
    annotators = sorted(set(_values(rows.annotator)))
    on_layer = _on_layer(rows, layer)
    if layer == "perspective":
        return _Units(_perspective_units(on_layer, annotators, column), on_layer, column, None)
    codes, labels = _span_codes(on_layer, annotators, column, article)
    return _Units(_token_table(codes, labels, annotators, article), on_layer, column, (codes, labels))
