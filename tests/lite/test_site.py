"""The JupyterLite site of the course, built by ``make lite`` and run in Chromium (``make lite-test``).

What a teacher needs from it: the site holds the course and annotkit; in the browser the Python kernel starts with
annotkit ready to import, widgets talk to the kernel both ways, and a student's work saved before a reload is there
after it. The timings are printed at the end of the run (and saved to build/lite-test-figures.json).
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

#: Pyodide's kernel starts in 10–30 s on a quiet machine; a loaded 2-core machine takes minutes.
KERNEL_TIMEOUT = 300_000  # ms
PAGE_TIMEOUT = 120_000  # ms

# A notebook's state, read from JupyterLite's application (the test site is built with exposeAppInBrowser): the
# notebook open at ``path``, or the one in front when no path is given.
NOTEBOOK_STATE = """(path) => {
    const app = window.jupyterapp;
    if (!app) return null;
    let panel = app.shell.currentWidget;
    if (path) panel = [...app.shell.widgets('main')].find(w => w.context && w.context.path === path);
    if (!panel || !panel.sessionContext || !panel.content || !panel.content.model) return null;
    const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
    const counts = [], errors = [];
    for (const cell of panel.content.model.cells) {
        if (cell.type !== 'code') continue;
        counts.push(cell.executionCount);
        for (let i = 0; i < cell.outputs.length; i++) {
            const output = cell.outputs.get(i).toJSON();
            if (output.output_type === 'error') errors.push(`${output.ename}: ${output.evalue}`);
        }
    }
    return {ready: !!kernel && panel.sessionContext.isReady, idle: !!kernel && kernel.status === 'idle',
            counts, errors};
}"""

RUN_IN_KERNEL = """async ([code, path]) => {
    const app = window.jupyterapp;
    let panel = app.shell.currentWidget;
    if (path) panel = [...app.shell.widgets('main')].find(w => w.context && w.context.path === path);
    const kernel = panel.sessionContext.session.kernel;
    const out = [];
    const future = kernel.requestExecute({code, store_history: false});
    future.onIOPub = (msg) => {
        const type = msg.header.msg_type;
        if (type === 'stream') out.push(msg.content.text);
        if (type === 'error') out.push(`ERROR ${msg.content.ename}: ${msg.content.evalue}`);
    };
    await future.done;
    return out.join('');
}"""


def notebook(cells: list[str]) -> dict[str, Any]:
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}
            for source in cells
        ],
        "metadata": {"kernelspec": {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def open_site(page: Page, url: str, path: str = "") -> None:
    """Load JupyterLab from the site (opening ``path`` if given) and wait until the application is up."""
    page.goto(f"{url}lab/index.html" + (f"?path={path}" if path else ""), timeout=PAGE_TIMEOUT)
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.serviceManager.kernelspecs.specs"
        " && Object.keys(window.jupyterapp.serviceManager.kernelspecs.specs.kernelspecs).length > 0",
        timeout=PAGE_TIMEOUT,
    )


def open_notebook(page: Page, url: str, name: str, cells: list[str]) -> float:
    """Write a notebook into the student's files, open it, and wait for its kernel; the kernel's start in s."""
    open_site(page, url)
    page.evaluate(
        "async ([name, content]) => window.jupyterapp.serviceManager.contents.save(name,"
        " {type: 'notebook', format: 'json', content})",
        [name, notebook(cells)],
    )
    started = time.perf_counter()
    open_site(page, url, name)
    wait_for_kernel(page)
    return time.perf_counter() - started


def wait_for_kernel(page: Page, path: str = "") -> None:
    """Wait until the notebook's kernel (at ``path``, or in front) has started and is idle."""
    page.wait_for_function(
        f"(path) => {{ const s = ({NOTEBOOK_STATE})(path); return s && s.ready && s.idle; }}",
        arg=path,
        timeout=KERNEL_TIMEOUT,
    )


def run_all(page: Page) -> None:
    """Run every cell of the notebook in front, and wait until they have all run."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    state = page.wait_for_function(
        f"""() => {{ const s = ({NOTEBOOK_STATE})('');
            return s && s.idle && (s.errors.length || s.counts.every(c => c !== null)) ? s : null; }}""",
        timeout=KERNEL_TIMEOUT,
    ).json_value()
    assert not state["errors"], "A cell raised: " + "; ".join(state["errors"])


def run_in_kernel(page: Page, code: str, path: str = "") -> str:
    """Run ``code`` in the kernel of the notebook at ``path`` (or in front); what it printed."""
    out = page.evaluate(RUN_IN_KERNEL, [code, path])
    assert "ERROR" not in out, out
    return out


# --- the built site ---------------------------------------------------------------------------------------------


def test_the_site_holds_the_course_and_annotkit_with_its_data(site: Path, site_lock: dict[str, Any]):
    listing = json.loads((site / "api" / "contents" / "all.json").read_text(encoding="utf-8"))
    names = {item["name"] for item in listing["content"]}
    repo_notebooks = {p.name for p in (Path(__file__).parents[2] / "notebooks").glob("*.ipynb")}
    assert repo_notebooks <= names and "teacher" in names
    wheel = site / "static" / "wheels" / site_lock["packages"]["annotkit"]["file_name"]
    with zipfile.ZipFile(wheel) as archive:
        inside = set(archive.namelist())
    assert "annotkit/_browserstore.py" in inside
    assert any(n.startswith("annotkit/data/articles/") for n in inside)
    assert any(n.startswith("annotkit/data/keys/") for n in inside)


def test_every_file_the_site_carries_is_in_its_lock_with_the_right_checksum(site: Path, site_lock: dict[str, Any]):
    folder = site / "static" / "wheels"
    carried = {p.name for p in folder.glob("*.whl")}
    local = {}
    for spec in site_lock["packages"].values():
        if "://" not in spec["file_name"]:
            path = (folder / spec["file_name"]).resolve()
            if path.is_file():
                local[spec["name"]] = hashlib.sha256(path.read_bytes()).hexdigest() == spec["sha256"]
    assert local and all(local.values()), [name for name, ok in local.items() if not ok]
    assert carried <= {Path(spec["file_name"]).name for spec in site_lock["packages"].values()}


def test_the_kernel_loads_annotkit_at_start_and_only_the_sites_extensions(site: Path):
    config = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["loadPyodideOptions"]["lockFileURL"] == "./static/wheels/pyodide-lock.json"
    assert "annotkit" in kernel["loadPyodideOptions"]["packages"]
    extensions = {e["name"] for e in config["federated_extensions"]}
    assert extensions == {"@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager", "anywidget"}
    assert (site / ".nojekyll").is_file()


# --- in Chromium ------------------------------------------------------------------------------------------------

WIDGETS_CELL = '''
import anywidget, ipywidgets, traitlets

class Counter(anywidget.AnyWidget):
    _esm = """export default { render({ model, el }) {
        const button = document.createElement("button");
        button.className = "lite-counter";
        const show = () => { button.textContent = `count is ${model.get("count")}`; };
        button.addEventListener("click", () => { model.set("count", model.get("count") + 1); model.save_changes(); });
        model.on("change:count", show);
        show();
        el.appendChild(button);
    } };"""
    count = traitlets.Int(0).tag(sync=True)

slider = ipywidgets.IntSlider(value=3, description="level")
counter = Counter()
display(slider, counter)
'''


def test_the_kernel_starts_with_annotkit_and_widgets_sync_both_ways(page: Page, site_url: str, figures: dict):
    figures["kernel start, first page (s)"] = round(open_notebook(page, site_url, "widgets.ipynb", [WIDGETS_CELL]), 1)
    assert run_in_kernel(page, "import annotkit, sys; print(sys.platform, annotkit.__version__)") == (
        "emscripten 0.2.0\n"
    )
    run_all(page)
    button = page.locator(".lite-counter")
    expect(button).to_have_text("count is 0", timeout=PAGE_TIMEOUT)  # anywidget's front end, from the site
    button.click()
    button.click()
    expect(button).to_have_text("count is 2")
    assert run_in_kernel(page, "print(counter.count)") == "2\n"  # browser -> kernel
    run_in_kernel(page, "slider.value = 7; counter.count = 10")
    expect(page.locator(".widget-readout").first).to_have_text("7")  # kernel -> browser (ipywidgets)
    expect(button).to_have_text("count is 10")


SAVE_CELL = """
import annotkit
store = annotkit.open_store()
article = annotkit.load_bundled_article()
store.set_student_name("Zoë Ćirić")
store.reflect(article, "lite-reload", "Saved before the reload 👋🏽", question="Does my work survive a reload?")
print(store.path)
"""

READ_BACK = """
import sqlite3
db = sqlite3.connect("file:/drive/.annotkit/work.sqlite?mode=ro", uri=True)
print(db.execute("SELECT answer FROM reflections WHERE question_id = 'lite-reload'").fetchone()[0])
print(db.execute("SELECT student_name FROM annotators").fetchone()[0])
import annotkit
print(annotkit.open_store().student_name)
"""


def test_work_saved_before_a_reload_is_there_after_it(page: Page, site_url: str, figures: dict):
    open_notebook(page, site_url, "save.ipynb", [SAVE_CELL])
    run_all(page)
    assert run_in_kernel(page, "print(store.path)") == "/drive/.annotkit/work.sqlite\n"
    timings = run_in_kernel(
        page,
        "import time\nms = []\nfor i in range(20):\n    t = time.perf_counter()\n"
        "    store.reflect(article, 'timing', f'answer {i}', question='q')\n"
        "    ms.append((time.perf_counter() - t) * 1000)\nprint(sorted(ms)[10])",
    )
    figures["a saved change in the browser store, median of 20 (ms)"] = round(float(timings), 1)
    started = time.perf_counter()
    page.reload()  # the kernel is gone with the page; only the browser's storage remains
    wait_for_kernel(page)
    figures["kernel start after a reload (s)"] = round(time.perf_counter() - started, 1)
    assert run_in_kernel(page, READ_BACK) == "Saved before the reload 👋🏽\nZoë Ćirić\nZoë Ćirić\n"


def test_two_notebooks_on_one_store_see_each_others_work(page: Page, site_url: str):
    open_notebook(page, site_url, "one.ipynb", ["import annotkit\nstore = annotkit.open_store()"])
    run_all(page)
    page.evaluate(
        "async (content) => { const app = window.jupyterapp;"
        " await app.serviceManager.contents.save('two.ipynb', {type: 'notebook', format: 'json', content});"
        " await app.commands.execute('docmanager:open', {path: 'two.ipynb'}); }",
        notebook(["import annotkit\nstore = annotkit.open_store()"]),
    )
    wait_for_kernel(page, "two.ipynb")
    run_all(page)  # two.ipynb is in front now: two kernels, one store file
    run_in_kernel(page, "store.set_student_name('Ana Ruiz')", "one.ipynb")
    time.sleep(0.6)  # a reader looks at the file again after half a second (annotkit/_browserstore.py)
    assert run_in_kernel(page, "print(store.student_name)", "two.ipynb") == "Ana Ruiz\n"
    run_in_kernel(page, "store.set_student_name('Ana Ruiz-Peña')", "two.ipynb")
    time.sleep(0.6)
    assert run_in_kernel(page, "print(store.student_name)", "one.ipynb") == "Ana Ruiz-Peña\n"


TAGGER_CELL = """
import annotkit
from annotkit.widgets import ActorTagger
article = annotkit.load_bundled_article()
actors = ActorTagger(article, paragraphs=[2, 3])
actors
"""


@pytest.mark.usefixtures("needs_pandas")
def test_a_tag_made_with_the_mouse_survives_a_reload(page: Page, site_url: str, figures: dict):
    # The tagger's page helpers belong to the widgets' browser tests; imported here so that this file loads even
    # when they change (re-check this test when the widgets are rewritten).
    from browser.test_tagger import TEXT, drag_select, mark

    figures["kernel start with pandas (s)"] = round(open_notebook(page, site_url, "tagger.ipynb", [TAGGER_CELL]), 1)
    run_all(page)
    expect(page.locator(TEXT)).to_contain_text("Mustafa al-Kadhimi", timeout=PAGE_TIMEOUT)
    page.locator("[data-annotkit-label='official']").click()
    drag_select(page, "Mustafa al-Kadhimi")
    expect(mark(page, "official")).to_have_text("Mustafa al-Kadhimi")
    timing = run_in_kernel(
        page,
        "import time\nt = time.perf_counter()\nactors.tag('President Joe Biden', label='official')\n"
        "print((time.perf_counter() - t) * 1000)",
    )
    figures["a tag from Python with the browser store (ms)"] = round(float(timing), 1)
    page.reload()
    wait_for_kernel(page)
    run_all(page)
    expect(mark(page, "official").first).to_be_visible(timeout=PAGE_TIMEOUT)
    saved = run_in_kernel(page, "print(sorted(r['text'] for r in annotkit.open_store().rows()))")
    assert saved == "['Mustafa al-Kadhimi', 'President Joe Biden']\n"
