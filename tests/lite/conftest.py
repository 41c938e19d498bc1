"""Fixtures for the JupyterLite site's tests: the built site, a local server for it, Chromium, and figures.

These tests need a site built by the lite tools, so they run with ``make lite-test``, which builds one into
build/lite-test (with npm's Pyodide core inside, so nothing is fetched from Pyodide's CDN) and runs them. Elsewhere
(``make test``) they are skipped: the build downloads some 40 wheels and Pyodide's core on a first run, and a
Pyodide kernel takes 20 s to over a minute to start in Chromium on a 2-core machine, which ``make test`` cannot
afford on every run.

npm's Pyodide has no numpy or pandas (they come from Pyodide's CDN, which this machine cannot reach), so the tests
that need them — the tagger itself — are skipped with a message unless the site was built with a full Pyodide
(``make lite-test ANNOTKIT_LITE_PYODIDE=/path/to/pyodide-314.0.6.tar.bz2``).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser._lab import CHROMIUM_ARGS, chromium_available, chromium_missing_message, chromium_path
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools" / "lite"))

from serve import serving  # noqa: E402

#: The built site to test (make lite-test sets it).
SITE_ENV = "ANNOTKIT_LITE_SITE"
#: Where the figures of a run are written.
FIGURES = REPO / "build" / "lite-test-figures.json"
#: Pyodide's CDN, unreachable here: fail its requests at once instead of waiting for a network time-out.
OFFLINE_ARGS = ["--host-resolver-rules=MAP cdn.jsdelivr.net ~NOTFOUND"]
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.lite)


@pytest.fixture(scope="session")
def site() -> Path:
    configured = os.environ.get(SITE_ENV, "").strip()
    if not configured:
        pytest.skip(
            "The JupyterLite site is tested by `make lite-test`, which builds it first (npm and the lite tools "
            "needed; a few minutes)."
        )
    path = Path(configured).resolve()
    if not (path / "jupyter-lite.json").is_file():
        pytest.fail(f"{SITE_ENV}={configured} is not a built JupyterLite site: run `make lite-test`.", pytrace=False)
    return path


@pytest.fixture(scope="session")
def site_lock(site: Path) -> dict[str, Any]:
    return json.loads((site / "static" / "wheels" / "pyodide-lock.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def has_pandas(site: Path, site_lock: dict[str, Any]) -> bool:
    """Whether the site's own Pyodide has numpy and pandas (a full distribution, not npm's core)."""
    for name in ("numpy", "pandas"):
        file_name = site_lock["packages"][name]["file_name"]
        if "://" in file_name or not (site / "static" / "wheels" / file_name).resolve().is_file():
            return False
    return True


@pytest.fixture
def needs_pandas(has_pandas: bool) -> None:
    if not has_pandas:
        pytest.skip(
            "Needs numpy and pandas in the browser, which npm's Pyodide lacks (they come from Pyodide's CDN, out "
            "of reach here). Run: make lite-test ANNOTKIT_LITE_PYODIDE=/path/to/pyodide-314.0.6.tar.bz2"
        )


@pytest.fixture(scope="session")
def site_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(has_pandas: bool) -> Iterator[Browser]:
    path = chromium_path()
    if not chromium_available(path):
        pytest.skip(chromium_missing_message(path))
    args = CHROMIUM_ARGS if has_pandas else [*CHROMIUM_ARGS, *OFFLINE_ARGS]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile: its own JupyterLite files (IndexedDB), kept across reloads of its pages."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"[{message.type}] {message.text}"))
    page.console_log = console  # type: ignore[attr-defined]  # read by failing tests' messages
    return page


# --- figures ---------------------------------------------------------------------------------------------------

_figures: dict[str, Any] = {}


@pytest.fixture(scope="session")
def figures() -> dict[str, Any]:
    """Measurements of this run (seconds, milliseconds), printed at the end and saved to build/."""
    return _figures


def median_ms(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _figures:
        return
    terminalreporter.section("JupyterLite figures")
    for key, value in _figures.items():
        terminalreporter.write_line(f"{key}: {value}")
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    FIGURES.write_text(json.dumps(_figures, indent=2), encoding="utf-8")
