"""doccano's sequence-labelling JSONL: one line per article, with its spans for both kinds of doccano project.

One line holds the spans twice, so the file imports into either kind of project (checked against doccano
1.8.4, see ``tools/interop/``):

- ``"label": [[start, end, tag], ...]`` for a default sequence-labelling project;
- ``"entities": [{"id", "start_offset", "end_offset", "label"}, ...]`` and ``"relations": [{"id", "from_id",
  "to_id", "type": "said_by"}, ...]`` for a project with "Use relation labeling" on, where each claim points at
  the nearest mention of its speaker (the closest one before it), so "said by" shows as an arrow.

doccano keeps the keys its project does not read as the example's metadata and exports them again unchanged;
on import the copy that differs from what annotkit wrote is the one edited in doccano (either, when neither
changed). The tag is the label, with claim-layer labels other than ``claim`` written ``claim-<label>``
(``other`` and ``unsure`` are labels of both span layers).

Offsets count **UTF-16 units**, as doccano's editor does (it runs in the browser): a mouse selection of
"warned" in an article with emoji was stored as 205-211, where Python counts 201-207 (recorded in doccano 1.8.4's
editor in Chromium, whose drawn spans were also read back from the page: every span on its words). Files written
by annotkit 0.1 counted characters; their spans that still match annotkit's own record of them are read as
characters, spans added in doccano as UTF-16. A doccano project with "grapheme mode" on counts user-perceived
characters instead (an emoji is one): there every span after an emoji is drawn on other words, so such files
need a project with grapheme mode off, doccano's default.

Everything else rides in one extra key, ``"annotkit"``, which doccano keeps as metadata::

    "annotkit": {"article_id": "...", "offsets": "utf-16",
                 "annotations": [{"annotation_id", "annotator", "layer", "label", "start", "end" (characters),
                                  "note", "origin", "created", "modified", <every attribute>}, ...]}

Perspectives and notes live only there (doccano has no place for an annotation that is not a span, and its
comments belong to a whole example). On import the spans are the truth: each takes the ids and attributes of
the unused ``annotkit`` entry with the same offsets and tag (or, if its label was changed in doccano, the same
offsets and layer). A span added in doccano has no entry: it gets the id ``doccano-<article_id>-<n>``. In a
relation project the arrows are what the teacher sees and edits, so they decide each claim's speaker: an arrow
drawn in doccano names it (the actor's ``entity``, or its words for an actor span added there), and a claim whose
arrow annotkit wrote but doccano no longer has (deleted there) has none any more. A claim annotkit could draw no
arrow for (its speaker is never mentioned) keeps its ``said_by``, as do annotkit 0.1's files, which wrote no
arrows. A claim with several ``said_by`` arrows takes the first, and the file's warning names it. An entry
whose span is gone (deleted in doccano, or dropped by a project that does not allow overlapping spans) is left
out, and named in the file's one ``FormatWarning``.

What a file written here keeps: everything (orphaned annotations are left out, with a warning). What doccano
holds on its own: spans, labels and (in relation projects) speakers; the rest only as long as ``annotkit``
stays. Import uses the line whose ``text`` is this article's text, and refuses a file with none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..anchoring import Utf16Offsets
from ..errors import FormatError
from ._rows import (
    BASE_COLUMNS,
    Problems,
    Row,
    blank_row,
    generated_id,
    is_span,
    json_kind,
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
    from ._api import Setup

__all__ = ["read", "write"]

#: Columns the doccano line itself holds, or that are worked out again on import.
DERIVED = ("article_id", "text", "prefix", "suffix", "status")
UNIT = "utf-16"
Span = tuple[int, int, str]  # start, end (characters), tag


def write(rows: list[Row], path: Path, article: Article, setup: Setup) -> Path:
    """Write rows as one doccano JSONL line."""
    units = Utf16Offsets(article.text)
    kept = [r for r in rows if is_span(r) or r["layer"] == "perspective"]
    spans = [r for r in kept if is_span(r)]
    entities = [
        {"id": n, "start_offset": units.to_utf16(r["start"]), "end_offset": units.to_utf16(r["end"]), "label": tag}
        for n, r in enumerate(spans, start=1)
        for tag in [label_tag(r["layer"], r["label"])]
    ]
    number = {id(r): n for n, r in enumerate(spans, start=1)}
    relations: list[dict[str, Any]] = []
    for row in spans:
        speaker = nearest_mention(spans, row.get("said_by"), near=row["start"]) if row["layer"] == "claim" else None
        if speaker is not None:
            link = {"id": len(relations) + 1, "from_id": number[id(row)], "to_id": number[id(speaker)]}
            relations.append({**link, "type": "said_by"})
    columns = [c for c in (*BASE_COLUMNS, *setup.attributes) if c not in DERIVED]
    line = {
        "text": article.text,
        "label": [[e["start_offset"], e["end_offset"], e["label"]] for e in entities],
        "entities": entities,
        "relations": relations,
        "annotkit": {
            "article_id": article.article_id,
            "offsets": UNIT,
            "annotations": [{c: r.get(c) for c in columns if r.get(c) is not None} for r in kept],
        },
    }
    write_text(path, json.dumps(line, ensure_ascii=False) + "\n")
    orphans = [r["annotation_id"] or "(no id)" for r in rows if not (is_span(r) or r["layer"] == "perspective")]
    warn_left_out(path, orphans, "they are not anchored in the text (doccano needs offsets)")
    return path


def read(path: Path, article: Article, setup: Setup) -> list[Row]:
    """Read rows from doccano JSONL, checked against ``article``."""
    rows: list[Row] = []
    matched = False
    problems = Problems(path)
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        example = load_json(line, path, line=number)
        if not isinstance(example, dict) or not isinstance(example.get("text"), str):
            msg = (
                f'{path.name}, {where} holds {json_kind(example)}, not a doccano example ({{"text": ..., '
                '"label": [...]}).'
            )
            raise FormatError(msg)
        if example["text"] == article.text:
            matched = True
            rows += _Example(example, where, article, problems).rows()
    if not matched:
        msg = (
            f"{path.name} has no line with this article's text ({article.article_id}). "
            "Import it with the article it was annotated on."
        )
        raise FormatError(msg)
    problems.warn()
    return rows


class _Example:
    """One doccano example (a line): its spans, relations and annotkit's record of what it wrote."""

    def __init__(self, example: dict[str, Any], where: str, article: Article, problems: Problems) -> None:
        self.example, self.where, self.article, self.problems = example, where, article, problems
        self.units = Utf16Offsets(article.text)
        extra = example.get("annotkit")
        entries = extra.get("annotations") if isinstance(extra, dict) else None
        self.entries = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
        # annotkit 0.1 wrote characters and said nothing; the spans it wrote are still characters
        self.legacy = not (isinstance(extra, dict) and extra.get("offsets") == UNIT)
        self.written = {
            (e.get("start"), e.get("end"), _entry_tag(e)) for e in self.entries if e.get("layer") != "perspective"
        }
        # the speakers annotkit drew a said_by arrow to: those with a mention in the text
        self.mentioned = {
            e.get("entity") for e in self.entries if e.get("layer") == "actor" and isinstance(e.get("start"), int)
        }

    def rows(self) -> list[Row]:
        spans, links, arrows = self._chosen()
        used: set[int] = set()
        rows: dict[Any, Row] = {}
        for key, (start, end, tag) in spans.items():
            layer, label = read_tag(tag)
            fields = {"annotation_id": generated_id("doccano", self.article, key)}
            entry = self._entry(start, end, layer, label, used)
            if entry is not None:
                fields |= {k: v for k, v in _known(entry).items() if k not in ("layer", "label", "start", "end")}
            rows[key] = span_row(self.article, layer=layer, label=label, start=start, end=end, **fields)
        speakers: dict[Any, list[Row]] = {}
        for source, target, kind in links:
            claim, actor = rows.get(source), rows.get(target)
            if claim is None or actor is None:
                self.problems.add(f"{self.where}: relation {source} -> {target} links a span that is not there")
            elif kind == "said_by" and claim["layer"] == "claim":
                speakers.setdefault(source, []).append(actor)
        for key, row in rows.items():
            if row["layer"] == "claim":
                self._said_by(key, row, speakers.get(key, []), arrows=arrows)
        gone = []
        for n, entry in enumerate(self.entries):
            if entry.get("layer") == "perspective":
                row = blank_row()
                row.update(_known(entry), article_id=self.article.article_id, status="ok")
                rows[f"p{n}"] = row
            elif n not in used:
                gone.append(str(entry.get("annotation_id") or f"entry {n + 1}"))
        if gone:
            self.problems.add(
                f"{self.where}: {len(gone)} annotation(s) annotkit wrote have no span in doccano any more (deleted "
                f"there, or dropped by a project that does not allow overlapping spans): {', '.join(gone)}"
            )
        return list(rows.values())

    def _said_by(self, key: Any, claim: Row, actors: list[Row], *, arrows: bool) -> None:
        """Set a claim's speaker from its said_by arrows where they are doccano's own (a relation project).

        There the arrows are what the teacher sees and edits: an arrow drawn in doccano names the speaker, and a
        claim whose arrow annotkit wrote but doccano no longer has (deleted there) has no speaker any more. A
        claim annotkit could draw no arrow for (its speaker has no mention in the text) keeps its ``said_by``.
        """
        named = [str(a.get("entity") or a.get("text")) for a in actors]
        if len(set(named)) > 1:
            self.problems.add(
                f"{self.where}: the claim {claim['text']!r} has {len(named)} said_by arrows ({', '.join(named)}); "
                f"the first, {named[0]}, was used as its speaker"
            )
        if named and (arrows or claim.get("said_by") is None):
            claim["said_by"] = named[0]
        elif not named and arrows and claim.get("said_by") in self.mentioned:
            claim["said_by"] = None

    def _entry(self, start: int, end: int, layer: str, label: str, used: set[int]) -> dict[str, Any] | None:
        for same_label in (True, False):
            for n, entry in enumerate(self.entries):
                if n in used or (entry.get("start"), entry.get("end"), entry.get("layer")) != (start, end, layer):
                    continue
                if same_label and entry.get("label") != label:
                    continue
                used.add(n)
                return entry
        return None

    def _chosen(self) -> tuple[dict[Any, Span], list[tuple[Any, Any, str]], bool]:
        """The spans (by key) and relations doccano holds: the copy that differs from what annotkit wrote.

        The last item says whether the relations are doccano's own (a relation project's, or annotkit's own
        file), which decide each claim's speaker, rather than none (a default project).
        """
        has_label, has_entities = "label" in self.example, isinstance(self.example.get("entities"), list)
        flat = self._flat() if has_label else None
        linked = self._linked() if has_entities else None
        if flat is None and linked is None:
            return {}, [], False
        if linked is None or (flat is not None and set(flat.values()) != self.written):
            return flat or {}, [], False
        # annotkit 0.1 wrote no relations: its files' speakers are only in the annotkit key
        return (*linked, not self.legacy)

    def _span(self, key: Any, start: Any, end: Any, tag: Any) -> Span | None:
        ok = all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)) and isinstance(tag, str)
        if not ok:
            self.problems.add(f"{self.where}: span {key} is not [start, end, label], so it was left out")
            return None
        if self.legacy and (start, end, tag) in self.written:
            points: tuple[int | None, int | None] = (start, end)
        else:
            points = (self.units.to_points(start), self.units.to_points(end))
        if points[0] is None or points[1] is None or not 0 <= points[0] < points[1] <= len(self.article.text):
            self.problems.add(
                f"{self.where}: span {key} runs from {start} to {end}, which is not a span of this article "
                f"(0 to {len(self.article.text.encode('utf-16-le')) // 2} UTF-16 units), so it was left out"
            )
            return None
        return points[0], points[1], tag

    def _flat(self) -> dict[Any, Span]:
        items = self.example["label"]
        if not isinstance(items, list):
            self.problems.add(f'{self.where}: "label" is {json_kind(items)}, not a list of [start, end, label]')
            return {}
        spans = {}
        for n, item in enumerate(items, start=1):
            values = item if isinstance(item, list) and len(item) == 3 else [None, None, None]
            span = self._span(n, *values)
            if span is not None:
                spans[n] = span
        return spans

    def _linked(self) -> tuple[dict[Any, Span], list[tuple[Any, Any, str]]]:
        spans = {}
        for n, item in enumerate(self.example["entities"], start=1):
            item = item if isinstance(item, dict) else {}
            key = item.get("id", f"e{n}")
            span = self._span(key, item.get("start_offset"), item.get("end_offset"), item.get("label"))
            if span is not None:
                spans[key] = span
        relations = self.example.get("relations")
        links = []
        for item in relations if isinstance(relations, list) else []:
            if isinstance(item, dict) and isinstance(item.get("type"), str):
                links.append((item.get("from_id"), item.get("to_id"), item["type"]))
        return spans, links


def _entry_tag(entry: dict[str, Any]) -> str | None:
    layer, label = entry.get("layer"), entry.get("label")
    return label_tag(layer, label) if isinstance(layer, str) and isinstance(label, str) else None


def _known(entry: dict[str, Any]) -> dict[str, Any]:
    """The text fields of an annotkit entry (a teacher's own attributes included; not its offsets)."""
    return {k: v for k, v in entry.items() if k not in DERIVED and k not in ("start", "end") and isinstance(v, str)}
