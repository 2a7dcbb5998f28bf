"""Talking to an orchestr-lab server over HTTP, for workers and kernels on other machines.

A *store location* is either a SQLAlchemy URL (the store itself) or a server's base URL
(``http://host:8888/``, :func:`is_api_url`): the worker, its children and the kernels they start
pass that one string around, and whatever records into it picks the direct or the HTTP path.
The token comes from ``ORCHESTR_LAB_API_TOKEN`` (``Authorization: token T``, as every client).

:class:`ApiClient` retries what may be passing, with exponential backoff, for up to
``retry_for`` seconds: connection errors, timeouts and 5xx answers (the server restarting, a
proxy in between). A 4xx is the caller's mistake or a refusal and is raised at once as
:class:`ApiError`, never retried.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from ..core.errors import OrchestrLabError
from ..core.settings import ENV_API_TOKEN, ENV_API_URL

__all__ = ["ENV_API_TOKEN", "ENV_API_URL", "ApiClient", "ApiError", "ApiUnavailable", "api_client", "is_api_url"]

_log = logging.getLogger("orchestr_lab.api")


def is_api_url(url: str | None) -> bool:
    """True for a server's base URL, False for a database URL (or None: the configured store)."""
    return bool(url) and url.split("://", 1)[0].lower() in ("http", "https")  # type: ignore[union-attr]


class ApiError(OrchestrLabError):
    """The server answered with an error (4xx, or 5xx once retrying gave up)."""

    def __init__(self, status: int, message: str, detail: Any = None) -> None:
        super().__init__(f"{message} (HTTP {status})")
        self.status = status
        self.message = message
        self.detail = detail  # the answer's ``detail`` (e.g. which ops of a batch were refused)


class ApiUnavailable(OrchestrLabError, ConnectionError):
    """The server could not be reached (or kept failing) for the whole retry budget."""


class ApiClient:
    """``<url>/orchestr-lab/api/`` with the token, retried with backoff; safe across threads."""

    def __init__(self, url: str, token: str | None = None, *, timeout: float = 30.0,
                 retry_for: float = 120.0, backoff: float = 0.2, max_backoff: float = 5.0) -> None:
        import httpx

        self.url = url.rstrip("/") + "/orchestr-lab/api/"
        token = token if token is not None else os.environ.get(ENV_API_TOKEN)
        headers = {"Authorization": f"token {token}"} if token else {}
        self.http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)
        self.retry_for = retry_for
        self.backoff = backoff
        self.max_backoff = max_backoff

    def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                retry_for: float | None = None, missing_ok: bool = False) -> Any:
        """The decoded JSON answer (None when empty, or for a 404 with ``missing_ok``)."""
        import json as _json

        import httpx

        content = None if json is None else _json.dumps(json, default=str)  # a repr beats a crash
        headers = None if content is None else {"Content-Type": "application/json"}
        budget = self.retry_for if retry_for is None else retry_for
        give_up = time.monotonic() + budget
        delay = self.backoff
        while True:
            try:
                response = self.http.request(method, path, content=content, params=params, headers=headers)
            except httpx.TransportError as exc:
                problem: str = f"cannot reach {self.url}: {type(exc).__name__}: {exc}"
            else:
                if response.status_code < 400:
                    return response.json() if response.content else None
                if missing_ok and response.status_code == 404:
                    return None
                if response.status_code < 500:
                    raise ApiError(response.status_code, _message(response), _detail(response))
                problem = f"{self.url}{path}: {_message(response)} (HTTP {response.status_code})"
            if time.monotonic() + delay > give_up:
                raise ApiUnavailable(problem)
            _log.warning("%s; retrying in %.1fs", problem, delay)
            time.sleep(delay)
            delay = min(delay * 2, self.max_backoff)

    def close(self) -> None:
        self.http.close()


def _message(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"])
    return response.reason_phrase or "error"


def _detail(response: Any) -> Any:
    try:
        body = response.json()
    except ValueError:
        return None
    return body.get("detail") if isinstance(body, dict) else None


_clients: dict[str, ApiClient] = {}
_lock = threading.Lock()


def api_client(url: str) -> ApiClient:
    """The process's client for the server at ``url`` (token from the environment)."""
    with _lock:  # taken once per recorder or gateway, never per request
        if url not in _clients:
            _clients[url] = ApiClient(url)
        return _clients[url]
