"""The JupyterLite build's lock file (tools/lite/lock.py) and Pyodide distributions (tools/lite/pyodide_dist.py).

Offline and quick: tiny wheels and a tiny Pyodide lock made here. The real build, and the site in Chromium, are
tested by ``make lite-test`` (tests/lite/).
"""

import hashlib
import json
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "tools" / "lite"
sys.path.insert(0, str(TOOLS))

from lock import LockError, Resolver, WheelCache, read_wheel, write_lock  # noqa: E402
from pyodide_dist import local  # noqa: E402

CDN = "https://cdn.example/pyodide/v314.0.6/full/"


def make_wheel(folder: Path, name: str, version: str, requires=(), modules=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    stem = name.replace("-", "_")
    path = folder / f"{stem}-{version}-py3-none-any.whl"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {r}\n" for r in requires
    )
    with zipfile.ZipFile(path, "w") as archive:
        for module in modules or [stem]:
            archive.writestr(f"{module}/__init__.py", "")
        archive.writestr(f"{stem}-{version}.dist-info/METADATA", metadata)
    return path


def lock_entry(name, version, file_name, depends=()):
    return {
        "name": name,
        "version": version,
        "file_name": file_name,
        "install_dir": "site",
        "sha256": "0" * 64,
        "package_type": "package",
        "imports": [name.replace("-", "_")],
        "depends": list(depends),
    }


@pytest.fixture
def base_lock():
    return {
        "info": {"arch": "wasm32", "platform": "emscripten_5_0_3", "python": "3.14.2", "abi_version": "2026_0"},
        "packages": {
            "numpy": lock_entry("numpy", "2.4.6", "numpy-2.4.6-cp314-cp314-pyemscripten_2026_0_wasm32.whl"),
            "pandas": lock_entry(
                "pandas", "3.0.2", "pandas-3.0.2-cp314-cp314-pyemscripten_2026_0_wasm32.whl", ["numpy", "six"]
            ),
            "six": lock_entry("six", "1.17.0", "six-1.17.0-py2.py3-none-any.whl"),
            "scipy": lock_entry("scipy", "1.16.0", "scipy-1.16.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl"),
        },
    }


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A wheel cache that never reaches PyPI: what is in its folder is all there is."""
    wheels = WheelCache(tmp_path / "cache", "3.14")
    monkeypatch.setattr(wheels, "_pip", lambda requirements: False)
    return wheels


def resolver(base_lock, cache, wheels, local_files=None, **options):
    return Resolver(base=base_lock, wheels=wheels, cache=cache, local_files=local_files, cdn_url=CDN, **options)


def test_the_site_carries_pure_wheels_and_takes_compiled_ones_from_pyodide(tmp_path, base_lock, cache):
    ours = make_wheel(tmp_path / "dist", "annotkit", "0.2.0", ["pandas>=2.2", "widgetlib>=1", "six"])
    make_wheel(cache.folder, "widgetlib", "1.3", ["jupyterlab-widgets~=3.0", 'pywin32; sys_platform == "win32"'])
    make_wheel(cache.folder, "six", "1.17.0")  # Pyodide's pure wheel, as PyPI has it
    entries = resolver(base_lock, cache, {"annotkit": ours}).resolve(["annotkit"])
    assert {name: entry.origin for name, entry in entries.items()} == {
        "annotkit": "site",
        "pandas": "cdn",
        "numpy": "cdn",
        "widgetlib": "site",  # not in Pyodide: a pure wheel from PyPI
        "six": "site",  # in Pyodide, pure: carried by the site at Pyodide's version
    }  # no jupyterlab-widgets (the browser half only), no pywin32 (not on Emscripten)
    assert entries["annotkit"].depends == ("pandas", "six", "widgetlib")
    assert entries["pandas"].file_name == CDN + "pandas-3.0.2-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
    assert entries["six"].sha256 == hashlib.sha256((cache.folder / entries["six"].file_name).read_bytes()).hexdigest()


def test_a_local_pyodide_is_used_for_what_it_has(tmp_path, base_lock, cache):
    ours = make_wheel(tmp_path / "dist", "annotkit", "0.2.0", ["pandas"])
    local_files = {"numpy-2.4.6-cp314-cp314-pyemscripten_2026_0_wasm32.whl"}  # a partial copy: no pandas
    entries = resolver(base_lock, cache, {"annotkit": ours}, local_files).resolve(["annotkit"])
    assert entries["numpy"].file_name == "../pyodide/numpy-2.4.6-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
    assert entries["pandas"].origin == "cdn"
    assert entries["six"].origin == "cdn"  # not on PyPI here (no network): Pyodide's own, from the CDN


def test_a_version_pyodide_lacks_is_a_clear_error(tmp_path, base_lock, cache):
    ours = make_wheel(tmp_path / "dist", "annotkit", "0.2.0", ["pandas>=4"])
    with pytest.raises(LockError) as error:
        resolver(base_lock, cache, {"annotkit": ours}).resolve(["annotkit"])
    assert str(error.value) == (
        "annotkit needs pandas>=4, but Pyodide's is pandas 3.0.2. Relax the requirement, or use a "
        "jupyterlite-pyodide-kernel whose Pyodide has a version that fits."
    )


def test_a_package_that_cannot_run_in_the_browser_is_named(tmp_path, base_lock, cache):
    ours = make_wheel(tmp_path / "dist", "annotkit", "0.2.0", ["compiled-only>=1"])
    with pytest.raises(LockError, match=r"^compiled-only>=1 \(needed by annotkit\) cannot run in the browser"):
        resolver(base_lock, cache, {"annotkit": ours}).resolve(["annotkit"])


def test_a_dependency_can_be_left_out_and_is_reported(tmp_path, base_lock, cache):
    ours = make_wheel(tmp_path / "dist", "annotkit", "0.2.0", ["compiled-only>=1"])
    built = resolver(base_lock, cache, {"annotkit": ours}, leave_out={"compiled-only": "not for browsers"})
    assert set(built.resolve(["annotkit"])) == {"annotkit"}
    assert built.left_out == {"compiled-only": "not for browsers"}


def test_the_lock_points_every_package_somewhere_loadable(tmp_path, base_lock, cache):
    ours = make_wheel(tmp_path / "dist", "annotkit", "0.2.0", ["pandas"])
    entries = resolver(base_lock, cache, {"annotkit": ours}).resolve(["annotkit"])
    path = write_lock(base_lock, entries, tmp_path / "site" / "static" / "wheels", cdn_url=CDN, local=False)
    lock = json.loads(path.read_text())
    assert lock["info"] == base_lock["info"]
    assert lock["packages"]["annotkit"]["file_name"] == "annotkit-0.2.0-py3-none-any.whl"
    assert (path.parent / "annotkit-0.2.0-py3-none-any.whl").read_bytes() == ours.read_bytes()
    # Packages nobody asked for stay loadable (a notebook may import scipy), from the CDN.
    assert lock["packages"]["scipy"]["file_name"] == CDN + "scipy-1.16.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
    local_lock = write_lock(base_lock, entries, tmp_path / "other", cdn_url=CDN, local=True)
    scipy = json.loads(local_lock.read_text())["packages"]["scipy"]["file_name"]
    assert scipy == "../pyodide/scipy-1.16.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl"


def test_read_wheel_finds_modules_without_top_level_txt(tmp_path):
    wheel = read_wheel(make_wheel(tmp_path, "my-pkg", "1.0", ["six"], modules=["my_pkg", "helper"]))
    assert (wheel.name, wheel.version, wheel.imports) == ("my-pkg", "1.0", ("helper", "my_pkg"))


def make_distribution(folder: Path, python="3.14.2", skip=()):
    folder.mkdir(parents=True)
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        if name not in skip:
            (folder / name).write_bytes(b"x")
    (folder / "pyodide-lock.json").write_text(json.dumps({"info": {"python": python}, "packages": {}}))
    (folder / "package.json").write_text(json.dumps({"name": "pyodide", "version": "314.0.6"}))
    return folder


def test_a_pyodide_tarball_is_unpacked_and_checked(tmp_path):
    make_distribution(tmp_path / "src" / "package")
    tarball = tmp_path / "pyodide-314.0.6.tgz"
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(tmp_path / "src" / "package", arcname="package")
    dist = local(tarball, tmp_path / "cache", kernel_version="314.0.6", python="3.14")
    assert (dist.version, dist.python, dist.folder.name) == ("314.0.6", "3.14", "package")
    assert "pyodide.asm.wasm" in dist.local_files


@pytest.mark.parametrize(
    ("python", "skip", "message"),
    [
        (
            "3.12.7",
            (),
            "runs Python 3.12, but this JupyterLite kernel needs a Pyodide with Python 3.14 (Pyodide 314.0.6). "
            "Use pyodide-314.0.6.tar.bz2 from Pyodide's releases.",
        ),
        ("3.14.2", ("pyodide.asm.wasm",), "lacks pyodide.asm.wasm; the kernel cannot start without them."),
    ],
)
def test_a_pyodide_that_cannot_serve_the_kernel_is_refused(tmp_path, python, skip, message):
    folder = make_distribution(tmp_path / "pyodide", python=python, skip=skip)
    with pytest.raises(LockError) as error:
        local(folder, tmp_path / "cache", kernel_version="314.0.6", python="3.14")
    assert str(error.value).endswith(message)


def test_a_missing_pyodide_is_named(tmp_path):
    with pytest.raises(LockError, match=r"No Pyodide distribution at .*nowhere\. Give a folder or a tarball"):
        local(tmp_path / "nowhere", tmp_path / "cache", kernel_version="314.0.6", python="3.14")
