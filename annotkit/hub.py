"""Collecting a class's hand-ins on a JupyterHub: the class inbox, the students' home folders, and the hub's API.

Three ways in, from the simplest:

- **A class inbox** (``$ANNOTKIT_HANDIN_DIR``): a shared folder students can write into but not read, the pattern
  of nbgrader's exchange. :func:`make_inbox` sets it up; ``annotkit collect <inbox>`` reads it.
- **A folder of home folders** (an admin's view of ``/home``): :func:`handin_files` keeps only the hand-ins
  (``annotkit-hand-in/`` in each home, or files named as hand-ins), never a home's copy of the sample class,
  a notebook checkpoint or any hidden folder.
- **The hub's REST API**, where no shared folder exists: :func:`collect_from_hub` asks the hub which students
  there are and downloads ``~/annotkit-hand-in/*.json`` from each running server, with a teacher's token
  (the role and the spawner setting it needs are in ``notebooks/teacher/hub_setup.md``).

>>> nbgitpuller_link("https://hub.school.org", "https://github.com/annotkit/annotkit.git")  # doctest: +ELLIPSIS
'https://hub.school.org/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fannotkit%2Fannotkit.git&...'
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .errors import AnnotkitError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CLASS_SETTINGS_FILE",
    "HANDIN_FOLDER",
    "Collected",
    "HubError",
    "auto_handin_minutes",
    "collect_from_hub",
    "handin_files",
    "make_inbox",
    "nbgitpuller_link",
]

#: The folder in each student's home where ``annotkit.hand_in`` writes their file.
HANDIN_FOLDER = "annotkit-hand-in"
#: A class's settings file, in the course folder the teacher hands out (found from the notebook's folder upwards).
CLASS_SETTINGS_FILE = "annotkit-class.json"
#: Automatic draft hand-ins are never more often than this (minutes): each one writes the whole work.
MIN_AUTO_HANDIN_MINUTES = 1.0
#: Folders that never hold a student's hand-in, whatever files are in them.
_NOT_HANDINS = frozenset({"sample_class", "node_modules", "site-packages", "__pycache__"})
#: A hand-in is a few hundred KB; anything far bigger in an inbox is not one.
_MAX_BYTES = 5_000_000


class HubError(AnnotkitError, RuntimeError):
    """The hub, or a student's server, refused or failed a request."""


def _skipped(parts: Iterable[str]) -> bool:
    return any(p.startswith(".") or p in _NOT_HANDINS for p in parts)


def handin_files(folder: str | Path) -> list[Path]:
    """The hand-in files under a folder: an inbox, a folder of collected hand-ins, or a folder of home folders.

    When any ``annotkit-hand-in`` folder is found (a folder of homes), only the files in those folders count;
    otherwise every ``.json`` file does. Either way, files under hidden folders (``.ipynb_checkpoints``,
    ``.local``), under a ``sample_class`` folder (every home's copy of the course has one) and half-written
    files (``*.partial``) are left out.

    Parameters
    ----------
    folder
        The folder to search.

    Returns
    -------
    list of Path
        Sorted.

    >>> import tempfile
    >>> homes = Path(tempfile.mkdtemp())
    >>> for name in ("ana/annotkit-hand-in/ana.json", "ana/course/data/sample_class/ben.json", "ana/.x/c.json"):
    ...     (homes / name).parent.mkdir(parents=True, exist_ok=True); _ = (homes / name).write_text("{}")
    >>> [str(p.relative_to(homes)) for p in handin_files(homes)]
    ['ana/annotkit-hand-in/ana.json']
    """
    root = Path(folder).expanduser()
    if not root.is_dir():
        msg = f"There is no folder at {root}. Give the class inbox, or the folder holding the students' homes."
        raise HubError(msg)
    found: list[Path] = []
    in_handin_folders: list[Path] = []
    for directory, subfolders, files in os.walk(root):
        here = Path(directory)
        relative = here.relative_to(root).parts
        subfolders[:] = sorted(s for s in subfolders if not _skipped((s,)))  # never walk into them at all
        if _skipped(relative):
            continue
        for name in sorted(files):
            if name.endswith(".json") and not name.startswith("."):
                path = here / name
                found.append(path)
                if HANDIN_FOLDER in relative:
                    in_handin_folders.append(path)
    return sorted(in_handin_folders if in_handin_folders else found)


def make_inbox(path: str | Path, *, teacher: str | None = None) -> Path:
    """Create a class inbox: a folder every student can hand in to, but nobody can list, or read others' files in.

    The folder gets mode ``1733`` (``drwx-wx-wt``): students may create files in it but not list it, and the
    sticky bit stops them from replacing or deleting a file they do not own. Where ``setfacl`` exists, default
    ACLs make each new file readable by its student and by ``teacher`` only (without them a student's
    ``umask`` decides, and a classmate who guesses a file's name may read it).

    Parameters
    ----------
    path
        The folder (created if needed). Students point ``ANNOTKIT_HANDIN_DIR`` at it.
    teacher
        The teacher's Unix login, who reads the hand-ins; default: only the folder's owner.

    Returns
    -------
    Path

    >>> import tempfile
    >>> inbox = make_inbox(Path(tempfile.mkdtemp()) / "inbox")
    >>> oct(inbox.stat().st_mode & 0o7777)
    '0o1733'
    """
    path = Path(path).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(stat.S_ISVTX | stat.S_IRWXU | stat.S_IWGRP | stat.S_IXGRP | stat.S_IWOTH | stat.S_IXOTH)
    setfacl = shutil.which("setfacl")
    if setfacl:
        rules = ["d:u::rw", "d:g::-", "d:o::-"]
        if teacher:
            rules += [f"u:{teacher}:rwx", f"d:u:{teacher}:r"]
        command = [setfacl, "-m", ",".join(rules), str(path)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode and teacher:
            msg = f"Could not give {teacher} read access to {path}: {result.stderr.strip()} (is {teacher!r} a login?)"
            raise HubError(msg)
    elif teacher:
        msg = (
            f"{path} is ready, but this machine has no 'setfacl' to let {teacher} read the hand-ins: install the "
            "'acl' package, or make the teacher the folder's owner (chown)."
        )
        raise HubError(msg)
    return path


def nbgitpuller_link(
    hub: str,
    repo: str,
    *,
    branch: str = "main",
    path: str = "notebooks/00_start_here.ipynb",
    app: str = "lab",
) -> str:
    """A link that gives each student their own copy of a course repository on a hub, and opens a notebook.

    nbgitpuller clones into a folder named like the repository's last part, ``.git`` included: a repository URL
    ending in ``.git`` would land in ``annotkit.git/`` and the link's notebook would not be found. The link names
    the folder itself (``targetpath``), so it is the same with or without ``.git``.

    Parameters
    ----------
    hub
        The hub's address (``https://hub.school.org``; a ``/hub/...`` tail is ignored).
    repo
        The repository's URL, as ``git clone`` takes it.
    branch
        The branch to pull.
    path
        The file to open, inside the repository.
    app
        ``lab`` (JupyterLab) or ``notebook`` (Notebook 7).

    Returns
    -------
    str

    >>> link = nbgitpuller_link("https://hub.school.org/hub/home", "https://github.com/a/annotkit.git", branch="v2")
    >>> "targetpath=annotkit&" in link, link.split("urlpath=")[1]
    (True, 'lab%2Ftree%2Fannotkit%2Fnotebooks%2F00_start_here.ipynb')
    """
    if app not in ("lab", "notebook"):
        msg = f"app must be 'lab' or 'notebook', not {app!r}."
        raise HubError(msg)
    parsed = urllib.parse.urlsplit(hub.strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        msg = f"{hub!r} is not a hub address. Give it as https://hub.your-school.org"
        raise HubError(msg)
    base = parsed.path.split("/hub", 1)[0].rstrip("/")
    hub_root = f"{parsed.scheme}://{parsed.netloc}{base}"
    repo = repo.strip().rstrip("/")
    name = PurePosixPath(urllib.parse.urlsplit(repo).path or repo).name.removesuffix(".git")
    if not name:
        msg = f"{repo!r} is not a repository URL. Give it as https://github.com/owner/name"
        raise HubError(msg)
    inside = PurePosixPath(path.strip("/"))
    tree = "lab/tree" if app == "lab" else "tree"
    urlpath = f"{tree}/{name}/{inside}" if str(inside) != "." else f"{tree}/{name}"
    query = urllib.parse.urlencode(
        {"repo": repo, "branch": branch, "targetpath": name, "urlpath": urlpath}, quote_via=urllib.parse.quote
    )
    return f"{hub_root}/hub/user-redirect/git-pull?{query}"


@dataclass(frozen=True)
class Collected:
    """What :func:`collect_from_hub` fetched.

    Attributes
    ----------
    folder
        Where the hand-ins were saved (one sub-folder per student): give it to ``read_submissions``.
    students
        One row per student: ``user, status, files, message``; ``status`` is ``collected``, ``nothing handed
        in``, ``not running`` or ``refused``.
    """

    folder: Path
    students: pd.DataFrame

    def __repr__(self) -> str:
        counts = self.students["status"].value_counts().to_dict() if len(self.students) else {}
        files = int(self.students["files"].sum()) if len(self.students) else 0
        return f"Collected({files} files into {self.folder}, {counts})"


class _Hub:
    """The hub's REST API and the students' servers behind it, with one token."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        parsed = urllib.parse.urlsplit(url.strip())
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            msg = f"{url!r} is not a hub address. Give it as https://hub.your-school.org"
            raise HubError(msg)
        self.root = f"{parsed.scheme}://{parsed.netloc}{parsed.path.split('/hub', 1)[0].rstrip('/')}"
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, *, body: bytes | None = None) -> tuple[int, bytes]:
        # The scheme was checked to be http(s) in __init__: urlopen never opens a file: URL here.
        request = urllib.request.Request(
            self.root + path,
            data=body,
            method=method,
            headers={"Authorization": f"token {self.token}", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            msg = f"Could not reach the hub at {self.root} ({getattr(error, 'reason', error)}). Check the address."
            raise HubError(msg) from None

    def json(self, path: str) -> Any:
        status, body = self.request("GET", path)
        if status == 403:
            msg = (
                f"The hub refused this token ({path}): 403 Forbidden. The token's role needs the scopes in "
                "notebooks/teacher/hub_setup.md (list:users, read:servers and access:servers for your students)."
            )
            raise HubError(msg)
        if status != 200:
            msg = f"The hub answered {status} to {path}: {body[:200].decode('utf-8', 'replace')}"
            raise HubError(msg)
        return json.loads(body)

    def users(self, group: str | None) -> list[dict[str, Any]]:
        if group:
            names = self.json(f"/hub/api/groups/{urllib.parse.quote(group)}").get("users", [])
            return [self.json(f"/hub/api/users/{urllib.parse.quote(name)}") for name in names]
        users: list[dict[str, Any]] = []
        offset = 0
        while True:  # the hub pages long lists; ask page by page
            page = self.json(f"/hub/api/users?offset={offset}&limit=200")
            items = page.get("items", []) if isinstance(page, dict) else page
            users += items
            if isinstance(page, list) or not page.get("_pagination", {}).get("next"):
                return users
            offset += len(items)

    def start(self, name: str, wait: float) -> str | None:
        """Start a student's server and wait until it is ready; its URL, or None if it did not start."""
        self.request("POST", f"/hub/api/users/{urllib.parse.quote(name)}/server")
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            model = self.json(f"/hub/api/users/{urllib.parse.quote(name)}")
            server = (model.get("servers") or {}).get("", {})
            if server.get("ready"):
                url: str | None = server.get("url") or model.get("server")
                return url
            time.sleep(0.5)
        return None


def _server_url(user: dict[str, Any]) -> str | None:
    server = (user.get("servers") or {}).get("")
    if server is not None:
        return server.get("url") if server.get("ready") else None
    return user.get("server")  # a token without read:servers still sees the URL of a running server


def _fetch(hub: _Hub, name: str, server: str, folder: str, dest: Path) -> tuple[str, int, str]:
    """Download one student's hand-ins; ``(status, files, message)``."""
    base = server.rstrip("/") + "/api/contents/" + urllib.parse.quote(folder)
    status, body = hub.request("GET", base + "?content=1")
    if status == 404:
        return "nothing handed in", 0, f"no {folder}/ folder in {name}'s home yet"
    if status == 403:
        return (
            "refused",
            0,
            (
                f"{name}'s server refused the token (403): add the students' group to the servers' access scopes "
                "(c.Spawner.oauth_access_scopes in hub_setup.md)"
            ),
        )
    if status != 200:
        return "refused", 0, f"{name}'s server answered {status}"
    listing = json.loads(body)
    count = 0
    for entry in listing.get("content") or []:
        if entry.get("type") != "file" or not str(entry.get("name", "")).endswith(".json"):
            continue
        if (entry.get("size") or 0) > _MAX_BYTES:
            continue
        file_status, file_body = hub.request(
            "GET", base + "/" + urllib.parse.quote(entry["name"]) + "?content=1&type=file&format=text"
        )
        if file_status != 200:
            continue
        content = json.loads(file_body).get("content")
        if not isinstance(content, str):
            continue
        target = dest / _safe(name) / _safe(entry["name"])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8"))  # the exact bytes: the checksum covers them
        count += 1
    return ("collected", count, "") if count else ("nothing handed in", 0, f"{folder}/ is empty")


def _safe(name: str) -> str:
    """A user or file name made safe as one path component."""
    cleaned = "".join(c if c.isalnum() or c in "-_.@+ " else "_" for c in name).strip(". ")
    return cleaned or "_"


def collect_from_hub(
    hub_url: str,
    token: str,
    dest: str | Path,
    *,
    group: str | None = None,
    users: Iterable[str] | None = None,
    folder: str = HANDIN_FOLDER,
    start: bool = False,
    timeout: float = 30,
    progress: bool = True,
) -> Collected:
    """Download every student's hand-ins through the JupyterHub REST API, with a teacher's token.

    For each user (of ``group``, or every user the token may list), the files ``~/<folder>/*.json`` are read
    from their server through the hub's proxy (the Jupyter server's contents API) and saved, byte for byte, as
    ``dest/<user>/<file>``. Servers that are not running are listed as ``not running``, or started first and
    stopped again afterwards with ``start=True``.

    Parameters
    ----------
    hub_url
        The hub's address.
    token
        A token of the teacher's (the hub's *Token* page), whose role has the scopes in
        ``notebooks/teacher/hub_setup.md``.
    dest
        The folder to save into.
    group
        Collect only this group's members (for example ``period3``).
    users
        Collect only these users.
    folder
        The hand-in folder in each home.
    start
        Start stopped servers to collect from them (needs the ``servers`` scope).
    timeout
        Seconds to wait for one request.
    progress
        Show a progress bar.

    Returns
    -------
    Collected

    Raises
    ------
    HubError
        When the hub cannot be reached or refuses to list the users.
    """
    import pandas as pd
    from tqdm.auto import tqdm

    if not token:
        msg = "A token is needed: make one on the hub's Token page (/hub/token) and pass it with --token."
        raise HubError(msg)
    hub = _Hub(hub_url, token, timeout)
    dest = Path(dest).expanduser()
    dest.mkdir(parents=True, exist_ok=True)
    everyone = hub.users(group)
    wanted = set(users) if users is not None else None
    chosen = [u for u in everyone if wanted is None or u.get("name") in wanted]
    if wanted is not None and len(chosen) < len(wanted):
        missing = sorted(wanted - {u.get("name") for u in chosen})
        msg = f"The hub has no user (that this token may see) called: {', '.join(missing)}."
        raise HubError(msg)
    rows = []
    for user in _bar(tqdm, chosen, progress):
        name = str(user.get("name"))
        server = _server_url(user)
        started = False
        if server is None and start:
            server = hub.start(name, wait=timeout * 4)
            started = server is not None
        if server is None:
            rows.append((name, "not running", 0, "the server is stopped: ask the student to log in, or use --start"))
            continue
        try:
            rows.append((name, *_fetch(hub, name, server, folder, dest)))
        finally:
            if started:
                hub.request("DELETE", f"/hub/api/users/{urllib.parse.quote(name)}/server")
    students = pd.DataFrame(rows, columns=["user", "status", "files", "message"])
    return Collected(folder=dest, students=students)


def _bar(tqdm: Any, items: list[Any], progress: bool) -> Iterator[Any]:
    yield from tqdm(items, desc="collecting", unit="student", disable=not progress or not items)


def auto_handin_minutes(*, start: str | Path | None = None, environ: dict[str, str] | None = None) -> float | None:
    """How often the hand-in widget hands in a draft by itself, in minutes; None when the teacher has not turned it on.

    The teacher turns it on for a class in either of two ways: ``ANNOTKIT_AUTO_HANDIN_MINUTES`` in the students'
    environment (set by the hub's admin), or, without an admin, ``{"auto_hand_in_minutes": 5}`` in
    ``annotkit-class.json`` at the top of the course folder they hand out (the nbgitpuller link brings it to every
    student). The environment wins; ``0`` turns it off; anything under a minute counts as one minute.

    Parameters
    ----------
    start
        The folder to look for ``annotkit-class.json`` from, upwards (default: the current folder, the notebook's).
    environ
        The environment (default ``os.environ``).

    >>> auto_handin_minutes(environ={"ANNOTKIT_AUTO_HANDIN_MINUTES": "5"}), auto_handin_minutes(environ={}, start="/")
    (5.0, None)
    """
    environ = dict(os.environ) if environ is None else environ
    value: Any = environ.get("ANNOTKIT_AUTO_HANDIN_MINUTES", "").strip() or None
    if value is None:
        folder = Path(start).expanduser().resolve() if start is not None else Path.cwd()
        for candidate in (folder, *folder.parents):
            settings = candidate / CLASS_SETTINGS_FILE
            if settings.is_file():
                try:
                    value = json.loads(settings.read_text(encoding="utf-8")).get("auto_hand_in_minutes")
                except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
                    value = None  # a broken settings file turns nothing on; the student's work is unaffected
                break
    try:
        minutes = float(value) if value is not None and not isinstance(value, bool) else 0.0
    except (TypeError, ValueError):
        return None
    if minutes != minutes or minutes <= 0:
        return None
    return max(MIN_AUTO_HANDIN_MINUTES, minutes)
