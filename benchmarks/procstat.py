"""CPU time of processes, from Linux's /proc: the figure the machine's load does not change."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().rsplit(")", 1)[1].split()  # the fields after the command name, which may hold spaces


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """CPU time (user + system, every thread) process ``pid`` has used; with ``reaped``, also its children's
    that have ended and been waited for."""
    fields = _stat(pid)
    ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if reaped else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def descendants_cpu(root: int) -> dict[int, float]:
    """CPU seconds of every live descendant of process ``root``, by pid, children that ended included."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parents[int(entry.name)] = int(_stat(int(entry.name))[1])
    tree: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - tree
        tree |= frontier
    found = {}
    for pid in tree:
        with contextlib.suppress(OSError, IndexError, ValueError):  # a process that ended meanwhile
            found[pid] = cpu_seconds(pid, reaped=True)
    return found


def kind(pid: int) -> str:
    """What process ``pid`` is, for a breakdown: "kernel", "server", "Chromium", "driver" (Playwright's) or
    "other" (make, a shell); "gone" if it has ended."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    for marker, name in (
        ("ipykernel", "kernel"),
        ("jupyter", "server"),
        ("chrom", "Chromium"),
        ("playwright", "driver"),
    ):
        if marker in command.lower():
            return name
    return "other"
