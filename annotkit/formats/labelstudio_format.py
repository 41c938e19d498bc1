"""Label Studio's JSON export: a list of tasks, each the article text with its annotations.

One task per file: ``{"data": {"text": article.text, "article_id": ..., "title": ...}, "annotations":
[...]}``, with one Label Studio annotation per annotator. Its ``result`` list holds, per span (region):

- ``{"type": "labels", "from_name": "label", "to_name": "text", "id": <annotation_id>,
  "value": {"start", "end", "text", "labels": [<tag>]}}``; the tag is the label, with claim-layer labels
  other than ``claim`` written ``claim-<label>`` (``other`` and ``unsure`` are labels of both span layers);
- one result per attribute with the same ``id`` and offsets: ``"type": "choices"`` with
  ``"value": {"start", "end", "choices": [value]}`` for choice attributes, ``"type": "textarea"`` with
  ``"value": {"start", "end", "text": [value]}`` for free text (``entity``, ``said_by``, ``rationale``,
  ``evidence``), the attribute's name as ``from_name``;
- ``{"type": "relation", "from_id": <claim>, "to_id": <actor>, "direction": "right", "labels": ["said_by"]}``
  from each claim to the first mention (by the same annotator) of the entity in its ``said_by``.

A perspective is not a region: its results have an ``id`` of their own and no offsets (task-level choices and
text areas), with its label as a ``choices`` result from ``label``. Label Studio's editor shows one value per
control, so edit several perspectives in annotkit rather than in Label Studio.

Offsets: Label Studio counts in JavaScript's UTF-16 units (an emoji counts two); annotkit converts them to
and from code points here, and refuses an offset that falls inside an emoji.

What it keeps: spans, labels, attributes, speakers (as text and as relations), perspectives, annotation ids
(region ids) and annotators (``"annotkit": {"annotator": ...}`` on each Label Studio annotation; a genuine
Label Studio export's ``completed_by`` is read when that is missing). What it loses: each annotation's own
``created`` and ``modified``: Label Studio keeps one ``created_at``/``updated_at`` per annotator, so they
read back as that annotator's earliest ``created`` and latest ``modified``. Orphaned annotations are left
out, with a warning.

Import uses the tasks whose text is this article's text, and refuses a file with none.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..anchoring import Utf16Offsets
from ..errors import FormatError
from ..records import default_attributes
from ._rows import (
    COLUMNS,
    Row,
    first_mentions,
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

TEXT_ATTRIBUTES = ("entity", "said_by", "rationale", "evidence")


def write(rows: list[Row], path: Path, article: Article) -> Path:
    """Write rows as a Label Studio JSON export with one task."""
    offsets = Utf16Offsets(article.text)
    annotators: dict[str | None, list[Row]] = {}
    for row in rows:
        if row["layer"] == "perspective" or is_span(row):
            annotators.setdefault(row["annotator"], []).append(row)
    annotations = [_annotation(n, who, group, offsets) for n, (who, group) in enumerate(annotators.items(), 1)]
    task = {
        "id": 1,
        "data": {"text": article.text, "article_id": article.article_id, "title": article.title},
        "annotations": annotations,
    }
    write_text(path, json.dumps([task], ensure_ascii=False, indent=2) + "\n")
    kept = {id(r) for group in annotators.values() for r in group}
    orphans = [r["annotation_id"] or "(no id)" for r in rows if id(r) not in kept]
    warn_left_out(path, orphans, "they are not anchored in the text (Label Studio needs offsets)")
    return path


def _annotation(number: int, annotator: str | None, rows: list[Row], offsets: Utf16Offsets) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for n, row in enumerate(rows, start=1):
        region = row["annotation_id"] or f"region-{n}"
        results += _results(row, region, offsets)
    mentions = first_mentions(rows)
    for n, row in enumerate(rows, start=1):
        speaker = mentions.get(row["said_by"]) if row["layer"] == "claim" else None
        if speaker is not None:
            to_id = speaker["annotation_id"] or f"region-{rows.index(speaker) + 1}"
            from_id = row["annotation_id"] or f"region-{n}"
            relation = {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right"}
            results.append({**relation, "labels": ["said_by"]})
    created = sorted(r["created"] for r in rows if r["created"] is not None)
    modified = sorted(r["modified"] for r in rows if r["modified"] is not None)
    annotation: dict[str, Any] = {"id": number, "result": results, "was_cancelled": False, "ground_truth": False}
    if created:
        annotation["created_at"] = created[0]
    if modified:
        annotation["updated_at"] = modified[-1]
    if annotator is not None:
        annotation["annotkit"] = {"annotator": annotator}
    return annotation


def _results(row: Row, region: str, offsets: Utf16Offsets) -> Iterator[dict[str, Any]]:
    where: dict[str, Any] = {}
    if row["layer"] == "perspective":
        yield _result(region, "label", "choices", {"choices": [row["label"] or "perspective"]})
    else:
        where = {"start": offsets.to_utf16(row["start"]), "end": offsets.to_utf16(row["end"])}
        value = {**where, "text": row["text"], "labels": [label_tag(row["layer"], row["label"])]}
        yield _result(region, "label", "labels", value)
    for name in default_attributes():
        if row[name] is None:
            continue
        if name in TEXT_ATTRIBUTES:
            yield _result(region, name, "textarea", {**where, "text": [row[name]]})
        else:
            yield _result(region, name, "choices", {**where, "choices": [row[name]]})


def _result(region: str, from_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": region, "from_name": from_name, "to_name": "text", "type": kind, "value": value}


def read(path: Path, article: Article) -> list[Row]:
    """Read rows from a Label Studio JSON export, checked against ``article``."""
    data = load_json(read_text(path), path)
    tasks = data if isinstance(data, list) else [data]
    mine = [t for t in tasks if isinstance(t, dict) and isinstance(t.get("data"), dict)]
    if len(mine) < len(tasks):
        msg = f'{path.name} is not a Label Studio export: it should be a list of tasks like {{"data": {{...}}}}.'
        raise FormatError(msg)
    mine = [t for t in mine if t["data"].get("text") == article.text]
    if not mine:
        msg = (
            f"{path.name} has no task with this article's text ({article.article_id}). "
            "Import it with the article it was annotated on."
        )
        raise FormatError(msg)
    offsets = Utf16Offsets(article.text)
    rows: list[Row] = []
    for task in mine:
        for number, annotation in enumerate(task.get("annotations") or [], start=1):
            where = f"{path.name}, annotation {number}"
            if not isinstance(annotation, dict) or not isinstance(annotation.get("result", []), list):
                msg = f'{where} is not a Label Studio annotation (an object with a "result" list).'
                raise FormatError(msg)
            rows += _read_annotation(annotation, where, article, offsets)
    return rows


def _annotator(annotation: dict[str, Any]) -> str | None:
    mine = annotation.get("annotkit")
    if isinstance(mine, dict) and isinstance(mine.get("annotator"), str):
        return mine["annotator"]
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    return None if who is None else str(who)


def _read_annotation(annotation: dict[str, Any], where: str, article: Article, offsets: Utf16Offsets) -> list[Row]:
    results = annotation.get("result", [])
    if not all(isinstance(r, dict) for r in results):
        msg = f"{where}: every result must be an object ({{...}})."
        raise FormatError(msg)
    stamps = {k: annotation.get(key) for k, key in (("created", "created_at"), ("modified", "updated_at"))}
    shared = {"annotator": _annotator(annotation), **{k: v for k, v in stamps.items() if isinstance(v, str)}}
    regions: dict[str, Row] = {}
    for number, result in enumerate(results, start=1):
        if result.get("type") == "labels":
            # Label Studio always gives regions an id; one without gets a stable one (and so no attributes)
            region = str(result["id"]) if "id" in result else generated_id("labelstudio", article, number)
            regions[region] = _region(result, f"{where}, region {region}", article, offsets) | shared
            regions[region]["annotation_id"] = region
    records: dict[str, Row] = {}
    for result in results:
        region = str(result.get("id"))
        name = result.get("from_name")
        if result.get("type") not in ("choices", "textarea") or not (name in default_attributes() or name == "label"):
            continue
        if region not in regions:  # no region of its own: an attribute of a perspective
            records.setdefault(region, _record(region, article) | shared)
        value = _value(result, f"{where}, region {region}")
        (regions.get(region) or records[region])[name] = value
    for result in results:
        if result.get("type") == "relation" and "said_by" in (result.get("labels") or []):
            claim, actor = regions.get(str(result.get("from_id"))), regions.get(str(result.get("to_id")))
            if claim is not None and actor is not None and claim["said_by"] is None:
                claim["said_by"] = actor["entity"]
    return [*regions.values(), *records.values()]


def _region(result: dict[str, Any], where: str, article: Article, offsets: Utf16Offsets) -> Row:
    value = result.get("value")
    labels = value.get("labels") if isinstance(value, dict) else None
    if not isinstance(labels, list) or not labels or not isinstance(labels[0], str):
        msg = f'{where} has no label: a "labels" result needs "value": {{"start", "end", "labels": [...]}}.'
        raise FormatError(msg)
    start, end = (offsets.to_points(value.get(k)) if isinstance(value.get(k), int) else None for k in ("start", "end"))
    if start is None or end is None or start >= end:
        msg = (
            f"{where} runs from {value.get('start')} to {value.get('end')}, which is not a span of this article "
            "(offsets count UTF-16 units, as JavaScript does). Is this the article it was annotated on?"
        )
        raise FormatError(msg)
    if "text" in value and value["text"] != article.text[start:end]:
        msg = f"{where} says its text is {value['text']!r}, but the article has {article.text[start:end]!r} there."
        raise FormatError(msg)
    layer, label = read_tag(labels[0])
    return span_row(article, layer=layer, label=label, start=start, end=end)


def _record(region: str, article: Article) -> Row:
    row: Row = dict.fromkeys(COLUMNS)
    row.update(annotation_id=region, article_id=article.article_id, layer="perspective", label="perspective")
    row["status"] = "ok"
    return row


def _value(result: dict[str, Any], where: str) -> str:
    value = result.get("value")
    key = "choices" if result["type"] == "choices" else "text"
    items = value.get(key) if isinstance(value, dict) else None
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not items or not isinstance(items[0], str):
        wanted = f'"value": {{"{key}": ["..."]}}'
        msg = f"{where}: the {result.get('from_name')} result needs {wanted}, not {json_kind(value)}."
        raise FormatError(msg)
    return items[0]
