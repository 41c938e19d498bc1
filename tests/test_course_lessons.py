"""What every student lesson promises, read from the notebook files: no answer key, reflections, a hand-in button.

These checks read the notebooks without running them (``test_course_notebooks.py`` runs them). A lesson that puts
the key in a student's kernel, asks a question in a markdown cell the teacher never sees, or ends without a way to
hand in fails here.
"""

import ast
import json
import re
from pathlib import Path

import pytest
from course_harness import NOTEBOOKS, STUDENT_NOTEBOOKS, reflection_ids

import annotkit
from annotkit.rubric import load_rubric

#: The one student lesson that shows the course's answer key: lesson 05 compares the student's work with it, after
#: lessons 02-04 and their Check my work. Lesson 06 loads only the key the student wrote for their own article.
SHOWS_THE_KEY = {"05_compare_and_discuss.ipynb"}
OWN_KEY = {"06_bring_your_own_article.ipynb"}


def cells(path, kind):
    return [cell for cell in json.loads(path.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == kind]


def source(cell):
    return "".join(cell["source"])


def syntax(path):
    """Every code cell of a notebook as a Python syntax tree (IPython's %magic lines left out)."""
    trees = []
    for cell in cells(path, "code"):
        code = "\n".join(line for line in source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))
        trees.append(ast.parse(code))
    return trees


def calls(path, name):
    """Every call of ``name(...)`` or ``something.name(...)`` in a notebook's code cells."""
    found = []
    for tree in syntax(path):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                if called == name:
                    found.append(node)
    return found


ALL_IDS = {path.name: reflection_ids(path) for path in STUDENT_NOTEBOOKS}


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name)
def test_no_student_notebook_holds_the_answer_key(path):
    for tree in syntax(path):
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assert node.id != "key", f"{path.name} binds the answer key to a name: key = ..."
    assert not calls(path, "answer_key"), f"{path.name} loads the answer key"
    loads = calls(path, "load_key")
    if path.name in OWN_KEY:  # the student's own key file, written a few cells before
        assert loads and all(any(k.arg == "path" for k in call.keywords) for call in loads), path.name
    elif path.name not in SHOWS_THE_KEY:
        assert not loads, f"{path.name} loads the answer key"


def test_only_lesson_05_shows_the_key_and_only_after_saying_so():
    path = NOTEBOOKS / "05_compare_and_discuss.ipynb"
    everything = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = next(i for i, cell in enumerate(everything) if "load_key(" in source(cell))
    before = " ".join(source(cell) for cell in everything[:first] if cell["cell_type"] == "markdown")
    assert "after lessons 02 to 04" in before and "Check my\nwork" in before


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name)
def test_every_lesson_ends_with_the_hand_in_button(path):
    code = cells(path, "code")
    assert source(code[-1]).strip() == "HandIn(store=store)", f"{path.name}: the last code cell is not the hand-in"
    everything = "\n".join(source(cell) for cell in json.loads(path.read_text(encoding="utf-8"))["cells"])
    assert "export_submission" not in everything, f"{path.name}: hand in with the button, not export_submission"
    assert "annotations.sqlite" not in everything, f"{path.name}: the store is .annotkit/work.sqlite now"


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name)
def test_reflections_are_written_in_the_reflection_widget_not_in_markdown(path):
    for call in calls(path, "Reflection"):  # the id and the question written out, so the teacher's table is stable
        assert len(call.args) >= 3 and all(isinstance(a, ast.Constant) for a in call.args[1:3]), ast.unparse(call)
    assert [call.args[1].value for call in calls(path, "Reflection")] == ALL_IDS[path.name]
    assert ALL_IDS[path.name], f"{path.name} asks nothing in a Reflection widget"
    for cell in cells(path, "markdown"):
        text = source(cell)
        assert not re.search(r"\*My (reflection|answers|plan|headline|rewritten)", text), (
            f"{path.name}: a markdown cell for the student to edit (the teacher never sees it):\n{text[:200]}"
        )
        assert "in the cell below" not in text, f"{path.name}: {text[:200]}"


def test_reflection_ids_are_stable_unique_and_named_after_their_lesson():
    seen = {}
    for name, ids in ALL_IDS.items():
        for question_id in ids:
            assert re.fullmatch(rf"{name[:2]}-[a-z0-9]+(-[a-z0-9]+)*", question_id), (name, question_id)
            assert question_id not in seen, f"{question_id} is asked in {seen.get(question_id)} and {name}"
            seen[question_id] = name


def test_the_teachers_guide_lists_every_question_id_of_every_lesson():
    guide = (NOTEBOOKS / "teacher" / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| (\d\d) \| (.+) \|$", guide, re.MULTILINE))
    for name, ids in ALL_IDS.items():
        assert re.findall(r"`(\d\d-[a-z0-9-]+)`", rows.get(name[:2], "")) == ids, name


def test_the_sample_class_answers_questions_the_lessons_ask():
    work = annotkit.read_submissions(annotkit.data_path("sample_class"))
    asked = {question_id for ids in ALL_IDS.values() for question_id in ids}
    assert set(work.reflections["question_id"]) <= asked
    # The sample class's questions are the lessons' own words, so the dashboard shows what students read.
    for question_id, question in work.reflections.drop_duplicates("question_id")[["question_id", "question"]].values:
        lesson = NOTEBOOKS / next(name for name, ids in ALL_IDS.items() if question_id in ids)
        call = next(c for c in calls(lesson, "Reflection") if c.args[1].value == question_id)
        assert call.args[2].value == question, question_id


def test_the_rubric_grades_the_fact_check_plan_and_nothing_else_as_one():
    rubric = load_rubric()
    graded = {
        question_id: rubric.criterion_for(question_id).id
        for ids in ALL_IDS.values()
        for question_id in ids
        if rubric.criterion_for(question_id) is not None
    }
    assert [q for q, criterion in graded.items() if criterion == "fact_check"] == ["03-factcheck-plan"]
    assert set(graded) == {q for ids in ALL_IDS.values() for q in ids}  # every answer is graded by some criterion


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name)
def test_no_student_cell_asserts_or_fills_in_answers(path):
    for cell in cells(path, "code"):
        text = source(cell)
        assert not re.search(r"^\s*assert\b", text, re.MULTILINE), f"{path.name}: an assertion cell\n{text}"
        assert "autofill(" not in text and "autofill_banner" not in text, f"{path.name}: autofill\n{text}"
        # Nor a word about tests: files go through annotkit.course.files_folder, which knows when tests run.
        assert not re.search(r"autofill|\btests?\b|AUTOFILL", text), f"{path.name}: test machinery\n{text}"


TEACHER_NOTEBOOKS = sorted((NOTEBOOKS / "teacher").glob("*.ipynb"))


@pytest.mark.parametrize("path", TEACHER_NOTEBOOKS, ids=lambda p: p.name)
def test_the_teacher_notebooks_show_no_test_machinery(path):
    # The dashboard and files_folder choose a temporary folder themselves while the course's tests run.
    for cell in cells(path, "code"):
        text = source(cell)
        assert not re.search(r"autofill|\btests?\b|tested|AUTOFILL|tempfile", text), f"test machinery\n{text}"


def test_a_teachers_assignment_is_kept_in_a_folder_beside_the_notebook(tmp_path, monkeypatch, capsys):
    # Hours of tagging go into WORK/key.sqlite: a temporary folder would lose the key when the machine cleans up.
    path = NOTEBOOKS / "teacher" / "11_make_your_own_assignment.ipynb"
    monkeypatch.setenv("ANNOTKIT_AUTOFILL", "0")  # a teacher's session, not the course's tests
    monkeypatch.chdir(tmp_path)  # the notebook's folder
    namespace: dict = {}
    exec(source(cells(path, "code")[0]), namespace)
    assert namespace["WORK"].resolve() == tmp_path / "my_assignment"
    assert namespace["WORK"].is_dir()
    assert "my_assignment" in capsys.readouterr().out  # the teacher is told where their files are


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: p.name)
def test_every_student_notebook_states_its_core_and_extension_times(path):
    first = source(cells(path, "markdown")[0])
    assert re.search(r"[Cc]ore", first) and re.search(r"[Ee]xtension", first), path.name
    assert re.search(r"\d+\s+minutes", first), path.name


KEY = annotkit.load_key(annotkit.load_bundled_article())


@pytest.mark.parametrize(
    ("lesson", "layer", "words"),
    [
        ("02_actors.ipynb", "actor", "The answer key has {n} actor mentions, of {entities} different actors."),
        ("02_actors.ipynb", "actor", "It is sure of {firm} of them"),
        ("02_actors.ipynb", "actor", "The other {debatable} are debatable"),
        ("03_claims.ipynb", "claim", "The key has {n} claims and is sure of {firm} of them"),
        ("03_claims.ipynb", "claim", "The other {debatable} are **debatable**"),
    ],
)
def test_the_key_figures_a_lesson_states_are_the_keys(lesson, layer, words):
    items = KEY[KEY.layer == layer]
    firm = int((~items.debatable).sum())
    expected = words.format(n=len(items), entities=items.entity.nunique(), firm=firm, debatable=len(items) - firm)
    text = " ".join(" ".join(source(cell).split()) for cell in cells(Path(NOTEBOOKS / lesson), "markdown"))
    assert expected in text
