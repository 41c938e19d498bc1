"""W3C Web Annotation Data Model (JSON-LD): one ``AnnotationCollection`` holding every annotation.

The file is one collection with its single page embedded (``"first": {"type": "AnnotationPage", "items":
[...]}``), so it stays one self-contained file. Each item is a complete annotation with its own
``"@context": "http://www.w3.org/ns/anno.jsonld"``::

    {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "Annotation", "motivation": "classifying",
     "id": "urn:annotkit:<annotation_id>",
     "creator": {"type": "Person", "nickname": "<annotator>"}, "created": "...", "modified": "...",
     "body": [
       {"type": "TextualBody", "purpose": "tagging", "value": "official"},
       {"type": "TextualBody", "purpose": "classifying", "value": "actor", "annotkit:attribute": "layer"},
       {"type": "TextualBody", "purpose": "identifying", "value": "Joe Biden", "annotkit:attribute": "entity"},
       {"type": "TextualBody", "purpose": "classifying", "value": "united_states",
        "annotkit:attribute": "affiliation"}],
     "target": {"source": "urn:annotkit:article:<article_id>",
                "selector": [{"type": "TextQuoteSelector", "exact": "...", "prefix": "...", "suffix": "..."},
                             {"type": "TextPositionSelector", "start": 12, "end": 24}]}}

The label is the one ``tagging`` body; every other body names its column in ``annotkit:attribute`` (an IRI
with the scheme ``annotkit:``, so no extra context is needed). Purposes: ``identifying`` for ``entity`` and
``said_by``, ``commenting`` for ``rationale``, ``linking`` for ``evidence`` (one body per claim, ``{"id":
"urn:annotkit:<claim id>", ...}``) and ``classifying`` for everything else. A perspective's target is the
article alone (no selector); its entity is a body like any other attribute.

What it keeps: everything except ``status``, which is worked out again on import: each span is re-anchored
(position first, then the quote with its prefix and suffix) and marked ``"orphaned"`` with no offsets when its
words cannot be found. Ids not starting ``urn:annotkit:`` (from other tools) are kept whole; annotations with
no id get ``w3c-<article_id>-<n>``. Import also reads a plain JSON list of annotations, or a single one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from ..errors import FormatError
from ._anchor import anchor_rows
from ._rows import SPAN_LAYERS, Row, blank_row, generated_id, json_kind, load_json, read_text, write_text

if TYPE_CHECKING:
    from ..article import Article
    from ._api import Setup

__all__ = ["read", "write"]

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
URN = "urn:annotkit:"
ARTICLE_URN = "urn:annotkit:article:"
ATTRIBUTE_KEY = "annotkit:attribute"
#: Columns no body may set: the annotation's identity and anchoring come from elsewhere in the annotation.
_NOT_BODIES = frozenset(
    {"annotation_id", "article_id", "annotator", "label", "start", "end", "text", "prefix"}
    | {"suffix", "status", "created", "modified"}
)
PURPOSES = {
    "entity": "identifying",
    "said_by": "identifying",
    "rationale": "commenting",
    "note": "commenting",
    "evidence": "linking",
}


def _iri(prefix: str, name: str) -> str:
    """An IRI for an id that may hold any character (ids and article ids are not always IRI-safe)."""
    return prefix + quote(name, safe="-._~:@!$&'()*+,;=/")


def _utc(stamp: str) -> str:
    """An xsd:dateTime in UTC written the way the model's examples are: ending in ``Z``.

    >>> _utc("2026-12-06T23:52:48.733+00:00"), _utc("2024-03-01T10:00:00")
    ('2026-12-06T23:52:48.733Z', '2024-03-01T10:00:00Z')
    """
    if stamp.endswith("+00:00"):
        return stamp[: -len("+00:00")] + "Z"
    if stamp.endswith("Z") or re.search(r"[+-]\d\d:\d\d$", stamp):
        return stamp
    return stamp + "Z"  # annotkit's timestamps are UTC; a stamp without a zone is one of them


def write(rows: list[Row], path: Path, article: Article, setup: Setup) -> Path:
    """Write rows as one W3C AnnotationCollection."""
    items = [_annotation(row, article, setup.attributes, n) for n, row in enumerate(rows, start=1)]
    collection: dict[str, Any] = {
        "@context": CONTEXT,
        "id": _iri("urn:annotkit:collection:", article.article_id),
        "type": "AnnotationCollection",
        "label": f"annotkit annotations of {article.title or article.article_id}",
        "total": len(items),
    }
    if items:  # a page MUST hold at least one annotation: an empty collection has no page
        page = {"id": _iri("urn:annotkit:collection:", article.article_id) + "/page/1", "type": "AnnotationPage"}
        collection["first"] = {**page, "startIndex": 0, "items": items}
    write_text(path, json.dumps(collection, ensure_ascii=False, indent=2) + "\n")
    return path


def _annotation(row: Row, article: Article, attributes: tuple[str, ...], number: int) -> dict[str, Any]:
    note: dict[str, Any] = {"@context": CONTEXT, "type": "Annotation", "motivation": "classifying"}
    note["id"] = _iri(URN, row["annotation_id"] or generated_id("w3c", article, number))
    if row["annotator"] is not None:
        note["creator"] = {"type": "Person", "nickname": row["annotator"]}
    for key in ("created", "modified"):
        if row[key] is not None:
            note[key] = _utc(row[key])
    note["body"] = _bodies(row, attributes)
    note["target"] = _target(row, article)
    return note


def _bodies(row: Row, attributes: tuple[str, ...]) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    if row["label"] is not None:
        bodies.append({"type": "TextualBody", "purpose": "tagging", "value": row["label"]})
    if row["layer"] is not None:
        bodies.append(_textual("layer", row["layer"]))
    for name in (*attributes, "note", "origin"):
        value = row.get(name)
        if value is None:
            continue
        claims = value.split(";")
        if name == "evidence" and all(claims):
            # a link to another annotation: a SpecificResource, which is what may carry a purpose
            link = {"type": "SpecificResource", "purpose": "linking", ATTRIBUTE_KEY: name}
            bodies += [{**link, "source": _iri(URN, c)} for c in claims]
        else:
            bodies.append(_textual(name, value))
    return bodies


def _textual(name: str, value: str) -> dict[str, Any]:
    return {"type": "TextualBody", "purpose": PURPOSES.get(name, "classifying"), "value": value, ATTRIBUTE_KEY: name}


def _target(row: Row, article: Article) -> dict[str, Any] | str:
    source = _iri(ARTICLE_URN, article.article_id)
    if row["text"] is None:
        return source  # a perspective is about the whole article
    target: dict[str, Any] = {"source": source}
    quote = {"type": "TextQuoteSelector", "exact": row["text"], "prefix": row["prefix"] or ""}
    quote["suffix"] = row["suffix"] or ""
    selectors = [quote]
    if row["start"] is not None:
        selectors.append({"type": "TextPositionSelector", "start": row["start"], "end": row["end"]})
    target["selector"] = selectors
    return target


def read(path: Path, article: Article, setup: Setup) -> list[Row]:
    """Read rows from W3C annotations, anchored in ``article``."""
    items = _items(load_json(read_text(path), path), path)
    rows = [_row(item, f"{path.name}, annotation {n}", article, n) for n, item in enumerate(items, start=1)]
    return anchor_rows(rows, article, path)


def _items(data: Any, path: Path) -> list[Any]:
    if isinstance(data, list):
        return data
    kinds = _as_list(data.get("type")) if isinstance(data, dict) else []
    if "Annotation" in kinds:
        return [data]
    if "AnnotationCollection" in kinds:
        page = data.get("first")
        if page is None and data.get("total") == 0:
            return []
        items = page.get("items") if isinstance(page, dict) else None
        if isinstance(items, list):
            return items
        msg = (
            f"{path.name} is an AnnotationCollection whose annotations are not in the file "
            '(its "first" page has no "items" list). Save the collection with its page embedded.'
        )
        raise FormatError(msg)
    msg = (
        f"{path.name} holds {json_kind(data)} that is not a W3C annotation: expected an AnnotationCollection, "
        'a list of annotations, or one object with "type": "Annotation".'
    )
    raise FormatError(msg)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any, what: str, where: str) -> str:
    if not isinstance(value, str):
        msg = f"{where}: {what} is {json_kind(value)} ({json.dumps(value)}), but it should be text."
        raise FormatError(msg)
    return value


def _row(item: Any, where: str, article: Article, number: int) -> Row:
    if not isinstance(item, dict) or "Annotation" not in _as_list(item.get("type")):
        msg = f'{where} is not a W3C annotation (an object with "type": "Annotation").'
        raise FormatError(msg)
    row: Row = blank_row()
    ident = item.get("id")
    row["annotation_id"] = (
        unquote(_text(ident, "id", where).removeprefix(URN))
        if ident is not None
        else generated_id("w3c", article, number)
    )
    row["annotator"] = _creator(item.get("creator"), where)
    for key in ("created", "modified"):
        if item.get(key) is not None:
            row[key] = _text(item[key], key, where)
    _read_bodies(row, _as_list(item.get("body")), where)
    _read_target(row, item.get("target"), where)
    if row["layer"] is None:  # annotations from other tools: a span is an actor unless labelled a claim
        row["layer"] = "perspective" if row["text"] is None else ("claim" if row["label"] == "claim" else "actor")
    if row["layer"] in SPAN_LAYERS and row["text"] is None:
        msg = f"{where} is a {row['layer']} but has no TextQuoteSelector, so annotkit cannot tell which words."
        raise FormatError(msg)
    row["status"] = "ok"
    return row


def _creator(creator: Any, where: str) -> str | None:
    creators = _as_list(creator)
    if not creators:
        return None
    first = creators[0]
    if isinstance(first, dict):
        first = first.get("nickname") or first.get("name") or first.get("id")
    return None if first is None else _text(first, "creator", where)


def _read_bodies(row: Row, bodies: list[Any], where: str) -> None:
    evidence: list[str] = []
    for body in bodies:
        if not isinstance(body, dict):
            continue  # a body given only as an IRI says nothing annotkit can store
        name = body.get(ATTRIBUTE_KEY)
        if name is None and body.get("purpose") == "tagging" and row["label"] is None:
            row["label"] = _text(body.get("value"), "the tagging body's value", where)
        elif name == "evidence" and "value" not in body:
            # annotkit 0.2 links with a SpecificResource's source; 0.1 wrote the claim as the body's id
            link = body.get("source", body.get("id"))
            evidence.append(unquote(_text(link, "an evidence body's source", where).removeprefix(URN)))
        elif isinstance(name, str) and name not in _NOT_BODIES:
            row[name] = _text(body.get("value"), f"the {name} body's value", where)
    if evidence:
        row["evidence"] = ";".join(evidence)


def _read_target(row: Row, target: Any, where: str) -> None:
    targets = _as_list(target)
    first = targets[0] if targets else None
    source = first.get("source") if isinstance(first, dict) else first
    if isinstance(source, str) and source.startswith(ARTICLE_URN):
        row["article_id"] = unquote(source.removeprefix(ARTICLE_URN))
    if not isinstance(first, dict):
        return  # a target given only as an IRI is the whole article: a perspective
    for selector in _as_list(first.get("selector")):
        kind = selector.get("type") if isinstance(selector, dict) else None
        if kind == "TextQuoteSelector":
            row["text"] = _text(selector.get("exact"), "the quote's exact", where)
            row["prefix"] = _text(selector.get("prefix", ""), "the quote's prefix", where)
            row["suffix"] = _text(selector.get("suffix", ""), "the quote's suffix", where)
        elif kind == "TextPositionSelector":
            row["start"], row["end"] = (_position(selector.get(k), k, where) for k in ("start", "end"))


def _position(value: Any, key: str, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        msg = f"{where}: the position's {key} is {json_kind(value)} ({json.dumps(value)}), not a whole number."
        raise FormatError(msg)
    return value
