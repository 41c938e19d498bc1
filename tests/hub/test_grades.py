"""Grades: the weighting, and each platform's import file against its documented columns.

The columns are checked against each platform's own documentation:

- Canvas: "How do I import grades in the Gradebook?" (Canvas Instructor Guide): a gradebook export's layout,
  ``Student, ID, SIS User ID, SIS Login ID, Section`` and one column per assignment, with a ``Points Possible``
  row; a student is matched by ID, SIS User ID or SIS Login ID.
- Moodle: Moodle Docs, "Grade import" (CSV import): one column is mapped to a user field (username, email address
  or ID number: "Identify user by"), every other column to a grade item or its feedback ("Grade item mappings");
  headers as Moodle's own grade export writes them.
- Google Classroom: Classroom help, "Export grades to Google Sheets or CSV": ``Last Name, First Name, Email
  Address`` then one column per assignment; students are matched by email.
"""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from annotkit.grades import GradesError, default_weights, grade_table, write_grades
from annotkit.roster import read_roster

SCORES = pd.DataFrame(
    {
        "annotator": ["ana", "ben"],
        "actor_f1_overlap": [0.8, 0.4],
        "claim_f1_overlap": [0.6, 0.5],
        "attribution_accuracy": [1.0, None],
        "stance_accuracy": [0.5, 1.0],
    }
)
THINKING = pd.DataFrame(
    {
        "rationale": [1.0, 0.5],
        "fact_check": [2 / 3, None],
        "reflection": [None, 1.0],
        "marked": [3, 2],
        "to_mark": [1, 1],
    },
    index=pd.Index(["ana", "ben"], name="annotator"),
).astype({"rationale": "Float64", "fact_check": "Float64", "reflection": "Float64"})


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_default_weights_give_the_thinking_seventy_percent_and_agreement_thirty():
    weights = default_weights()
    formative = sum(weights[k] for k in ("actor_f1", "claim_f1", "attribution", "stance"))
    assert formative == 30 and sum(weights.values()) == pytest.approx(100)


def test_the_overall_grade_weights_every_part_and_a_missing_part_counts_zero():
    table = grade_table(SCORES, THINKING, weights={"actor_f1": 1, "rationale": 1, "fact_check": 2})
    ana = table.set_index("student").loc["ana"]
    assert ana["overall"] == round((80 + 100 + 2 * 200 / 3) / 4, 1) == 78.3
    ben = table.set_index("student").loc["ben"]
    assert ben["overall"] == pytest.approx((40 + 50 + 0) / 4, abs=0.05) and not ben["complete"]
    assert list(table.columns) == [
        "student",
        "name",
        "actor_f1",
        "rationale",
        "fact_check",
        "overall",
        "complete",
        "to_mark",
    ]


def test_without_marks_the_grade_is_the_formative_agreement_alone():
    table = grade_table(SCORES, None)
    assert list(table.columns[2:6]) == ["actor_f1", "claim_f1", "attribution", "stance"]


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"essay": 3}, "No part of the grade is called essay."),
        ({"actor_f1": -1}, "A weight cannot be negative"),
        ({"actor_f1": 0}, "The weights add up to 0"),
    ],
)
def test_bad_weights_are_explained(weights, message):
    with pytest.raises(GradesError, match=message):
        grade_table(SCORES, THINKING, weights=weights)


@pytest.fixture
def table():
    return grade_table(SCORES, THINKING, weights={"actor_f1": 1, "rationale": 1})


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "class.csv"
    path.write_text(
        "Login,First name,Last name,Email,ID,SIS User ID,Section\n"
        "ana,Ana,Ruiz,ana@school.org,101,S-1,Period 3\n"
        "ben,Ben,Okafor,ben@school.org,102,S-2,Period 3\n",
        encoding="utf-8",
    )
    return read_roster(path)


def test_canvas_gradebook_import_columns(tmp_path, table, roster):
    rows = _rows(
        write_grades(table, tmp_path / "c.csv", format="canvas", assignment="Iraq article", points=20, roster=roster)
    )
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Iraq article"]
    assert rows[1] == ["Points Possible", "", "", "", "", "20"]
    assert rows[2] == ["Ruiz, Ana", "101", "S-1", "ana", "Period 3", "18"]  # 90% of 20 points
    assert len(rows) == 2 + 2


def test_moodle_grade_import_columns(tmp_path, table, roster):
    rows = _rows(write_grades(table, tmp_path / "m.csv", format="moodle", assignment="Iraq article", roster=roster))
    assert rows[0] == [
        "Username",
        "Email address",
        "ID number",
        "First name",
        "Last name",
        "Iraq article",
        "Iraq article feedback",
    ]
    assert rows[1][:6] == ["ana", "ana@school.org", "101", "Ana", "Ruiz", "90"]
    assert rows[1][6] == "actor f1 80%; rationale 100%"


def test_google_classroom_sheet_columns(tmp_path, table, roster):
    rows = _rows(write_grades(table, tmp_path / "g.csv", format="classroom", assignment="Iraq article", roster=roster))
    assert rows[0] == ["Last Name", "First Name", "Email Address", "Iraq article"]
    assert rows[2] == ["Okafor", "Ben", "ben@school.org", "45"]


def test_without_a_roster_students_are_named_by_login(tmp_path, table):
    rows = _rows(write_grades(table, tmp_path / "c.csv", format="canvas"))
    assert rows[2][:4] == ["ana", "", "", "ana"]


@pytest.mark.parametrize(
    ("format", "assignment", "message"),
    [
        ("blackboard", "x", "Unknown grades format 'blackboard'. Choose one of: csv, canvas, moodle, classroom."),
        ("canvas", " ", "The assignment needs a name"),
    ],
)
def test_a_bad_format_or_assignment_is_refused(tmp_path, table, format, assignment, message):
    with pytest.raises(GradesError, match=message):
        write_grades(table, tmp_path / "x.csv", format=format, assignment=assignment)
