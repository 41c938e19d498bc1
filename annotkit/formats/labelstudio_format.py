"""Label Studio's JSON export: a list of tasks, each the article text with one annotation per student.

Made to be imported into a project whose labeling config is ``annotkit.export_config(scheme,
format="labelstudio")`` and edited in Label Studio's own editor (checked against Label Studio 1.23.2, see
``tools/interop/``). One task: ``{"data": {"text": article.text, "article_id": ..., "title": ...},
"annotations": [...]}``, one Label Studio annotation per annotator, whose ``result`` list holds:

- the annotator's name, as the task-level text area ``annotator``: ``{"from_name": "annotator", "type":
  "textarea", "value": {"text": ["ana"]}}``. Label Studio drops keys it does not know and exports
  ``completed_by`` as its own user id, so the name lives in a control, which its editor keeps;
- per actor or claim (a region, ``id`` = annotation id): ``{"type": "labels", "from_name": "label",
  "value": {"start", "end", "text", "labels": [<tag>]}}``, the tag being the label, with claim-layer labels
  other than ``claim`` written ``claim-<label>`` (``other`` and ``unsure`` are labels of both span layers);
- per perspective, a region of its own from the ``perspective`` labels control, on the first mention of its
  entity by the same student (else anyone's, else the entity's name in the text): Label Studio's editor keeps
  any number of these, each with its own stance and frame;
- per attribute of a region, a result with the region's ``id`` and offsets: ``choices`` for choice
  attributes, ``textarea`` for the others, the attribute's name as ``from_name``; the annotator's note as the
  text area ``note``;
- relations: ``said_by`` from a claim to the nearest mention of its speaker (the closest one before it),
  ``evidence`` from a perspective to each claim it cites.

Offsets count **code points** (Python's characters), as Label Studio does: its editor stored a mouse
selection of "closures" in an article with emoji as 216-224, not 220-228.

On import, a region's ``text`` is checked against the article: a region whose offsets count UTF-16 units (as
annotkit 0.1 wrote them) or point a little off is placed on its words; one whose words are not in the article
is left out. Every such problem, an empty or unreadable result included, is named in one ``FormatWarning``,
and the rest of the file is imported. Annotators: annotkit's ``annotator`` text area; else the name given for
the Label Studio user id in ``annotators={id: name}``; else ``labelstudio-user-<id>`` (and, when one user
holds several annotations of the task, ``labelstudio-user-<id>-annotation-<n>`` so they stay apart).
Predictions (machine suggestions) are imported too, as annotator ``prediction-<model version>`` with
``origin`` "python", and named in the warning. Old exports (annotkit 0.1's task-level perspectives) are read.

What it keeps: spans, labels, every attribute, notes, speakers, perspectives with their evidence, ids and
annotators. What it loses: each annotation's own ``created``/``modified`` (Label Studio keeps one time per
student's annotation, set when it was imported), ``origin``, and orphaned annotations (left out, warning once).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..anchoring import Utf16Offsets
from ..errors import FormatError
from ._rows import (
    Problems,
    Row,
    blank_row,
    generated_id,
    is_span,
    label_tag,
    load_json,
    nearest_mention,
    read_tag,
    read_text,
    span_row,
    warn_left_out,
    write_text,
)

if TYPE_CHECKING:
    from ..article import Article
    from ..scheme import Scheme
    from ._api import Setup

__all__ = ["read", "write"]

#: Names of the controls that are not attributes (``export_config`` writes them; attributes take the rest).
LABEL, PERSPECTIVE, ANNOTATOR, NOTE = "label", "perspective", "annotator", "note"
RESERVED = (LABEL, PERSPECTIVE, ANNOTATOR, NOTE, "text")


def choice_attributes(scheme: Scheme) -> set[str]:
    """The attributes Label Studio shows as choices; every other attribute is a text area."""
    return {a.name for layer in scheme.layers for a in layer.attributes if a.kind == "choice"}


def write(rows: list[Row], path: Path, article: Article, setup: Setup) -> Path:
    """Write rows as a Label Studio JSON export with one task."""
    by_annotator: dict[str | None, list[Row]] = {}
    for row in rows:
        if row["layer"] == "perspective" or is_span(row):
            by_annotator.setdefault(row["annotator"], []).append(row)
    choices = choice_attributes(setup.scheme)
    annotations, unpinned = [], []
    for who, group in by_annotator.items():
        annotation, left = _annotation(who, group, rows, article, setup.attributes, choices)
        annotations.append(annotation)
        unpinned += left
    data = {"text": article.text, "article_id": article.article_id, "title": article.title}
    task: dict[str, Any] = {"data": data, "annotations": annotations}
    write_text(path, json.dumps([task], ensure_ascii=False, indent=2) + "\n")
    kept = {id(r) for group in by_annotator.values() for r in group}
    orphans = [r["annotation_id"] or "(no id)" for r in rows if id(r) not in kept]
    warn_left_out(path, orphans, "they are not anchored in the text (Label Studio needs offsets)")
    warn_left_out(path, unpinned, "Label Studio shows a perspective on a mention of its entity, and there is none")
    return path


def _region_id(row: Row, rows: list[Row]) -> str:
    return row["annotation_id"] or f"region-{rows.index(row) + 1}"


def _pin(row: Row, mine: list[Row], everyone: list[Row], article: Article) -> tuple[int, int] | None:
    """Where a perspective is shown: a mention of its entity (the student's own first), or its name."""
    mention = nearest_mention(mine, row.get("entity")) or nearest_mention(everyone, row.get("entity"))
    if mention is not None:
        return mention["start"], mention["end"]
    entity = row.get("entity")
    at = article.text.find(entity) if entity else -1
    return (at, at + len(entity)) if entity and at >= 0 else None


def _annotation(
    who: str | None,
    rows: list[Row],
    everyone: list[Row],
    article: Article,
    attributes: tuple[str, ...],
    choices: set[str],
) -> tuple[dict[str, Any], list[str]]:
    results: list[dict[str, Any]] = []
    if who is not None:
        results.append(_result(ANNOTATOR, ANNOTATOR, "textarea", {"text": [who]}))
    claim_ids = {r["annotation_id"] for r in rows if r["layer"] == "claim" and is_span(r)}
    relations, unpinned = [], []
    for row in rows:
        region = _region_id(row, rows)
        where = (row["start"], row["end"]) if is_span(row) else _pin(row, rows, everyone, article)
        if where is None:
            unpinned.append(row["annotation_id"] or "(no id)")
            continue
        offsets = {"start": where[0], "end": where[1]}
        if row["layer"] == "perspective":
            value = {**offsets, "text": article.text[where[0] : where[1]], "labels": [PERSPECTIVE]}
            results.append(_result(region, PERSPECTIVE, "labels", value))
        else:
            value = {**offsets, "text": row["text"], "labels": [label_tag(row["layer"], row["label"])]}
            results.append(_result(region, LABEL, "labels", value))
        results += _attribute_results(row, region, offsets, attributes, choices, claim_ids)
        if row["layer"] == "claim" and row.get("said_by"):
            speaker = nearest_mention(rows, row.get("said_by"), near=row["start"])
            if speaker is not None:
                relations.append(_relation(region, _region_id(speaker, rows), "said_by"))
        if row["layer"] == "perspective" and row.get("evidence"):
            cited = [c for c in str(row["evidence"]).split(";") if c in claim_ids]
            relations += [_relation(region, claim, "evidence") for claim in cited]
    created = sorted(r["created"] for r in rows if r["created"] is not None)
    modified = sorted(r["modified"] for r in rows if r["modified"] is not None)
    annotation: dict[str, Any] = {"result": results + relations, "was_cancelled": False, "ground_truth": False}
    if created:
        annotation["created_at"] = created[0]
    if modified:
        annotation["updated_at"] = modified[-1]
    return annotation, unpinned


def _attribute_results(
    row: Row, region: str, offsets: dict[str, int], attributes: tuple[str, ...], choices: set[str], claim_ids: set[str]
) -> Iterator[dict[str, Any]]:
    for name in (*attributes, NOTE):
        value = row.get(name)
        if name == "evidence" and value and row["layer"] == "perspective":
            # claims of this student's are arrows; only the others (another student's, orphans) stay as text
            value = ";".join(c for c in value.split(";") if c not in claim_ids) or None
        if value is None:
            continue
        if name in choices:
            yield _result(region, name, "choices", {**offsets, "choices": [value]})
        else:
            yield _result(region, name, "textarea", {**offsets, "text": [value]})


def _result(region: str, from_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": region, "from_name": from_name, "to_name": "text", "type": kind, "value": value}


def _relation(from_id: str, to_id: str, label: str) -> dict[str, Any]:
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right", "labels": [label]}


# ---------------------------------------------------------------------------------------------------- reading


def read(path: Path, article: Article, setup: Setup) -> list[Row]:
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
    problems = Problems(path)
    reader = _Reader(article, setup, problems)
    for task in mine:
        sets = [("annotation", a) for a in task.get("annotations") or []]
        sets += [("prediction", p) for p in task.get("predictions") or []]
        for number, (kind, annotation) in enumerate(sets, start=1):
            if not isinstance(annotation, dict) or not isinstance(annotation.get("result", []), list):
                problems.add(f'{kind} {number} is not a Label Studio {kind} (an object with a "result" list)')
                continue
            reader.read(kind, annotation, number)
    rows = reader.finish()
    problems.warn()
    return rows


class _Reader:
    """Reads the annotations (and predictions) of a file, remembering every problem instead of stopping."""

    def __init__(self, article: Article, setup: Setup, problems: Problems) -> None:
        self.article, self.setup, self.problems = article, setup, problems
        self.offsets = Utf16Offsets(article.text)
        self.sets: list[tuple[str | None, str | None, list[Row]]] = []  # (name, fallback name, rows)
        self.utf16: list[str] = []
        self.moved: list[str] = []
        self.predictions: list[str] = []

    def read(self, kind: str, annotation: dict[str, Any], number: int) -> None:
        results = [r for r in annotation.get("result", []) if isinstance(r, dict)]
        if len(results) < len(annotation.get("result", [])):
            self.problems.add(f"{kind} {number}: a result that is not an object ({{...}}) was skipped")
        name, fallback = self._annotator(kind, annotation, results)
        stamps = {k: annotation.get(key) for k, key in (("created", "created_at"), ("modified", "updated_at"))}
        shared = {k: v for k, v in stamps.items() if isinstance(v, str)}
        if kind == "prediction":
            shared["origin"] = "python"
            self.predictions.append(str(fallback))
        regions: dict[str, Row] = {}
        for number_in, result in enumerate(results, start=1):
            if result.get("type") == "labels":
                key = str(result["id"]) if "id" in result else generated_id("labelstudio", self.article, number_in)
                row = self._region(result, key)
                if row is not None:
                    regions[key] = row | shared
        records = self._attributes(results, regions, shared)
        self._relations(results, regions)
        rows = [*regions.values(), *records.values()]
        for row in rows:
            if row["layer"] == "perspective":  # shown on a mention in Label Studio, but about the actor
                row.update(start=None, end=None, text=None, prefix=None, suffix=None)
        self.sets.append((name, fallback, rows))

    def _annotator(self, kind: str, annotation: dict[str, Any], results: list[dict[str, Any]]) -> tuple[Any, Any]:
        legacy = annotation.get("annotkit")  # annotkit 0.1 wrote the name here; Label Studio drops it
        if isinstance(legacy, dict) and isinstance(legacy.get("annotator"), str):
            return legacy["annotator"], None
        for result in results:
            if result.get("from_name") == ANNOTATOR and result.get("type") == "textarea":
                text = _texts(result.get("value"), "text")
                if text:
                    return text[0], None
        if kind == "prediction":
            return None, f"prediction-{annotation.get('model_version') or annotation.get('id', 'unknown')}"
        who = annotation.get("completed_by")
        if isinstance(who, dict):
            who = who.get("email") or who.get("username") or who.get("id")
        if who is not None and str(who) in self.setup.annotators:
            return self.setup.annotators[str(who)], None
        # no completed_by: written by annotkit for work with no annotator, not made in Label Studio
        return None, (None if who is None else f"labelstudio-user-{who}")

    def _region(self, result: dict[str, Any], key: str) -> Row | None:
        value: dict[str, Any] = result["value"] if isinstance(result.get("value"), dict) else {}
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels or not isinstance(labels[0], str):
            self.problems.add(f"region {key} has no label, so it was left out")
            return None
        start, end = value.get("start"), value.get("end")
        if not isinstance(start, int) or not isinstance(end, int) or not (_whole(start) and _whole(end)):
            self.problems.add(f"region {key} has no start and end offsets, so it was left out")
            return None
        words = value.get("text") if isinstance(value.get("text"), str) else None
        where = self._place(key, start, end, words)
        if where is None:
            return None
        if result.get("from_name") == PERSPECTIVE or labels[0] == PERSPECTIVE:
            layer, label = "perspective", PERSPECTIVE
        else:
            layer, label = read_tag(labels[0])
        return span_row(self.article, layer=layer, label=label, start=where[0], end=where[1], annotation_id=key)

    def _place(self, key: str, start: int, end: int, words: str | None) -> tuple[int, int] | None:
        text = self.article.text
        fits = 0 <= start < end <= len(text)
        if words is None or (fits and text[start:end] == words):
            if fits:
                return start, end
            self.problems.add(f"region {key} runs from {start} to {end}, outside the article (0 to {len(text)})")
            return None
        points = (self.offsets.to_points(start), self.offsets.to_points(end))
        if points[0] is not None and points[1] is not None and text[points[0] : points[1]] == words:
            self.utf16.append(key)
            return points[0], points[1]
        # the words elsewhere: where they occur closest to where the region said it was
        hits, at = [], text.find(words) if words else -1
        while at >= 0:
            hits.append(at)
            at = text.find(words, at + 1)
        found = min(((i, i + len(words)) for i in hits), key=lambda w: abs(w[0] - start), default=None)
        if found is None:
            self.problems.add(f"region {key}: its words {words!r} are not in the article, so it was left out")
            return None
        self.moved.append(key)
        return found

    def _attributes(self, results: list[dict[str, Any]], regions: dict[str, Row], shared: Row) -> dict[str, Row]:
        records: dict[str, Row] = {}
        for result in results:
            kind, name = result.get("type"), result.get("from_name")
            if kind not in ("choices", "textarea") or not isinstance(name, str) or name in (ANNOTATOR, "text"):
                continue
            key = str(result.get("id"))
            if key not in regions:
                # no region: annotkit 0.1's task-level perspectives (their results share one id); a result with
                # offsets belongs to a region that was left out (and named)
                value = result.get("value")
                if "id" not in result or (isinstance(value, dict) and "start" in value):
                    continue
                records.setdefault(key, _record(key, self.article) | shared)
            row = regions.get(key) or records[key]
            values = _texts(result.get("value"), "choices" if kind == "choices" else "text")
            if name == LABEL:
                # a perspective's label; Label Studio's editor empties it, and the layer has one label
                row["label"] = values[0] if values else PERSPECTIVE
                continue
            if not values:
                self.problems.add(f"region {key}: the {name} result has no value, so {name} was left empty")
                continue
            if name == "evidence" and row.get("evidence"):
                row["evidence"] = f"{row['evidence']};{values[0]}"
            else:
                row[name] = values[0]
        for result in results:  # Label Studio's own notes on a region ("meta")
            meta = result.get("meta")
            key = str(result.get("id"))
            if isinstance(meta, dict) and key in regions and regions[key].get(NOTE) is None:
                texts = _texts(meta, "text")
                if texts:
                    regions[key][NOTE] = "\n".join(texts)
        return records

    def _relations(self, results: list[dict[str, Any]], regions: dict[str, Row]) -> None:
        cited: dict[str, list[str]] = {}
        for result in results:
            if result.get("type") != "relation":
                continue
            source, target = regions.get(str(result.get("from_id"))), regions.get(str(result.get("to_id")))
            labels = result.get("labels") or []
            if source is None or target is None:
                if "said_by" in labels or "evidence" in labels:
                    ends = f"{result.get('from_id')} -> {result.get('to_id')}"
                    self.problems.add(f"the {labels[0]} relation {ends} links a region that is not in the file")
                continue
            if "said_by" in labels and source["layer"] == "claim" and source.get("said_by") is None:
                source["said_by"] = target.get("entity")
            elif "evidence" in labels and source["layer"] == "perspective" and target["layer"] == "claim":
                cited.setdefault(source["annotation_id"], []).append(target["annotation_id"])
        for key, claims in cited.items():
            row = regions[key]
            listed = [c for c in (row.get("evidence") or "").split(";") if c and c not in claims]
            row["evidence"] = ";".join([*claims, *listed])

    def finish(self) -> list[Row]:
        """Every row read, each with its annotator; the problems of offsets named once."""
        counts: dict[str, int] = {}
        for name, fallback, _ in self.sets:
            if name is None and fallback is not None:
                counts[fallback] = counts.get(fallback, 0) + 1
        rows, seen = [], dict.fromkeys(counts, 0)
        for name, fallback, group in self.sets:
            who = name
            if who is None and fallback is not None:
                seen[fallback] += 1
                who = fallback if counts[fallback] == 1 else f"{fallback}-annotation-{seen[fallback]}"
            for row in group:
                row["annotator"] = who
            rows += group
        if self.utf16:
            self.problems.add(
                f"regions {', '.join(self.utf16)} counted UTF-16 units (as annotkit 0.1 wrote them), "
                "not characters; they were placed on their words"
            )
        if self.moved:
            self.problems.add(f"regions {', '.join(self.moved)} did not sit on their words; they were placed on them")
        if self.predictions:
            self.problems.add(
                f"{len(self.predictions)} prediction(s) (machine suggestions, not a student's work) were imported "
                f"as annotator(s) {', '.join(sorted(set(self.predictions)))}"
            )
        unnamed = sorted(k for k, n in counts.items() if not k.startswith("prediction-"))
        if unnamed:
            self.problems.add(
                f"annotations by Label Studio user(s) without a name were imported as {', '.join(unnamed)}: "
                "pass annotators={user id: name} to name them"
            )
        return rows


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _texts(value: Any, key: str) -> list[str]:
    items = value.get(key) if isinstance(value, dict) else None
    if isinstance(items, str):
        items = [items]
    return [i for i in items if isinstance(i, str) and i] if isinstance(items, list) else []


def _record(key: str, article: Article) -> Row:
    row = blank_row()
    row.update(annotation_id=key, article_id=article.article_id, layer="perspective", label=PERSPECTIVE)
    row["status"] = "ok"
    return row
