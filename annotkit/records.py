"""The shape of annotations: one tidy DataFrame row per annotation, the same for a student, a class and a key.

Every module that reads or writes annotations (the store, submissions, scoring, agreement, exchange formats)
uses these columns, so a frame from one can go straight into another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BASE_COLUMNS",
    "EXTRA_COLUMNS",
    "JOURNALIST",
    "KEY_COLUMNS",
    "LAYERS",
    "ORIGINS",
    "SPAN_LAYERS",
    "annotations_frame",
    "attribute_columns",
    "default_attributes",
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


#: Columns every annotation frame has, in order, before the scheme's attributes.
#: ``start``/``end`` are half-open code-point offsets into ``Article.text`` (``<NA>`` for perspectives, which
#: are about an actor entity rather than a span); ``text`` is ``article.text[start:end]``; ``prefix`` and
#: ``suffix`` are up to 32 characters of context, so an annotation can be re-anchored when the text changes;
#: ``status`` is ``"ok"`` or ``"orphaned"``; ``note`` is the annotator's own note on it (a student's "why", or the
#: teacher's explanation in an answer key); ``origin`` says how it was made: ``"browser"`` (by hand in a widget)
#: or ``"python"`` (by code); ``created``/``modified`` are ISO 8601 UTC timestamps.
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
    "note",
    "origin",
    "created",
    "modified",
)

#: How an annotation was made: by hand in a widget, or by code (a notebook cell, a script, a test).
ORIGINS = ("browser", "python")

#: Extra column of an answer key: ``debatable`` (reasonable readers differ; score leniently). The key's
#: explanation of each item is its ``note``, like anybody's note.
KEY_COLUMNS = ("debatable",)

#: Columns that frames built from annotations may add after the attributes (``submission``: the file an
#: annotation was read from).
EXTRA_COLUMNS = (*KEY_COLUMNS, "submission")


def default_attributes() -> tuple[str, ...]:
    """The attribute columns of the course's scheme, for frames built without a scheme at hand.

    >>> default_attributes()[:3]
    ('entity', 'affiliation', 'identification')
    """
    from .scheme import default_scheme

    return default_scheme().attribute_names


def attribute_columns(columns: Iterable[str]) -> tuple[str, ...]:
    """The attribute columns among a frame's columns: every column that is not a base or extra column.

    >>> attribute_columns(["annotation_id", "layer", "entity", "gender", "debatable"])
    ('entity', 'gender')
    """
    known = {*BASE_COLUMNS, *EXTRA_COLUMNS}
    return tuple(c for c in columns if c not in known)


def frame_from_columns(data: Mapping[str, list[Any]], *, dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """An annotation frame from one list of values per column: ``start``/``end`` as Int64, the rest as text.

    ``dtypes`` overrides a column's type (an answer key's ``debatable`` is ``bool``).
    """
    import pandas as pd

    types = {"start": "Int64", "end": "Int64", **(dtypes or {})}
    return pd.DataFrame({c: pd.array(values, dtype=types.get(c, "string")) for c, values in data.items()})


def annotations_frame(
    rows: Iterable[Mapping[str, Any]],
    *,
    attributes: Sequence[str] | None = None,
    extra: tuple[str, ...] = (),
    dtypes: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """An annotation frame from rows (dicts): the base columns, the attributes, then ``extra``, in order.

    ``attributes`` are the scheme's attribute names (``scheme.attribute_names``); by default the course
    scheme's, followed by any other attribute a row has, so a teacher's own attribute is never dropped. A column
    a row does not have is ``<NA>``.

    >>> frame = annotations_frame([{"annotation_id": "a1", "layer": "actor", "start": 3, "end": 8, "gender": "f"}])
    >>> frame[["layer", "start", "entity", "gender"]].astype(object).values.tolist(), str(frame["start"].dtype)
    ([['actor', 3, <NA>, 'f']], 'Int64')
    """
    rows = list(rows)
    if attributes is None:
        attributes = default_attributes()
        seen = {*BASE_COLUMNS, *attributes, *extra}
        others = dict.fromkeys(k for row in rows for k in row if k not in seen)
        attributes = (*attributes, *others)
    columns = (*BASE_COLUMNS, *attributes, *extra)
    return frame_from_columns({c: [row.get(c) for row in rows] for c in columns}, dtypes=dtypes)


def empty_annotations(*, attributes: Sequence[str] | None = None, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """An annotation frame with no rows and every column (the course scheme's attributes by default).

    >>> list(empty_annotations().columns[:5])
    ['annotation_id', 'article_id', 'annotator', 'layer', 'label']
    """
    return annotations_frame([], attributes=attributes, extra=extra)
