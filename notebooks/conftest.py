"""How `make test` runs the course notebooks under nbval: autofill on, and a throw-away annotation store.

The kernels nbval starts inherit this environment, so no test ever writes to a student's annotations.sqlite.
"""

import os
import shutil
import tempfile

_STORE_FOLDER = tempfile.mkdtemp(prefix="annotkit-nbval-")
os.environ["ANNOTKIT_STORE"] = os.path.join(_STORE_FOLDER, "annotations.sqlite")
os.environ["ANNOTKIT_AUTOFILL"] = "1"
os.environ.setdefault("JUPYTERHUB_USER", "student")  # the annotator's name in the notebooks' store


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_STORE_FOLDER, ignore_errors=True)
