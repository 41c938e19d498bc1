"""The loader's quality on the gold set (tests/gold/): sentence F1, quotation precision/recall, speakers.

Run ``python tests/test_gold.py`` to print every disagreement, article by article.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import annotkit

GOLD = Path(__file__).parent / "gold"
BUNDLED = "voa-2021-07-26-us-combat-mission-iraq"
GOALS = {"sentence_f1": 0.95, "quote_precision": 0.9, "quote_recall": 0.9, "speaker_accuracy": 0.85}


@dataclass
class Tally:
    """Counts over one or more articles, and the disagreements behind them."""

    sentences_gold: int = 0
    sentences_found: int = 0
    sentences_right: int = 0
    quotes_gold: int = 0
    quotes_found: int = 0
    quotes_right: int = 0
    speakers_right: int = 0
    paragraphs_gold: int = 0
    paragraphs_right: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in vars(self):
            if name != "misses":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses

    @property
    def figures(self) -> dict[str, float]:
        precision = self.sentences_right / max(self.sentences_found, 1)
        recall = self.sentences_right / max(self.sentences_gold, 1)
        return {
            "sentence_f1": 2 * precision * recall / max(precision + recall, 1e-9),
            "quote_precision": self.quotes_right / max(self.quotes_found, 1),
            "quote_recall": self.quotes_right / max(self.quotes_gold, 1),
            "speaker_accuracy": self.speakers_right / max(self.quotes_right, 1),
            "paragraph_accuracy": self.paragraphs_right / max(self.paragraphs_gold, 1),
        }


def gold_names(split: str | None = None) -> list[str]:
    """Gold articles; ``split="heldout"`` gives those written after the rules were tuned, blind to the code."""
    names = sorted(p.stem for p in GOLD.glob("*.json"))
    if split is None:
        return names
    return [
        n for n in names if json.loads((GOLD / f"{n}.json").read_text(encoding="utf-8")).get("split", "dev") == split
    ]


def _locate(text: str, pieces: list[str]) -> list[tuple[int, int] | None]:
    """Find each gold piece in order in the article's text (None when the cleaned text lost it)."""
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for piece in pieces:
        at = text.find(piece, cursor)
        spans.append(None if at < 0 else (at, at + len(piece)))
        if at >= 0:
            cursor = at + 1
    return spans


def _speaker(value) -> str | None:
    return None if value is None or value is annotkit.__dict__.get("NA") or str(value) in ("<NA>", "nan") else value


def score_article(name: str) -> Tally:
    gold = json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", annotkit.ArticleWarning)  # the Windows-1252 article warns, as it should
        article = annotkit.load_article(GOLD / gold["file"])
    tally = Tally()

    paragraphs = list(zip(article.paragraphs.kind, article.paragraphs.text, strict=True))
    expected = [(p["kind"], p["text"]) for p in gold["paragraphs"]]
    tally.paragraphs_gold = len(expected)
    tally.paragraphs_right = sum(1 for p in expected if p in paragraphs)
    tally.misses += [f"{name}: paragraph {p!r} not produced" for p in expected if p not in paragraphs]

    gold_sentences = {s for s in _locate(article.text, gold["sentences"]) if s}
    found_sentences = set(zip(article.sentences.start, article.sentences.end, strict=True))
    tally.sentences_gold = len(gold["sentences"])
    tally.sentences_found = len(found_sentences)
    tally.sentences_right = len(gold_sentences & found_sentences)
    tally.misses += [f"{name}: sentence missed {article.text[s:e]!r}" for s, e in gold_sentences - found_sentences]
    tally.misses += [f"{name}: sentence extra {article.text[s:e]!r}" for s, e in found_sentences - gold_sentences]

    quote_spans = _locate(article.text, [q["text"] for q in gold["quotes"]])
    found = {(int(r.start), int(r.end)): _speaker(r.speaker) for r in article.quotes.itertuples()}
    tally.quotes_gold = len(gold["quotes"])
    tally.quotes_found = len(found)
    for quote, span in zip(gold["quotes"], quote_spans, strict=True):
        if span not in found:
            tally.misses.append(f"{name}: quote missed {quote['text']!r}")
            continue
        tally.quotes_right += 1
        if found[span] == quote["speaker"]:
            tally.speakers_right += 1
        else:
            tally.misses.append(
                f"{name}: speaker {found[span]!r}, gold {quote['speaker']!r} for {quote['text'][:50]!r}"
            )
    gold_spans = {s for s in quote_spans if s}
    tally.misses += [f"{name}: quote extra {article.text[s:e]!r}" for s, e in found if (s, e) not in gold_spans]
    return tally


def measure(names: list[str]) -> Tally:
    total = Tally()
    for name in names:
        total.add(score_article(name))
    return total


def _report(label: str, tally: Tally) -> str:
    f = tally.figures
    return (
        f"{label}: sentences F1 {f['sentence_f1']:.3f} ({tally.sentences_gold} gold) | quotations P "
        f"{f['quote_precision']:.3f} R {f['quote_recall']:.3f} ({tally.quotes_gold} gold) | right speaker "
        f"{f['speaker_accuracy']:.3f} | paragraphs {f['paragraph_accuracy']:.3f}"
    )


def test_gold_set_covers_several_house_styles_and_formats():
    names = gold_names()
    assert BUNDLED in names
    assert len(gold_names("heldout")) >= 4
    suffixes = {Path(json.loads((GOLD / f"{n}.json").read_text())["file"]).suffix for n in names}
    assert len(names) >= 6
    assert {".txt", ".md", ".html"} <= suffixes


def test_quality_on_articles_in_other_house_styles():
    from quality_report import QUALITY_REPORT

    others = [n for n in gold_names() if n != BUNDLED]
    tally = measure(others)
    development = [n for n in gold_names("dev") if n != BUNDLED]
    heldout = gold_names("heldout")
    QUALITY_REPORT["dev"] = _report(f"development set ({len(development)} articles)", measure(development))
    QUALITY_REPORT["heldout"] = _report(f"held-out set ({len(heldout)} articles)", measure(heldout))
    QUALITY_REPORT["others"] = _report(f"all {len(others)} articles in other house styles", tally)
    figures = tally.figures
    shortfalls = {k: round(figures[k], 3) for k, goal in GOALS.items() if figures[k] < goal}
    assert not shortfalls, f"below the goals {GOALS}: {shortfalls}\n" + "\n".join(tally.misses)


@pytest.mark.parametrize("name", gold_names())
def test_every_gold_article_cleans_to_its_gold_paragraphs(name):
    tally = score_article(name)
    assert tally.figures["paragraph_accuracy"] == 1.0, "\n".join(m for m in tally.misses if "paragraph" in m)


def test_bundled_article_is_perfect():
    tally = score_article(BUNDLED)
    assert tally.misses == []


if __name__ == "__main__":
    for article_name in gold_names():
        result = score_article(article_name)
        print(_report(article_name, result))
        for miss in result.misses:
            print("   ", miss)
