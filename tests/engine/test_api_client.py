"""The one HTTP client (``engine/api_client.py``) against a real HTTP server that answers as
scripted: what it retries and what it never sends twice, and the errors it raises."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from orchestr_lab.core.errors import Conflict, NotFound
from orchestr_lab.engine.api_client import ApiClient, ApiError, ApiUnavailable, core_error


class Scripted:
    """A server whose answers to each path are a list of (status, body), used up in order
    (the last one repeats); it keeps every request it got as (method, path, Authorization)."""

    def __init__(self, port: int = 0, answers: dict[str, list[tuple[int, Any]]] | None = None) -> None:
        self.answers: dict[str, list[tuple[int, Any]]] = answers or {}
        self.seen: list[tuple[str, str, str | None]] = []
        scripted = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = self.path.removeprefix("/orchestr-lab/api/")
                scripted.seen.append((self.command, path, self.headers.get("Authorization")))
                queue = scripted.answers.get(path) or [(404, {"error": f"no {path}"})]
                status, body = queue.pop(0) if len(queue) > 1 else queue[0]
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Scripted]:
    scripted = Scripted()
    yield scripted
    scripted.close()


@pytest.fixture
def client(server: Scripted) -> Iterator[ApiClient]:
    api = ApiClient(server.url, "T", retry_for=5, backoff=0.01)
    yield api
    api.close()


def test_a_failed_read_is_retried_and_sends_the_token(server: Scripted, client: ApiClient) -> None:
    server.answers["flow_runs/x"] = [(500, {"error": "boom"}), (200, {"id": "x"})]
    assert client.request("GET", "flow_runs/x") == {"id": "x"}
    assert server.seen == [("GET", "flow_runs/x", "token T")] * 2


def test_a_post_the_server_may_have_done_is_sent_once(server: Scripted, client: ApiClient) -> None:
    server.answers["deployments/d/runs"] = [(500, {"error": "boom"}), (201, {"id": "r"})]
    with pytest.raises(ApiUnavailable, match=r"failed POST deployments/d/runs: boom \(HTTP 500\)"):
        client.request("POST", "deployments/d/runs", json={})
    assert len(server.seen) == 1


def test_a_post_safe_to_repeat_is_retried(server: Scripted, client: ApiClient) -> None:
    server.answers["workers/ops"] = [(502, {}), (200, {"written": 1})]
    assert client.request("POST", "workers/ops", json={"batch_id": "b"}, idempotent=True) == {"written": 1}
    assert len(server.seen) == 2


def test_a_503_did_nothing_so_any_call_is_retried(server: Scripted, client: ApiClient) -> None:
    server.answers["workers/claim"] = [(503, {"error": "stopping"}), (200, {"run": None})]
    assert client.request("POST", "workers/claim", json={}) == {"run": None}
    assert len(server.seen) == 2


def test_a_post_that_never_reached_the_server_is_retried() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    api = ApiClient(f"http://127.0.0.1:{port}/", "T", retry_for=30, backoff=0.05, max_backoff=0.2)
    started: list[Scripted] = []
    timer = threading.Timer(0.5, lambda: started.append(Scripted(port, {"workers/claim": [(200, {"run": None})]})))
    timer.start()  # connections are refused until then
    try:
        assert api.request("POST", "workers/claim", json={}) == {"run": None}
        assert len(started[0].seen) == 1
    finally:
        timer.join()
        api.close()
        for scripted in started:
            scripted.close()


def test_a_refusal_is_raised_at_once_with_the_servers_words(server: Scripted, client: ApiClient) -> None:
    server.answers["workers/ops"] = [(409, {"error": "refused", "detail": [{"index": 0}]})]
    with pytest.raises(ApiError) as info:
        client.request("POST", "workers/ops", json={}, idempotent=True)
    assert (info.value.status, info.value.message, info.value.detail) == (409, "refused", [{"index": 0}])
    assert len(server.seen) == 1
    assert isinstance(core_error(info.value), Conflict) and str(core_error(info.value)) == "refused"

    server.answers["health"] = [(403, {"error": "Forbidden"})]
    with pytest.raises(ApiError, match=r"^Forbidden \(HTTP 403\); pass the server's token with --token"):
        client.request("GET", "health")
    with pytest.raises(ApiError) as missing:
        client.request("GET", "flow_runs/nope")
    assert isinstance(core_error(missing.value), NotFound) and str(core_error(missing.value)) == "no flow_runs/nope"
    assert client.request("GET", "flow_runs/nope", missing_ok=True) is None


def test_no_retry_budget_fails_at_once(server: Scripted) -> None:
    api = ApiClient(server.url, "T", retry_for=0, backoff=0.01)
    server.answers["health"] = [(500, {"error": "boom"}), (200, {"status": "ok"})]
    try:
        with pytest.raises(ApiUnavailable):
            api.request("GET", "health")
        assert len(server.seen) == 1
    finally:
        api.close()
