"""The harness itself: a widget and the venv's annotkit work in JupyterLab and in Notebook 7; the checks bite."""

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import annotkit

from ._lab import (
    REPO,
    LabServer,
    assert_no_widget_errors,
    make_notebook,
    open_in_lab,
    open_in_notebook7,
    run_all,
    saved_annotations,
    screenshot,
)

SMOKE_CELLS = [
    'import ipywidgets\nipywidgets.Button(description="Hello")',
    "import sys\nimport annotkit\nprint(annotkit.__version__)\nprint(sys.executable)",
    # Creates the store at $ANNOTKIT_STORE, which the test reads back.
    "annotkit.open_store().close()",
]
# The names of the documents open in JupyterLab's main area.
OPEN_DOCUMENTS_JS = (
    "() => Array.from(window.jupyterapp.shell.widgets('main')).filter(w => w.context).map(w => w.title.label)"
)


@pytest.mark.parametrize(
    ("app", "opener"), [("lab", open_in_lab), ("notebook7", open_in_notebook7)], ids=["lab", "notebook7"]
)
def test_widget_and_annotkit_in_the_venv_kernel(
    page: Page, lab_server: LabServer, notebook_dir: Path, app: str, opener: Callable[..., None]
):
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


def test_the_next_notebook_opens_in_the_loaded_jupyterlab_unless_a_setting_changed(
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
    theme = lab_server.settings_dir / "@jupyterlab" / "apputils-extension" / "themes.jupyterlab-settings"
    theme.parent.mkdir(parents=True, exist_ok=True)
    theme.write_text(json.dumps({"theme": "JupyterLab Dark"}), encoding="utf-8")
    try:
        open_in_lab(page, lab_server, first)
        assert page.evaluate("() => performance.timeOrigin") != loaded_at
        expect(page.locator("body[data-jp-theme-light='false']")).to_have_count(1)
        assert page.evaluate(OPEN_DOCUMENTS_JS) == ["first.ipynb"]
    finally:
        theme.unlink()


def test_in_each_file_the_tests_that_leave_jupyterlab_run_last():
    """Each test after one that left JupyterLab's page (Notebook 7, Voila, a reload, the dark theme) loads it again:
    those run last in their file; the files, and the other tests, keep their order."""
    from .conftest import pytest_collection_modifyitems

    class Item:
        def __init__(self, path: Path, name: str) -> None:
            self.path, self.name = path, name

        def add_marker(self, marker: object) -> None:
            pass

    here, unit = Path(__file__).parent, Path(__file__).parents[1] / "test_store.py"
    check, keys = here / "test_check.py", here / "test_keys.py"
    names = [
        (check, "test_a[lab]"), (check, "test_a[notebook7]"), (check, "test_dark_theme"), (check, "test_b"),
        (check, "test_after_a_reload[lab]"), (check, "test_c"), (keys, "test_d[notebook7]"), (keys, "test_e"),
        (unit, "test_dark_store"), (unit, "test_f"),
    ]  # fmt: skip
    items = [Item(path, name) for path, name in names]
    pytest_collection_modifyitems(items)  # type: ignore[arg-type]
    assert [(item.path.name, item.name) for item in items] == [
        ("test_check.py", "test_a[lab]"), ("test_check.py", "test_b"), ("test_check.py", "test_c"),
        ("test_check.py", "test_a[notebook7]"), ("test_check.py", "test_dark_theme"),
        ("test_check.py", "test_after_a_reload[lab]"),
        ("test_keys.py", "test_e"), ("test_keys.py", "test_d[notebook7]"),
        ("test_store.py", "test_dark_store"), ("test_store.py", "test_f"),  # not a browser test: as collected
    ]  # fmt: skip
