"""How `make test` spreads the suite over the machine's cores (pytest-xdist, ``--dist loadfile``).

Every test runs on the same worker as the rest of its file: a notebook's cells run in order in one kernel, and a
file's module fixtures are made once. Everything that drives Chromium shares one worker, so the suite starts one
JupyterLab and one browser, never two competing for two cores.
"""

from __future__ import annotations

from typing import Any

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
