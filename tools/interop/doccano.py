"""Record what doccano does with annotkit's exports: import, look in its editor, edit with the mouse, export again.

Run from the repository (a few minutes; doccano 1.8.4 in its own venv, see README.md here)::

    .venv/bin/python tools/interop/doccano.py

doccano's own ``webserver`` command binds every interface, so its Django app runs under gunicorn on 127.0.0.1
(checked with ``ss -ltnp``), with its task queue (celery, which listens on nothing) beside it, a throw-away
database and a random password. Projects: the answer key in a default project (overlapping spans off), and in
one with overlapping spans and relation labeling on; the emoji article in a project of each kind, and in one with
doccano's "grapheme mode" on.

In Chromium it opens each project's editor the way a person does (the project page, then "Start Annotation"),
reads back from the page which words each drawn underline covers and compares them with the spans annotkit
wrote, takes screenshots, and then edits the emoji article with the mouse: "warned" tagged as a claim in both
kinds of project; in the default one the claim "Parade Will Go Ahead" deleted; in the relation project "Police
chief Ana Souza" relabelled public_or_civil_society, a said_by arrow drawn from "warned" to it, and the arrow of
"Parade Will Go Ahead" deleted. Exports go to tests/fixtures/interop/recorded-0.2/doccano/.

Two things in doccano 1.8.4's front end the script steps around (both seen here, with the page's own requests):

- a direct load of ``/projects/<id>/sequence-labeling?page=1&q=&isChecked=`` asks its API for
  ``examples?...&confirmed=null&q=null``, which finds no example, so the annotation area stays blank;
- "Start Annotation" pressed before the project has loaded goes to ``/projects/<id>/undefined`` (the project's
  type is not known yet when the link is made).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
import zipfile
from http.cookiejar import CookieJar
from pathlib import Path

import _common as c

import annotkit

VENV = c.TOOLS_VENVS / "doccano"
BACKEND = next((VENV / "lib").glob("python3*/site-packages/backend"))
OUT = c.RECORDED / "doccano"


class Api:
    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.token = ""

    def call(self, method: str, path: str, data: object = None, *, raw: bool = False, form: bytes | None = None,
             content_type: str = "application/json") -> object:  # fmt: skip
        body = form if form is not None else (None if data is None else json.dumps(data).encode("utf-8"))
        request = urllib.request.Request(self.base + path, data=body, method=method)
        if self.token:
            request.add_header("Authorization", f"Token {self.token}")
        if body is not None:
            request.add_header("Content-Type", content_type)
        with self.opener.open(request, timeout=300) as response:
            payload = response.read()
        if raw:
            return payload
        return json.loads(payload) if payload else None

    def wait(self, task_id: str) -> dict:
        for _ in range(300):
            status = self.call("GET", f"/v1/tasks/status/{task_id}")
            if status.get("ready"):  # type: ignore[union-attr]
                if status.get("error"):  # type: ignore[union-attr]
                    raise RuntimeError(f"doccano's task failed: {status}")
                return status  # type: ignore[return-value]
            time.sleep(1)
        raise RuntimeError(f"doccano's task {task_id} did not finish")


def our_export(frame, article) -> bytes:
    path = Path(tempfile.mkdtemp()) / "export.jsonl"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", annotkit.FormatWarning)
        annotkit.export(frame, path, format="doccano", article=article)
    return path.read_bytes()


def upload(api: Api, project: int, content: bytes, *, relations: bool) -> None:
    boundary = "annotkit" + c.token()[:16]
    form = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="filepond"; filename="annotkit.jsonl"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    upload_id = api.call(
        "POST", "/v1/fp/process/", form=form, raw=True, content_type=f"multipart/form-data; boundary={boundary}"
    )
    task = "RelationExtraction" if relations else "SequenceLabeling"
    options = {"uploadIds": [upload_id.decode()], "format": "JSONL", "task": task, "column_data": "text",
               "column_label": "label", "delimiter": ",", "encoding": "utf_8"}  # type: ignore[union-attr]  # fmt: skip
    started = api.call("POST", f"/v1/projects/{project}/upload", options)
    status = api.wait(started["task_id"])  # type: ignore[index]
    if status.get("error"):
        raise RuntimeError(f"doccano refused the import: {status}")


def download(api: Api, project: int, name: str | None) -> bytes:
    """doccano's JSONL export of a project, saved as ``name`` in the fixtures (not saved without a name)."""
    started = api.call("POST", f"/v1/projects/{project}/download", {"format": "JSONL", "exportApproved": False})
    task_id = started["task_id"]  # type: ignore[index]
    api.wait(task_id)
    payload = api.call("GET", f"/v1/projects/{project}/download?taskId={task_id}", raw=True)
    if payload[:2] == b"PK":  # type: ignore[index]
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:  # type: ignore[arg-type]
            payload = b"".join(archive.read(n) for n in archive.namelist())
    if name is not None:
        save(name, payload)  # type: ignore[arg-type]
    return payload  # type: ignore[return-value]


def save(name: str, content: bytes) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_bytes(content)
    print("recorded", OUT / name)


def make_project(api: Api, name: str, *, overlapping: bool, relations: bool, graphemes: bool = False) -> int:
    spec = {
        "name": f"annotkit {name}", "description": "annotkit interop", "guideline": "", "project_type":
        "SequenceLabeling", "resourcetype": "SequenceLabelingProject", "allow_overlapping": overlapping,
        "use_relation": relations, "grapheme_mode": graphemes, "random_order": False,
        "collaborative_annotation": False,
    }  # fmt: skip
    return int(api.call("POST", "/v1/projects", spec)["id"])  # type: ignore[index]


# ------------------------------------------------------------------------------------------- doccano's editor
# Its editor (v-annotator) draws each line of text as an SVG <text> whose ``annotatorElement`` holds the line's
# start and end offsets in the article, and each span as a <line> under it (with its label, except where the span
# goes on from the line before). It only draws the lines on screen, so the page is scrolled to see them all.

_DRAWN = """() => {
    const found = [];
    for (const text of document.querySelectorAll('svg text')) {
        const line = text.annotatorElement;
        if (!line || !text.firstChild || !/^\\d+:\\d+$/.test(text.id)) continue;
        const mids = [];
        for (let i = 0; i < text.getNumberOfChars(); i++) {
            try { mids.push((text.getStartPositionOfChar(i).x + text.getEndPositionOfChar(i).x) / 2); }
            catch (e) { mids.push(null); }
        }
        for (const mark of text.parentElement.querySelectorAll(':scope > g > line')) {
            const cap = (parseFloat(mark.getAttribute('stroke-width')) || 0) / 2;
            const x1 = mark.x1.baseVal.value - cap, x2 = mark.x2.baseVal.value + cap;
            const under = mids.map((m, i) => [m, i]).filter(([m]) => m !== null && m >= x1 && m <= x2);
            if (!under.length) continue;
            const label = mark.parentElement.querySelector(':scope > g > text');
            found.push({line: [line.startOffset, line.endOffset], start: line.startOffset + under[0][1],
                        end: line.startOffset + under[under.length - 1][1] + 1, level: mark.y1.baseVal.value,
                        color: mark.getAttribute('stroke'), label: label ? label.textContent : null,
                        cx: (mark.x1.baseVal.value + mark.x2.baseVal.value) / 2, svg: text.closest('svg').id});
        }
    }
    return found;
}"""

# an arrow is a <path> from the span it points to (its arrowhead, at the span's middle) up, across and down to
# the middle of the span it starts from
_ARROWS = """() => Array.from(document.querySelectorAll('svg path[marker-start]')).map(path => {
    const tokens = path.getAttribute('d').match(/[A-Za-z]|-?\\d*\\.?\\d+/g);
    let x = null, first = null, command = null, args = [];
    const take = () => {
        if (command === 'M' || command === 'L') x = args[0];
        else if (command === 'H') x = args[0];
        else if (command === 'A') x = args[5];
        if (first === null && x !== null) first = x;
    };
    for (const t of tokens) {
        if (/[A-Za-z]/.test(t)) { if (command) take(); command = t; args = []; } else args.push(parseFloat(t));
    }
    if (command) take();
    const label = path.parentElement.querySelector('text');
    return {svg: path.closest('svg').id, to: first, from: x, label: label ? label.textContent : null};
})"""

_FIND = """([words]) => {
    const lines = Array.from(document.querySelectorAll('svg text'))
        .filter(e => e.annotatorElement && e.firstChild && /^\\d+:\\d+$/.test(e.id));
    let all = '';
    const marks = [];
    for (const e of lines) { marks.push([all.length, e.firstChild]); all += e.textContent; }
    const at = all.indexOf(words);
    if (at < 0) return null;
    const box = (k) => {
        let mark = marks[0];
        for (const m of marks) if (m[0] <= k) mark = m;
        const range = document.createRange();
        range.setStart(mark[1], k - mark[0]);
        range.setEnd(mark[1], k - mark[0] + 1);
        return range.getBoundingClientRect();
    };
    const a = box(at), b = box(at + words.length - 1);
    return {x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2, bottom: a.bottom};
}"""

_LABEL_UNDER = """([x, y, name]) => {
    let best = null, distance = Infinity;
    for (const g of document.querySelectorAll('svg g')) {
        const circle = g.querySelector(':scope > circle'), text = g.querySelector(':scope > text');
        const shown = text ? text.textContent.trim() : '';  // a long label is cut short: "public_or_ci..."
        if (!circle || !(shown === name || (shown.endsWith('...') && name.startsWith(shown.slice(0, -3))))) continue;
        const r = circle.getBoundingClientRect();
        const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
        if (cy < y || Math.hypot(cx - x, cy - y) >= distance) continue;
        distance = Math.hypot(cx - x, cy - y);
        best = {x: cx, y: cy};
    }
    return best;
}"""

_ARROW_ABOVE = """([words, name]) => {
    for (const text of document.querySelectorAll('svg text')) {
        if (!text.annotatorElement || !text.textContent.includes(words)) continue;
        const arrows = Array.from(text.closest('svg').querySelectorAll('g > text'))
            .filter(t => t.textContent.trim() === name && !t.annotatorElement);
        if (arrows.length !== 1) return null;
        const r = arrows[0].getBoundingClientRect();
        return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }
    return null;
}"""


def open_editor(page, base: str, project: int, name: str) -> None:
    """Open a project's annotation page as a person does: the project page, then "Start Annotation"."""
    page.goto(f"{base}/projects/{project}")
    # the header shows the project's name once it has loaded; pressed before that, the button's link is
    # /projects/<id>/undefined
    page.get_by_text(f"annotkit {name}", exact=True).first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.get_by_text("Start Annotation").first.click()
    page.wait_for_url(f"**/projects/{project}/sequence-labeling**", timeout=30_000)
    page.locator("svg text").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)


def read_editor(page) -> tuple[list[dict], list[dict], list[tuple[int, int]]]:
    """The underlines and arrows doccano's editor draws, and its lines (start, end in UTF-16 units of the text).

    A span that goes on over a line break is drawn as one underline per line, so underlines are per line.
    """
    marks: dict[str, dict] = {}
    arrows: dict[str, dict] = {}
    height = page.evaluate("() => document.documentElement.scrollHeight")
    for y in range(0, height + 1000, 500):
        page.evaluate(f"() => window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
        for mark in page.evaluate(_DRAWN):
            marks[json.dumps(mark, sort_keys=True)] = mark
        for arrow in page.evaluate(_ARROWS):
            arrows[json.dumps(arrow, sort_keys=True)] = arrow
    page.evaluate("() => window.scrollTo(0, 0)")
    lines = sorted({tuple(m["line"]) for m in marks.values()})
    return list(marks.values()), list(arrows.values()), lines  # type: ignore[return-value]


def check_drawn(page, line: dict, name: str, *, relations: bool) -> bool:
    """Compare what the editor draws with the spans and arrows of doccano's export line; print what differs.

    Each stored span is cut at the editor's line breaks; it is on its words when every piece is underlined. An
    arrow is right when it runs from the middle of its claim's underline to the middle of its speaker's (arrows
    between spans on different lines are drawn in pieces, and only counted).
    """
    units = line["text"].encode("utf-16-le")
    # a relation project keeps its spans under "entities", a default one under "label"
    stored = line["entities"] if relations else line["label"]
    expected = sorted((e["start_offset"], e["end_offset"]) if isinstance(e, dict) else (e[0], e[1]) for e in stored)
    marks, arrows, lines = read_editor(page)
    left = sorted((m["start"], m["end"]) for m in marks)
    wrong = []
    for start, end in expected:
        pieces = [(max(start, a), min(end, b)) for a, b in lines if max(start, a) < min(end, b)]
        if pieces and all(p in left for p in pieces):
            for p in pieces:
                left.remove(p)
        else:
            wrong.append((start, end))

    def words(start: int, end: int) -> str:
        return units[2 * start : 2 * end].decode("utf-16-le", errors="replace")

    print(f"  {name}: {len(expected) - len(wrong)} of {len(expected)} spans drawn on the words doccano stores")
    for s, e in wrong[:10]:
        print(f"    stored {s}-{e} {words(s, e)!r}: not underlined there")
    for s, e in left[:10]:
        print(f"    underlined {s}-{e} {words(s, e)!r}: no stored span there")
    return not wrong and not left and (not relations or check_arrows(line, marks, arrows, lines, words))


def check_arrows(line: dict, marks: list[dict], arrows: list[dict], lines: list, words) -> bool:
    """Whether every arrow of the export line whose two spans share a line is drawn between them (and say so).

    An arrow is drawn in the line where the two spans (or a piece of each) are, from the middle of one underline
    to the middle of the other.
    """
    spans = {e["id"]: (e["start_offset"], e["end_offset"]) for e in line["entities"]}

    def lines_of(span: tuple[int, int]) -> list[tuple[int, int]]:
        return [(a, b) for a, b in lines if max(span[0], a) < min(span[1], b)]

    def pieces(span: tuple[int, int]) -> list[tuple[int, int]]:
        return [(max(span[0], a), min(span[1], b)) for a, b in lines_of(span)]

    def marks_at(svg: str, x: float) -> list[tuple[int, int]]:  # overlapping spans may share a middle
        return [(m["start"], m["end"]) for m in marks if m["svg"] == svg and abs(m["cx"] - x) < 1.5]

    drawn = {
        (source, target, a["label"])
        for a in arrows
        for source in marks_at(a["svg"], a["from"])
        for target in marks_at(a["svg"], a["to"])
    }
    same_line, across, missing = 0, 0, []
    for relation in line["relations"]:
        source, target = spans[relation["from_id"]], spans[relation["to_id"]]
        if any((a, b, relation["type"]) in drawn for a in pieces(source) for b in pieces(target)):
            same_line += 1
        elif not len(lines_of(source)) == len(lines_of(target)) == 1 or lines_of(source) != lines_of(target):
            across += 1  # a span over a line break, or two lines: the arrow goes over other lines
        else:
            missing.append((words(*spans[relation["from_id"]]), words(*spans[relation["to_id"]])))
    print(f"    arrows: {same_line} of {len(line['relations'])} drawn from the claim to its speaker in one line; "
          f"{across} over more than one line (drawn in pieces, not checked); {len(missing)} missing")  # fmt: skip
    for source_words, target_words in missing:
        print(f"    no arrow drawn from {source_words!r} to {target_words!r}")
    if missing:
        print("    the arrows drawn:", sorted(arrows, key=lambda a: a["svg"])[:20])
    return not missing


def select_words(page, words: str) -> None:
    """Select ``words`` with the mouse, even where the editor broke the line inside them."""
    box = page.evaluate(_FIND, [words])
    if box is None:
        raise RuntimeError(f"{words!r} is not in doccano's editor")
    c.drag(page, box)
    page.wait_for_timeout(800)


def pick(page, label: str) -> None:
    """Choose ``label`` in the menu doccano opens after a selection or a second entity click."""
    items = page.locator(".v-menu__content:visible .v-list-item__title")
    items.first.wait_for(timeout=10_000)
    for i in range(items.count()):
        if items.nth(i).inner_text().strip() == label:
            items.nth(i).click()
            page.wait_for_timeout(1500)
            return
    raise RuntimeError(f"{label!r} is not in doccano's menu")


def click_span(page, words: str, label: str, *, button: str = "left") -> None:
    """Click the label doccano draws under the span that starts at ``words`` (right-click: doccano deletes it)."""
    box = page.evaluate(_FIND, [words])
    at = None if box is None else page.evaluate(_LABEL_UNDER, [box["x1"], box["bottom"], label])
    if at is None:
        raise RuntimeError(f"doccano draws no {label!r} span at {words!r}")
    page.mouse.click(at["x"], at["y"], button=button)
    page.wait_for_timeout(1500 if button == "right" else 600)


def delete_arrow(page, words: str, name: str) -> None:
    """Right-click the one ``name`` arrow over the line holding ``words`` (doccano deletes it)."""
    at = page.evaluate(_ARROW_ABOVE, [words, name])
    if at is None:
        raise RuntimeError(f"no single {name!r} arrow over {words!r}")
    page.mouse.click(at["x"], at["y"], button="right")
    page.wait_for_timeout(1500)


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="doccano-home-"))
    try:
        return record(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)  # the throw-away database (its password hash) goes too


def record(home: Path) -> int:
    port, password = c.free_port(), c.token()
    env = {
        "DOCCANO_HOME": str(home), "DATABASE_URL": f"sqlite:///{home}/db.sqlite3", "MEDIA_ROOT": str(home / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production", "STANDALONE": "True", "SECRET_KEY": c.token(),
        "ALLOWED_HOSTS": "127.0.0.1", "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}", "DEBUG": "False",
    }  # fmt: skip
    doccano = str(VENV / "bin" / "doccano")
    run = {"env": {**os.environ, **env}, "check": True, "capture_output": True}
    subprocess.run([doccano, "init"], **run)  # type: ignore[call-overload]
    subprocess.run([doccano, "createuser", "--username", "teacher", "--password", password], **run)  # type: ignore[call-overload]
    gunicorn = [str(VENV / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--chdir",
                str(BACKEND), "config.wsgi"]  # fmt: skip
    worker = [doccano, "task", "--concurrency", "1"]
    base = f"http://127.0.0.1:{port}"
    with c.server(gunicorn, env=env, log=c.SHOTS / "doccano.log") as web, \
            c.server(worker, env=env, log=c.SHOTS / "doccano-task.log"):  # fmt: skip
        c.wait_for(f"{base}/v1/health/", process=web, timeout=300)
        c.check_loopback_only(web, "doccano")
        api = Api(base)
        login = api.call("POST", "/v1/auth/login/", {"username": "teacher", "password": password})
        api.token = login["key"]  # type: ignore[index]
        api.cookies.clear()  # the token alone, or Django's session would ask for a CSRF token
        voa, emoji = annotkit.load_bundled_article(), c.emoji_article()
        key, mine = our_export(c.key_annotations(voa), voa), our_export(c.emoji_annotations(emoji), emoji)
        save("annotkit_emoji.jsonl", mine)  # what annotkit wrote, for the round trip's test
        projects, lines = {}, {}
        for name, content, overlapping, relations, graphemes in [
            ("key-default", key, False, False, False),
            ("key-relations", key, True, True, False),
            ("emoji-overlap", mine, True, False, False),
            ("emoji-relations", mine, True, True, False),
            ("emoji-grapheme", mine, True, True, True),
        ]:
            projects[name] = make_project(api, name, overlapping=overlapping, relations=relations,
                                          graphemes=graphemes)  # fmt: skip
            upload(api, projects[name], content, relations=relations)
            exported = download(api, projects[name], None if graphemes else f"export_{name}.jsonl")
            lines[name] = json.loads(exported.decode("utf-8").splitlines()[0])
        ok = True
        with c.chromium_page() as page:
            page.on("pageerror", lambda e: print("  doccano's page failed:", str(e)[:300]))
            page.goto(f"{base}/auth")
            page.locator("input[type=password]").wait_for(timeout=60_000)
            page.locator("input").nth(0).fill("teacher")
            page.locator("input[type=password]").fill(password)
            page.keyboard.press("Enter")
            page.wait_for_url("**/projects**", timeout=60_000)
            for name in ("emoji-relations", "emoji-overlap", "emoji-grapheme", "key-relations", "key-default"):
                open_editor(page, base, projects[name], name)
                page.screenshot(path=str(c.SHOTS / f"doccano-{name}-opened.png"))
                if name == "key-relations":  # arrows over more than one line, to be looked at
                    page.evaluate("() => window.scrollTo(0, 1600)")
                    page.wait_for_timeout(1000)
                    page.screenshot(path=str(c.SHOTS / f"doccano-{name}-further.png"))
                right = check_drawn(page, lines[name], name, relations="default" not in name and "overlap" not in name)
                ok = ok and (right if name != "emoji-grapheme" else not right)
            print("doccano's editor: tag 'warned' as a claim with the mouse, and more edits, in both kinds of project")
            for name in ("emoji-overlap", "emoji-relations"):
                open_editor(page, base, projects[name], name)
                select_words(page, "warned")
                page.screenshot(path=str(c.SHOTS / f"doccano-{name}-menu.png"))
                pick(page, "claim")
                if name == "emoji-overlap":
                    click_span(page, "Parade Will Go Ahead", "claim", button="right")  # deletes the span
                else:
                    click_span(page, "Police chief Ana Souza", "official")  # opens the menu of labels
                    pick(page, "public_or_civil_society")
                    page.locator(".v-input--switch").click()  # Span -> Relation
                    page.wait_for_timeout(800)
                    click_span(page, "warned", "claim")
                    click_span(page, "Police chief Ana Souza", "public_or_civil_society")
                    pick(page, "said_by")
                    delete_arrow(page, "Parade Will Go Ahead", "said_by")
                page.screenshot(path=str(c.SHOTS / f"doccano-{name}-edited.png"))
                edited = download(api, projects[name], f"export_{name}-uiedit.jsonl")
                line = json.loads(edited.decode("utf-8").splitlines()[0])
                ok = check_drawn(page, line, name, relations=name == "emoji-relations") and ok
    print("every span on its words" if ok else "SOME SPANS ARE DRAWN ON OTHER WORDS (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
