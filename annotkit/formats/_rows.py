"""What every format shares: annotation rows as plain dicts, the frame they become, and friendly file handling.

Each format module turns a list of rows (one dict per annotation, keyed by the records columns, with ``None``
for ``<NA>``) into a file and back. Keeping rows plain (no pandas) keeps the format code short and obvious.
The attribute columns are not fixed: they are the scheme's (a teacher's own attribute included), or, for a
frame being exported, the frame's own columns that are not base columns.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import records
from ..anchoring import context
from ..errors import AnnotationError, FormatError, FormatWarning
from ..records import BASE_COLUMNS, LAYERS, SPAN_LAYERS

if TYPE_CHECKING:
    import pandas as pd

    from ..article import Article

__all__ = [
    "BASE_COLUMNS",
    "SPAN_LAYERS",
    "Problems",
    "Row",
    "attribute_columns",
    "blank_row",
    "context",
    "frame_from_rows",
    "generated_id",
    "is_span",
    "json_kind",
    "label_tag",
    "load_json",
    "nearest_mention",
    "read_tag",
    "read_text",
    "rows_from_frame",
    "span_row",
    "warn_left_out",
    "write_text",
]

#: One annotation: column -> ``str``, ``int`` (start/end) or ``None`` for ``<NA>``.
Row = dict[str, Any]


def attribute_columns(columns: Iterable[str]) -> tuple[str, ...]:
    """The attribute columns among a frame's columns: every column that is not a base or key column.

    >>> attribute_columns(["annotation_id", "layer", "entity", "gender", "debatable"])
    ('entity', 'gender')
    """
    return records.attribute_columns(columns)


def _plain(value: Any, column: str) -> Any:
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if column in ("start", "end"):
        return int(value)
    return str(value)


def rows_from_frame(annotations: pd.DataFrame, article: Article) -> tuple[list[Row], tuple[str, ...]]:
    """Check an annotation frame against the article; return its rows and its attribute columns."""
    import pandas as pd

    if not isinstance(annotations, pd.DataFrame):
        msg = (
            f"export needs the annotations as a DataFrame, not {type(annotations).__name__}. "
            "Get one from your annotation store, or start from annotkit.records.empty_annotations()."
        )
        raise AnnotationError(msg)
    optional = ("note", "origin")  # frames made before annotkit 0.2 have neither, and are still welcome
    missing = [c for c in BASE_COLUMNS if c not in annotations.columns and c not in optional]
    if missing:
        msg = (
            f"The annotations have no {', '.join(missing)} column(s). Every annotation frame has the columns "
            "of annotkit.records.empty_annotations(); add the missing ones (empty is fine)."
        )
        raise AnnotationError(msg)
    attributes = attribute_columns(annotations.columns)
    present = [c for c in (*BASE_COLUMNS, *attributes) if c in annotations.columns]
    rows = []
    for record in annotations[present].to_dict("records"):
        row = blank_row(attributes)
        row.update({c: _plain(record[c], c) for c in present})
        rows.append(row)
    others = sorted({r["article_id"] for r in rows} - {None, article.article_id})
    if others:
        msg = (
            f"Some annotations belong to article {', '.join(others)}, not to this article ({article.article_id}). "
            "Export one article at a time: annotations[annotations.article_id == article.article_id]."
        )
        raise AnnotationError(msg)
    for row in rows:
        row["article_id"] = article.article_id
        _check_row(row, article)
    return rows, attributes


def _check_row(row: Row, article: Article) -> None:
    name = row["annotation_id"] or "(no id)"
    if row["layer"] not in LAYERS:
        msg = f"Annotation {name} has layer {row['layer']!r}. The layers are: {', '.join(LAYERS)}."
        raise AnnotationError(msg)
    start, end = row["start"], row["end"]
    if (start is None) != (end is None):
        msg = f"Annotation {name} has a start but no end (or an end but no start). Give both, or neither."
        raise AnnotationError(msg)
    # An orphaned annotation's offsets no longer point at its words, so only "ok" spans must fit the text.
    if start is None or row["status"] == "orphaned":
        return
    if not 0 <= start < end <= len(article.text):
        msg = (
            f"Annotation {name} runs from {start} to {end}, outside this article's text "
            f"(0 to {len(article.text)}). Is it an annotation of another article?"
        )
        raise AnnotationError(msg)
    if row["text"] != article.text[start:end]:
        msg = (
            f"Annotation {name} says its text is {row['text']!r}, but the article has "
            f"{article.text[start:end]!r} at {start}-{end}. Re-anchor it, or fix its start and end."
        )
        raise AnnotationError(msg)


def frame_from_rows(rows: Sequence[Row], attributes: Sequence[str]) -> pd.DataFrame:
    """The annotation frame of imported rows: base columns, ``attributes``, then any other attribute a row has.

    A teacher's own attribute found in a file is kept as a column even when the scheme given does not name it,
    so nothing in the file is lost.
    """
    from ..records import frame_from_columns

    extra: list[str] = []
    for row in rows:
        extra += [k for k in row if k not in BASE_COLUMNS and k not in attributes and k not in extra]
    columns = (*BASE_COLUMNS, *attributes, *extra)
    return frame_from_columns({c: [row.get(c) for row in rows] for c in columns})


def blank_row(attributes: Iterable[str] = ()) -> Row:
    """A row with every base column and every attribute empty."""
    return dict.fromkeys((*BASE_COLUMNS, *attributes))


def is_span(row: Row) -> bool:
    """Whether a row is an anchored actor or claim span that offset-based formats can hold."""
    return row["layer"] in SPAN_LAYERS and row["start"] is not None and row["status"] != "orphaned"


def span_row(article: Article, *, layer: str, label: str, start: int, end: int, **fields: Any) -> Row:
    """A row for a span read from a file whose offsets were checked against ``article``."""
    prefix, suffix = context(article.text, start, end)
    row: Row = blank_row()
    row.update(
        article_id=article.article_id,
        layer=layer,
        label=label,
        start=start,
        end=end,
        text=article.text[start:end],
        prefix=prefix,
        suffix=suffix,
        status="ok",
    )
    row.update(fields)
    return row


def generated_id(format: str, article: Article, key: object) -> str:
    """A stable id for an annotation read from a format that cannot hold annotkit's ids.

    The same file gives the same ids on every import, so re-importing does not make duplicates.
    """
    return f"{format}-{article.article_id}-{key}"


# "other" and "unsure" are labels of both span layers, so tools that only know a label (brat, Label Studio,
# doccano) get the layer in it too: claim-layer labels other than "claim" are written "claim-<label>".
def label_tag(layer: str, label: str) -> str:
    """The one word that names a span's layer and label in brat, Label Studio and doccano.

    >>> label_tag("actor", "official"), label_tag("claim", "claim"), label_tag("claim", "unsure")
    ('official', 'claim', 'claim-unsure')
    """
    if layer == "claim":
        return "claim" if label == "claim" else f"claim-{label}"
    if label == "claim" or label.startswith(("claim-", "actor-")):
        return f"actor-{label}"  # an actor label that would read as a claim; never in the default scheme
    return label


def read_tag(tag: str) -> tuple[str, str]:
    """The layer and label of a tag written by :func:`label_tag`."""
    if tag == "claim":
        return "claim", "claim"
    for layer in SPAN_LAYERS:
        if tag.startswith(f"{layer}-"):
            return layer, tag[len(layer) + 1 :]
    return "actor", tag


def nearest_mention(rows: Sequence[Row], entity: str | None, near: int | None = None) -> Row | None:
    """The actor mention of ``entity`` that a claim at ``near`` was most likely said by, or its first mention.

    The speaker of a quotation is usually named just before it or in the same sentence, so the mention chosen is
    the closest one that starts before ``near``, else the closest after it. Without ``near`` (a perspective,
    which is about the actor as a whole) it is the entity's first mention.
    """
    mentions = sorted(
        (r for r in rows if is_span(r) and r["layer"] == "actor" and entity is not None and r.get("entity") == entity),
        key=lambda r: (r["start"], r["end"]),
    )
    if not mentions or near is None:
        return mentions[0] if mentions else None
    before = [r for r in mentions if r["start"] < near]
    if before:
        return before[-1]
    return mentions[0]


class Problems:
    """What went wrong in one file, by region or line, gathered so the import warns once instead of failing.

    Each problem is a short text naming where it is and what is wrong; :meth:`warn` gives one
    :class:`FormatWarning` for the whole file, listing them all.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, problem: str) -> None:
        """Remember one problem (``"region c3: ..."``)."""
        self.items.append(problem)

    def __len__(self) -> int:
        return len(self.items)

    def warn(self, *, stacklevel: int = 4) -> None:
        """Warn once about every problem remembered, if there is any."""
        if not self.items:
            return
        listed = "; ".join(self.items)
        count = f"{len(self.items)} problem{'s' if len(self.items) > 1 else ''}"
        warnings.warn(
            f"{self.path.name}: {count}, the rest of the file was imported. {listed}",
            FormatWarning,
            stacklevel=stacklevel,
        )


def warn_left_out(path: Path, left_out: list[str], why: str) -> None:
    """Warn once, naming every annotation a format could not hold."""
    if left_out:
        warnings.warn(
            f"{len(left_out)} annotation(s) were left out of {path.name} because {why}: {', '.join(left_out)}.",
            FormatWarning,
            stacklevel=4,
        )


def read_text(path: Path) -> str:
    """A file's text, exactly (no newline translation, so offsets stay right), or a FormatError."""
    if not path.exists():
        msg = f"No file at '{path}'. Check the path (it is relative to {Path.cwd()})."
        raise FormatError(msg)
    if not path.is_file():
        msg = f"'{path}' is a folder, not a file. Give the path of the annotation file inside it."
        raise FormatError(msg)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        msg = f"{path.name} is not UTF-8 text (byte {error.start} cannot be read). Save it as UTF-8 and try again."
        raise FormatError(msg) from None
    # Spreadsheet programs like to start UTF-8 files with a byte-order mark; it is not part of the content.
    return text.removeprefix("\ufeff")


def json_kind(value: Any) -> str:
    """How JSON calls the type of a parsed value, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list ([...])" if isinstance(value, list) else "an object ({...})"


def load_json(text: str, path: Path, *, line: int | None = None) -> Any:
    """Parse JSON, turning a parse error into a FormatError that names the file and the place.

    ``line`` is the line number in the file when ``text`` is one line of a JSON Lines file.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        place = f"line {line or error.lineno}, column {error.colno}"
        msg = f"{path.name} is not valid JSON: {error.msg} ({place}). Was it changed by hand, or cut short?"
        raise FormatError(msg) from None


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text exactly as given (no newline translation)."""
    path.write_bytes(text.encode("utf-8"))
