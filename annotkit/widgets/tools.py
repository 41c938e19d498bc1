"""The tagging tools of the course: actors and claims, each one anywidget built on the span tagger.

Everything a student can choose comes from the scheme (``load_scheme()``); no label list is written here.
Each tool saves to the store at once and can be driven from Python exactly as a student drives it in the
browser, which is how the notebooks run under nbval.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..errors import AnnotationError
from ..guess import guess_entity
from ..store import AnnotationStore
from .board import PerspectiveBoard
from .tagger import SpanTagger, _is_set

if TYPE_CHECKING:
    from ..article import Article

__all__ = ["ActorTagger", "ClaimTagger", "PerspectiveBoard"]


class ActorTagger(SpanTagger):
    """Tag actors: their type, who they are (the entity linking every mention), affiliation, identification.

    Select a name and it is tagged with the chosen type; the form beside the text then shows the tag. Type in
    "Who is it?" which actor a mention refers to (pick an existing one to link "he" to "Joe Biden"); left empty,
    annotkit guesses from the actors already tagged (:func:`annotkit.guess.guess_entity`): a pronoun's person,
    a role's actor ("the Iraqi leader"), a surname's full name, a name without its role ("President Joe Biden"
    is "Joe Biden"), an organisation by its whole name. The guess is shown and can be changed.

    Examples
    --------
    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> actors = ActorTagger(article, store=annotkit.open_store(":memory:", annotator="ana"))
    >>> _ = actors.tag("President Joe Biden", label="official")
    >>> _ = actors.tag("Biden", label="official", occurrence=2)
    >>> actors.annotations[["text", "entity"]].values.tolist()
    [['President Joe Biden', 'Joe Biden'], ['Biden', 'Joe Biden']]
    """

    def __init__(
        self, article: Article, *, store: AnnotationStore | None = None, paragraphs: Iterable[int] | None = None
    ) -> None:
        super().__init__(article, store=store, layer="actor", paragraphs=paragraphs)

    def entities(self) -> list[str]:
        """The actors this student has tagged so far, in order."""
        return self.store.entities(self.article)

    def _fill_in(self, start: int, end: int, values: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
        if not _is_set(values.get("entity")):
            # ``rows`` are this student's actor tags, read from the store for this very action.
            values = {**values, "entity": guess_entity(self.article, start, end, tagged=rows)}
        return values


class ClaimTagger(SpanTagger):
    """Tag claims: choose who makes the claim (an actor you tagged, or the journalist), then select it.

    Form, type and checkable can be set before selecting (they go to the next claim only), or afterwards with
    the caret in the claim. The speaker carries over to the next claim; a claim may run across paragraphs.

    Examples
    --------
    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> store = annotkit.open_store(":memory:", annotator="ana")
    >>> _ = ActorTagger(article, store=store).tag("President Joe Biden", label="official", entity="Joe Biden")
    >>> claims = ClaimTagger(article, store=store)
    >>> _ = claims.tag("U.S. forces in Iraq will end their combat duties", said_by="the journalist",
    ...                claim_type="prediction")
    >>> claims.annotations[["said_by", "claim_type"]].values.tolist()
    [['the journalist', 'prediction']]
    """

    def __init__(
        self, article: Article, *, store: AnnotationStore | None = None, paragraphs: Iterable[int] | None = None
    ) -> None:
        super().__init__(article, store=store, layer="claim", paragraphs=paragraphs)

    def entities(self) -> list[str]:
        """The actors this student has tagged so far, in order: who can make a claim, besides the journalist."""
        return self.store.entities(self.article)

    def _fill_in(self, start: int, end: int, values: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
        if not _is_set(values.get("said_by")):
            msg = (
                "Choose who makes this claim in “Said by” first: an actor you tagged, or the journalist for the "
                "writer's own words. Then select the claim again."
            )
            raise AnnotationError(msg)
        return values

    def _after_tag(self) -> None:
        """The speaker carries over to the next claim; what kind of claim it is, and the note, do not."""
        kept = {k: v for k, v in self.defaults.items() if k == "said_by"}
        if kept != self.defaults:
            self.defaults = kept
            self._publish_defaults()

    def _check_update(self, annotation_id: str, changes: dict[str, Any]) -> None:
        if "said_by" in changes and not _is_set(changes["said_by"]):
            msg = "A claim always has a speaker: choose another one (or the journalist) instead of clearing it."
            raise AnnotationError(msg)
