"""One rule for showing a frame's cell as text: a missing value (None, NaN, ``pd.NA``) is an empty string."""

from __future__ import annotations

from typing import Any

__all__ = ["cell_text", "is_missing"]


def is_missing(value: Any) -> bool:
    """Whether a cell holds no value: None, NaN or ``pd.NA`` (comparing ``pd.NA`` raises, so it is checked first).

    >>> import pandas as pd
    >>> is_missing(pd.NA), is_missing(float("nan")), is_missing(""), is_missing(0)
    (True, True, False, False)
    """
    if value is None or type(value).__name__ == "NAType":
        return True
    try:
        return bool(value != value)  # NaN is the only value not equal to itself
    except (TypeError, ValueError):  # an array or an object that refuses to compare
        return False


def cell_text(value: Any) -> str:
    """A cell as text for a page or a file: empty when missing.

    >>> cell_text(None), cell_text("Biden"), cell_text(3)
    ('', 'Biden', '3')
    """
    return "" if is_missing(value) else str(value)
