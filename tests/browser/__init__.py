"""Browser tests: Playwright drives Chromium through JupyterLab and Notebook 7 (see conftest.py and _lab.py)."""
