"""A student's annotations against the answer key: figures for the teacher, kind words for the student.

Spans match *exactly* (same start and end) or by *overlap* (token Jaccard >= 0.5, :mod:`annotkit.overlap`), always
within the same layer
and label, one to one. Entities are compared through the spans they were given to: a student who called Biden
"Biden" and the key's "Joe Biden" agree if their mentions sit on the same words. Key items marked ``debatable``
are scored leniently: finding one counts, missing one or disagreeing on it does not count against the student.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from . import overlap as _overlaps
from .errors import AnnotationError
from .records import JOURNALIST, LAYERS, SPAN_LAYERS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .article import Article

__all__ = ["OVERLAP_THRESHOLD", "Score", "feedback", "score", "score_class"]

#: Spans overlap when their token Jaccard is at least this: the one definition, :mod:`annotkit.overlap`.
OVERLAP_THRESHOLD = _overlaps.THRESHOLD


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
        overlap = _overlaps.overlap(s["start"], s["end"], s["text"], k["start"], k["end"], k["text"])
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


def on_article(annotations: pd.DataFrame, key: pd.DataFrame, article: Article | None) -> pd.DataFrame:
    """The annotations placed on the key's version of the article, saying (once) what had to be moved.

    Work handed in on another version of the article's text (a corrected text, an older annotkit's cleaning) is
    re-anchored by its words before it is scored, so a student is never marked down for the text's version.
    """
    if article is None:
        return annotations
    import warnings

    from .anchoring import onto
    from .errors import AnnotkitWarning

    keyed = set(key["article_id"].dropna()) if "article_id" in key else set()
    if keyed and keyed != {article.article_id}:
        msg = (
            f"The key is for {', '.join(sorted(keyed))}, not for the article given "
            f"({article.title or article.article_id!r}). Load the key of this article: annotkit.load_key(article)."
        )
        raise AnnotationError(msg)
    placed, moved, lost = onto(annotations, article)
    if moved or lost:
        warnings.warn(
            f"{moved + lost} annotations were made on another version of the article's text: {moved} were found "
            f"again by their words, and {lost} could not be found and are not scored.",
            AnnotkitWarning,
            stacklevel=3,
        )
    return placed


def score(student: pd.DataFrame, key: pd.DataFrame, *, article: Article | None = None) -> Score:
    """Score a student's annotations against an answer key (both annotation frames, for one article).

    Pass ``article`` (the key's article) to have work made on another version of its text placed by its words
    first (see :func:`on_article`).

    >>> import annotkit
    >>> article = annotkit.load_bundled_article()
    >>> key = annotkit.answer_key(article)
    >>> result = score(key, key)
    >>> result.table.query("label == '(all)' and matching == 'exact'").f1.tolist()
    [1.0, 1.0]
    """
    import pandas as pd

    _check_same_article(student, key)
    student = on_article(student, key, article)
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
    return (layer, label, matching, n_key, n_student, matched, *_ratios(n_key, n_student, matched))


def _ratios(n_key: int, n_student: int, matched: int) -> tuple[float | None, float | None, float]:
    """Precision, recall and F1: one formula for :func:`score` and :func:`score_class`, so they agree to the bit."""
    precision = matched / n_student if n_student else None
    recall = matched / n_key if n_key else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return precision, recall, f1


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


def _check_same_article(annotations: pd.DataFrame, key: pd.DataFrame) -> None:
    """Refuse work on another article: scored against this key it would look like nothing was found."""
    if "article_id" not in annotations or "article_id" not in key or key.empty:
        return
    expected = set(key["article_id"].dropna())
    other = annotations[annotations["article_id"].notna() & ~annotations["article_id"].isin(expected)]
    if other.empty:
        return
    who = ", ".join(sorted(map(str, other["annotator"].dropna().unique()))[:5]) or "unknown"
    msg = (
        f"{len(other)} annotations (by {who}) are for another article than the key's ({', '.join(sorted(expected))}). "
        "Score each article against its own key, e.g. annotations[annotations.article_id == article.article_id]."
    )
    raise AnnotationError(msg)


def score_class(annotations: pd.DataFrame, key: pd.DataFrame, *, article: Article | None = None) -> pd.DataFrame:
    """Score every annotator in a class's annotations at once: one row per annotator.

    Pass ``article`` (the key's article) to have work made on another version of its text placed by its words
    first (see :func:`on_article`).

    Columns: ``annotator``, then ``<layer>_f1_exact`` and ``<layer>_f1_overlap`` for actors and claims,
    ``attribution_accuracy`` and ``stance_accuracy``. The figures are those :func:`score` gives each annotator
    alone, but the class is matched against the key in one pass, with arrays: a class of 1,000 takes a fraction
    of a second.

    >>> import annotkit
    >>> key = annotkit.answer_key(annotkit.load_bundled_article())
    >>> score_class(key, key).to_dict("records")[0]  # doctest: +NORMALIZE_WHITESPACE
    {'annotator': 'key', 'actor_f1_exact': 1.0, 'actor_f1_overlap': 1.0, 'claim_f1_exact': 1.0,
     'claim_f1_overlap': 1.0, 'attribution_accuracy': 1.0, 'stance_accuracy': 1.0}
    """
    import pandas as pd

    _check_same_article(annotations, key)
    annotations = on_article(annotations, key, article)
    key_rows = _prepare(_records(key))
    work = _Class(annotations, key_rows)
    f1: dict[tuple[str, str], list[float]] = {}
    found: dict[str, _Pairs] = {}
    for layer in SPAN_LAYERS:
        spans, k_spans = work.spans[layer], key_rows[layer]
        found[layer] = _class_match(spans, k_spans, same_label=True)
        f1[layer, "exact"] = _class_f1(work, layer, k_spans, _class_exact(spans, k_spans))
        f1[layer, "overlap"] = _class_f1(work, layer, k_spans, found[layer])
    # As in score(): an entity stands for the key's whose mentions it shares, whatever label each side gave them.
    entity_of = _EntityMap(work, _class_match(work.spans["actor"], key_rows["actor"]))
    attribution = _class_attribution(work, key_rows["claim"], found["claim"], entity_of)
    stance = _class_stance(work, key_rows["perspective"], entity_of)
    results = [
        (
            annotator,
            *(float(f1[layer, matching][i]) for layer in SPAN_LAYERS for matching in ("exact", "overlap")),
            attribution[i],
            stance[i],
        )
        for i, annotator in enumerate(work.annotators)
    ]
    columns = ["annotator", *(f"{layer}_f1_{m}" for layer in SPAN_LAYERS for m in ("exact", "overlap"))]
    return pd.DataFrame(results, columns=[*columns, "attribution_accuracy", "stance_accuracy"])


def _named(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Number values by their text, as :func:`score` names them (``str(value)``, ``None`` for a missing one).

    Returns the code of each value and the names the codes stand for, in order of first appearance.
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    texts = ["None" if pd.isna(u) else str(u) for u in uniques]
    if len(set(texts)) < len(texts) or not all(isinstance(u, str) for u in uniques if not pd.isna(u)):
        # factorize takes 1 and 1.0 for one value, str() does not: name such values one by one
        values = np.array([str(v) for v in values.tolist()], dtype=object)
        codes, texts = pd.factorize(values)
    return codes.astype(np.intp), list(texts)


def _alike(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Number values by equality: for each value, the index of a value equal to it, the same for equal values.

    Fast when the values within each group (dense numbers) mostly agree, as a class's do for one span: each
    value is compared with its group's first in one pass in C, and only the values that differ go through a dict.
    """
    import numpy as np

    firsts = np.unique(groups, return_index=True)[1]
    same = values == values[firsts[groups]]
    seen: dict[Any, int] = {}
    alike = np.array([seen.setdefault(v, i) for v, i in zip(values[firsts].tolist(), firsts.tolist(), strict=True)])
    alike = alike.astype(np.intp)[groups]
    for i in np.flatnonzero(~same).tolist():
        alike[i] = seen.setdefault(values[i], i)
    return alike


def _combined(*codes: np.ndarray) -> np.ndarray:
    """One dense number for each distinct combination of codes (each code below the length of the arrays)."""
    import pandas as pd

    combined = codes[0]
    for code in codes[1:]:
        combined = pd.factorize(combined * max(len(code), 1) + code)[0]
    return combined


_CLASS_COLUMNS = ("annotator", "layer", "label", "start", "end", "text", "status", "entity", "said_by", "stance")
_BEYOND = 2**62  # larger than any (annotator, name) number


class _ClassSpans:
    """One span layer of a whole class, in frame order: within an annotator, the order :func:`score` sees.

    ``student`` numbers each span's annotator and ``name`` the entity or speaker it names. Spans are numbered
    by their start, end, text and label (``distinct``): a class tags the same few hundred spans again and again,
    so the work on a span's words is done once per distinct span, and ``start``, ``end``, ``text`` and
    ``label`` are those of the distinct spans.
    """

    def __init__(
        self,
        columns: dict[str, np.ndarray],
        rows: np.ndarray,
        student: np.ndarray,
        name: Callable[[np.ndarray, np.ndarray], np.ndarray],
        named: str,
    ) -> None:
        import numpy as np
        import pandas as pd

        self.student = student[rows]
        # An empty start fails here, as it does in score(): a span needs its offsets.
        start = np.array(columns["start"][rows], dtype="int64")
        end = np.array(columns["end"][rows], dtype="int64")
        label, text = columns["label"][rows], columns["text"][rows]
        offsets = _combined(pd.factorize(start)[0], pd.factorize(end)[0])
        self.distinct = _combined(offsets, _alike(text, offsets), _alike(label, offsets))
        first = np.unique(self.distinct, return_index=True)[1]
        self.start, self.end = start[first].tolist(), end[first].tolist()
        self.text, self.label = text[first].tolist(), label[first]
        # The entity (actors) or speaker (claims) named: one span's annotations mostly name the same one.
        self.name = name(columns[named][rows], self.distinct)


class _Class:
    """A class's annotations ready for scoring: annotators numbered in sorted order, rows split by layer.

    Entities and speakers, the class's and the key's, share one numbering (``names``), so they compare as numbers.
    """

    def __init__(self, frame: pd.DataFrame, key: dict[str, Any]) -> None:
        import numpy as np

        columns = {c: self._column(frame, c) for c in _CLASS_COLUMNS}
        keep = columns["status"] != "orphaned"  # orphaned annotations point at no text
        if not keep.all():
            columns = {c: values[keep] for c, values in columns.items()}
        student, annotators = _named(columns["annotator"])
        self.annotators = sorted(annotators)
        rank = {name: i for i, name in enumerate(self.annotators)}
        student = np.array([rank[name] for name in annotators], dtype=np.intp)[student]
        self.n = len(self.annotators)
        layers = columns["layer"]
        actor, claim = layers == "actor", layers == "claim"
        rest = np.flatnonzero(~(actor | claim))
        self.names: list[str] = []
        self.number: dict[str, int] = {}
        self.spans = {
            "actor": _ClassSpans(columns, np.flatnonzero(actor), student, self._names, "entity"),
            "claim": _ClassSpans(columns, np.flatnonzero(claim), student, self._names, "said_by"),
        }
        rows = rest[layers[rest] == "perspective"]
        self.perspective_student, self.perspective_stance = student[rows], columns["stance"][rows]
        self.perspective_entity = self._names(columns["entity"][rows], np.zeros(len(rows), dtype=np.intp))
        named = {"actor": "entity", "claim": "said_by", "perspective": "entity"}
        rows_of = {"actor": key["actor"].rows, "claim": key["claim"].rows, "perspective": key["perspective"]}
        self.key_names = {
            layer: np.array([self._code(str(r.get(named[layer]))) for r in rows_of[layer]], dtype=np.intp)
            for layer in LAYERS
        }
        forms: dict[str, int] = {}
        # Names that are equal ignoring case share a number here.
        self.folded = np.array([forms.setdefault(name.casefold(), len(forms)) for name in self.names], dtype=np.intp)

    @staticmethod
    def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
        import numpy as np

        if name not in frame.columns:
            return np.full(len(frame), None, dtype=object)
        return frame[name].to_numpy(dtype=object, na_value=None)

    def _names(self, values: np.ndarray, groups: np.ndarray) -> np.ndarray:
        """The number of each value's name (``str(value)``, as :func:`score` names entities)."""
        import numpy as np

        alike, index = np.unique(_alike(values, groups), return_inverse=True)
        return np.array([self._code(str(v)) for v in values[alike].tolist()], dtype=np.intp)[index]

    def _code(self, name: str) -> int:
        """The number of a name, numbering it if it is new."""
        if name not in self.number:
            self.number[name] = len(self.names)
            self.names.append(name)
        return self.number[name]


class _Pairs(NamedTuple):
    """Matched pairs of a whole class: the annotator, their span (index in the layer) and the key span."""

    student: np.ndarray
    span: np.ndarray
    key: np.ndarray


def _class_exact(spans: _ClassSpans, key: _Spans) -> _Pairs:
    """Every annotator's exact finds, each key span at most once per annotator (no span index: none is needed).

    As in :func:`_match`, a span finds the first key span with its start, end and label.
    """
    import numpy as np

    hit = [key.where.get(span, -1) for span in zip(spans.start, spans.end, spans.label.tolist(), strict=True)]
    hits = np.array(hit, dtype=np.intp)[spans.distinct]
    found = hits >= 0
    slots = np.unique(spans.student[found] * len(key.rows) + hits[found])
    student, keys = np.divmod(slots, max(len(key.rows), 1))
    return _Pairs(student, np.full(len(slots), -1), keys)


def _class_candidates(spans: _ClassSpans, key: _Spans, *, same_label: bool) -> tuple[np.ndarray, ...]:
    """Every ``(span, key span, overlap)`` that may match, the overlap at the threshold or above.

    Each distinct span is compared with the key once; every span then gets its distinct span's candidates.
    """
    import numpy as np

    start, end = np.array(spans.start, dtype="int64"), np.array(spans.end, dtype="int64")
    # Only spans that share characters can share tokens (as in _match): filter before any set arithmetic.
    share = (key.start < end[:, None]) & (key.end > start[:, None])
    if same_label:
        share &= spans.label[:, None] == key.label
    distinct, keys = np.nonzero(share)
    overlap = np.array(
        [
            _overlaps.overlap(
                spans.start[d], spans.end[d], spans.text[d], *(key.rows[j][c] for c in ("start", "end", "text"))
            )
            for d, j in zip(distinct.tolist(), keys.tolist(), strict=True)
        ],
        dtype="float64",
    )
    keep = overlap >= OVERLAP_THRESHOLD
    distinct, keys, overlap = distinct[keep], keys[keep], overlap[keep]
    # distinct is sorted, so each distinct span's candidates sit together: give every span its run.
    counts = np.bincount(distinct, minlength=len(spans.start))
    per_span = counts[spans.distinct]
    span = np.repeat(np.arange(len(per_span)), per_span)
    shift = (np.cumsum(counts) - counts)[spans.distinct] - (np.cumsum(per_span) - per_span)
    index = np.arange(len(span)) + np.repeat(shift, per_span)
    return span, keys[index], overlap[index]


def _class_match(spans: _ClassSpans, key: _Spans, *, same_label: bool = False) -> _Pairs:
    """Every annotator's one-to-one matching with the key: for each, the pairs :func:`_match` gives, in its order.

    ``_match`` takes candidates best first and keeps each whose two spans are both still free. Here all
    annotators are matched together, in rounds: a candidate that comes first among all the candidates left for
    its span and for its key span is one ``_match`` keeps, so each round keeps those and drops what they take.
    """
    import numpy as np
    import pandas as pd

    span, keys, overlap = _class_candidates(spans, key, same_label=same_label)
    student = spans.student[span]
    # _match's order within an annotator: best overlap first, then their span (frame order), then the key's.
    order = np.lexsort((keys, span, -overlap, student))
    # One key span per annotator: a key span one annotator took is still free for the others.
    slot = pd.factorize(student[order] * len(key.rows) + keys[order])[0]
    span_taken, slot_taken = np.zeros(len(spans.student), dtype=bool), np.zeros(len(order), dtype=bool)
    kept = np.zeros(len(order), dtype=bool)
    left = np.arange(len(order))
    while len(left):
        spans_left, slots_left = span[order[left]], slot[left]
        first = _first(spans_left) & _first(slots_left)
        kept[left[first]] = True
        span_taken[spans_left[first]] = True
        slot_taken[slots_left[first]] = True
        left = left[~(span_taken[spans_left] | slot_taken[slots_left])]
    index = order[kept]
    return _Pairs(student[index], span[index], keys[index])


def _first(values: np.ndarray) -> np.ndarray:
    """Where each value appears for the first time."""
    import numpy as np

    first = np.zeros(len(values), dtype=bool)
    first[np.unique(values, return_index=True)[1]] = True
    return first


def _class_f1(work: _Class, layer: str, key: _Spans, found: _Pairs) -> list[float]:
    """Each annotator's F1 from the key spans they found (each at most once), missed debatable ones excused."""
    import numpy as np

    n_spans = np.bincount(work.spans[layer].student, minlength=work.n)
    debatable = np.array([r["debatable"] for r in key.rows], dtype=bool)
    matched = np.bincount(found.student, minlength=work.n)
    excused = int(debatable.sum()) - np.bincount(found.student[debatable[found.key]], minlength=work.n)
    n_key = len(key.rows) - excused
    counts = zip(n_key.tolist(), n_spans.tolist(), matched.tolist(), strict=True)
    return [_ratios(k, s, m)[2] for k, s, m in counts]


class _EntityMap:
    """:func:`_entity_map` for every annotator at once: which key entity each annotator's entity stands for.

    ``votes`` holds each ``(annotator, entity)`` whose mentions share words with the key's, and ``winner`` the
    key entity they share most with. ``_entity_map`` also maps an entity without votes to the key's entity of
    the same name ignoring case; every use of the map compares names ignoring case, so that step is left out.
    """

    def __init__(self, work: _Class, shared: _Pairs) -> None:
        import numpy as np

        self.size = len(work.names)
        group = shared.student * self.size + work.spans["actor"].name[shared.span]
        vote = group * self.size + work.key_names["actor"][shared.key]
        votes, first, count = np.unique(vote, return_index=True, return_counts=True)
        # Most votes wins, then the first to get them: what Counter.most_common(1) picks.
        best = np.lexsort((first, -count, votes // self.size))
        winners = votes[best][_first(votes[best] // self.size)]
        # Sorted, with a last entry no (annotator, name) reaches, so a search always lands on an entry.
        self.votes = np.append(winners // self.size, _BEYOND)
        self.winner = np.append(winners % self.size, -1)

    def __call__(self, student: np.ndarray, name: np.ndarray) -> np.ndarray:
        """The key entity (a name's number) each annotator's name stands for; a name without votes, itself."""
        import numpy as np

        group = student * self.size + name
        at = np.searchsorted(self.votes, group)
        return np.where(self.votes[at] == group, self.winner[at], name)


def _class_attribution(work: _Class, key: _Spans, found: _Pairs, entity_of: _EntityMap) -> list[float | None]:
    """:func:`_attribution` for every annotator at once, from their claims matched with the key's."""
    import numpy as np

    said = work.spans["claim"].name[found.span]
    journalist = work.number.get(JOURNALIST, -1)
    said = np.where(said == journalist, said, entity_of(found.student, said))
    same = work.folded[said] == work.folded[work.key_names["claim"]][found.key]
    debatable = np.array([k["debatable"] for k in key.rows], dtype=bool)
    return _shares(work.n, found.student, same, same | ~debatable[found.key])


def _class_stance(work: _Class, key: list[dict[str, Any]], entity_of: _EntityMap) -> list[float | None]:
    """:func:`_stance` for every annotator at once."""
    import numpy as np

    # The key's perspective on each entity, by casefolded name: the last one, as in _stance.
    last = {form: j for j, form in enumerate(work.folded[work.key_names["perspective"]].tolist())}
    by_entity = np.full(len(work.names), -1, dtype=np.intp)
    by_entity[list(last)] = list(last.values())
    student = work.perspective_student
    k = by_entity[work.folded[entity_of(student, work.perspective_entity)]]
    student, stance, k = student[k >= 0], work.perspective_stance[k >= 0], k[k >= 0]
    key_stance = [key[j].get("stance") for j in k.tolist()]
    same = np.array([a == b for a, b in zip(stance.tolist(), key_stance, strict=True)], dtype=bool)
    debatable = np.array([key[j]["debatable"] for j in k.tolist()], dtype=bool)
    return _shares(work.n, student, same, same | ~debatable)


def _shares(n: int, student: np.ndarray, agree: np.ndarray, counted: np.ndarray) -> list[float | None]:
    """Each annotator's share of counted pairs that agree (None with none counted), as _agreement_share gives it."""
    import numpy as np

    agreeing = np.bincount(student[agree & counted], minlength=n).tolist()
    total = np.bincount(student[counted], minlength=n).tolist()
    return [a / c if c else None for a, c in zip(agreeing, total, strict=True)]


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
    return feedback_from(score(student, key), article=article)


def feedback_from(result: Score, *, article: Article | None = None) -> pd.DataFrame:
    """:func:`feedback` for a :class:`Score` already computed (a tool that shows both scores only once)."""
    import pandas as pd

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
    from .article import paragraph_at

    paragraph = paragraph_at(article, missed["start"].astype("int64"))
    hints = []
    for para_id, count in Counter(paragraph.tolist()).most_common(3):
        labels = Counter(missed["label"][paragraph == para_id])
        kind = _NAMES.get(labels.most_common(1)[0][0], "something")
        # Its own opening quotation mark would double ours: “"As we ...
        opening = " ".join(str(article.paragraphs["text"].iloc[para_id]).split()[:6]).lstrip("\"“‘'")
        if kind == "a claim":
            to_find = "there is one more claim" if count == 1 else f"there are {count} more claims"
            such_as = ""
        else:
            to_find = "there is one more" if count == 1 else f"there are {count} more"
            such_as = f", such as {kind}"
        hints.append(f"Re-read the paragraph that begins \u201c{opening}...\u201d: {to_find} to find there{such_as}.")
    return hints
