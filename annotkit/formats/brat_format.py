r"""brat standoff: ``name.ann`` with the annotations, and the article text beside it as ``name.txt``.

Encoding (one line each, fields separated by tabs), made for a brat project whose ``annotation.conf`` and
``visual.conf`` come from ``annotkit.export_config(scheme, format="brat")``::

    T1	official 223 232	Joe Biden                   a span: its tag, its offsets, its words
    A1	entity T1 Joe_Biden                          an attribute of a span
    R1	said_by Arg1:T5 Arg2:T1                      a claim (T5) and the actor mention who said it (T1)
    #1	AnnotatorNotes T5	Is this a quote?            the annotator's note on a span
    #2	AnnotatorNotes T1	annotkit:perspective {"entity": "Joe Biden", "stance": "support", ...}

- **Tags** are the labels (snake_case, as brat needs). Claim-layer labels other than ``claim`` are written
  ``claim-<label>`` (``claim-unsure``), because ``other`` and ``unsure`` are labels of both span layers.
- **Attribute values** cannot contain spaces in brat's configuration, so in free-text values (``entity``,
  ``said_by``, a teacher's text attribute) a space is written ``_`` and ``_``, ``%`` and other whitespace are
  percent-encoded (``Joe Biden`` -> ``Joe_Biden``, as brat shows it); choice values are ids and stay as they
  are. Old files with ``Joe%20Biden`` read the same. Empty values are not written (they read back as NA).
- **Speakers**: every claim's ``said_by`` is an attribute line, so "the journalist" and speakers nobody tagged
  are kept; when an actor mention has that entity, an ``R`` line also links the claim to the nearest such
  mention (the closest one before the claim), so brat draws the arrow. Files made in brat with only the
  arrow are read too.
- **Notes**: the annotator's note is the span's ``AnnotatorNotes`` (line breaks written ``\n``, a backslash
  ``\\``), which brat shows and edits.
- **Perspectives** have no span, so each is a note on the first mention of its entity, holding JSON
  (``entity``, ``label``, ``stance``, ``frame``, ``rationale``, ``note``, the teacher's own attributes;
  ``evidence`` as brat ids like ``["T5", "T7"]``). One about an entity with no actor mention cannot be
  attached and is left out, with a warning.
- **Offsets** are character offsets: brat counts characters, which are Python's code points (one per emoji).
  A span running over a line break is written as fragments (``T1	claim 10 20;21 30	...``), as brat does;
  it reads back as one span from the first fragment's start to the last one's end.

Reading takes what brat itself writes: relation lines with a trailing tab, and events (``E1	claim:T7``, as
brat makes a claim with its default configuration), whose attributes and relations belong to the trigger
span. A line that cannot be read, or points at a span that is not there, is left out and named in one
``FormatWarning`` for the file; the rest is imported. Lines annotkit does not use (normalizations, other
relations, notes on other things) are ignored.

What it loses: ``annotation_id`` (imported spans get ``brat-<article_id>-T<n>``, perspectives
``brat-<article_id>-N<n>``, the same on every import of the same file), ``annotator``, ``origin``,
``created``, ``modified``, and orphaned annotations (left out, with a warning).

The ``.txt`` file is written only where there is none, or the same text is already there: a different file of
that name (say, the article's original source) is never overwritten; the export stops and says where to
export instead. Import checks the ``.txt`` beside the ``.ann`` (when there is one) against the article and
refuses a different text; every span's words are checked against the article too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote, unquote

from ..errors import FormatError
from ._rows import (
    Problems,
    Row,
    blank_row,
    generated_id,
    is_span,
    label_tag,
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

__all__ = ["decode_note", "decode_value", "encode_note", "encode_value", "read", "write"]

NOTE_PREFIX = "annotkit:perspective "
#: Keys of a perspective note that are not for the note to set.
_STRUCTURE = frozenset({"annotation_id", "article_id", "layer", "status", "start", "end", "text", "prefix", "suffix"})
_ESCAPED = re.compile(r"[\s%_]")


def encode_value(value: str) -> str:
    """A free-text attribute value brat can hold: spaces as ``_``; ``_``, ``%`` and other whitespace encoded.

    >>> encode_value("Joe Biden"), decode_value("Joe_Biden"), decode_value("Joe%20Biden")
    ('Joe_Biden', 'Joe Biden', 'Joe Biden')
    """
    # quote() never escapes "_", so it is spelt out
    escapes = {" ": "_", "_": "%5F"}
    return _ESCAPED.sub(lambda m: escapes.get(m.group()) or quote(m.group(), safe=""), value)


def decode_value(value: str) -> str:
    """The free-text value :func:`encode_value` encoded (old files' ``%20`` included)."""
    return unquote(value.replace("_", " "))


def encode_note(note: str) -> str:
    r"""A note on one line: line breaks and tabs as ``\n``, ``\r``, ``\t``, a backslash as ``\\``.

    >>> encode_note("why?\nbecause"), decode_note(encode_note("a\\b\tc"))
    ('why?\\nbecause', 'a\\b\tc')
    """
    return note.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def decode_note(note: str) -> str:
    """The note :func:`encode_note` encoded."""
    return re.sub(r"\\([\\nrt])", lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m.group(1), "\\"), note)


def _free_text(scheme: Scheme) -> set[str]:
    """Attributes whose values are free text (names, sentences), encoded; choice values are ids."""
    return {a.name for layer in scheme.layers for a in layer.attributes if a.kind != "choice"}


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


def _check_txt_target(path: Path, article: Article) -> None:
    txt = path.with_suffix(".txt")
    if txt.exists() and (not txt.is_file() or txt.read_bytes() != article.text.encode("utf-8")):
        msg = (
            f"brat keeps the article's text beside the annotations, as {txt.name}, but {txt} is already there "
            "and holds something else (the article's original file?). annotkit never overwrites a file you did "
            f"not name. Export to another folder, or give another name: '{path.stem}-annotations.ann'."
        )
        raise FormatError(msg)


def write(rows: list[Row], path: Path, article: Article, setup: Setup) -> Path:
    """Write rows as a brat ``.ann`` file, with the article as the ``.txt`` file beside it."""
    if path.suffix != ".ann":
        msg = (
            f"A brat annotation file ends in .ann (the article text goes beside it as .txt), not '{path.name}'. "
            f"Use a name like '{path.stem}.ann'."
        )
        raise FormatError(msg)
    _check_txt_target(path, article)
    free = _free_text(setup.scheme) | {a for a in setup.attributes if a not in _choices(setup.scheme)}
    spans = [r for r in rows if is_span(r) and _fragments(article.text, r["start"], r["end"])]
    tids = {id(row): f"T{n}" for n, row in enumerate(spans, start=1)}
    lines = [_t_line(row, tids[id(row)], article) for row in spans]
    lines += _attribute_lines(spans, tids, setup.attributes, free)
    lines += _relation_lines(spans, tids)
    notes = [(tids[id(r)], encode_note(r["note"])) for r in spans if r.get("note")]
    perspectives, unattached = _perspective_notes(rows, spans, tids, setup.attributes)
    lines += [f"#{n}\tAnnotatorNotes {tid}\t{body}" for n, (tid, body) in enumerate(notes + perspectives, start=1)]
    write_text(path, "".join(line + "\n" for line in lines))
    txt = path.with_suffix(".txt")
    if not txt.exists():
        write_text(txt, article.text)
    orphans = [r["annotation_id"] or "(no id)" for r in rows if r["layer"] != "perspective" and id(r) not in tids]
    warn_left_out(path, orphans, "they are not anchored in the text (brat needs offsets)")
    warn_left_out(path, unattached, "brat can only attach a perspective to a mention of its entity")
    return path


def _choices(scheme: Scheme) -> set[str]:
    return {a.name for layer in scheme.layers for a in layer.attributes if a.kind == "choice"}


def _t_line(row: Row, tid: str, article: Article) -> str:
    pieces = _fragments(article.text, row["start"], row["end"])
    offsets = ";".join(f"{s} {e}" for s, e in pieces)
    words = " ".join(article.text[s:e] for s, e in pieces)
    return f"{tid}\t{label_tag(row['layer'], row['label'])} {offsets}\t{words}"


def _attribute_lines(spans: list[Row], tids: dict[int, str], attributes: tuple[str, ...], free: set[str]) -> list[str]:
    lines: list[str] = []
    for row in spans:
        for name in attributes:
            value = row.get(name)
            if value:
                shown = encode_value(value) if name in free else re.sub(r"\s", "_", value)
                lines.append(f"A{len(lines) + 1}\t{name} {tids[id(row)]} {shown}")
    return lines


def _relation_lines(spans: list[Row], tids: dict[int, str]) -> list[str]:
    lines: list[str] = []
    for row in spans:
        if row["layer"] != "claim":
            continue
        speaker = nearest_mention(spans, row.get("said_by"), near=row["start"])
        if speaker is not None:
            lines.append(f"R{len(lines) + 1}\tsaid_by Arg1:{tids[id(row)]} Arg2:{tids[id(speaker)]}")
    return lines


def _perspective_notes(
    rows: list[Row], spans: list[Row], tids: dict[int, str], attributes: tuple[str, ...]
) -> tuple[list[tuple[str, str]], list[str]]:
    claim_tids = {r["annotation_id"]: tids[id(r)] for r in spans if r["layer"] == "claim"}
    notes, unattached = [], []
    for row in rows:
        if row["layer"] != "perspective":
            continue
        mention = nearest_mention(spans, row.get("entity"))
        if mention is None:
            unattached.append(row["annotation_id"] or "(no id)")
            continue
        keys = ("label", *[a for a in attributes if a != "evidence"], "note")
        note: dict[str, Any] = {k: row.get(k) for k in keys if row.get(k) is not None}
        if row.get("evidence"):
            note["evidence"] = [claim_tids.get(c, c) for c in row["evidence"].split(";")]
        body = json.dumps(note, ensure_ascii=False)  # one line: json escapes line breaks and tabs
        notes.append((tids[id(mention)], NOTE_PREFIX + body))
    return notes, unattached


# ---------------------------------------------------------------------------------------------------- reading


def read(path: Path, article: Article, setup: Setup) -> list[Row]:
    """Read rows from a brat ``.ann`` file, checked against ``article``."""
    ann = read_text(path)
    _check_txt(path, article)
    reader = _Reader(path, article, setup)
    for number, line in enumerate(ann.split("\n"), start=1):
        if line.strip():
            reader.line(line.rstrip("\r"), number)
    return reader.finish()


def _check_txt(path: Path, article: Article) -> None:
    txt = path.with_suffix(".txt")
    if txt.is_file() and read_text(txt) not in (article.text, article.text + "\n"):
        msg = (
            f"{txt.name} (beside {path.name}) is not the text of this article ({article.article_id}). "
            "Import the brat files with the article they were annotated on."
        )
        raise FormatError(msg)


class _Reader:
    """Reads a .ann file line by line, keeping every problem to warn about once."""

    EXAMPLES: ClassVar[dict[str, str]] = {
        "T": "T1<TAB>official 0 9<TAB>Joe Biden",
        "A": "A1<TAB>entity T1 Joe_Biden",
        "R": "R1<TAB>said_by Arg1:T5 Arg2:T1",
        "E": "E1<TAB>claim:T7",
        "#": "#1<TAB>AnnotatorNotes T1<TAB>a note",
    }

    def __init__(self, path: Path, article: Article, setup: Setup) -> None:
        self.path, self.article, self.setup = path, article, setup
        self.problems = Problems(path)
        self.free = _free_text(setup.scheme)
        self.spans: dict[str, Row] = {}
        self.events: dict[str, str] = {}  # event id -> its trigger span
        self.attributes: list[tuple[str, str, str | None, int]] = []
        self.speakers: list[tuple[str, str, int]] = []
        self.notes: list[tuple[str, str, int]] = []
        self.lines = 0

    def _fields(self, line: str, number: int, parts: int) -> list[str] | None:
        # brat's own server ends relation lines with a tab: trailing whitespace is not a field (but a span's
        # words are kept exactly)
        fields = (line if line[:1] == "T" else line.rstrip()).split("\t", parts - 1)
        if len(fields) != parts or not fields[0] or not fields[1].strip():
            example = self.EXAMPLES.get(line[:1], "")
            self.problems.add(f"line {number} is not a brat line ({line!r}; it should look like '{example}')")
            return None
        return fields

    def line(self, line: str, number: int) -> None:
        self.lines += 1
        kind = line[:1]
        if kind == "T":
            fields = self._fields(line, number, 3)
            if fields is not None:
                self._t(fields, number)
        elif kind in ("A", "M"):  # M is brat's old name for attribute lines
            fields = self._fields(line, number, 2)
            parts = fields[1].split(" ", 2) if fields else []
            if fields is not None and len(parts) >= 2:
                self.attributes.append((parts[0], parts[1], parts[2] if len(parts) == 3 else None, number))
            elif fields is not None:
                self.problems.add(f"line {number} is not a brat attribute line ({line!r})")
        elif kind == "E":
            fields = self._fields(line, number, 2)
            trigger = fields[1].split()[0].split(":") if fields else []
            if fields is not None and len(trigger) == 2:
                self.events[fields[0]] = trigger[1]
            elif fields is not None:
                self.problems.add(f"line {number} is not a brat event line ({line!r})")
        elif kind == "R":
            fields = self._fields(line, number, 2)
            parts = fields[1].split() if fields else []
            if len(parts) == 3 and parts[0] == "said_by":
                self.speakers.append((parts[1].split(":")[-1], parts[2].split(":")[-1], number))
        elif kind == "#":
            fields = self._fields(line, number, 2)
            spec, _, note = fields[1].partition("\t") if fields else ("", "", "")
            if spec.split(" ")[0] == "AnnotatorNotes" and note:
                self.notes.append((spec.split(" ")[-1], note, number))

    def _t(self, fields: list[str], number: int) -> None:
        tid, spec, words = (*fields, "")[:3]
        tag, _, offsets = spec.partition(" ")
        try:
            pieces = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
        except ValueError:
            pieces = []
        if not pieces or any(len(p) != 2 or not 0 <= p[0] < p[1] <= len(self.article.text) for p in pieces):
            self.problems.add(
                f"line {number}: {tid} has the offsets {offsets!r}, which are not 'start end' pairs inside the "
                f"article (0 to {len(self.article.text)}), so it was left out"
            )
            return
        found = " ".join(self.article.text[s:e] for s, e in pieces)
        if found != words:
            self.problems.add(
                f"line {number}: {tid} says its text is {words!r}, but the article has {found!r} there, "
                "so it was left out"
            )
            return
        layer, label = read_tag(unquote(tag))
        row = span_row(self.article, layer=layer, label=label, start=pieces[0][0], end=pieces[-1][1])
        row["annotation_id"] = generated_id("brat", self.article, tid)
        self.spans[tid] = row

    def _span(self, ref: str) -> Row | None:
        return self.spans.get(self.events.get(ref, ref))

    def finish(self) -> list[Row]:
        for name, ref, value, number in self.attributes:
            row = self._span(ref)
            if row is None:
                self.problems.add(f"line {number}: the attribute {name} is about {ref}, which is not in the file")
            elif value is None:
                row[name] = "true"  # brat's on/off attributes have no value: present means true
            else:
                row[name] = decode_value(value) if name in self.free or "%" in value else value
        for claim_ref, actor_ref, number in self.speakers:
            claim, actor = self._span(claim_ref), self._span(actor_ref)
            if claim is None or actor is None:
                missing = claim_ref if claim is None else actor_ref
                self.problems.add(f"line {number}: the said_by relation points at {missing}, which is not in the file")
            elif claim.get("said_by") is None:  # an attribute line is the exact value; the arrow is a fallback
                claim["said_by"] = actor.get("entity")
        perspectives: list[Row] = []
        for ref, body, number in self.notes:
            row = self._span(ref)
            if row is None:
                self.problems.add(f"line {number}: the note is about {ref}, which is not in the file")
            elif body.startswith(NOTE_PREFIX):
                perspective = self._perspective(row, body.removeprefix(NOTE_PREFIX), number, len(perspectives) + 1)
                if perspective is not None:
                    perspectives.append(perspective)
            else:
                row["note"] = "\n".join(filter(None, [row.get("note"), decode_note(body)]))
        if self.lines and not self.spans and self.problems:
            msg = f"{self.path.name} has no span annotkit can read: {self.problems.items[0]}."
            raise FormatError(msg)
        self.problems.warn(stacklevel=5)
        return [*self.spans.values(), *perspectives]

    def _perspective(self, mention: Row, body: str, number: int, n: int) -> Row | None:
        try:
            data = json.loads(body)
        except json.JSONDecodeError:
            data = None
        if not isinstance(data, dict):
            self.problems.add(f"line {number}: the perspective note is not a JSON object ({{...}}), so it was left out")
            return None
        row = blank_row()
        row.update(
            annotation_id=generated_id("brat", self.article, f"N{n}"),
            article_id=self.article.article_id,
            layer="perspective",
            label="perspective",
            status="ok",
        )
        row.update({k: v for k, v in data.items() if isinstance(v, str) and k not in _STRUCTURE})
        if row.get("entity") is None:
            row["entity"] = mention.get("entity")
        evidence = data.get("evidence")
        if isinstance(evidence, list):
            claims = [(self._span(str(e)), str(e)) for e in evidence]
            row["evidence"] = ";".join(claim["annotation_id"] if claim else e for claim, e in claims)
        return row
