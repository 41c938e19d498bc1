"""The repository's promises to newcomers, Binder and CI: dependencies in step, data in the wheel, clean notebooks."""

import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirement(spec: str) -> tuple[str, str]:
    name, version = re.match(r"^\s*([A-Za-z0-9_.-]+)\s*(.*)$", spec).groups()
    return name.lower().replace("_", "-"), version.replace(" ", "")


def test_environment_yml_and_pyproject_agree_on_runtime_dependencies():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in environment["dependencies"] if isinstance(d, str)]
    # conda-forge names a few packages differently from PyPI
    pypi_name = {"python-fastjsonschema": "fastjsonschema"}
    from_conda = {
        (pypi_name.get(name, name), version)
        for name, version in (_requirement(d) for d in conda)
        if name not in ("python", "pip")
    }
    # Binder's environment is for the course: annotkit's own needs and the Jupyter applications ("lab" extra).
    extras = PYPROJECT["project"]["optional-dependencies"]
    from_pyproject = {_requirement(d) for d in [*PYPROJECT["project"]["dependencies"], *extras["lab"]]}
    assert from_conda == from_pyproject
    assert "conda-forge" in environment["channels"]
    assert "python=3.12" in conda


def test_environment_yml_puts_no_local_path_in_pip_and_postbuild_installs_annotkit():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_lists = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert not any(item.startswith((".", "/", "-e")) for items in pip_lists for item in items)
    assert "pip install --no-deps ." in (ROOT / "postBuild").read_text(encoding="utf-8")


def test_required_dependencies_are_declared():
    runtime = {_requirement(d)[0] for d in PYPROJECT["project"]["dependencies"]}
    test = {_requirement(d)[0] for d in PYPROJECT["project"]["optional-dependencies"]["test"]}
    lab = {_requirement(d)[0] for d in PYPROJECT["project"]["optional-dependencies"]["lab"]}
    assert {"ipywidgets", "anywidget", "pandas"} <= runtime
    # The library never needs the Jupyter applications: a hub's image, Voila or JupyterLite brings its own.
    assert not {"jupyterlab", "notebook", "jupyter-server"} & runtime
    assert {"jupyterlab", "notebook"} <= lab
    assert "annotkit[lab]" in PYPROJECT["project"]["optional-dependencies"]["test"]
    assert {"pytest", "nbval", "hypothesis", "playwright", "ruff"} <= test
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"


COURSE_NOTEBOOKS = sorted(p for p in ROOT.glob("notebooks/**/*.ipynb") if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("notebook", COURSE_NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_notebooks_are_committed_without_outputs(notebook):
    # Only a cell tagged nbval-check-output keeps its output: nbval compares the fresh output with it.
    content = json.loads(notebook.read_text(encoding="utf-8"))
    assert "widgets" not in content["metadata"], f"{notebook.name} carries saved widget state; strip it"
    code = [c for c in content["cells"] if c["cell_type"] == "code"]
    dirty = [i for i, c in enumerate(code) if not _checked(c) and (c["outputs"] or c["execution_count"])]
    assert not dirty, (
        f"{notebook.name}: code cells {dirty} have outputs or execution counts; run "
        "`python tools/notebook_outputs.py strip` (or Edit > Clear Outputs of All Cells)"
    )
    unchecked = [i for i, c in enumerate(code) if _checked(c) and not c["outputs"]]
    assert not unchecked, (
        f"{notebook.name}: code cells {unchecked} are tagged nbval-check-output but store no expected output; run "
        f"`python tools/notebook_outputs.py refresh notebooks/{notebook.relative_to(ROOT / 'notebooks')}`"
    )


def _checked(cell):
    return "nbval-check-output" in cell["metadata"].get("tags", [])


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").rglob("*.ipynb")), ids=lambda p: p.name)
def test_no_test_machinery_shows_in_a_cell(notebook):
    """Students read every cell: nbval's instructions are cell tags, never comments in the code."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    marked = [i for i, cell in enumerate(cells) if "NBVAL" in "".join(cell["source"])]
    assert not marked, f"{notebook.name}: cells {marked} carry an NBVAL comment; tag them instead (metadata.tags)"


def test_the_course_starts_with_notebook_00():
    assert (ROOT / "notebooks" / "00_start_here.ipynb").is_file()


def test_wheel_ships_the_data_folder(tmp_path):
    # The build backend itself (a test dependency), as any front end would call it: .venv has no pip when uv made it.
    build = "import sys; from hatchling.build import build_wheel; build_wheel(sys.argv[1])"
    subprocess.run([sys.executable, "-c", build, str(tmp_path)], cwd=ROOT, check=True, capture_output=True)
    (wheel,) = tmp_path.glob("annotkit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for data_file in (ROOT / "data").rglob("*"):
        if data_file.is_file():
            assert f"annotkit/data/{data_file.relative_to(ROOT / 'data').as_posix()}" in names
    assert "annotkit/py.typed" in names


def test_bundled_article_is_the_shared_capture_unchanged():
    shared = ROOT.parent / "shared" / "articles" / "voa-2021-07-26-us-combat-mission-iraq.txt"
    ours = ROOT / "data" / "articles" / "voa-2021-07-26-us-combat-mission-iraq.txt"
    if not shared.is_file():
        pytest.skip("../shared is not beside this checkout")
    assert ours.read_bytes() == shared.read_bytes()
    assert not ours.read_bytes().endswith(b"\n")


def test_ci_runs_make_test_and_installs_chromium_under_ci():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in script
    assert "apt-get install" in script and "chromium" in script
    assert "playwright install" not in script


def test_make_lab_binds_to_localhost_and_opens_the_first_notebook():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab = makefile.split("\nlab:", 1)[1].split("\n\n", 1)[0]
    assert "127.0.0.1" in lab
    assert "notebooks/00_start_here.ipynb" in lab


def test_classroom_jupyterlab_settings_are_installed_by_make_lab_and_binder():
    overrides = json.loads((ROOT / ".jupyter" / "lab-overrides.json").read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert ".jupyter/lab-overrides.json" in (ROOT / "postBuild").read_text(encoding="utf-8")
    assert ".jupyter/lab-overrides.json" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_no_file_a_notebook_writes_is_committed_beside_the_course():
    """Running a lesson writes files (my_article_files/, hand-ins); they must never end up in git."""
    committed = subprocess.run(
        ["git", "ls-files", "notebooks"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    if not committed:
        pytest.skip("not a git checkout")
    strays = [p for p in committed if not p.endswith((".ipynb", ".md", "conftest.py"))]
    assert not strays, f"files written by running the notebooks are committed: {strays}"
