"""A students x measures heat map as inline SVG, written directly: rectangles and text, no plotting library.

The dashboard draws it whenever it opens or reloads a class, so it must be quick: with matplotlib, the map and its
import were about a second of CPU for the sample class; this takes milliseconds. It is also text a screen reader can
read, each cell says its student, measure and value on hover, and the labels take the page's text colour (light or
dark theme).
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["heatmap_svg", "shade"]

# ColorBrewer's 9-class "Blues", light to dark, evenly spaced from 0 to 1 (matplotlib's "Blues" is the same ramp).
_BLUES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
_DARK_FROM = 0.6  # white numbers on cells darker than this, near-black below
_CELL_WIDTH, _CELL_HEIGHT = 84, 22
_CHAR_WIDTH = 7  # a 12px sans-serif character, on average: enough room for the names column
_LONGEST_NAME = 30  # characters shown; longer names end in "…" (the whole name is in the cell's hover text)
_LEGEND_STEPS, _LEGEND_STEP_WIDTH = 10, 16
_LEGEND_CAPTION = "1 = like the key"
_LEGEND_WIDTH = _LEGEND_STEPS * _LEGEND_STEP_WIDTH + 6 + len(_LEGEND_CAPTION) * _CHAR_WIDTH


def shade(value: float) -> str:
    """The colour for a value from 0 (lightest) to 1 (darkest); values outside are clipped.

    >>> shade(0), shade(1), shade(0.5)
    ('#f7fbff', '#08306b', '#6baed6')
    """
    position = min(max(value, 0.0), 1.0) * (len(_BLUES) - 1)
    low = min(int(position), len(_BLUES) - 2)
    share = position - low
    start, end = _BLUES[low], _BLUES[low + 1]
    channels = (round(int(start[i : i + 2], 16) * (1 - share) + int(end[i : i + 2], 16) * share) for i in (1, 3, 5))
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def _short(name: str) -> str:
    return name if len(name) <= _LONGEST_NAME else name[: _LONGEST_NAME - 1] + "…"


def heatmap_svg(table: pd.DataFrame, *, title: str) -> str:
    """The table (one row per student, one column per measure, values from 0 to 1; darker is better) as SVG.

    A missing value (nothing to score) is an empty, dashed cell. Every name and label is escaped.
    """
    names = [str(name) for name in table.index]
    measures = [str(column) for column in table.columns]
    left = max([len(_short(name)) for name in names] + [4]) * _CHAR_WIDTH + 12
    top = 48  # the title, then the measures' names
    width = left + max(_CELL_WIDTH * len(measures), _LEGEND_WIDTH) + 8
    legend_top = top + _CELL_HEIGHT * len(names) + 14
    height = legend_top + 34
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="system-ui, sans-serif" font-size="12" '
        'style="max-width:100%;height:auto">',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="currentColor">{escape(title)}</text>',
    ]
    for column, measure in enumerate(measures):
        x = left + _CELL_WIDTH * column + _CELL_WIDTH / 2
        parts.append(f'<text x="{x:g}" y="{top - 8}" text-anchor="middle" fill="currentColor">{escape(measure)}</text>')
    for row, name in enumerate(names):
        y = top + _CELL_HEIGHT * row
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" fill="currentColor">{escape(_short(name))}</text>'
        )
        for column, measure in enumerate(measures):
            parts.append(_cell(table.iat[row, column], x=left + _CELL_WIDTH * column, y=y, about=f"{name}, {measure}"))
    parts.append(_legend(left, legend_top))
    parts.append("</svg>")
    return "".join(parts)


def _cell(raw: object, *, x: int, y: int, about: str) -> str:
    try:
        value = float(raw)  # type: ignore[arg-type]  # numpy's numbers too; None, pd.NA and text are no score
    except (TypeError, ValueError):
        value = math.nan
    box = f'x="{x + 1}" y="{y + 1}" width="{_CELL_WIDTH - 2}" height="{_CELL_HEIGHT - 2}"'
    middle = f'x="{x + _CELL_WIDTH / 2:g}" y="{y + 15}" text-anchor="middle"'
    if math.isnan(value):
        return (
            f"<g><title>{escape(about)}: nothing to score</title>"
            f'<rect {box} fill="none" stroke="#999" stroke-dasharray="3 3"/>'
            f'<text {middle} fill="currentColor" opacity="0.6">–</text></g>'
        )
    ink = "#ffffff" if value > _DARK_FROM else "#1b1b1b"
    return (
        f"<g><title>{escape(about)}: {value:.2f}</title>"
        f'<rect {box} fill="{shade(value)}"/><text {middle} fill="{ink}">{value:.2f}</text></g>'
    )


def _legend(left: int, top: int) -> str:
    boxes = "".join(
        f'<rect x="{left + _LEGEND_STEP_WIDTH * step}" y="{top}" width="{_LEGEND_STEP_WIDTH}" height="12" '
        f'fill="{shade((step + 0.5) / _LEGEND_STEPS)}"/>'
        for step in range(_LEGEND_STEPS)
    )
    caption_x = left + _LEGEND_STEP_WIDTH * _LEGEND_STEPS + 6
    return (
        f'<g aria-hidden="true">{boxes}'
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" fill="currentColor">0</text>'
        f'<text x="{caption_x}" y="{top + 10}" fill="currentColor">{_LEGEND_CAPTION}</text></g>'
    )
