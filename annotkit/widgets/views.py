"""Read-only views: the article with tags highlighted, who speaks and how much, and mine vs. key vs. classmate.

They return plain HTML (every piece of text escaped, paragraph numbers as in the tagger's margin, nothing cut
off) or a matplotlib figure, and the same input always gives the same output, so notebooks can check them under
nbval. The comparison table lives in :mod:`annotkit.widgets.comparison`.
"""

from __future__ import annotations

import functools
import html
import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..scheme import Scheme, load_scheme
from .comparison import compare_html, find_classmates, show_comparison
from .palette import PALETTE
from .tagger import PALETTE_SIZE, label_palette, paragraph_blocks, require_article

if TYPE_CHECKING:
    import pandas as pd
    from IPython.display import HTML
    from matplotlib.figure import Figure

    from ..article import Article

__all__ = [
    "article_html",
    "colours_of",
    "compare_html",
    "find_classmates",
    "show_article",
    "show_comparison",
    "speaker_chart",
    "speaker_words",
]

# The label colours (light theme) of palette.py, for views that do not load the widgets' stylesheet.
SOLID = tuple(colour.light_solid for colour in PALETTE)
WASH = tuple(colour.light_wash for colour in PALETTE)


def colours_of(scheme: Scheme, layer: str) -> dict[str, tuple[str, str, str]]:
    """A layer's labels as the views colour them, by label id: (name, solid colour, wash colour)."""
    return {
        label["id"]: (label["name"], SOLID[label["color"] % PALETTE_SIZE], WASH[label["color"] % PALETTE_SIZE])
        for label in label_palette(scheme.layer(layer))
    }


def article_html(
    article: Article,
    annotations: pd.DataFrame | None = None,
    *,
    layer: str = "actor",
    paragraphs: Iterable[int] | None = None,
    scheme: Scheme | None = None,
) -> str:
    """The article as HTML with one layer's tags highlighted (colour and a visible label), text escaped.

    Each paragraph has its number in the margin (``article.paragraphs.para_id``, as in the tagger). Overlapping
    tags are nested; orphaned tags (no place in the text) are listed under the article.

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = annotkit.answer_key(article)
    >>> page = article_html(article, key, paragraphs=[0])
    >>> page.count("<mark"), "Official" in page
    (1, True)
    """
    article = require_article(article, "article_html")
    colours = colours_of(scheme or load_scheme(), layer)
    spans: list[dict[str, Any]] = []
    orphans: list[str] = []
    if annotations is not None and len(annotations):
        rows = annotations[annotations["layer"] == layer]
        for row in rows.to_dict("records"):
            if row.get("status") == "orphaned" or row.get("start") is None or row.get("start") != row.get("start"):
                orphans.append(str(row.get("text")))
            else:
                spans.append({"start": int(row["start"]), "end": int(row["end"]), "label": row["label"]})
    parts = ['<div class="annotkit-article" style="line-height: 2; max-width: 52rem;">']
    number_of = dict(zip(article.paragraphs["start"].tolist(), article.paragraphs["para_id"].tolist(), strict=True))
    for start, end in paragraph_blocks(article, paragraphs):
        parts.append(
            f'<div data-paragraph="{number_of[start]}" style="display: flex; gap: 0.8rem; margin: 0 0 0.8rem;">'
        )
        parts.append(f'<span title="paragraph {number_of[start]}" style="{_NUMBER}">{number_of[start]}</span>')
        parts.append('<p style="margin: 0; flex: 1 1 auto; min-width: 0;">')
        parts.append(_highlighted(article.text, start, end, spans, colours))
        parts.append("</p></div>")
    if orphans:
        words = ", ".join(f"“{html.escape(t)}”" for t in orphans)
        parts.append(f"<p><b>Not found in this version of the text:</b> {words}</p>")
    parts.append("</div>")
    return "".join(parts)


# The paragraph number in the margin: grey that reads on the light and the dark theme, never selected with the text.
_NUMBER = (
    "flex: 0 0 2rem; text-align: right; color: #808080; font-size: 0.8em; font-variant-numeric: tabular-nums; "
    "user-select: none;"
)


def _highlighted(
    text: str, start: int, end: int, spans: list[dict[str, Any]], colours: Mapping[str, tuple[str, str, str]]
) -> str:
    inside = [s for s in spans if s["start"] < end and s["end"] > start]
    cuts = sorted(
        {start, end} | {s["start"] for s in inside if s["start"] > start} | {s["end"] for s in inside if s["end"] < end}
    )
    last_piece = {id(s): max(c for c in cuts if c < s["end"]) for s in inside}
    pieces = []
    for a, b in itertools.pairwise(cuts):
        piece = html.escape(text[a:b])
        covering = sorted(
            (s for s in inside if s["start"] <= a and s["end"] >= b), key=lambda s: (s["end"] - s["start"], s["start"])
        )
        for depth, span in enumerate(covering):  # innermost first, so it ends up nested inside
            name, solid, wash = colours.get(span["label"], (span["label"], SOLID[-1], WASH[-1]))
            caption = (
                f'<sup style="background: {solid}; color: #111; border-radius: 3px; padding: 0 3px; '
                f'font-size: 0.7em; font-weight: 600;">{html.escape(name)}</sup>'
                if last_piece[id(span)] == a
                else ""
            )
            piece = (
                f'<mark data-label="{html.escape(span["label"])}" style="background: {wash}; color: #111; '
                f'border-bottom: {2 + 2 * depth}px solid {solid};">{piece}{caption}</mark>'
            )
        pieces.append(piece)
    return "".join(pieces)


def show_article(article: Article, annotations: pd.DataFrame | None = None, **options: Any) -> HTML:
    """:func:`article_html` for display in a notebook."""
    from IPython.display import HTML

    return HTML(article_html(article, annotations, **options))


def speaker_chart(article: Article, annotations: pd.DataFrame | None = None, *, top: int = 12) -> Figure:
    """Who speaks, and how much: words in quotations per speaker, and per stance when perspectives are given.

    Speakers come from ``article.quotes`` (the automatic attribution); stances from ``annotations`` (a student's
    or the key's perspectives, matched by actor name).

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> figure = speaker_chart(article, annotkit.answer_key(article))
    >>> [axis.get_title() for axis in figure.axes]
    ['Words quoted, by speaker', 'Words quoted, by stance on the central question']
    """
    words = speaker_words(require_article(article, "speaker_chart"))
    stances = _stances(annotations)
    panels = 2 if stances else 1
    figure = _chart_class()(figsize=(8, 3.2 * panels), layout="constrained")
    axes = figure.subplots(panels, 1, squeeze=False)[:, 0]
    shown = words.head(top).iloc[::-1]
    axes[0].barh(shown.index, shown.to_numpy(), color=SOLID[4])
    axes[0].set_title("Words quoted, by speaker")
    axes[0].set_xlabel("words inside quotation marks")
    if stances:
        by_stance = words.groupby([stances.get(s, "no stance given") for s in words.index]).sum().sort_values()
        axes[1].barh(by_stance.index, by_stance.to_numpy(), color=SOLID[0])
        axes[1].set_title("Words quoted, by stance on the central question")
        axes[1].set_xlabel("words inside quotation marks")
    return figure


@functools.cache
def _chart_class() -> type[Figure]:
    """A matplotlib Figure that shows itself as a PNG in a notebook, with or without pyplot imported."""
    import io

    from matplotlib.figure import Figure  # not pyplot: no global state, no window, works on any backend

    class Chart(Figure):
        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    return Chart


def speaker_words(article: Article) -> pd.Series:
    """Words quoted per speaker (``article.quotes``), most first; unknown speakers as "(unknown)".

    Only somebody's words count: a scare quote, a title or a nickname in quotation marks quotes nobody.

    >>> import annotkit
    >>> speaker_words(annotkit.load_bundled_article()).head(2).to_dict()
    {'Behnam Ben Taleblu': 85, 'a senior U.S. official': 73}
    """
    quotes = require_article(article, "speaker_words").quotes
    if "kind" in quotes.columns:
        quotes = quotes[quotes["kind"] == "quotation"]
    counts = quotes["text"].str.split().str.len()
    speakers = quotes["speaker"].fillna("(unknown)")
    return counts.groupby(speakers).sum().sort_values(ascending=False, kind="stable").rename("words")


def _stances(annotations: pd.DataFrame | None) -> dict[str, str]:
    if annotations is None or "stance" not in annotations:
        return {}
    rows = annotations[(annotations["layer"] == "perspective") & annotations["stance"].notna()]
    return dict(zip(rows["entity"], rows["stance"], strict=True))
