"""The exceptions and warnings annotkit raises, in one place.

Every message is written for a student: what went wrong, the value involved, and what to do next.
"""

from __future__ import annotations

__all__ = [
    "AgreementError",
    "AnnotationError",
    "AnnotkitError",
    "AnnotkitWarning",
    "ArticleError",
    "ArticleWarning",
    "FormatError",
    "FormatWarning",
    "SchemeError",
    "StoreError",
    "SubmissionError",
]


class AnnotkitError(Exception):
    """Base class of every error annotkit raises on purpose."""


class ArticleError(AnnotkitError, ValueError):
    """An article file or text that annotkit cannot load."""


class SchemeError(AnnotkitError, ValueError):
    """A scheme file that is missing, malformed, or contradicts itself."""


class AnnotationError(AnnotkitError, ValueError):
    """An annotation that does not fit the article or the scheme (a span out of range, an unknown label...)."""


class StoreError(AnnotkitError):
    """An annotation store that cannot be opened or written (not an annotkit store, corrupt, locked)."""


class SubmissionError(AnnotkitError, ValueError):
    """A submission file that cannot be read or trusted."""


class AgreementError(AnnotkitError, ValueError):
    """Labels or spans that agreement cannot be measured on (too few annotators, no unit rated twice...)."""


class FormatError(AnnotkitError, ValueError):
    """An annotation file that cannot be read or written in the format asked for (malformed, wrong article)."""


class AnnotkitWarning(UserWarning):
    """Base class of annotkit's warnings."""


class ArticleWarning(AnnotkitWarning):
    """An article loaded, but something about it deserves a look (an old encoding, a skipped file)."""


class FormatWarning(AnnotkitWarning):
    """An annotation file was read, but some of its regions or lines could not be, or a format left something out."""
