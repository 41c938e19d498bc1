"""A real, throw-away JupyterHub for the class tests: 127.0.0.1 only, tokens, and it stops by itself.

JupyterHub 5+ (pip, a test dependency) with configurable-http-proxy (npm, installed on first use into
``<venv>/annotkit-hub-proxy``), the DummyAuthenticator and the SimpleLocalProcessSpawner (every "user" is this
process's Unix user, with a home folder in a temporary directory). The hub runs under ``timeout``, and each
single-user server shuts down after a few idle minutes, so nothing outlives a killed test run for long.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from kernels import socket_folder

PROXY_PACKAGE = "configurable-http-proxy@5"
#: The whole hub stops after this many seconds whatever happens (the test takes well under a minute).
HUB_LIFETIME = 900

# The spawner change a non-admin teacher needs (also in notebooks/teacher/hub_setup.md, checked by a test):
# a single-user server accepts only tokens with access to *its* user or server, so a teacher's
# access:servers!group=... is refused (403) until the server also accepts its user's groups.
GROUP_ACCESS_HOOK = """
def annotkit_group_access(spawner):
    \"\"\"Let a teacher with access:servers!group=<group> reach the servers of that group's members.\"\"\"
    groups = [f"access:servers!group={group.name}" for group in spawner.user.groups]
    spawner.oauth_access_scopes = [*spawner.oauth_access_scopes, *groups]


c.Spawner.pre_spawn_hook = annotkit_group_access
"""

# The teacher's role: read and reach the students' servers, nothing else (also in hub_setup.md).
TEACHER_SCOPES = [
    "list:users!group=students",
    "read:users!group=students",
    "read:servers!group=students",
    "access:servers!group=students",
    "read:groups!group=students",
]


def in_own_thread(function):
    """Call ``function`` in a new thread and return its result (or raise its exception).

    Playwright's sync API (the browser tests' session fixtures) keeps an event loop running in the main thread for
    the whole session, where ``asyncio.run`` then refuses to start: each of these tests' event loops gets a thread.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function).result()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_ports(users: list[str]) -> dict[str, int]:
    """A port for each user's server: all free now, all different, and none from the range the system hands out
    for port 0.

    JupyterHub's local spawner picks a server's port by binding port 0 and letting it go, before the server binds it
    (jupyterhub#3005). Once, with the class logging in at once, a student's request for a kernel was answered by a
    classmate's server (its 404 page): most likely the two servers had been handed the same port.
    """
    port_range = Path("/proc/sys/net/ipv4/ip_local_port_range")  # Linux; elsewhere, Linux's default
    low, high = (int(n) for n in port_range.read_text().split()) if port_range.exists() else (32768, 60999)
    candidates = [port for port in range(20000, 32000) if not low <= port <= high]
    held: list[socket.socket] = []
    try:
        for port in secrets.SystemRandom().sample(candidates, len(candidates)):
            probe = socket.socket()
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                probe.close()
                continue
            held.append(probe)  # held until every user has one: no two users get the same port
            if len(held) == len(users):
                return {user: sock.getsockname()[1] for user, sock in zip(users, held, strict=True)}
        raise AssertionError("no free ports for the students' servers")
    finally:
        for sock in held:
            sock.close()


def proxy_command() -> list[str] | None:
    """configurable-http-proxy, installed with npm into the virtual environment on first use; None without npm."""
    folder = Path(sys.prefix) / "annotkit-hub-proxy"
    binary = folder / "node_modules" / ".bin" / "configurable-http-proxy"
    if binary.exists():
        return [str(binary)]
    npm = shutil.which("npm")
    if npm is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(folder), PROXY_PACKAGE],
        check=True,
        timeout=300,
    )
    return [str(binary)]


@dataclass
class Hub:
    """A running hub: its address, the admin service's token, and its folders."""

    url: str
    token: str
    folder: Path
    homes: Path
    inbox: Path
    process: subprocess.Popen
    users: list[str]
    log: Path
    runtime: Path | None = None  # the servers' runtime folder, with their kernels' sockets
    tokens: dict[str, str] = field(default_factory=dict)

    def api(self, method: str, path: str, body: dict | None = None, *, token: str | None = None) -> tuple[int, object]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            self.url + path,
            data=data,
            method=method,
            headers={"Authorization": f"token {token or self.token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def start_servers(self, names: list[str], timeout: float = 120) -> None:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(names)) as pool:  # a class logs in at once
            answers = list(pool.map(lambda name: self.api("POST", f"/hub/api/users/{name}/server"), names))
        for status, body in answers:
            assert status in (201, 202), (status, body, self.tail())
        deadline = time.monotonic() + timeout
        waiting = set(names)
        while waiting and time.monotonic() < deadline:
            for name in list(waiting):
                _, model = self.api("GET", f"/hub/api/users/{name}")
                if (model.get("servers") or {}).get("", {}).get("ready"):
                    waiting.discard(name)
            time.sleep(0.3)
        assert not waiting, f"servers did not start: {sorted(waiting)}\n{self.tail()}"

    def token_for(self, user: str) -> str:
        if user not in self.tokens:
            status, body = self.api(
                "POST", f"/hub/api/users/{user}/tokens", {"note": "annotkit test", "expires_in": 3600}
            )
            assert status == 201, (status, body)
            self.tokens[user] = body["token"]
        return self.tokens[user]

    def run(self, user: str, code: str, timeout: float = 120) -> str:
        """Run code in a new kernel of the user's server (through the proxy, like a browser); its output."""
        return in_own_thread(lambda: asyncio.run(_run_in_kernel(self, user, code, timeout)))

    def run_all(self, codes: dict[str, str], timeout: float = 180) -> dict[str, str]:
        """Run each user's code in their own kernel, all at once, like a class working together."""

        async def together() -> list[str]:
            return await asyncio.gather(*(_run_in_kernel(self, u, c, timeout) for u, c in codes.items()))

        return dict(zip(codes, in_own_thread(lambda: asyncio.run(together())), strict=True))

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the hub stops its servers and the proxy on TERM
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.runtime is not None:
            shutil.rmtree(self.runtime, ignore_errors=True)


async def _run_in_kernel(hub: Hub, user: str, code: str, timeout: float) -> str:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    status, kernel = await asyncio.to_thread(hub.api, "POST", f"/user/{user}/api/kernels", {"name": "python3"})
    assert status == 201, (status, kernel)
    url = hub.url.replace("http://", "ws://") + f"/user/{user}/api/kernels/{kernel['id']}/channels"
    socket_ = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {hub.token}"}))
    msg_id = uuid.uuid4().hex
    socket_.write_message(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "msg_type": "execute_request",
                    "username": user,
                    "session": msg_id,
                    "version": "5.3",
                    "date": "",
                },
                "parent_header": {},
                "metadata": {},
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": False,
                    "allow_stdin": False,
                    "stop_on_error": True,
                    "user_expressions": {},
                },
                "channel": "shell",
                "buffers": [],
            }
        )
    )
    output: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(socket_.read_message(), timeout=max(1, deadline - time.monotonic()))
            assert raw is not None, "the kernel's websocket closed"
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind == "stream":
                output.append(content["text"])
            elif kind == "error":
                raise AssertionError(f"{user}'s code failed:\n" + "\n".join(content["traceback"]))
            elif kind == "status" and content["execution_state"] == "idle":
                return "".join(output)
        raise AssertionError(f"{user}'s code did not finish in {timeout} s")
    finally:
        socket_.close()
        await asyncio.to_thread(hub.api, "DELETE", f"/user/{user}/api/kernels/{kernel['id']}")


def start_hub(folder: Path, students: list[str], *, teacher: str = "teacher", observer: str = "observer") -> Hub:
    """Start a hub in ``folder`` with these students (group ``students``), a teacher and an observer.

    The teacher has :data:`TEACHER_SCOPES`; the observer may list the students but not reach their servers.
    """
    proxy = proxy_command()
    assert proxy is not None, "npm is needed to install configurable-http-proxy"
    port, hub_port, api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(32)
    homes, inbox = folder / "homes", folder / "inbox"
    homes.mkdir()
    inbox.mkdir()
    runtime = Path(socket_folder("annotkit-hub-"))  # the servers' kernels' sockets
    users = [*students, teacher, observer]
    singleuser = str(Path(sys.executable).parent / "jupyterhub-singleuser")
    config = f"""
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = {proxy!r}
c.ConfigurableHTTPProxy.auth_token = {secrets.token_hex(32)!r}
c.JupyterHub.db_url = "sqlite:///{folder / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = "{folder / "cookie_secret"}"
c.JupyterHub.pid_file = "{folder / "jupyterhub.pid"}"
c.JupyterHub.cleanup_servers = True
# Answer "202 spawn pending" at once instead of holding each start request for 10 s.
c.JupyterHub.tornado_settings = {{"slow_spawn_timeout": 0}}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {secrets.token_hex(16)!r}
c.Authenticator.allowed_users = {set(users)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{homes}/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
# Root in containers and CI; idle servers stop themselves so nothing outlives a killed test run for long.
# Kernels over Unix sockets, in a short runtime folder shared by the servers: TCP ports picked free for a kernel were
# once taken by another kernel first (tests/kernels.py).
c.Spawner.args = ["--allow-root", "--ServerApp.shutdown_no_activity_timeout=300", "--KernelManager.transport=ipc"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {{"ANNOTKIT_HANDIN_DIR": "{inbox}", "MPLBACKEND": "Agg", "JUPYTER_RUNTIME_DIR": "{runtime}"}}
c.JupyterHub.load_groups = {{"students": {{"users": {students!r}}}}}
c.JupyterHub.services = [{{"name": "class-setup", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [
    {{"name": "class-setup", "services": ["class-setup"],
      "scopes": ["admin:users", "admin:servers", "access:servers", "tokens", "admin:groups"]}},
    {{"name": "teacher", "users": [{teacher!r}], "scopes": {TEACHER_SCOPES!r}}},
    {{"name": "observer", "users": [{observer!r}],
      "scopes": ["list:users!group=students", "read:users!group=students", "read:servers!group=students"]}},
]
{GROUP_ACCESS_HOOK}
# Each server on a port of its own, chosen by the test (see server_ports).
SERVER_PORTS = {server_ports(users)!r}


def annotkit_test_spawn(spawner):
    annotkit_group_access(spawner)
    spawner.port = SERVER_PORTS[spawner.user.name]


c.Spawner.pre_spawn_hook = annotkit_test_spawn
"""
    (folder / "jupyterhub_config.py").write_text(textwrap.dedent(config), encoding="utf-8")
    log = folder / "jupyterhub.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTERHUB_", "ANNOTKIT_"))}
    command = [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(folder / "jupyterhub_config.py")]
    timeout = shutil.which("timeout")
    if timeout:
        command = [timeout, "--signal=TERM", "--kill-after=30", str(HUB_LIFETIME), *command]
    with log.open("wb") as handle:
        process = subprocess.Popen(
            command, cwd=folder, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
    hub = Hub(f"http://127.0.0.1:{port}", token, folder, homes, inbox, process, users, log, runtime)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the hub stopped at start:\n{hub.tail()}")
        try:
            status, _ = hub.api("GET", "/hub/api/")
            if status == 200:
                return hub
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.3)
    hub.stop()
    raise AssertionError(f"the hub did not answer in 60 s:\n{hub.tail()}")
