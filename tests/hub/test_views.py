"""The class view, the dashboard and grading view (Python side), the report and the printables."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

import annotkit
from annotkit.classroom import disagreements, open_class, progress
from annotkit.dashboard import Dashboard, GradingView
from annotkit.printables import (
    answer_sheet_html,
    exit_ticket_html,
    numbered_article_html,
    scheme_card_html,
    write_printables,
)
from annotkit.rubric import THINKING_COLUMNS, load_rubric, open_marks

from ._jupyterhub import in_own_thread

SAMPLE = annotkit.data_path("sample_class")


@pytest.fixture(scope="module")
def view():
    return open_class(SAMPLE)


def test_the_class_view_of_the_sample_class(view):
    assert len(view.students) == 24 and view.scores is not None and len(view.scores) == 24
    assert sorted(view.problems["submission"]) == [
        "problems/lukas_wrong_article.json",
        "problems/zoe_edited_by_hand.json",
    ]
    # Jamal handed in twice: his later file counts, and his name is not taken from "jamal_first_try.json".
    assert view.name_of("Jamal") == "Jamal"
    assert set(view.annotations["submission"]) & {"jamal_first_try.json"} == set()


def test_a_final_hand_in_counts_over_a_later_draft(tmp_path, bundled):
    store = annotkit.open_store(tmp_path / "work.sqlite", annotator="ana")
    start = bundled.text.index("Lloyd Austin")
    store.add(bundled, layer="actor", label="official", start=start, end=start + 12, entity="Lloyd Austin")
    annotkit.hand_in(store, name="Ana Ruiz", folder=tmp_path / "class" / "final")
    start = bundled.text.index("Biden")
    store.add(bundled, layer="actor", label="official", start=start, end=start + 5, entity="Joe Biden")
    annotkit.hand_in(store, name="Ana Ruiz", folder=tmp_path / "class" / "drafts", draft=True)
    view = open_class(tmp_path / "class")
    assert set(view.annotations["submission"]) == {"final/Ana_Ruiz.json"} and len(view.annotations) == 1
    # The live view shows how far the student is now: the latest file, draft or not.
    progress_now = view.progress.set_index("annotator").loc["ana"]
    assert bool(progress_now["draft"]) and progress_now["actors"] == 2
    assert view.name_of("ana") == "Ana Ruiz"  # the name the student typed, from inside the file


def test_progress_counts_each_layer_and_measures_against_the_key(view):
    table = view.progress.set_index("annotator")
    aisha = view.annotations[view.annotations["annotator"] == "Aisha"]["layer"].value_counts()
    assert table.loc["Aisha", ["actors", "claims", "perspectives"]].tolist() == [
        aisha["actor"],
        aisha["claim"],
        aisha["perspective"],
    ]
    # Aisha is one of the sample class's strong students, Ingrid one of the struggling ones.
    assert table["progress"].between(0, 1).all() and table.loc["Aisha", "progress"] > table.loc["Ingrid", "progress"]
    no_key = progress(view.work, view.article.article_id, None)
    assert no_key["progress"].isna().all()


def test_disagreements_name_no_student_and_come_most_split_first(view):
    table = disagreements(view.annotations)
    assert list(table.columns) == ["layer", "what", "students", "answers", "split"]
    assert table["split"].is_monotonic_decreasing and (table["students"] >= 3).all()
    # Only words of the article and actors' names: nothing about who answered what.
    entities = set(view.annotations["entity"].dropna())
    assert all(what in view.article.text or what in entities for what in table["what"])
    assert not {"annotator", "submission", "student_name"} & set(table.columns)


def test_everyone_agreeing_is_no_disagreement():
    frame = pd.DataFrame(
        {"annotator": list("abc"), "layer": ["perspective"] * 3, "entity": ["Biden"] * 3, "stance": ["support"] * 3}
    )
    assert disagreements(frame).empty


def test_the_dashboard_builds_with_settings_and_tabs(tmp_path):
    board = Dashboard(SAMPLE, out=tmp_path)
    assert [board.tabs.get_title(i) for i in range(5)] == [
        "Class now",
        "Grade the thinking",
        "Scores (formative)",
        "Grades & files",
        "Problems",
    ]
    assert set(board.weights) == {"actor_f1", "claim_f1", "attribution", "stance", *load_rubric().ids}
    assert "Aisha" in board.now.value and "Where the class disagrees" in board.now.value
    assert "zoe_edited_by_hand.json" in board.problems_box.value


def test_projector_mode_hides_every_name_and_grade(tmp_path):
    board = Dashboard(SAMPLE, out=tmp_path)
    board.projector.value = True
    shown = board.now.value + board.scores_box.value + board.grades_box.value + board.problems_box.value
    assert not [name for name in board.view.students if re.search(rf">{name}<", shown)]
    assert "Hidden in projector mode" in board.grades_box.value
    board.projector.value = False
    assert "Aisha" in board.now.value


def test_the_weights_change_the_grades_at_once(tmp_path):
    board = Dashboard(SAMPLE, out=tmp_path)
    before = board.grades()["overall"].tolist()
    for part, box in board.weights.items():
        box.value = 1 if part == "actor_f1" else 0
    after = board.grades()
    assert after["overall"].tolist() != before and list(after.columns[2:3]) == ["actor_f1"]
    assert after["overall"].tolist() == after["actor_f1"].tolist()


def test_every_file_written_has_a_download_link(tmp_path):
    board = Dashboard(SAMPLE, out=tmp_path)
    written = board.write_files()
    assert {p.name for p in written.values()} >= {
        "grades-canvas.csv",
        "grades-moodle.csv",
        "grades-classroom.csv",
        "grades-csv.csv",
        "class-report.html",
        "class-anonymous.csv",
    }
    for path in written.values():
        assert f'download="{path.name}"' in board.files_box.value


def test_the_files_go_beside_the_class_and_never_into_the_course_while_its_tests_run(tmp_path, monkeypatch):
    class_folder = tmp_path / "period3"
    shutil.copytree(SAMPLE, class_folder)
    monkeypatch.setenv("ANNOTKIT_AUTOFILL", "0")  # a teacher's kernel (CI=true alone would say tests run)
    assert Dashboard(class_folder).out_folder() == tmp_path / "period3-files"
    monkeypatch.setenv("ANNOTKIT_AUTOFILL", "1")  # the course's tests run the dashboard's notebook
    board = Dashboard(class_folder)
    assert board.out_folder() == board.out_folder() != tmp_path / "period3-files"
    assert board.out_folder().is_dir() and not any(board.out_folder().iterdir())
    assert Dashboard(class_folder, out=tmp_path / "mine").out_folder() == tmp_path / "mine"  # a folder named wins


def test_a_wrong_folder_is_a_message_in_the_app(tmp_path):
    board = Dashboard(SAMPLE, out=tmp_path)
    board.folder.value = str(tmp_path / "nope")
    board.refresh()
    assert "There is no folder or file at" in board.status.value and len(board.view.students) == 24


def test_live_mode_reads_the_inbox_again(tmp_path):
    import asyncio

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLE / "aisha.json", inbox)

    async def lesson():
        board = Dashboard(inbox, out=tmp_path, refresh_seconds=0.05)
        assert len(board.view.students) == 1
        board.live.value = True
        shutil.copy(SAMPLE / "ben.json", inbox)  # a student hands in during the lesson
        await asyncio.sleep(0.5)
        board.live.value = False
        return board

    board = in_own_thread(lambda: asyncio.run(lesson()))  # a loop of its own, whatever else is running
    assert len(board.view.students) == 2 and "Ben" in board.now.value


def _answers():
    return pd.DataFrame(
        [
            ["ana", "a1", "rationale", "joe biden", "Joe Biden", "He says troops stay.", "stance: support"],
            ["ben", "a1", "rationale", "joe biden", "Joe Biden", "", "stance: oppose"],
            ["ana", "a1", "fact_check", "05-fact-check-plan", "How would you check?", "The Pentagon.", ""],
        ],
        columns=THINKING_COLUMNS,
    )


def test_the_grading_view_groups_answers_by_question_and_saves_each_mark(tmp_path):
    marks = open_marks(tmp_path / "m.json")
    grading = GradingView(_answers(), marks, names={"ana": "Ana Ruiz"})
    assert [(q["criterion"], q["prompt"], len(q["answers"])) for q in grading.questions] == [
        ("rationale", "Joe Biden", 2),
        ("fact_check", "How would you check?", 1),
    ]
    assert grading.questions[0]["answers"][0]["who"] == "Ana Ruiz"
    grading.send_state()  # the browser sends {"type": "mark"}: the same path
    grading._on_message(grading, {"type": "mark", "question": 0, "answer": 1, "points": 1}, [])
    assert json.loads(marks.path.read_text(encoding="utf-8"))["marks"][0]["annotator"] == "ben"
    assert grading.questions[0]["answers"][1]["points"] == 1 and "Saved: 1 (restates) for ben" in grading.status
    grading.mark(1, 0, 9)
    assert (
        "9 is not a level of 'fact_check'" in grading.status
        and marks.get("ana", "fact_check", "05-fact-check-plan", article_id="a1") is None
    )


def test_blind_marking_shows_no_names(tmp_path):
    grading = GradingView(_answers(), open_marks(tmp_path / "m.json"), names={"ana": "Ana Ruiz"}, anonymous=True)
    whos = [a["who"] for q in grading.questions for a in q["answers"]]
    assert set(whos) == {"Student 1", "Student 2"}


def test_reloading_keeps_the_question_on_screen(tmp_path):
    grading = GradingView(_answers(), open_marks(tmp_path / "m.json"))
    grading.question = 1
    more = pd.concat([_answers(), _answers().assign(annotator="cai")])
    grading.load(more)
    assert grading.question == 1 and len(grading.questions[1]["answers"]) == 2


def test_the_report_shows_rationales_and_marks(tmp_path, view):
    from annotkit.report import class_report

    marks = open_marks(tmp_path / "m.json")
    page = class_report(view, marks=marks)
    assert "formative" in page and "<h2>Grades</h2>" in page and "Where the class disagrees" in page
    assert page.count("<svg") >= 1


def test_the_printables_escape_the_article_and_number_its_paragraphs(tmp_path, bundled):
    evil = annotkit.Article.from_text("Headline <script>alert(1)</script>\n\nFirst paragraph & more.\n\nSecond one.")
    page = numbered_article_html(evil)
    assert "<script>" not in page and "&lt;script&gt;" in page and "First paragraph &amp; more." in page
    numbers = re.findall(r'<span class="n">(\d+)</span>', numbered_article_html(bundled))
    assert numbers == [str(i) for i in bundled.paragraphs["para_id"]]


def test_the_scheme_card_the_answer_sheet_and_the_exit_ticket(bundled):
    card = scheme_card_html()
    scheme = annotkit.load_scheme()
    for layer in scheme.layers:
        for label in layer.labels:
            assert label.name in card or label.name.replace("'", "&#x27;") in card
    key = annotkit.answer_key(bundled)
    sheet = answer_sheet_html(bundled, key)
    assert "Teacher's copy" in sheet or "Teacher&#x27;s copy" in sheet
    assert sheet.count("★") >= int(key["debatable"].sum())
    ticket = exit_ticket_html(bundled, copies=2)
    assert ticket.count('class="ticket"') == 2 and all(q in ticket for q in load_rubric().exit_ticket[:1])


def test_write_printables_without_a_key_skips_the_answer_sheet(tmp_path, bundled):
    written = write_printables(tmp_path, bundled)
    assert set(written) == {"article", "scheme", "exit"}
    for path in written.values():
        text = path.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>") and "@media print" in text
