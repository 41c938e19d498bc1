"""Quotations and speakers on PolNeAR: political news from seven US publishers with human attribution annotation.

PolNeAR (github networkdynamics/PolNeAR) annotates every attribution: its source, cue and content. Its articles
belong to their publishers, so they are never committed: fetch the repository and point ``ANNOTKIT_POLNEAR`` at
its folder (the one holding ``data/train`` and ``data/dev``; ``text`` and ``attributions`` are needed,
``corenlp`` is used to score speakers given as pronouns). ``data/test`` is never read: it is kept for an
independent measurement.

What is scored:

- **gold quotations**: every top-level span in quotation marks inside an attribution's content (one per
  paragraph when it runs across paragraphs). A content PolNeAR writes as several fragments (it skips a space
  or a few characters: ``“Cassius Clay was born in Louisville.`` + ``Muhammad Ali was born in Miami.”``) is
  read as one, so a quotation opened in one fragment and closed in another is one gold quotation (until
  session 3 each fragment was read alone, which cut ~160 train quotations at their first sentence).
  A found quotation is right when, punctuation at the edges aside,
  it covers at least 80% of a gold one's characters and at most 25% more (intersection over union >= 0.8);
  each gold quotation matches once. Scare quotes, titles and nicknames that annotkit keeps apart
  (``kind`` other than ``"quotation"``) are not counted as found quotations.
- **right speaker**, over matched quotations whose attribution names a source: annotkit's speaker is right when
  its words are all words of the source (or of a fuller form of the name found in the article: "Donald Trump"
  for a source written "Trump") and its last word is one of them; a suffix ("Jr.", "II") is not
  compared. A source given as a pronoun ("he said") is
  resolved through the coreference chains of the CoreNLP annotation PolNeAR ships (automatic, so some of those
  gold referents are wrong): its referents are the chain's mentions that CoreNLP tags as a PERSON or an
  ORGANIZATION name. A pronoun whose chain names nobody that way ("the actor", "a junkyard dog", "Muslim") is
  left out and counted as unresolvable: a name cannot be checked against it (until session 3 such chains were
  the gold, and a right name always failed against them).
- **the text annotkit reads**: PolNeAR's ``<tweet author="@..." datetime="...">`` and ``<a href="...">`` tags
  are blanked out (same length, so offsets hold): their attribute values are not the article's words. Where the
  cleaning repairs a paragraph's mojibake, the paragraph is aligned character by character, so its quotations
  are still scored.

annotkit was developed on ``train`` only; ``dev`` was measured, never read. Run alone for the misses:
``python benchmarks/polnear.py --split train --show 40``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HOW_TO_GET = (
    "PolNeAR: skipped - set ANNOTKIT_POLNEAR to a copy of github networkdynamics/PolNeAR (the folder holding "
    "data/train and data/dev; never data/test)"
)
SPLITS = ("train", "dev")
PRONOUNS = frozenset("he she they it we i you his her him them their its our us me who".split())
_OPEN, _CLOSE, _BOTH = "“‘", "”’", '"'
_EDGE = " \n\t,.;:!?\"“”‘’'—–-…()"
_WORD = re.compile(r"[\w’'-]+")
_NAME_ENTITIES = frozenset(("PERSON", "ORGANIZATION"))
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "annotkit" / "polnear-coref"


def data_folder() -> Path | None:
    root = os.environ.get("ANNOTKIT_POLNEAR")
    if not root:
        return None
    for folder in (Path(root) / "data", Path(root)):
        if (folder / "train" / "text").is_dir():
            return folder
    return None


# --- the annotation ------------------------------------------------------------------------------------------


@dataclass
class GoldQuote:
    start: int
    end: int
    source: str | None  # the source span's words, None when the attribution names none
    source_span: tuple[int, int] | None


def _spans(field_: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (part.split() for part in field_.split(";"))]


def read_attributions(path: Path) -> list[dict[str, list[tuple[int, int]]]]:
    """The attributions of one .ann file: for each, its Source, Cue and Content spans."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, where = parts[1].partition(" ")
            spans[parts[0]] = (kind, _spans(where))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(item.split(":", 1) for item in parts[1].split()))
    attributions = []
    for event in events:
        attribution: dict[str, list[tuple[int, int]]] = {}
        for role in ("Source", "Cue", "Content"):
            if event.get(role) in spans:
                attribution[role] = spans[event[role]][1]
        attributions.append(attribution)
    return attributions


_DOUBLE_MARK = re.compile(r"''|‘‘|’’|``|[“”\"]")


def quoted_segments(text: str, spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Top-level spans in double quotation marks inside an attribution's content (single marks if it has no double).

    ``spans`` are the content's fragments in order: PolNeAR writes a content that skips a few characters as
    several fragments (``“Cassius Clay was born in Louisville.`` and ``Muhammad Ali was born in Miami.”``), and a
    quotation opened in one fragment and closed in another is one quotation. Doubled single marks (``''`` and
    ``‘‘ ... ’’``, as the New York Times and AP write them) are double marks.
    """
    marks = [(m.start(), m.end(), m.group()) for s, e in spans for m in _DOUBLE_MARK.finditer(text, s, e)]
    if not marks:
        marks = [
            (i, i + 1, text[i])
            for s, e in spans
            for i in range(s, e)
            if text[i] == "‘" or (text[i] == "’" and not (text[i - 1].isalnum() and text[i + 1 : i + 2].isalnum()))
        ]
    depth, opened = 0, -1
    for i, j, mark in marks:
        before = text[i - 1] if i else " "
        if mark in ("“", "‘‘", "``", "‘"):
            opening = True
        elif mark in ("”", "’’", "’"):
            opening = False
        else:  # straight marks face the word they touch
            opening = depth == 0 if mark == '"' else (before.isspace() or before in "([—–-")
        if opening and depth == 0:
            opened = j
            depth = 1
        elif opening:
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                yield from _by_paragraph(text, opened, i)
    if depth and opened >= 0:
        yield from _by_paragraph(text, opened, spans[-1][1])


def _by_paragraph(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    for part in re.finditer(r"[^\n]+", text[start:end]):
        s, e = _trim(text, start + part.start(), start + part.end())
        if e - s >= 2:
            yield s, e


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def gold_quotes(text: str, attributions: list[dict[str, list[tuple[int, int]]]]) -> list[GoldQuote]:
    quotes = []
    for attribution in attributions:
        source = attribution.get("Source")
        source_text = " ".join(text[s:e] for s, e in source) if source else None
        source_span = (source[0][0], source[-1][1]) if source else None
        content = sorted(attribution.get("Content", []))
        if content:
            for s, e in quoted_segments(text, content):
                quotes.append(GoldQuote(s, e, source_text, source_span))
    quotes.sort(key=lambda q: q.start)
    unique: list[GoldQuote] = []
    for quote in quotes:
        if not unique or (quote.start, quote.end) != (unique[-1].start, unique[-1].end):
            unique.append(quote)
    return unique


# --- coreference from CoreNLP, for pronoun sources ---------------------------------------------------------------


def coref_chains(xml: Path) -> list[list[tuple[int, int, str, bool]]]:
    """Each CoreNLP coreference chain as ``(start, end, text, named)`` mentions; cached as JSON.

    ``named`` is True when a word of the mention is a name by CoreNLP's entity tagger (PERSON, ORGANIZATION).
    """
    cache = CACHE / f"{xml.parent.parent.name}-{xml.name}.v2.json"
    if cache.is_file():
        return [[tuple(m) for m in chain] for chain in json.loads(cache.read_text(encoding="utf-8"))]
    from lxml import etree

    tree = etree.parse(str(xml))
    offsets: dict[tuple[int, int], tuple[int, int]] = {}
    named_tokens: set[tuple[int, int]] = set()
    for sentence in tree.iterfind(".//sentences/sentence"):
        sid = int(sentence.get("id"))
        for token in sentence.iterfind("tokens/token"):
            key = (sid, int(token.get("id")))
            offsets[key] = (int(token.findtext("CharacterOffsetBegin")), int(token.findtext("CharacterOffsetEnd")))
            if token.findtext("NER") in _NAME_ENTITIES:
                named_tokens.add(key)
    chains = []
    for chain in tree.iterfind(".//coreference/coreference"):
        mentions = []
        for mention in chain.iterfind("mention"):
            sid, start, end = (int(mention.findtext(k)) for k in ("sentence", "start", "end"))
            if (sid, start) in offsets and (sid, end - 1) in offsets:
                named = any((sid, k) in named_tokens for k in range(start, end))
                mentions.append((offsets[(sid, start)][0], offsets[(sid, end - 1)][1], mention.findtext("text"), named))
        chains.append(mentions)
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(chains), encoding="utf-8")
    return chains


# --- scoring -------------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    words = []
    for word in _WORD.findall(text.lower().replace("’", "'")):
        word = word.strip("'-")
        word = word[:-2] if word.endswith("'s") else word
        if word:
            words.append(word)
    return words


def _allowed_words(article_text: str, names: list[str]) -> set[str]:
    allowed: set[str] = set()
    for name in names:
        allowed.update(_words(name))
        # Every capitalized word of the source may be the surname of a fuller name in the article
        # ("Perry, strategic partnership manager in Georgia" is the article's "Simone Perry").
        for capitalized in {w for w in re.findall(r"[A-Z][\w’'-]+", name) if w.lower() not in PRONOUNS}:
            for match in re.finditer(rf"(?:[A-Z][\w’'.-]*\s+){{1,3}}{re.escape(capitalized)}\b", article_text):
                allowed.update(_words(match.group()))
    return allowed


_NAME_SUFFIXES = frozenset("jr sr ii iii iv".split())


def speaker_right(speaker: str | None, allowed: set[str]) -> bool:
    # "Joseph R. Murray II" is the source "Joseph R. Murray": a generational suffix is part of no other name.
    words = [w for w in _words(speaker or "") if w.rstrip(".") not in _NAME_SUFFIXES]
    return bool(words) and words[-1] in allowed and all(w in allowed for w in words)


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    matched: int = 0
    named: int = 0
    named_right: int = 0
    pronoun: int = 0
    pronoun_right: int = 0
    pronoun_unresolved: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    @property
    def precision(self) -> float:
        return self.matched / max(self.found, 1)

    @property
    def recall(self) -> float:
        return self.matched / max(self.gold, 1)

    @property
    def speaker(self) -> float:
        return (self.named_right + self.pronoun_right) / max(self.named + self.pronoun, 1)


def _raw_to_clean(raw: str, clean: str) -> list[int]:
    """For each character of ``raw``, its offset in ``clean`` (-1 for white space and dropped text)."""
    mapping = [-1] * (len(raw) + 1)
    raw_chars = [(i, ch) for i, ch in enumerate(raw) if not ch.isspace()]
    raw_string = "".join(ch for _, ch in raw_chars)
    cursor = 0
    for paragraph in re.finditer(r"[^\n]+", clean):
        clean_chars = [(paragraph.start() + i, ch) for i, ch in enumerate(paragraph.group()) if not ch.isspace()]
        needle = "".join(ch for _, ch in clean_chars)
        at = raw_string.find(needle, cursor)
        if at >= 0:
            for k, (clean_index, _) in enumerate(clean_chars):
                mapping[raw_chars[at + k][0]] = clean_index
            cursor = at + len(needle)
            continue
        # The cleaning changed a few characters (it repairs mojibake such as "PeÃ±a"): align the paragraph
        # character by character between its first and last words as they stand in the raw text.
        head, tail = needle[:12], needle[-12:]
        first = raw_string.find(head, cursor)
        last = raw_string.find(tail, max(first, cursor)) if first >= 0 else -1
        if first < 0 or last < 0 or last + len(tail) - first > 2 * len(needle) + 50:
            continue
        window = raw_string[first : last + len(tail)]
        for block in difflib.SequenceMatcher(None, window, needle, autojunk=False).get_matching_blocks():
            for k in range(block.size):
                mapping[raw_chars[first + block.a + k][0]] = clean_chars[block.b + k][0]
        cursor = last + len(tail)
    return mapping


def _map_span(mapping: list[int], start: int, end: int) -> tuple[int, int] | None:
    inside = [mapping[i] for i in range(start, end) if mapping[i] >= 0]
    return (min(inside), max(inside) + 1) if inside else None


_MARKUP = re.compile(r"</?(?:tweet|a)\b[^<>]*>")


def without_markup(raw: str) -> str:
    """The text a reader sees: PolNeAR's ``<tweet author="@..." datetime="...">`` and ``<a href="...">`` tags
    blanked out (same length, so every offset still holds); their attribute values are not the article's words.
    """
    return _MARKUP.sub(lambda m: " " * len(m.group()), raw)


def score_article(text_path: Path, ann_path: Path, corenlp: Path | None) -> Tally:
    import annotkit

    raw = text_path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        article = annotkit.Article.from_text(without_markup(raw), source=text_path.name)
    text = article.text
    mapping = _raw_to_clean(raw, text)
    gold = gold_quotes(raw, read_attributions(ann_path))
    quotes = article.quotes
    if "kind" in quotes.columns:
        quotes = quotes[quotes.kind == "quotation"]
    found = [(_trim(text, int(q.start), int(q.end)), q.speaker) for q in quotes.itertuples()]
    chains = coref_chains(corenlp) if corenlp and corenlp.is_file() else []
    tally = Tally(gold=len(gold), found=len(found))
    used: set[int] = set()
    name = text_path.stem
    for quote in gold:
        span = _map_span(mapping, quote.start, quote.end)
        best, best_score = None, 0.0
        if span:
            for index, ((s, e), _) in enumerate(found):
                if index in used or e <= span[0] or s >= span[1]:
                    continue
                overlap = min(e, span[1]) - max(s, span[0])
                score = overlap / (max(e, span[1]) - min(s, span[0]))
                if score > best_score:
                    best, best_score = index, score
        if best is None or best_score < 0.8:
            tally.misses.append(f"{name}: missed {raw[quote.start : quote.end][:70]!r}")
            continue
        used.add(best)
        tally.matched += 1
        if quote.source is None:
            continue
        speaker = found[best][1]
        speaker = None if speaker is None or str(speaker) == "<NA>" else str(speaker)
        source_words = _words(quote.source)
        if len(source_words) == 1 and source_words[0] in PRONOUNS:
            referents = _referents(chains, quote.source_span)
            if not referents:
                tally.pronoun_unresolved += 1
                continue
            tally.pronoun += 1
            right = speaker_right(speaker, _allowed_words(raw, referents))
            tally.pronoun_right += right
        else:
            tally.named += 1
            right = speaker_right(speaker, _allowed_words(raw, [quote.source]))
            tally.named_right += right
        if not right:
            tally.misses.append(
                f"{name}: speaker {speaker!r}, source {quote.source!r} for {raw[quote.start : quote.end][:50]!r}"
            )
    for index, ((s, e), _) in enumerate(found):
        if index not in used:
            tally.misses.append(f"{name}: extra {text[s:e][:70]!r}")
    return tally


def _referents(chains: list[list[tuple[int, int, str, bool]]], span: tuple[int, int] | None) -> list[str]:
    """The names a pronoun's coreference chain gives it: mentions holding a PERSON or ORGANIZATION name.

    A chain with no such mention ("the actor", "a junkyard dog", "Muslim") names nobody: the pronoun is left out.
    """
    if span is None:
        return []
    for chain in chains:
        if any(s < span[1] and e > span[0] for s, e, _, _ in chain):
            return [t for _, _, t, named in chain if named and not set(_words(t)) <= PRONOUNS]
    return []


def articles(folder: Path, split: str) -> Iterator[tuple[Path, Path, Path]]:
    if split not in SPLITS:  # data/test is kept for an independent measurement and never read here
        msg = f"split must be one of {SPLITS}"
        raise ValueError(msg)
    base = folder / split
    annotations: dict[str, Path] = {}
    for ann in sorted((base / "attributions").glob("*.ann")):
        annotations.setdefault(ann.stem.rsplit("_", 1)[0], ann)  # one annotator per article: the first by id
    for text_path in sorted((base / "text").glob("*.txt")):
        ann = annotations.get(text_path.stem)
        if ann:
            yield text_path, ann, base / "corenlp" / f"{text_path.name}.xml"


def measure(folder: Path, split: str) -> Tally:
    total = Tally()
    for text_path, ann, corenlp in articles(folder, split):
        total.add(score_article(text_path, ann, corenlp))
    return total


def rows() -> list[tuple[str, str, str, str]]:
    folder = data_folder()
    if folder is None:
        return [("quotations in PolNeAR", "not measured", "", HOW_TO_GET)]
    table = []
    for split in SPLITS:
        tally = measure(folder, split)
        label = "tuned on" if split == "train" else "held out"
        quotes_met = tally.precision >= 0.95 and tally.recall >= 0.95
        table.append(
            (
                f"PolNeAR {split} ({label}): quotations",
                f"P {tally.precision:.3f} R {tally.recall:.3f} ({tally.gold} gold)",
                "P and R >= 0.95",
                "met" if quotes_met else "MISSED",
            )
        )
        table.append(
            (
                f"PolNeAR {split} ({label}): right speaker",
                f"{tally.speaker:.3f} (named {tally.named_right / max(tally.named, 1):.3f} of {tally.named}, "
                f"pronoun {tally.pronoun_right / max(tally.pronoun, 1):.3f} of {tally.pronoun}; "
                f"{tally.pronoun_unresolved} pronouns unresolvable)",
                ">= 0.85",
                "met" if tally.speaker >= 0.85 else "MISSED",
            )
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--show", type=int, default=0, help="print this many misses (train only)")
    parser.add_argument("--grep", default="", help="only misses containing this text")
    args = parser.parse_args()
    folder = data_folder()
    if folder is None:
        print(HOW_TO_GET)
        sys.exit(1)
    tally = measure(folder, args.split)
    print(
        f"{args.split}: quotations P {tally.precision:.3f} R {tally.recall:.3f} (gold {tally.gold}, found "
        f"{tally.found}, matched {tally.matched}) | speaker {tally.speaker:.3f} named {tally.named_right}/"
        f"{tally.named} pronoun {tally.pronoun_right}/{tally.pronoun} unresolved {tally.pronoun_unresolved}"
    )
    if args.show and args.split == "train":  # dev is measured, never read
        misses = [m for m in tally.misses if args.grep in m]
        for miss in misses[: args.show]:
            print("  ", miss)


if __name__ == "__main__":
    main()
