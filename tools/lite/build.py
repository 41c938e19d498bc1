"""Build the JupyterLite site of the course: ``make lite`` (``python tools/lite/build.py --help``).

The site is a folder of static files (put it on GitHub Pages or any web server): JupyterLab and Notebook 7 in the
browser, a Python kernel (Pyodide) that runs in the page, the course notebooks, and annotkit's wheel with every
pure-Python package it needs. Compiled packages (numpy, pandas, matplotlib) load from Pyodide's CDN at run time,
like every JupyterLite site — or from a Pyodide distribution the school hosts itself inside the site
(``--pyodide /path/to/pyodide-314.0.6.tar.bz2`` or a folder).

Run it with the tools of ``tools/lite/requirements.txt`` installed (``make lite`` does that in .venv/lite-tools).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from importlib.metadata import version as installed_version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from lock import KERNEL_PACKAGES, Entry, LockError, Resolver, WheelCache, summary, write_lock
from pyodide_dist import Distribution, local, npm_pack, remote

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
DEFAULT_OUTPUT = REPO / "build" / "lite"
DEFAULT_CACHE = REPO / "build" / "lite-cache"
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
#: The JupyterLab extensions the site needs: the kernel, and the widgets' front ends (ipywidgets, anywidget).
#: Only these: a JupyterLab extension of the build machine's has no business in the students' site.
EXTENSIONS = ("@jupyterlite/pyodide-kernel-extension", "@jupyter-widgets/jupyterlab-manager", "anywidget")
#: The JupyterLite applications in the site: JupyterLab, Notebook 7 (its file list and notebook pages) and the
#: text editor.
APPS = ("lab", "tree", "notebooks", "edit")
#: annotkit's dependencies the site leaves out, and why. annotkit imports each only inside the function that needs
#: it. trafilatura reads saved web pages; its newest versions need lxml, urllib3 and charset-normalizer newer than
#: Pyodide 314's, and it brings Babel (10 MB) through courlan. Checked with `make lite` when annotkit's needs change.
LEAVE_OUT = {"trafilatura": "reads saved web pages; needs lxml, urllib3 and charset-normalizer newer than Pyodide's"}
#: Where the lock and the wheels go inside the site.
WHEELS = Path("static") / "wheels"


def kernel_constants() -> tuple[str, str]:
    """The Pyodide version the kernel is built for, and its Python (``"314.0.6"``, ``"3.14"``)."""
    from jupyterlite_pyodide_kernel import constants

    return constants.PYODIDE_VERSION, constants.PYODIDE_PYTHON_VERSION


def labextension(name: str) -> Path:
    folder = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / name
    if not (folder / "package.json").is_file():
        msg = f"The JupyterLab extension {name} is missing from {sys.prefix}: run `make lite`, which installs it."
        raise LockError(msg)
    return folder


def kernel_wheels() -> dict[str, Path]:
    """The kernel's own wheels (pyodide-kernel, piplite, and stand-ins for ipykernel and widgetsnbextension)."""
    folder = labextension("@jupyterlite/pyodide-kernel-extension") / "static" / "pypi"
    wheels: dict[str, Path] = {}
    for path in sorted(folder.glob("*.whl")):
        name = path.name.split("-")[0].replace("_", "-").lower()
        # Two stand-ins for widgetsnbextension (ipywidgets 7 and 8): the newest, for ipywidgets 8.
        wheels[name] = path
    return wheels


def build_wheel(target: Path) -> Path:
    """annotkit's wheel (with the course's data inside), built from the working tree."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "--target", "wheel", "--directory", str(target)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = target.glob("annotkit-*.whl")
    return wheel


def stage(folder: Path, output: Path) -> Path:
    """The lite folder ``jupyter lite build`` reads: the course's notebooks, the settings, the configuration."""
    shutil.rmtree(folder, ignore_errors=True)
    content = folder / "content"
    content.mkdir(parents=True)
    for notebook in sorted(NOTEBOOKS.glob("*.ipynb")):
        shutil.copy2(notebook, content / notebook.name)
    teacher = NOTEBOOKS / "teacher"
    if teacher.is_dir():
        (content / "teacher").mkdir()
        for path in sorted([*teacher.glob("*.ipynb"), *teacher.glob("*.md")]):
            shutil.copy2(path, content / "teacher" / path.name)
    shutil.copy2(REPO / ".jupyter" / "lab-overrides.json", folder / "overrides.json")
    config = {
        "LiteBuildConfig": {
            "apps": list(APPS),
            "contents": ["content"],
            "output_dir": str(output),
            "ignore_sys_prefix": ["federated_extensions"],
            "federated_extensions": [str(labextension(name)) for name in EXTENSIONS],
            "settings_overrides": ["overrides.json"],
            "no_sourcemaps": True,
        }
    }
    (folder / "jupyter_lite_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    return folder


def jupyter_lite_build(lite_dir: Path, log: Path) -> None:
    command = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite_dir)]
    with log.open("w", encoding="utf-8") as handle:
        done = subprocess.run(command, cwd=lite_dir, stdout=handle, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        msg = f"`jupyter lite build` failed (exit {done.returncode}); the end of {log}:\n{tail}"
        raise LockError(msg)


def finish_site(output: Path, distribution: Distribution, entries: dict[str, Entry], *, expose_app: bool) -> Path:
    """Put the lock, the wheels and the local Pyodide into the built site, and point the kernel at them."""
    if distribution.folder is not None:
        target = output / "static" / "pyodide"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(distribution.folder, target, ignore=shutil.ignore_patterns("*.map", ".extracted"))
    lock = write_lock(
        distribution.lock,
        entries,
        output / WHEELS,
        cdn_url=distribution.cdn_url,
        local=distribution.folder is not None,
    )
    config_path = output / "jupyter-lite.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    plugins = config["jupyter-config-data"].setdefault("litePluginSettings", {})
    kernel = plugins.setdefault(KERNEL_PLUGIN, {})
    kernel["loadPyodideOptions"] = {
        "lockFileURL": f"./{WHEELS.as_posix()}/pyodide-lock.json",
        # Loaded while the kernel starts, so the notebooks need no install cell.
        "packages": [*KERNEL_PACKAGES, "annotkit"],
    }
    if distribution.folder is not None:
        kernel["pyodideUrl"] = "./static/pyodide/pyodide.mjs"
    else:
        kernel["pyodideUrl"] = f"{distribution.cdn_url}pyodide.mjs"
    if expose_app:
        config["jupyter-config-data"]["exposeAppInBrowser"] = True
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    # GitHub Pages runs Jekyll on a site unless told not to, and Jekyll drops files whose names start with "_".
    (output / ".nojekyll").touch()
    return lock


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pyodide",
        default=os.environ.get("PYODIDE") or None,
        help="a Pyodide to host inside the site: a folder or a tarball; `npm` for npm's core (default: Pyodide's CDN)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the site's folder (default build/lite)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="downloads kept between builds")
    parser.add_argument(
        "--expose-app", action="store_true", help="let the tests drive the page (window.jupyterapp); not for a class"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    output = args.output.resolve()
    cache = args.cache.resolve()
    kernel_version, python = kernel_constants()
    try:
        if args.pyodide == "npm":  # npm's package of the kernel's Pyodide: the core only (for the tests)
            tarball = npm_pack(kernel_version, cache)
            if tarball is None:
                raise LockError(f"`npm pack pyodide@{kernel_version}` failed: is npm installed?")
            distribution = local(tarball, cache, kernel_version=kernel_version, python=python)
        elif args.pyodide:
            source = Path(args.pyodide).expanduser().resolve()
            distribution = local(source, cache, kernel_version=kernel_version, python=python)
        else:
            distribution = remote(cache, kernel_version=kernel_version, python=python)
        wheels = {**kernel_wheels(), "annotkit": build_wheel(cache / "dist")}
        resolver = Resolver(
            base=distribution.lock,
            wheels=wheels,
            cache=WheelCache(cache / "wheels", python),
            local_files=distribution.local_files,
            cdn_url=distribution.cdn_url,
            leave_out=LEAVE_OUT,
        )
        # The front ends in the site and the kernel's Python halves must be the same versions.
        pins = [f"{name}=={installed_version(name)}" for name in ("anywidget", "ipywidgets")]
        entries = resolver.resolve([*pins, *KERNEL_PACKAGES, "annotkit"])
        shutil.rmtree(output, ignore_errors=True)
        lite_dir = stage(cache / "stage", output)
        jupyter_lite_build(lite_dir, cache / "jupyter-lite-build.log")
        finish_site(output, distribution, entries, expose_app=args.expose_app)
    except LockError as error:
        print(f"make lite: {error}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    where = "a Pyodide inside the site" if distribution.folder else "Pyodide's CDN"
    size = folder_size(output) / 1e6
    print(f"Built the JupyterLite site in {output} ({size:.1f} MB, {seconds:.0f} s).")
    print(f"Pyodide {distribution.version} from {where}; the browser's packages:")
    print(summary(entries))
    for name, why in resolver.left_out.items():
        print(f"  left out: {name} ({why})")
    print("Try it: make lite-serve   (then open the address it prints)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
