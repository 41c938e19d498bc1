"""Helpers for the browser tests: a throw-away Jupyter server, Chromium, and driving JupyterLab and Notebook 7.

The fixtures in ``conftest.py`` are built from these; tests use the fixtures and the page helpers
(:func:`make_notebook`, :func:`open_in_lab`, :func:`open_in_notebook7`, :func:`run_all`, :func:`reload_page`,
:func:`switched_theme`, :func:`assert_no_widget_errors`, :func:`screenshot`).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from kernels import socket_folder
from playwright.sync_api import Error, Page, expect

HERE = Path(__file__).parent
REPO = HERE.parent.parent
ARTIFACTS = HERE / "artifacts"
LAB_OVERRIDES = REPO / ".jupyter" / "lab-overrides.json"

# ---------------------------------------------------------------------------------------------------------------------
# Chromium

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "ANNOTKIT_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
# No "build recommended" check: JupyterLab asks for one on every load, and the server answers by running yarn in
# Node.js (about 0.45 CPU-seconds a load). Nothing is built from source here. The hub guide gives admins the same.
PAGE_CONFIG = {"buildCheck": False, "buildAvailable": False}

# Generous: a 2-core CI machine that is also running the server, a kernel and Chromium is slow.
SERVER_START_TIMEOUT = 120.0  # seconds
PAGE_LOAD_TIMEOUT = 90_000  # ms: JupyterLab's first load parses megabytes of JavaScript
KERNEL_TIMEOUT = 60_000  # ms: kernel start, and a kernel's going idle
RUN_ALL_TIMEOUT = 120_000  # ms: every cell of a notebook
# How often a wait for the notebook's state looks again. Playwright's default looks at every animation frame, which
# keeps Chromium drawing 60 frames a second and reads every output of every cell each time: most of the browser's
# CPU while a lesson runs.
POLL_MS = 100


def chromium_path() -> str:
    """The Chromium the tests drive: ``$ANNOTKIT_CHROMIUM``, else Debian's ``/usr/bin/chromium``."""
    return os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM


def chromium_missing_message(path: str) -> str:
    where = (
        f"from ${CHROMIUM_ENV}" if os.environ.get(CHROMIUM_ENV) else f"the default; set {CHROMIUM_ENV} to use another"
    )
    return (
        f"Chromium not found at {path} ({where}). The browser tests drive Debian's Chromium: "
        "install it with `apt-get install chromium` (never `playwright install`)."
    )


def chromium_available(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


# ---------------------------------------------------------------------------------------------------------------------
# The Jupyter server


@dataclass
class LabServer:
    """A running ``jupyter lab`` bound to 127.0.0.1, serving :attr:`root` (JupyterLab and Notebook 7)."""

    base: Path  # everything the server writes lives under here
    root: Path  # the server's root folder: put the notebooks a test opens in here
    store: Path  # $ANNOTKIT_STORE of the server and its kernels (may not exist yet)
    token: str
    log_path: Path
    process: subprocess.Popen[bytes]
    port: int = 0
    runtime: Path | None = None  # the connection files and the kernels' sockets; removed when the server stops

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def settings_dir(self) -> Path:
        """The server's JUPYTERLAB_SETTINGS_DIR: a ``<package>/<plugin>.jupyterlab-settings`` file written here is
        read by the next page load (remove it again after the test)."""
        return self.base / "lab-settings"

    def page_url(self, app_path: str, **query: str) -> str:
        """The URL of a page of the server, with the token (which logs the browser in)."""
        query = {"token": self.token, **query}
        return f"{self.url}/{app_path.lstrip('/')}?{urllib.parse.urlencode(query)}"

    def relative(self, path: str | os.PathLike[str]) -> str:
        """``path`` (absolute, or relative to :attr:`root`) as the server's URL path, e.g. ``"t/nb.ipynb"``."""
        p = Path(path)
        if p.is_absolute():
            p = p.resolve().relative_to(self.root.resolve())
        return urllib.parse.quote(p.as_posix())

    def api(self, method: str, endpoint: str, timeout: float = 10.0) -> Any:
        """Call the server's REST API (``endpoint`` like ``"/api/sessions"``); the decoded JSON, or None."""
        request = urllib.request.Request(
            self.url + endpoint, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def shutdown_kernels(self) -> None:
        """Shut down every session and kernel, so the next test starts from a clean slate."""
        for session in self.api("GET", "/api/sessions") or []:
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"/api/sessions/{session['id']}", timeout=60)
        for kernel in self.api("GET", "/api/kernels") or []:
            with contextlib.suppress(urllib.error.HTTPError):
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=60)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the server (it shuts down its kernels); killed if it has not stopped within ``timeout`` s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
        if self.runtime is not None:
            shutil.rmtree(self.runtime, ignore_errors=True)


def _user_settings_from_overrides(overrides: Path, settings_dir: Path) -> None:
    """Write the repository's JupyterLab overrides as *user* settings of a throw-away settings folder.

    ``make lab`` copies ``.jupyter/lab-overrides.json`` into ``<sys.prefix>/share/jupyter/lab/settings/overrides.json``,
    which is shared by every server of the venv. For the tests the same settings go into the server's own
    ``JUPYTERLAB_SETTINGS_DIR`` instead (read by JupyterLab and Notebook 7 alike), one file per plugin:
    ``"@scope/package:plugin"`` becomes ``@scope/package/plugin.jupyterlab-settings``.
    """
    for plugin_id, values in json.loads(overrides.read_text(encoding="utf-8")).items():
        package, _, plugin = plugin_id.partition(":")
        target = settings_dir / package / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=2), encoding="utf-8")


def server_command(extra_args: Sequence[str] = ()) -> list[str]:
    """The command line of the test server; the token and the folders are passed in the environment.

    An option in ``extra_args`` replaces the default of the same name (``--Class.trait=value``).
    """
    replaced = {arg.partition("=")[0] for arg in extra_args}
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",  # the OS picks a free port; read back from the server's info file
        "--ServerApp.port_retries=0",
        # A server left behind by a killed test run ends by itself: idle kernels are culled after 10 minutes,
        # and a server with no kernel and no request for 15 minutes shuts down.
        "--ServerApp.shutdown_no_activity_timeout=900",
        "--MappingKernelManager.cull_idle_timeout=600",
        "--MappingKernelManager.cull_interval=60",
        "--ServerApp.terminals_enabled=False",
        # Kernels talk to the server over Unix sockets, not TCP ports: the suite's servers start kernels at the same
        # time, and a free port one server picked was once taken by another's kernel before its own could bind it
        # ("Address already in use": a kernel that never starts).
        "--KernelManager.transport=ipc",
        # No requests to the internet from the server: no news feed, no update check, no extension listing.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        # window.jupyterapp, which the page helpers read the notebook's and the kernel's state from.
        "--LabApp.expose_app_in_browser=True",
        "--JupyterNotebookApp.expose_app_in_browser=True",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and some CI machines run everything as root
    return [arg for arg in command if arg.partition("=")[0] not in replaced] + list(extra_args)


def start_server(base: Path, extra_args: Sequence[str] = (), timeout: float = SERVER_START_TIMEOUT) -> LabServer:
    """Start ``jupyter lab`` with every folder it writes to under ``base``, and wait until it answers.

    ``extra_args`` are added to the command line (e.g. ``["--LabApp.collaborative=True"]``).

    Raises RuntimeError, with the server's log, if it exits or does not answer within ``timeout`` seconds.
    """
    base.mkdir(parents=True, exist_ok=True)
    dirs = {name: base / name for name in ("root", "config", "data", "lab-settings", "lab-workspaces")}
    for d in dirs.values():
        d.mkdir(exist_ok=True)
    dirs["runtime"] = Path(socket_folder("annotkit-run-"))  # the kernels' sockets are made here
    _user_settings_from_overrides(LAB_OVERRIDES, dirs["lab-settings"])
    labconfig = dirs["config"] / "labconfig"
    labconfig.mkdir(exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(PAGE_CONFIG), encoding="utf-8")
    token = secrets.token_hex(24)
    store = base / "annotations.sqlite"
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing from the developer's own Jupyter set-up: extra config, data or kernels would change what is tested.
        if key not in {"JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH", "JUPYTER_PORT"}
    }
    env.update(
        JUPYTER_TOKEN=token,  # in the environment rather than the command line, where `ps` would show it
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        # A user-level python3 kernelspec (~/.local/share/jupyter/kernels) could point at another Python: the
        # temporary data folder has none, so the kernel is the server's python3 spec, run with sys.executable.
        JUPYTER_DATA_DIR=str(dirs["data"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["lab-settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["lab-workspaces"]),
        ANNOTKIT_STORE=str(store),
        PYTHONUNBUFFERED="1",
        # `python -m jupyter lab` runs the first `jupyter-lab` on PATH, and looks in this Python's scripts folder
        # only after all of PATH: another Jupyter installed on the machine (pyenv, conda, pip --user) would win,
        # with its own Python for the server and so for the kernel.
        PATH=os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", os.defpath)]),
    )
    log_path = base / "server.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            server_command([f"--ServerApp.root_dir={dirs['root']}", *extra_args]),
            cwd=dirs["root"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in the terminal goes to pytest, which stops the server at teardown
        )
    server = LabServer(base=base, root=dirs["root"], store=store, token=token, log_path=log_path, process=process)
    server.runtime = dirs["runtime"]
    try:
        _wait_until_up(server, dirs["runtime"], timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_up(server: LabServer, runtime_dir: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last_error = "no server info file yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"The Jupyter server exited with code {server.process.returncode} before answering.\n"
                f"Its log ({server.log_path}):\n{server.log()}"
            )
        if not server.port:
            for info_file in runtime_dir.glob("jpserver-*.json"):
                with contextlib.suppress(OSError, ValueError, KeyError):
                    server.port = int(json.loads(info_file.read_text(encoding="utf-8"))["port"])
        if server.port:
            try:
                server.api("GET", "/api/status", timeout=5)
                return
            except (OSError, ValueError) as error:  # URLError is an OSError
                last_error = repr(error)
        time.sleep(0.25)  # polling a condition, not waiting for time to pass
    raise RuntimeError(
        f"The Jupyter server did not answer within {timeout:.0f} s (last error: {last_error}).\n"
        f"Its log ({server.log_path}):\n{server.log()}"
    )


# ---------------------------------------------------------------------------------------------------------------------
# Notebooks and pages


def make_notebook(folder: str | os.PathLike[str], name: str, cells: Sequence[str]) -> Path:
    """Write a notebook of code cells (one source string per cell) with the python3 kernel; its path.

    ``name`` gets ``.ipynb`` added if it lacks it. Write a fresh notebook for each test: a notebook that another
    test ran may have been saved with its outputs.
    """
    path = Path(folder) / (name if name.endswith(".ipynb") else f"{name}.ipynb")
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path


# The state of the notebook in the main area, read from the application (exposed by the server's
# `expose_app_in_browser`): the same objects in JupyterLab and Notebook 7, and unlike the DOM they are not
# half-built while the page loads.
_NOTEBOOK_STATE_JS = """() => {
    const app = window.jupyterapp;
    const panel = app && app.shell && app.shell.currentWidget;
    if (!panel || !panel.context || !panel.sessionContext || !panel.content || !panel.content.model) return null;
    const session = panel.sessionContext;
    const kernel = session.session && session.session.kernel;
    const counts = [];
    const errors = [];
    for (const cell of panel.content.model.cells) {
        if (cell.type !== 'code') continue;
        if (cell.sharedModel.getSource().trim() === '') continue;  // empty cells are not run
        counts.push(cell.executionCount);
        for (let i = 0; i < cell.outputs.length; i++) {
            const output = cell.outputs.get(i).toJSON();
            if (output.output_type === 'error') errors.push(`${output.ename}: ${output.evalue}`);
        }
    }
    return {
        ready: panel.context.isReady && session.isReady && !!kernel && kernel.connectionStatus === 'connected',
        idle: !!kernel && kernel.status === 'idle',
        counts: counts,
        errors: errors,
    };
}"""


def notebook_state(page: Page) -> dict[str, Any] | None:
    """The open notebook's state: ``ready``, ``idle`` (kernel), ``counts`` (execution count of each non-empty code
    cell, None if not run) and ``errors`` (``"ename: evalue"`` of each error output); None while it loads."""
    return page.evaluate(_NOTEBOOK_STATE_JS)


def _wait_for_notebook(page: Page) -> None:
    """Wait until the notebook is loaded and shown, and its kernel has started and is idle."""
    page.wait_for_function(f"() => ({_NOTEBOOK_STATE_JS})() !== null", timeout=PAGE_LOAD_TIMEOUT, polling=POLL_MS)
    page.wait_for_function(
        f"() => {{ const s = ({_NOTEBOOK_STATE_JS})(); return s && s.ready && s.idle; }}",
        timeout=KERNEL_TIMEOUT,
        polling=POLL_MS,
    )
    expect(page.locator(".jp-NotebookPanel .jp-Cell").first).to_be_visible()


def reload_page(page: Page, server: LabServer) -> None:
    """Reload the page, as a student does with F5 or by closing and reopening the tab; returns once the notebook
    JupyterLab (or Notebook 7) reopens from its workspace is shown and its kernel is idle.

    A JupyterLab reloaded has read the server's settings as they are now: the next notebook may open in it in place
    (see :func:`open_in_lab`).
    """
    page.reload()
    _wait_for_notebook(page)
    _mark_loaded(page, _page_key(server))


# Where JupyterLab keeps a user's choice of theme, inside the server's settings folder.
THEME_SETTINGS = Path("@jupyterlab", "apputils-extension", "themes.jupyterlab-settings")


@contextlib.contextmanager
def switched_theme(page: Page, server: LabServer, name: str) -> Iterator[None]:
    """Switch the JupyterLab on ``page`` to the theme ``name`` (e.g. "JupyterLab Dark") as a student does in
    Settings > Theme, with what is open staying open; back to the light theme at the end.

    JupyterLab saves the choice in the server's settings folder: the file is removed again, so the page is one the
    next test may open its notebook in (see :func:`open_in_lab`). Switching costs far less than loading JupyterLab
    with the setting written beforehand.
    """
    try:
        _switch_theme(page, name)
        yield
    finally:
        with contextlib.suppress(Error):  # a page that broke is not kept anyway
            _switch_theme(page, "JupyterLab Light")
        (server.settings_dir / THEME_SETTINGS).unlink(missing_ok=True)


def _switch_theme(page: Page, name: str) -> None:
    # The command returns once the setting is saved. The theme's styles come a moment later, behind JupyterLab's
    # splash screen, which then fades out: done when the theme is named on the page and the splash is gone.
    page.evaluate("async theme => { await window.jupyterapp.commands.execute('apputils:change-theme', {theme}) }", name)
    page.wait_for_function(
        "name => document.body.dataset.jpThemeName === name && !document.getElementById('jupyterlab-splash')",
        arg=name,
        timeout=KERNEL_TIMEOUT,
        polling=POLL_MS,
    )


def open_in_lab(page: Page, server: LabServer, path: str | os.PathLike[str]) -> None:
    """Open a notebook in JupyterLab, alone in the main area; returns once its kernel is idle.

    ``path`` is absolute (inside ``server.root``) or relative to it. A page that already shows JupyterLab, loaded
    from this server with the settings the server has now (see :func:`_page_key`) and no dialog or menu open, closes
    its documents and opens the notebook in place, as a student opens the next lesson. Otherwise JupyterLab is loaded
    (``/lab/tree/<path>``) in a fresh workspace. Loading JupyterLab and the notebook costs about 9 CPU-seconds (the
    kernel's start included), opening the notebook in place about 2: on 2 cores, the browser tests spent most on loads.
    """
    key = _page_key(server)
    if page.evaluate(_CAN_OPEN_IN_PLACE_JS, {"key": key, "origin": server.url}):
        close_documents(page)
        # The command resolves to the notebook's widget: returning it would send a serialised copy of the whole
        # widget tree (megabytes) to the test, which cost more CPU than opening the notebook. Return nothing.
        page.evaluate(
            "async path => { await jupyterapp.commands.execute('docmanager:open', {path, factory: 'Notebook'}); }",
            urllib.parse.unquote(server.relative(path)),
        )
        _wait_for_notebook(page)
    else:
        # `reset` starts from an empty workspace: JupyterLab would otherwise reopen what earlier tests had open.
        page.goto(server.page_url(f"lab/tree/{server.relative(path)}", reset=""), timeout=PAGE_LOAD_TIMEOUT)
        _wait_for_notebook(page)
        # Only now: while it loads, JupyterLab may still navigate (the `reset` of the workspace).
        _mark_loaded(page, key)


def _mark_loaded(page: Page, key: str) -> None:
    """Note in the page's window what JupyterLab was loaded with (see :func:`_page_key`): a reload or a navigation,
    which make a new window, forgets it."""
    page.evaluate(f"key => {{ window.{_LOADED_WITH} = key; }}", key)


# True while the page shows JupyterLab (not Notebook 7, Voilà or a blank page).
SHOWS_JUPYTERLAB_JS = "() => !!window.jupyterapp && window.jupyterapp.name === 'JupyterLab'"
# What a page that may open the next notebook in place was loaded with (see open_in_lab).
_LOADED_WITH = "annotkitTestsLoadedWith"
_CAN_OPEN_IN_PLACE_JS = f"""({{key, origin}}) => window.location.origin === origin
    && window.{_LOADED_WITH} === key
    && ({SHOWS_JUPYTERLAB_JS})()
    && !document.querySelector('.jp-Dialog, .lm-Menu')"""


def _page_key(server: LabServer) -> str:
    """What decides how JupyterLab loads from ``server``: the server, and every user settings file (a test that
    writes the dark theme's setting gets a page loaded with it; the next test, with the file gone, a light one)."""
    settings = sorted(
        (str(file.relative_to(server.settings_dir)), file.read_text(encoding="utf-8"))
        for file in server.settings_dir.rglob("*.jupyterlab-settings")
    )
    return json.dumps([server.url, server.token, settings])


def close_documents(page: Page) -> None:
    """Close every document in JupyterLab's main area, without saving and without asking; returns once they are
    gone. (Their kernels keep running: the ``page`` fixture shuts them down.)"""
    page.evaluate(
        """() => {
            for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
                if (widget.context && widget.context.model) widget.context.model.dirty = false;  // no "Save?" dialog
                widget.close();
            }
        }"""
    )
    page.wait_for_function(
        "() => !Array.from(window.jupyterapp.shell.widgets('main')).some(widget => widget.context)",
        timeout=KERNEL_TIMEOUT,
        polling=POLL_MS,
    )


def leave_quietly(page: Page) -> None:
    """Mark every open document saved (no "Leave this page?") and go to a blank page, where nothing runs: a tab kept
    for the next test without polling a server or holding a kernel."""
    page.evaluate(
        """() => {
            const app = window.jupyterapp;
            for (const widget of app ? Array.from(app.shell.widgets('main')) : []) {
                if (widget.context && widget.context.model) widget.context.model.dirty = false;
            }
        }"""
    )
    page.goto("about:blank")


def open_in_notebook7(page: Page, server: LabServer, path: str | os.PathLike[str]) -> None:
    """Open a notebook in Notebook 7 (``/notebooks/<path>``); returns once its kernel is idle."""
    page.goto(server.page_url(f"notebooks/{server.relative(path)}"), timeout=PAGE_LOAD_TIMEOUT)
    _wait_for_notebook(page)


def run_all(page: Page, *, allow_errors: bool = False, timeout: float = RUN_ALL_TIMEOUT) -> None:
    """Run all cells through the menu (Run > Run All Cells) and wait until every code cell has run.

    Done means: every non-empty code cell has a new execution count, shown as ``[n]:``, and the kernel is idle.
    A cell that raises stops Run All; that fails the test at once with the error, unless ``allow_errors``, where
    run_all returns once the kernel is idle again. Widgets render asynchronously after their cell has run:
    wait for them with ``expect(...)``.
    """
    state = notebook_state(page)
    assert state and state["ready"], "run_all: no notebook with a running kernel is open (call open_in_lab first)"
    # Counts stored in the file (a cell tagged nbval-check-output keeps its expected output and a count) say
    # nothing about this kernel: forget them, so "run" means "run now".
    page.evaluate(
        """() => {
            for (const cell of window.jupyterapp.shell.currentWidget.content.model.cells) {
                if (cell.type === 'code') cell.executionCount = null;
            }
        }"""
    )
    before = 0
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    handle = page.wait_for_function(
        f"""() => {{
            const s = ({_NOTEBOOK_STATE_JS})();
            if (!s) return null;
            if (s.errors.length) return s.idle ? s : null;
            return s.idle && s.counts.every(c => c !== null && c > {before}) ? s : null;
        }}""",
        timeout=timeout,
        polling=POLL_MS,
    )
    final = handle.json_value()
    assert allow_errors or not final["errors"], "A cell raised: " + "; ".join(final["errors"])
    # What the reader sees: no cell still queued or running.
    expect(page.locator(".jp-NotebookPanel .jp-InputArea-prompt", has_text="[*]")).to_have_count(0)


# A widget output (a Lumino panel in the output area) that is still empty is a widget still being rendered.
_PENDING_WIDGET = ".jp-NotebookPanel .jp-OutputArea-output.lm-Panel:empty"
STDERR_OUTPUT = ".jp-RenderedText[data-mime-type='application/vnd.jupyter.stderr']"


def assert_no_widget_errors(page: Page, *, settle_timeout: float = 15_000) -> None:
    """No widget failed to display ("Error displaying widget"), no cell raised, and none printed a traceback.

    Widgets render asynchronously: first wait for the widgets the test expects (``expect(...).to_be_visible()``).
    This also waits (up to ``settle_timeout`` ms, without failing) for widget outputs still being rendered.
    """
    with contextlib.suppress(AssertionError):
        expect(page.locator(_PENDING_WIDGET)).to_have_count(0, timeout=settle_timeout)
    failed = page.locator(".jp-NotebookPanel .jp-OutputArea-output").filter(has_text="Error displaying widget")
    assert failed.count() == 0, "A widget failed to display: " + " | ".join(failed.all_inner_texts())
    # A cell's exception is shown by the stderr renderer too (IPython's "... Traceback (most recent call last)").
    tracebacks = [text for text in page.locator(STDERR_OUTPUT).all_inner_texts() if "Traceback" in text]
    state = notebook_state(page)
    errors = state["errors"] if state else []
    assert not tracebacks and not errors, "A cell raised or printed a traceback:\n" + "\n---\n".join(
        errors + tracebacks
    )


def saved_annotations(server: LabServer) -> list[dict[str, Any]]:
    """What the server's kernels saved in ``$ANNOTKIT_STORE``, read back the way a teacher's script would."""
    import annotkit

    store = annotkit.open_store(server.store)
    try:
        return store.annotations().to_dict("records")
    finally:
        store.close()


def screenshot(page: Page, name: str, *, full_page: bool = False) -> Path:
    """Save a PNG of the page as ``tests/browser/artifacts/<name>.png`` (name made file-safe); its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "screenshot"
    path = ARTIFACTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
