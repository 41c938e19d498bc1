"""A class on a real JupyterHub: three students tag and hand in from their own servers at once; a teacher who is
not a hub admin collects (through the hub's API, from the class inbox, and from the home folders), scores and
grades, and sees every student's rationales and reflections.

Three students, not a whole class: each more is one more server and kernel (about 7 CPU-seconds) and checks nothing
new. Classes of 20 and 40 tagging at once on 2 cores are measured by `make bench` (benchmarks/class_kernels.py).

Needs npm (for configurable-http-proxy): skipped without it, except under CI=true, where it fails instead.
About 30-50 s on 2 cores.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import annotkit
from annotkit.hub import collect_from_hub, handin_files
from annotkit.rubric import marks_path, open_marks

from ._jupyterhub import GROUP_ACCESS_HOOK, TEACHER_SCOPES, start_hub

pytestmark = pytest.mark.hub

STUDENTS = ["ana", "ben", "chloe"]
CLASS = f"{len(STUDENTS)} hand-ins from {len(STUDENTS)} students"  # what `annotkit collect` says
ROOT = Path(__file__).resolve().parents[2]

# What a student does in their notebook, through the store API in their own server's kernel: tag part of the
# key (each student a different part), give each perspective a reason of their own, write a fact-check plan and
# a reflection, and hand in (a copy also lands in the class inbox, $ANNOTKIT_HANDIN_DIR).
STUDENT_CODE = """
import random
import annotkit

name, seed = {name!r}, {seed}
article = annotkit.load_bundled_article()
key = annotkit.answer_key(article)
scheme = annotkit.load_scheme()
store = annotkit.open_store()
rng = random.Random(seed)
entities = set()

def attributes(row, layer):
    names = [a.name for a in scheme.layer(layer).attributes if a.kind != "claims"]
    return {{n: row[n] for n in names if n in row and isinstance(row[n], str)}}

for row in key[key["layer"] == "actor"].to_dict("records"):
    if rng.random() < 0.8:
        store.add(article, layer="actor", label=row["label"], start=int(row["start"]), end=int(row["end"]),
                  **attributes(row, "actor"))
        entities.add(row["entity"])
for row in key[key["layer"] == "claim"].to_dict("records"):
    if rng.random() < 0.7 and (row["said_by"] in entities or row["said_by"] == "the journalist"):
        store.add(article, layer="claim", label=row["label"], start=int(row["start"]), end=int(row["end"]),
                  **attributes(row, "claim"))
for row in key[key["layer"] == "perspective"].to_dict("records"):
    if row["entity"] in entities:
        values = attributes(row, "perspective")
        values["rationale"] = f"{{name}}: {{row['entity']}} says what they want in paragraph {{rng.randint(1, 9)}}."
        store.add(article, layer="perspective", label=row["label"], **values)

store.set_student_name(name.capitalize() + " Student")
store.reflect(article, "05-fact-check-plan", f"{{name}} would check the 2,500 troops against the Pentagon.",
              question="Pick one claim to check: where, and what would change your mind?")
store.reflect(article, "04-missing-voices", f"{{name}} misses Iraqi civilians.", question="Whose voice is missing?")
receipt = annotkit.hand_in(store)
print(receipt.path, receipt.inbox_path)

from ipykernel.kernelapp import IPKernelApp
print("kernel transport:", IPKernelApp.instance().transport)
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    if shutil.which("npm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("npm is missing: the JupyterHub class test needs it under CI (apt-get install npm)")
        pytest.skip("npm is missing: it installs configurable-http-proxy for the JupyterHub class test")
    times = {"start": time.monotonic()}
    running = start_hub(tmp_path_factory.mktemp("jupyterhub"), STUDENTS)
    try:
        times["hub"] = time.monotonic()
        running.start_servers(STUDENTS)
        times["servers"] = time.monotonic()
        running.outputs = running.run_all(
            {name: STUDENT_CODE.format(name=name, seed=seed) for seed, name in enumerate(STUDENTS)}
        )
        times["students"] = time.monotonic()
        steps = list(times.items())
        running.timings = {b[0]: round(b[1] - a[1], 1) for a, b in itertools.pairwise(steps)}
        yield running
    finally:
        running.stop()


def _annotkit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The installed ``annotkit`` command, as a teacher runs it."""
    command = [str(Path(sys.executable).parent / "annotkit"), *args]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return result


def test_the_hub_is_local_only_and_stops_its_servers(hub):
    config = (hub.folder / "jupyterhub_config.py").read_text(encoding="utf-8")
    assert '"0.0.0.0"' not in config and config.count('"127.0.0.1"') >= 2
    assert hub.url.startswith("http://127.0.0.1:")
    assert "cleanup_servers = True" in config and "shutdown_no_activity_timeout" in config


def test_the_students_kernels_talk_to_their_servers_over_unix_sockets(hub):
    # TCP ports picked free for a kernel were once taken by another kernel first (tests/kernels.py).
    assert all(output.rstrip().endswith("kernel transport: ipc") for output in hub.outputs.values()), hub.outputs


def test_a_non_admin_teacher_collects_every_hand_in_through_the_hub(hub, tmp_path):
    status, teacher = hub.api("GET", "/hub/api/users/teacher")
    assert status == 200 and teacher["admin"] is False
    collected = _annotkit(
        "collect",
        "--hub",
        hub.url,
        "--token",
        hub.token_for("teacher"),
        "--group",
        "students",
        "--to",
        "class",
        cwd=tmp_path,
    )
    assert CLASS in collected.stdout
    work = annotkit.read_submissions(handin_files(tmp_path / "class"))
    assert sorted(work.submissions["annotator"]) == STUDENTS and work.problems.empty
    # The files are the students' own bytes: the checksum still holds, so none is refused.
    for name in STUDENTS:
        (collected_file,) = (tmp_path / "class" / name).glob("*.json")
        (handed_in,) = (hub.homes / name / "annotkit-hand-in").glob("*.json")
        assert collected_file.name == handed_in.name and collected_file.read_bytes() == handed_in.read_bytes()


def test_without_access_to_the_students_servers_a_token_is_refused_and_told_why(hub, tmp_path):
    collected = collect_from_hub(hub.url, hub.token_for("observer"), tmp_path, progress=False)  # every user it may list
    assert set(collected.students["status"]) == {"refused"}
    assert "access scopes" in collected.students["message"].iloc[0]
    assert not list(tmp_path.rglob("*.json"))


def test_the_inbox_and_the_home_folders_give_the_same_class_and_never_the_sample_class(hub, tmp_path):
    # Every home has the course, with its sample class, and notebook checkpoints: none of it is a hand-in.
    for name in STUDENTS:
        shutil.copytree(annotkit.data_path("sample_class"), hub.homes / name / "annotkit" / "data" / "sample_class")
        checkpoint = hub.homes / name / "annotkit-hand-in" / ".ipynb_checkpoints"
        checkpoint.mkdir(exist_ok=True)
        (checkpoint / "old-checkpoint.json").write_text("{}", encoding="utf-8")
    from_homes = _annotkit("collect", str(hub.homes), "--to", "from-homes", cwd=tmp_path)
    from_inbox = _annotkit("collect", str(hub.inbox), "--to", "from-inbox", cwd=tmp_path)
    assert CLASS in from_homes.stdout and "could not be used" not in from_homes.stdout
    assert CLASS in from_inbox.stdout
    assert not [p for p in (tmp_path / "from-homes").rglob("*") if "sample_class" in p.parts]


def test_the_teacher_scores_grades_and_reads_the_thinking(hub, tmp_path):
    collect_from_hub(hub.url, hub.token_for("teacher"), tmp_path / "class", group="students", progress=False)
    scores = _annotkit("score", "class", cwd=tmp_path)
    for name in STUDENTS:
        assert name in scores.stdout
    # The teacher marks every rationale with the rubric (2 of 3: "supported"), then grades.
    from annotkit.classroom import open_class

    view = open_class(tmp_path / "class")
    per_criterion = view.answers.groupby("criterion")["annotator"].nunique().to_dict()
    # The fact-check plan is scored by its own rule.
    assert per_criterion == dict.fromkeys(["rationale", "fact_check", "reflection"], len(STUDENTS))
    marks = open_marks(marks_path(tmp_path / "class"))
    for row in view.answers.to_dict("records"):
        marks.set(row["annotator"], row["criterion"], row["item"], 2, article_id=row["article_id"])
    _annotkit("grades", "class", "--format", "canvas", "--assignment", "Iraq article", cwd=tmp_path)
    lines = (tmp_path / "grades-canvas.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Student,ID,SIS User ID,SIS Login ID,Section,Iraq article" and len(lines) == 2 + len(STUDENTS)
    _annotkit("report", "class", cwd=tmp_path)
    report = (tmp_path / "class-report.html").read_text(encoding="utf-8")
    for name in STUDENTS:  # every student's own rationales are on the page
        assert f"{name}: " in report
    assert "would check the 2,500 troops" in report and "misses Iraqi civilians" in report  # reflections too
    print(f"\nseconds: {hub.timings} (hub start, {len(STUDENTS)} servers, the students tagging and handing in at once)")


def test_the_admin_guide_has_the_teacher_role_and_the_spawner_hook_the_test_uses():
    guide = (ROOT / "notebooks" / "teacher" / "hub_setup.md").read_text(encoding="utf-8")
    for scope in TEACHER_SCOPES:
        assert scope in guide
    assert GROUP_ACCESS_HOOK.strip().splitlines()[0] in guide
    assert "spawner.oauth_access_scopes = [*spawner.oauth_access_scopes, *groups]" in guide


def test_the_hand_ins_are_json_submissions(hub):
    for name in STUDENTS:
        (path,) = (hub.homes / name / "annotkit-hand-in").glob("*.json")
        assert json.loads(path.read_text(encoding="utf-8"))["format"] == "annotkit-submission"
