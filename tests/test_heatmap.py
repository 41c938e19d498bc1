"""The scores heat map the dashboard and the class report show: readable, escaped, and true to the numbers."""

import math
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from annotkit.heatmap import heatmap_svg, shade

SVG = "{http://www.w3.org/2000/svg}"


def _scores() -> pd.DataFrame:
    return pd.DataFrame(
        {"actors": [0.83, math.nan, 0.1], "claims": [0.5, 0.7, 1.0]},
        index=["Ana <b>Ruiz</b> & co", "Bo", "Cai Lee-Wong, whose name is much longer than the others"],
    )


def _cells(svg: str) -> dict[str, tuple[str, str, str]]:
    """Each cell's hover text -> (its fill, its text's fill, its text)."""
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    cells = {}
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if title is None:
            continue
        rect, text = group.find(f"{SVG}rect"), group.find(f"{SVG}text")
        assert rect is not None and text is not None and title.text and text.text
        cells[title.text] = (rect.get("fill", ""), text.get("fill", ""), text.text)
    return cells


def _lightness(colour: str) -> float:
    return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_every_score_is_in_its_cell_with_the_student_and_measure_on_hover():
    cells = _cells(heatmap_svg(_scores(), title="Against the key"))
    assert {about: text for about, (_, _, text) in cells.items()} == {
        "Ana <b>Ruiz</b> & co, actors: 0.83": "0.83",
        "Ana <b>Ruiz</b> & co, claims: 0.50": "0.50",
        "Bo, actors: nothing to score": "–",
        "Bo, claims: 0.70": "0.70",
        "Cai Lee-Wong, whose name is much longer than the others, actors: 0.10": "0.10",
        "Cai Lee-Wong, whose name is much longer than the others, claims: 1.00": "1.00",
    }


def test_names_and_titles_are_text_never_markup():
    svg = heatmap_svg(_scores(), title="Scores <script>alert(1)</script>")
    assert "<b>" not in svg and "<script>" not in svg
    root = ET.fromstring(svg)
    assert root.get("aria-label") == "Scores <script>alert(1)</script>"
    shown = [text.text for text in root.iter(f"{SVG}text")]
    assert "Ana <b>Ruiz</b> & co" in shown
    assert "Cai Lee-Wong, whose name is m…" in shown  # cut to fit; the whole name is in its cells' hover text


def test_a_better_score_is_a_darker_cell_with_readable_numbers():
    cells = _cells(heatmap_svg(_scores(), title="t"))
    fills = {text: (fill, ink) for fill, ink, text in cells.values()}
    order = ["0.10", "0.50", "0.70", "0.83", "1.00"]
    lightness = [_lightness(fills[value][0]) for value in order]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == len(order)
    assert [fills[value][1] for value in order] == ["#1b1b1b", "#1b1b1b", "#ffffff", "#ffffff", "#ffffff"]
    assert cells["Bo, actors: nothing to score"][0] == "none"  # no colour pretends to be a score


@pytest.mark.parametrize(("value", "colour"), [(-0.5, "#f7fbff"), (0.0, "#f7fbff"), (1.0, "#08306b"), (7, "#08306b")])
def test_the_colour_scale_runs_from_the_lightest_to_the_darkest_blue_and_clips(value, colour):
    assert shade(value) == colour


def test_an_empty_class_is_an_empty_map_not_an_error():
    root = ET.fromstring(heatmap_svg(pd.DataFrame(columns=["actors", "claims"], dtype=float), title="t"))
    assert [group for group in root.iter(f"{SVG}g") if group.find(f"{SVG}title") is not None] == []
