"""A student's annotations against the answer key: the figures (the words for the student are in ``feedback``).

Spans match *exactly* (same start and end) or by *overlap* (token Jaccard >= 0.5, :mod:`annotkit.overlap`),
always within the same layer and label, one to one. Entities are compared through the spans they were given to: a
student who called Biden "Biden" and the key's "Joe Biden" agree if their mentions sit on the same words. Key items
marked ``debatable`` are scored leniently: finding one counts, missing one or disagreeing on it does not count
against the student.

An honest *unsure* beats a guess. A span labelled ``unsure`` matches a key span of any label: it counts as found
and is not counted as a wrong label (the table counts it in the key's label's row). A value ``unsure`` (a stance,
a speaker) is never counted as a disagreement. Every annotation marked unsure, by its label or by any attribute's
value, is listed for discussion (:attr:`Score.unsure`, and a count per layer in :func:`score_class`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from . import overlap as _overlaps
from .errors import AnnotationError
from .records import JOURNALIST, LAYERS, SPAN_LAYERS, attribute_columns

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from .article import Article

__all__ = ["OVERLAP_THRESHOLD", "UNSURE", "Score", "marked_unsure", "score", "score_class"]

#: Spans overlap when their token Jaccard is at least this: the one definition, :mod:`annotkit.overlap`.
OVERLAP_THRESHOLD = _overlaps.THRESHOLD
#: The label, or the value of an attribute, by which a student says "I am not sure": never counted wrong.
UNSURE = "unsure"

# One row of the score table: layer, label, matching, n_key, n_student, matched, precision, recall, f1, debatable,
# unsure (the columns of Score.table, in order).
_Row = tuple[str, str, str, int, int, int, float | None, float | None, float, int, int]


def _is_true(value: Any) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


_USED_COLUMNS = (
    "annotation_id", "annotator", "layer", "label", "start", "end", "text", "status", "entity", "said_by", "stance",
    "debatable",
)  # fmt: skip


def marked_unsure(frame: pd.DataFrame) -> pd.Series:
    """Which annotations say "unsure": the label ``unsure``, or ``unsure`` as the value of any attribute.

    Attributes are the frame's columns that are not base or extra columns (``records.attribute_columns``), so a
    teacher's own attribute counts too; a note is the student's own words, not an answer.

    >>> from annotkit.records import annotations_frame
    >>> frame = annotations_frame([{"label": "unsure"}, {"label": "official", "affiliation": "Unsure"},
    ...                            {"label": "official", "affiliation": "iraq"}])
    >>> marked_unsure(frame).tolist()
    [True, True, False]
    """
    import pandas as pd

    mask = pd.Series(False, index=frame.index)
    for column in ("label", *attribute_columns(frame.columns)):
        values = frame[column]
        if values.dtype == bool or pd.api.types.is_numeric_dtype(values.dtype):
            continue
        mask |= (values.astype("string").str.strip().str.casefold() == UNSURE).fillna(False).astype(bool)
    return mask


def _is_unsure(value: Any) -> bool:
    return isinstance(value, str) and value.strip().casefold() == UNSURE


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts (``<NA>`` as None), orphaned annotations left out: they point at no text."""
    names = [c for c in _USED_COLUMNS if c in frame.columns]
    values = [frame[c].to_numpy(dtype=object, na_value=None).tolist() for c in names]
    unsure = marked_unsure(frame).tolist()
    rows = [
        dict(zip(names, row, strict=True), unsure=flag, position=position)
        for position, (row, flag) in enumerate(zip(zip(*values, strict=True), unsure, strict=True))
    ]
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
        self.wild = self.label == UNSURE  # an "unsure" label matches a key span of any label
        self.where: dict[tuple[Any, ...], int] = {}
        self.where_any: dict[tuple[Any, ...], int] = {}
        for j, r in enumerate(rows):
            self.where.setdefault((r["start"], r["end"], r["label"]), j)
            self.where_any.setdefault((r["start"], r["end"]), j)
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
            if j is None and s["label"] == UNSURE:
                j = key.where_any.get((s["start"], s["end"]))
            if j is not None and j not in taken:
                pairs.append((i, j))
                taken.add(j)
        return pairs
    import numpy as np

    # Only spans that share characters can share tokens: filter all pairs at once, before any set arithmetic.
    share = (key.start < student.end[:, None]) & (key.end > student.start[:, None])
    if same_label:
        share &= (student.label[:, None] == key.label) | student.wild[:, None]
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
        One row per layer, label and matching: ``layer, label, matching, n_key, n_student, matched, precision,
        recall, f1, debatable_found, unsure``; label ``(all)`` sums a layer. Spans match ``exact`` or by
        ``overlap``; perspectives by ``stance`` (matched: the student gave that actor the key's stance).
        Missed debatable key items are left out of ``n_key``; ``debatable_found`` counts the debatable ones
        found (in ``n_key`` and ``matched``), so ``n_key - debatable_found`` is the number of firm items, which
        never changes as the student works. ``unsure``: of ``matched``, how many the student marked unsure.
        A span labelled ``unsure`` that matches the key's is counted in the row of the key's label.
    attribution_accuracy
        Of the claims the student found (overlap), the share credited to the key's speaker (None if none found).
        A debatable claim credited to someone else, or a speaker given as ``unsure``, is not counted.
    stance_accuracy
        Of the actors both gave a perspective for, the share with the key's stance (None if none). A debatable
        perspective with another stance, or a stance ``unsure``, is not counted.
    missed
        The key's annotations the student did not find: spans by overlap, any label; perspectives on an actor
        the student gave no perspective.
    found
        The key's annotations the student found: spans by overlap with the key's label (or ``unsure``);
        perspectives where the student gave that actor the key's stance (or ``unsure``).
    unsure
        The student's annotations marked unsure (their label, or any attribute's value), to talk over; column
        ``in_key`` says whether it sits on a key item (spans: overlap, any label; perspectives: an actor the key
        gives a stance).
    extra
        The student's span annotations that share no words with any key item (some may be good finds).
    """

    table: pd.DataFrame
    attribution_accuracy: float | None
    stance_accuracy: float | None
    missed: pd.DataFrame
    found: pd.DataFrame
    unsure: pd.DataFrame
    extra: pd.DataFrame


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
    result = _score_rows(_prepare(_records(student)), _prepare(_records(key)))
    table = pd.DataFrame(result.rows, columns=_TABLE_COLUMNS)
    key_ids = key["annotation_id"].astype(str)
    unsure = student.iloc[sorted(result.unsure)].reset_index(drop=True)
    unsure["in_key"] = pd.array([result.unsure[p] for p in sorted(result.unsure)], dtype="bool")
    return Score(
        table=table,
        attribution_accuracy=result.attribution,
        stance_accuracy=result.stance,
        missed=key[key_ids.isin(result.missed)].reset_index(drop=True),
        found=key[key_ids.isin(result.found)].reset_index(drop=True),
        unsure=unsure,
        extra=student.iloc[sorted(result.extra)].reset_index(drop=True),
    )


_TABLE_COLUMNS = [
    "layer", "label", "matching", "n_key", "n_student", "matched", "precision", "recall", "f1", "debatable_found",
    "unsure",
]  # fmt: skip


def _figures(
    layer: str,
    label: str,
    matching: str,
    n_key: int,
    debatable: list[int],
    n_student: int,
    found: set[int],
    unsure: set[int],
) -> _Row:
    """One row of the score table; ``debatable`` holds the key items (of ``n_key``) a miss is excused for.

    ``unsure`` holds the key items the student found with an annotation marked unsure.
    """
    excused = sum(1 for j in debatable if j not in found)
    n_key, matched = n_key - excused, len(found)
    ratios = _ratios(n_key, n_student, matched)
    return (layer, label, matching, n_key, n_student, matched, *ratios, len(debatable) - excused, len(found & unsure))


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


class _Result(NamedTuple):
    """What :func:`_score_rows` works out: the table's rows, key ids, the student's rows by position, accuracies."""

    rows: list[_Row]
    missed: set[str]
    found: set[str]
    unsure: dict[int, bool]  # position in the student's frame -> sits on a key item
    extra: set[int]
    attribution: float | None
    stance: float | None


def _score_rows(student: dict[str, Any], key: dict[str, Any]) -> _Result:
    """The score table's rows and the lists feedback needs, from prepared rows."""
    rows: list[_Row] = []
    missed: set[str] = set()
    found_ids: set[str] = set()
    unsure: dict[int, bool] = {}
    extra: set[int] = set()
    shared_words: dict[str, list[tuple[int, int]]] = {}
    for layer in SPAN_LAYERS:
        s_spans, k_spans = student[layer], key[layer]
        labels = sorted({r["label"] for r in s_spans.rows} | set(k_spans.by_label))
        for matching in ("exact", "overlap"):
            # Matching never crosses labels (but for "unsure"), so one matching over the layer gives every label's.
            pairs = _match(s_spans, k_spans, exact=matching == "exact")
            all_found = {j for _, j in pairs}
            unsure_found = {j for i, j in pairs if s_spans.rows[i]["unsure"]}
            # An "unsure" span is counted where the key puts it: in the row of the key's label.
            n_student = Counter(r["label"] for r in s_spans.rows)
            for i, j in pairs:
                n_student[s_spans.rows[i]["label"]] -= 1
                n_student[k_spans.rows[j]["label"]] += 1
            for label in labels:
                k_index = k_spans.by_label.get(label, [])
                found = {j for j in k_index if j in all_found}
                debatable = [j for j in k_index if k_spans.rows[j]["debatable"]]
                rows.append(
                    _figures(layer, label, matching, len(k_index), debatable, n_student[label], found, unsure_found)
                )
            debatable = [j for j, r in enumerate(k_spans.rows) if r["debatable"]]
            rows.append(
                _figures(
                    layer, "(all)", matching, len(k_spans.rows), debatable, len(s_spans.rows), all_found, unsure_found
                )
            )
        found_ids |= {str(k_spans.rows[j]["annotation_id"]) for j in all_found}  # overlap: the last matching
        # Missed regardless of label: the student may have found the words and chosen another label.
        shared_words[layer] = _match(s_spans, k_spans, exact=False, same_label=False)
        found_any = {j for _, j in shared_words[layer]}
        missed |= {str(r["annotation_id"]) for j, r in enumerate(k_spans.rows) if j not in found_any}
        on_key = {i for i, _ in shared_words[layer]}
        unsure |= {r["position"]: i in on_key for i, r in enumerate(s_spans.rows) if r["unsure"]}
        extra |= {r["position"] for i, r in enumerate(s_spans.rows) if i not in on_key}
    entity_of = _entity_map(student["actor"], key["actor"], shared_words["actor"])
    s_rows, k_rows = student["perspective"], key["perspective"]
    stance, agreed, addressed, unsure_agreed = _stance(student, key, entity_of)
    for label in sorted({r["label"] for r in s_rows} | {k["label"] for k in k_rows}):
        k_index = [j for j, k in enumerate(k_rows) if k["label"] == label]
        debatable = [j for j in k_index if k_rows[j]["debatable"]]
        n_stances = sum(1 for r in s_rows if r["label"] == label)
        found = agreed & set(k_index)
        rows.append(_figures("perspective", label, "stance", len(k_index), debatable, n_stances, found, unsure_agreed))
    debatable = [j for j, k in enumerate(k_rows) if k["debatable"]]
    rows.append(_figures("perspective", "(all)", "stance", len(k_rows), debatable, len(s_rows), agreed, unsure_agreed))
    found_ids |= {str(k_rows[j]["annotation_id"]) for j in agreed}
    missed |= {str(k["annotation_id"]) for j, k in enumerate(k_rows) if j not in addressed}
    by_entity = {str(k["entity"]).casefold() for k in k_rows}
    for r in s_rows:
        if r["unsure"]:
            unsure[r["position"]] = entity_of.get(str(r["entity"]), str(r["entity"])).casefold() in by_entity
    return _Result(rows, missed, found_ids, unsure, extra, _attribution(student, key, entity_of), stance)


def _check_same_article(annotations: pd.DataFrame, key: pd.DataFrame) -> None:
    """Refuse work on another article: scored against this key it would look like nothing was found."""
    if "article_id" not in annotations or "article_id" not in key or key.empty:
        return
    expected = {article for article in key["article_id"].dropna() if str(article).strip()}
    if not expected:  # a key that does not say its article (blank cells) cannot tell work on another one
        return
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
    ``attribution_accuracy`` and ``stance_accuracy``, then ``<layer>_unsure`` for each layer: how many of the
    annotator's annotations say "unsure" (to talk over). The figures are those :func:`score` gives each annotator
    alone, but the class is matched against the key in one pass, with arrays: a class of 1,000 takes a fraction
    of a second.

    >>> import annotkit
    >>> key = annotkit.answer_key(annotkit.load_bundled_article())
    >>> table = score_class(key, key)
    >>> table.columns.tolist()  # doctest: +NORMALIZE_WHITESPACE
    ['annotator', 'actor_f1_exact', 'actor_f1_overlap', 'claim_f1_exact', 'claim_f1_overlap',
     'attribution_accuracy', 'stance_accuracy', 'actor_unsure', 'claim_unsure', 'perspective_unsure']
    >>> table.iloc[0, 1:7].tolist()
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
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
            *(work.unsure[layer][i] for layer in LAYERS),
        )
        for i, annotator in enumerate(work.annotators)
    ]
    columns = ["annotator", *(f"{layer}_f1_{m}" for layer in SPAN_LAYERS for m in ("exact", "overlap"))]
    unsure = [f"{layer}_unsure" for layer in LAYERS]
    return pd.DataFrame(results, columns=[*columns, "attribution_accuracy", "stance_accuracy", *unsure])


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
    numbered: np.ndarray = alike
    return numbered


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
        self.wild = self.label == UNSURE  # as in _Spans: an "unsure" label matches any
        # The entity (actors) or speaker (claims) named: one span's annotations mostly name the same one.
        self.name = name(columns[named][rows], self.distinct)


class _Class:
    """A class's annotations ready for scoring: annotators numbered in sorted order, rows split by layer.

    Entities and speakers, the class's and the key's, share one numbering (``names``), so they compare as numbers.
    """

    def __init__(self, frame: pd.DataFrame, key: dict[str, Any]) -> None:
        import numpy as np

        columns = {c: self._column(frame, c) for c in _CLASS_COLUMNS}
        columns["unsure"] = marked_unsure(frame).to_numpy(dtype=bool)
        keep = columns["status"] != "orphaned"  # orphaned annotations point at no text
        if not keep.all():
            columns = {c: values[keep] for c, values in columns.items()}
        student, annotators = _named(columns["annotator"])
        self.annotators = sorted(annotators)
        rank = {name: i for i, name in enumerate(self.annotators)}
        student = np.array([rank[name] for name in annotators], dtype=np.intp)[student]
        self.n = len(self.annotators)
        layers = columns["layer"]
        self.unsure = {
            layer: np.bincount(student[(layers == layer) & columns["unsure"]], minlength=self.n).tolist()
            for layer in LAYERS
        }
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
        column: np.ndarray = frame[name].to_numpy(dtype=object, na_value=None)
        return column

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

    As in :func:`_match`, a span finds the first key span with its start, end and label (any label for "unsure").
    """
    import numpy as np

    hit = [
        key.where.get((start, end, label), key.where_any.get((start, end), -1) if label == UNSURE else -1)
        for start, end, label in zip(spans.start, spans.end, spans.label.tolist(), strict=True)
    ]
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
        share &= (spans.label[:, None] == key.label) | spans.wild[:, None]
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

    given = work.spans["claim"].name[found.span]
    journalist = work.number.get(JOURNALIST, -1)
    said = np.where(given == journalist, given, entity_of(found.student, given))
    same = work.folded[said] == work.folded[work.key_names["claim"]][found.key]
    debatable = np.array([k["debatable"] for k in key.rows], dtype=bool)
    unsure = np.array([_is_unsure(name) for name in work.names], dtype=bool)[given]
    return _shares(work.n, found.student, same, (same | ~debatable[found.key]) & ~unsure)


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
    unsure = np.array([_is_unsure(v) for v in stance.tolist()], dtype=bool)
    return _shares(work.n, student, same, (same | ~debatable) & ~unsure)


def _shares(n: int, student: np.ndarray, agree: np.ndarray, counted: np.ndarray) -> list[float | None]:
    """Each annotator's share of counted pairs that agree (None with none counted), as _agreement_share gives it."""
    import numpy as np

    agreeing = np.bincount(student[agree & counted], minlength=n).tolist()
    total = np.bincount(student[counted], minlength=n).tolist()
    return [a / c if c else None for a, c in zip(agreeing, total, strict=True)]


def _agreement_share(pairs: list[tuple[dict[str, Any], bool, bool]]) -> float | None:
    """Share of ``(key item, agree, unsure)`` pairs that agree.

    Not counted: an answer ``unsure``, or a disagreement on a debatable key item.
    """
    counted = [agree for k, agree, unsure in pairs if not unsure and (agree or not k["debatable"])]
    return sum(counted) / len(counted) if counted else None


def _attribution(student: dict[str, Any], key: dict[str, Any], entity_of: dict[str, str]) -> float | None:
    s, k = student["claim"], key["claim"]
    pairs = []
    for i, j in _match(s, k, exact=False):
        given = s.rows[i].get("said_by")
        said = str(given)
        said = said if said == JOURNALIST else entity_of.get(said, said)
        pairs.append((k.rows[j], said.casefold() == str(k.rows[j].get("said_by")).casefold(), _is_unsure(given)))
    return _agreement_share(pairs)


def _stance(
    student: dict[str, Any], key: dict[str, Any], entity_of: dict[str, str]
) -> tuple[float | None, set[int], set[int], set[int]]:
    """Stance accuracy, and three sets of the key's perspectives (by index).

    Those the student agrees with (the key's stance, or ``unsure``), those on an actor the student gave any
    perspective (addressed), and those agreed with by a perspective marked unsure.
    """
    by_entity = {str(k["entity"]).casefold(): j for j, k in enumerate(key["perspective"])}
    pairs = []
    agreed: set[int] = set()
    addressed: set[int] = set()
    unsure: set[int] = set()
    for s in student["perspective"]:
        entity = entity_of.get(str(s["entity"]), str(s["entity"])).casefold()
        if entity in by_entity:
            j = by_entity[entity]
            k = key["perspective"][j]
            agree, unsure_stance = s.get("stance") == k.get("stance"), _is_unsure(s.get("stance"))
            pairs.append((k, agree, unsure_stance))
            addressed.add(j)
            if agree or unsure_stance:
                agreed.add(j)
                if s["unsure"]:
                    unsure.add(j)
    return _agreement_share(pairs), agreed, addressed, unsure
