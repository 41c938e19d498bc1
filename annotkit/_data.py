"""Where annotkit's bundled data lives: ``data/`` in a checkout, ``annotkit/data`` in an installed wheel."""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_path"]

_PACKAGE = Path(__file__).resolve().parent


def _data_root() -> Path:
    installed = _PACKAGE / "data"
    return installed if installed.is_dir() else _PACKAGE.parent / "data"


def data_path(*parts: str) -> Path:
    """Path of a file or folder in annotkit's bundled data (articles, and later keys and schemes).

    >>> data_path("articles", "voa-2021-07-26-us-combat-mission-iraq.txt").is_file()
    True
    """
    return _data_root().joinpath(*parts)
