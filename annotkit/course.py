"""The folders the course notebooks write their files to, and whether the notebooks run under their tests.

The notebooks hold teaching only: no autofill and no checks. The tests (``tests/test_course_notebooks.py``) drive
them from outside, filling the tagging tools from the answer key through their Python API; that code lives in
``tests/course_autofill.py`` and never runs in a student's kernel.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["AUTOFILL_ENV", "autofill_on", "files_folder"]

AUTOFILL_ENV = "ANNOTKIT_AUTOFILL"
_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}


def autofill_on(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the notebooks run under the course's tests: ``ANNOTKIT_AUTOFILL`` says so, else ``CI=true``.

    Notebooks use it only to write their example files into a temporary folder instead of the student's folder.

    >>> autofill_on({"CI": "true"}), autofill_on({"CI": "true", "ANNOTKIT_AUTOFILL": "0"}), autofill_on({})
    (True, False, False)
    """
    environ = os.environ if environ is None else environ
    setting = environ.get(AUTOFILL_ENV, "").strip().lower()
    if setting in _YES:
        return True
    if setting in _NO:
        return False
    return environ.get("CI", "").strip().lower() == "true"


def files_folder(name: str | os.PathLike[str], environ: Mapping[str, str] | None = None) -> Path:
    """The folder ``name`` for the files a lesson writes (made if missing), beside the notebook.

    While the course's tests run the notebook (:func:`autofill_on`), a new temporary folder instead: a test run
    leaves nothing in the course folder, and two tests running one lesson at once never read each other's files.

    >>> import tempfile
    >>> folder = files_folder(Path(tempfile.mkdtemp()) / "my_files", environ={})
    >>> folder.name, folder.is_dir()
    ('my_files', True)
    >>> files_folder("my_files", environ={"ANNOTKIT_AUTOFILL": "1"}).name.startswith("annotkit-")
    True
    """
    if autofill_on(environ):
        return Path(tempfile.mkdtemp(prefix="annotkit-"))
    folder = Path(name).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    return folder
