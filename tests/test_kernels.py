"""The tests' own kernels talk over Unix sockets, never TCP ports (tests/kernels.py says why: a CI run lost a kernel
to a port another kernel took first)."""

import os
import stat
from pathlib import Path

import nbval.kernel
from course_harness import NOTEBOOKS, NotebookRun


def _sockets_of(connection: dict) -> list[Path]:
    assert connection["transport"] == "ipc", connection
    ports = [connection[name] for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
    paths = [Path(f"{connection['ip']}-{port}") for port in ports]
    assert all(len(os.fsencode(path)) <= 107 for path in paths), paths  # the longest path a Unix socket may have
    return paths


def test_nbval_starts_its_kernels_over_unix_sockets():
    km, kc = nbval.kernel.start_new_kernel(kernel_name=nbval.kernel.CURRENT_ENV_KERNEL_NAME)
    try:
        sockets = _sockets_of(km.get_connection_info())
        assert all(stat.S_ISSOCK(path.stat().st_mode) for path in sockets)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert not any(path.exists() for path in sockets)  # nothing left behind


def test_a_course_run_starts_its_kernel_over_unix_sockets(tmp_path):
    with NotebookRun(NOTEBOOKS / "00_start_here.ipynb", tmp_path) as run:
        sockets = _sockets_of(run.client.km.get_connection_info())
        assert all(stat.S_ISSOCK(path.stat().st_mode) for path in sockets)
        assert run.value("1 + 1") == 2
    assert not any(path.exists() for path in sockets)
