"""JSON Lines: one JSON object per annotation, one annotation per line, every column (``null`` for NA).

What it keeps: everything, exactly, a teacher's own attributes included. Attribute keys may be missing (read
as ``<NA>``), base keys may not (``note`` and ``origin`` excepted: files written before annotkit 0.2 have
none); an answer key's ``debatable`` is ignored.

On import every span is checked against the article and re-anchored if its words moved (see ``_anchor``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FormatError
from ._anchor import anchor_rows
from ._rows import BASE_COLUMNS, Row, attribute_columns, json_kind, load_json, read_text, write_text

if TYPE_CHECKING:
    from ..article import Article
    from ._api import Setup

#: Base columns a line may lack: files written before annotkit 0.2 had no note or origin.
OPTIONAL = ("note", "origin")

__all__ = ["read", "write"]


def write(rows: list[Row], path: Path, article: Article, setup: Setup) -> Path:
    """Write rows as JSON Lines."""
    columns = (*BASE_COLUMNS, *setup.attributes)
    lines = [json.dumps({c: row.get(c) for c in columns}, ensure_ascii=False) + "\n" for row in rows]
    write_text(path, "".join(lines))
    return path


def read(path: Path, article: Article, setup: Setup) -> list[Row]:
    """Read rows from JSON Lines, anchored in ``article``."""
    rows = []
    # Split on "\n" only: str.splitlines() would also split at U+2028 and friends, which JSON keeps in strings.
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if line.strip():
            rows.append(_row(load_json(line, path, line=number), f"{path.name}, line {number}"))
    return anchor_rows(rows, article, path)


def _row(record: Any, where: str) -> Row:
    if not isinstance(record, dict):
        msg = f"{where} holds {json_kind(record)}, not an object ({{...}}). Each line must hold one annotation."
        raise FormatError(msg)
    missing = [c for c in BASE_COLUMNS if c not in record and c not in OPTIONAL]
    if missing:
        msg = f"{where} has no {', '.join(missing)}. Each annotation needs every column of annotkit.records."
        raise FormatError(msg)
    row: Row = {}
    for column in (*BASE_COLUMNS, *attribute_columns(record)):
        value = record.get(column)
        if column in ("start", "end"):
            ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
            wanted = "a whole number or null"
        else:
            ok = value is None or isinstance(value, str)
            wanted = "text or null"
        if not ok:
            msg = f"{where}: {column} is {json_kind(value)} ({json.dumps(value)}), but it should be {wanted}."
            raise FormatError(msg)
        row[column] = value
    if "origin" not in record:  # written by annotkit 0.1, before annotations said how they were made
        row["origin"] = "python"
    return row
