"""CSV: one row per annotation, every base column and every attribute column, UTF-8 with a header line.

What it keeps: everything, exactly, a teacher's own attributes included, except that an empty text value and
``<NA>`` are the same empty cell (both read back as ``<NA>``). An answer key's ``debatable`` column is not
written, and ignored when read. A byte-order mark added by a spreadsheet is ignored.

On import every span is checked against the article and re-anchored if its words moved (see ``_anchor``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import FormatError
from ._anchor import anchor_rows
from ._rows import BASE_COLUMNS, Row, attribute_columns, read_text, write_text

if TYPE_CHECKING:
    from ..article import Article
    from ._api import Setup

#: Base columns a file may lack: files written before annotkit 0.2 had no note or origin.
OPTIONAL = ("note", "origin")

__all__ = ["read", "write"]


def write(rows: list[Row], path: Path, article: Article, setup: Setup) -> Path:
    """Write rows as CSV."""
    columns = (*BASE_COLUMNS, *setup.attributes)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(["" if row.get(c) is None else row[c] for c in columns] for row in rows)
    write_text(path, buffer.getvalue())
    return path


def _offset(value: str, column: str, where: str) -> int | None:
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        msg = (
            f"{where}: {column} is {value!r}, not a whole number. "
            "Offsets count characters from the start of the article (0, 1, 2 ...)."
        )
        raise FormatError(msg) from None


def read(path: Path, article: Article, setup: Setup) -> list[Row]:
    """Read rows from CSV, anchored in ``article``."""
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = next(reader, None)
        if header is None:
            msg = f"{path.name} is empty. A CSV of annotations starts with a header line naming its columns."
            raise FormatError(msg)
        missing = [c for c in BASE_COLUMNS if c not in header and c not in OPTIONAL]
        if missing:
            msg = (
                f"{path.name} has no {', '.join(missing)} column(s), so it is not an annotkit CSV of annotations. "
                f"Its header is: {', '.join(header)}."
            )
            raise FormatError(msg)
        rows = [_row(values, header, f"{path.name}, line {reader.line_num}") for values in reader if values]
    except csv.Error as error:
        msg = f"{path.name} is not a readable CSV file (line {reader.line_num}: {error})."
        raise FormatError(msg) from None
    return anchor_rows(rows, article, path)


def _row(values: list[str], header: list[str], where: str) -> Row:
    if len(values) != len(header):
        msg = f"{where} has {len(values)} values, but the header has {len(header)} columns. Is a comma missing?"
        raise FormatError(msg)
    record = dict(zip(header, values, strict=True))
    row: Row = {c: record.get(c) or None for c in (*BASE_COLUMNS, *attribute_columns(header))}
    if "origin" not in record:  # written by annotkit 0.1, which made every annotation through code or a widget
        row["origin"] = "python"
    row["start"] = _offset(record["start"], "start", where)
    row["end"] = _offset(record["end"], "end", where)
    return row
