"""The whole suite's set-up: a throw-away store for the course notebooks, and how the suite uses every core.

The course notebooks run under nbval as a student's first visit: an empty, throw-away store, which the kernels
nbval starts inherit from this environment, so no test ever writes to a student's store; ``ANNOTKIT_AUTOFILL=1``
tells the notebooks that write example files (06, 11) to write them into temporary folders. This lives here, not in
``notebooks/``, so that no test file sits among the lessons students open.

`make test` spreads the suite over the machine's cores (pytest-xdist, ``--dist loadfile``): every test runs on the
same worker as the rest of its file (a notebook's cells run in order in one kernel; a file's module fixtures are made
once), and everything that drives Chromium shares one worker, so the suite starts one JupyterLab and one browser,
never two competing for two cores.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import Any

_STORE_FOLDER = tempfile.mkdtemp(prefix="annotkit-nbval-")  # one per process: each xdist worker has its own
os.environ["ANNOTKIT_STORE"] = os.path.join(_STORE_FOLDER, "work.sqlite")
os.environ["ANNOTKIT_AUTOFILL"] = "1"
os.environ.setdefault("JUPYTERHUB_USER", "student")  # the annotator's name in the notebooks' store


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    """Remove this process's throw-away store."""
    shutil.rmtree(_STORE_FOLDER, ignore_errors=True)


#: Test files that drive Chromium (their nodeids start with these).
BROWSER_TESTS = ("tests/browser/", "tests/hub/test_browser_")


def pytest_xdist_make_scheduler(config: Any, log: Any) -> Any:
    """With ``--dist loadfile``: one unit of work per file, and one for all the browser tests together."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class OneBrowser(LoadFileScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.startswith(BROWSER_TESTS) else str(super()._split_scope(nodeid))

    return OneBrowser(config, log)
