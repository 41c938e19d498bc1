"""Fixtures for the browser tests: one Jupyter server and one Chromium for the session, one page kept between tests.

A test asks for ``page`` (a page of the session's browser context, kept from the last passing test),
``lab_server`` (the running server: ``.root``, ``.store``, ``.url``) and ``notebook_dir`` (a folder of its own inside
the server's root), and uses the helpers in ``_lab``. Every test in this folder is marked ``browser``; without
Chromium they are skipped (failed under CI=true).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, expect, sync_playwright

from ._lab import (
    CHROMIUM_ARGS,
    SHOWS_JUPYTERLAB_JS,
    VIEWPORT,
    LabServer,
    chromium_available,
    chromium_missing_message,
    chromium_path,
    close_documents,
    leave_quietly,
    screenshot,
    start_server,
)

HERE = Path(__file__).parent

# Playwright's default of 5 s for `expect` is short for a 2-core CI machine running a server, kernels and Chromium.
expect.set_options(timeout=30_000)


# Words in a test's id that say it opens another app than JupyterLab (Notebook 7, Voila): it gets the session's
# second tab, kept for those apps, so that the JupyterLab tab stays as it is for the next test (see ``page``).
_OTHER_APPS = ("notebook7", "voila")
# Words in a test's id that say it loads JupyterLab with other settings: the test after it must load JupyterLab
# again (see open_in_lab), so they run last in their file. (A theme chosen in the open page, with
# _lab.switched_theme, and a reload with _lab.reload_page, leave the page usable.)
_LEAVES_THE_PAGE = ("settings",)


# Every browser test collected in this run, before -k or -m leave some out (test_harness checks their names).
COLLECTED: list[pytest.Item] = []


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    files: dict[Path, int] = {}
    for item in items:
        files.setdefault(item.path, len(files))
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)
            COLLECTED.append(item)
    # Each JupyterLab load costs about 7 CPU-seconds more than opening a notebook in the loaded page: with the tests
    # that leave the page last, a file loads JupyterLab once more at most. The order of the files, and of the other
    # tests, stays as collected (a stable sort).
    items.sort(key=lambda item: (files[item.path], leaves_the_page(item)))


def leaves_the_page(item: pytest.Item) -> bool:
    """Whether a browser test is named as one that leaves JupyterLab's page (see ``_LEAVES_THE_PAGE``)."""
    return HERE in item.path.parents and _named_with(item.name, _LEAVES_THE_PAGE)


def opens_another_app(test_name: str) -> bool:
    """Whether a browser test is named as one that opens Notebook 7 or Voila (see ``_OTHER_APPS``)."""
    return _named_with(test_name, _OTHER_APPS)


def _named_with(test_name: str, words: tuple[str, ...]) -> bool:
    return any(word in test_name.lower() for word in words)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Kept on the test item so that the `page` fixture can save a screenshot of a failed test at teardown.
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = chromium_path()
    if not chromium_available(path):
        message = chromium_missing_message(path)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: a missing browser is a failure. {message}", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def lab_server(chromium_executable: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    try:
        server = start_server(tmp_path_factory.mktemp("lab"))
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium_executable: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    # One context for the session: its HTTP cache makes every JupyterLab load after the first one seconds faster.
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture(scope="session")
def kept_pages() -> dict[str, Page]:
    """The tabs passing tests leave open for the next ones: "lab", JupyterLab loaded once (see ``open_in_lab``), and
    "other", the tab for Notebook 7 and Voila."""
    return {}


@pytest.fixture
def page(
    browser_context: BrowserContext,
    lab_server: LabServer,
    kept_pages: dict[str, Page],
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A tab of the session's browser; at teardown every kernel is shut down and the store file is removed.

    After a passing test the tab is kept, with its documents closed, and the next test opens its notebook in the
    JupyterLab it already shows, as a student opens lesson after lesson; after a failing one it is closed, and the
    next test gets a new tab. A test that opens Notebook 7 or Voila (``opens_another_app``) gets a second tab, kept
    for them, and the JupyterLab tab waits as it is: loading JupyterLab again would cost about 7 CPU-seconds.
    """
    tab = "other" if opens_another_app(request.node.name) else "lab"
    kept = kept_pages.pop(tab, None)
    page = kept if kept is not None and not kept.is_closed() else browser_context.new_page()
    if kept_pages:  # the other tab is open too: the keyboard goes to the tab in front
        page.bring_to_front()
    if page.viewport_size != VIEWPORT:  # the last test narrowed the window (a school laptop)
        page.set_viewport_size(VIEWPORT)
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        console.append(f"[{message.type}] {message.text}")

    def on_page_error(error: Error) -> None:
        console.append(f"[pageerror] {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield page
    page.remove_listener("console", on_console)
    page.remove_listener("pageerror", on_page_error)
    report = getattr(request.node, "_report_call", None)
    try:
        if report is not None and report.failed:
            path = screenshot(page, f"FAILED-{request.node.name}")
            request.node.add_report_section("teardown", "browser", f"screenshot: {path}\n" + "\n".join(console))
            request.node.add_report_section("teardown", "jupyter server log (end)", lab_server.log()[-6000:])
        elif tab == "lab" and _shows_jupyterlab(page):
            with contextlib.suppress(Error):  # a page that will not close its documents is not kept
                close_documents(page)  # before their kernels go: a notebook whose kernel vanishes shows a dialog
                kept_pages[tab] = page
        elif tab == "other":
            with contextlib.suppress(Error):
                leave_quietly(page)  # nothing left running in the background while other tests use the other tab
                kept_pages[tab] = page
    finally:
        if kept_pages.get(tab) is not page:
            page.close()
        lab_server.shutdown_kernels()
        # Each test starts without a store: the next one's kernel creates it again.
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{lab_server.store}{suffix}").unlink(missing_ok=True)


def _shows_jupyterlab(page: Page) -> bool:
    try:
        return bool(page.evaluate(SHOWS_JUPYTERLAB_JS))
    except Error:  # the page crashed or is closed
        return False


@pytest.fixture
def notebook_dir(lab_server: LabServer, request: pytest.FixtureRequest) -> Path:
    """A new folder inside the server's root for this test's notebooks (write them with ``make_notebook``)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", request.node.name).strip("-")
    folder = lab_server.root / name
    folder.mkdir()
    return folder
