"""Fill a course notebook's tagging tools from the answer key, through the tools' own Python API.

This runs only inside a kernel that a test drives (``course_harness.NotebookRun.fill``), never in a student's
notebook: a student's kernel cannot even import it. Filling goes through ``tool.select`` / ``board.set``, exactly
as a student's mouse and keyboard do, so a broken widget, key or scoring makes the course tests fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

import annotkit
from annotkit.article import paragraph_at
from annotkit.records import JOURNALIST
from annotkit.widgets import ActorTagger, ClaimTagger, PerspectiveBoard


def firm(key: pd.DataFrame) -> pd.DataFrame:
    """The key's items that are not debatable."""
    return key[~key["debatable"].fillna(False).astype(bool)]


def in_paragraphs(key: pd.DataFrame, article: Any, wanted: Iterable[int]) -> pd.DataFrame:
    """The key's span items that start in these paragraphs; perspectives (no span) are kept."""
    spans = key["start"].notna().to_numpy()
    para = np.full(len(key), -1)
    para[spans] = paragraph_at(article, key.loc[spans, "start"].astype("int64"))
    return key[~spans | np.isin(para, sorted(set(wanted)))]


def autofill(
    tool: Any,
    *,
    paragraphs: Iterable[int] | None = None,
    include_debatable: bool = False,
) -> int:
    """Fill a tagging tool from the bundled key; return how many items were added (items already there are skipped).

    Claims need their speakers tagged as actors: those are added first, straight in the store.
    """
    article = tool.article
    key = annotkit.answer_key(article)
    chosen = key if include_debatable else firm(key)
    if paragraphs is not None:
        chosen = in_paragraphs(chosen, article, paragraphs)
    if isinstance(tool, PerspectiveBoard):
        return _fill_perspectives(tool, chosen)
    if isinstance(tool, ClaimTagger):
        _ensure_speakers(tool, chosen, key)
        return _fill_spans(tool, chosen[chosen["layer"] == "claim"], ("said_by", "form", "claim_type", "checkable"))
    if isinstance(tool, ActorTagger):
        return _fill_spans(tool, chosen[chosen["layer"] == "actor"], ("entity", "affiliation", "identification"))
    msg = f"autofill fills an ActorTagger, a ClaimTagger or a PerspectiveBoard, not a {type(tool).__name__}."
    raise TypeError(msg)


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
