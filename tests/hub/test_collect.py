"""Collecting without a hub: the inbox folder, a folder of homes, the nbgitpuller link, and the hub client's
errors against a fake hub (the real hub is in test_hub_class.py)."""

from __future__ import annotations

import json
import shutil
import stat
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import annotkit
from annotkit.hub import HubError, collect_from_hub, handin_files, make_inbox, nbgitpuller_link

from ._jupyterhub import free_port


def _write(root, *names, content="{}"):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def test_a_folder_of_homes_gives_only_the_hand_ins(tmp_path):
    _write(
        tmp_path,
        "ana/annotkit-hand-in/Ana Ruiz.json",
        "ben/annotkit-hand-in/ben.json",
        "ben/annotkit-hand-in/.ipynb_checkpoints/ben-checkpoint.json",
        "ben/annotkit-hand-in/ben.json.partial",
        "ana/annotkit/data/sample_class/aisha.json",
        "ana/annotkit/data/schemes/default.json",
        "ana/.local/share/jupyter/runtime/kernel.json",
        "ana/my_notes.json",
    )
    assert [p.relative_to(tmp_path).as_posix() for p in handin_files(tmp_path)] == [
        "ana/annotkit-hand-in/Ana Ruiz.json",
        "ben/annotkit-hand-in/ben.json",
    ]


def test_an_inbox_gives_every_hand_in_but_never_the_sample_class_or_hidden_files(tmp_path):
    _write(tmp_path, "ana.json", "period3/ben.json", ".hidden.json", "sample_class/aisha.json", ".trash/x.json")
    assert [p.relative_to(tmp_path).as_posix() for p in handin_files(tmp_path)] == ["ana.json", "period3/ben.json"]


def test_the_sample_class_is_not_a_hand_in_even_when_it_is_all_there_is(tmp_path):
    shutil.copytree(annotkit.data_path("sample_class"), tmp_path / "course" / "data" / "sample_class")
    assert handin_files(tmp_path) == []


def test_no_such_folder(tmp_path):
    with pytest.raises(HubError, match="There is no folder at"):
        handin_files(tmp_path / "nope")


def test_the_inbox_can_be_written_but_not_listed_by_others(tmp_path):
    inbox = make_inbox(tmp_path / "period3")
    mode = stat.S_IMODE(inbox.stat().st_mode)
    assert mode == 0o1733
    assert mode & stat.S_IROTH == 0 and mode & stat.S_IWOTH and mode & stat.S_ISVTX  # write, no list, sticky
    assert make_inbox(inbox) == inbox  # running it again is harmless


@pytest.mark.parametrize(
    ("repo", "folder"),
    [
        ("https://github.com/school/annotkit.git", "annotkit"),
        ("https://github.com/school/annotkit", "annotkit"),
        ("https://github.com/school/annotkit/", "annotkit"),
        ("https://gitlab.school.org/teachers/news-course.git", "news-course"),
    ],
)
def test_the_nbgitpuller_link_lands_in_the_same_folder_with_or_without_dot_git(repo, folder):
    link = nbgitpuller_link("https://hub.school.org/", repo)
    base, query = link.split("?")
    assert base == "https://hub.school.org/hub/user-redirect/git-pull"
    fields = dict(urllib.parse.parse_qsl(query))
    assert fields["repo"] == repo.rstrip("/")
    assert fields["targetpath"] == folder and fields["branch"] == "main"
    assert fields["urlpath"] == f"lab/tree/{folder}/notebooks/00_start_here.ipynb"


def test_the_link_for_notebook_7_a_branch_and_a_hub_under_a_path():
    link = nbgitpuller_link(
        "https://school.org/jupyter/hub/home",
        "https://github.com/a/b.git",
        branch="term2",
        path="notebooks/02_actors.ipynb",
        app="notebook",
    )
    fields = dict(urllib.parse.parse_qsl(link.split("?")[1]))
    assert link.startswith("https://school.org/jupyter/hub/user-redirect/git-pull?")
    assert fields["urlpath"] == "tree/b/notebooks/02_actors.ipynb" and fields["branch"] == "term2"


@pytest.mark.parametrize(
    ("hub", "repo", "message"),
    [
        ("hub.school.org", "https://github.com/a/b", "is not a hub address"),
        ("https://h.org", "", "is not a repository"),
    ],
)
def test_a_bad_link_request_says_what_is_wrong(hub, repo, message):
    with pytest.raises(HubError, match=message):
        nbgitpuller_link(hub, repo)


class _FakeHub(BaseHTTPRequestHandler):
    """A hub API that answers from a table: path -> (status, JSON)."""

    routes: dict[str, tuple[int, object]] = {}  # noqa: RUF012 - the fixture fills it for one test, then empties it

    def do_GET(self):
        assert self.headers["Authorization"] == "token secret"
        status, body = self.routes.get(self.path, (404, {"message": "not found"}))
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def fake_hub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeHub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _FakeHub.routes
    server.shutdown()
    server.server_close()
    _FakeHub.routes = {}


def test_the_collector_saves_the_exact_bytes_and_reports_each_student(fake_hub, tmp_path):
    url, routes = fake_hub
    content = '{"format": "annotkit-submission", "é": 1}\n'
    routes.update(
        {
            "/hub/api/users?offset=0&limit=200": (
                200,
                [
                    {"name": "ana", "servers": {"": {"ready": True, "url": "/user/ana/"}}},
                    {"name": "ben", "servers": {"": {"ready": True, "url": "/user/ben/"}}},
                    {"name": "cai", "servers": {}},
                    {"name": "dee", "servers": {"": {"ready": True, "url": "/user/dee/"}}},
                ],
            ),
            "/user/ana/api/contents/annotkit-hand-in?content=1": (
                200,
                {
                    "content": [
                        {"name": "Ana.json", "type": "file", "size": 40},
                        {"name": "notes.txt", "type": "file", "size": 4},
                    ]
                },
            ),
            "/user/ana/api/contents/annotkit-hand-in/Ana.json?content=1&type=file&format=text": (
                200,
                {"content": content},
            ),
            "/user/dee/api/contents/annotkit-hand-in?content=1": (403, {"message": "Forbidden"}),
        }
    )
    collected = collect_from_hub(url, "secret", tmp_path, progress=False)
    status = collected.students.set_index("user")["status"].to_dict()
    assert status == {"ana": "collected", "ben": "nothing handed in", "cai": "not running", "dee": "refused"}
    assert (tmp_path / "ana" / "Ana.json").read_bytes() == content.encode("utf-8")
    assert "access scopes" in collected.students.set_index("user").loc["dee", "message"]
    assert "2 files" not in repr(collected) and "1 files" in repr(collected)


def test_the_collector_explains_a_refused_token_and_an_unreachable_hub(fake_hub, tmp_path):
    url, routes = fake_hub
    routes["/hub/api/users?offset=0&limit=200"] = (403, {"message": "Forbidden"})
    with pytest.raises(HubError, match=r"403 Forbidden\. The token's role needs the scopes in notebooks/"):
        collect_from_hub(url, "secret", tmp_path, progress=False)
    with pytest.raises(HubError, match="A token is needed: make one on the hub's Token page"):
        collect_from_hub(url, "", tmp_path, progress=False)
    routes["/hub/api/users?offset=0&limit=200"] = (200, [])
    with pytest.raises(HubError, match=r"has no user .* called: zed"):
        collect_from_hub(url, "secret", tmp_path, users=["zed"], progress=False)


def test_an_unreachable_hub(tmp_path):
    with pytest.raises(HubError, match="Could not reach the hub at"):  # a free port: nothing listens there
        collect_from_hub(f"http://127.0.0.1:{free_port()}", "secret", tmp_path, progress=False, timeout=5)


@pytest.mark.parametrize(
    ("environ", "settings", "expected"),
    [
        ({}, None, None),
        ({"ANNOTKIT_AUTO_HANDIN_MINUTES": "5"}, None, 5.0),
        ({"ANNOTKIT_AUTO_HANDIN_MINUTES": "0"}, '{"auto_hand_in_minutes": 5}', None),  # the environment wins
        ({}, '{"auto_hand_in_minutes": 3}', 3.0),
        ({}, '{"auto_hand_in_minutes": 0.1}', 1.0),  # never more often than once a minute
        ({}, '{"auto_hand_in_minutes": "often"}', None),
        ({}, '{"auto_hand_in_minutes": true}', None),
        ({}, "{broken", None),
        ({"ANNOTKIT_AUTO_HANDIN_MINUTES": "soon"}, None, None),
    ],
)
def test_the_teacher_turns_automatic_drafts_on_for_the_class(tmp_path, environ, settings, expected):
    from annotkit.hub import auto_handin_minutes

    notebooks = tmp_path / "course" / "notebooks"
    notebooks.mkdir(parents=True)
    if settings is not None:
        (tmp_path / "course" / "annotkit-class.json").write_text(settings, encoding="utf-8")
    assert auto_handin_minutes(start=notebooks, environ=environ) == expected
