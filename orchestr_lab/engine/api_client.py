"""The one HTTP client of an orchestr-lab server's REST API (``<url>/orchestr-lab/api/``).

A *store location* is either a SQLAlchemy URL (the store itself) or a server's base URL
(``http://host:8888/``, :func:`is_api_url`): the worker, its children and the kernels they start
pass that one string around, and whatever records into it picks the direct or the HTTP path.
The engine's remote recorder, the remote worker's gateway (``workers/gateway.py``) and the sdk's
:class:`~orchestr_lab.sdk.client.HttpBackend` (CLI and magics) all speak through
:class:`ApiClient`: the same URLs, ``Authorization: token T`` header (the token from
``ORCHESTR_LAB_API_TOKEN`` unless given) and error parsing.

Retries, with exponential backoff for up to ``retry_for`` seconds (per client, or per call; the
sdk's client uses 0, failing at once), are decided per call by what the server may have done:

- the request never reached it (connection refused, connect timeout) or it answered 503
  (stopping, store unavailable: nothing was done): retried for any call;
- it may have acted (a timeout waiting for the answer, a dropped connection, another 5xx):
  retried only for a call that is safe to repeat (``idempotent``; by default GET, HEAD, PUT,
  DELETE and OPTIONS are, POST and PATCH are not: a POST says so itself when its repeat is
  harmless);
- a 4xx is the caller's mistake or a refusal: :class:`ApiError` at once, never retried.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from ..core.errors import Conflict, NotFound, OrchestrLabError
from ..core.settings import ENV_API_TOKEN, ENV_API_URL

__all__ = [
    "ENV_API_TOKEN",
    "ENV_API_URL",
    "ApiClient",
    "ApiError",
    "ApiUnavailable",
    "api_client",
    "core_error",
    "is_api_url",
]

_log = logging.getLogger("orchestr_lab.api")
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
_TOKEN_HINT = "; pass the server's token with --token or ORCHESTR_LAB_API_TOKEN"


def is_api_url(url: str | None) -> bool:
    """True for a server's base URL, False for a database URL (or None: the configured store)."""
    return bool(url) and url.split("://", 1)[0].lower() in ("http", "https")  # type: ignore[union-attr]


class ApiError(OrchestrLabError):
    """The server refused the request (4xx): ``message`` is its ``error``, ``detail`` its ``detail``.

    Shown as ``<message> (HTTP <status>)``, with how to pass the token when it was refused (401, 403).
    """

    def __init__(self, status: int, message: str, detail: Any = None) -> None:
        hint = _TOKEN_HINT if status in (401, 403) else ""
        super().__init__(f"{message} (HTTP {status}){hint}")
        self.status = status
        self.message = message
        self.detail = detail  # e.g. which ops of a batch were refused


class ApiUnavailable(OrchestrLabError, ConnectionError):
    """The server could not be reached, or kept failing (5xx), for the call's whole retry budget."""


def core_error(
    exc: ApiError, *, not_found: type[NotFound] = NotFound, conflict: type[Exception] = Conflict
) -> Exception:
    """The error a local call raises where the server answered ``exc``: its 404 as ``not_found``
    and its 409 as ``conflict``, with the server's own message; ``exc`` itself otherwise."""
    if exc.status == 404:
        return not_found(exc.message)
    if exc.status == 409:
        return conflict(exc.message)
    return exc


class ApiClient:
    """``<url>/orchestr-lab/api/`` with the token; safe across threads (see the module for retries)."""

    def __init__(
        self,
        url: str,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        retry_for: float = 120.0,
        backoff: float = 0.2,
        max_backoff: float = 5.0,
    ) -> None:
        import httpx

        self.url = url.rstrip("/") + "/orchestr-lab/api/"
        token = token if token is not None else os.environ.get(ENV_API_TOKEN)
        headers = {"Authorization": f"token {token}"} if token else {}
        self.http = httpx.Client(base_url=self.url, headers=headers, timeout=timeout)
        self.retry_for = retry_for
        self.backoff = backoff
        self.max_backoff = max_backoff

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        missing_ok: bool = False,
        idempotent: bool | None = None,
        retry_for: float | None = None,
    ) -> Any:
        """The decoded JSON answer (None when empty, or for a 404 with ``missing_ok``).

        ``idempotent``: whether repeating the call is harmless (default: by its method);
        ``retry_for``: this call's retry budget in seconds (default: the client's).
        """
        import json as _json

        import httpx

        content = None if json is None else _json.dumps(json, default=str)  # a repr beats a crash
        headers = None if content is None else {"Content-Type": "application/json"}
        repeatable = method.upper() in _IDEMPOTENT_METHODS if idempotent is None else idempotent
        give_up = time.monotonic() + (self.retry_for if retry_for is None else retry_for)
        delay = self.backoff
        while True:
            try:
                response = self.http.request(method, path, content=content, params=params, headers=headers)
            except httpx.TransportError as exc:
                problem = f"cannot reach the orchestr-lab API at {self.url}: {str(exc) or type(exc).__name__}"
                unsent = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
            else:
                status = response.status_code
                if status < 400:
                    return response.json() if response.content else None
                if missing_ok and status == 404:
                    return None
                if status < 500:
                    raise ApiError(status, _message(response), _detail(response))
                problem = (
                    f"the orchestr-lab API at {self.url} failed {method} {path}: {_message(response)} (HTTP {status})"
                )
                unsent = status == 503
            if not (unsent or repeatable) or time.monotonic() + delay > give_up:
                raise ApiUnavailable(problem)
            _log.warning("%s; retrying in %.1fs", problem, delay)
            time.sleep(delay)
            delay = min(delay * 2, self.max_backoff)

    def close(self) -> None:
        self.http.close()


def _body(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _message(response: Any) -> str:
    body = _body(response)
    if isinstance(body, dict) and body.get("error"):
        return str(body["error"])
    return response.reason_phrase or "error"


def _detail(response: Any) -> Any:
    body = _body(response)
    return body.get("detail") if isinstance(body, dict) else None


_clients: dict[str, ApiClient] = {}
_lock = threading.Lock()


def api_client(url: str) -> ApiClient:
    """The process's client for the server at ``url`` (token from the environment)."""
    with _lock:  # taken once per recorder or gateway, never per request
        if url not in _clients:
            _clients[url] = ApiClient(url)
        return _clients[url]
