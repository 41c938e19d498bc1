"""Shared by the recording scripts: the two articles and their annotations, servers on 127.0.0.1, Chromium.

Not part of annotkit and not run in CI: these scripts start the real tools, which are heavy. What they record
lands in tests/fixtures/interop/recorded-0.2/, which the unit tests read.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

import annotkit

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "interop"
RECORDED = FIXTURES / "recorded-0.2"
SHOTS = Path(os.environ.get("ANNOTKIT_INTEROP_SHOTS", "/tmp/annotkit-interop-shots"))
CHROMIUM = os.environ.get("ANNOTKIT_CHROMIUM", "/usr/bin/chromium")
TOOLS_VENVS = Path(os.environ.get("ANNOTKIT_TOOLS_VENVS", "/work/tools-venvs"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def token() -> str:
    return secrets.token_hex(20)


def wait_for(url: str, *, timeout: float = 300, process: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers (any HTTP status), or fail, saying so."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}) before {url} answered")
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def listening(pids: set[int]) -> list[str]:
    """The addresses the processes (and their children) listen on, as ``ss -ltnp`` reports them."""
    out = subprocess.run(["ss", "-ltnpH"], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        users = {int(p) for p in re.findall(r"pid=(\d+)", line)}
        if users & pids:
            found.append(line.split()[3])
    return found


def family(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True, check=True).stdout
    children: dict[int, list[int]] = {}
    for line in out.splitlines():
        child, parent = (int(x) for x in line.split())
        children.setdefault(parent, []).append(child)
    todo, seen = [pid], set()
    while todo:
        p = todo.pop()
        seen.add(p)
        todo += [c for c in children.get(p, []) if c not in seen]
    return seen


def check_loopback_only(process: subprocess.Popen, name: str) -> list[str]:
    """Fail unless every listening socket of the server is on 127.0.0.1; return them for the record."""
    addresses = listening(family(process.pid))
    wrong = [a for a in addresses if not a.startswith("127.0.0.1:")]
    if not addresses or wrong:
        stop(process)
        raise RuntimeError(f"{name} listens on {addresses}: only 127.0.0.1 is allowed")
    print(f"{name} listens on {', '.join(addresses)} (checked with ss -ltnp)")
    return addresses


def stop(process: subprocess.Popen) -> None:
    """Stop a server started with ``start_new_session=True``, and everything it started."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def server(command: list[str], *, env: dict[str, str] | None = None, log: Path, cwd: Path | None = None) -> Iterator:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
            cwd=cwd, start_new_session=True,
        )  # fmt: skip
        try:
            yield process
        finally:
            stop(process)


def emoji_article() -> annotkit.Article:
    return annotkit.load_article(FIXTURES / "emoji.txt")


def emoji_annotations(article: annotkit.Article) -> pd.DataFrame:
    """The emoji article's annotations, made through annotkit's store as a student's would be."""
    import tempfile

    os.environ.setdefault("ANNOTKIT_ANNOTATOR", "interop")
    store = annotkit.open_store(Path(tempfile.mkdtemp()) / "store.sqlite")
    text = article.text

    def add(layer: str, label: str, words: str, **attributes: str) -> str:
        start = text.index(words)
        return store.add(article, layer=layer, label=label, start=start, end=start + len(words), **attributes)

    add("actor", "official", "The mayor, Zoë Müller", entity="Zoë Müller", affiliation="other", identification="named")
    add("actor", "official", "Police chief Ana Souza", entity="Ana Souza", affiliation="other", identification="named")
    add("actor", "public_or_civil_society", "Café 🎉 Owners", entity="Café 🎉 Owners", identification="described")
    c1 = add("claim", "claim", "the parade 🎺 will go ahead as planned.", said_by="Zoë Müller", form="direct_quote")
    add("claim", "claim", "safe 👍 and well staffed", said_by="Ana Souza", form="mixed", checkable="no")
    add("claim", "claim", "Parade Will Go Ahead", said_by="Café 🎉 Owners", form="indirect", claim_type="prediction")
    store.add(article, layer="perspective", label="perspective", entity="Zoë Müller", stance="support",
              rationale="She says it goes ahead 🎉 as planned.", evidence=c1)  # fmt: skip
    store.add(article, layer="perspective", label="perspective", entity="Ana Souza", stance="mixed", frame="security")
    return store.annotations(article)


def key_annotations(article: annotkit.Article) -> pd.DataFrame:
    """The answer key of the bundled article, as an annotation frame of annotator "key"."""
    key = annotkit.answer_key(article)
    columns = [c for c in key.columns if c != "debatable"]
    return key[columns].assign(annotator="key", article_id=article.article_id)


def class_annotations(article: annotkit.Article, names: tuple[str, ...] = ("aisha", "ben", "carmen")) -> pd.DataFrame:
    """Three students of the synthetic sample class."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read = annotkit.read_submissions([ROOT / "data" / "sample_class" / f"{n}.json" for n in names])
    frame = read.annotations.drop(columns=["submission"], errors="ignore")
    return frame[frame.article_id == article.article_id]


def write_json(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@contextlib.contextmanager
def chromium_page() -> Iterator:
    """A page of Debian's Chromium through Playwright (never a downloaded browser), closed afterwards."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        try:
            yield chromium.new_page(viewport={"width": 1400, "height": 1000})
        finally:
            chromium.close()


_FIND_WORDS = """([words, scope]) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
        const at = node.textContent.indexOf(words);
        if (at < 0 || (scope && !node.parentElement.closest(scope))) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        const rects = range.getClientRects();
        const first = rects[0], last = rects[rects.length - 1];
        if (!first || first.width === 0) continue;
        return {x1: first.left + 1, y1: first.top + first.height / 2,
                x2: last.right - 1, y2: last.top + last.height / 2};
    }
    return null;
}"""


def select_words(page, words: str, *, scope: str | None = None) -> None:
    """Select ``words`` on the page with the mouse, as a person would: press at the first letter, drag, release.

    ``scope`` is a CSS selector the words must be inside (the editor, not a list that shows the text too).
    """
    box = page.evaluate(_FIND_WORDS, [words, scope])
    if box is None:
        raise RuntimeError(f"{words!r} is not on the page")
    drag(page, box)


def drag(page, box: dict) -> None:
    """Press the mouse at (x1, y1), drag to (x2, y2) and release, as a person selecting words does."""
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
