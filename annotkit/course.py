"""Whether the course notebooks run under their tests, so that files they write go to throw-away folders.

The notebooks hold teaching only: no autofill and no checks. The tests (``tests/test_course_notebooks.py``) drive
them from outside, filling the tagging tools from the answer key through their Python API; that code lives in
``tests/course_autofill.py`` and never runs in a student's kernel.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

__all__ = ["AUTOFILL_ENV", "autofill_on"]

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
