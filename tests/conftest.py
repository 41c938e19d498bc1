"""Shared fixtures, and the end-of-run report of the loader's quality figures."""

import pytest
from quality_report import QUALITY_REPORT  # filled by tests/test_gold.py, printed at the end of every run

import annotkit


@pytest.fixture(scope="session")
def bundled() -> annotkit.Article:
    return annotkit.load_bundled_article()


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker: the controller prints the figures
        session.config.workeroutput["quality_report"] = dict(QUALITY_REPORT)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    QUALITY_REPORT.update(getattr(node, "workeroutput", {}).get("quality_report", {}))


def pytest_terminal_summary(terminalreporter):
    if QUALITY_REPORT:
        terminalreporter.section("article loader quality (gold set)")
        for line in QUALITY_REPORT.values():
            terminalreporter.write_line(line)
