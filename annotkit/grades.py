"""Grades: the rubric's marks and the formative agreement with the key, weighted, as files platforms import.

Agreement with the answer key measures one reading of an article in which many items are debatable, so it is
labelled *formative* and weighs little by default; the rubric's criteria (reasons, reflections, the fact-check
plan) carry most of the grade. The teacher sets every weight.

Each platform's file follows that platform's documented import layout (the sources are cited beside each
writer, and the tests check the columns against them).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._cells import cell_text, is_missing
from .errors import AnnotkitError

if TYPE_CHECKING:
    import pandas as pd

    from .rubric import Rubric

__all__ = [
    "FORMATIVE",
    "GRADE_FORMATS",
    "GradesError",
    "default_weights",
    "grade_table",
    "write_grades",
]

#: The agreement parts of a grade, and the :func:`annotkit.score_class` column each comes from.
FORMATIVE: Mapping[str, str] = {
    "actor_f1": "actor_f1_overlap",
    "claim_f1": "claim_f1_overlap",
    "attribution": "attribution_accuracy",
    "stance": "stance_accuracy",
}
GRADE_FORMATS = ("csv", "canvas", "moodle", "classroom")


class GradesError(AnnotkitError, ValueError):
    """Weights or a grades file that cannot be made."""


def default_weights(rubric: Rubric | None = None) -> dict[str, float]:
    """The weights used when the teacher sets none: agreement 30% (formative), the rubric 70%.

    The rubric's share is split by its criteria's own weights.

    >>> default_weights()  # doctest: +NORMALIZE_WHITESPACE
    {'actor_f1': 10.0, 'claim_f1': 10.0, 'attribution': 5.0, 'stance': 5.0, 'rationale': 28.0, 'fact_check': 21.0,
     'reflection': 21.0}
    """
    from .rubric import load_rubric

    rubric = rubric or load_rubric()
    weights = {"actor_f1": 10.0, "claim_f1": 10.0, "attribution": 5.0, "stance": 5.0}
    total = sum(c.weight for c in rubric.criteria)
    for criterion in rubric.criteria:
        weights[criterion.id] = round(70 * criterion.weight / total, 2) if total else 0.0
    return weights


def grade_table(
    scores: pd.DataFrame | None,
    thinking: pd.DataFrame | None = None,
    *,
    weights: Mapping[str, float] | None = None,
    names: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per student: each part of the grade as a percentage, and the weighted ``overall``.

    Parameters
    ----------
    scores
        :func:`annotkit.score_class`'s frame (agreement with the key), or None.
    thinking
        :func:`annotkit.rubric.thinking_scores`'s frame (the rubric), or None.
    weights
        How much each part counts: keys among :data:`FORMATIVE` and the rubric's criteria (any numbers; they are
        scaled to add up to 100%). Default :func:`default_weights`; parts with no data are left out.
    names
        :func:`annotkit.roster.class_names`'s frame, to add each student's ``name``.

    Returns
    -------
    pandas.DataFrame
        ``student`` (the annotator), ``name``, one column per weighted part (0-100, ``<NA>`` where there is
        nothing yet), ``overall`` (0-100: a missing part counts as 0), ``complete`` (every part there: every
        answer marked), ``to_mark``.

    Raises
    ------
    GradesError
        For a weight on an unknown part, a negative weight, or weights that add up to 0.

    >>> import pandas as pd
    >>> scores = pd.DataFrame({"annotator": ["ana"], "actor_f1_overlap": [0.8], "claim_f1_overlap": [0.6],
    ...                        "attribution_accuracy": [1.0], "stance_accuracy": [0.5]})
    >>> grade_table(scores, weights={"actor_f1": 1, "claim_f1": 1})[["student", "overall"]].values.tolist()
    [['ana', 70.0]]
    """
    import pandas as pd

    parts: dict[str, pd.Series] = {}
    if scores is not None and len(scores):
        indexed = scores.set_index("annotator")
        for part, column in FORMATIVE.items():
            if column in indexed:
                parts[part] = indexed[column].astype("Float64")
    to_mark = None
    if thinking is not None and len(thinking):
        for column in thinking.columns:
            if column not in ("marked", "to_mark"):
                parts[column] = thinking[column].astype("Float64")
        to_mark = thinking.get("to_mark")
    if weights is None:
        weights = {k: v for k, v in default_weights().items() if k in parts}
    unknown = sorted(set(weights) - set(parts) - set(FORMATIVE) - _criteria_ids())
    if unknown:
        known = ", ".join([*FORMATIVE, *sorted(_criteria_ids())])
        msg = f"No part of the grade is called {', '.join(unknown)}. The parts are: {known}."
        raise GradesError(msg)
    if any(w < 0 for w in weights.values()):
        msg = f"A weight cannot be negative ({dict(weights)}); use 0 to leave a part out."
        raise GradesError(msg)
    used = {k: float(w) for k, w in weights.items() if w and k in parts}
    if not used:
        msg = "The weights add up to 0, or weigh only parts with no data yet: give at least one part a weight."
        raise GradesError(msg)
    students = sorted(set().union(*(set(s.index) for s in parts.values())))
    table = pd.DataFrame(index=pd.Index(students, name="student"))
    exact = {part: parts[part].reindex(table.index) * 100 for part in used}
    for part in used:
        table[part] = exact[part].round(1)
    total = sum(used.values())
    # From the unrounded parts: rounding each part first could move the overall by a tenth.
    table["overall"] = sum(exact[p].fillna(0) * (w / total) for p, w in used.items()).astype(float).round(1)
    table["complete"] = table[list(used)].notna().all(axis=1)
    table["to_mark"] = to_mark.reindex(table.index).fillna(0).astype(int) if to_mark is not None else 0
    table = table.reset_index()
    if names is not None and len(names):
        table = table.merge(names[["annotator", "name"]].rename(columns={"annotator": "student"}), how="left")
    if "name" not in table:
        table["name"] = table["student"]
    table["name"] = table["name"].fillna(table["student"])
    return table[["student", "name", *used, "overall", "complete", "to_mark"]]


def _criteria_ids() -> set[str]:
    from .rubric import load_rubric

    try:
        return set(load_rubric().ids)
    except AnnotkitError:  # a broken course rubric is reported where it is used, not here
        return set()


def _split(name: str) -> tuple[str, str]:
    """First and last name from a full name: the last word is the last name."""
    words = name.split()
    return (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (name, "")


def _people(table: pd.DataFrame, roster: pd.DataFrame | None) -> list[dict[str, Any]]:
    """One dict per student with every identifier a platform may ask for: roster values first."""
    listed = {}
    if roster is not None and len(roster):
        listed = {str(r["annotator"]): r for r in roster.fillna("").to_dict("records")}
    people = []
    for row in table.to_dict("records"):
        on_roster = listed.get(str(row["student"]), {})
        name = str(on_roster.get("name") or row.get("name") or row["student"])
        first, last = _split(name)
        people.append(
            {
                **row,
                "name": name,
                "first_name": on_roster.get("first_name") or first,
                "last_name": on_roster.get("last_name") or last,
                "email": on_roster.get("email", ""),
                "student_id": on_roster.get("student_id", ""),
                "sis_user_id": on_roster.get("sis_user_id", ""),
                "sis_login_id": on_roster.get("sis_login_id") or row["student"],
                "section": on_roster.get("section", ""),
            }
        )
    return people


def _points(overall: Any, points: float) -> str:
    if is_missing(overall):
        return ""
    value = round(float(overall) * points / 100, 1)
    return str(int(value)) if value == int(value) else str(value)


def _feedback(row: Mapping[str, Any], parts: list[str]) -> str:
    shown = [f"{p.replace('_', ' ')} {row[p]:.0f}%" for p in parts if not is_missing(row.get(p))]
    return "; ".join(shown)


def write_grades(
    table: pd.DataFrame,
    path: str | Path,
    *,
    format: str = "csv",
    assignment: str = "annotkit",
    points: float = 100,
    roster: pd.DataFrame | None = None,
) -> Path:
    """Write grades (:func:`grade_table`) as a file a learning platform imports.

    Parameters
    ----------
    table
        The grades.
    path
        The CSV file to write. It names students: keep it private.
    format
        ``csv`` (the table as it is), ``canvas`` (Canvas gradebook import), ``moodle`` (Moodle's CSV grade
        import) or ``classroom`` (a Google Sheet ready to copy into Google Classroom).
    assignment
        The assignment's (grade item's) name in the platform.
    points
        The assignment's points possible: ``overall`` (a percentage) is scaled to it.
    roster
        :func:`annotkit.roster.read_roster`'s frame: the ids, emails and sections platforms match students by.

    Returns
    -------
    Path

    >>> import pandas as pd, tempfile
    >>> table = pd.DataFrame({"student": ["ana"], "name": ["Ana Ruiz"], "overall": [87.5]})
    >>> path = write_grades(table, Path(tempfile.mkdtemp()) / "moodle.csv", format="moodle", assignment="Iraq")
    >>> path.read_text(encoding="utf-8").splitlines()[:2]
    ['Username,Email address,ID number,First name,Last name,Iraq,Iraq feedback', 'ana,,,Ana,Ruiz,87.5,']
    """
    if format not in GRADE_FORMATS:
        msg = f"Unknown grades format {format!r}. Choose one of: {', '.join(GRADE_FORMATS)}."
        raise GradesError(msg)
    if not assignment.strip():
        msg = "The assignment needs a name: the grade column your platform will show (for example 'Iraq article')."
        raise GradesError(msg)
    path = Path(path).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = [c for c in table.columns if c not in ("student", "name", "overall", "complete", "to_mark")]
    people = _people(table, roster)
    rows: list[list[str]]
    if format == "csv":
        rows = [list(map(str, table.columns))]
        rows += [[cell_text(v) for v in r] for r in table.itertuples(index=False)]
    elif format == "canvas":
        # Canvas, "How do I import grades in the Gradebook?" (Canvas Instructor Guide): the layout of a gradebook
        # export: Student, ID, SIS User ID, SIS Login ID, Section, then one column per assignment; the second row is
        # "Points Possible". A student is matched by ID, else SIS User ID, else SIS Login ID; a new column name
        # creates a new assignment.
        rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment]]
        rows.append(["Points Possible", "", "", "", "", _points(100, points)])
        rows += [
            [
                f"{p['last_name']}, {p['first_name']}" if p["last_name"] else p["name"],
                p["student_id"],
                p["sis_user_id"],
                p["sis_login_id"],
                p["section"],
                _points(p["overall"], points),
            ]
            for p in people
        ]
    elif format == "moodle":
        # Moodle Docs, "Grade import" (CSV import): the teacher maps one column to a user field (username,
        # email address or ID number) under "Identify user by", and each other column to a grade item or its
        # feedback under "Grade item mappings". Headers follow Moodle's own grade export.
        header = ["Username", "Email address", "ID number", "First name", "Last name"]
        rows = [[*header, assignment, f"{assignment} feedback"]]
        rows += [
            [
                p["student"],
                p["email"],
                p["student_id"],
                p["first_name"],
                p["last_name"],
                _points(p["overall"], points),
                _feedback(p, parts),
            ]
            for p in people
        ]
    else:
        # Google Classroom help, "Export grades to Google Sheets or CSV": the grades sheet has Last Name, First
        # Name, Email Address, then one column per assignment. Classroom imports grades only from its own quizzes,
        # so this sheet sits beside Classroom's export and its column is pasted in, matched by email.
        rows = [["Last Name", "First Name", "Email Address", assignment]]
        rows += [[p["last_name"], p["first_name"], p["email"], _points(p["overall"], points)] for p in people]
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path
