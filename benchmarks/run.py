"""annotkit's speed figures, printed as two tables by `make bench`. Goals come from the issues that set them.

The first table runs pinned to one core where the OS allows it, and each figure is a median over repeats, so
it is comparable between runs on the same machine. The second is what a student and a class get from the whole
machine (issue 15): installing the course (install.py), `make lab` to the first lesson in Chromium
(first_lesson.py), and a class of real kernels tagging at once (class_kernels.py); other work on the machine
changes those, so the load average is printed beside them. Nothing here is a test: a miss is reported, not
failed.

``python benchmarks/run.py --only class --class-sizes 1 5`` runs one part (``speed``, ``install``, ``lesson``,
``class``), for a quicker look.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import annotkit
from annotkit.text import sentence_spans, token_spans

sys.path.insert(0, str(Path(__file__).resolve().parent))  # classwork.py, install.py, ... beside this file

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = annotkit.data_path("articles", "voa-2021-07-26-us-combat-mission-iraq.txt")


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def median_seconds(action: Callable[[], object], *, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def import_seconds(statement: str, *, repeat: int = 9) -> float:
    """Median wall time of an import in a fresh interpreter (the interpreter's own start-up excluded)."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    taskset = ["taskset", "-c", "0"] if Path("/usr/bin/taskset").exists() else []
    runs = [
        float(subprocess.run([*taskset, sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _ in range(repeat)
    ]
    return statistics.median(runs)


def frames(article: annotkit.Article) -> None:
    for name in ("paragraphs", "sentences", "tokens", "quotes"):
        getattr(article, name)


def annotkit_text_frames(text: str, paragraphs: list[tuple[int, int]]) -> None:
    """Token and sentence frames from annotkit's segmenter alone, for a like-for-like comparison with spaCy."""
    import pandas as pd

    sentences = [span for start, end in paragraphs for span in sentence_spans(text, start, end)]
    tokens = [(i, span) for i, (start, end) in enumerate(sentences) for span in token_spans(text, start, end)]
    pd.DataFrame({"start": [s for s, _ in sentences], "end": [e for _, e in sentences]}).assign(
        text=[text[s:e] for s, e in sentences]
    )
    pd.DataFrame(
        {
            "sent_id": [i for i, _ in tokens],
            "start": [s for _, (s, _) in tokens],
            "end": [e for _, (_, e) in tokens],
        }
    ).assign(text=[text[s:e] for _, (s, e) in tokens])


def spacy_text_frames(nlp, text: str) -> None:
    import pandas as pd

    doc = nlp(text)
    sents = list(doc.sents)
    pd.DataFrame({"start": [s.start_char for s in sents], "end": [s.end_char for s in sents]}).assign(
        text=[s.text for s in sents]
    )
    pd.DataFrame(
        {
            "sent_id": [i for i, s in enumerate(sents) for _ in s],
            "start": [t.idx for t in doc],
            "end": [t.idx + len(t) for t in doc],
        }
    ).assign(text=[t.text for t in doc])


def class_rows() -> list[tuple[str, str, str, str]]:
    """The annotation engine at class scale: the store's write latency, and a class of 1,000 submissions."""
    from classwork import write_class

    rows = []
    article = annotkit.load_bundled_article()
    start = article.text.index("President Joe Biden")
    with tempfile.TemporaryDirectory() as folder:
        store = annotkit.open_store(Path(folder) / "bench.sqlite", annotator="bench")
        timings = []
        for _ in range(300):
            begin = time.perf_counter()
            store.add(article, layer="actor", label="official", start=start, end=start + 19, entity="Joe Biden")
            timings.append(time.perf_counter() - begin)
        store.close()
        timings.sort()
        p95 = timings[int(len(timings) * 0.95)]
        rows.append(
            ("store.add, 95th percentile", f"{p95 * 1000:.2f} ms", "< 5 ms", "met" if p95 < 0.005 else "MISSED")
        )

        write_class(Path(folder) / "class", students=1000, per_student=60)
        key = annotkit.answer_key(article)
        begin = time.perf_counter()
        work = annotkit.read_submissions(Path(folder) / "class")
        read = time.perf_counter() - begin
        begin = time.perf_counter()
        annotkit.score_class(work.annotations, key)
        scored = time.perf_counter() - begin
        begin = time.perf_counter()
        annotkit.agreement(work.annotations, article=article, layer="actor")
        agreed = time.perf_counter() - begin
    total = read + scored + agreed
    rows.append(("1,000 submissions x 60: read", f"{read:.2f} s", "", ""))
    rows.append(("... score every student", f"{scored:.2f} s", "", ""))
    rows.append(("... agreement (actor layer, token units)", f"{agreed:.2f} s", "", ""))
    rows.append(
        ("... read + score + agreement", f"{total:.2f} s", "< 3 s on one core", "met" if total < 3 else "MISSED")
    )
    return rows


def tagger_rows() -> list[tuple[str, str, str, str]]:
    """A tag made in the browser, on the Python side: the message handled, the store written, the change sent.

    Lesson 02's situation: 60 actor tags already in the store. Timed with an in-memory store (the widget's own
    work) and with a store file, whose durable commit (fsync) depends on the disk.
    """
    from annotkit.widgets import ActorTagger

    article = annotkit.load_bundled_article()
    words = list(article.tokens[article.tokens["is_word"]].itertuples())
    utf16 = article.text.encode("utf-16-le")

    def offset(point: int) -> int:
        return len(article.text[:point].encode("utf-16-le")) // 2

    rows = []
    sent: list[int] = []

    def record(content: dict, buffers: object = None) -> None:  # no browser here: the message's size is kept
        sent.append(len(json.dumps(content)))

    with tempfile.TemporaryDirectory() as folder:
        for where, path in (("in-memory store", ":memory:"), ("store file", Path(folder) / "bench.sqlite")):
            store = annotkit.open_store(path, annotator="bench")
            tagger = ActorTagger(article, store=store)
            tagger.send = record
            timings = []
            for n, word in enumerate(words[:240:2]):
                message = {"event": "select", "start": offset(word.start), "end": offset(word.end), "label": "other"}
                begin = time.perf_counter()
                tagger._on_browser_message(tagger, message, [])
                if n >= 60:
                    timings.append(time.perf_counter() - begin)
            store.close()
            timings.sort()
            median, p95 = statistics.median(timings), timings[int(len(timings) * 0.95)]
            goal = "a few ms" if path == ":memory:" else "(for context: the disk)"
            figure = f"{median * 1000:.1f} / {p95 * 1000:.1f} ms"
            rows.append((f"tagger: a browser tag in Python, {where}, median / p95", figure, goal, ""))
        size = f"article: {len(utf16) // 2:,} characters"
        rows.append(("... sent to the browser per tag (largest)", f"{max(sent)} bytes", size, ""))
    return rows


BROWSER_RESULTS = ROOT / "benchmarks" / "results" / "browser.json"


def browser_rows() -> list[tuple[str, str, str, str]]:
    """The tagger's speed in Chromium, as measured by tests/browser/test_tagger.py (`make bench` runs it first)."""
    if not BROWSER_RESULTS.exists():
        return [("tagger in the browser", "not measured", "", "needs Chromium: see tests/browser")]
    import json

    measured = json.loads(BROWSER_RESULTS.read_text(encoding="utf-8"))
    render, tag = measured["render_ms"], statistics.median(measured["tag_ms"])
    return [
        (
            f"tagger: render a {measured['words']:,}-word article",
            f"{render:.0f} ms",
            "< 300 ms",
            "met" if render < 300 else "MISSED",
        ),
        (
            f"tagger: selection to saved + highlighted, median of {len(measured['tag_ms'])}",
            f"{tag:.0f} ms",
            "< 150 ms",
            "met" if tag < 150 else "MISSED",
        ),
    ]


def reader_rows() -> list[tuple[str, str, str, str]]:
    """The reader on real data nobody here wrote: saved news pages, and PolNeAR's attributions (issue 13)."""
    import polnear
    import real_pages

    return real_pages.rows() + polnear.rows()


Row = tuple[str, str, str, str]
PARTS = ("speed", "install", "lesson", "class")


def machine_rows(parts: set[str], class_sizes: tuple[int, ...]) -> list[Row]:
    """Issue 15's figures, on every core: install time, `make lab` to the first lesson, a class of kernels."""
    import class_kernels
    import first_lesson
    import install

    measures: list[tuple[str, str, Callable[[], list[Row]]]] = [
        ("install", "install: uv / pip", install.rows),
        ("lesson", "make lab to the first lesson", first_lesson.rows),
        ("class", "a class of kernels", lambda: class_kernels.rows(class_sizes)),
    ]
    rows: list[Row] = []
    for part, what, measure in measures:
        if part not in parts:
            continue
        try:
            rows += measure()
        except Exception as error:  # one part that fails leaves the others' figures standing
            traceback.print_exc()
            rows.append((what, "not measured", "", f"failed: {str(error).splitlines()[0][:80]} (traceback above)"))
    return rows


def print_table(title: str, rows: list[Row], note: str = "") -> None:
    widths = [max(len(r[i]) for r in [("what", "figure", "goal", "result"), *rows]) for i in range(4)]
    line = "| " + " | ".join("{:<" + str(w) + "}" for w in widths) + " |"
    print(title)
    print(line.format("what", "figure", "goal", "result"))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line.format(*row))
    if note:
        print(note)
    print()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS), help="the parts to run (all)")
    parser.add_argument(
        "--class-sizes", nargs="+", type=int, default=[1, 20, 40], metavar="N", help="students per class (1 20 40)"
    )
    options = parser.parse_args(argv)
    parts = set(options.only)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()
    # First, before this process is pinned to one core: what students get from the whole machine.
    machine = machine_rows(parts, tuple(options.class_sizes))
    if "speed" in parts:
        print_table(
            f"annotkit {annotkit.__version__} benchmarks, Python {sys.version.split()[0]}, one core", speed_rows()
        )
    if machine:
        note = (
            f"Load average (1, 5, 15 min) {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} when these started, "
            f"{os.getloadavg()[0]:.1f} at the end: other work on this machine shares its {cores} cores, "
            "and the times above include waiting for them"
            + (f" (this run had niceness {os.nice(0)}, so it waited longer)." if os.nice(0) else ".")
            + " CPU times do not depend on the load."
        )
        print_table(f"annotkit {annotkit.__version__}: a student's setup and a class, on {cores} cores", machine, note)


def speed_rows() -> list[Row]:
    """The first table: every figure measured on one core."""
    pin_to_one_core()
    rows: list[Row] = []

    base = import_seconds("import pandas, ipywidgets")
    ours = import_seconds("import annotkit")
    ours_with_frames = import_seconds("import annotkit; annotkit.load_bundled_article().tokens")
    rows.append(("import pandas, ipywidgets", f"{base * 1000:.0f} ms", "reference", ""))
    rows.append(("import annotkit", f"{ours * 1000:.0f} ms", "<= 130% of reference", f"{ours / base:.0%}"))
    rows.append(
        (
            "import annotkit + load + tokens frame",
            f"{ours_with_frames * 1000:.0f} ms",
            "(for context)",
            f"{ours_with_frames / base:.0%}",
        )
    )

    annotkit.load_article(BUNDLED)  # warm caches (regexes compiled, pandas imported)
    load = median_seconds(lambda: annotkit.load_article(BUNDLED), repeat=200)
    load_frames = median_seconds(lambda: frames(annotkit.load_article(BUNDLED)), repeat=100)
    rows.append(
        (
            "load_article (bundled, 5.9 KB)",
            f"{load * 1000:.2f} ms",
            "< 10 ms",
            "met" if load < 0.010 else "MISSED",
        )
    )
    rows.append(("load_article + all four frames", f"{load_frames * 1000:.2f} ms", "(for context)", ""))

    raw = BUNDLED.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        for i in range(1000):  # same size, different text, so every article gets its own id
            Path(folder, f"article-{i:04d}.txt").write_text(raw.replace("2,500", f"{2500 + i:,}"), encoding="utf-8")
        corpus_time = median_seconds(lambda: annotkit.load_articles(folder, progress=False), repeat=3)
        corpus_frames = median_seconds(lambda: annotkit.load_articles(folder, progress=False).tokens, repeat=3)
    rows.append(
        (
            "load_articles, 1,000 articles",
            f"{corpus_time:.2f} s",
            "< 5 s on one core",
            "met" if corpus_time < 5 else "MISSED",
        )
    )
    rows.append(("... and their stacked tokens frame", f"{corpus_frames:.2f} s", "(for context)", ""))

    article = annotkit.load_article(BUNDLED)
    paragraphs = list(zip(article.paragraphs.start, article.paragraphs.end, strict=True))
    ours_seg = median_seconds(lambda: annotkit_text_frames(article.text, paragraphs), repeat=200)
    try:
        import spacy
    except ImportError:
        rows.append(("spaCy blank('en') + sentencizer", "not installed", "annotkit faster", "run `make bench`"))
    else:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        spacy_text_frames(nlp, article.text)
        theirs = median_seconds(lambda: spacy_text_frames(nlp, article.text), repeat=200)
        rows.append(("token + sentence frames: annotkit", f"{ours_seg * 1000:.2f} ms", "", ""))
        rows.append(
            (
                "token + sentence frames: spaCy blank + sentencizer",
                f"{theirs * 1000:.2f} ms",
                "annotkit faster",
                f"spaCy/annotkit = {theirs / ours_seg:.1f}x",
            )
        )

    rows += class_rows()
    rows += tagger_rows()
    rows += browser_rows()
    rows += reader_rows()
    return rows


if __name__ == "__main__":
    main()
