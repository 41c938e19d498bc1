"""Record what doccano does with annotkit's exports: import, export again, tag with the mouse, export again.

Run from the repository (a few minutes; doccano 1.8.4 in its own venv, see README.md here)::

    .venv/bin/python tools/interop/doccano.py

doccano's own ``webserver`` command binds every interface, so its Django app runs under gunicorn on 127.0.0.1
(checked with ``ss -ltnp``), with its task queue (celery, which listens on nothing) beside it, a throw-away
database and a random password. Projects: the answer key in a default project (overlapping spans off), and in
one with overlapping spans and relation labeling on; the emoji article in a project of each kind. In Chromium it
opens each emoji project, tags "warned" as a claim with the mouse, and records the export after that; it takes
screenshots of the emoji article and of the key. Exports go to tests/fixtures/interop/recorded-0.2/doccano/.
"""

from __future__ import annotations

import io
import json
import os
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


def download(api: Api, project: int, name: str) -> bytes:
    started = api.call("POST", f"/v1/projects/{project}/download", {"format": "JSONL", "exportApproved": False})
    task_id = started["task_id"]  # type: ignore[index]
    api.wait(task_id)
    payload = api.call("GET", f"/v1/projects/{project}/download?taskId={task_id}", raw=True)
    if payload[:2] == b"PK":  # type: ignore[index]
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:  # type: ignore[arg-type]
            payload = b"".join(archive.read(n) for n in archive.namelist())
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_bytes(payload)  # type: ignore[arg-type]
    print("recorded", OUT / name)
    return payload  # type: ignore[return-value]


def make_project(api: Api, name: str, *, overlapping: bool, relations: bool) -> int:
    spec = {
        "name": f"annotkit {name}", "description": "annotkit interop", "guideline": "", "project_type":
        "SequenceLabeling", "resourcetype": "SequenceLabelingProject", "allow_overlapping": overlapping,
        "use_relation": relations, "grapheme_mode": False, "random_order": False, "collaborative_annotation": False,
    }  # fmt: skip
    return int(api.call("POST", "/v1/projects", spec)["id"])  # type: ignore[index]


def open_editor(page, base: str, project: int, words: str) -> None:
    page.goto(f"{base}/projects/{project}")
    page.wait_for_timeout(3000)
    # its "Start Annotation" button links to /projects/<id>/undefined for a project made through the API
    page.goto(f"{base}/projects/{project}/sequence-labeling?page=1&q=&isChecked=")
    try:
        page.get_by_text(words).first.wait_for(timeout=60_000)
    except Exception:
        page.screenshot(path=str(c.SHOTS / "doccano-failed.png"), full_page=True)
        print("  doccano's page:", page.url)
        raise
    page.wait_for_timeout(3000)


def tag_with_mouse(page, base: str, project: int, words: str, label: str, shot: str) -> None:
    open_editor(page, base, project, words)
    page.screenshot(path=str(c.SHOTS / f"{shot}-opened.png"), full_page=True)
    c.select_words(page, words)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(c.SHOTS / f"{shot}-menu.png"), full_page=True)
    page.get_by_text(label, exact=True).last.click()
    page.wait_for_timeout(2000)
    page.screenshot(path=str(c.SHOTS / f"{shot}-tagged.png"), full_page=True)


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="doccano-home-"))
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
        projects = {}
        for name, content, overlapping, relations in [
            ("key-default", key, False, False),
            ("key-relations", key, True, True),
            ("emoji-overlap", mine, True, False),
            ("emoji-relations", mine, True, True),
        ]:
            projects[name] = make_project(api, name, overlapping=overlapping, relations=relations)
            upload(api, projects[name], content, relations=relations)
            download(api, projects[name], f"export_{name}.jsonl")
        with c.chromium_page() as page:
            page.on("response", lambda r: r.status >= 400 and print("  doccano answered", r.status, r.url))
            page.on("console", lambda m: m.type == "error" and print("  doccano's page says:", m.text[:300]))
            page.on("pageerror", lambda e: print("  doccano's page failed:", str(e)[:300]))
            page.goto(f"{base}/auth")
            page.wait_for_timeout(3000)
            page.locator("input").nth(0).fill("teacher")
            page.locator("input[type=password]").fill(password)
            page.keyboard.press("Enter")
            page.wait_for_timeout(4000)
            try:
                for name in ("emoji-overlap", "emoji-relations"):
                    tag_with_mouse(page, base, projects[name], "warned", "claim", f"doccano-{name}")
                    download(api, projects[name], f"export_{name}-uispan.jsonl")
                open_editor(page, base, projects["key-relations"], "Combat Mission")
                page.screenshot(path=str(c.SHOTS / "doccano-key-relations-opened.png"))
            except Exception as error:  # the recordings made through the API are kept; say what failed
                print(
                    f"doccano's editor did not work in Chromium here ({type(error).__name__}); see doccano-failed.png"
                )
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
