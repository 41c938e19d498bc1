"""Shared fixtures, and the end-of-run report of the loader's quality figures."""

import pytest

import annotkit

# Filled by tests/test_gold.py and printed at the end of the run, so the figures are seen on every `make test`.
QUALITY_REPORT: dict[str, str] = {}


@pytest.fixture(scope="session")
def bundled() -> annotkit.Article:
    return annotkit.load_bundled_article()


def pytest_terminal_summary(terminalreporter):
    if QUALITY_REPORT:
        terminalreporter.section("article loader quality (gold set)")
        for line in QUALITY_REPORT.values():
            terminalreporter.write_line(line)
