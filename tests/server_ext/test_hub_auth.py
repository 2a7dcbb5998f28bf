"""``orchestr-lab server`` as a JupyterHub service: the Hub-token path, for real.

Twice. First with a stand-in Hub, to pin each case down: the server is started as a subprocess
with the environment JupyterHub gives a managed service (``JUPYTERHUB_*``), and the Hub is a real
HTTP server on loopback answering the one call a service makes, ``GET /hub/api/user`` (token
introspection), as the Hub does: the token's owner with the token's scopes, or 403. Then with a
real ``jupyterhub`` (and its configurable-http-proxy, installed by ``make setup``) that starts
the service itself from the README's configuration and mints the users' tokens.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from _helpers import wait_for, write_notebook
from orchestr_lab.server_ext.hub import hub_service

SERVICE = "orchestr-lab"
PREFIX = f"/services/{SERVICE}/"
ACCESS = f"access:services!service={SERVICE}"
SERVICE_TOKEN = "hub-gave-the-service-this"

#: token -> what the Hub answers for it (the token owner's model, scopes as the token holds them).
HUB_TOKENS: dict[str, dict[str, Any]] = {
    "alice-token": {
        "kind": "user",
        "name": "alice",
        "admin": False,
        "groups": ["analysts"],
        "scopes": [ACCESS, "read:users:name!user=alice", "access:servers!user=alice"],
    },
    "bob-token": {
        "kind": "user",
        "name": "bob",
        "admin": False,
        "groups": [],
        "scopes": ["access:servers!user=bob", "read:users:name!user=bob"],
    },
    # A service (e.g. a CI job's worker) whose role grants access to every service.
    "ci-token": {"kind": "service", "name": "ci", "scopes": ["access:services"]},
}


class FakeHubApi(BaseHTTPRequestHandler):
    """JupyterHub's ``GET /hub/api/user``; every request is recorded on the server object."""

    def do_GET(self) -> None:
        auth = self.headers.get("Authorization", "")
        self.server.seen.append((self.path, auth))  # type: ignore[attr-defined]
        token = auth.split(" ", 1)[1] if auth.lower().startswith("token ") else ""
        model = HUB_TOKENS.get(token)
        if self.path != "/hub/api/user":
            self._reply(404, {"status": 404, "message": "Not Found"})
        elif model is None:
            self._reply(403, {"status": 403, "message": "Missing or invalid credentials."})
        else:
            self._reply(200, dict(model, session_id=None))

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def fake_hub() -> Iterator[ThreadingHTTPServer]:
    hub = ThreadingHTTPServer(("127.0.0.1", 0), FakeHubApi)
    hub.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=hub.serve_forever, daemon=True)
    thread.start()
    yield hub
    hub.shutdown()
    hub.server_close()
    thread.join()


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hub_env(hub: ThreadingHTTPServer, port: int, home: Path) -> dict[str, str]:
    """The environment JupyterHub gives a managed service (services/service.py + Spawner.get_env)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER"))}
    env.update(
        {
            "ORCHESTR_LAB_HOME": str(home),
            "JUPYTERHUB_SERVICE_NAME": SERVICE,
            "JUPYTERHUB_SERVICE_URL": f"http://127.0.0.1:{port}",
            "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
            "JUPYTERHUB_API_TOKEN": SERVICE_TOKEN,
            "JUPYTERHUB_API_URL": f"http://127.0.0.1:{hub.server_address[1]}/hub/api",
            "JUPYTERHUB_BASE_URL": "/",
            "JUPYTERHUB_CLIENT_ID": f"service-{SERVICE}",
            "JUPYTERHUB_OAUTH_ACCESS_SCOPES": json.dumps([ACCESS]),
            "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{PREFIX}oauth_callback",
        }
    )
    return env


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hub") / "project"
    root.mkdir()
    write_notebook(root / "daily.ipynb", ["print(n)"], parameters="n: int = 1")
    return root


@pytest.fixture(scope="module")
def hub_served(fake_hub: ThreadingHTTPServer, project: Path) -> Iterator[dict[str, Any]]:
    """``orchestr-lab server`` started as the Hub starts a service: no --port, --base-url or --token."""
    port = _free_port()
    log_path = project.parent / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "orchestr_lab", "server", "--root", str(project), "--no-local-worker"],
            cwd=project,
            env=_hub_env(fake_hub, port, project.parent / "home"),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}{PREFIX}"

        def up() -> bool:
            assert proc.poll() is None, log_path.read_text()
            try:
                return httpx.get(url + "orchestr-lab/api/health").status_code == 403
            except httpx.HTTPError:
                return False

        try:
            wait_for(up, timeout=120, interval=0.2, what="the Hub service to answer")
            yield {"url": url, "api": url + "orchestr-lab/api/", "log": log_path, "project": project}
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                code = proc.wait()
    assert code == 0, log_path.read_text()


def _get(served: dict[str, Any], route: str, token: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"token {token}"} if token else {}
    return httpx.get(served["api"] + route, headers=headers)


def test_hub_users_with_the_access_scope_use_the_api(hub_served: dict[str, Any], fake_hub: Any) -> None:
    # Listening where the Hub said, under the service's prefix; the log says how it authenticates.
    assert "auth: JupyterHub service orchestr-lab" in hub_served["log"].read_text()
    health = _get(hub_served, "health", "alice-token")
    assert health.status_code == 200, health.text
    assert health.json()["services"]["scheduler"] is True
    # The Hub was asked about alice's token (and only through its token-introspection endpoint).
    assert ("/hub/api/user", "token alice-token") in fake_hub.seen

    # Alice's CLI, pointed at the service with her Hub token, creates a deployment (a POST).
    cli_env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER"))}
    cli_env.update(
        ORCHESTR_LAB_API_URL=hub_served["url"],
        ORCHESTR_LAB_API_TOKEN="alice-token",
        ORCHESTR_LAB_HOME=str(hub_served["project"].parent / "client-home"),
    )
    deploy = subprocess.run(
        [sys.executable, "-m", "orchestr_lab", "deploy", "daily.ipynb", "--name", "daily", "-p", "n", "7"],
        cwd=hub_served["project"],
        env=cli_env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert deploy.returncode == 0, deploy.stderr
    deployments = {d["name"]: d for d in _get(hub_served, "deployments", "alice-token").json()}
    assert deployments["daily"]["parameters"] == {"n": 7}

    # A service whose role holds access:services (no filter) is admitted too.
    assert "daily" in [d["name"] for d in _get(hub_served, "deployments", "ci-token").json()]


def test_unknown_tokens_and_users_without_access_are_refused(hub_served: dict[str, Any]) -> None:
    body = {"name": "sneaky", "notebook": "daily.ipynb"}
    for token in (None, "not-a-hub-token", SERVICE_TOKEN.upper()):
        headers = {"Authorization": f"token {token}"} if token else {}
        assert _get(hub_served, "deployments", token).status_code == 403
        created = httpx.post(hub_served["api"] + "deployments", json=body, headers=headers)
        assert created.status_code == 403, created.text

    # Bob is a Hub user, but no role gives him this service: refused, and told which scope he lacks.
    refused = _get(hub_served, "deployments", "bob-token")
    assert refused.status_code == 403
    assert "user bob" in refused.json()["error"] and ACCESS in refused.json()["error"]
    assert (
        httpx.post(
            hub_served["api"] + "deployments", json=body, headers={"Authorization": "token bob-token"}
        ).status_code
        == 403
    )

    # Nothing was created by any of them, though the same body from alice is accepted.
    def names() -> list[str]:
        return [d["name"] for d in _get(hub_served, "deployments", "alice-token").json()]

    assert "sneaky" not in names()
    assert (
        httpx.post(
            hub_served["api"] + "deployments", json=body, headers={"Authorization": "token alice-token"}
        ).status_code
        == 201
    )
    assert "sneaky" in names()


def test_hub_service_reads_where_the_hub_routes_it() -> None:
    env = {
        "JUPYTERHUB_API_TOKEN": "t",
        "JUPYTERHUB_SERVICE_NAME": SERVICE,
        "JUPYTERHUB_SERVICE_PREFIX": PREFIX,
        "JUPYTERHUB_SERVICE_URL": "http://10.0.0.5:10101",
        "JUPYTERHUB_API_URL": "http://hub:8081/hub/api",
    }
    hub = hub_service(env)
    assert hub is not None
    assert (hub.name, hub.ip, hub.port, hub.base_url, hub.api_url) == (
        SERVICE,
        "10.0.0.5",
        10101,
        PREFIX,
        "http://hub:8081/hub/api",
    )
    assert hub_service({k: v for k, v in env.items() if k != "JUPYTERHUB_API_TOKEN"}) is None  # not a Hub service
    assert hub_service({"JUPYTERHUB_API_TOKEN": "t", "JUPYTERHUB_SERVICE_NAME": SERVICE}) is None
    # A user's single-user server (a terminal in it) has a token, URL and prefix but is no service.
    single_user = {
        "JUPYTERHUB_API_TOKEN": "t",
        "JUPYTERHUB_USER": "alice",
        "JUPYTERHUB_SERVICE_PREFIX": "/user/alice/",
        "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:45678/user/alice/",
    }
    assert hub_service(single_user) is None


def test_auth_hub_outside_a_hub_is_a_usage_error(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTERHUB_"))}
    env["ORCHESTR_LAB_HOME"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "orchestr_lab", "server", "--auth", "hub"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "JUPYTERHUB_API_TOKEN" in proc.stderr, proc.stderr


# --- A real JupyterHub ----------------------------------------------------------------------------

HUB_CONFIG = """
c = get_config()  # noqa: F821
c.JupyterHub.bind_url = "http://127.0.0.1:{hub_port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {api_port}
c.JupyterHub.db_url = "sqlite:///{dir}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{dir}/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {{"alice", "bob"}}
c.ConfigurableHTTPProxy.command = ["{chp}"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.auth_token = "proxy-secret-for-the-test"
# As in the README, with the test's paths:
c.JupyterHub.services = [
    {{
        "name": "orchestr-lab",
        "url": "http://127.0.0.1:{service_port}",
        "command": {command!r},
        "environment": {{"ORCHESTR_LAB_HOME": "{dir}/orchestr-home"}},
    }},
    {{"name": "test-admin", "api_token": "{admin_token}"}},
]
c.JupyterHub.load_roles = [
    {{"name": "orchestr-lab-users", "users": ["alice"], "scopes": ["access:services!service=orchestr-lab"]}},
    {{"name": "test-admin", "services": ["test-admin"], "scopes": ["admin:users", "tokens"]}},
]
"""
ADMIN_TOKEN = "test-admin-token-0123456789abcdef"


def _configurable_http_proxy() -> str:
    """The Hub's proxy: `make setup` installs it into the venv (npm); else from PATH."""
    import shutil

    installed = Path(sys.prefix) / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
    found = str(installed) if installed.exists() else shutil.which("configurable-http-proxy")
    assert found, "configurable-http-proxy not found: `make setup` installs it (npm)"
    return found


@pytest.fixture
def real_hub(tmp_path: Path, project: Path) -> Iterator[dict[str, Any]]:
    """`jupyterhub` with orchestr-lab as a managed service and a service that can mint user tokens."""
    ports = {name: _free_port() for name in ("hub_port", "api_port", "proxy_api_port", "service_port")}
    command = [sys.executable, "-m", "orchestr_lab", "server", "--root", str(project), "--no-local-worker"]
    (tmp_path / "jupyterhub_config.py").write_text(
        HUB_CONFIG.format(
            dir=tmp_path, chp=_configurable_http_proxy(), command=command, admin_token=ADMIN_TOKEN, **ports
        )
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER"))}
    log_path = tmp_path / "hub.log"
    public = f"http://127.0.0.1:{ports['hub_port']}/"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(tmp_path / "jupyterhub_config.py")],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )

        last: list[str] = ["no answer yet"]

        def up() -> bool:
            assert proc.poll() is None, log_path.read_text()
            try:  # the Hub routes the service and the service answers (403: no token)
                reply = httpx.get(public + f"services/{SERVICE}/orchestr-lab/api/health")
            except httpx.HTTPError as exc:
                last[0] = repr(exc)
                return False
            last[0] = f"HTTP {reply.status_code}: {reply.text[:200]}"
            return reply.status_code == 403

        try:
            try:
                wait_for(up, timeout=120, interval=0.2, what="JupyterHub and its orchestr-lab service")
            except AssertionError as exc:  # say why: the last answer and the end of the Hub's log
                raise AssertionError(f"{exc}; last answer: {last[0]}\n{log_path.read_text()[-4000:]}") from None
            yield {
                "public": public,
                "api": public + f"services/{SERVICE}/orchestr-lab/api/",
                "service_port": ports["service_port"],
                "log": log_path,
                "proc": proc,
            }
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _user_token(hub: dict[str, Any], user: str) -> str:
    """A token for ``user``, made through the Hub's REST API (as the token page does)."""
    reply = httpx.post(
        hub["public"] + f"hub/api/users/{user}/tokens",
        json={"note": "orchestr-lab test"},
        headers={"Authorization": f"token {ADMIN_TOKEN}"},
    )
    assert reply.status_code == 201, reply.text
    return reply.json()["token"]


def test_a_real_jupyterhub_runs_the_service_and_its_tokens_get_in(real_hub: dict[str, Any], project: Path) -> None:
    alice, bob = _user_token(real_hub, "alice"), _user_token(real_hub, "bob")
    auth = {"Authorization": f"token {alice}"}
    # Through the Hub's proxy, at /services/orchestr-lab/, with alice's Hub token.
    health = httpx.get(real_hub["api"] + "health", headers=auth)
    assert health.status_code == 200, health.text

    created = httpx.post(
        real_hub["api"] + "deployments",
        headers=auth,
        json={"name": "from-the-hub", "notebook": "daily.ipynb", "parameters": {"n": 3}},
    )
    assert created.status_code == 201, created.text
    listed = httpx.get(real_hub["api"] + "deployments", headers=auth).json()
    assert "from-the-hub" in [d["name"] for d in listed]

    # Bob is a Hub user without the role: refused, told which scope; an unknown token: refused.
    refused = httpx.get(real_hub["api"] + "deployments", headers={"Authorization": f"token {bob}"})
    assert refused.status_code == 403 and ACCESS in refused.json()["error"]
    for token in ("not-a-hub-token", ADMIN_TOKEN):  # the admin service holds no access scope either
        assert (
            httpx.post(
                real_hub["api"] + "deployments",
                headers={"Authorization": f"token {token}"},
                json={"name": "sneaky", "notebook": "daily.ipynb"},
            ).status_code
            == 403
        )
    assert "sneaky" not in [d["name"] for d in httpx.get(real_hub["api"] + "deployments", headers=auth).json()]

    # Stopping the Hub stops its managed service.
    real_hub["proc"].send_signal(signal.SIGTERM)
    assert real_hub["proc"].wait(timeout=60) == 0, real_hub["log"].read_text()

    def service_gone() -> bool:
        try:
            httpx.get(f"http://127.0.0.1:{real_hub['service_port']}/")
        except httpx.ConnectError:
            return True
        return False

    wait_for(service_gone, timeout=60, interval=0.2, what="the service to stop with the Hub")
