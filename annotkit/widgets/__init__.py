"""annotkit's widgets: the tagging tools, reflections, hand-in, Check my work, and read-only views.

Import them from here (``from annotkit.widgets import ActorTagger``); ``import annotkit`` alone does not load
the widgets, so scripts that only read articles stay quick to start.
"""

from .board import PerspectiveBoard
from .check import CheckMyWork
from .handin import HandIn
from .reflection import Reflection
from .tagger import SpanTagger
from .tools import ActorTagger, ClaimTagger
from .views import (
    article_html,
    compare_html,
    find_classmates,
    show_article,
    show_comparison,
    speaker_chart,
    speaker_words,
)

__all__ = [
    "ActorTagger",
    "CheckMyWork",
    "ClaimTagger",
    "HandIn",
    "PerspectiveBoard",
    "Reflection",
    "SpanTagger",
    "article_html",
    "compare_html",
    "find_classmates",
    "show_article",
    "show_comparison",
    "speaker_chart",
    "speaker_words",
]
