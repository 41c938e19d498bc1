"""Record what brat does with annotkit's exports: open them, annotate through its server, save.

Run from the repository (brat comes from its repository, fetched outside this one: set BRAT_SOURCE to a git
directory of github.com/nlplab/brat; it is copied to a temporary folder and never committed)::

    BRAT_SOURCE=/work/.mirror/nlplab+brat/repo .venv/bin/python tools/interop/brat.py

brat's standalone server listens on every interface; the temporary copy is patched to listen on 127.0.0.1
(checked with ``ss -ltnp``) and given a random password. annotkit's brat exports of the emoji article and of
the answer key are put in a collection with ``annotkit.export_config(format="brat")``; brat's own parser reads
them (its messages are printed: any error about a line or the configuration shows there); a claim on "warned",
a note and a said_by arc are made through brat's ajax calls, as its editor makes them, and the ``.ann`` brat
saved is recorded in tests/fixtures/interop/recorded-0.2/brat/. Screenshots of both documents in brat's editor
go to $ANNOTKIT_INTEROP_SHOTS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import warnings
from http.cookiejar import CookieJar
from pathlib import Path

import _common as c

import annotkit

OUT = c.RECORDED / "brat"


def copy_brat(source: Path, target: Path, password: str) -> None:
    git = ["git", f"--git-dir={source}"]
    tree = subprocess.run([*git, "ls-tree", "-r", "HEAD"], capture_output=True, text=True, check=True).stdout
    entries = [line.split(None, 3) for line in tree.splitlines()]
    check = "\n".join(e[2] for e in entries) + "\n"
    present = subprocess.run([*git, "cat-file", "--batch-check"], input=check, capture_output=True, text=True)
    # a snapshot may leave out its largest files (dictionaries, pictures) that brat's server does not need
    missing = {line.split()[0] for line in present.stdout.splitlines() if line.endswith("missing")}
    wanted = [e[3] for e in entries if e[2] not in missing and e[1] == "blob"]
    archive = subprocess.run([*git, "archive", "HEAD", "--", *wanted], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    standalone = target / "standalone.py"
    code = standalone.read_text(encoding="utf-8")
    # local patch, never committed: listen on the loopback address only
    standalone.write_text(code.replace("_DEFAULT_SERVER_ADDR = ''", "_DEFAULT_SERVER_ADDR = '127.0.0.1'"), "utf-8")
    # local patch, never committed: Python 3.11 has no inspect.getargspec
    dispatch = target / "server" / "src" / "dispatch.py"
    shim = (
        "from inspect import getfullargspec\n\n\ndef getargspec(function):\n"
        "    spec = getfullargspec(function)\n    return spec.args, spec.varargs, spec.varkw, spec.defaults\n"
    )
    dispatch.write_text(dispatch.read_text("utf-8").replace("from inspect import getargspec\n", shim), "utf-8")
    # ... and no "U" (universal newlines) file mode, which brat's text reader still asks codecs.open for
    annotation = target / "server" / "src" / "annotation.py"
    code = annotation.read_text("utf-8")
    annotation.write_text(code.replace("codecs_open(filename, mode,", "codecs_open(filename, mode.replace('U', ''),"))
    config = (target / "config_template.py").read_text(encoding="utf-8")
    config = config.replace("ADMIN_CONTACT_EMAIL = CHANGE_ME", "ADMIN_CONTACT_EMAIL = 'teacher@example.org'")
    config = config.replace("BASE_DIR = CHANGE_ME", f"BASE_DIR = {str(target)!r}")
    config = config.replace("DATA_DIR = CHANGE_ME", f"DATA_DIR = {str(target / 'data')!r}")
    config = config.replace("WORK_DIR = CHANGE_ME", f"WORK_DIR = {str(target / 'work')!r}")
    config = config.replace("USER_PASSWORD = {", f"USER_PASSWORD = {{'teacher': {password!r},")
    (target / "config.py").write_text(config, encoding="utf-8")
    (target / "work").mkdir(exist_ok=True)


class Ajax:
    def __init__(self, base: str) -> None:
        self.url = base + "/ajax.cgi"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def __call__(self, action: str, **fields: object) -> dict:
        data = {"action": action, "protocol": "1", **{k: v if isinstance(v, str) else json.dumps(v) for k, v in
                                                       fields.items()}}  # fmt: skip
        request = urllib.request.Request(self.url, data=urllib.parse.urlencode(data).encode("utf-8"), method="POST")
        with self.opener.open(request, timeout=120) as response:
            answer = json.loads(response.read())
        for message in answer.get("messages", []):
            print(f"  brat says ({action}):", message)
        return answer


def main() -> int:
    source = Path(os.environ.get("BRAT_SOURCE", "/work/.mirror/nlplab+brat/repo"))
    if not (source / "HEAD").exists() and not (source / ".git").exists():
        print("Set BRAT_SOURCE to a git directory of github.com/nlplab/brat", file=sys.stderr)
        return 2
    password, port = c.token(), c.free_port()
    root = Path(tempfile.mkdtemp(prefix="brat-"))
    copy_brat(source, root, password)
    collection = root / "data" / "annotkit"
    collection.mkdir(parents=True)
    emoji, voa = c.emoji_article(), annotkit.load_bundled_article()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", annotkit.FormatWarning)
        annotkit.export(c.emoji_annotations(emoji), collection / "emoji.ann", format="brat", article=emoji)
        annotkit.export(c.key_annotations(voa), collection / "key.ann", format="brat", article=voa)
    annotkit.export_config(format="brat", path=collection)
    base = f"http://127.0.0.1:{port}"
    with c.server([sys.executable, "standalone.py", str(port)], log=c.SHOTS / "brat.log", cwd=root) as process:
        c.wait_for(base + "/", process=process, timeout=120)
        c.check_loopback_only(process, "brat")
        ajax = Ajax(base)
        ajax("login", user="teacher", password=password)
        for name in ("emoji", "key"):
            document = ajax("getDocument", collection="/annotkit/", document=name)
            print(f"brat read {name}.ann: {len(document.get('entities', []))} spans, "
                  f"{len(document.get('relations', []))} relations, {len(document.get('attributes', []))} "
                  f"attributes, {len(document.get('comments', []))} notes")  # fmt: skip
        start = emoji.text.index("warned")
        where = {"collection": "/annotkit/", "document": "emoji", "offsets": [[start, start + 6]]}
        made = ajax("createSpan", **where, type="claim", attributes={"form": "indirect"}, comment="made in brat")
        tid = made["edited"][0][0] if made.get("edited") else None
        entities = made["annotations"]["entities"]
        souza = next(e[0] for e in entities if e[1] == "official" and e[2][0][0] == emoji.text.index("Police"))
        ajax("createArc", collection="/annotkit/", document="emoji", origin=tid, target=souza, type="said_by")
        OUT.mkdir(parents=True, exist_ok=True)
        shutil.copy(collection / "emoji.ann", OUT / "emoji-server.ann")
        shutil.copy(collection / "emoji.txt", OUT / "emoji-server.txt")
        for conf in ("annotation.conf", "visual.conf"):
            shutil.copy(collection / conf, OUT / conf)
        print("recorded", OUT / "emoji-server.ann")
        with c.chromium_page() as page:
            for name in ("emoji", "key"):
                page.goto(f"{base}/index.xhtml#/annotkit/{name}")
                page.wait_for_timeout(8000)
                page.screenshot(path=str(c.SHOTS / f"brat-{name}.png"), full_page=name == "emoji")
    return 0


if __name__ == "__main__":
    sys.exit(main())
