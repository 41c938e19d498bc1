"""The ``annotkit`` command: every command runs, says what it wrote, and explains bad input without a traceback."""

from __future__ import annotations

import csv
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import annotkit
from annotkit.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SAMPLE = annotkit.data_path("sample_class")
# argparse has no public way to list sub-commands: read them from the sub-parsers action.
COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def test_every_command_is_listed_by_help_and_documented_in_the_readme():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "annotkit"), "--help"], capture_output=True, text=True, check=True
    )
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\b", result.stdout, re.MULTILINE), f"annotkit --help does not list {command}"
        assert f"annotkit {command}" in README, f"README.md does not document `annotkit {command}`"
    assert set(COMMANDS) >= {"collect", "score", "report", "grades", "print", "config", "link"}


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _class(folder: Path, names=("aisha", "ben", "carmen")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SAMPLE / f"{name}.json", folder / f"{name}.json")
    return folder


def test_collect_an_inbox(here, capsys):
    inbox = _class(here / "inbox")
    (inbox / ".ipynb_checkpoints").mkdir()
    shutil.copy(SAMPLE / "wei.json", inbox / ".ipynb_checkpoints" / "wei.json")
    assert main(["collect", str(inbox), "--to", "period3"]) == 0
    assert sorted(p.name for p in (here / "period3").iterdir()) == ["aisha.json", "ben.json", "carmen.json"]
    assert "3 hand-ins from 3 students in period3" in capsys.readouterr().out


def test_collect_a_folder_of_homes_keeps_each_home_apart(here, capsys):
    for name in ("aisha", "ben"):
        _class(here / "homes" / name / "annotkit-hand-in", names=(name,))
        shutil.copytree(SAMPLE, here / "homes" / name / "annotkit" / "data" / "sample_class")
    assert main(["collect", "homes", "--to", "period3"]) == 0
    assert sorted(p.relative_to(here / "period3").as_posix() for p in (here / "period3").rglob("*.json")) == [
        "aisha/aisha.json",
        "ben/ben.json",
    ]


def test_collect_a_zip_never_writes_outside_the_folder(here, capsys):
    with zipfile.ZipFile(here / "class.zip", "w") as archive:
        archive.write(SAMPLE / "aisha.json", "period3/aisha.json")
        archive.writestr("../escape.json", "{}")
        archive.writestr("__MACOSX/._aisha.json", "x")
    assert main(["collect", "class.zip", "--to", "out"]) == 0
    assert not (here / "escape.json").exists()
    assert [p.relative_to(here / "out").as_posix() for p in (here / "out").rglob("*.json")] == ["period3/aisha.json"]


def test_collect_needs_a_source(here, capsys):
    assert main(["collect"]) == 1
    assert "Say where to collect from" in capsys.readouterr().err


def test_score_prints_every_student_and_writes_a_csv(here, capsys):
    assert main(["score", str(SAMPLE), "--out", "scores.csv"]) == 0
    out = capsys.readouterr().out
    assert "Aisha" in out and "zoe_edited_by_hand.json" in out and "another article" in out
    rows = list(csv.DictReader((here / "scores.csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 24 and {"annotator", "name", "actor_f1_overlap"} <= set(rows[0])


def test_report_writes_one_page_and_escapes_what_students_typed(here, capsys, bundled):
    store = annotkit.open_store(here / "s.sqlite", annotator="<script>alert(1)</script>")
    start = bundled.text.index("Lloyd Austin")
    store.add(bundled, layer="actor", label="official", start=start, end=start + 12, entity="<img src=x onerror=1>")
    store.export_submission(here / "class" / "my_work.json")  # no name in the file name: the login is shown
    assert main(["report", "class", "--out", "report.html"]) == 0
    page = (here / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page and "<img src=x" not in page
    assert main(["report", str(SAMPLE), "--anonymous", "--out", "anonymous.html"]) == 0
    anonymous = (here / "anonymous.html").read_text(encoding="utf-8")
    assert "Student 1" in anonymous and "Aisha" not in anonymous and "<h2>Grades</h2>" not in anonymous


@pytest.mark.parametrize("format", ["canvas", "moodle", "classroom", "csv"])
def test_grades_in_each_format(here, capsys, format):
    assert main(["grades", str(SAMPLE), "--format", format, "--assignment", "Iraq"]) == 0
    rows = list(csv.reader((here / f"grades-{format}.csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == 24 + 1 + (format == "canvas")
    assert "No rubric marks yet" in capsys.readouterr().out


def test_grades_with_weights_and_a_typo_in_them(here, capsys):
    assert main(["grades", str(SAMPLE), "--weights", "actor_f1=1,claim_f1=1"]) == 0
    assert main(["grades", str(SAMPLE), "--weights", "actor_f1:1"]) == 1
    assert "--weights takes name=number pairs" in capsys.readouterr().err


def test_print_writes_the_four_printables(here, capsys):
    assert main(["print", "--out", "printables"]) == 0
    assert sorted(p.name for p in (here / "printables").iterdir()) == [
        "answer-sheet.html",
        "article.html",
        "exit-ticket.html",
        "scheme-card.html",
    ]
    assert main(["print", "--only", "article,poster"]) == 1
    assert "No printable called poster" in capsys.readouterr().err


def test_config_calls_the_interop_export_or_says_it_is_missing(here, capsys):
    code = main(["config", "--format", "labelstudio", "--out", "ls.xml"])
    if hasattr(annotkit, "export_config"):
        assert code == 0 and (here / "ls.xml").exists()
    else:
        assert code == 1 and "cannot write tool configurations yet" in capsys.readouterr().err


def test_link_prints_a_link(capsys):
    assert main(["link", "https://hub.school.org", "https://github.com/school/annotkit.git", "--branch", "t2"]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("https://hub.school.org/hub/user-redirect/git-pull?repo=") and "branch=t2" in out


def test_inbox_creates_a_write_only_folder(here, capsys):
    assert main(["inbox", "period3"]) == 0
    assert stat.S_IMODE((here / "period3").stat().st_mode) == 0o1733
    assert "ANNOTKIT_HANDIN_DIR=" in capsys.readouterr().out


def test_anonymise_writes_the_class_without_names(here, capsys):
    assert main(["anonymise", str(SAMPLE)]) == 0
    text = (here / "class-anonymous.csv").read_text(encoding="utf-8")
    assert "Student 24" in text and "Aisha" not in text and "aisha-0" not in text
    article = annotkit.load_bundled_article()
    back = annotkit.import_annotations(here / "class-anonymous.csv", format="csv", article=article)
    assert back["annotator"].nunique() == 24


def test_a_missing_folder_is_one_line_not_a_traceback(here, capsys):
    assert main(["score", "no-such-folder"]) == 1
    err = capsys.readouterr().err
    assert "no-such-folder" in err and "Traceback" not in err
