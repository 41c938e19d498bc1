"""Every public name is documented, with an example, and the README is the front door."""

import inspect
import re
from pathlib import Path

import pytest

import annotkit

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
PUBLIC = [name for name in annotkit.__all__ if not name.startswith("_")]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_name_has_a_docstring(name):
    obj = getattr(annotkit, name)
    assert inspect.getdoc(obj), f"annotkit.{name} has no docstring"


@pytest.mark.parametrize("name", [n for n in PUBLIC if inspect.isfunction(getattr(annotkit, n)) or n in ("Article",)])
def test_public_function_has_a_runnable_example(name):
    assert ">>>" in inspect.getdoc(getattr(annotkit, name)), f"annotkit.{name} needs a >>> example"


@pytest.mark.parametrize("name", PUBLIC)
def test_readme_documents_every_public_name(name):
    assert re.search(rf"\b{re.escape(name)}\b", README), f"README.md does not mention annotkit.{name}"


def test_readme_opens_with_the_two_setup_commands():
    top = README[:1500]
    assert "make lab" in top and "make test" in top


def test_readme_documents_every_frame_column():
    article = annotkit.load_bundled_article()
    for frame in ("paragraphs", "sentences", "tokens", "quotes"):
        for column in getattr(article, frame).columns:
            assert f"`{column}`" in README, f"README.md does not document the {frame} column {column!r}"


def test_changelog_has_an_entry_for_this_version():
    assert f"## {annotkit.__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
