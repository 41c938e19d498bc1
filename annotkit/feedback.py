"""Feedback for a student: what they found, what is left and where to look, in kind words that give nothing away.

The rules it keeps:

- **A count that stays put.** Progress is counted out of the key's *firm* items (those not marked debatable) in
  the exercise's part of the article, so the total never changes while the student works. Debatable items found
  are counted apart, as good ones to discuss.
- **No answers given away.** No message quotes the key's words or names one of its actors: hints point at
  paragraph numbers (``article.paragraphs.para_id``, the numbers in the tagger's margin). A debatable item is
  never hinted at, by place, type or label.
- **Kind and honest.** Praise comes well before 100%, worded for a 16-year-old; an *unsure* counts as found and is
  listed for discussion rather than marked wrong.

:func:`feedback` scores and words the result in one call; :func:`feedback_from` and :func:`progress` word a
:class:`~annotkit.scoring.Score` already computed (the Check my work button shows both from one score).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import AnnotationError
from .records import LAYERS, SPAN_LAYERS
from .scoring import Score, score

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article

__all__ = ["Progress", "feedback", "feedback_from", "progress", "within_paragraphs"]

#: What a layer's items are called in messages: (one, many).
NOUNS = {
    "actor": ("actor mention", "actor mentions"),
    "claim": ("claim", "claims"),
    "perspective": ("stance", "stances"),
}
TITLES = {"actor": "Actors", "claim": "Claims", "perspective": "Stances"}
#: The first message when a student has nothing in the layer yet.
START = {
    "actor": "No actors tagged yet: start with the people and groups named in the first paragraphs.",
    "claim": "No claims tagged yet: look for what someone says is true, will happen, or should happen.",
    "perspective": "No stances yet: give each actor you tagged a stance on the central question.",
}
#: Praise before 100%, from the highest share found (of the firm items) down; ``{left}`` is how many are left.
PRAISE = (
    (0.9, "Nearly all of them: only {left} left to find."),
    (0.75, "Most of them: careful reading."),
    (0.5, "More than half: good work. Keep going."),
    (0.25, "A good start. The hints below say where to look next."),
    (0.0, "A start. The hints below say where to look next."),
)
#: How a kind of actor is named in a hint ("one more actor mention to find there: an official").
KINDS = {
    "official": "an official",
    "government_body": "a government body",
    "military_or_security": "a military or security force",
    "armed_non_state_group": "an armed group",
    "international_organization": "an international organization",
    "expert_or_think_tank": "an expert",
    "media": "a news organization",
    "public_or_civil_society": "a group of citizens",
}
#: At most this many paragraphs are named in the hints; the rest are counted.
HINT_PARAGRAPHS = 3

_COLUMNS = ["layer", "kind", "message"]


@dataclass(frozen=True)
class Progress:
    """How far a student has got with one layer, out of a total that never changes while they work.

    Attributes
    ----------
    layer
        ``"actor"``, ``"claim"`` or ``"perspective"``.
    found
        The key's firm items the student found (spans: overlap, the key's label or ``unsure``; perspectives: the
        key's stance or ``unsure``).
    total
        The key's firm items (not debatable) in the part of the article checked.
    debatable
        The key's debatable items the student found too (not part of ``total``).
    unsure
        The student's annotations in this layer marked unsure (label, or any attribute's value).
    """

    layer: str
    found: int
    total: int
    debatable: int
    unsure: int

    @property
    def text(self) -> str:
        """``"12 of 29"``."""
        return f"{self.found} of {self.total}"

    @property
    def share(self) -> float | None:
        """``found / total`` (None when the key has nothing firm to find here)."""
        return self.found / self.total if self.total else None


def progress(result: Score, layer: str) -> Progress:
    """The student's progress with one layer, from a score.

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = annotkit.load_key(article)
    >>> firm = key[~key.debatable]
    >>> done = progress(annotkit.score(firm.head(3), key), "actor")
    >>> done.found, done.debatable, done.total == int((firm.layer == "actor").sum())
    (3, 0, True)
    """
    row = _overall(result, layer)
    unsure = int((result.unsure["layer"] == layer).sum())
    if row is None:
        return Progress(layer, 0, 0, 0, unsure)
    debatable = int(row["debatable_found"])
    return Progress(layer, int(row["matched"]) - debatable, int(row["n_key"]) - debatable, debatable, unsure)


def _overall(result: Score, layer: str) -> pd.Series | None:
    """The score table's row that sums a layer (spans: by overlap), or None if the table has none."""
    _check_layer(layer)
    table = result.table
    matching = "overlap" if layer in SPAN_LAYERS else "stance"
    rows = table[(table["layer"] == layer) & (table["label"] == "(all)") & (table["matching"] == matching)]
    return None if rows.empty else rows.iloc[0]


def _check_layer(layer: str) -> None:
    if layer not in LAYERS:
        msg = f"There is no layer {layer!r}: choose one of {', '.join(LAYERS)}."
        raise AnnotationError(msg)


def within_paragraphs(annotations: pd.DataFrame, article: Article, paragraphs: Iterable[int]) -> pd.DataFrame:
    """The annotations that belong to some paragraphs: for an exercise on part of the article.

    A span belongs to the paragraph it starts in. A perspective belongs when the same frame tags its actor
    (``entity``) in those paragraphs, so a key's stances follow the key's actors, and a student's their own.

    Parameters
    ----------
    annotations
        An annotation frame (a student's work, or a key).
    article
        The article they are about.
    paragraphs
        Paragraph numbers (``article.paragraphs.para_id``, the numbers in the tagger's margin).

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = annotkit.load_key(article)
    >>> part = within_paragraphs(key, article, range(0, 3))
    >>> part.groupby("layer").size().to_dict()
    {'actor': 6, 'claim': 3, 'perspective': 3}
    >>> part[part.layer == "perspective"].entity.tolist()
    ['Joe Biden', 'Mustafa al-Kadhimi', 'U.S. forces']
    """
    import pandas as pd

    from .article import paragraph_at

    wanted = _paragraph_numbers(article, paragraphs)
    spans = annotations["start"].notna().to_numpy(dtype=bool)
    paragraph = pd.Series(-1, index=annotations.index)
    paragraph[spans] = paragraph_at(article, annotations["start"][spans].astype("int64").to_numpy())
    inside = paragraph.isin(wanted) & spans
    actors = annotations[inside & (annotations["layer"] == "actor")]
    perspectives = (annotations["layer"] == "perspective") & _named(annotations["entity"], actors["entity"])
    return annotations[inside | perspectives]


def _named(entities: pd.Series, names: pd.Series) -> pd.Series:
    """Which entities are among the names, ignoring case."""
    folded = {str(name).casefold() for name in names.dropna()}
    return entities.map(lambda e: str(e).casefold() in folded, na_action="ignore").fillna(False).astype(bool)


def _paragraph_numbers(article: Article, paragraphs: Iterable[int]) -> set[int]:
    """The paragraph numbers asked for, checked against the article."""
    known = set(article.paragraphs["para_id"].tolist())
    wanted = list(paragraphs)
    unknown = sorted({p for p in wanted if p not in known}, key=str)
    if unknown:
        msg = (
            f"The article has no paragraph {unknown[0]}: its paragraphs are numbered 0 to {len(known) - 1} "
            "(see article.paragraphs)."
        )
        raise AnnotationError(msg)
    return set(wanted)


def feedback(
    student: pd.DataFrame,
    key: pd.DataFrame,
    *,
    article: Article | None = None,
    paragraphs: Iterable[int] | None = None,
    layer: str | None = None,
) -> pd.DataFrame:
    """Kind, specific feedback for a student: what they found, what is left, and where to look.

    It never shows the key's answers: it gives counts, the kind of thing missed and the paragraph to re-read.

    Parameters
    ----------
    student, key
        Annotation frames for one article: the student's work and the answer key.
    article
        The article: hints then name paragraphs (without it, only the kind of thing missed), and work made on
        another version of its text is placed by its words first.
    paragraphs
        Check only these paragraphs (``article.paragraphs.para_id``), for an exercise on part of the article.
    layer
        Only this layer's messages (default: every layer the key has).

    Returns
    -------
    DataFrame
        One row per message: ``layer, kind, message``. Kinds: ``start`` (nothing tagged yet), ``found`` (the
        count), ``praise``, ``debatable`` (debatable items found too), ``unsure``, ``hint`` (where to look),
        ``label`` (right words, another label), ``extra`` (tags the key does not have), ``attribution``,
        ``stance``.

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = annotkit.load_key(article)
    >>> messages = feedback(key, key, article=article)
    >>> messages.message.iloc[0]  # doctest: +ELLIPSIS
    'Actors: you found all ... actor mentions in the key. Excellent work.'
    >>> messages.kind.tolist()[:2]
    ['found', 'debatable']
    """
    if paragraphs is not None:
        if article is None:
            msg = "To check some paragraphs only, give the article too: feedback(..., article=article, paragraphs=...)."
            raise AnnotationError(msg)
        student = within_paragraphs(student, article, paragraphs)
        key = within_paragraphs(key, article, paragraphs)
    return feedback_from(score(student, key, article=article), article=article, key=key, layer=layer)


def feedback_from(
    result: Score,
    *,
    article: Article | None = None,
    key: pd.DataFrame | None = None,
    layer: str | None = None,
) -> pd.DataFrame:
    """:func:`feedback` for a :class:`~annotkit.scoring.Score` already computed.

    ``key`` (the key that was scored) lets the stance hints say in which paragraph an actor appears.
    """
    import pandas as pd

    layers = [layer] if layer is not None else [name for name in LAYERS if _has_items(result, name, key)]
    messages: list[tuple[str, str, str]] = []
    for name in layers:
        messages += [(name, kind, text) for kind, text in _layer_messages(result, name, article, key)]
    return pd.DataFrame(messages, columns=_COLUMNS)


def _has_items(result: Score, layer: str, key: pd.DataFrame | None) -> bool:
    """Whether the key has anything in this layer (without the key: anything the score shows of it)."""
    if key is not None:
        return bool((key["layer"] == layer).any())
    row = _overall(result, layer)
    return (row is not None and int(row["n_key"]) > 0) or bool((result.missed["layer"] == layer).any())


def _layer_messages(
    result: Score, layer: str, article: Article | None, key: pd.DataFrame | None
) -> list[tuple[str, str]]:
    """One layer's messages, in the order a student reads them: the count, then what to do next."""
    done = progress(result, layer)
    row = _overall(result, layer)
    tagged = row is not None and int(row["n_student"]) > 0
    messages = [] if tagged else [("start", START[layer])]
    if done.total == 0:
        nothing = f"{TITLES[layer]}: the key has no {NOUNS[layer][1]} it is sure of here, so there is nothing to count."
        messages.append(("found", f"{nothing} Compare yours with a classmate's."))
    elif done.found >= done.total:
        messages.append(("found", _all_found(layer, done.total)))
    else:
        messages.append(("found", _found(layer, done.found, done.total)))
        if done.found:
            messages.append(("praise", _praise(done)))
    if done.debatable:
        them = "a good one" if done.debatable == 1 else "good ones"
        also = "agree with the key on" if layer == "perspective" else "found"
        messages.append(("debatable", f"You also {also} {done.debatable} of the debatable ones: {them} to discuss."))
    if done.unsure:
        them = "it" if done.unsure == 1 else "them"
        messages.append(("unsure", f"You marked {done.unsure} as unsure: talk {them} over with a classmate."))
    if not tagged:
        return messages
    missed = _firm(result.missed, layer)
    if layer in SPAN_LAYERS:
        messages += [("hint", hint) for hint in _hints(missed, layer, article)]
        messages += _relabel_hint(result, layer, article, key)
        messages += _extra_hint(result, layer)
        if layer == "claim" and result.attribution_accuracy is not None and result.attribution_accuracy < 1:
            messages.append(("attribution", _ATTRIBUTION.format(share=f"{result.attribution_accuracy:.0%}")))
    else:
        messages += [("hint", hint) for hint in _stance_hints(missed, key, article)]
        if result.stance_accuracy is not None and result.stance_accuracy < 1:
            messages.append(("stance", _STANCE))
    return messages


_ATTRIBUTION = (
    "Who says it: {share} of your claims name the same speaker as the key. For each claim, look for the reporting "
    "words (said, told, according to) and who stands next to them."
)
_STANCE = (
    "Some of your stances differ from the key's. Re-read each actor's own words: do they want the change, reject "
    "it, or a bit of both?"
)


def _found(layer: str, found: int, total: int) -> str:
    one, many = NOUNS[layer]
    if layer == "perspective":
        if total == 1:
            return "Stances: the key's one clear stance does not match yours yet."
        return f"Stances: {found} of the {total} {many} in the key match yours."
    return f"{TITLES[layer]}: you found {found} of the {total} {many if total != 1 else one} in the key."


def _all_found(layer: str, total: int) -> str:
    one, many = NOUNS[layer]
    if layer == "perspective":
        every = "the one stance" if total == 1 else f"all {total} stances"
        return f"Stances: {every} in the key match yours. Well argued!"
    every = f"the one {one}" if total == 1 else f"all {total} {many}"
    return f"{TITLES[layer]}: you found {every} in the key. Excellent work."


def _praise(done: Progress) -> str:
    share = done.share or 0.0
    text = next(words for threshold, words in PRAISE if share >= threshold)
    return text.format(left=done.total - done.found)


def _firm(frame: pd.DataFrame, layer: str) -> pd.DataFrame:
    """A layer's rows of a key frame that are not debatable: the only ones a hint may point at."""
    rows = frame[frame["layer"] == layer]
    return rows[~_debatable(rows)]


def _debatable(frame: pd.DataFrame) -> pd.Series:
    if "debatable" not in frame.columns:
        return frame["layer"].map(lambda _: False).astype(bool)
    return frame["debatable"].fillna(False).astype(bool)


def _paragraphs_of(article: Article, frame: pd.DataFrame) -> list[int]:
    from .article import paragraph_at

    paragraphs: list[int] = paragraph_at(article, frame["start"].astype("int64").to_numpy()).tolist()
    return paragraphs


def _numbers(paragraphs: list[int]) -> str:
    """``"paragraph 4"``, ``"paragraphs 4 and 9"``, ``"paragraphs 2, 4 and 9"``."""
    names = [str(p) for p in sorted(set(paragraphs))]
    if len(names) == 1:
        return f"paragraph {names[0]}"
    return f"paragraphs {', '.join(names[:-1])} and {names[-1]}"


def _hints(missed: pd.DataFrame, layer: str, article: Article | None) -> list[str]:
    """Where to look for the firm items missed: by paragraph number, with the kind of thing (never its words)."""
    if missed.empty:
        return []
    one, many = NOUNS[layer]
    if article is None:
        kinds = Counter(KINDS.get(str(label), "a claim") for label in missed["label"])
        return [f"Look again for {count} more: {kind}." for kind, count in kinds.most_common(HINT_PARAGRAPHS)]
    where = _paragraphs_of(article, missed)
    counts = Counter(where)
    chosen = sorted(sorted(counts, key=lambda p: (-counts[p], p))[:HINT_PARAGRAPHS])
    hints = []
    labels = missed["label"].astype(str).tolist()
    for paragraph in chosen:
        count = counts[paragraph]
        to_find = f"there is one more {one}" if count == 1 else f"there are {count} more {many}"
        kind = ""
        if layer == "actor":
            common = Counter(label for label, p in zip(labels, where, strict=True) if p == paragraph).most_common(1)
            name = KINDS.get(common[0][0])
            kind = "" if name is None else f" ({name})" if count == 1 else f" (for example {name})"
        hints.append(f"Re-read paragraph {paragraph}: {to_find} to find there{kind}.")
    rest = sum(count for paragraph, count in counts.items() if paragraph not in chosen)
    if rest:
        more = f"one more {one}" if rest == 1 else f"{rest} more {many}"
        hints.append(f"And {more} to find in other paragraphs.")
    return hints


def _relabel_hint(
    result: Score, layer: str, article: Article | None, key: pd.DataFrame | None
) -> list[tuple[str, str]]:
    """Firm key items whose words the student tagged with another label: check the label (never say which)."""
    if key is None:
        return []
    # The key's firm items neither found nor missed: their words were tagged, with another label.
    seen = set(result.found["annotation_id"].astype(str)) | set(result.missed["annotation_id"].astype(str))
    firm = _firm(key, layer)
    other = firm[~firm["annotation_id"].astype(str).isin(seen) & firm["start"].notna()]
    if other.empty:
        return []
    noun = "tag" if layer == "actor" else "claim"
    count = len(other)
    tags = f"One of your {noun}s is" if count == 1 else f"{count} of your {noun}s are"
    where = f" ({_numbers(_paragraphs_of(article, other))})" if article is not None else ""
    its = "its label" if count == 1 else "their labels"
    return [("label", f"{tags} on the key's words but with another label{where}: check {its}.")]


def _extra_hint(result: Score, layer: str) -> list[tuple[str, str]]:
    extra = result.extra[result.extra["layer"] == layer]
    if extra.empty:
        return []
    noun = "tag" if layer == "actor" else "claim"
    tags = f"One of your {noun}s shares" if len(extra) == 1 else f"{len(extra)} of your {noun}s share"
    return [
        (
            "extra",
            f"{tags} no words with the key. Some may be good finds the key leaves out: be ready to say why you chose "
            "them.",
        )
    ]


def _stance_hints(missed: pd.DataFrame, key: pd.DataFrame | None, article: Article | None) -> list[str]:
    """The firm stances not given yet: in which paragraphs their actors appear (never who they are)."""
    if missed.empty:
        return []
    count = len(missed)
    who = "one actor" if count == 1 else f"{count} actors"
    if key is None or article is None:
        return [f"The key gives a clear stance to {who} you have not given a stance yet."]
    actors = key[(key["layer"] == "actor") & _named(key["entity"], missed["entity"]) & key["start"].notna()]
    if actors.empty:
        return [f"The key gives a clear stance to {who} you have not given a stance yet."]
    first = actors.sort_values("start").drop_duplicates("entity")
    return [
        f"The key gives a clear stance to {who} you have not given a stance yet: look at who speaks in "
        f"{_numbers(_paragraphs_of(article, first))}."
    ]
