"""A class on the machine's cores: N students, each a real kernel tagging at a brisk pace (issue 15).

Every simulated student is a real ipykernel started with jupyter_client, as a hub would start it. In it the
student's lesson is set up as lesson 02 has it: ``import annotkit``, their own store file, an ``ActorTagger`` on
the bundled article, and 60 tags already made. Then all N students tag at the same time, one tag every
``pace`` seconds (each starting at a random moment of the first interval, as a class does), the next word of
the article each time (every other word, as ``tagger_rows`` in run.py chooses them).

A tag travels the way the browser sends it: a ``comm_msg`` to the widget's comm (``{"method": "custom",
"content": {"event": "select", ...}}``), which ipywidgets hands to the tagger's ``_on_browser_message``.
Inside the kernel that call is timed (wall time: the message handled, the store file written, the change sent
back); outside, the time from sending the message to the kernel going idle again (what a student waits, the
browser's own drawing aside). Memory is each kernel's resident set (RSS) and proportional set (PSS, which
shares the libraries between kernels) read from ``/proc`` once the lesson is set up.

Kernels are always shut down, on an error or Ctrl+C too; a kernel whose parent dies ends itself (ipykernel
watches ``JPY_PARENT_PID``).

``python benchmarks/class_kernels.py 1 20 40`` prints the rows alone.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from procstat import cpu_seconds

START_TIMEOUT = 180.0  # seconds for a kernel to start and set up its lesson on a loaded 2-core machine
TAG_TIMEOUT = 60.0  # seconds for one tag to come back
PRE_TAGGED = 60  # lesson 02's situation: tags already in the store

# Run in each student's kernel. Names start with _bench so nothing a student's code could use is shadowed.
SETUP = """
import json as _bench_json, os as _bench_os, time as _bench_time
import annotkit
from annotkit.widgets import ActorTagger

_bench_store = annotkit.open_store({store!r}, annotator={name!r})
_bench_article = annotkit.load_bundled_article()
_bench_tagger = ActorTagger(_bench_article, store=_bench_store)
_bench_text = _bench_article.text


def _bench_utf16(point):
    return len(_bench_text[:point].encode("utf-16-le")) // 2


_bench_words = [
    {{"event": "select", "start": _bench_utf16(w.start), "end": _bench_utf16(w.end), "label": "other"}}
    for w in _bench_article.tokens[_bench_article.tokens["is_word"]].itertuples()
][::2]
for _bench_message in _bench_words[:{pre_tagged}]:
    _bench_tagger._on_browser_message(_bench_tagger, _bench_message, [])
_bench_timings = []


def _bench_timed(widget, content, buffers):
    begin, cpu = _bench_time.perf_counter(), _bench_time.thread_time()
    _bench_tagger._on_browser_message(widget, content, buffers)
    _bench_timings.append((_bench_time.perf_counter() - begin, _bench_time.thread_time() - cpu))


# The browser's messages now reach the tagger through the timer.
_bench_tagger.on_msg(_bench_tagger._on_browser_message, remove=True)
_bench_tagger.on_msg(_bench_timed)
"""

READY = {
    "pid": "_bench_os.getpid()",
    "comm": "_bench_tagger.comm.comm_id",
    "words": "_bench_words[{pre_tagged}:]",
}


@dataclass
class Student:
    """One simulated student: their kernel, its client, and what was measured in it."""

    name: str
    manager: AsyncKernelManager
    client: Any = None
    pid: int = 0
    comm_id: str = ""
    words: list[dict[str, Any]] = field(default_factory=list)
    rss: int = 0  # bytes, after the lesson's set-up
    pss: int = 0
    cpu: float = 0.0  # seconds of CPU the whole kernel process used while the class tagged
    round_trips: list[float] = field(default_factory=list)
    in_kernel: list[tuple[float, float]] = field(default_factory=list)  # (wall, CPU) seconds of each tag call
    waiting: dict[str, asyncio.Future[None]] = field(default_factory=dict)


@dataclass(frozen=True)
class ClassRun:
    """What one class of ``students`` measured.

    Attributes
    ----------
    students : int
        How many kernels tagged at the same time.
    tag_ms : list of float
        Every tag call's wall time inside the kernels (``_on_browser_message``), in ms.
    tag_cpu_ms : list of float
        The CPU time the kernel's thread spent in each of those calls, in ms (what the machine's load does not
        change: waiting for a core or the disk is not in it).
    round_trip_ms : list of float
        Every tag's time from the message sent to the kernel idle again, in ms.
    rss_mib, pss_mib : list of float
        Each kernel's resident and proportional set size once its lesson was set up, in MiB.
    kernel_cpu : float
        CPU seconds all the kernel processes used while the class tagged (every thread: the message read,
        the tag call, the replies sent, ipykernel's own upkeep), from ``/proc``.
    seconds : float
        How long the class tagged (wall time).
    load_before, load_after : float
        The machine's 1-minute load average when the tagging started and when it ended.
    """

    students: int
    tag_ms: list[float]
    tag_cpu_ms: list[float]
    round_trip_ms: list[float]
    rss_mib: list[float]
    pss_mib: list[float]
    kernel_cpu: float
    seconds: float
    load_before: float
    load_after: float


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of a process in bytes, from /proc; PSS is 0 where smaps_rollup cannot be read."""
    rss = pss = 0
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
    with contextlib.suppress(OSError), open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    return rss, pss


async def _execute(student: Student, code: str, expressions: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``code`` in the student's kernel; the values of ``expressions`` (Python literals). Raises on an error."""
    reply = await student.client.execute_interactive(
        code,
        silent=False,
        store_history=False,
        user_expressions=expressions or {},
        timeout=START_TIMEOUT,
        output_hook=lambda message: None,  # nothing is printed; a failure is read from the reply
    )
    content = reply["content"]
    if content["status"] != "ok":
        msg = f"{student.name}'s kernel failed: {content.get('ename')}: {content.get('evalue')}"
        raise RuntimeError(msg)
    values = {}
    for key, value in content.get("user_expressions", {}).items():
        if value.get("status") != "ok":
            msg = f"{student.name}'s kernel could not evaluate {key}: {value.get('evalue')}"
            raise RuntimeError(msg)
        values[key] = ast.literal_eval(value["data"]["text/plain"])
    return values


async def _start(student: Student, folder: Path, gate: asyncio.Semaphore) -> None:
    """Start the kernel and set up the lesson (a few at a time: 40 imports at once would time out)."""
    log = folder / f"{student.name}.log"
    async with gate:
        env = {**os.environ, "ANNOTKIT_ANNOTATOR": student.name, "PYTHONUNBUFFERED": "1"}
        with open(log, "wb") as output:  # the kernel's own output, shown if it fails
            await student.manager.start_kernel(env=env, stdout=output, stderr=output)
        try:
            student.client = student.manager.client()
            student.client.start_channels()
            await student.client.wait_for_ready(timeout=START_TIMEOUT)
        except RuntimeError as error:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            msg = f"{student.name}'s kernel did not start ({error}). Its output:\n{tail}"
            raise RuntimeError(msg) from error
        code = SETUP.format(store=str(folder / f"{student.name}.sqlite"), name=student.name, pre_tagged=PRE_TAGGED)
        ready = {k: v.format(pre_tagged=PRE_TAGGED) for k, v in READY.items()}
        values = await _execute(student, code, ready)
    student.pid, student.comm_id, student.words = int(values["pid"]), str(values["comm"]), list(values["words"])
    student.rss, student.pss = _memory(student.pid)


async def _listen(student: Student) -> None:
    """Read the kernel's iopub: a tag is done when the kernel goes idle after its message."""
    while True:
        message = await student.client.get_iopub_msg()
        if message["msg_type"] == "status" and message["content"].get("execution_state") == "idle":
            waiter = student.waiting.pop(message["parent_header"].get("msg_id", ""), None)
            if waiter is not None and not waiter.done():
                waiter.set_result(None)


async def _tag(student: Student, *, tags: int, pace: float, rng: random.Random) -> None:
    """Tag ``tags`` words, one every ``pace`` seconds, starting at a random moment of the first interval."""
    loop = asyncio.get_running_loop()
    await asyncio.sleep(rng.uniform(0, pace))
    due = loop.time()
    for message in student.words[:tags]:
        request = student.client.session.msg(
            "comm_msg", {"comm_id": student.comm_id, "data": {"method": "custom", "content": message}}
        )
        done = loop.create_future()
        student.waiting[request["header"]["msg_id"]] = done
        begin = time.perf_counter()
        student.client.shell_channel.send(request)
        await asyncio.wait_for(done, TAG_TIMEOUT)
        student.round_trips.append(time.perf_counter() - begin)
        due += pace
        await asyncio.sleep(max(0.0, due - loop.time()))


async def _stop(student: Student) -> None:
    with contextlib.suppress(Exception):
        if student.client is not None:
            student.client.stop_channels()
    with contextlib.suppress(Exception):
        if student.manager.has_kernel:
            await student.manager.shutdown_kernel(now=False)


async def run_class(students: int, *, tags: int = 30, pace: float = 2.0, seed: int = 0) -> ClassRun:
    """Start ``students`` kernels, set up the lesson in each, let them all tag; what was measured."""
    rng = random.Random(seed)
    # `kill` (SIGTERM) ends the run as Ctrl+C does: through the `finally` below, which shuts the kernels down.
    loop, task = asyncio.get_running_loop(), asyncio.current_task()
    if task is not None and hasattr(signal, "SIGTERM"):
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    with tempfile.TemporaryDirectory(prefix="bench-class-") as folder:
        names = [f"student-{n:02d}" for n in range(students)]
        # The venv's own ipykernel: jupyter_client runs the python3 kernel with this interpreter.
        class_ = [Student(name, AsyncKernelManager(kernel_name="python3")) for name in names]
        listeners: list[asyncio.Task[None]] = []
        try:
            gate = asyncio.Semaphore(4)
            await asyncio.gather(*(_start(s, Path(folder), gate) for s in class_))
            listeners = [asyncio.create_task(_listen(s)) for s in class_]
            load_before, begin = os.getloadavg()[0], time.perf_counter()
            cpu_before = {s.name: cpu_seconds(s.pid) for s in class_}
            await asyncio.gather(*(_tag(s, tags=tags, pace=pace, rng=rng) for s in class_))
            kernel_cpu = sum(cpu_seconds(s.pid) - cpu_before[s.name] for s in class_)
            load_after, seconds = os.getloadavg()[0], time.perf_counter() - begin
            for task in listeners:
                task.cancel()
            await asyncio.gather(*listeners, return_exceptions=True)
            for student in class_:
                values = await _execute(student, "", {"timings": "_bench_timings"})
                student.in_kernel = [(float(wall), float(cpu)) for wall, cpu in values["timings"]]
        finally:
            for task in listeners:
                task.cancel()
            await asyncio.gather(*(_stop(s) for s in class_))
    mib = 1024 * 1024
    return ClassRun(
        students=students,
        tag_ms=[wall * 1000 for s in class_ for wall, _ in s.in_kernel],
        tag_cpu_ms=[cpu * 1000 for s in class_ for _, cpu in s.in_kernel],
        round_trip_ms=[t * 1000 for s in class_ for t in s.round_trips],
        rss_mib=[s.rss / mib for s in class_],
        pss_mib=[s.pss / mib for s in class_],
        kernel_cpu=kernel_cpu,
        seconds=seconds,
        load_before=load_before,
        load_after=load_after,
    )


@contextlib.contextmanager
def every_core() -> Iterator[int]:
    """Let this process (and the kernels it starts) use every core the OS allows; yields how many."""
    if not hasattr(os, "sched_setaffinity"):
        yield os.cpu_count() or 1
        return
    before = os.sched_getaffinity(0)
    with contextlib.suppress(OSError):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))
    try:
        yield len(os.sched_getaffinity(0))
    finally:
        os.sched_setaffinity(0, before)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def rows(sizes: tuple[int, ...] = (1, 20, 40), *, tags: int = 30, pace: float = 2.0) -> list[tuple[str, str, str, str]]:
    """The class's figures: the tag call (median / p95) and each kernel's memory, for each class size."""
    if not Path("/proc/self/status").exists():
        return [("a class of kernels", "not measured", "", "needs Linux's /proc to read the kernels' memory")]
    result = []
    with every_core() as cores:
        for students in sizes:
            run = asyncio.run(run_class(students, tags=tags, pace=pace))
            median, p95 = statistics.median(run.tag_ms), _p95(run.tag_ms)
            goal = "< 5 ms median" if students == 1 else "< 50 ms median" if students >= 40 else "(for context)"
            verdict = "" if goal.startswith("(") else "met" if median < (5 if students == 1 else 50) else "MISSED"
            who = "1 student alone" if students == 1 else f"{students} students at once"
            load = f"load {run.load_before:.1f} -> {run.load_after:.1f}"
            result += [
                (
                    f"class on {cores} cores, {who}: tag call in the kernel, median / p95",
                    f"{median:.1f} / {p95:.1f} ms",
                    goal,
                    verdict,
                ),
                (
                    "... CPU time of the call (the machine's load aside), median / p95",
                    f"{statistics.median(run.tag_cpu_ms):.1f} / {_p95(run.tag_cpu_ms):.1f} ms",
                    "< 5 ms median",
                    "met" if statistics.median(run.tag_cpu_ms) < 5 else "MISSED",
                ),
                (
                    "... the kernels' whole CPU per tag; the class's share of one core",
                    f"{run.kernel_cpu / len(run.tag_ms) * 1000:.1f} ms; {run.kernel_cpu / run.seconds:.0%}",
                    "(for context)",
                    f"{run.kernel_cpu:.2f} CPU s in {run.seconds:.0f} s",
                ),
                (
                    "... message sent to kernel idle again, median / p95",
                    f"{statistics.median(run.round_trip_ms):.1f} / {_p95(run.round_trip_ms):.1f} ms",
                    "(for context)",
                    f"{len(run.tag_ms)} tags; {load}",
                ),
                (
                    "... memory per kernel: RSS median / max (PSS median)",
                    f"{statistics.median(run.rss_mib):.0f} / {max(run.rss_mib):.0f} MiB"
                    f" ({statistics.median(run.pss_mib):.0f})",
                    "reported",
                    "",
                ),
            ]
    return result


if __name__ == "__main__":
    chosen = tuple(int(n) for n in sys.argv[1:]) or (1, 20, 40)
    for row in rows(chosen):
        print(" | ".join(row))
