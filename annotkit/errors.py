"""The exceptions and warnings annotkit raises, in one place.

Every message is written for a student: what went wrong, the value involved, and what to do next.
"""

from __future__ import annotations

__all__ = ["AnnotkitError", "AnnotkitWarning", "ArticleError", "ArticleWarning"]


class AnnotkitError(Exception):
    """Base class of every error annotkit raises on purpose."""


class ArticleError(AnnotkitError, ValueError):
    """An article file or text that annotkit cannot load."""


class AnnotkitWarning(UserWarning):
    """Base class of annotkit's warnings."""


class ArticleWarning(AnnotkitWarning):
    """An article loaded, but something about it deserves a look (an old encoding, a skipped file)."""
