"""Anchoring imported rows in the article (with :mod:`annotkit.anchoring`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..anchoring import anchor
from ..errors import FormatError
from ._rows import Row, context

if TYPE_CHECKING:
    from ..article import Article

__all__ = ["anchor_rows"]


def anchor_rows(rows: list[Row], article: Article, path: Path) -> list[Row]:
    """Anchor rows read from a csv, jsonl or W3C file in ``article``, marking spans not found as orphaned.

    Rows already orphaned are kept as they are. A file made for another article is accepted when its spans
    can be found in this one (a corrected typo changes an article's id), and refused when none can.
    """
    ids = sorted({r["article_id"] for r in rows} - {None})
    if len(ids) > 1:
        msg = (
            f"{path.name} holds annotations of {len(ids)} articles ({', '.join(ids)}). "
            "Import needs one article's annotations per file: export them one article at a time."
        )
        raise FormatError(msg)
    spans = found = 0
    for row in rows:
        row["article_id"] = article.article_id
        if row["text"] is None or row["status"] == "orphaned":
            continue
        spans += 1
        where = anchor(
            article.text,
            start=row["start"],
            end=row["end"],
            exact=row["text"],
            prefix=row["prefix"] or "",
            suffix=row["suffix"] or "",
        )
        if where is None:
            row.update(start=None, end=None, status="orphaned")
            continue
        found += 1
        if where != (row["start"], row["end"]) or row["prefix"] is None or row["suffix"] is None:
            row["prefix"], row["suffix"] = context(article.text, *where)
        row["start"], row["end"] = where
        row["status"] = "ok"
    if ids and ids != [article.article_id] and found == 0:
        why = f"none of its {spans} span(s) are in this article's text" if spans else "it has no spans to check"
        msg = (
            f"{path.name} was made for article {ids[0]}, not for this article ({article.article_id}), and {why}. "
            "Import it with the article it was made for."
        )
        raise FormatError(msg)
    return rows
