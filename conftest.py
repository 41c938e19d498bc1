"""The whole suite's set-up: a throw-away store for the course notebooks, and how the suite uses every core.

The course notebooks run under nbval as a student's first visit: an empty, throw-away store, which the kernels
nbval starts inherit from this environment, so no test ever writes to a student's store; ``ANNOTKIT_AUTOFILL=1``
tells the notebooks that write example files (06, 11) to write them into temporary folders. This lives here, not in
``notebooks/``, so that no test file sits among the lessons students open.

`make test` spreads the suite over one worker per core (pytest-xdist, ``--dist loadfile``; see the Makefile: more
workers only contend for the cores, each with a JupyterLab and a Chromium of its own). Every test
runs on the same worker as the rest of its file (a notebook's cells run in order in one kernel; a file's module
fixtures are made once), except in the long files of independent tests (``SPLIT_FILES``). Each worker that runs a
browser test starts its own JupyterLab and Chromium (session fixtures in tests/browser/conftest.py).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from typing import Any

import nbval.kernel
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests"))  # as tests/ sees its helpers
from kernels import SocketKernelManager

# nbval's kernels talk over Unix sockets, not TCP ports that another kernel can take first (tests/kernels.py).
nbval.kernel.KernelManager = SocketKernelManager

# The system's temporary folder, as the run's first process found it (xdist's workers inherit TMPDIR, set below).
_SYSTEM_TMP = os.environ.setdefault("ANNOTKIT_TESTS_TMPDIR", tempfile.gettempdir())
_STORE_FOLDER = tempfile.mkdtemp(prefix="annotkit-nbval-", dir=_SYSTEM_TMP)  # one per process: each worker has its own
os.environ["ANNOTKIT_STORE"] = os.path.join(_STORE_FOLDER, "work.sqlite")
# This process and every process the suite starts (kernels, servers, the browser) keep their temporary files in this
# folder, which goes when the run ends: lessons under test write their example files to new temporary folders
# (annotkit.course.files_folder), tests make folders of their own, and a run used to leave hundreds of them in /tmp.
# Folders for Unix sockets, whose paths must stay short, are made in the system's folder (tests/kernels.py).
_SCRATCH = os.path.join(_STORE_FOLDER, "tmp")
os.mkdir(_SCRATCH)
os.environ["TMPDIR"] = tempfile.tempdir = _SCRATCH
os.environ["ANNOTKIT_AUTOFILL"] = "1"
os.environ.setdefault("JUPYTERHUB_USER", "student")  # the annotator's name in the notebooks' store


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """Remove this process's throw-away store and temporary files."""
    shutil.rmtree(_STORE_FOLDER, ignore_errors=True)


#: Files whose tests are independent of one another and long (each runs whole notebooks): each test is a unit of
#: work of its own, so two workers share the file instead of one worker running it all while the others wait.
SPLIT_FILES = ("tests/test_course_notebooks.py", "tests/browser/test_course.py")


@pytest.hookimpl(optionalhook=True)  # pytest without pytest-xdist still runs (one process)
def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """With ``--dist loadfile``: one unit of work per file, and one per test in :data:`SPLIT_FILES`."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SplitLongFiles(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if nodeid.startswith(SPLIT_FILES) else str(super()._split_scope(nodeid))

    return SplitLongFiles(config, log)
