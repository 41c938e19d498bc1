"""annotkit's widgets: the span tagger, the tagging tools of the course, and read-only views.

Import them from here (``from annotkit.widgets import ActorTagger``); ``import annotkit`` alone does not load
ipywidgets, so scripts that only read articles stay quick to start.
"""

from .check import CheckMyWork
from .tagger import SpanTagger
from .tools import ActorTagger, ClaimTagger, PerspectiveBoard
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
    "PerspectiveBoard",
    "SpanTagger",
    "article_html",
    "compare_html",
    "find_classmates",
    "show_article",
    "show_comparison",
    "speaker_chart",
    "speaker_words",
]
