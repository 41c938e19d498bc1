"""Main text of real saved news pages: annotkit's ``load_article`` against trafilatura, the anchor.

The pages are the scrapinghub article-extraction benchmark (181 pages from many sites, each with a
human-made ``articleBody``; MIT licence). They are third-party articles, so they are never committed: fetch the
repository ``scrapinghub/article-extraction-benchmark`` and point ``ANNOTKIT_REAL_PAGES`` at a folder holding
its ``html/`` folder and ``ground-truth.json`` (directly, or in a ``scrapinghub/`` subfolder).

The score is the benchmark's own: precision and recall of word 4-gram shingles, normalised per page and averaged
over pages; F1 from the averages. annotkit's text is its ``body`` paragraphs (the headline, captions and credits
are kept apart by annotkit and are not part of ``articleBody``).

Pages whose id starts with 0-7 were used to develop the reader ("tuned"); those starting with 8-f were kept
aside and only measured ("held out").

Run alone for a page-by-page list: ``python benchmarks/real_pages.py [--worst 20] [--split tuned|held-out]``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HOW_TO_GET = (
    "real pages: skipped - set ANNOTKIT_REAL_PAGES to a folder with the scrapinghub article-extraction benchmark's "
    "html/ and ground-truth.json (git clone https://github.com/scrapinghub/article-extraction-benchmark)"
)
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Page:
    """One saved page: its id, raw bytes and the human-made article body."""

    page_id: str
    html: bytes
    truth: str

    @property
    def split(self) -> str:
        return "tuned" if self.page_id[0] in "01234567" else "held-out"


def pages_folder() -> Path | None:
    """The benchmark's folder from ``ANNOTKIT_REAL_PAGES``, or None when it is not set or holds no pages."""
    root = os.environ.get("ANNOTKIT_REAL_PAGES")
    if not root:
        return None
    for folder in (Path(root), Path(root) / "scrapinghub"):
        if (folder / "ground-truth.json").is_file() and (folder / "html").is_dir():
            return folder
    return None


def load_pages(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id, item in sorted(truth.items()):
        path = folder / "html" / f"{page_id}.html.gz"
        if path.is_file():
            pages.append(Page(page_id, gzip.decompress(path.read_bytes()), item.get("articleBody", "")))
    return pages


# --- the benchmark's metric (string_shingle_matching in its evaluate.py, re-written here) -------------------


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_scores(truth: str, predicted: str) -> tuple[float, float, float]:
    """``(tp, fp, fn)`` over word 4-gram shingles, normalised so that every page weighs the same."""
    gold, found = _shingles(truth), _shingles(predicted)
    tp = fp = fn = 0.0
    for key in gold.keys() | found.keys():
        tp += min(gold[key], found[key])
        fp += max(0, found[key] - gold[key])
        fn += max(0, gold[key] - found[key])
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_recall_f1(scores: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean([precision(*s) for s in scores if s[0] + s[1] > 0] or [0.0])
    r = statistics.mean([recall(*s) for s in scores if s[0] + s[2] > 0] or [0.0])
    return p, r, 2 * p * r / max(p + r, 1e-9)


# --- the two extractors ---------------------------------------------------------------------------------------


def annotkit_body(path: Path) -> tuple[str, float, str | None]:
    """annotkit's body text for a page file, the seconds ``load_article`` took, and its error if it refused."""
    import annotkit

    begin = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            article = annotkit.load_article(path)
    except annotkit.ArticleError as error:
        return "", time.perf_counter() - begin, str(error)
    seconds = time.perf_counter() - begin
    paragraphs = article.paragraphs
    return "\n".join(paragraphs.text[paragraphs.kind == "body"]), seconds, None


def trafilatura_body(html: bytes) -> tuple[str, float]:
    import trafilatura

    begin = time.perf_counter()
    text = trafilatura.extract(html) or ""
    return text, time.perf_counter() - begin


@dataclass
class Result:
    page: Page
    ours: tuple[float, float, float]
    theirs: tuple[float, float, float]
    our_seconds: float
    their_seconds: float
    refused: str | None


def measure(pages: list[Page]) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for page in pages:
            path = Path(folder, f"{page.page_id[:16]}.html")
            path.write_bytes(page.html)
            theirs, their_seconds = trafilatura_body(page.html)
            ours, our_seconds, refused = annotkit_body(path)
            results.append(
                Result(
                    page,
                    shingle_scores(page.truth, ours),
                    shingle_scores(page.truth, theirs),
                    our_seconds,
                    their_seconds,
                    refused,
                )
            )
    return results


def rows() -> list[tuple[str, str, str, str]]:
    """Rows for `make bench`: main-text P/R/F1 beside trafilatura's, per split, and the time per page."""
    folder = pages_folder()
    if folder is None:
        return [("main text of real pages", "not measured", "", HOW_TO_GET)]
    pages = load_pages(folder)
    results = measure(pages)
    table = []
    for split in ("tuned", "held-out", "all"):
        chosen = [r for r in results if split in ("all", r.page.split)]
        p, r, f = precision_recall_f1([x.ours for x in chosen])
        tp, tr, tf = precision_recall_f1([x.theirs for x in chosen])
        refused = sum(1 for x in chosen if x.refused)
        table.append(
            (
                f"main text, {len(chosen)} real pages ({split})",
                f"F1 {f:.3f} (P {p:.3f} R {r:.3f}); {refused} refused",
                f"trafilatura F1 {tf:.3f} (P {tp:.3f} R {tr:.3f})",
                "met" if f >= tf - 0.0005 else "MISSED",
            )
        )
    ours = statistics.median(x.our_seconds for x in results)
    theirs = statistics.median(x.their_seconds for x in results)
    total_ours = sum(x.our_seconds for x in results)
    total_theirs = sum(x.their_seconds for x in results)
    table.append(
        (
            "load_article on a real page (median)",
            f"{ours * 1000:.0f} ms ({total_ours:.1f} s for all)",
            f"<= 1.5x trafilatura.extract: {theirs * 1000:.0f} ms ({total_theirs:.1f} s)",
            f"{ours / theirs:.2f}x {'met' if ours <= 1.5 * theirs else 'MISSED'}",
        )
    )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tuned", "held-out", "all"), default="tuned")
    parser.add_argument("--worst", type=int, default=15, help="list the pages where annotkit does worst")
    args = parser.parse_args()
    folder = pages_folder()
    if folder is None:
        print(HOW_TO_GET)
        sys.exit(1)
    pages = [p for p in load_pages(folder) if args.split in ("all", p.split)]
    results = measure(pages)
    p, r, f = precision_recall_f1([x.ours for x in results])
    tp, tr, tf = precision_recall_f1([x.theirs for x in results])
    print(f"{len(results)} pages ({args.split}): annotkit F1 {f:.3f} P {p:.3f} R {r:.3f}", end=" | ")
    print(f"trafilatura F1 {tf:.3f} P {tp:.3f} R {tr:.3f}")
    ours, theirs = sum(x.our_seconds for x in results), sum(x.their_seconds for x in results)
    print(f"time: annotkit {ours:.2f} s, trafilatura {theirs:.2f} s")
    results.sort(key=lambda x: x.ours[0] - x.theirs[0])
    for x in results[: args.worst]:
        print(
            f"{x.page.page_id[:12]} ours tp {x.ours[0]:.2f} fp {x.ours[1]:.2f} fn {x.ours[2]:.2f} | "
            f"theirs tp {x.theirs[0]:.2f} fp {x.theirs[1]:.2f} fn {x.theirs[2]:.2f} {x.refused or ''}"
        )


if __name__ == "__main__":
    main()
