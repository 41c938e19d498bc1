"""The labels' colours, for the light and the dark theme, and which label gets which.

The highlight colours ("washes") were chosen so that any two labels differ clearly for everyone, and still
noticeably for readers with a red, green or blue colour-vision deficiency (protanopia, deuteranopia,
tritanopia, simulated after Machado et al. 2009), in both themes, with the text on them easy to read.
``tests/test_widgets_palette.py`` measures this (CIEDE2000 colour differences, WCAG contrast) and fails if an edit
here breaks it. Colour is never the only cue: every highlight carries its label's name, and "unsure" is also
hatched.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..scheme import Layer

__all__ = ["NEUTRAL_LABELS", "PALETTE", "PALETTE_SIZE", "Colour", "label_palette", "palette_css"]

#: Number keys that apply labels, in label order.
LABEL_KEYS = "1234567890"
#: Labels that get the two greys instead of a colour.
NEUTRAL_LABELS = ("other", "unsure")


@dataclass(frozen=True)
class Colour:
    """One label colour in both themes.

    Attributes
    ----------
    name
        What it looks like, for people reading the code.
    light_wash, dark_wash
        The highlight behind the words (and behind a label's name), in the light and the dark theme.
    light_solid, dark_solid
        The underline and the edge of badges and buttons: darker than the wash in the light theme, lighter in
        the dark one, so it stands out from the page.
    """

    name: str
    light_wash: str
    light_solid: str
    dark_wash: str
    dark_solid: str


#: Eight colours for the labels in scheme order, then grey for "other" and a darker, hatched grey for "unsure".
PALETTE: tuple[Colour, ...] = (
    Colour("orange", "#f99f6b", "#ae5a25", "#813a03", "#ffa471"),
    Colour("blue", "#7eb2d6", "#287cae", "#076899", "#7fc7f8"),
    Colour("sage", "#c7d9b4", "#618035", "#506f21", "#abca84"),
    Colour("mauve", "#c49eb9", "#9c5a8c", "#91407f", "#e7a5d6"),
    Colour("cyan", "#89e7ee", "#008790", "#01474b", "#64d1d9"),
    Colour("violet", "#b497f8", "#7d60bc", "#471e82", "#c6aaff"),
    Colour("cream", "#ffe2ad", "#946d11", "#47340a", "#deb870"),
    Colour("coral", "#fd7f7e", "#be464a", "#994545", "#ff9290"),
    Colour("grey", "#d9d9d9", "#6e6e6e", "#383838", "#a8a8a8"),
    Colour("dark grey, hatched", "#ababab", "#4a4a4a", "#5c5c5c", "#d0d0d0"),
)
PALETTE_SIZE = len(PALETTE)
_COLOURED = PALETTE_SIZE - len(NEUTRAL_LABELS)


def label_palette(layer: Layer) -> list[dict[str, Any]]:
    """The layer's labels as the browser shows them: name, help text, number key and colour index.

    >>> from annotkit import load_scheme
    >>> [(label["id"], label["key"], label["color"]) for label in label_palette(load_scheme().layer("claim"))]
    [('claim', '1', 0), ('other', '2', 8), ('unsure', '3', 9)]
    """
    labels = []
    colour = 0
    for number, choice in enumerate(layer.labels):
        if choice.id in NEUTRAL_LABELS:
            index = _COLOURED + NEUTRAL_LABELS.index(choice.id)
        else:
            index = colour % _COLOURED
            colour += 1
        labels.append(
            {
                "id": choice.id,
                "name": choice.name,
                "definition": choice.definition,
                "key": LABEL_KEYS[number] if number < len(LABEL_KEYS) else "",
                "color": index,
            }
        )
    return labels


def palette_css() -> str:
    """The colour classes ``.ak-c0`` ... for both themes (JupyterLab marks the dark theme on ``<body>``)."""
    light, dark = [], []
    for index, colour in enumerate(PALETTE):
        light.append(f".ak-root .ak-c{index} {{ --ak-wash: {colour.light_wash}; --ak-solid: {colour.light_solid}; }}")
        dark.append(
            f"body[data-jp-theme-light='false'] .ak-root .ak-c{index} "
            f"{{ --ak-wash: {colour.dark_wash}; --ak-solid: {colour.dark_solid}; }}"
        )
    hatch = (
        ".ak-root { --ak-hatch: rgba(0, 0, 0, 0.13); }\n"
        "body[data-jp-theme-light='false'] .ak-root { --ak-hatch: rgba(255, 255, 255, 0.16); }"
    )
    return "\n".join(["/* label colours: annotkit/widgets/palette.py */", *light, *dark, hatch])
