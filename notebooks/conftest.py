"""How `make test` runs the course notebooks under nbval: as a student's first visit, with a throw-away store.

The notebooks hold no autofill and no checks; they must run top to bottom with an empty store. The kernels nbval
starts inherit this environment, so no test ever writes to a student's store, and ANNOTKIT_AUTOFILL=1 tells the
notebooks that write example files (06, 11) to write them into temporary folders. tests/test_course_notebooks.py
drives the same notebooks with real work in them.
"""

import os
import shutil
import tempfile

_STORE_FOLDER = tempfile.mkdtemp(prefix="annotkit-nbval-")
os.environ["ANNOTKIT_STORE"] = os.path.join(_STORE_FOLDER, "work.sqlite")
os.environ["ANNOTKIT_AUTOFILL"] = "1"
os.environ.setdefault("JUPYTERHUB_USER", "student")  # the annotator's name in the notebooks' store


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_STORE_FOLDER, ignore_errors=True)
