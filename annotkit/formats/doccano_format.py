"""doccano's sequence-labelling JSONL: one line per article, ``{"text": ..., "label": [[start, end, tag], ...]}``.

doccano itself holds only spans and their labels. The tag is the label, with claim-layer labels other than
``claim`` written ``claim-<label>`` (``other`` and ``unsure`` are labels of both span layers). Offsets are
code points (Python characters), as doccano's JSONL import and export count them.

Everything else rides in one extra key, ``"annotkit"``, which doccano keeps as the example's metadata::

    "annotkit": {"article_id": "...",
                 "annotations": [{"annotation_id": ..., "annotator": ..., "layer": ..., "label": ...,
                                  "start": ..., "end": ..., "created": ..., "modified": ...,
                                  <every attribute>}, ...]}

Perspectives live only there (doccano has no place for an annotation that is not a span). On import the
``label`` list is the truth about spans: each ``[start, end, tag]`` takes the ids and attributes of the first
unused ``annotkit`` entry with the same offsets and tag. A span added in doccano has no entry, so it gets the
id ``doccano-<article_id>-<n>`` (its place in the ``label`` list) and no attributes; an entry whose span was
deleted in doccano is dropped. Evidence that points at a deleted claim is kept as it is.

What a file written here keeps: everything (orphaned annotations are left out, with a warning). What doccano
cannot hold on its own: attributes, speakers, perspectives, ids, annotators and times; they survive only as
long as the ``annotkit`` key does.

Import uses the line whose ``text`` is this article's text, and refuses a file with none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import FormatError
from ._rows import (
    COLUMNS,
    Row,
    generated_id,
    is_span,
    json_kind,
    label_tag,
    load_json,
    read_tag,
    read_text,
    span_row,
    warn_left_out,
    write_text,
)

if TYPE_CHECKING:
    from ..article import Article

__all__ = ["read", "write"]

#: Columns the doccano line itself holds, or that are worked out again on import.
DERIVED = ("article_id", "text", "prefix", "suffix", "status")
KEPT = tuple(c for c in COLUMNS if c not in DERIVED)


def write(rows: list[Row], path: Path, article: Article) -> Path:
    """Write rows as one doccano JSONL line."""
    kept = [r for r in rows if is_span(r) or r["layer"] == "perspective"]
    line = {
        "text": article.text,
        "label": [[r["start"], r["end"], label_tag(r["layer"], r["label"])] for r in kept if is_span(r)],
        "annotkit": {
            "article_id": article.article_id,
            "annotations": [{c: r[c] for c in KEPT if r[c] is not None} for r in kept],
        },
    }
    write_text(path, json.dumps(line, ensure_ascii=False) + "\n")
    orphans = [r["annotation_id"] or "(no id)" for r in rows if not (is_span(r) or r["layer"] == "perspective")]
    warn_left_out(path, orphans, "they are not anchored in the text (doccano needs offsets)")
    return path


def read(path: Path, article: Article) -> list[Row]:
    """Read rows from doccano JSONL, checked against ``article``."""
    rows: list[Row] = []
    matched = False
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path.name}, line {number}"
        example = load_json(line, path, line=number)
        if not isinstance(example, dict) or not isinstance(example.get("text"), str):
            msg = f'{where} holds {json_kind(example)}, not a doccano example ({{"text": ..., "label": [...]}}).'
            raise FormatError(msg)
        if example["text"] == article.text:
            matched = True
            rows += _read_example(example, where, article)
    if not matched:
        msg = (
            f"{path.name} has no line with this article's text ({article.article_id}). "
            "Import it with the article it was annotated on."
        )
        raise FormatError(msg)
    return rows


def _read_example(example: dict[str, Any], where: str, article: Article) -> list[Row]:
    extra = example.get("annotkit")
    entries = extra.get("annotations") if isinstance(extra, dict) else None
    entries = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    spans = example.get("label", [])
    if not isinstance(spans, list):
        msg = f'{where}: "label" is {json_kind(spans)}; doccano keeps spans as a list of [start, end, label].'
        raise FormatError(msg)
    used: set[int] = set()
    rows = [_span(item, n, where, article, entries, used) for n, item in enumerate(spans, start=1)]
    for entry in entries:
        if entry.get("layer") == "perspective":
            row = _known(entry) | {"article_id": article.article_id, "status": "ok"}
            rows.append({c: row.get(c) for c in COLUMNS})
    return rows


def _span(item: Any, number: int, where: str, article: Article, entries: list[dict[str, Any]], used: set[int]) -> Row:
    ok = isinstance(item, list) and len(item) == 3 and isinstance(item[2], str)
    ok = ok and all(isinstance(x, int) and not isinstance(x, bool) for x in item[:2])
    if not ok or not 0 <= item[0] < item[1] <= len(article.text):
        msg = (
            f"{where}: span {number} is {json.dumps(item)}; doccano spans are [start, end, label] inside the "
            f"article (0 to {len(article.text)}). Is this the article it was annotated on?"
        )
        raise FormatError(msg)
    start, end, tag = item
    layer, label = read_tag(tag)
    fields: dict[str, Any] = {"annotation_id": generated_id("doccano", article, number)}
    for n, entry in enumerate(entries):
        same = (entry.get("start"), entry.get("end"), entry.get("layer"), entry.get("label"))
        if n not in used and same == (start, end, layer, label):
            used.add(n)
            fields |= {k: v for k, v in _known(entry).items() if k not in ("layer", "label", "start", "end")}
            break
    return span_row(article, layer=layer, label=label, start=start, end=end, **fields)


def _known(entry: dict[str, Any]) -> dict[str, Any]:
    """The text fields of an annotkit entry that annotkit knows (anything else is ignored)."""
    return {k: v for k, v in entry.items() if k in KEPT and k not in ("start", "end") and isinstance(v, str)}
