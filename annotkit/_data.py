"""Where annotkit's data lives: the course folder a teacher edits, then the data that ships with annotkit.

``data/`` sits at the top of the repository (the course folder a teacher clones or pulls onto a hub); an installed
wheel carries a copy as ``annotkit/data``. A teacher's edits to the course folder's scheme and keys must count
even where annotkit is installed from a wheel, so those are looked up in the course folder first.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["COURSE_ENV", "course_data_folders", "data_path"]

_PACKAGE = Path(__file__).resolve().parent
#: Names the course folder when annotkit cannot find it from the working folder.
COURSE_ENV = "ANNOTKIT_COURSE"
#: How many folders up from the working folder to look for the course (notebooks/teacher/ is two below it).
_LEVELS_UP = 3


def _data_root() -> Path:
    installed = _PACKAGE / "data"
    return installed if installed.is_dir() else _PACKAGE.parent / "data"


def data_path(*parts: str) -> Path:
    """Path of a file or folder in annotkit's bundled data (articles, keys, schemes, the sample class).

    >>> data_path("articles", "voa-2021-07-26-us-combat-mission-iraq.txt").is_file()
    True
    """
    return _data_root().joinpath(*parts)


def course_data_folders() -> list[Path]:
    """The ``data`` folders to look in, the teacher's first.

    ``$ANNOTKIT_COURSE/data``, then the course folder above the working folder (the nearest one with
    ``data/schemes``), then annotkit's own.

    >>> course_data_folders()[-1] == data_path()
    True
    """
    folders: list[Path] = []
    named = os.environ.get(COURSE_ENV, "").strip()
    if named:
        folders.append(Path(named).expanduser() / "data")
    here = Path.cwd()
    for folder in [here, *here.parents][: _LEVELS_UP + 1]:
        if (folder / "data" / "schemes").is_dir():
            folders.append(folder / "data")
            break
    folders.append(data_path())
    unique: list[Path] = []
    for folder in folders:
        if folder.is_dir() and all(folder.resolve() != seen.resolve() for seen in unique):
            unique.append(folder)
    return unique or [data_path()]
