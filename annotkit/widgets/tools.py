"""The tagging tools students use in the course, built on the span tagger and ipywidgets.

Everything a student can choose comes from the scheme (``load_scheme()``); no label list is written here.
Each tool saves to the store at once and can be driven from Python exactly as a student drives it in the
browser, which is how the notebooks run under nbval.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from ..errors import AnnotationError, AnnotkitError
from ..quotes import name_without_titles
from ..records import JOURNALIST
from ..store import AnnotationStore, open_store
from .tagger import SpanTagger, require_article

if TYPE_CHECKING:
    import pandas as pd

    from ..article import Article
    from ..scheme import Attribute

__all__ = ["ActorTagger", "CheckMyWork", "ClaimTagger", "PerspectiveBoard"]

UNSET = "(not chosen)"
#: The value of "(not chosen)": a dropdown shows a blank, not its first option, for None.
NOT_CHOSEN = ""


def _choice_dropdown(attribute: Attribute) -> widgets.Dropdown:
    """A dropdown for a choice attribute: the scheme's choices, with nothing chosen to start with."""
    options = [(UNSET, NOT_CHOSEN), *((c.name, c.id) for c in attribute.choices)]
    return widgets.Dropdown(
        options=options,
        value=NOT_CHOSEN,
        description=attribute.name.replace("_", " ").capitalize(),
        tooltip=attribute.definition,
        style={"description_width": "7rem"},
        layout=widgets.Layout(width="22rem"),
    )


def _values(dropdown: widgets.Dropdown) -> list[Any]:
    """The values of a dropdown whose options are (label, value) pairs."""
    return [value for _, value in dropdown.options]


def _is_set(value: Any) -> bool:
    return value is not None and value == value and value != ""  # value == value is False for NaN


class _SpanTool(widgets.VBox):
    """A span tagger with a form beside it: values for the next tag, or for the tag under the caret."""

    layer_name = ""
    choice_names: tuple[str, ...] = ()

    def __init__(
        self, article: Article, *, store: AnnotationStore | None = None, paragraphs: Iterable[int] | None = None
    ) -> None:
        article = require_article(article, type(self).__name__)
        self.article = article
        self.store = store if store is not None else open_store()
        self.tagger = SpanTagger(article, store=self.store, layer=self.layer_name, paragraphs=paragraphs)
        layer = self.tagger.layer
        self.controls = {name: _choice_dropdown(layer.attribute(name)) for name in self.choice_names}
        self._loading = False  # True while the form shows a tag's values, so that is not taken as an edit
        self.form_title = widgets.HTML()
        for name, control in self.controls.items():
            control.observe(lambda change, name=name: self._on_control(name, change["new"]), names="value")
        self.tagger.observe(lambda _change: self._show_focused(), names="focused")
        self.tagger.on_change(self._after_change)
        super().__init__([self.tagger, self._form()])
        self._show_focused()

    # what subclasses add
    def _form(self) -> widgets.Widget:
        return widgets.VBox([self.form_title, *self.controls.values()])

    def _after_change(self) -> None:
        pass

    # --- the Python API, as in the browser ----------------------------------------------------------------

    def select(self, start: int, end: int, label: str | None = None, **attributes: Any) -> str:
        """Tag ``article.text[start:end]``; see :meth:`SpanTagger.select`."""
        return self.tagger.select(start, end, label, **attributes)

    def tag(self, words: str, label: str | None = None, *, occurrence: int = 1, **attributes: Any) -> str:
        """Tag the ``occurrence``-th appearance of ``words``; see :meth:`SpanTagger.tag`."""
        return self.tagger.tag(words, label, occurrence=occurrence, **attributes)

    def remove(self, annotation_id: str) -> None:
        """Remove a tag."""
        self.tagger.remove(annotation_id)

    def update(self, annotation_id: str, **changes: Any) -> None:
        """Change a tag's label or attributes (what editing the form with the caret in the tag does)."""
        self.store.update(annotation_id, article=self.article, **changes)
        self.tagger.refresh()

    @property
    def annotations(self) -> pd.DataFrame:
        """The student's tags of this layer in this article."""
        return self.tagger.annotations

    # --- the form ------------------------------------------------------------------------------------------

    def _on_control(self, name: str, value: Any) -> None:
        if self._loading:
            return
        value = value or None  # "(not chosen)" clears the attribute
        focused = self.tagger.focused
        if focused:
            self._edit(focused, {name: value})
        else:
            self.tagger.defaults[name] = value

    def _edit(self, annotation_id: str, changes: dict[str, Any]) -> None:
        try:
            self.update(annotation_id, **changes)
        except AnnotkitError as error:
            self.tagger._say(str(error), kind="error")
        else:
            self.tagger._say("Saved.")

    def _show_focused(self) -> None:
        """Show the tag under the caret in the form, or the values the next tag will get."""
        focused = self.tagger.focused
        frame = self.annotations
        row = frame[frame["annotation_id"] == focused]
        self._loading = True
        try:
            if focused and not row.empty:
                values = row.iloc[0].to_dict()
                self.form_title.value = f"<b>Editing</b> “{html.escape(str(values['text']))}”"
            else:
                values = self.tagger.defaults
                self.form_title.value = "<b>Next tag</b> (put the caret in a tag to edit it)"
            self._load(values)
        finally:
            self._loading = False

    def _load(self, values: dict[str, Any]) -> None:
        for name, control in self.controls.items():
            value = values.get(name)
            control.value = value if _is_set(value) and value in _values(control) else NOT_CHOSEN


class ActorTagger(_SpanTool):
    """Tag actors: their type, who they are (the entity linking every mention), affiliation, identification.

    Select a name and it is tagged with the chosen type. Type in "Actor" which actor a mention refers to
    (pick an existing one to link "he" to "Joe Biden"); left empty, annotkit guesses: an actor already tagged
    with the same last name ("Biden"), the person without their role ("President Joe Biden" is "Joe Biden"),
    or else a new actor named by the words themselves. The guess is shown and can be changed.

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

    layer_name = "actor"
    choice_names = ("affiliation", "identification")

    def __init__(
        self, article: Article, *, store: AnnotationStore | None = None, paragraphs: Iterable[int] | None = None
    ) -> None:
        self.entity = widgets.Combobox(
            placeholder="Who is it? e.g. Joe Biden (empty: the words you select)",
            description="Actor",
            ensure_option=False,
            style={"description_width": "7rem"},
            layout=widgets.Layout(width="30rem"),
        )
        super().__init__(article, store=store, paragraphs=paragraphs)
        self.entity.tooltip = self.tagger.layer.attribute("entity").definition
        self.entity.observe(self._on_entity, names="value")
        self.tagger._fill_in = self._fill_in
        self._after_change()

    def _form(self) -> widgets.Widget:
        return widgets.VBox([self.form_title, self.entity, *self.controls.values()])

    def entities(self) -> list[str]:
        """The actors this student has tagged so far, in order."""
        return self.store.entities(self.article)

    def _fill_in(self, start: int, end: int, values: dict[str, Any]) -> dict[str, Any]:
        if not _is_set(values.get("entity")):
            values = {**values, "entity": self._guess_entity(" ".join(self.article.text[start:end].split()))}
        return values

    def _guess_entity(self, words: str) -> str:
        """Who the words name: an actor already tagged, a person without their role, or the words themselves.

        "Biden" links to a tagged "Joe Biden"; "Defense Secretary Lloyd Austin" is "Lloyd Austin".
        """
        known = self.entities()
        name = name_without_titles(words) or words
        if name in known:
            return name
        last = name.split()[-1].lower()
        same = [e for e in known if e.split()[-1].lower() == last and len(name.split()) < len(e.split())]
        return same[0] if len(same) == 1 and name[:1].isupper() else name

    def _after_change(self) -> None:
        options = self.entities()
        if list(self.entity.options) != options:
            self.entity.options = options
        if not self.tagger.focused:  # each new tag starts with an empty "Actor" box: no silent wrong links
            self._loading = True
            self.entity.value = ""
            self.tagger.defaults.pop("entity", None)
            self._loading = False

    def _on_entity(self, change: dict[str, Any]) -> None:
        if self._loading:
            return
        value = " ".join(str(change["new"]).split())
        focused = self.tagger.focused
        if focused and value:
            self._edit(focused, {"entity": value})
        elif not focused:
            self.tagger.defaults["entity"] = value or None

    def _load(self, values: dict[str, Any]) -> None:
        super()._load(values)
        entity = values.get("entity")
        self.entity.value = entity if _is_set(entity) else ""


class ClaimTagger(_SpanTool):
    """Tag claims: choose who makes the claim (an actor you tagged, or the journalist), then select it.

    Form, type and checkable can be set before selecting, or afterwards with the caret in the claim.

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

    layer_name = "claim"
    choice_names = ("form", "claim_type", "checkable")

    def __init__(
        self, article: Article, *, store: AnnotationStore | None = None, paragraphs: Iterable[int] | None = None
    ) -> None:
        self.said_by = widgets.Dropdown(
            options=[(UNSET, NOT_CHOSEN)],
            value=NOT_CHOSEN,
            description="Said by",
            style={"description_width": "7rem"},
            layout=widgets.Layout(width="22rem"),
        )
        super().__init__(article, store=store, paragraphs=paragraphs)
        self.said_by.tooltip = self.tagger.layer.attribute("said_by").definition
        self.said_by.observe(lambda change: self._on_control("said_by", change["new"]), names="value")
        self.tagger._fill_in = self._fill_in
        self._after_change()

    def _form(self) -> widgets.Widget:
        return widgets.VBox([self.form_title, self.said_by, *self.controls.values()])

    def _fill_in(self, start: int, end: int, values: dict[str, Any]) -> dict[str, Any]:
        if not _is_set(values.get("said_by")):
            msg = (
                "Choose who makes this claim in “Said by” first: an actor you tagged, or the journalist for the "
                "writer's own words. Then select the claim again."
            )
            raise AnnotationError(msg)
        return values

    def _after_change(self) -> None:
        options = [(UNSET, NOT_CHOSEN), (JOURNALIST, JOURNALIST), *((e, e) for e in self.store.entities(self.article))]
        if list(self.said_by.options) != options:
            self._loading = True
            current = self.said_by.value
            self.said_by.options = options
            self.said_by.value = current if current in _values(self.said_by) else NOT_CHOSEN
            self._loading = False
        if not self.tagger.focused:  # the speaker carries over; what kind of claim it is does not
            self._loading = True
            for name, control in self.controls.items():
                control.value = NOT_CHOSEN
                self.tagger.defaults.pop(name, None)
            self._loading = False

    def _load(self, values: dict[str, Any]) -> None:
        super()._load(values)
        said_by = values.get("said_by")  # the claim's speaker, or the one the next claim will get
        self.said_by.value = said_by if _is_set(said_by) and said_by in _values(self.said_by) else NOT_CHOSEN


class PerspectiveBoard(widgets.VBox):
    """A row per actor tagged: stance on the central question, frame, rationale and evidence claims.

    Every change is saved at once.

    Examples
    --------
    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> store = annotkit.open_store(":memory:", annotator="ana")
    >>> _ = ActorTagger(article, store=store).tag("President Joe Biden", label="official", entity="Joe Biden")
    >>> board = PerspectiveBoard(article, store=store)
    >>> _ = board.set("Joe Biden", stance="support", frame="security", rationale="He announces the change.")
    >>> board.annotations[["entity", "stance", "frame"]].values.tolist()
    [['Joe Biden', 'support', 'security']]
    """

    def __init__(self, article: Article, *, store: AnnotationStore | None = None) -> None:
        article = require_article(article, "PerspectiveBoard")
        self.article = article
        self.store = store if store is not None else open_store()
        self.layer = self.store.scheme.layer("perspective")
        question = self.store.scheme.central_question(article) or (
            "(No central question is set for this article: your teacher adds one to the scheme.)"
        )
        self.question = widgets.HTML(f"<p><b>Central question:</b> {html.escape(question)}</p>")
        self.status = widgets.HTML()
        self.rows = widgets.VBox()
        self._loading = False
        refresh = widgets.Button(description="Refresh actors", icon="refresh", tooltip="Show actors tagged since")
        refresh.on_click(lambda _button: self.refresh())
        super().__init__([self.question, refresh, self.rows, self.status])
        self.refresh()

    @property
    def annotations(self) -> pd.DataFrame:
        """The student's perspectives on this article."""
        return self.store.annotations(self.article, annotator=self.store.annotator, layer="perspective")

    def set(self, entity: str, **values: Any) -> str:
        """Save an actor's perspective (``stance=``, ``frame=``, ``rationale=``, ``evidence=``); return its id."""
        current = self._perspective(entity)
        if "evidence" in values and not isinstance(values["evidence"], str):
            values["evidence"] = list(values["evidence"])
        if current is None:
            annotation_id = self.store.add(
                self.article, layer="perspective", label="perspective", entity=entity, **values
            )
        else:
            annotation_id = current
            self.store.update(annotation_id, article=self.article, **values)
        return annotation_id

    def refresh(self) -> None:
        """Rebuild the rows from the store (actors tagged in another notebook appear)."""
        for old in self.rows.children:  # each row holds several widgets with live comms in the kernel
            _close_tree(old)
        entities = self.store.entities(self.article)
        if not entities:
            self.rows.children = [
                widgets.HTML("<p>No actors tagged yet. Tag actors first (notebook 02), then press Refresh.</p>")
            ]
            return
        claims = self.store.annotations(self.article, annotator=self.store.annotator, layer="claim")
        evidence_options = [
            (f"“{_short(t)}” ({s})", i)
            for t, s, i in zip(claims["text"], claims["said_by"], claims["annotation_id"], strict=True)
        ]
        saved = {row["entity"]: row for row in self.annotations.to_dict("records")}
        self.rows.children = [self._row(entity, saved.get(entity, {}), evidence_options) for entity in entities]

    def _perspective(self, entity: str) -> str | None:
        frame = self.annotations
        match = frame[frame["entity"] == entity]
        return None if match.empty else str(match.iloc[-1]["annotation_id"])

    def _row(self, entity: str, saved: dict[str, Any], evidence_options: list[tuple[str, str]]) -> widgets.Widget:
        stance = _choice_dropdown(self.layer.attribute("stance"))
        frame = _choice_dropdown(self.layer.attribute("frame"))
        rationale = widgets.Textarea(
            placeholder="Why do you think so? Quote the words that show it.",
            continuous_update=False,
            layout=widgets.Layout(width="30rem", height="3.2rem"),
        )
        evidence = widgets.SelectMultiple(
            options=evidence_options,
            description="Evidence",
            rows=min(4, max(len(evidence_options), 1)),
            style={"description_width": "7rem"},
            layout=widgets.Layout(width="30rem"),
        )
        values = [v for _, v in evidence_options]
        stance.value = saved.get("stance") if _is_set(saved.get("stance")) else NOT_CHOSEN
        frame.value = saved.get("frame") if _is_set(saved.get("frame")) else NOT_CHOSEN
        rationale.value = saved.get("rationale") if _is_set(saved.get("rationale")) else ""
        chosen = saved.get("evidence")  # the store keeps claim ids joined by ";"
        chosen = chosen.split(";") if isinstance(chosen, str) else chosen if isinstance(chosen, list) else []
        evidence.value = tuple(i for i in chosen if i in values)

        def save(name: str, value: Any) -> None:
            try:
                self.set(entity, **{name: value})
            except AnnotkitError as error:
                self.status.value = f"<p style='color: var(--jp-error-color1, #c62828)'>{html.escape(str(error))}</p>"
            else:
                self.status.value = f"<p>Saved {html.escape(entity)}'s {name.replace('_', ' ')}.</p>"

        stance.observe(lambda c: save("stance", c["new"] or None), names="value")
        frame.observe(lambda c: save("frame", c["new"] or None), names="value")
        rationale.observe(lambda c: save("rationale", c["new"]), names="value")
        evidence.observe(lambda c: save("evidence", list(c["new"])), names="value")
        title = widgets.HTML(f"<h4 style='margin: 0.6rem 0 0.2rem'>{html.escape(entity)}</h4>")
        return widgets.VBox([title, widgets.HBox([stance, frame]), rationale, evidence])


def _close_tree(widget: widgets.Widget) -> None:
    """Close a widget and everything inside it (``Widget.close_all`` would close every widget in the kernel)."""
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    widget.close()


def _short(text: Any, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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
