"""The tagging tools of the course: actors and claims, each one anywidget built on the span tagger.

Everything a student can choose comes from the scheme (``load_scheme()``); no label list is written here.
Each tool saves to the store at once and can be driven from Python exactly as a student drives it in the
browser, which is how the notebooks run under nbval.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..errors import AnnotationError
from ..quotes import name_without_titles
from ..store import AnnotationStore, open_store
from .board import PerspectiveBoard
from .tagger import SpanTagger, _entities, _is_set, require_article

if TYPE_CHECKING:
    import pandas as pd

    from ..article import Article

__all__ = ["ActorTagger", "CheckMyWork", "ClaimTagger", "PerspectiveBoard"]


class ActorTagger(SpanTagger):
    """Tag actors: their type, who they are (the entity linking every mention), affiliation, identification.

    Select a name and it is tagged with the chosen type; the form beside the text then shows the tag. Type in
    "Who is it?" which actor a mention refers to (pick an existing one to link "he" to "Joe Biden"); left empty,
    annotkit guesses: an actor already tagged with the same last name ("Biden"), the person without their role
    ("President Joe Biden" is "Joe Biden"), or else a new actor named by the words themselves. The guess is
    shown and can be changed.

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
            words = " ".join(self.article.text[start:end].split())
            values = {**values, "entity": self._guess_entity(words, _entities(rows))}
        return values

    def _guess_entity(self, words: str, known: list[str]) -> str:
        """Who the words name: an actor already tagged (``known``), a person without their role, or the words.

        "Biden" links to a tagged "Joe Biden"; "Defense Secretary Lloyd Austin" is "Lloyd Austin".
        """
        name = name_without_titles(words) or words
        if name in known:
            return name
        last = name.split()[-1].lower()
        same = [e for e in known if e.split()[-1].lower() == last and len(name.split()) < len(e.split())]
        return same[0] if len(same) == 1 and name[:1].isupper() else name


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


class CheckMyWork(widgets.VBox):
    """A "Check my work" button: kind, specific feedback from the answer key, and a progress bar.

    Parameters
    ----------
    article, store
        As for the taggers.
    layer
        The exercise's layer: ``"actor"``, ``"claim"`` or ``"perspective"``.
    key
        The answer key (default: the bundled key for the article, ``annotkit.answer_key``).

    Examples
    --------
    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> store = annotkit.open_store(":memory:", annotator="ana")
    >>> _ = ActorTagger(article, store=store).tag("President Joe Biden", label="official")
    >>> check = CheckMyWork(article, store=store, layer="actor")
    >>> check.check().message.iloc[0]
    'Actors: you found 1 of the 53 actor mentions in the key.'
    >>> check.progress.value, check.progress.max
    (1, 53)
    """

    def __init__(
        self,
        article: Article,
        *,
        store: AnnotationStore | None = None,
        layer: str = "actor",
        key: pd.DataFrame | None = None,
    ) -> None:
        from ..keys import answer_key

        article = require_article(article, "CheckMyWork")
        self.article = article
        self.store = store if store is not None else open_store()
        self.layer = self.store.scheme.layer(layer).name
        self.key = key if key is not None else answer_key(article)
        self.button = widgets.Button(description="Check my work", icon="check", button_style="info")
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description="Found", style={"description_width": "4rem"}
        )
        self.counter = widgets.HTML()
        self.messages = widgets.HTML()
        self.button.on_click(lambda _button: self.check())
        super().__init__([widgets.HBox([self.button, self.progress, self.counter]), self.messages])

    def check(self) -> pd.DataFrame:
        """Compare the student's work with the key; show and return the messages (``layer, kind, message``)."""
        from ..scoring import feedback_from, score

        mine = self.store.annotations(self.article, annotator=self.store.annotator)
        result = score(mine, self.key)
        messages = feedback_from(result, article=self.article)
        messages = messages[messages["layer"] == self.layer].reset_index(drop=True)
        found, total = self._progress(mine, result.table)
        self.progress.max = max(total, 1)
        self.progress.value = min(found, total)
        self.counter.value = f"{found} of {total}"
        if (mine["layer"] == self.layer).sum() == 0:
            messages = _say_first(messages, self.layer, _START[self.layer])
        elif self.layer == "perspective" and messages.empty:
            praise = result.stance_accuracy == 1
            messages = _say_first(messages, self.layer, _PRAISE if praise else _NOTHING_TO_COMPARE)
        items = "".join(f"<li>{html.escape(m)}</li>" for m in messages["message"])
        self.messages.value = f"<ul class='ak-feedback'>{items}</ul>"
        return messages

    def _progress(self, mine: pd.DataFrame, table: pd.DataFrame) -> tuple[int, int]:
        """(found, out of): key items found for span layers; for perspectives, actors given a stance."""
        if self.layer == "perspective":
            given = mine[(mine["layer"] == "perspective") & mine["stance"].notna()]["entity"].nunique()
            return int(given), len(self.store.entities(self.article))
        overall = table[(table["layer"] == self.layer) & (table["label"] == "(all)") & (table["matching"] == "overlap")]
        if overall.empty:
            return 0, 0
        return int(overall["matched"].iloc[0]), int(overall["n_key"].iloc[0])


_START = {
    "actor": "No actors tagged yet: start with the people and groups named in the first paragraphs.",
    "claim": "No claims tagged yet: look for what someone says is true, will happen, or should happen.",
    "perspective": "No stances yet: give each actor you tagged a stance on the central question.",
}
_PRAISE = "Every stance the key can check matches yours. Well argued!"
_NOTHING_TO_COMPARE = (
    "The key has no clear stance to compare with yours for these actors: discuss them with a classmate."
)


def _say_first(messages: pd.DataFrame, layer: str, text: str) -> pd.DataFrame:
    import pandas as pd

    first = pd.DataFrame([{"layer": layer, "kind": "hint", "message": text}])
    return pd.concat([first, messages], ignore_index=True)
