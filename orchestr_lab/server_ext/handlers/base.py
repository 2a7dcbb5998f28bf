"""The one base handler: authentication, parsing, serialising, and errors mapped to HTTP.

Every REST route is served by :class:`RouteHandler`, which reads what to do from the route
table (``server_ext.routes``): parse the body and query with the route's pydantic models,
call the route's function in a worker thread (the store is synchronous), serialise the answer
through the route's response model. Errors become ``{"error", "detail"}`` in ONE place,
:func:`error_response`, so bad input is a 4xx everywhere and a 500 always means a bug.
"""

from __future__ import annotations

import asyncio
import functools
import json
import types
import typing
from collections.abc import Callable
from concurrent.futures import Executor
from http import HTTPStatus
from typing import Any, ClassVar, Protocol
from urllib.parse import urlencode

from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import BaseModel, TypeAdapter, ValidationError
from tornado import web

from ...actions import Context
from ...core.documents import Document
from ...core.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    OrchestrLabError,
    ParameterTypeError,
    PathOutsideRoot,
    ScheduleError,
    StoreError,
)
from ...core.limits import MAX_JSON_DEPTH, MAX_PATH_PARAM, json_depth
from ...core.page_cursor import ListPage
from ...core.schemas_assets import MAX_ASSET_KEY
from ...core.settings import ENV_PREFIX
from ...core.validation import validation_detail, validation_message
from ..route import Route

__all__ = [
    "AUTH_RESOURCE",
    "ApiHandler",
    "BadRequest",
    "BodyTooLarge",
    "RouteHandler",
    "ServerStopping",
    "error_response",
]

#: The resource name jupyter_server's Authorizer sees for every orchestr-lab route.
AUTH_RESOURCE = "orchestr_lab"


class BadRequest(OrchestrLabError, ValueError):
    """The request could not be read at all (malformed JSON, a query value of the wrong type)."""

    def __init__(self, message: str, *, detail: Any = None) -> None:
        super().__init__(message)
        self.detail = detail


class BodyTooLarge(OrchestrLabError, ValueError):
    """The request body is larger than the server accepts; ``setting`` names the knob that says so."""

    def __init__(self, limit: int, setting: str) -> None:
        env = ENV_PREFIX + setting.upper()
        super().__init__(f"The request body is larger than {limit} bytes (OrchestrLabApp.{setting}, env {env})")
        self.limit = limit
        self.setting = setting


class ServerStopping(OrchestrLabError):
    """The server is shutting down and takes no more API work; the client may try again (503)."""

    def __init__(self) -> None:
        super().__init__("The server is shutting down; try again when it is back")


def error_response(exc: BaseException | None, default_status: int = 500) -> tuple[int, dict[str, Any]]:
    """``(status, {"error", "detail"})`` for an exception: the API's whole error policy."""
    if isinstance(exc, web.HTTPError):
        status = exc.status_code
        return status, {"error": exc.log_message or exc.reason or _phrase(status), "detail": None}
    if isinstance(exc, BodyTooLarge):
        return 413, {"error": str(exc), "detail": {"limit": exc.limit, "setting": exc.setting}}
    if isinstance(exc, BadRequest):
        return 400, {"error": str(exc), "detail": exc.detail}
    if isinstance(exc, ValidationError):
        detail = validation_detail(exc)
        return 422, {"error": validation_message(detail), "detail": detail}
    if isinstance(exc, ParameterTypeError):
        names = ", ".join(exc.errors) or "?"
        return 422, {"error": f"Invalid parameters ({names}): {exc}", "detail": exc.errors}
    if isinstance(exc, ScheduleError):
        return 422, {"error": str(exc), "detail": None}
    if isinstance(exc, PathOutsideRoot):
        return 403, {"error": str(exc), "detail": None}
    if isinstance(exc, NotFound):
        return 404, {"error": str(exc), "detail": None}
    if isinstance(exc, (Conflict, IllegalTransition)):
        # ``detail``: what the conflict was about (e.g. the refused ops of a batch), or the broken rule.
        return 409, {"error": str(exc), "detail": getattr(exc, "detail", None) or getattr(exc, "rule", None) or None}
    if isinstance(exc, ServerStopping):
        return 503, {"error": str(exc), "detail": "the server is shutting down"}
    if isinstance(exc, StoreError):
        return 503, {"error": str(exc), "detail": None}
    status = default_status if default_status >= 400 else 500
    return status, {"error": _phrase(status) if status >= 500 or exc is None else str(exc), "detail": None}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class ServingApp(Protocol):
    """What a handler uses of the extension app (``app.OrchestrLabApp``, which builds the
    handlers: they name what they need rather than import the app)."""

    executor: Executor
    context: Context
    max_request_bytes: int
    max_upload_bytes: int


class ApiHandler(ExtensionHandlerMixin, APIHandler):
    """Base of every orchestr-lab handler: its app, thread calls, JSON in and out, errors."""

    auth_resource = AUTH_RESOURCE

    @property
    def orchestr(self) -> ServingApp:
        return self.extensionapp  # type: ignore[return-value]

    async def in_thread(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Run blocking store work off the event loop, on the extension's bounded pool.

        While the server stops, the pool takes no new work and drops what waits: that is a 503
        the client can retry, not a 500.
        """
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.orchestr.executor, functools.partial(fn, *args, **kwargs))
        except RuntimeError as exc:  # "cannot schedule new futures after shutdown"
            if "shutdown" not in str(exc):
                raise
            raise ServerStopping() from None
        except asyncio.CancelledError:
            # This request itself is cancelled: let it end. (Task.cancelling is Python 3.11's; on
            # 3.10, without it, a cancellation is taken for the server stopping: a 503.)
            cancelling = getattr(asyncio.current_task(), "cancelling", None)
            if cancelling is not None and cancelling():
                raise
            raise ServerStopping() from None

    def parse_body(self, model: type[BaseModel]) -> BaseModel:
        """The JSON body as ``model``; an empty body means ``{}`` (all defaults).

        Nesting deeper than ``MAX_JSON_DEPTH`` is refused: no model needs it, and Python's
        parser raises ``RecursionError`` near 1,000 levels.
        """
        raw = self.request.body or b""
        if not raw.strip():
            data: Any = {}
        else:
            too_deep = BadRequest(
                f"The JSON body is nested deeper than {MAX_JSON_DEPTH} levels", detail={"max_depth": MAX_JSON_DEPTH}
            )
            try:
                data = json.loads(raw)
            except RecursionError:
                raise too_deep from None
            except (ValueError, UnicodeDecodeError) as exc:
                raise BadRequest(f"Malformed JSON body: {exc}") from None
            if json_depth(data) > MAX_JSON_DEPTH:
                raise too_deep
        if not isinstance(data, dict):
            raise BadRequest(f"The body must be a JSON object, not {type(data).__name__}")
        return model.model_validate(data)

    def parse_query(self, model: type[BaseModel]) -> BaseModel:
        """The query string as ``model``; list fields take repeated or comma-separated values.

        The model sees the values as sent (tornado's ``get_arguments`` would turn control
        characters into blanks and strip them), so the query's bounds are checked as documented.
        """
        data: dict[str, Any] = {}
        for name, field in model.model_fields.items():
            values = [self.decode_argument(raw, name=name) for raw in self.request.query_arguments.get(name, [])]
            if not values:
                continue
            if _is_list(field.annotation):
                data[name] = [v.strip() for value in values for v in value.split(",") if v.strip()]
            else:
                data[name] = values[-1]
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            detail = validation_detail(exc)
            raise BadRequest(validation_message(detail), detail=detail) from None

    def reply(self, value: Any, response: Any = None, *, status: int = 200) -> None:
        """Serialise ``value`` through the ``response`` type (as documented) and finish."""
        self.set_status(status)
        if status == 204 or response is None:
            self.finish()
            return
        if isinstance(value, ListPage):
            self._page_headers(value)
        if isinstance(value, Document):  # not JSON: written as it is, with its own headers
            for name, header in value.headers:
                self.set_header(name, header)
            self.finish(value.body, set_content_type=value.media_type)
            return
        adapter = _adapter(response)
        data = adapter.dump_python(adapter.validate_python(value), mode="json")
        self.finish(json.dumps(data))

    def _page_headers(self, page: ListPage) -> None:
        """A list answer that is one page: how many there are, and where the next page starts
        (the body stays a JSON list, as clients that predate paging read it)."""
        self.set_header("X-Total-Count", str(page.total))
        if page.next_cursor is None:
            return
        self.set_header("X-Next-Cursor", page.next_cursor)
        query = {k: v[-1].decode("utf-8", "replace") for k, v in self.request.query_arguments.items()}
        query.update(cursor=page.next_cursor)
        query.pop("offset", None)
        self.set_header("Link", f'<{self.request.path}?{urlencode(query)}>; rel="next"')

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        status, body = error_response(exc, status_code)
        self.set_status(status)
        if status == 405:  # HTTP: a 405 says which methods the URL has (tornado refuses TRACE before _serve)
            self.set_header("Allow", ", ".join(sorted(getattr(self, "routes", {}))))
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, default=str))

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Expected errors are a debug line (the request log shows the status); bugs get a traceback."""
        status, body = error_response(value)
        if status < 500:
            self.log.debug("%d %s: %s", status, self._request_summary(), body["error"])
            return
        super().log_exception(typ, value, tb)


@web.stream_request_body
class RouteHandler(ApiHandler):
    """Serves the routes of one URL (one per method), as the route table describes them.

    The body is streamed in, so one larger than the server's limit is refused before it is
    held in memory: at once when its Content-Length says so, else once that many bytes came.
    """

    routes: ClassVar[dict[str, Route]] = {}
    _chunks: list[bytes] | None = None
    _received = 0
    _limit = 0

    def _body_limit(self) -> tuple[int, str]:
        """This route's limit and the setting that gives it (uploads have their own)."""
        route = self.routes.get(self.request.method or "")
        large = route is not None and getattr(route.body, "large_body", False)
        setting = "max_upload_bytes" if large else "max_request_bytes"
        return int(getattr(self.orchestr, setting)), setting

    async def prepare(self) -> None:  # type: ignore[override]
        await super().prepare()  # authentication first: a stranger learns nothing of the limits
        self._chunks, self._received = [], 0
        self._limit, setting = self._body_limit()
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self._limit:
            self._chunks = None
            raise BodyTooLarge(self._limit, setting)

    def data_received(self, chunk: bytes) -> None:
        if self._chunks is None:  # refused already: drop what still arrives
            return
        self._received += len(chunk)
        if self._received > self._limit:
            self._chunks.clear()
        else:
            self._chunks.append(chunk)

    def _take_body(self) -> None:
        """The streamed body as ``request.body``, or :class:`BodyTooLarge`."""
        if self._received > self._limit:
            raise BodyTooLarge(*self._body_limit())
        self.request.body = b"".join(self._chunks or ())
        self._chunks = None

    async def _serve(self, path_args: dict[str, str]) -> None:
        route = self.routes.get(self.request.method or "")
        if route is None:
            raise web.HTTPError(405, f"{self.request.method} is not a method of this route")
        self._take_body()
        for name, value in path_args.items():
            if len(value) > (MAX_ASSET_KEY if name == "asset_key" else MAX_PATH_PARAM) or "\x00" in value:
                # Longer than any id or name, or with a character none can hold: no such resource.
                raise NotFound(
                    f"No {name} {value[:40]!r}...: ids and names are at most {MAX_PATH_PARAM} characters, without NUL"
                )
        kwargs: dict[str, Any] = dict(path_args)
        if route.query is not None:
            kwargs["query"] = self.parse_query(route.query)
        if route.body is not None:
            kwargs["body"] = self.parse_body(route.body)
        # Routes this handler serves have a call (None: a websocket route, served by its own handler).
        result = await self.in_thread(route.call, self.orchestr.context, **kwargs)  # type: ignore[arg-type]
        self.reply(result, route.response, status=route.status)

    @web.authenticated
    @authorized
    async def get(self, **path_args: str) -> None:
        await self._serve(path_args)

    @web.authenticated
    @authorized
    async def post(self, **path_args: str) -> None:
        await self._serve(path_args)

    @web.authenticated
    @authorized
    async def patch(self, **path_args: str) -> None:
        await self._serve(path_args)

    @web.authenticated
    @authorized
    async def put(self, **path_args: str) -> None:
        await self._serve(path_args)

    @web.authenticated
    @authorized
    async def delete(self, **path_args: str) -> None:
        await self._serve(path_args)


def _is_list(annotation: Any) -> bool:
    """``list[X]``, ``Optional[list[X]]`` and ``list[X] | None`` all take several values."""
    if typing.get_origin(annotation) is typing.Annotated:  # a bounded list (core.limits)
        return _is_list(typing.get_args(annotation)[0])
    if annotation is list or typing.get_origin(annotation) is list:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return any(_is_list(arg) for arg in typing.get_args(annotation))
    return False


@functools.cache
def _adapter(response: Any) -> TypeAdapter[Any]:
    return TypeAdapter(response)
