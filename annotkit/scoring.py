"""A student's annotations against the answer key: figures for the teacher, kind words for the student.

Spans match *exactly* (same start and end) or by *overlap* (token Jaccard >= 0.5), always within the same layer
and label, one to one. Entities are compared through the spans they were given to: a student who called Biden
"Biden" and the key's "Joe Biden" agree if their mentions sit on the same words. Key items marked ``debatable``
are scored leniently: finding one counts, missing one or disagreeing on it does not count against the student.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .records import JOURNALIST, SPAN_LAYERS
from .text import token_spans

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article

__all__ = ["OVERLAP_THRESHOLD", "Score", "feedback", "score", "score_class"]

OVERLAP_THRESHOLD = 0.5


@lru_cache(maxsize=65536)  # a class tags the same spans again and again ("President Joe Biden")
def _tokens(start: int, end: int, text: str) -> frozenset[tuple[int, int]]:
    return frozenset((start + s, start + e) for s, e in token_spans(text))


@lru_cache(maxsize=262144)  # the same pairs of spans come up for student after student
def _overlap(a_start: int, a_end: int, a_text: str, b_start: int, b_end: int, b_text: str) -> float:
    return _jaccard(_tokens(a_start, a_end, a_text), _tokens(b_start, b_end, b_text))


def _jaccard(a: frozenset[Any], b: frozenset[Any]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _is_true(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


_USED_COLUMNS = (
    "annotation_id", "annotator", "layer", "label", "start", "end", "text", "status", "entity", "said_by", "stance",
    "debatable",
)  # fmt: skip


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts (``<NA>`` as None), orphaned annotations left out: they point at no text."""
    names = [c for c in _USED_COLUMNS if c in frame.columns]
    values = [frame[c].to_numpy(dtype=object, na_value=None).tolist() for c in names]
    rows = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
    rows = [r for r in rows if r.get("status") != "orphaned"]
    for row in rows:
        row["debatable"] = _is_true(row.get("debatable"))
        if row.get("start") is not None:
            row["start"], row["end"] = int(row["start"]), int(row["end"])
    return rows


def _layer(rows: list[dict[str, Any]], layer: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["layer"] == layer]


class _Spans:
    """One layer's span rows with the arrays and lookups matching needs, built once and reused."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        import numpy as np

        self.rows = rows
        self.start = np.array([r["start"] for r in rows], dtype="int64")
        self.end = np.array([r["end"] for r in rows], dtype="int64")
        self.label = np.array([r["label"] for r in rows], dtype=object)
        self.where: dict[tuple[Any, ...], int] = {}
        for j, r in enumerate(rows):
            self.where.setdefault((r["start"], r["end"], r["label"]), j)
        self.by_label: dict[str, list[int]] = {}
        for j, r in enumerate(rows):
            self.by_label.setdefault(r["label"], []).append(j)


def _match(student: _Spans, key: _Spans, *, exact: bool, same_label: bool = True) -> list[tuple[int, int]]:
    """One-to-one pairs ``(student index, key index)`` of spans (with the same label), best overlap first."""
    if not student.rows or not key.rows:
        return []
    if exact:
        pairs: list[tuple[int, int]] = []
        taken: set[int] = set()
        for i, s in enumerate(student.rows):
            j = key.where.get((s["start"], s["end"], s["label"]))
            if j is not None and j not in taken:
                pairs.append((i, j))
                taken.add(j)
        return pairs
    import numpy as np

    # Only spans that share characters can share tokens: filter all pairs at once, before any set arithmetic.
    share = (key.start < student.end[:, None]) & (key.end > student.start[:, None])
    if same_label:
        share &= student.label[:, None] == key.label
    candidates = []
    rows_i, rows_j = np.nonzero(share)
    for i, j in zip(rows_i.tolist(), rows_j.tolist(), strict=True):
        s, k = student.rows[i], key.rows[j]
        overlap = _overlap(s["start"], s["end"], s["text"], k["start"], k["end"], k["text"])
        if overlap >= OVERLAP_THRESHOLD:
            candidates.append((overlap, i, j))
    pairs_list, used_s, used_k = [], set(), set()
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_s and j not in used_k:
            pairs_list.append((i, j))
            used_s.add(i)
            used_k.add(j)
    return pairs_list


def _entity_map(student: _Spans, key: _Spans, shared: list[tuple[int, int]]) -> dict[str, str]:
    """Which key entity each student entity stands for, by the actor mentions they share (most shared wins).

    ``shared`` is the matching of the two actor layers regardless of label: the words, whatever the label.
    """
    votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for i, j in shared:
        votes[str(student.rows[i]["entity"])][str(key.rows[j]["entity"])] += 1
    for s in student.rows:  # a mention whose span the key does not share still matches by name
        votes[str(s["entity"])]  # a defaultdict: looking the name up creates its entry
    mapping = {}
    key_names = {str(k["entity"]).casefold(): str(k["entity"]) for k in key.rows}
    for name, counter in votes.items():
        mapping[name] = counter.most_common(1)[0][0] if counter else key_names.get(name.casefold(), name)
    return mapping


@dataclass(frozen=True)
class Score:
    """A student's work against the key.

    Attributes
    ----------
    table
        One row per layer, label and matching (``exact`` or ``overlap``): ``layer, label, matching, n_key,
        n_student, matched, precision, recall, f1``; label ``(all)`` sums a layer. Missed debatable key items
        are left out of ``n_key``.
    attribution_accuracy
        Of the claims the student found (overlap), the share credited to the key's speaker (None if none found).
    stance_accuracy
        Of the actors both gave a perspective for, the share with the key's stance (None if none).
    missed
        The key's annotations the student did not find (overlap, any label), for feedback.
    """

    table: pd.DataFrame
    attribution_accuracy: float | None
    stance_accuracy: float | None
    missed: pd.DataFrame


def score(student: pd.DataFrame, key: pd.DataFrame) -> Score:
    """Score a student's annotations against an answer key (both annotation frames, for one article).

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = annotkit.answer_key(article)
    >>> result = score(key, key)
    >>> result.table.query("label == '(all)' and matching == 'exact'").f1.tolist()
    [1.0, 1.0]
    """
    import pandas as pd

    rows, missed_ids, attribution, stance = _score_rows(_prepare(_records(student)), _prepare(_records(key)))
    table = pd.DataFrame(rows, columns=_TABLE_COLUMNS)
    return Score(
        table=table,
        attribution_accuracy=attribution,
        stance_accuracy=stance,
        missed=key[key["annotation_id"].astype(str).isin(missed_ids)].reset_index(drop=True),
    )


_TABLE_COLUMNS = ["layer", "label", "matching", "n_key", "n_student", "matched", "precision", "recall", "f1"]


def _figures(
    layer: str, label: str, matching: str, n_key: int, debatable: list[int], n_student: int, found: set[int]
) -> tuple:
    """One row of the score table; ``debatable`` holds the key items (of ``n_key``) a miss is excused for."""
    excused = sum(1 for j in debatable if j not in found)
    n_key, matched = n_key - excused, len(found)
    precision = matched / n_student if n_student else None
    recall = matched / n_key if n_key else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return (layer, label, matching, n_key, n_student, matched, precision, recall, f1)


def _prepare(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Split rows by layer, with span layers ready for matching."""
    return {
        "actor": _Spans(_layer(rows, "actor")),
        "claim": _Spans(_layer(rows, "claim")),
        "perspective": _layer(rows, "perspective"),
    }


def _score_rows(
    student: dict[str, Any], key: dict[str, Any]
) -> tuple[list[tuple], list[str], float | None, float | None]:
    """The score table's rows, the missed key ids, attribution and stance accuracy, from prepared rows."""
    rows: list[tuple] = []
    missed_ids: list[str] = []
    shared_words: dict[str, list[tuple[int, int]]] = {}
    for layer in SPAN_LAYERS:
        s_spans, k_spans = student[layer], key[layer]
        s_labels = Counter(r["label"] for r in s_spans.rows)
        labels = sorted(set(s_labels) | set(k_spans.by_label))
        for matching in ("exact", "overlap"):
            # Matching never crosses labels, so one matching over the layer gives every label's matches.
            all_found = {j for _, j in _match(s_spans, k_spans, exact=matching == "exact")}
            for label in labels:
                k_index = k_spans.by_label.get(label, [])
                found = {j for j in k_index if j in all_found}
                debatable = [j for j in k_index if k_spans.rows[j]["debatable"]]
                rows.append(_figures(layer, label, matching, len(k_index), debatable, s_labels.get(label, 0), found))
            debatable = [j for j, r in enumerate(k_spans.rows) if r["debatable"]]
            rows.append(_figures(layer, "(all)", matching, len(k_spans.rows), debatable, len(s_spans.rows), all_found))
        # Missed regardless of label: the student may have found the words and chosen another label.
        shared_words[layer] = _match(s_spans, k_spans, exact=False, same_label=False)
        found_any = {j for _, j in shared_words[layer]}
        missed_ids += [str(r["annotation_id"]) for j, r in enumerate(k_spans.rows) if j not in found_any]
    entity_of = _entity_map(student["actor"], key["actor"], shared_words["actor"])
    return rows, missed_ids, _attribution(student, key, entity_of), _stance(student, key, entity_of)


def score_class(annotations: pd.DataFrame, key: pd.DataFrame) -> pd.DataFrame:
    """Score every annotator in a class's annotations at once: one row per annotator.

    Columns: ``annotator``, then ``<layer>_f1_exact`` and ``<layer>_f1_overlap`` for actors and claims,
    ``attribution_accuracy`` and ``stance_accuracy``.

    >>> import annotkit
    >>> key = annotkit.answer_key(annotkit.load_bundled_article())
    >>> score_class(key, key).to_dict("records")[0]  # doctest: +NORMALIZE_WHITESPACE
    {'annotator': 'key', 'actor_f1_exact': 1.0, 'actor_f1_overlap': 1.0, 'claim_f1_exact': 1.0,
     'claim_f1_overlap': 1.0, 'attribution_accuracy': 1.0, 'stance_accuracy': 1.0}
    """
    import pandas as pd

    key_rows = _prepare(_records(key))
    by_annotator: dict[str, list[dict[str, Any]]] = {}
    for row in _records(annotations):
        by_annotator.setdefault(str(row["annotator"]), []).append(row)
    results = []
    for annotator in sorted(by_annotator):
        rows, _, attribution, stance = _score_rows(_prepare(by_annotator[annotator]), key_rows)
        totals = {(r[0], r[2]): float(r[8]) for r in rows if r[1] == "(all)"}
        results.append(
            (
                annotator,
                *(totals.get((layer, matching), 0.0) for layer in SPAN_LAYERS for matching in ("exact", "overlap")),
                attribution,
                stance,
            )
        )
    columns = ["annotator", *(f"{layer}_f1_{m}" for layer in SPAN_LAYERS for m in ("exact", "overlap"))]
    return pd.DataFrame(results, columns=[*columns, "attribution_accuracy", "stance_accuracy"])


def _agreement_share(pairs: list[tuple[dict[str, Any], dict[str, Any], bool]]) -> float | None:
    """Share of pairs that agree; a disagreement on a debatable key item is not counted."""
    counted = [agree for _, k, agree in pairs if agree or not k["debatable"]]
    return sum(counted) / len(counted) if counted else None


def _attribution(student: dict[str, Any], key: dict[str, Any], entity_of: dict[str, str]) -> float | None:
    s, k = student["claim"], key["claim"]
    pairs = []
    for i, j in _match(s, k, exact=False):
        said = str(s.rows[i].get("said_by"))
        said = said if said == JOURNALIST else entity_of.get(said, said)
        pairs.append((s.rows[i], k.rows[j], said.casefold() == str(k.rows[j].get("said_by")).casefold()))
    return _agreement_share(pairs)


def _stance(student: dict[str, Any], key: dict[str, Any], entity_of: dict[str, str]) -> float | None:
    by_entity = {str(k["entity"]).casefold(): k for k in key["perspective"]}
    pairs = []
    for s in student["perspective"]:
        entity = entity_of.get(str(s["entity"]), str(s["entity"])).casefold()
        if entity in by_entity:
            k = by_entity[entity]
            pairs.append((s, k, s.get("stance") == k.get("stance")))
    return _agreement_share(pairs)


_NAMES = {
    "official": "an official",
    "government_body": "a government body",
    "military_or_security": "a military or security force",
    "armed_non_state_group": "an armed group",
    "international_organization": "an international organization",
    "expert_or_think_tank": "an expert",
    "media": "a news organization",
    "public_or_civil_society": "a group of citizens",
    "claim": "a claim",
}


def feedback(student: pd.DataFrame, key: pd.DataFrame, *, article: Article | None = None) -> pd.DataFrame:
    """Kind, specific feedback for a student: what they found, what they missed and where to look.

    It never shows the key's answers: it gives counts, the kind of thing missed and the paragraph to re-read.

    Returns
    -------
    DataFrame
        One row per message: ``layer, kind, message`` (kind: found, missed, hint, attribution, stance).

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = annotkit.answer_key(article)
    >>> feedback(key, key, article=article).message.iloc[0]
    'Actors: you found all ...'
    """
    import pandas as pd

    result = score(student, key)
    messages: list[tuple[str, str, str]] = []
    overall = result.table[(result.table["label"] == "(all)") & (result.table["matching"] == "overlap")]
    for row in overall.itertuples():
        noun = "actor mentions" if row.layer == "actor" else "claims"
        title = row.layer.capitalize() + "s"
        if row.n_key == 0:
            continue
        if row.matched >= row.n_key:
            messages.append(
                (row.layer, "found", f"{title}: you found all {row.n_key} {noun} in the key. Excellent work.")
            )
            continue
        messages.append((row.layer, "found", f"{title}: you found {row.matched} of the {row.n_key} {noun} in the key."))
        missed = result.missed[result.missed["layer"] == row.layer]
        for hint in _hints(missed, article):
            messages.append((row.layer, "hint", hint))
    if result.attribution_accuracy is not None and result.attribution_accuracy < 1:
        share = f"{result.attribution_accuracy:.0%}"
        messages.append(
            ("claim", "attribution", f"Who says it: {share} of your claims name the same speaker as the key. "
             "For each claim, look for the reporting words (said, told, according to) and who stands next to them.")
        )  # fmt: skip
    if result.stance_accuracy is not None and result.stance_accuracy < 1:
        messages.append(
            ("perspective", "stance", f"Stances: {result.stance_accuracy:.0%} of yours match the key. Re-read each "
             "actor's own words: do they want the change, reject it, or a bit of both?")
        )  # fmt: skip
    return pd.DataFrame(messages, columns=["layer", "kind", "message"])


def _hints(missed: pd.DataFrame, article: Article | None) -> list[str]:
    """Where to look for what was missed, by paragraph and by kind, without giving the answer away."""
    if missed.empty:
        return []
    if article is None:
        kinds = Counter(_NAMES.get(str(label), str(label)) for label in missed["label"])
        return [f"Look again for {count} more: {kind}." for kind, count in kinds.most_common(3)]
    import numpy as np

    starts = article.paragraphs["start"].to_numpy()
    paragraph = np.searchsorted(starts, missed["start"].astype("int64").to_numpy(), side="right") - 1
    hints = []
    for para_id, count in Counter(paragraph.tolist()).most_common(3):
        labels = Counter(missed["label"][paragraph == para_id])
        kind = _NAMES.get(labels.most_common(1)[0][0], "something")
        opening = " ".join(str(article.paragraphs["text"].iloc[para_id]).split()[:6])
        more = "one more" if count == 1 else f"{count} more"
        hints.append(
            f"Re-read the paragraph that begins \u201c{opening}...\u201d: "
            f"there is {more} to find there, such as {kind}."
        )
    return hints
