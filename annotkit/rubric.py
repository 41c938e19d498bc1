"""Grading the thinking: a rubric (data, like the scheme), the answers it grades, and the teacher's marks.

Agreement with the answer key measures one reading of the article; the rubric measures the reasons a student
gives for theirs. Its criteria grade the perspective rationales (one answer per actor), the reflections (one per
question) and the fact-check plan (a reflection whose question id matches the criterion's patterns). Marks are
saved at once in a JSON file beside the class's folder, so a teacher can stop and pick up where they left off.

>>> rubric = load_rubric()
>>> [c.id for c in rubric.criteria], rubric.criterion("rationale").top
(['rationale', 'fact_check', 'reflection'], 3)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._cells import cell_text
from ._data import data_path
from .errors import AnnotkitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "THINKING_COLUMNS",
    "Criterion",
    "Level",
    "Marks",
    "Rubric",
    "RubricError",
    "load_rubric",
    "marks_path",
    "open_marks",
    "thinking",
    "thinking_scores",
]

SOURCES = ("rationale", "reflection")
#: Columns of :func:`thinking`: one row per answer to grade.
THINKING_COLUMNS = ("annotator", "article_id", "criterion", "item", "prompt", "answer", "details")
MARKS_FORMAT = "annotkit-marks"


class RubricError(AnnotkitError, ValueError):
    """A rubric file, or a mark, that does not fit the rubric."""


@dataclass(frozen=True)
class Level:
    """One level of a criterion.

    Attributes
    ----------
    points
        Whole points for this level (0 is the lowest).
    label
        A word or two, shown on the grading keys ("supported").
    description
        What an answer at this level does, in words a student can read.
    """

    points: int
    label: str
    description: str


@dataclass(frozen=True)
class Criterion:
    """One thing the rubric grades.

    Attributes
    ----------
    id
        Its name in files and grade columns (``rationale``, ``fact_check`` ...).
    title
        Its name for people.
    source
        ``"rationale"``: each perspective's rationale, one answer per actor; ``"reflection"``: reflections whose
        question id matches ``questions``.
    questions
        Glob patterns of reflection question ids (``*fact*check*``); a reflection goes to the first criterion
        that matches it, in the rubric's order.
    weight
        Its share of the thinking grade (any numbers: they are scaled to add up to 100%).
    description
        What the criterion asks, for the teacher and the student.
    levels
        Its levels, lowest first.
    """

    id: str
    title: str
    source: str
    questions: tuple[str, ...]
    weight: float
    description: str
    levels: tuple[Level, ...]

    @property
    def top(self) -> int:
        """The points of the highest level."""
        return max(level.points for level in self.levels)

    def matches(self, question_id: str) -> bool:
        """Whether this criterion grades the reflection with this question id."""
        return self.source == "reflection" and any(fnmatchcase(question_id, p) for p in self.questions)


@dataclass(frozen=True)
class Rubric:
    """A rubric: criteria with levels, read from a JSON file by :func:`load_rubric`.

    Attributes
    ----------
    name
        The rubric's name (``annotkit-default``).
    version
        Its version, saved with every mark.
    description
        What it grades.
    criteria
        Its criteria, in order.
    exit_ticket
        The questions of the printable exit ticket (``annotkit print``).
    path
        The file it was read from.
    """

    name: str
    version: str
    description: str
    criteria: tuple[Criterion, ...]
    exit_ticket: tuple[str, ...] = ()
    path: Path | None = None

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id; a RubricError naming the valid ones if there is none."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        msg = f"The rubric has no criterion {criterion_id!r}. Its criteria are: {', '.join(self.ids)}."
        raise RubricError(msg)

    @property
    def ids(self) -> tuple[str, ...]:
        """The criteria's ids, in order."""
        return tuple(c.id for c in self.criteria)

    def criterion_for(self, question_id: str) -> Criterion | None:
        """The criterion that grades the reflection with this question id, if any."""
        return next((c for c in self.criteria if c.matches(question_id)), None)


def _course_rubric() -> Path:
    """The rubric a teacher edits in the course folder (as for the scheme and keys), else the one annotkit ships."""
    from ._data import course_data_folders

    for folder in course_data_folders():
        candidate = folder / "rubrics" / "default.json"
        if candidate.is_file():
            return candidate
    return data_path("rubrics", "default.json")


def _need(spec: Mapping[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = spec.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        msg = f"{where} needs {key!r} ({names}); it has {value!r}. Compare with data/rubrics/default.json."
        raise RubricError(msg)
    return value


def _criterion(spec: Any, index: int) -> Criterion:
    where = f"Criterion {index + 1} of the rubric"
    if not isinstance(spec, dict):
        msg = f"{where} is not an object with an id, a title and levels."
        raise RubricError(msg)
    cid = _need(spec, "id", str, where)
    where = f"Criterion {cid!r}"
    source = _need(spec, "source", str, where)
    if source not in SOURCES:
        msg = f"{where} has source {source!r}; use one of: {', '.join(SOURCES)}."
        raise RubricError(msg)
    questions = spec.get("questions", ["*"] if source == "reflection" else [])
    if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
        msg = f"{where} needs 'questions' as a list of question-id patterns, such as [\"*fact*check*\"]."
        raise RubricError(msg)
    levels = []
    for level in _need(spec, "levels", list, where):
        if not isinstance(level, dict):
            msg = f"{where} has a level that is not an object with points, label and description."
            raise RubricError(msg)
        levels.append(
            Level(
                points=_need(level, "points", int, f"A level of {where}"),
                label=_need(level, "label", str, f"A level of {where}"),
                description=str(level.get("description", "")),
            )
        )
    points = [level.points for level in levels]
    if len(levels) < 2 or len(set(points)) != len(points) or min(points) < 0 or max(points) > 9:
        msg = (
            f"{where} needs at least two levels with different whole points from 0 to 9 (one key each when grading); "
            f"it has {points}."
        )
        raise RubricError(msg)
    weight = _need(spec, "weight", (int, float), where) if "weight" in spec else 1
    if weight < 0:
        msg = f"{where} has a negative weight ({weight}); use 0 to leave it out of the grade."
        raise RubricError(msg)
    return Criterion(
        id=cid,
        title=str(spec.get("title", cid)),
        source=source,
        questions=tuple(questions),
        weight=float(weight),
        description=str(spec.get("description", "")),
        levels=tuple(sorted(levels, key=lambda level: level.points)),
    )


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Read a rubric file (``data/rubrics/default.json`` when not given).

    With no path, the course folder's ``data/rubrics/default.json`` comes first (the course named by
    ``$ANNOTKIT_COURSE``, or found above the working folder, as for the scheme and keys), so a teacher's edits
    count without reinstalling annotkit.

    Parameters
    ----------
    path
        A rubric JSON file.

    Returns
    -------
    Rubric

    Raises
    ------
    RubricError
        Saying what is wrong with the file.

    >>> load_rubric().criterion("fact_check").matches("05-fact-check-plan")
    True
    """
    path = Path(path).expanduser() if path is not None else _course_rubric()
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        msg = f"There is no rubric file at {path}. Copy data/rubrics/default.json there, or give another path."
        raise RubricError(msg) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        msg = f"The rubric {path} cannot be read as JSON ({error}). Fix the file, or start again from a copy."
        raise RubricError(msg) from None
    if not isinstance(spec, dict):
        msg = f"The rubric {path} is not a JSON object with 'rubric', 'version' and 'criteria'."
        raise RubricError(msg)
    criteria = tuple(_criterion(c, i) for i, c in enumerate(_need(spec, "criteria", list, f"The rubric {path}")))
    ids = [c.id for c in criteria]
    if not criteria or len(set(ids)) != len(ids):
        msg = f"The rubric {path} needs at least one criterion, each with its own id; it has {ids}."
        raise RubricError(msg)
    return Rubric(
        name=str(spec.get("rubric", path.stem)),
        version=str(spec.get("version", "1")),
        description=str(spec.get("description", "")),
        criteria=criteria,
        exit_ticket=tuple(str(q) for q in spec.get("exit_ticket", []) if str(q).strip()),
        path=path,
    )


def _key(text: Any) -> str:
    """An actor's name as a grouping key: "Joe  Biden" and "joe biden" are the same actor."""
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def thinking(
    annotations: pd.DataFrame, reflections: pd.DataFrame | None = None, rubric: Rubric | None = None
) -> pd.DataFrame:
    """Every answer the rubric grades: one row per student and perspective rationale, or reflection.

    Parameters
    ----------
    annotations
        A class's annotation frame (``Submissions.annotations``): its perspectives give the rationales.
    reflections
        A class's reflections (``Submissions.reflections``: ``annotator, article_id, question_id, question,
        answer``), or None.
    rubric
        Which criterion grades what; default :func:`load_rubric`.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`THINKING_COLUMNS`: ``item`` is the actor (as a grouping key) or the question id,
        ``prompt`` what was asked (the actor's name, or the question), ``answer`` the student's words (empty
        when they gave none), ``details`` the stance, frame and evidence of a perspective.

    >>> import pandas as pd
    >>> frame = pd.DataFrame([{"annotator": "ana", "article_id": "a1", "layer": "perspective", "entity": "Joe Biden",
    ...     "stance": "supports", "frame": "security", "rationale": "He says troops stay to train."}])
    >>> thinking(frame)[["criterion", "item", "answer"]].values.tolist()
    [['rationale', 'joe biden', 'He says troops stay to train.']]
    """
    import pandas as pd

    rubric = rubric or load_rubric()
    rows: list[dict[str, Any]] = []
    rationale = next((c for c in rubric.criteria if c.source == "rationale"), None)
    if rationale is not None and len(annotations) and "layer" in annotations:
        claims = annotations[annotations["layer"] == "claim"]
        claim_text = dict(zip(claims.get("annotation_id", []), claims.get("text", []), strict=False))
        perspectives = annotations[annotations["layer"] == "perspective"]
        for row in perspectives.to_dict("records"):
            evidence = [claim_text.get(i, i) for i in cell_text(row.get("evidence")).split(";") if i]
            details = " · ".join(
                part
                for part in (
                    f"stance: {cell_text(row.get('stance'))}" if cell_text(row.get("stance")) else "",
                    f"frame: {cell_text(row.get('frame'))}" if cell_text(row.get("frame")) else "",
                    ("evidence: " + " | ".join(f"“{cell_text(e)}”" for e in evidence)) if evidence else "",
                )
                if part
            )
            rows.append(
                {
                    "annotator": cell_text(row.get("annotator")),
                    "article_id": cell_text(row.get("article_id")),
                    "criterion": rationale.id,
                    "item": _key(row.get("entity")),
                    "prompt": cell_text(row.get("entity")),
                    "answer": cell_text(row.get("rationale")).strip(),
                    "details": details,
                }
            )
    if reflections is not None and len(reflections):
        for row in reflections.to_dict("records"):
            criterion = rubric.criterion_for(cell_text(row.get("question_id")))
            if criterion is None:
                continue
            rows.append(
                {
                    "annotator": cell_text(row.get("annotator")),
                    "article_id": cell_text(row.get("article_id")),
                    "criterion": criterion.id,
                    "item": cell_text(row.get("question_id")),
                    "prompt": cell_text(row.get("question")) or cell_text(row.get("question_id")),
                    "answer": cell_text(row.get("answer")).strip(),
                    "details": "",
                }
            )
    frame = pd.DataFrame(rows, columns=list(THINKING_COLUMNS))
    order = {cid: i for i, cid in enumerate(rubric.ids)}
    frame["_order"] = frame["criterion"].map(order)
    frame = frame.sort_values(["_order", "item", "annotator"], kind="stable").drop(columns="_order")
    return frame.drop_duplicates(["annotator", "article_id", "criterion", "item"], keep="last").reset_index(drop=True)


def marks_path(source: str | Path) -> Path:
    """Where the marks of a class's folder (or zip) are kept: a file beside it, never inside it.

    The bundled sample class is annotkit's own data (read-only once installed): its marks go to the current
    folder instead.

    >>> marks_path("/home/me/period3.zip").name, marks_path("/home/me/period3/").name
    ('period3-marks.json', 'period3-marks.json')
    """
    source = Path(source).expanduser()
    stem = source.stem if source.suffix.lower() == ".zip" else source.name
    bundled = data_path().resolve()
    folder = Path.cwd() if source.resolve().is_relative_to(bundled) else source.parent
    return folder / f"{stem or 'class'}-marks.json"


@dataclass(frozen=True)
class _Mark:
    annotator: str
    article_id: str
    criterion: str
    item: str
    points: int | None
    comment: str
    marked: str


class Marks:
    """A teacher's marks against a rubric, saved in one JSON file after every change (:func:`open_marks`).

    Attributes
    ----------
    path
        The marks file.
    rubric
        The rubric the marks are levels of.
    """

    def __init__(self, path: Path, rubric: Rubric) -> None:
        self.path = path
        self.rubric = rubric
        self._marks: dict[tuple[str, str, str, str], _Mark] = {}
        if path.exists():
            self._load()

    def __repr__(self) -> str:
        return f"Marks({len(self._marks)} answers marked, {self.path})"

    def __len__(self) -> int:
        return sum(1 for mark in self._marks.values() if mark.points is not None)

    def _load(self) -> None:
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
            if payload.get("format") != MARKS_FORMAT:
                raise ValueError  # one message below for every way the file can be wrong
            for row in payload["marks"]:
                mark = _Mark(**{field: row.get(field) for field in _Mark.__dataclass_fields__})
                self._marks[mark.annotator, mark.article_id, mark.criterion, mark.item] = mark
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            msg = (
                f"{self.path} is not an annotkit marks file, or it is damaged. It was not changed: move it away "
                "(or give open_marks another path) and start marking again."
            )
            raise RubricError(msg) from None

    def set(
        self,
        annotator: str,
        criterion: str,
        item: str,
        points: int | None,
        *,
        article_id: str = "",
        comment: str | None = None,
    ) -> None:
        """Mark one answer (``points=None`` clears the mark but keeps the comment); saved at once.

        Raises
        ------
        RubricError
            When the criterion is not the rubric's or the points are not one of its levels.
        """
        levels = [level.points for level in self.rubric.criterion(criterion).levels]
        if points is not None and (isinstance(points, bool) or points not in levels):
            msg = f"{points!r} is not a level of {criterion!r}; choose one of {levels}."
            raise RubricError(msg)
        key = (annotator, article_id, criterion, item)
        old = self._marks.get(key)
        self._marks[key] = _Mark(
            annotator=annotator,
            article_id=article_id,
            criterion=criterion,
            item=item,
            points=points,
            comment=comment if comment is not None else (old.comment if old else ""),
            marked=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self._save()

    def get(self, annotator: str, criterion: str, item: str, *, article_id: str = "") -> int | None:
        """The points given to one answer, or None if it is not marked."""
        mark = self._marks.get((annotator, article_id, criterion, item))
        return mark.points if mark else None

    def _save(self) -> None:
        payload = {
            "format": MARKS_FORMAT,
            "format_version": 1,
            "rubric": self.rubric.name,
            "rubric_version": self.rubric.version,
            "marks": [vars(mark) for _, mark in sorted(self._marks.items())],
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".partial")
        temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        temporary.replace(self.path)  # atomic: a crash mid-save never leaves half a file

    @property
    def frame(self) -> pd.DataFrame:
        """Every mark: ``annotator, article_id, criterion, item, points, comment, marked``."""
        import pandas as pd

        columns = list(_Mark.__dataclass_fields__)
        frame = pd.DataFrame([vars(mark) for mark in self._marks.values()], columns=columns)
        frame["points"] = frame["points"].astype("Int64")
        return frame


def open_marks(path: str | Path, rubric: Rubric | None = None) -> Marks:
    """Open (or start) the marks file at ``path``; see :func:`marks_path` for where a class's goes.

    >>> import tempfile
    >>> marks = open_marks(Path(tempfile.mkdtemp()) / "period3-marks.json")
    >>> marks.set("ana", "rationale", "joe biden", 2)
    >>> open_marks(marks.path).get("ana", "rationale", "joe biden")
    2
    """
    return Marks(Path(path).expanduser(), rubric or load_rubric())


def thinking_scores(answers: pd.DataFrame, marks: Marks, *, students: Iterable[str] | None = None) -> pd.DataFrame:
    """Each student's score per criterion: the mean of the levels given, as a share of the top level (0 to 1).

    Parameters
    ----------
    answers
        The answers to grade (:func:`thinking`).
    marks
        The teacher's marks.
    students
        Every student to list (those with no answers get ``<NA>``); default the students in ``answers``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``annotator``: one column per criterion (``<NA>`` where nothing is marked yet), then
        ``marked`` and ``to_mark`` (answers marked and still to mark).

    >>> import pandas as pd, tempfile
    >>> answers = pd.DataFrame([["ana", "", "rationale", "joe biden", "Joe Biden", "He says so.", ""]],
    ...                        columns=THINKING_COLUMNS)
    >>> marks = open_marks(Path(tempfile.mkdtemp()) / "m.json")
    >>> marks.set("ana", "rationale", "joe biden", 2)
    >>> float(round(thinking_scores(answers, marks).loc["ana", "rationale"], 3))
    0.667
    """
    import pandas as pd

    rubric = marks.rubric
    names = sorted(set(students) if students is not None else set(answers["annotator"]))
    result = pd.DataFrame(index=pd.Index(names, name="annotator"), columns=list(rubric.ids), dtype="Float64")
    marked = pd.Series(0, index=result.index, dtype="int64")
    to_mark = pd.Series(0, index=result.index, dtype="int64")
    given = {(m.annotator, m.article_id, m.criterion, m.item): m.points for m in marks._marks.values()}
    for (annotator, criterion), rows in answers.groupby(["annotator", "criterion"], sort=False):
        if annotator not in result.index or criterion not in rubric.ids:
            continue
        keys = zip(rows["article_id"], rows["item"], strict=True)
        points = [given.get((annotator, article_id, criterion, item)) for article_id, item in keys]
        done = [p for p in points if p is not None]
        marked[annotator] += len(done)
        to_mark[annotator] += len(points) - len(done)
        if done:
            result.loc[annotator, criterion] = sum(done) / (len(done) * rubric.criterion(criterion).top)
    result["marked"] = marked
    result["to_mark"] = to_mark
    return result
