"""Installing the course, uv against pip, exactly as `make lab` does it (issue 15).

Each run installs into a fresh copy of the repository, so it gets a fresh ``.venv``:

- **uv** (the Makefile's path): ``make .venv/.lab-installed`` — a venv without pip, uv bootstrapped from PyPI
  into ``.venv/uv-tool`` with the machine's pip, then ``uv pip install -e ".[lab]"``.
- **pip** (the Makefile's fallback where uv cannot be had): the venv made by the Makefile's own command, then
  ``make .venv/.lab-installed UV=/nonexistent`` — ``ensurepip`` and ``pip install -e ".[lab]"``. The uv bootstrap
  (which fails on such a machine) is left out.

Package caches are warm: a first, untimed round of each fills pip's and uv's caches, so the figures are what a
second install on the same machine costs (a school's first install also downloads, at the network's speed).
The packages each venv ends up with are compared, so the two figures install the same versions.

``python benchmarks/install.py`` prints the rows alone.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What `pip install -e ".[lab]"` reads, and the Makefile; the rest of the repository is not needed to install.
NEEDED = ("pyproject.toml", "Makefile", "README.md", "LICENSE", "annotkit", "data", "jupyter-config", ".jupyter")

_LIST_PACKAGES = (
    "import importlib.metadata as m, json; "
    "print(json.dumps({d.metadata['Name'].lower().replace('_', '-'): d.version for d in m.distributions()}))"
)


def environment() -> dict[str, str]:
    """This process's environment, without what would change the install (a parent make's flags, a venv)."""
    skip = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "VIRTUAL_ENV", "PYTHONPATH", "UV_PYTHON"}
    return {key: value for key, value in os.environ.items() if key not in skip}


def copy_repository(target: Path) -> None:
    """What installing annotkit and running `make lab` need, copied into ``target`` (made here)."""
    target.mkdir(parents=True)
    for name in NEEDED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, target / name)


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(command: list[str], folder: Path) -> tuple[float, float]:
    """Run ``command`` in ``folder``: (wall seconds, CPU seconds of it and every process it started).

    A failure raises with the command's output.
    """
    begin, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(command, cwd=folder, env=environment(), capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - begin, _children_cpu() - cpu
    if done.returncode != 0:
        msg = f"`{' '.join(command)}` failed in {folder} (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
        raise RuntimeError(msg)
    return seconds, cpu


def install_once(tool: str, folder: Path) -> tuple[tuple[float, float], dict[str, str]]:
    """Install the course with ``tool`` ("uv" or "pip") into a fresh copy under ``folder``.

    Returns ((wall seconds, CPU seconds), the packages installed by name and version).
    """
    copy = folder / tool
    if copy.exists():
        shutil.rmtree(copy)
    copy_repository(copy)
    if tool == "uv":
        timing = _run(["make", "--no-print-directory", ".venv/.lab-installed"], copy)
        if not (copy / ".venv" / "uv-tool" / "bin" / "uv").exists():
            msg = "uv could not be bootstrapped from PyPI (the Makefile fell back to pip): no uv figure."
            raise RuntimeError(msg)
    else:
        # The Makefile's own venv command (without pip), then its install with uv out of reach: pip's path.
        venv = _run(["python3", "-m", "venv", "--without-pip", ".venv"], copy)
        install = _run(["make", "--no-print-directory", ".venv/.lab-installed", "UV=/nonexistent"], copy)
        timing = (venv[0] + install[0], venv[1] + install[1])
    listed = subprocess.run(
        [str(copy / ".venv" / "bin" / "python"), "-c", _LIST_PACKAGES], capture_output=True, text=True, check=True
    )
    packages: dict[str, str] = json.loads(listed.stdout)
    shutil.rmtree(copy)
    return timing, packages


def compare(uv: dict[str, str], pip: dict[str, str]) -> str:
    """In words: whether both venvs hold the same packages at the same versions (the installer's own aside).

    >>> compare({"pandas": "2.3.3"}, {"pandas": "2.3.3", "pip": "25.3", "setuptools": "65.5.0"})
    'same 1 packages, same versions'
    >>> compare({"pandas": "2.3.3", "lxml-html-clean": "0.4.3"}, {"pandas": "2.3.2"})
    '2 of 2 packages differ: lxml-html-clean 0.4.3 (uv) / - (pip); pandas 2.3.3 (uv) / 2.3.2 (pip)'
    """
    # ensurepip puts pip (and, before Python 3.12, setuptools) in the venv: the installer, not the course.
    installers = {"pip", "setuptools"}
    uv = {k: v for k, v in uv.items() if k not in installers}
    pip = {k: v for k, v in pip.items() if k not in installers}
    differ = sorted(
        f"{name} {uv.get(name, '-')} (uv) / {pip.get(name, '-')} (pip)"
        for name in uv.keys() | pip.keys()
        if uv.get(name) != pip.get(name)
    )
    if not differ:
        return f"same {len(uv)} packages, same versions"
    return f"{len(differ)} of {len(uv.keys() | pip.keys())} packages differ: " + "; ".join(differ[:4])


def rows(*, repeat: int = 2) -> list[tuple[str, str, str, str]]:
    """Install time with uv and with pip (median of ``repeat`` runs after a warm-up run of each)."""
    if shutil.which("make") is None or shutil.which("python3") is None:
        return [("install: uv / pip", "not measured", "", "needs make and python3 on PATH")]
    build = ROOT / "build"
    build.mkdir(exist_ok=True)
    timings: dict[str, list[tuple[float, float]]] = {"uv": [], "pip": []}
    packages: dict[str, dict[str, str]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-install-", dir=build) as folder:
            for round_ in range(repeat + 1):
                for tool in ("uv", "pip"):
                    timing, packages[tool] = install_once(tool, Path(folder))
                    if round_:  # round 0 only warms the caches
                        timings[tool].append(timing)
    except (RuntimeError, subprocess.CalledProcessError) as error:
        reason = str(error).splitlines()[0][:100]
        return [("install: uv / pip", "not measured", "", reason)]
    uv, pip = (statistics.median(wall for wall, _ in timings[tool]) for tool in ("uv", "pip"))
    uv_cpu, pip_cpu = (statistics.median(cpu for _, cpu in timings[tool]) for tool in ("uv", "pip"))
    same = compare(packages["uv"], packages["pip"])
    note = f"warm caches, median of {repeat}"
    return [
        ('install -e ".[lab]" into a fresh venv: uv (make lab\'s path)', f"{uv:.1f} s", "seconds", note),
        ("... CPU used by that install (make, uv, the build)", f"{uv_cpu:.1f} s", "(for context)", ""),
        (
            "... the same with pip (the fallback without uv)",
            f"{pip:.1f} s",
            "(for context)",
            f"pip/uv = {pip / uv:.0f}x",
        ),
        ("... CPU used by pip's install", f"{pip_cpu:.1f} s", "(for context)", f"pip/uv = {pip_cpu / uv_cpu:.0f}x"),
        ("... what each installed", same, "the same versions", "met" if same.startswith("same") else "MISSED"),
    ]


if __name__ == "__main__":
    for row in rows():
        print(" | ".join(row))
