"""The course's plumbing: autofill, so every notebook runs top to bottom with no human clicks.

In tests and CI (``ANNOTKIT_AUTOFILL=1``, or ``CI=true``), :func:`autofill` fills an exercise's tagging tool
from the answer key through the tool's own Python API, exactly as a student's clicks would, and the notebook
says so in a visible banner. For a student it does nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["AUTOFILL_ENV", "autofill", "autofill_banner", "autofill_on"]

AUTOFILL_ENV = "ANNOTKIT_AUTOFILL"
_YES = {"1", "true", "yes", "on"}
_NO = {"0", "false", "no", "off"}


def autofill_on(environ: Mapping[str, str] | None = None) -> bool:
    """Whether autofill is on: ``ANNOTKIT_AUTOFILL`` says so, else it is on exactly when ``CI=true``.

    >>> autofill_on({"CI": "true"}), autofill_on({"CI": "true", "ANNOTKIT_AUTOFILL": "0"}), autofill_on({})
    (True, False, False)
    """
    environ = os.environ if environ is None else environ
    setting = environ.get(AUTOFILL_ENV, "").strip().lower()
    if setting in _YES:
        return True
    if setting in _NO:
        return False
    return environ.get("CI", "").strip().lower() == "true"


def autofill_banner() -> Any:
    """A notice for the top of a notebook: shown (and returned) only when autofill is on, else None."""
    if not autofill_on():
        return None
    from IPython.display import HTML

    return HTML(
        '<div role="note" style="border: 2px solid #d55e00; border-radius: 6px; padding: 0.5rem 0.8rem;">'
        "<b>Autofill is on</b> (ANNOTKIT_AUTOFILL or CI=true): the exercises below are being filled in "
        "automatically from the answer key, to test the course. Students never see this; to tag yourself, "
        "restart the kernel with ANNOTKIT_AUTOFILL=0.</div>"
    )


def autofill(
    tool: Any,
    *,
    key: pd.DataFrame | None = None,
    paragraphs: Iterable[int] | None = None,
    include_debatable: bool = False,
) -> int:
    """Fill a tagging tool from the answer key, as a student would; return how many items were added.

    Only when :func:`autofill_on`; otherwise returns 0 and touches nothing. Items already saved are skipped, so
    running a notebook twice does not double anything. Claims need their speakers tagged as actors: those are
    added first.

    Parameters
    ----------
    tool
        An ``ActorTagger``, ``ClaimTagger`` or ``PerspectiveBoard``.
    key
        The answer key; default ``annotkit.answer_key(tool.article)``.
    paragraphs
        Only the key's items in these paragraphs (``article.paragraphs.para_id``); default all.
    include_debatable
        Also add the items the key marks as debatable.
    """
    if not autofill_on():
        return 0
    from .keys import answer_key
    from .widgets import ActorTagger, ClaimTagger, PerspectiveBoard

    article = tool.article
    key = key if key is not None else answer_key(article)
    if not include_debatable:
        key = key[~key["debatable"].fillna(False).astype(bool)]
    if paragraphs is not None:
        key = _in_paragraphs(key, article, set(paragraphs))
    if isinstance(tool, PerspectiveBoard):
        return _fill_perspectives(tool, key)
    if isinstance(tool, ClaimTagger):
        _ensure_speakers(tool, key, answer_key(article))
        return _fill_spans(tool, key[key["layer"] == "claim"], ("said_by", "form", "claim_type", "checkable"))
    if isinstance(tool, ActorTagger):
        return _fill_spans(tool, key[key["layer"] == "actor"], ("entity", "affiliation", "identification"))
    msg = f"autofill fills an ActorTagger, a ClaimTagger or a PerspectiveBoard, not a {type(tool).__name__}."
    raise TypeError(msg)


def _in_paragraphs(key: pd.DataFrame, article: Any, wanted: set[int]) -> pd.DataFrame:
    import numpy as np

    from .article import paragraph_at

    spans = key["start"].notna().to_numpy()
    para = np.full(len(key), -1)
    para[spans] = paragraph_at(article, key.loc[spans, "start"].astype("int64"))
    return key[~spans | np.isin(para, sorted(wanted))]


def _values(row: dict[str, Any], names: Iterable[str]) -> dict[str, Any]:
    return {n: row[n] for n in names if isinstance(row.get(n), str) and row[n]}


def _fill_spans(tool: Any, rows: pd.DataFrame, names: tuple[str, ...]) -> int:
    done = set(zip(tool.annotations["start"], tool.annotations["end"], strict=True))
    added = 0
    for row in rows.to_dict("records"):
        if (row["start"], row["end"]) in done:
            continue
        tool.select(int(row["start"]), int(row["end"]), row["label"], **_values(row, names))
        added += 1
    return added


def _ensure_speakers(tool: Any, claims: pd.DataFrame, key: pd.DataFrame) -> None:
    """Tag, straight in the store, the key's first mention of every speaker not tagged yet."""
    from .records import JOURNALIST

    speakers = set(claims.loc[claims["layer"] == "claim", "said_by"].dropna()) - {JOURNALIST}
    missing = speakers - set(tool.store.entities(tool.article))
    actors = key[(key["layer"] == "actor") & key["entity"].isin(missing)].drop_duplicates("entity")
    for row in actors.to_dict("records"):
        tool.store.add(
            tool.article, layer="actor", label=row["label"], start=int(row["start"]), end=int(row["end"]),
            **_values(row, ("entity", "affiliation", "identification")),
        )  # fmt: skip
    tool.tagger.refresh()


def _fill_perspectives(board: Any, key: pd.DataFrame) -> int:
    tagged = set(board.store.entities(board.article))
    added = 0
    for row in key[key["layer"] == "perspective"].to_dict("records"):
        if row["entity"] not in tagged:
            continue
        board.set(row["entity"], **_values(row, ("stance", "frame", "rationale")))
        added += 1
    board.refresh()
    return added
