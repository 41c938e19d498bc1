"""The loader's quality figures, filled by tests/test_gold.py and printed by conftest.py at the end of a run.

A module of its own: ``from conftest import ...`` would find whichever conftest.py was imported first (the
notebooks folder has one too).
"""

QUALITY_REPORT: dict[str, str] = {}
