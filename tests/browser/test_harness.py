"""The harness itself: a widget and the venv's annotkit work in JupyterLab and in Notebook 7; the checks bite."""

import inspect
import json
import re
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import annotkit

from ._lab import (
    PAGE_CONFIG,
    REPO,
    SHOWS_JUPYTERLAB_JS,
    THEME_SETTINGS,
    LabServer,
    assert_no_widget_errors,
    make_notebook,
    open_in_lab,
    open_in_notebook7,
    run_all,
    saved_annotations,
    screenshot,
)
from .conftest import COLLECTED, leaves_the_page, opens_another_app

SMOKE_CELLS = [
    'import ipywidgets\nipywidgets.Button(description="Hello")',
    "import sys\nimport annotkit\nprint(annotkit.__version__)\nprint(sys.executable)",
    # Creates the store at $ANNOTKIT_STORE, which the test reads back.
    "annotkit.open_store().close()",
]
# Filled by the smoke test's [lab] run, which leaves its JupyterLab tab for the next test.
_SMOKE_RAN_IN_LAB: list[bool] = []
# The names of the documents open in JupyterLab's main area.
OPEN_DOCUMENTS_JS = (
    "() => Array.from(window.jupyterapp.shell.widgets('main')).filter(w => w.context).map(w => w.title.label)"
)


@pytest.mark.parametrize(
    ("app", "opener"), [("lab", open_in_lab), ("notebook7", open_in_notebook7)], ids=["lab", "notebook7"]
)
def test_widget_and_annotkit_in_the_venv_kernel(
    page: Page,
    lab_server: LabServer,
    notebook_dir: Path,
    app: str,
    opener: Callable[..., None],
    kept_pages: dict[str, Page],
):
    # Notebook 7 opens in a tab of its own: the JupyterLab tab the [lab] run left (when it ran) waits, still JupyterLab.
    lab_tab = kept_pages.get("lab")
    if app == "notebook7" and _SMOKE_RAN_IN_LAB:
        assert lab_tab is not None and lab_tab is not page and lab_tab.evaluate(SHOWS_JUPYTERLAB_JS)
    notebook = make_notebook(notebook_dir, "smoke", SMOKE_CELLS)
    opener(page, lab_server, notebook)
    run_all(page)

    expect(page.get_by_role("button", name="Hello", exact=True)).to_be_visible()
    outputs = page.locator(".jp-OutputArea-output")
    expect(outputs.filter(has_text=annotkit.__version__).first).to_be_visible()
    # The kernel is the server's python3 kernelspec, run by this very interpreter (the venv's).
    expect(outputs.filter(has_text=sys.executable)).to_have_count(1)
    assert_no_widget_errors(page)
    screenshot(page, f"harness-{app}-hello-button-and-version")

    assert lab_server.store.exists(), "the kernel did not see ANNOTKIT_STORE"
    assert saved_annotations(lab_server) == []
    if app == "lab":
        _SMOKE_RAN_IN_LAB.append(True)


def test_checks_catch_a_broken_widget_and_an_error(page: Page, lab_server: LabServer, notebook_dir: Path):
    broken_widget = (
        "from IPython.display import display\n"
        "display({'application/vnd.jupyter.widget-view+json':"
        " {'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}}, raw=True)"
    )
    notebook = make_notebook(notebook_dir, "broken", [broken_widget, "1 / 0", "print('not reached')"])
    open_in_lab(page, lab_server, notebook)

    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        run_all(page)
    expect(page.get_by_text("Error displaying widget")).to_be_visible()
    screenshot(page, "harness-lab-broken-widget-and-zerodivision")
    with pytest.raises(AssertionError, match="Error displaying widget"):
        assert_no_widget_errors(page)


def test_the_news_pop_up_is_off_for_the_test_server(lab_server: LabServer):
    # The repository's .jupyter/lab-overrides.json, given to the test server as its own user settings.
    overrides = json.loads((REPO / ".jupyter" / "lab-overrides.json").read_text(encoding="utf-8"))
    for plugin_id, expected in overrides.items():
        settings = lab_server.api("GET", f"/lab/api/settings/{plugin_id}")
        assert isinstance(settings, dict)
        for key, value in expected.items():
            assert settings["settings"][key] == value, (plugin_id, key)
        assert settings["raw"].strip() not in ("", "{}"), f"{plugin_id}: not read from the test's settings folder"


def test_the_test_server_skips_the_build_check_as_the_hub_guide_advises(lab_server: LabServer):
    request = urllib.request.Request(lab_server.page_url("lab"))
    with urllib.request.urlopen(request, timeout=30) as response:
        page = response.read().decode("utf-8")
    config = json.loads(
        re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)[1]
    )
    assert (config["buildCheck"], config["buildAvailable"]) == (False, False)
    guide = (REPO / "notebooks" / "teacher" / "hub_setup.md").read_text(encoding="utf-8")
    assert json.dumps(PAGE_CONFIG) in guide


def test_the_next_notebook_opens_in_the_loaded_jupyterlab_unless_its_settings_changed(
    page: Page, lab_server: LabServer, notebook_dir: Path
):
    first = make_notebook(notebook_dir, "first", ["1 + 1"])
    second = make_notebook(notebook_dir, "second", ["2 + 2"])
    open_in_lab(page, lab_server, first)
    loaded_at = page.evaluate("() => performance.timeOrigin")
    run_all(page)  # the notebook now has unsaved changes

    open_in_lab(page, lab_server, second)
    assert page.evaluate("() => performance.timeOrigin") == loaded_at, "JupyterLab was loaded again"
    # The first notebook closed without a "Save your work" dialog; the second is the only document.
    assert page.evaluate(OPEN_DOCUMENTS_JS) == ["second.ipynb"]
    run_all(page)

    # A setting written since JupyterLab was loaded is read only by a new load: the next notebook gets one.
    theme = lab_server.settings_dir / THEME_SETTINGS
    theme.parent.mkdir(parents=True, exist_ok=True)
    theme.write_text(json.dumps({"theme": "JupyterLab Dark"}), encoding="utf-8")
    try:
        open_in_lab(page, lab_server, first)
        assert page.evaluate("() => performance.timeOrigin") != loaded_at
        expect(page.locator("body[data-jp-theme-light='false']")).to_have_count(1)
        assert page.evaluate(OPEN_DOCUMENTS_JS) == ["first.ipynb"]
    finally:
        theme.unlink()


def test_in_each_file_the_tests_with_new_settings_run_last():
    """JupyterLab reads its settings when it loads: the test after one that wrote new settings loads it again. Those
    tests run last in their file; the files, and the other tests, keep their order."""
    from .conftest import pytest_collection_modifyitems

    class Item:
        def __init__(self, path: Path, name: str) -> None:
            self.path, self.name = path, name

        def add_marker(self, marker: object) -> None:
            pass

    here, unit = Path(__file__).parent, Path(__file__).parents[1] / "test_store.py"
    check, keys = here / "test_check.py", here / "test_keys.py"
    names = [
        (check, "test_a[lab]"), (check, "test_new_settings"), (check, "test_b"), (check, "test_a[notebook7]"),
        (keys, "test_with_other_settings"), (keys, "test_d"), (unit, "test_settings_store"), (unit, "test_f"),
    ]  # fmt: skip
    items = [Item(path, name) for path, name in names]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [(item.path.name, item.name) for item in items] == [
        ("test_check.py", "test_a[lab]"), ("test_check.py", "test_b"), ("test_check.py", "test_a[notebook7]"),
        ("test_check.py", "test_new_settings"),
        ("test_keys.py", "test_d"), ("test_keys.py", "test_with_other_settings"),
        ("test_store.py", "test_settings_store"), ("test_store.py", "test_f"),  # not a browser test: as collected
    ]  # fmt: skip


# What in a test's code opens another app than JupyterLab, and what writes JupyterLab's settings.
_OPENS_ANOTHER_APP = re.compile(r"open_in_notebook7|\.goto\(")
_WRITES_SETTINGS = re.compile(r"_SETTINGS\b|jupyterlab-settings")


def test_the_tests_that_leave_jupyterlab_are_named_so():
    """The two tabs and the order above rest on the tests' names: a test that opens Notebook 7 or Voila must say so
    (it gets the second tab), and one that writes settings too (it runs last in its file). Otherwise JupyterLab is
    loaded again for the next test, about 7 CPU-seconds. A reload goes through reload_page, which keeps the page
    usable; page.reload alone would not."""
    apps, settings, reloads = [], [], []
    for item in COLLECTED:
        if not isinstance(item, pytest.Function) or item.function is test_the_tests_that_leave_jupyterlab_are_named_so:
            continue
        params = getattr(item, "callspec", None)
        opener = params.params.get("opener") if params is not None else None
        source = ("\n" + inspect.getsource(item.function)).partition("\ndef ")[2]  # without its decorators
        if opener is open_in_notebook7 or (opener is None and _OPENS_ANOTHER_APP.search(source)):
            apps.append(item)
        if _WRITES_SETTINGS.search(source):
            settings.append(item)
        if "page.reload(" in source:
            reloads.append(item.name)
    assert apps, "no test collected opens Notebook 7 (this file's tests do): the check saw nothing"
    assert [item.name for item in apps if not opens_another_app(item.name)] == []
    assert settings, "no test collected writes settings (this file's tests do): the check saw nothing"
    assert [item.name for item in settings if not leaves_the_page(item)] == []
    assert reloads == []
