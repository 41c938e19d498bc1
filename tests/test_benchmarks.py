"""`make bench` runs outside pytest: what its parts import from the repository must load there too."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_first_lesson_benchmark_loads_the_browser_helpers_outside_pytest():
    # In a fresh interpreter, as benchmarks/run.py is started: under pytest, tests/ is already on the path, which
    # hid a missing import (tests/kernels.py) and left `make lab` to the first lesson "not measured".
    code = "import sys; sys.path.insert(0, 'benchmarks'); import first_lesson; print(first_lesson._lab_helpers().REPO)"
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == ROOT
