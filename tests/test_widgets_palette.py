"""The label colours: every two labels look different, for everyone, in both themes, and text on them is readable.

Colour-vision deficiencies are simulated with the matrices of Machado, Oliveira & Fernandes (2009) at full
severity (protanopia, deuteranopia, tritanopia), applied in linear RGB. Differences are CIEDE2000 (ΔE00): about
2 is "just noticeable side by side", 10 and more "clearly another colour". Readability is WCAG 2 contrast.
"""

import itertools

import numpy as np
import pytest

from annotkit import load_scheme
from annotkit.widgets.palette import PALETTE, label_palette, palette_css

VISIONS = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}
# Each theme: the page behind the text (JupyterLab's --jp-layout-color0), the text colour, and the palette's colours.
THEMES = {
    "light": ("#ffffff", "#1a1a1a", [c.light_wash for c in PALETTE], [c.light_solid for c in PALETTE]),
    "dark": ("#111111", "#e6e6e6", [c.dark_wash for c in PALETTE], [c.dark_solid for c in PALETTE]),
}
# What the checks demand. Every pair of labels, normal vision: clearly different colours. With a colour-vision
# deficiency, every pair still noticeably different, and neighbours in the label bar clearly so.
ALL_PAIRS_NORMAL = 10.0
ALL_PAIRS_DEFICIENT = 5.5
NEIGHBOURS = 10.0
FROM_PAGE = 7.5  # a highlight must stand out from the page
TEXT_CONTRAST = 4.5  # WCAG AA for text on a highlight
EDGE_CONTRAST = 3.0  # WCAG for the underline and the edges of badges (non-text)


def rgb(colour):
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255


def linear(c):
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def gamma(c):
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.0031308, c * 12.92, 1.055 * c ** (1 / 2.4) - 0.055)


def seen(colour, vision):
    """The colour as a viewer with this vision sees it (sRGB)."""
    return gamma(VISIONS[vision] @ linear(rgb(colour)))


def lab(c):
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear(c)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2):
    """ΔE00 (Sharma, Wu & Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1, h2 = np.degrees(np.arctan2(b1, a1)) % 360, np.degrees(np.arctan2(b2, a2)) % 360
    dl, dc = l2 - l1, c2 - c1
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    dh_big = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    rotation = (
        -np.sin(np.radians(60 * np.exp(-(((h_mean - 275) / 25) ** 2)))) * 2 * np.sqrt(c_mean**7 / (c_mean**7 + 25**7))
    )
    sl = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    sc, sh = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    return float(np.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dh_big / sh) ** 2 + rotation * (dc / sc) * (dh_big / sh)))


def difference(a, b, vision):
    return ciede2000(lab(seen(a, vision)), lab(seen(b, vision)))


def contrast(a, b):
    def luminance(colour):
        return float(np.array([0.2126, 0.7152, 0.0722]) @ linear(rgb(colour)))

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_measures_are_right():
    # Sharma et al.'s test data, pair 1: ΔE00 = 2.0425.
    assert ciede2000(np.array([50.0, 2.6772, -79.7751]), np.array([50.0, 0.0, -82.7485])) == pytest.approx(2.0425, 1e-3)
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert difference("#ff0000", "#00ff00", "normal") > 50
    # Red and green, told apart by most, look alike to a deuteranope: the simulation must show that.
    assert difference("#d55e00", "#6a9a00", "deuteranopia") < difference("#d55e00", "#6a9a00", "normal") / 2


@pytest.mark.parametrize("vision", list(VISIONS))
@pytest.mark.parametrize("theme", list(THEMES))
def test_every_two_labels_look_different(theme, vision):
    _, _, washes, _ = THEMES[theme]
    floor = ALL_PAIRS_NORMAL if vision == "normal" else ALL_PAIRS_DEFICIENT
    too_close = [
        (PALETTE[i].name, PALETTE[j].name, round(difference(washes[i], washes[j], vision), 1))
        for i, j in itertools.combinations(range(len(washes)), 2)
        if difference(washes[i], washes[j], vision) < floor
    ]
    assert not too_close, f"{theme} theme, {vision}: these highlights look alike (ΔE00 < {floor}): {too_close}"


@pytest.mark.parametrize("vision", list(VISIONS))
@pytest.mark.parametrize("theme", list(THEMES))
@pytest.mark.parametrize("layer", ["actor", "claim"])
def test_neighbours_in_the_label_bar_are_clearly_different(layer, theme, vision):
    _, _, washes, _ = THEMES[theme]
    colours = [washes[label["color"]] for label in label_palette(load_scheme().layer(layer))]
    for i in range(len(colours) - 1):
        assert difference(colours[i], colours[i + 1], vision) >= NEIGHBOURS, (layer, theme, vision, i)


@pytest.mark.parametrize("theme", list(THEMES))
def test_highlights_stand_out_from_the_page_and_their_text_is_readable(theme):
    page, text, washes, solids = THEMES[theme]
    for colour, wash, solid in zip(PALETTE, washes, solids, strict=True):
        assert contrast(text, wash) >= TEXT_CONTRAST, (theme, colour.name, round(contrast(text, wash), 2))
        assert contrast(solid, page) >= EDGE_CONTRAST, (theme, colour.name, round(contrast(solid, page), 2))
        for vision in VISIONS:
            assert difference(wash, page, vision) >= FROM_PAGE, (theme, colour.name, vision)


def test_the_official_and_expert_highlights_are_no_longer_alike():
    # Issue 9: "Official and Expert highlights nearly the same colour".
    colours = {label["id"]: label["color"] for label in label_palette(load_scheme().layer("actor"))}
    official, expert = PALETTE[colours["official"]], PALETTE[colours["expert_or_think_tank"]]
    for vision in VISIONS:
        assert difference(official.light_wash, expert.light_wash, vision) >= ALL_PAIRS_DEFICIENT


def test_the_stylesheet_has_every_colour_in_both_themes():
    css = palette_css()
    for index, colour in enumerate(PALETTE):
        assert f".ak-root .ak-c{index} {{ --ak-wash: {colour.light_wash}; --ak-solid: {colour.light_solid}; }}" in css
        assert f"--ak-wash: {colour.dark_wash}; --ak-solid: {colour.dark_solid};" in css
    assert css.count("body[data-jp-theme-light='false']") == len(PALETTE) + 1
