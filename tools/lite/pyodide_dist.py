"""Which Pyodide the site runs: a school's own distribution (a folder or a tarball), or Pyodide's CDN.

Either way the build needs Pyodide's lock file (which packages exist for the browser, at which versions). With no
local distribution it comes from npm's ``pyodide`` package of the kernel's version (the same file as on the CDN),
or, where npm is missing, from the CDN itself.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lock import LockError

ARCHIVES = (".tar.bz2", ".tar.gz", ".tgz", ".tar.xz", ".tar")
#: The files a Pyodide distribution cannot run without (the kernel loads the ES module, ``pyodide.mjs``).
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


@dataclass(frozen=True)
class Distribution:
    """The Pyodide a site is built for.

    Attributes
    ----------
    lock
        Pyodide's ``pyodide-lock.json``, parsed.
    version
        Pyodide's version (``"314.0.6"``).
    folder
        The local distribution, or None when the site loads Pyodide from the CDN.
    cdn_url
        Pyodide's CDN folder for this version (for what a partial local distribution lacks).
    """

    lock: dict[str, Any]
    version: str
    folder: Path | None
    cdn_url: str

    @property
    def local_files(self) -> set[str] | None:
        if self.folder is None:
            return None
        return {p.name for p in self.folder.iterdir() if p.is_file()}

    @property
    def python(self) -> str:
        return ".".join(self.lock["info"]["python"].split(".")[:2])


def cdn_url(version: str) -> str:
    return f"https://cdn.jsdelivr.net/pyodide/v{version}/full/"


def find_distribution(root: Path) -> Path | None:
    """The folder under ``root`` (itself, ``pyodide/`` or npm's ``package/``) that holds ``pyodide-lock.json``."""
    for folder in (root, root / "pyodide", root / "package"):
        if (folder / "pyodide-lock.json").is_file():
            return folder
    return None


def unpack(archive: Path, cache: Path) -> Path:
    """Extract a Pyodide tarball once into the cache; return the folder it went into."""
    stem = archive.name
    for suffix in ARCHIVES:
        stem = stem.removesuffix(suffix)
    target = cache / "pyodide-archives" / stem
    stamp = target / ".extracted"
    if not stamp.is_file() or stamp.read_text() != f"{archive.stat().st_size}:{archive.stat().st_mtime_ns}":
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")  # no absolute paths, links out of the folder or device files
        stamp.write_text(f"{archive.stat().st_size}:{archive.stat().st_mtime_ns}")
    return target


def version_of(folder: Path) -> str | None:
    """The distribution's version: its package.json (npm and release tarballs), else its lock's info."""
    package = folder / "package.json"
    if package.is_file():
        return json.loads(package.read_text(encoding="utf-8")).get("version")
    return json.loads((folder / "pyodide-lock.json").read_text(encoding="utf-8"))["info"].get("version")


def local(source: Path, cache: Path, *, kernel_version: str, python: str) -> Distribution:
    """A school's own Pyodide: a folder, or a tarball (a release ``pyodide-<version>.tar.bz2``, or npm's)."""
    if not source.exists():
        msg = f"No Pyodide distribution at {source}. Give a folder or a tarball (pyodide-{kernel_version}.tar.bz2)."
        raise LockError(msg)
    if source.is_file():
        if not source.name.endswith(ARCHIVES):
            msg = f"{source} is neither a folder nor a tarball ({', '.join(ARCHIVES)}). Give Pyodide's release tarball."
            raise LockError(msg)
        source = unpack(source, cache)
    folder = find_distribution(source)
    if folder is None:
        msg = f"{source} holds no pyodide-lock.json, so it is not a Pyodide distribution."
        raise LockError(msg)
    missing = [name for name in CORE_FILES if not (folder / name).is_file()]
    if missing:
        msg = f"The Pyodide distribution in {folder} lacks {', '.join(missing)}; the kernel cannot start without them."
        raise LockError(msg)
    lock = json.loads((folder / "pyodide-lock.json").read_text(encoding="utf-8"))
    version = version_of(folder) or kernel_version
    _check_python(lock, python, f"The Pyodide in {folder}", kernel_version)
    return Distribution(lock, version, folder, cdn_url(version))


def remote(cache: Path, *, kernel_version: str, python: str) -> Distribution:
    """Pyodide from the CDN: its lock from npm's ``pyodide`` package (or the CDN), kept in the cache."""
    saved = cache / f"pyodide-lock-{kernel_version}.json"
    if not saved.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        text = _lock_from_npm(kernel_version, cache) or _lock_from_cdn(kernel_version)
        if text is None:
            msg = (
                f"Cannot get Pyodide {kernel_version}'s package list: npm is missing or failed, and "
                f"{cdn_url(kernel_version)} cannot be reached. Install npm, or build with a local Pyodide "
                "(make lite PYODIDE=/path/to/pyodide.tar.bz2)."
            )
            raise LockError(msg)
        saved.write_text(text, encoding="utf-8")
    lock = json.loads(saved.read_text(encoding="utf-8"))
    _check_python(lock, python, f"Pyodide {kernel_version}", kernel_version)
    return Distribution(lock, kernel_version, None, cdn_url(kernel_version))


def npm_pack(version: str, cache: Path) -> Path | None:
    """npm's ``pyodide`` package (the core, no numpy or pandas) as a tarball in the cache, or None without npm."""
    target = cache / f"pyodide-{version}.tgz"
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        return None
    done = subprocess.run(
        [npm, "pack", f"pyodide@{version}", "--silent", "--pack-destination", str(cache)],
        capture_output=True,
        text=True,
        check=False,
    )
    return target if done.returncode == 0 and target.is_file() else None


def _lock_from_npm(version: str, cache: Path) -> str | None:
    tarball = npm_pack(version, cache)
    if tarball is None:
        return None
    with tarfile.open(tarball) as tar:
        member = tar.extractfile("package/pyodide-lock.json")
        return member.read().decode("utf-8") if member else None


def _lock_from_cdn(version: str) -> str | None:
    try:
        with urllib.request.urlopen(cdn_url(version) + "pyodide-lock.json", timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _check_python(lock: dict[str, Any], python: str, what: str, kernel_version: str) -> None:
    found = ".".join(lock["info"]["python"].split(".")[:2])
    if found != python:
        msg = (
            f"{what} runs Python {found}, but this JupyterLite kernel needs a Pyodide with Python {python} "
            f"(Pyodide {kernel_version}). Use pyodide-{kernel_version}.tar.bz2 from Pyodide's releases."
        )
        raise LockError(msg)
