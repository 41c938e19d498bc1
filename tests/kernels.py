"""Kernel managers for the tests' own kernels: they talk over Unix sockets in a short private folder, not TCP ports.

A TCP kernel is given five free ports by its manager and binds them a moment later, when its process has started.
The suite starts kernels side by side (nbval, the course runs, the browser tests' servers), and a port one manager
had picked was once taken by another kernel first: "Address already in use", a kernel that never answered, and a
failed CI run. A socket file in a folder of its own cannot be taken by anyone else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from typing import Any

from jupyter_client import AsyncKernelManager, KernelManager


def socket_folder(prefix: str) -> str:
    """A new folder for Unix sockets, with a short path (a socket's path is limited to 107 bytes, and pytest's
    tmp_path is longer): in the system's temporary folder, not in the run's scratch folder (conftest.py) inside it.
    Whoever makes it removes it."""
    return tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("ANNOTKIT_TESTS_TMPDIR"))


class _OverUnixSockets:
    def __init__(self, **kwargs: Any) -> None:
        folder = socket_folder("annotkit-k-")
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("connection_file", os.path.join(folder, "kernel.json"))
        super().__init__(**kwargs)
        weakref.finalize(self, shutil.rmtree, folder, ignore_errors=True)


class SocketKernelManager(_OverUnixSockets, KernelManager):
    """What nbval starts its kernels with (tests/conftest.py puts it in nbval's place)."""


class AsyncSocketKernelManager(_OverUnixSockets, AsyncKernelManager):
    """What tests/course_harness.py's NotebookClient starts its kernels with."""
