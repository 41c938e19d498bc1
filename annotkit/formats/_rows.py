"""What every format shares: annotation rows as plain dicts, the frame they become, and friendly file handling.

Each format module turns a list of rows (one dict per annotation, keyed by the records columns, with ``None``
for ``<NA>``) into a file and back. Keeping rows plain (no pandas) keeps the format code short and obvious.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..anchoring import context
from ..errors import AnnotationError, AnnotkitWarning, FormatError
from ..records import BASE_COLUMNS, LAYERS, SPAN_LAYERS, default_attributes

if TYPE_CHECKING:
    import pandas as pd

    from ..article import Article

__all__ = [
    "COLUMNS",
    "SPAN_LAYERS",
    "Row",
    "context",
    "first_mentions",
    "generated_id",
    "is_span",
    "json_kind",
    "label_tag",
    "load_json",
    "read_tag",
    "read_text",
    "rows_from_frame",
    "span_row",
    "warn_left_out",
    "write_text",
]

#: One annotation: records column -> ``str``, ``int`` (start/end) or ``None`` for ``<NA>``.
Row = dict[str, Any]

#: The columns a row has: the base columns and the course scheme's attributes.
COLUMNS = (*BASE_COLUMNS, *default_attributes())


def _plain(value: Any, column: str) -> Any:
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if column in ("start", "end"):
        return int(value)
    return str(value)


def rows_from_frame(annotations: pd.DataFrame, article: Article) -> list[Row]:
    """Check an annotation frame against the article and return its rows, ready for a format to write."""
    import pandas as pd

    if not isinstance(annotations, pd.DataFrame):
        msg = (
            f"export needs the annotations as a DataFrame, not {type(annotations).__name__}. "
            "Get one from your annotation store, or start from annotkit.records.empty_annotations()."
        )
        raise AnnotationError(msg)
    missing = [c for c in COLUMNS if c not in annotations.columns]
    if missing:
        msg = (
            f"The annotations have no {', '.join(missing)} column(s). Every annotation frame has the columns "
            "of annotkit.records.empty_annotations(); add the missing ones (empty is fine)."
        )
        raise AnnotationError(msg)
    rows = [{c: _plain(r[c], c) for c in COLUMNS} for r in annotations[list(COLUMNS)].to_dict("records")]
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
    return rows


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


def is_span(row: Row) -> bool:
    """Whether a row is an anchored actor or claim span that offset-based formats can hold."""
    return row["layer"] in SPAN_LAYERS and row["start"] is not None and row["status"] != "orphaned"


def span_row(article: Article, *, layer: str, label: str, start: int, end: int, **fields: Any) -> Row:
    """A row for a span read from a file whose offsets were checked against ``article``."""
    prefix, suffix = context(article.text, start, end)
    row: Row = dict.fromkeys(COLUMNS)
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
    """The one word that names a span's layer and label in brat, Label Studio and doccano."""
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


def first_mentions(rows: list[Row]) -> dict[str, Row]:
    """Each actor entity's first mention in the text: where a claim's speaker or a perspective is attached."""
    mentions: dict[str, Row] = {}
    for row in sorted((r for r in rows if is_span(r) and r["layer"] == "actor"), key=lambda r: r["start"]):
        if row["entity"] is not None:
            mentions.setdefault(row["entity"], row)
    return mentions


def warn_left_out(path: Path, left_out: list[str], why: str) -> None:
    """Warn once, naming every annotation a format could not hold."""
    if left_out:
        warnings.warn(
            f"{len(left_out)} annotation(s) were left out of {path.name} because {why}: {', '.join(left_out)}.",
            AnnotkitWarning,
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
