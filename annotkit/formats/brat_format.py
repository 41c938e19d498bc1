r"""brat standoff: ``name.ann`` with the annotations, and the article text beside it as ``name.txt``.

Encoding (one line each, fields separated by tabs)::

    T1	official 223 232	Joe Biden                   a span: its tag, its offsets, its words
    A1	entity T1 Joe%20Biden                        an attribute of a span
    R1	said_by Arg1:T5 Arg2:T1                      a claim (T5) and the actor mention who said it (T1)
    #1	AnnotatorNotes T1	annotkit:perspective {"entity": "Joe Biden", "stance": "support", ...}

- **Tags** are the labels (snake_case, as brat needs; a space would be percent-encoded as below).
  Claim-layer labels other than ``claim`` are written ``claim-<label>`` (``claim-unsure``), because
  ``other`` and ``unsure`` are labels of both span layers.
- **Attribute values** cannot contain spaces in brat, so whitespace and ``%`` are percent-encoded
  (``Joe Biden`` -> ``Joe%20Biden``); decoding is :func:`urllib.parse.unquote`, so it is exact, and snake_case
  choice values (``united_states``) stay as they are. Empty values are not written (they read back as NA).
- **Speakers**: every claim's ``said_by`` is an attribute line, so "the journalist" and speakers nobody tagged
  are kept; when an actor mention has that entity, an ``R`` line also links the claim to the first such
  mention, so brat draws the arrow. Files made in brat with only the arrow are read too.
- **Perspectives** have no span, so each is a note on the first mention of its entity, holding JSON
  (``entity``, ``label``, ``stance``, ``frame``, ``rationale``; ``evidence`` as brat ids like ``["T5", "T7"]``).
  A perspective about an entity with no actor mention cannot be attached and is left out, with a warning.
- **Offsets** are character offsets: brat counts characters, which are Python's code points (one per emoji).
  A span running over a line break is written as fragments (``T1	claim 10 20;21 30	...``), as brat does;
  it reads back as one span from the first fragment's start to the last one's end.

What it loses: ``annotation_id`` (imported spans get ``brat-<article_id>-T<n>``, perspectives
``brat-<article_id>-N<n>``, the same on every import of the same file), ``annotator``, ``created``,
``modified``, and orphaned annotations (left out, with a warning). Lines annotkit does not use (events,
normalizations, other relations, other notes, attributes that are not annotkit columns) are ignored on import.

Import checks the ``.txt`` beside the ``.ann`` (when there is one) against the article and refuses a
different text; every span's words are checked against the article too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from ..errors import FormatError
from ..records import default_attributes
from ._rows import (
    COLUMNS,
    Row,
    first_mentions,
    generated_id,
    is_span,
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

__all__ = ["decode_value", "encode_value", "read", "write"]

NOTE_PREFIX = "annotkit:perspective "
PERSPECTIVE_KEYS = ("entity", "label", "stance", "frame", "rationale")
_WHITESPACE_OR_PERCENT = re.compile(r"[\s%]")


def encode_value(value: str) -> str:
    """An attribute value brat can hold: whitespace and ``%`` percent-encoded, everything else as it is.

    >>> encode_value("Joe Biden"), decode_value("Joe%20Biden")
    ('Joe%20Biden', 'Joe Biden')
    """
    return _WHITESPACE_OR_PERCENT.sub(lambda m: quote(m.group(), safe=""), value)


def decode_value(value: str) -> str:
    """The attribute value :func:`encode_value` encoded."""
    return unquote(value)


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of a span between line breaks: a brat text field must stay on one line."""
    pieces, at = [], start
    for match in re.finditer(r"[\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]+", text[start:end]):
        if start + match.start() > at:
            pieces.append((at, start + match.start()))
        at = start + match.end()
    if end > at:
        pieces.append((at, end))
    return pieces


def write(rows: list[Row], path: Path, article: Article) -> Path:
    """Write rows as a brat ``.ann`` file, with the article as the ``.txt`` file beside it."""
    if path.suffix != ".ann":
        msg = (
            f"A brat annotation file ends in .ann (the article text goes beside it as .txt), not '{path.name}'. "
            f"Use a name like '{path.stem}.ann'."
        )
        raise FormatError(msg)
    spans = [r for r in rows if is_span(r) and _fragments(article.text, r["start"], r["end"])]
    tids = {id(row): f"T{n}" for n, row in enumerate(spans, start=1)}
    lines = [_t_line(row, tids[id(row)], article) for row in spans]
    lines += _attribute_lines(spans, tids)
    mentions = first_mentions(spans)
    lines += _relation_lines(spans, tids, mentions)
    notes, unattached = _note_lines(rows, tids, mentions)
    lines += notes
    write_text(path, "".join(line + "\n" for line in lines))
    write_text(path.with_suffix(".txt"), article.text)
    orphans = [r["annotation_id"] or "(no id)" for r in rows if r["layer"] != "perspective" and id(r) not in tids]
    warn_left_out(path, orphans, "they are not anchored in the text (brat needs offsets)")
    warn_left_out(path, unattached, "brat can only attach a perspective to a mention of its entity")
    return path


def _t_line(row: Row, tid: str, article: Article) -> str:
    pieces = _fragments(article.text, row["start"], row["end"])
    offsets = ";".join(f"{s} {e}" for s, e in pieces)
    words = " ".join(article.text[s:e] for s, e in pieces)
    return f"{tid}\t{encode_value(label_tag(row['layer'], row['label']))} {offsets}\t{words}"


def _attribute_lines(spans: list[Row], tids: dict[int, str]) -> list[str]:
    lines = []
    for row in spans:
        for name in default_attributes():
            if row[name]:
                lines.append(f"A{len(lines) + 1}\t{name} {tids[id(row)]} {encode_value(row[name])}")
    return lines


def _relation_lines(spans: list[Row], tids: dict[int, str], mentions: dict[str, Row]) -> list[str]:
    lines = []
    for row in spans:
        speaker = mentions.get(row["said_by"]) if row["layer"] == "claim" else None
        if speaker is not None:
            lines.append(f"R{len(lines) + 1}\tsaid_by Arg1:{tids[id(row)]} Arg2:{tids[id(speaker)]}")
    return lines


def _note_lines(rows: list[Row], tids: dict[int, str], mentions: dict[str, Row]) -> tuple[list[str], list[str]]:
    claim_tids = {r["annotation_id"]: tids[id(r)] for r in rows if id(r) in tids and r["layer"] == "claim"}
    lines, unattached = [], []
    for row in rows:
        if row["layer"] != "perspective":
            continue
        mention = mentions.get(row["entity"])
        if mention is None:
            unattached.append(row["annotation_id"] or "(no id)")
            continue
        note: dict[str, Any] = {k: row[k] for k in PERSPECTIVE_KEYS if row[k] is not None}
        if row["evidence"] is not None:
            note["evidence"] = [claim_tids.get(c, c) for c in row["evidence"].split(";")]
        body = json.dumps(note, ensure_ascii=False)  # one line: json escapes line breaks and tabs
        lines.append(f"#{len(lines) + 1}\tAnnotatorNotes {tids[id(mention)]}\t{NOTE_PREFIX}{body}")
    return lines, unattached


def read(path: Path, article: Article) -> list[Row]:
    """Read rows from a brat ``.ann`` file, checked against ``article``."""
    ann = read_text(path)
    _check_txt(path, article)
    spans: dict[str, Row] = {}
    speakers: list[tuple[str, str, str]] = []
    notes: list[tuple[str, str, int]] = []
    attributes: list[tuple[str, str, str, str]] = []
    for number, line in enumerate(ann.split("\n"), start=1):
        where = f"{path.name}, line {number}"
        kind = line[:1]
        if kind == "T":
            tid, row = _read_t(line, where, article)
            spans[tid] = row
        elif kind in ("A", "M"):  # M is brat's old name for attribute lines
            attributes.append(_read_a(line, where))
        elif kind == "R":
            fields = _split(line, where, 2, "R1<TAB>said_by Arg1:T5 Arg2:T1")[1].split(" ")
            if fields[0] == "said_by" and len(fields) == 3:
                speakers.append((fields[1].removeprefix("Arg1:"), fields[2].removeprefix("Arg2:"), where))
        elif kind == "#":
            fields = _split(line, where, 3, "#1<TAB>AnnotatorNotes T1<TAB>a note")
            if fields[2].startswith(NOTE_PREFIX):
                notes.append((fields[1].split(" ")[-1], fields[2].removeprefix(NOTE_PREFIX), number))
    for tid, row in spans.items():
        row["annotation_id"] = generated_id("brat", article, tid)
    _apply_attributes(spans, attributes)
    _apply_speakers(spans, speakers)
    perspectives = [_perspective(spans, n, note, article, path) for n, note in enumerate(notes, start=1)]
    return [*spans.values(), *perspectives]


def _check_txt(path: Path, article: Article) -> None:
    txt = path.with_suffix(".txt")
    if txt.is_file() and read_text(txt) not in (article.text, article.text + "\n"):
        msg = (
            f"{txt.name} (beside {path.name}) is not the text of this article ({article.article_id}). "
            "Import the brat files with the article they were annotated on."
        )
        raise FormatError(msg)


def _split(line: str, where: str, parts: int, example: str) -> list[str]:
    fields = line.rstrip("\r").split("\t", parts - 1)
    if len(fields) != parts or not all(fields[:2]):
        msg = f"{where} is not a brat line: {line!r}. It should look like '{example}'."
        raise FormatError(msg)
    return fields


def _read_t(line: str, where: str, article: Article) -> tuple[str, Row]:
    tid, spec, words = _split(line, where, 3, "T1<TAB>official 0 9<TAB>Joe Biden")
    tag, _, offsets = spec.partition(" ")
    try:
        pieces = [tuple(int(x) for x in piece.split(" ")) for piece in offsets.split(";")]
    except ValueError:
        pieces = []
    if not pieces or any(len(p) != 2 or not 0 <= p[0] < p[1] <= len(article.text) for p in pieces):
        msg = (
            f"{where}: {tid} has the offsets {offsets!r}; brat offsets are 'start end' pairs inside the article "
            f"(0 to {len(article.text)}). Is this the .ann file of this article?"
        )
        raise FormatError(msg)
    found = " ".join(article.text[s:e] for s, e in pieces)
    if found != words:
        msg = (
            f"{where}: {tid} says its text is {words!r}, but the article has {found!r} there. "
            "Is this the .ann file of this article?"
        )
        raise FormatError(msg)
    layer, label = read_tag(decode_value(tag))
    return tid, span_row(article, layer=layer, label=label, start=pieces[0][0], end=pieces[-1][1])


def _read_a(line: str, where: str) -> tuple[str, str, str | None, str]:
    example = "A1<TAB>entity T1 Joe%20Biden"
    fields = _split(line, where, 2, example)[1].split(" ", 2)
    if len(fields) < 2:
        msg = f"{where} is not a brat attribute line: {line!r}. It should look like '{example}'."
        raise FormatError(msg)
    return fields[0], fields[1], fields[2] if len(fields) == 3 else None, where


def _apply_attributes(spans: dict[str, Row], attributes: list[tuple[str, str, str | None, str]]) -> None:
    for name, tid, value, where in attributes:
        if tid not in spans:
            msg = f"{where}: the attribute {name} is about {tid}, but there is no span {tid} in the file."
            raise FormatError(msg)
        if name in default_attributes():
            # brat's on/off attributes have no value: present means true
            spans[tid][name] = "true" if value is None else decode_value(value)


def _apply_speakers(spans: dict[str, Row], speakers: list[tuple[str, str, str]]) -> None:
    for claim, actor, where in speakers:
        if claim not in spans or actor not in spans:
            msg = f"{where}: the said_by relation links {claim} and {actor}, but the file has no such span."
            raise FormatError(msg)
        if spans[claim]["said_by"] is None:  # an attribute line is the exact value; the arrow is a fallback
            spans[claim]["said_by"] = spans[actor]["entity"]


def _perspective(spans: dict[str, Row], number: int, note: tuple[str, str, int], article: Article, path: Path) -> Row:
    tid, body, line = note
    where = f"{path.name}, line {line}"
    data = load_json(body, path, line=line)
    if not isinstance(data, dict) or tid not in spans:
        msg = f"{where}: a perspective note must be a JSON object ({{...}}) attached to a span of the file."
        raise FormatError(msg)
    row: Row = dict.fromkeys(COLUMNS)
    row.update(
        annotation_id=generated_id("brat", article, f"N{number}"),
        article_id=article.article_id,
        layer="perspective",
        label="perspective",
        status="ok",
    )
    for key in PERSPECTIVE_KEYS:
        if isinstance(data.get(key), str):
            row[key] = data[key]
    if row["entity"] is None:
        row["entity"] = spans[tid]["entity"]
    evidence = data.get("evidence")
    if isinstance(evidence, list):
        ids = [spans[e]["annotation_id"] if e in spans else str(e) for e in evidence]
        row["evidence"] = ";".join(ids)
    return row
