"""Record what Label Studio does with annotkit's exports: import, export again, edit in its editor, export again.

Run from the repository (takes a few minutes; Label Studio in its own venv, see README.md here)::

    .venv/bin/python tools/interop/labelstudio.py

Starts Label Studio on 127.0.0.1 (checked with ``ss -ltnp``) with a throw-away data folder and token, makes one
project from ``annotkit.export_config(format="labelstudio")``, imports annotkit's exports of the emoji article,
the answer key and three students of the sample class, and saves Label Studio's own JSON exports to
tests/fixtures/interop/recorded-0.2/labelstudio/. Then, in Chromium, it opens the emoji article in the editor,
tags "closures" with the mouse, changes a perspective's stance, submits, and records the export after that edit.
Screenshots go to $ANNOTKIT_INTEROP_SHOTS (default /tmp/annotkit-interop-shots).
"""

from __future__ import annotations

import json
import sys
import tempfile
import urllib.request
import warnings
from pathlib import Path

import _common as c

import annotkit

LS = c.TOOLS_VENVS / "ls" / "bin" / "label-studio"
OUT = c.RECORDED / "labelstudio"


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, data: object = None) -> object:
        body = None if data is None else json.dumps(data).encode("utf-8")
        request = urllib.request.Request(self.base + path, data=body, method=method)
        request.add_header("Authorization", f"Token {self.token}")
        if body is not None:
            request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=300) as response:
            raw = response.read()
        return json.loads(raw) if raw else None


def our_export(frame, article, name: str) -> list:
    path = Path(tempfile.mkdtemp()) / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", annotkit.FormatWarning)
        annotkit.export(frame, path, format="labelstudio", article=article)
    return json.loads(path.read_text(encoding="utf-8"))


def record(api: Api, project: int, name: str) -> list:
    data = api.call("GET", f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true")
    c.write_json(OUT / name, data)
    print("recorded", OUT / name)
    return data  # type: ignore[return-value]


def first_task(api: Api, project: int) -> int:
    found = api.call("GET", f"/api/tasks?project={project}")
    tasks = found["tasks"] if isinstance(found, dict) else found
    return int(tasks[0]["id"])  # type: ignore[index]


def edit_in_editor(base: str, email: str, password: str, project: int, task: int, key: tuple[int, int]) -> None:
    with c.chromium_page() as page:
        page.goto(f"{base}/user/login/")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto(f"{base}/projects/{project}/data?task={task}")
        page.wait_for_selector("[class*=richtext]", timeout=120_000)
        page.wait_for_timeout(3000)
        page.screenshot(path=str(c.SHOTS / "labelstudio-emoji-opened.png"), full_page=True)
        # a new region with the mouse: choose the label, then select the words
        page.get_by_text("claim-other", exact=True).first.click()
        # only the article in the editor (the task list on the left shows the text too)
        c.select_words(page, "closures", scope="[class*=richtext]")
        page.wait_for_timeout(1000)
        page.screenshot(path=str(c.SHOTS / "labelstudio-emoji-selected.png"), full_page=True)
        # a perspective's stance changed in its own controls: select its region in the list, choose another
        page.keyboard.press("Escape")
        regions = page.locator("[class*=outliner] [class*=item], [class*=Outliner] [class*=item]")
        regions.filter(has_text="perspective").filter(has_text="Police chief Ana Souza").first.click()
        page.wait_for_timeout(1000)
        page.get_by_text("oppose", exact=True).first.click()
        page.wait_for_timeout(500)
        page.screenshot(path=str(c.SHOTS / "labelstudio-emoji-stance.png"), full_page=True)
        page.get_by_role("button", name="Update").or_(page.get_by_role("button", name="Submit")).first.click()
        page.wait_for_timeout(3000)
        page.screenshot(path=str(c.SHOTS / "labelstudio-emoji-saved.png"), full_page=True)
        # the answer key, as a teacher opens it
        page.goto(f"{base}/projects/{key[0]}/data?task={key[1]}")
        page.wait_for_selector("[class*=richtext]", timeout=120_000)
        page.wait_for_timeout(5000)
        page.screenshot(path=str(c.SHOTS / "labelstudio-key-opened.png"))


def main() -> int:
    port, secret, password = c.free_port(), c.token(), c.token()
    email = "teacher@example.org"
    data_dir = Path(tempfile.mkdtemp(prefix="ls-data-"))
    base = f"http://127.0.0.1:{port}"
    command = [
        str(LS), "start", "--no-browser", "--internal-host", "127.0.0.1", "--host", base, "-p", str(port),
        "--data-dir", str(data_dir), "--username", email, "--password", password, "--user-token", secret,
        "--enable-legacy-api-token",
    ]  # fmt: skip
    env = {"LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true", "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": ""}
    with c.server(command, env=env, log=c.SHOTS / "labelstudio.log") as process:
        c.wait_for(f"{base}/health", process=process, timeout=600)
        c.check_loopback_only(process, "Label Studio")
        api = Api(base, secret)
        version = api.call("GET", "/api/version")
        print("Label Studio", version.get("release") if isinstance(version, dict) else version)
        config = annotkit.formats._config.labelstudio_config(annotkit.load_scheme())
        emoji = c.emoji_article()
        voa = annotkit.load_bundled_article()
        cases = [
            ("emoji", emoji, c.emoji_annotations(emoji)),
            ("key", voa, c.key_annotations(voa)),
            ("three", voa, c.class_annotations(voa)),
        ]
        projects = {}
        for name, article, frame in cases:
            project = api.call("POST", "/api/projects", {"title": f"annotkit {name}", "label_config": config})
            projects[name] = project["id"]  # type: ignore[index]
            tasks = our_export(frame, article, f"{name}.json")
            api.call("POST", f"/api/projects/{projects[name]}/import", tasks)
            record(api, projects[name], f"export_{name}_raw.json")
        key = (projects["key"], first_task(api, projects["key"]))
        edit_in_editor(base, email, password, projects["emoji"], first_task(api, projects["emoji"]), key)
        record(api, projects["emoji"], "export_emoji_uiedit.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
