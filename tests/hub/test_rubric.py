"""The rubric file, the answers it grades, and the teacher's marks file."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import annotkit
from annotkit.rubric import (
    THINKING_COLUMNS,
    RubricError,
    load_rubric,
    marks_path,
    open_marks,
    thinking,
    thinking_scores,
)

REFLECTIONS = pd.DataFrame(
    [
        (
            "ana.json",
            "ana",
            "Ana Ruiz",
            "a1",
            "05-fact-check-plan",
            "How would you check it?",
            "The Pentagon's figures.",
        ),
        ("ana.json", "ana", "Ana Ruiz", "a1", "04-missing-voices", "Whose voice is missing?", "Iraqi civilians."),
        ("ben.json", "ben", "Ben", "a1", "04-missing-voices", "Whose voice is missing?", ""),
    ],
    columns=["submission", "annotator", "student_name", "article_id", "question_id", "question", "answer"],
)


def _perspectives():
    return pd.DataFrame(
        [
            {"annotation_id": "c1", "annotator": "ana", "article_id": "a1", "layer": "claim", "text": "troops stay"},
            {
                "annotation_id": "p1",
                "annotator": "ana",
                "article_id": "a1",
                "layer": "perspective",
                "entity": "Joe  Biden",
                "stance": "support",
                "frame": "security",
                "rationale": "He says so.",
                "evidence": "c1",
            },
            {
                "annotation_id": "p2",
                "annotator": "ben",
                "article_id": "a1",
                "layer": "perspective",
                "entity": "joe biden",
                "stance": "oppose",
                "frame": pd.NA,
                "rationale": pd.NA,
                "evidence": pd.NA,
            },
        ]
    )


def test_the_default_rubric_grades_rationales_reflections_and_the_fact_check_plan():
    rubric = load_rubric()
    assert rubric.ids == ("rationale", "fact_check", "reflection")
    assert [c.source for c in rubric.criteria] == ["rationale", "reflection", "reflection"]
    assert all(c.levels[0].points == 0 and c.top == 3 for c in rubric.criteria)
    assert len(rubric.exit_ticket) == 3
    # A reflection goes to the first criterion that matches it: the fact-check plan before the rest.
    assert rubric.criterion_for("05-fact-check-plan").id == "fact_check"
    assert rubric.criterion_for("04-missing-voices").id == "reflection"


def test_the_rubric_ships_in_the_wheel_data_folder():
    assert annotkit.data_path("rubrics", "default.json").is_file()


def test_a_teachers_rubric_in_the_course_folder_comes_first(tmp_path, monkeypatch):
    spec = json.loads(annotkit.data_path("rubrics", "default.json").read_text(encoding="utf-8"))
    spec["criteria"] = spec["criteria"][:1]
    (tmp_path / "data" / "rubrics").mkdir(parents=True)
    (tmp_path / "data" / "rubrics" / "default.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a folder outside the course: only $ANNOTKIT_COURSE can point at it
    monkeypatch.setenv("ANNOTKIT_COURSE", str(tmp_path))
    assert load_rubric().ids == ("rationale",)
    monkeypatch.setenv("ANNOTKIT_COURSE", str(tmp_path / "nothing-here"))
    assert load_rubric().ids == ("rationale", "fact_check", "reflection")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.pop("criteria"), "needs 'criteria' (list)"),
        (lambda s: s["criteria"][0].update(source="essay"), "has source 'essay'; use one of: rationale, reflection."),
        (lambda s: s["criteria"][0].update(levels=[{"points": 0, "label": "x"}]), "needs at least two levels"),
        (lambda s: s["criteria"][0]["levels"][1].update(points=0), "at least two levels with different whole points"),
        (lambda s: s["criteria"][0].update(weight=-1), "has a negative weight (-1)"),
        (lambda s: s["criteria"][1].update(id="rationale"), "each with its own id"),
    ],
)
def test_a_broken_rubric_says_what_is_wrong(tmp_path, change, message):
    spec = json.loads(annotkit.data_path("rubrics", "default.json").read_text(encoding="utf-8"))
    change(spec)
    path = tmp_path / "rubric.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(RubricError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_rubric(path)


def test_a_missing_or_garbled_rubric_file(tmp_path):
    with pytest.raises(RubricError, match="There is no rubric file at"):
        load_rubric(tmp_path / "nope.json")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(RubricError, match="cannot be read as JSON"):
        load_rubric(tmp_path / "bad.json")


def test_thinking_lists_each_rationale_by_actor_and_each_reflection_by_question():
    answers = thinking(_perspectives(), REFLECTIONS)
    assert list(answers.columns) == list(THINKING_COLUMNS)
    rationale = answers[answers["criterion"] == "rationale"]
    # "Joe  Biden" and "joe biden" are one actor: both students' reasons are side by side under it.
    assert rationale["item"].tolist() == ["joe biden", "joe biden"]
    ana = rationale[rationale["annotator"] == "ana"].iloc[0]
    assert ana["answer"] == "He says so." and "stance: support" in ana["details"] and "“troops stay”" in ana["details"]
    assert rationale[rationale["annotator"] == "ben"].iloc[0]["answer"] == ""  # no reason given: still listed
    assert answers[answers["criterion"] == "fact_check"]["answer"].tolist() == ["The Pentagon's figures."]
    assert sorted(answers[answers["criterion"] == "reflection"]["annotator"]) == ["ana", "ben"]


def test_marks_are_saved_at_once_and_come_back(tmp_path):
    path = tmp_path / "period3-marks.json"
    marks = open_marks(path)
    marks.set("ana", "rationale", "joe biden", 3, article_id="a1", comment="Good use of evidence")
    marks.set("ben", "rationale", "joe biden", 1, article_id="a1")
    again = open_marks(path)
    assert again.get("ana", "rationale", "joe biden", article_id="a1") == 3
    assert again.frame.set_index("annotator").loc["ana", "comment"] == "Good use of evidence"
    again.set("ana", "rationale", "joe biden", None, article_id="a1")  # cleared, the comment stays
    third = open_marks(path)
    assert third.get("ana", "rationale", "joe biden", article_id="a1") is None
    assert third.frame.set_index("annotator").loc["ana", "comment"] == "Good use of evidence"
    assert len(third) == 1 and not path.with_name(path.name + ".partial").exists()


@pytest.mark.parametrize(
    ("criterion", "points", "message"),
    [
        ("rationale", 7, "7 is not a level of 'rationale'; choose one of [0, 1, 2, 3]."),
        ("rationale", True, "True is not a level of 'rationale'"),
        ("essay", 1, "The rubric has no criterion 'essay'. Its criteria are: rationale, fact_check, reflection."),
    ],
)
def test_a_mark_that_is_not_a_level_is_refused(tmp_path, criterion, points, message):
    marks = open_marks(tmp_path / "m.json")
    with pytest.raises(RubricError) as error:
        marks.set("ana", criterion, "x", points)
    assert message in str(error.value)
    assert not (tmp_path / "m.json").exists()


def test_a_damaged_marks_file_is_never_overwritten(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(RubricError, match="is not an annotkit marks file"):
        open_marks(path)
    assert path.read_text(encoding="utf-8") == '{"format": "something else"}'


def test_thinking_scores_are_the_mean_level_over_the_top_and_count_what_is_left(tmp_path):
    answers = thinking(_perspectives(), REFLECTIONS)
    marks = open_marks(tmp_path / "m.json")
    marks.set("ana", "rationale", "joe biden", 3, article_id="a1")
    marks.set("ana", "reflection", "04-missing-voices", 2, article_id="a1")
    scores = thinking_scores(answers, marks, students=["ana", "ben", "cai"])
    assert scores.loc["ana", "rationale"] == 1.0 and scores.loc["ana", "reflection"] == pytest.approx(2 / 3)
    assert pd.isna(scores.loc["ana", "fact_check"])  # handed in, not marked yet
    assert scores.loc["ana", "marked"] == 2 and scores.loc["ana", "to_mark"] == 1
    assert scores.loc["ben", "to_mark"] == 2 and pd.isna(scores.loc["ben", "rationale"])
    assert scores.loc["cai"].isna().sum() == 3  # on the class list, nothing handed in


def test_marks_live_beside_the_class_never_inside_it(tmp_path, monkeypatch):
    assert marks_path(tmp_path / "period3") == tmp_path / "period3-marks.json"
    assert marks_path(tmp_path / "period3.zip") == tmp_path / "period3-marks.json"
    monkeypatch.chdir(tmp_path)
    assert marks_path(annotkit.data_path("sample_class")) == tmp_path / "sample_class-marks.json"
