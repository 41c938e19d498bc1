"""The shape of annotations: one tidy DataFrame row per annotation, the same for a student, a class and a key.

Every module that reads or writes annotations (the store, submissions, scoring, agreement, exchange formats)
uses these columns, so a frame from one can go straight into another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ATTRIBUTE_COLUMNS",
    "BASE_COLUMNS",
    "JOURNALIST",
    "KEY_COLUMNS",
    "LAYERS",
    "SPAN_LAYERS",
    "annotations_frame",
    "empty_annotations",
    "frame_from_columns",
    "with_article",
]

#: The three layers of the scheme: spans for actors and claims, records about an actor for perspectives.
LAYERS = ("actor", "claim", "perspective")
#: The layers whose annotations are spans of text.
SPAN_LAYERS = ("actor", "claim")
#: What ``said_by`` holds for the writer's own assertions.
JOURNALIST = "the journalist"


def with_article(noun: str) -> str:
    """``"a claim"``, ``"an actor"``: the noun with its indefinite article, for messages.

    >>> with_article("actor"), with_article("claim")
    ('an actor', 'a claim')
    """
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


#: Columns every annotation frame has, in order.
#: ``start``/``end`` are half-open code-point offsets into ``Article.text`` (``<NA>`` for perspectives, which
#: are about an actor entity rather than a span); ``text`` is ``article.text[start:end]``; ``prefix`` and
#: ``suffix`` are up to 32 characters of context, so an annotation can be re-anchored when the text changes;
#: ``status`` is ``"ok"`` or ``"orphaned"``; ``created``/``modified`` are ISO 8601 UTC timestamps.
BASE_COLUMNS = (
    "annotation_id",
    "article_id",
    "annotator",
    "layer",
    "label",
    "start",
    "end",
    "text",
    "prefix",
    "suffix",
    "status",
    "created",
    "modified",
)

#: One column per attribute of the default scheme, after the base columns. ``evidence`` holds claim
#: annotation ids separated by ";". Attributes a layer does not have are ``<NA>``.
ATTRIBUTE_COLUMNS = (
    "entity",
    "affiliation",
    "identification",
    "said_by",
    "form",
    "claim_type",
    "checkable",
    "stance",
    "frame",
    "rationale",
    "evidence",
)

#: Extra columns of an answer key: ``debatable`` (reasonable readers differ; score leniently) and ``note``
#: (why, in words a teacher can read out).
KEY_COLUMNS = ("debatable", "note")


def frame_from_columns(data: Mapping[str, list[Any]], *, dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """An annotation frame from one list of values per column: ``start``/``end`` as Int64, the rest as text.

    ``dtypes`` overrides a column's type (an answer key's ``debatable`` is ``bool``).
    """
    import pandas as pd

    types = {"start": "Int64", "end": "Int64", **(dtypes or {})}
    return pd.DataFrame({c: pd.array(values, dtype=types.get(c, "string")) for c, values in data.items()})


def annotations_frame(
    rows: Iterable[Mapping[str, Any]], *, extra: tuple[str, ...] = (), dtypes: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """An annotation frame from rows (dicts): exactly the documented columns, in order, plus ``extra``.

    A column a row does not have is ``<NA>``.

    >>> frame = annotations_frame([{"annotation_id": "a1", "layer": "actor", "start": 3, "end": 8}])
    >>> frame[["layer", "start", "entity"]].astype(object).values.tolist(), str(frame["start"].dtype)
    ([['actor', 3, <NA>]], 'Int64')
    """
    rows = list(rows)
    columns = (*BASE_COLUMNS, *ATTRIBUTE_COLUMNS, *extra)
    return frame_from_columns({c: [row.get(c) for row in rows] for c in columns}, dtypes=dtypes)


def empty_annotations(*, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """An annotation frame with no rows and every documented column.

    >>> list(empty_annotations().columns[:5])
    ['annotation_id', 'article_id', 'annotator', 'layer', 'label']
    """
    return annotations_frame([], extra=extra)
