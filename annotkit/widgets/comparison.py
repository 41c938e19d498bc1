"""Me, the key and my classmates side by side: one row per place in the text (or per actor, for stances).

Every row has its paragraph number and a verdict. Classmates are found by name in a class's work, and a name
that is not there gets a message with the names there are (and the closest one), never an empty column. Every
text (the article's words, names, rationales) is escaped; cells wrap, so nothing is ever cut off.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..errors import AnnotationError
from ..scheme import Scheme, load_scheme
from .tagger import require_article

if TYPE_CHECKING:
    import pandas as pd
    from IPython.display import HTML

    from ..article import Article

__all__ = ["compare_html", "find_classmates", "show_comparison"]

VERDICTS = {
    "agree": "✓ agree",
    "boundary": "≈ same label, different words",
    "label": "✗ labels differ",
    "stance": "✗ stances differ",
    "missing": "○ missing for some",
}
#: At most this many names are listed when a classmate's name is not found.
LISTED_NAMES = 40
_CELL = (
    "text-align: left; vertical-align: top; padding: 0.25rem 0.6rem; line-height: 1.5; white-space: normal; "
    "overflow-wrap: break-word;"
)
_NOTE = "margin: 0.3rem 0; padding: 0.3rem 0.6rem; border-left: 4px solid #e69f00;"


def compare_html(
    article: Article,
    sources: Mapping[str, pd.DataFrame],
    *,
    layer: str = "actor",
    paragraphs: Iterable[int] | None = None,
    class_work: pd.DataFrame | None = None,
    classmates: str | Iterable[str] = (),
    scheme: Scheme | None = None,
) -> str:
    """A table comparing tags from several sources (e.g. ``{"me": ..., "key": ...}``), as HTML.

    For actors and claims, tags that are the same (sharing at least half their words: :mod:`annotkit.overlap`, as
    in Check my work) are one row, with the paragraph they are in and a verdict: everyone agrees, the words differ
    (boundaries), the labels differ, or someone has no tag there. For perspectives,
    each actor (matched by name, ignoring case) is a row: stance, frame and rationale side by side.

    Parameters
    ----------
    article
        The article.
    sources
        Annotation frames by the name of their column.
    layer
        ``"actor"``, ``"claim"`` or ``"perspective"``.
    paragraphs
        Only these paragraphs (``article.paragraphs.para_id``); default the whole article.
    class_work, classmates
        A class's annotations (column ``annotator``) and the names of classmates to add as columns. A name that
        is not in the class gives a message with the names there are, instead of an empty column.
    scheme
        The scheme that names the labels (default: the course's).

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = annotkit.load_key(article)
    >>> mine = key[key.layer == "actor"].head(3)
    >>> page = compare_html(article, {"me": mine, "key": key.head(4)})
    >>> page.count('data-verdict="agree"'), page.count('data-verdict="missing"')
    (3, 1)
    """
    article = require_article(article, "compare_html")
    scheme = scheme or load_scheme()
    notes: list[str] = []
    columns = dict(sources)
    if isinstance(classmates, str):
        classmates = [classmates]
    found, problems = find_classmates(class_work, classmates)
    columns.update(found)
    notes += problems
    if paragraphs is not None:
        from ..feedback import within_paragraphs

        paragraphs = list(paragraphs)
        columns = {name: within_paragraphs(frame, article, paragraphs) for name, frame in columns.items()}
    for name, frame in columns.items():
        if not (frame["layer"] == layer).any():
            where = "here" if paragraphs is not None else "in this article"
            notes.append(f"{name} has no {_NOUNS.get(layer, layer)} {where}.")
    if layer == "perspective":
        table = _perspective_table(columns, scheme)
    else:
        table = _span_table(article, columns, layer, scheme)
    return "".join(f'<p class="annotkit-note" role="note" style="{_NOTE}">{html.escape(n)}</p>' for n in notes) + table


_NOUNS = {"actor": "actor tags", "claim": "claims", "perspective": "stances"}


def show_comparison(article: Article, sources: Mapping[str, pd.DataFrame], **options: Any) -> HTML:
    """:func:`compare_html` for display in a notebook."""
    from IPython.display import HTML

    return HTML(compare_html(article, sources, **options))


def find_classmates(class_work: pd.DataFrame | None, names: Iterable[str]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Each classmate's work by name, and a message for each name that is not in the class.

    Names are matched ignoring case and spaces around them, against ``annotator`` (and ``student_name``, when
    the frame has one).

    >>> from annotkit.records import annotations_frame
    >>> work = annotations_frame([{"annotator": "Jamal", "layer": "actor"}, {"annotator": "Ana", "layer": "actor"}])
    >>> found, problems = find_classmates(work, ["jamal ", "Jamall"])
    >>> list(found), problems
    (['Jamal'], ["There is no classmate called 'Jamall'. The names are: Ana, Jamal. Did you mean 'Jamal'?"])
    """
    names = list(names)
    if not names:
        return {}, []
    if class_work is None:
        msg = "To add classmates by name, give the class's work too: class_work=... (from annotkit.read_submissions)."
        raise AnnotationError(msg)
    columns = [c for c in ("annotator", "student_name") if c in class_work.columns]
    known: dict[str, str] = {}
    for column in columns:
        for value in class_work[column].dropna().unique().tolist():
            known.setdefault(str(value).strip().casefold(), str(value))
    everyone = sorted(set(known.values()), key=str.casefold)
    found: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    for name in names:
        match = known.get(str(name).strip().casefold())
        if match is None:
            problems.append(_no_classmate(str(name), everyone))
            continue
        rows = class_work[columns[0]].astype("string") == match
        if len(columns) > 1:
            rows |= class_work[columns[1]].astype("string") == match
        found[match] = class_work[rows.fillna(False).astype(bool)]
    return found, problems


def _no_classmate(name: str, everyone: list[str]) -> str:
    if not everyone:
        return f"There is no classmate called {name!r}: the class's work is empty."
    listed = ", ".join(everyone[:LISTED_NAMES])
    if len(everyone) > LISTED_NAMES:
        listed += f" and {len(everyone) - LISTED_NAMES} more"
    closest = difflib.get_close_matches(name.strip().casefold(), [n.casefold() for n in everyone], n=1, cutoff=0.6)
    suggestion = ""
    if closest:
        suggestion = " Did you mean " + repr(next(n for n in everyone if n.casefold() == closest[0])) + "?"
    return f"There is no classmate called {name!r}. The names are: {listed}.{suggestion}"


# --- actors and claims: a row per place in the text ------------------------------------------------------


def _span_table(article: Article, columns: Mapping[str, pd.DataFrame], layer: str, scheme: Scheme) -> str:
    from ..article import paragraph_at
    from .views import colours_of

    colours = colours_of(scheme, layer)
    rows = _clusters(columns, layer)
    where = paragraph_at(article, [row["spans"][0][0] for row in rows]).tolist() if rows else []
    names = list(columns)
    body = []
    for row, paragraph in zip(rows, where, strict=True):
        cells = []
        for name in names:
            tags = row["by"].get(name, [])
            if not tags:
                cells.append(f'<td style="{_CELL}">—</td>')
                continue
            shown = "; ".join(_tag(colours, label, text) for label, text in tags)
            cells.append(f'<td style="{_CELL}">{shown}</td>')
        verdict = row["verdict"]
        body.append(
            f'<tr data-verdict="{verdict}" data-paragraph="{paragraph}"><td style="{_CELL}">{paragraph}</td>'
            f'<td style="{_CELL}">{VERDICTS[verdict]}</td>{"".join(cells)}</tr>'
        )
    return _table(["¶", "verdict", *names], body)


def _tag(colours: Mapping[str, tuple[str, str, str]], label: str, text: str) -> str:
    name, solid, _ = colours.get(label, (label, "#999999", ""))
    return f'<span style="border-bottom: 3px solid {solid};">{html.escape(name)}</span>: “{html.escape(text)}”'


def _table(head: list[str], body: list[str]) -> str:
    header = "".join(f'<th style="{_CELL} border-bottom: 2px solid #888;">{html.escape(h)}</th>' for h in head)
    return (
        '<table class="annotkit-compare" style="border-collapse: collapse; table-layout: auto; margin: 0.4rem 0;">'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _clusters(sources: Mapping[str, pd.DataFrame], layer: str) -> list[dict[str, Any]]:
    """Group the tags of all sources that are the same place, in text order, and give each group a verdict.

    Two tags are the same when :func:`annotkit.overlap.overlaps` says so, as for Check my work and scoring.
    """
    from ..overlap import overlaps

    spans = []
    for name, frame in sources.items():
        rows = frame[(frame["layer"] == layer) & frame["start"].notna()]
        spans += [
            (int(s), int(e), name, str(lab), str(t))
            for s, e, lab, t in zip(rows["start"], rows["end"], rows["label"], rows["text"], strict=True)
        ]
    spans.sort()
    group_of = list(range(len(spans)))  # union-find: each span points towards its group's first span

    def root(i: int) -> int:
        while group_of[i] != i:
            group_of[i] = group_of[group_of[i]]
            i = group_of[i]
        return i

    for i, (start, stop, _, _, text) in enumerate(spans):
        for j in range(i + 1, len(spans)):
            other_start, other_stop, _, _, other_text = spans[j]
            if other_start >= stop:
                break  # sorted by start: no later span shares a word with this one
            if overlaps(start, stop, text, other_start, other_stop, other_text):
                group_of[root(j)] = root(i)
    groups: dict[int, dict[str, Any]] = {}
    for i, (start, stop, name, label, text) in enumerate(spans):
        group = groups.setdefault(root(i), {"by": {}, "spans": []})
        group["by"].setdefault(name, []).append((label, text))
        group["spans"].append((start, stop, label))
    ordered = [groups[r] for r in sorted(groups)]
    for group in ordered:
        group["verdict"] = _verdict(group, len(sources))
    return ordered


def _verdict(group: dict[str, Any], sources: int) -> str:
    if len(group["by"]) < sources:
        return "missing"
    if len({label for _, _, label in group["spans"]}) > 1:
        return "label"
    if len({(s, e) for s, e, _ in group["spans"]}) > 1:
        return "boundary"
    return "agree"


# --- perspectives: a row per actor ---------------------------------------------------------------------


def _perspective_table(columns: Mapping[str, pd.DataFrame], scheme: Scheme) -> str:
    layer = scheme.layer("perspective")
    # Looked up by a frame's cells (any value, None when empty).
    stance_names: dict[Any, str] = {c.id: c.name for c in layer.attribute("stance").choices}
    frame_names: dict[Any, str] = {c.id: c.name for c in layer.attribute("frame").choices}
    actors: dict[str, dict[str, dict[str, Any]]] = {}
    shown: dict[str, str] = {}
    for name, frame in columns.items():
        rows = frame[frame["layer"] == "perspective"]
        for row in rows.astype(object).where(rows.notna(), None).to_dict("records"):
            entity = str(row.get("entity") or "").strip()
            if entity:
                shown.setdefault(entity.casefold(), entity)
                actors.setdefault(entity.casefold(), {})[name] = row
    names = list(columns)
    body = []
    for key in sorted(actors, key=lambda k: shown[k].casefold()):
        by = actors[key]
        stances = {by[n].get("stance") for n in by}
        verdict = "missing" if len(by) < len(names) else "stance" if len(stances) > 1 else "agree"
        cells = []
        for name in names:
            row = by.get(name)
            if row is None:
                cells.append(f'<td style="{_CELL}">—</td>')
                continue
            stance = stance_names.get(row.get("stance"), row.get("stance") or "(no stance)")
            frame_of = frame_names.get(row.get("frame"), row.get("frame"))
            text = html.escape(str(stance)) + (f" · {html.escape(str(frame_of))}" if frame_of else "")
            rationale = row.get("rationale")
            if rationale:
                text += f'<br><small style="color: #666;">{html.escape(str(rationale))}</small>'
            cells.append(f'<td style="{_CELL}">{text}</td>')
        body.append(
            f'<tr data-verdict="{verdict}"><td style="{_CELL}">{html.escape(shown[key])}</td>'
            f'<td style="{_CELL}">{VERDICTS[verdict]}</td>{"".join(cells)}</tr>'
        )
    return _table(["actor", "verdict", *names], body)
