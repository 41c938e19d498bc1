"""A class at a glance: the hand-ins of one article read once, and every table the teacher's tools show.

:func:`open_class` is shared by the ``annotkit`` command, the HTML report and the dashboard, so they always
agree: who has handed in (drafts too) and how far each student is, scores against the key (formative), the
answers the rubric grades, the class's current disagreements, and the files that could not be used.

>>> import annotkit
>>> view = open_class(annotkit.data_path("sample_class"))
>>> len(view.students), view.problems["problem"].str.contains("checksum|another article").tolist()
(24, [True, True])
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._cells import is_missing
from .errors import SubmissionError
from .hub import handin_files

if TYPE_CHECKING:
    import pandas as pd

    from .article import Article
    from .rubric import Rubric
    from .submissions import Submissions

__all__ = ["REFLECTION_COLUMNS", "ClassView", "disagreements", "open_class", "progress", "read_class"]

#: The columns of ``Submissions.reflections`` (submission format 2).
REFLECTION_COLUMNS = (
    "submission",
    "annotator",
    "student_name",
    "article_id",
    "question_id",
    "question",
    "answer",
    "modified",
)


def read_class(source: str | Path | Iterable[str | Path]) -> Submissions:
    """Read a class's hand-ins from an inbox, a folder of homes, a zip or a list of files.

    A folder is searched with :func:`annotkit.hub.handin_files` (only hand-ins: never a home's copy of the
    sample class, nor hidden folders), and every ``submission`` is named relative to the folder.
    """
    from .submissions import read_submissions

    if isinstance(source, (str, Path)) and not Path(source).expanduser().exists():
        msg = f"There is no folder or file at {source}. Give the class inbox, a folder of hand-ins, or a zip."
        raise SubmissionError(msg)
    if isinstance(source, (str, Path)) and Path(source).expanduser().is_dir():
        root = Path(source).expanduser()
        work = read_submissions(handin_files(root))
        return _renamed(work, root)
    return read_submissions(Path(source).expanduser() if isinstance(source, (str, Path)) else source)


def _renamed(work: Submissions, root: Path) -> Submissions:
    """The same submissions, with each file named relative to the folder it was read from."""
    prefix = str(root) + os.sep

    def short(frame: pd.DataFrame) -> pd.DataFrame:
        if "submission" not in frame or frame.empty:
            return frame
        frame = frame.copy()
        frame["submission"] = frame["submission"].astype(str).str.removeprefix(prefix)
        return frame

    changes = {f.name: short(getattr(work, f.name)) for f in dataclasses.fields(work)}
    return dataclasses.replace(work, **changes)


def _reflections(work: Submissions) -> pd.DataFrame:
    import pandas as pd

    frame = getattr(work, "reflections", None)
    return frame if frame is not None else pd.DataFrame(columns=list(REFLECTION_COLUMNS))


def _column(frame: pd.DataFrame, name: str, default: Any) -> pd.Series:
    import pandas as pd

    return frame[name] if name in frame else pd.Series(default, index=frame.index)


def _chosen(work: Submissions) -> set[str]:
    """The file that counts for each student and article: the latest final hand-in, else the latest draft."""
    files = work.submissions.copy()
    if files.empty:
        return set()
    files["draft"] = _column(files, "draft", False).fillna(False).astype(bool)
    files = files.sort_values(["draft", "exported", "submission"], ascending=[True, False, False])
    return set(files.drop_duplicates(["annotator", "article_id"])["submission"])


def progress(work: Submissions, article_id: str, key: pd.DataFrame | None = None) -> pd.DataFrame:
    """How far each student is on one article: one row per student, from their latest hand-in (drafts too).

    Columns: ``annotator, handed_in`` (time of the latest file), ``draft``, ``actors, claims, perspectives,
    reflections`` (counts), ``by_code`` (annotations made by code rather than by hand, when the file says),
    and ``progress`` (0 to 1: the counts against the key's, each layer capped at 1; ``<NA>`` without a key).
    """
    import pandas as pd

    files = work.submissions[work.submissions["article_id"] == article_id].copy()
    files["draft"] = _column(files, "draft", False).fillna(False).astype(bool)
    files["by_code"] = _column(files, "n_by_code", pd.NA)
    latest = files.sort_values(["exported", "submission"]).drop_duplicates("annotator", keep="last")
    annotations = work.all_annotations[work.all_annotations["submission"].isin(latest["submission"])]
    annotations = annotations[annotations["article_id"] == article_id]
    counts = annotations.groupby(["annotator", "layer"]).size().unstack(fill_value=0)
    reflections = _reflections(work)
    reflections = reflections[
        reflections["submission"].isin(latest["submission"]) & (reflections["article_id"] == article_id)
    ]
    table = latest.set_index("annotator")[["exported", "draft", "by_code"]].rename(columns={"exported": "handed_in"})
    for layer, column in (("actor", "actors"), ("claim", "claims"), ("perspective", "perspectives")):
        table[column] = counts[layer].reindex(table.index).fillna(0).astype(int) if layer in counts else 0
    table["reflections"] = reflections.groupby("annotator").size().reindex(table.index).fillna(0).astype(int)
    table["progress"] = pd.NA
    if key is not None and len(key):
        sizes = key["layer"].value_counts()
        shares = [
            (table[column] / sizes[layer]).clip(upper=1)
            for layer, column in (("actor", "actors"), ("claim", "claims"), ("perspective", "perspectives"))
            if sizes.get(layer, 0)
        ]
        if shares:
            table["progress"] = (sum(shares) / len(shares)).round(2)
    return table.reset_index().sort_values("annotator").reset_index(drop=True)


def _places(frame: pd.DataFrame, answer: str) -> list[tuple[str, dict[str, str]]]:
    """The class's spans gathered into places, each with its words and each student's answer there.

    The spans most students chose stand for a place; every other span joins the place it overlaps most
    (:func:`annotkit.overlap.overlap`, the one definition), so "Lloyd Austin" and "Defense Secretary Lloyd Austin"
    are one place, and a span that overlaps none is a place of its own.
    """
    from collections import Counter

    from .overlap import THRESHOLD, overlap

    rows = [
        ((int(start), int(end), str(text)), str(annotator), str(given))
        for start, end, text, annotator, given in zip(
            frame["start"], frame["end"], frame["text"], frame["annotator"], frame[answer], strict=True
        )
        if not (is_missing(start) or is_missing(end) or is_missing(text) or is_missing(given))
    ]
    popular = Counter(span for span, _, _ in rows)
    chosen: list[tuple[int, int, str]] = []

    def best(span: tuple[int, int, str]) -> tuple[int, int, str] | None:
        scored = [(overlap(*span, *rep), rep) for rep in chosen if rep[0] < span[1] and span[0] < rep[1]]
        scored = [(share, rep) for share, rep in scored if share >= THRESHOLD]
        return max(scored)[1] if scored else None

    for span, _ in sorted(popular.items(), key=lambda item: (-item[1], item[0])):
        if best(span) is None:
            chosen.append(span)
    places: dict[tuple[int, int, str], dict[str, str]] = {rep: {} for rep in chosen}
    for span, annotator, given in sorted(rows):
        places[best(span) or span].setdefault(annotator, given)  # each student's first answer there
    return [(rep[2], answers) for rep, answers in places.items()]


def disagreements(annotations: pd.DataFrame, *, minimum: int = 3, top: int = 10) -> pd.DataFrame:
    """Where the class disagrees most, without a name: the same words, or the same actor, read differently.

    For actors, each place in the text tagged by at least ``minimum`` students (tags that overlap are one place)
    and the labels they chose; for claims, who said it; for perspectives, each actor's stance. ``split`` is the
    share of students who did not choose the most common answer (0: all agree); the ``top`` most split come first.

    Returns
    -------
    pandas.DataFrame
        ``layer, what, students, answers`` (``"official 7 · government_body 4"``), ``split``.
    """
    from collections import Counter

    import pandas as pd

    rows = []
    for layer, answer in (("actor", "label"), ("claim", "said_by"), ("perspective", "stance")):
        frame = annotations[annotations["layer"] == layer] if "layer" in annotations else annotations.iloc[:0]
        if frame.empty or answer not in frame:
            continue
        if layer == "perspective":  # about an actor, not a span: the same actor's name, case ignored
            places: dict[str, tuple[str, dict[str, str]]] = {}
            for entity, annotator, given in zip(frame["entity"], frame["annotator"], frame[answer], strict=True):
                if not (is_missing(entity) or is_missing(given)):
                    key = str(entity).strip().casefold()
                    places.setdefault(key, (str(entity).strip(), {}))[1].setdefault(str(annotator), str(given))
            found = list(places.values())
        else:
            found = _places(frame, answer)
        for what, by_student in found:
            counts = Counter(by_student.values()).most_common()
            students = len(by_student)
            if students < minimum or len(counts) < 2:
                continue
            summary = " · ".join(f"{label} {n}" for label, n in counts)
            rows.append((layer, what, students, summary, round(1 - counts[0][1] / students, 2)))
    table = pd.DataFrame(rows, columns=["layer", "what", "students", "answers", "split"])
    return table.sort_values(["split", "students"], ascending=False).head(top).reset_index(drop=True)


@dataclass(frozen=True)
class ClassView:
    """One article's hand-ins, read once, with every table the teacher's tools show (:func:`open_class`).

    Attributes
    ----------
    source
        Where the hand-ins were read from.
    article
        The article.
    work
        Every hand-in as read (``annotkit.Submissions``), all articles.
    annotations
        The work on this article that counts: each student's latest final hand-in, else their latest draft.
    students
        The students with work on this article, sorted.
    names
        ``annotator, name, source`` (:func:`annotkit.roster.class_names`).
    key
        The article's answer key, or None when it has none.
    scores
        :func:`annotkit.score_class`'s frame (formative), or None without a key.
    answers
        The answers the rubric grades (:func:`annotkit.rubric.thinking`).
    progress
        :func:`progress`.
    disagreements
        :func:`disagreements`.
    problems
        Files that could not be used, and why: refused files, and hand-ins for other articles.
    """

    source: Any
    article: Article
    work: Submissions
    annotations: pd.DataFrame
    students: tuple[str, ...]
    names: pd.DataFrame
    key: pd.DataFrame | None
    scores: pd.DataFrame | None
    answers: pd.DataFrame
    progress: pd.DataFrame
    disagreements: pd.DataFrame
    problems: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"ClassView({self.article.title!r}: {len(self.students)} students, {len(self.answers)} answers to mark, "
            f"{len(self.problems)} problems)"
        )

    def name_of(self, annotator: str) -> str:
        """The name to show for a student."""
        found = self.names.loc[self.names["annotator"] == annotator, "name"]
        return str(found.iloc[0]) if len(found) else annotator


def open_class(
    source: str | Path | Iterable[str | Path],
    *,
    article: Article | None = None,
    key: pd.DataFrame | None = None,
    roster: pd.DataFrame | str | Path | None = None,
    rubric: Rubric | None = None,
) -> ClassView:
    """Read a class's hand-ins for one article and compute everything the teacher's tools show.

    Parameters
    ----------
    source
        A class inbox, a folder of collected hand-ins or of homes, a zip, or a list of files.
    article
        The article; default the course's.
    key
        Its answer key; default the one annotkit has for it (none: no scores).
    roster
        A class list (a frame from :func:`annotkit.roster.read_roster`, or its CSV file).
    rubric
        The rubric; default :func:`annotkit.rubric.load_rubric`.
    """
    import pandas as pd

    from .article import load_bundled_article
    from .keys import answer_key, find_key
    from .roster import class_names, read_roster
    from .rubric import load_rubric, thinking
    from .scoring import score_class

    article = article or load_bundled_article()
    if key is None and find_key(article) is not None:
        key = answer_key(article)
    if roster is not None and not isinstance(roster, pd.DataFrame):
        roster = read_roster(roster)
    work = read_class(source)
    chosen = _chosen(work)
    here = work.all_annotations[
        work.all_annotations["submission"].isin(chosen) & (work.all_annotations["article_id"] == article.article_id)
    ].reset_index(drop=True)
    students = tuple(sorted(set(here["annotator"].astype(str))))
    reflections = _reflections(work)
    counted = reflections["submission"].isin(chosen) & (reflections["article_id"] == article.article_id)
    reflections = reflections[counted]
    files = work.submissions
    elsewhere = files[files["article_id"] != article.article_id]
    problems = pd.concat(
        [
            work.problems.assign(annotator=pd.NA),
            elsewhere.assign(problem="a hand-in for another article: left out here")[
                ["submission", "problem", "annotator"]
            ],
        ],
        ignore_index=True,
    )
    scores = score_class(here, key, article=article) if key is not None and len(here) else None
    return ClassView(
        source=source,
        article=article,
        work=work,
        annotations=here,
        students=students,
        names=class_names(files[files["annotator"].isin(students)], roster),
        key=key,
        scores=scores,
        answers=thinking(here, reflections, rubric or load_rubric()),
        progress=progress(work, article.article_id, key),
        disagreements=disagreements(here),
        problems=problems,
    )
