"""The site's Pyodide lock file: which wheels the browser's Python loads, and from where.

A JupyterLite kernel loads its packages with Pyodide's ``loadPackage``, which reads a lock file
(``pyodide-lock.json``: name, version, file, sha256, dependencies). Pyodide's own lock knows the compiled packages
built for the browser (numpy, pandas, matplotlib, lxml ...) but not annotkit, anywidget or ipywidgets. This module
writes a lock that knows all of them, so every notebook of the course can ``import annotkit`` with no install cell:

- annotkit's wheel, the kernel's own wheels (from jupyterlite-pyodide-kernel) and **every pure-Python package**
  they need are carried by the site (downloaded from PyPI at build time, at the version Pyodide's lock pins where
  it has one), so they load from the site itself;
- **compiled packages** come from the Pyodide distribution: the school's own copy inside the site when the build
  was given one (and it has the file), else Pyodide's CDN, like every JupyterLite site.

Pyodide resolves a relative ``file_name`` against the lock file's folder, and checks each file's sha256.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

#: What the packages' environment markers see in the browser (Pyodide runs CPython on Emscripten).
PYODIDE_MARKERS = {
    "implementation_name": "cpython",
    "os_name": "posix",
    "platform_machine": "wasm32",
    "platform_python_implementation": "CPython",
    "platform_system": "Emscripten",
    "sys_platform": "emscripten",
}
#: Only the browser half of ipywidgets: the site has it as a JupyterLab extension already, the kernel never
#: imports it.
FRONT_END_ONLY = frozenset({"jupyterlab-widgets"})
#: What the kernel itself loads at start (jupyterlite-pyodide-kernel's worker installs these unless they are
#: preloaded; preloading them from the lock means no request to PyPI at all).
KERNEL_PACKAGES = ("micropip", "piplite", "pyodide-kernel", "ipykernel", "comm", "ipython", "jedi")
PURE_TAGS = ("-py3-none-any.whl", "-py2.py3-none-any.whl")


class LockError(Exception):
    """The packages cannot be put together for the browser (the message says which and what to do)."""


@dataclass(frozen=True)
class Wheel:
    """A wheel file and what its metadata says.

    Attributes
    ----------
    name, version
        The distribution's canonical name and its version.
    path
        The file.
    requires
        Its ``Requires-Dist`` lines.
    imports
        The top-level modules it provides (what ``import`` finds).
    """

    name: str
    version: str
    path: Path
    requires: tuple[Requirement, ...]
    imports: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One package of the lock as written.

    Attributes
    ----------
    name, version, sha256, imports, depends
        The lock's fields.
    file_name
        Where Pyodide fetches it: a wheel next to the lock (carried by the site), ``../pyodide/...`` (the local
        Pyodide distribution in the site) or an absolute URL (Pyodide's CDN).
    source
        The file to copy next to the lock (None when it is not carried by the site).
    origin
        ``"site"``, ``"pyodide"`` (local distribution) or ``"cdn"``, for the build's summary.
    """

    name: str
    version: str
    file_name: str
    sha256: str
    imports: tuple[str, ...]
    depends: tuple[str, ...]
    source: Path | None = None
    origin: str = "site"
    package_type: str = "package"
    install_dir: str = "site"
    extra: Mapping[str, Any] = field(default_factory=dict)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_pure(file_name: str) -> bool:
    return file_name.endswith(PURE_TAGS)


def read_wheel(path: Path) -> Wheel:
    """A wheel's name, version, requirements and top-level modules, from its ``.dist-info``."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        info = next((n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA")), None)
        if info is None:
            msg = f"{path.name} is not a wheel (no .dist-info/METADATA inside)."
            raise LockError(msg)
        metadata = HeaderParser().parsestr(archive.read(f"{info}/METADATA").decode("utf-8"))
        top_level = f"{info}/top_level.txt"
        if top_level in names:
            imports = [line.strip() for line in archive.read(top_level).decode("utf-8").splitlines() if line.strip()]
        else:
            imports = _modules_in(names)
    requires = tuple(Requirement(line) for line in metadata.get_all("Requires-Dist") or [])
    return Wheel(canonicalize_name(metadata["Name"]), metadata["Version"], path, requires, tuple(imports))


def _modules_in(names: Iterable[str]) -> list[str]:
    """Top-level packages (a folder with ``__init__.py``) and modules (``x.py``) among a wheel's files."""
    found: dict[str, None] = {}
    for name in names:
        parts = name.split("/")
        if parts[0].endswith((".dist-info", ".data")):
            continue
        if len(parts) == 2 and parts[1] == "__init__.py":
            found.setdefault(parts[0])
        elif len(parts) == 1 and parts[0].endswith(".py"):
            found.setdefault(parts[0][:-3])
    return sorted(found)


def applies(requirement: Requirement, python: str) -> bool:
    """Whether a requirement (without extras of ours) applies in the browser."""
    if requirement.marker is None:
        return True
    environment = {**PYODIDE_MARKERS, "python_version": python, "python_full_version": f"{python}.0", "extra": ""}
    return requirement.marker.evaluate(environment)


# --- fetching pure-Python wheels from PyPI ------------------------------------------------------------------------


class WheelCache:
    """Pure-Python wheels for the browser's Python, downloaded from PyPI with pip into a folder kept between builds.

    A wheel downloaded by an earlier build is used again, so a second build needs no network and gives the same
    site (until the cache is removed: ``make lite-clean``).
    """

    def __init__(self, folder: Path, python: str) -> None:
        self.folder = folder
        self.python = python
        folder.mkdir(parents=True, exist_ok=True)

    def cached(self, requirement: Requirement) -> Path | None:
        name = canonicalize_name(requirement.name)
        matching = [
            p
            for p in self.folder.glob("*.whl")
            if canonicalize_name(p.name.split("-")[0]) == name
            and requirement.specifier.contains(p.name.split("-")[1], prereleases=True)
        ]
        return max(matching, key=lambda p: Version(p.name.split("-")[1]), default=None)

    def get(self, requirement: str) -> Path | None:
        """The newest wheel matching ``requirement`` (downloaded if needed), or None if PyPI has no pure one."""
        self.download([requirement])
        return self.cached(Requirement(requirement))

    def download(self, requirements: Iterable[str]) -> None:
        """Download what the cache lacks, in one pip run (one by one if that fails, to skip what cannot be had)."""
        missing = [r for r in requirements if self.cached(Requirement(r)) is None]
        if missing and not self._pip(missing) and len(missing) > 1:
            for requirement in missing:
                self._pip([requirement])

    def _pip(self, requirements: list[str]) -> bool:
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
            "--only-binary=:all:", "--platform", "any", "--implementation", "py", "--abi", "none",
            "--python-version", self.python, "--dest", str(self.folder), *requirements,
        ]  # fmt: skip
        return subprocess.run(command, capture_output=True, text=True, check=False).returncode == 0


# --- resolving ---------------------------------------------------------------------------------------------------


@dataclass
class Resolver:
    """Puts together every package the roots need, in the browser.

    Parameters
    ----------
    base
        Pyodide's own lock (parsed JSON).
    wheels
        Local wheels by canonical name (annotkit's, the kernel's): used before anything else.
    cache
        Where pure-Python wheels come from (PyPI through pip, kept between builds).
    local_files
        Files of a local Pyodide distribution (None: use the CDN for everything Pyodide builds).
    cdn_url
        Pyodide's CDN folder for its version (ends with ``/``).
    leave_out
        Dependencies not to put in the site, with the reason (the code that needs them imports them where it
        needs them, and says what is missing).
    """

    base: Mapping[str, Any]
    wheels: Mapping[str, Path]
    cache: WheelCache
    local_files: set[str] | None
    cdn_url: str
    leave_out: Mapping[str, str] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = {canonicalize_name(key): value for key, value in self.base["packages"].items()}

    @property
    def python(self) -> str:
        return self.cache.python

    def resolve(self, roots: Iterable[str]) -> dict[str, Entry]:
        """Every package the roots need, each from the best place, with its dependencies filled in."""
        queue: list[tuple[Requirement, str]] = [(Requirement(root), "the site") for root in roots]
        while queue:
            requirement, wanted_by = queue.pop(0)
            name = canonicalize_name(requirement.name)
            if name in FRONT_END_ONLY or not applies(requirement, self.python):
                continue
            if name in self.leave_out:
                self.left_out[name] = self.leave_out[name]
                continue
            if name not in self.entries:
                entry, needs = self._choose(name, requirement, wanted_by)
                self.entries[name] = entry
                queue += [(need, name) for need in needs]
            self._check(self.entries[name], requirement, wanted_by)
        self._carry_pure_pyodide_packages()
        return self.entries

    def _check(self, entry: Entry, requirement: Requirement, wanted_by: str) -> None:
        if requirement.specifier and not requirement.specifier.contains(entry.version, prereleases=True):
            where = "Pyodide's" if entry.name and canonicalize_name(entry.name) in self._lock else "the wheel found"
            msg = (
                f"{wanted_by} needs {requirement}, but {where} is {entry.name} {entry.version}. Relax the requirement, "
                "or use a jupyterlite-pyodide-kernel whose Pyodide has a version that fits."
            )
            raise LockError(msg)

    def _choose(self, name: str, requirement: Requirement, wanted_by: str) -> tuple[Entry, list[Requirement]]:
        if name in self.wheels:
            wheel = read_wheel(self.wheels[name])
        elif name in self._lock:
            return self._from_pyodide(name)
        else:
            path = self.cache.get(str(requirement))
            if path is None:
                msg = (
                    f"{requirement} (needed by {wanted_by}) cannot run in the browser: Pyodide does not build it and "
                    "PyPI has no pure-Python wheel of it. Make it optional (an extra, or an import inside the "
                    "function that needs it, with a clear message when it is missing)."
                )
                raise LockError(msg)
            wheel = read_wheel(path)
        needs = [r for r in wheel.requires if applies(r, self.python)]
        depends = tuple(sorted({canonicalize_name(r.name) for r in needs} - FRONT_END_ONLY))
        entry = Entry(
            name=wheel.name,
            version=wheel.version,
            file_name=wheel.path.name,
            sha256=sha256_of(wheel.path),
            imports=wheel.imports,
            depends=depends,
            source=wheel.path,
        )
        return entry, needs

    def _from_pyodide(self, name: str) -> tuple[Entry, list[Requirement]]:
        spec = self._lock[name]
        file_name = spec["file_name"]
        if self.local_files is not None and file_name in self.local_files:
            file_name, origin = f"../pyodide/{file_name}", "pyodide"
        else:
            file_name, origin = (file_name if "://" in file_name else self.cdn_url + file_name), "cdn"
        entry = Entry(
            name=spec["name"],
            version=spec["version"],
            file_name=file_name,
            sha256=spec["sha256"],
            imports=tuple(spec.get("imports", [])),
            depends=tuple(spec.get("depends", [])),
            origin=origin,
            package_type=spec.get("package_type", "package"),
            install_dir=spec.get("install_dir", "site"),
            extra={k: v for k, v in spec.items() if k not in _ENTRY_FIELDS},
        )
        return entry, [Requirement(d) for d in entry.depends]

    def _carry_pure_pyodide_packages(self) -> None:
        """Pure-Python packages Pyodide would fetch from its CDN are carried by the site instead (same version,
        from PyPI, where Pyodide takes them from too): the kernel then starts with no CDN at all, and a school with a
        partial mirror needs only the compiled packages."""
        wanted = {
            name: f"{entry.name}=={entry.version}"
            for name, entry in self.entries.items()
            if entry.origin == "cdn" and entry.package_type == "package" and is_pure(entry.file_name)
        }
        self.cache.download(wanted.values())
        for name, requirement in wanted.items():
            path = self.cache.cached(Requirement(requirement))
            if path is not None:  # else it stays on the CDN
                self.entries[name] = replace(
                    self.entries[name], file_name=path.name, sha256=sha256_of(path), source=path, origin="site"
                )


_ENTRY_FIELDS = {"name", "version", "file_name", "sha256", "imports", "depends", "package_type", "install_dir"}


def write_lock(
    base: Mapping[str, Any], entries: Mapping[str, Entry], folder: Path, *, cdn_url: str, local: bool
) -> Path:
    """Write ``folder/pyodide-lock.json`` and copy the wheels the site carries next to it.

    Every package of Pyodide's lock stays loadable (a notebook may ``import scipy``): the ones not resolved here
    point at the local distribution when it was given, else at the CDN.
    """
    folder.mkdir(parents=True, exist_ok=True)
    packages: dict[str, Any] = {}
    for key, spec in base["packages"].items():
        spec = dict(spec)
        if "://" not in spec["file_name"] and not local:
            spec["file_name"] = cdn_url + spec["file_name"]
        elif "://" not in spec["file_name"]:
            spec["file_name"] = f"../pyodide/{spec['file_name']}"
        packages[key] = spec
    keys = {canonicalize_name(k): k for k in packages}
    for name, entry in sorted(entries.items()):
        if entry.source is not None:
            shutil.copy2(entry.source, folder / entry.file_name)
        packages[keys.get(name, name)] = {
            **entry.extra,
            "name": entry.name,
            "version": entry.version,
            "file_name": entry.file_name,
            "install_dir": entry.install_dir,
            "sha256": entry.sha256,
            "package_type": entry.package_type,
            "imports": list(entry.imports),
            "depends": list(entry.depends),
        }
    lock = {"info": dict(base["info"]), "packages": packages}
    path = folder / "pyodide-lock.json"
    path.write_text(json.dumps(lock, indent=1, sort_keys=True), encoding="utf-8")
    return path


def summary(entries: Mapping[str, Entry]) -> str:
    """One line per origin: how many packages, and their names."""
    lines = []
    origins = (("site", "carried by the site"), ("pyodide", "from the Pyodide in the site"), ("cdn", "from the CDN"))
    for origin, what in origins:
        names = sorted(f"{e.name} {e.version}" for e in entries.values() if e.origin == origin)
        if names:
            lines.append(f"  {len(names):3d} {what}: {', '.join(names)}")
    return "\n".join(lines)
