"""``WS /orchestr-lab/api/events/stream``: every new event, pushed as it is stored.

Events are written by many processes (kernels, workers, other servers) straight into the store,
so the server cannot be told about them; each socket polls the store (an indexed ``id > cursor``
read, off the event loop) every :data:`POLL_SECONDS` and sends what is new, one JSON text
message per event. ``?after=CURSOR`` first replays what came after a cursor the client already
has (so a reconnecting sidebar misses nothing); without it the stream starts at "now".
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, cast

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import ValidationError
from tornado import web
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from ...core.limits import MAX_CURSOR
from ...core.schemas import EventQuery
from .base import AUTH_RESOURCE, ServingApp, error_response

__all__ = ["POLL_SECONDS", "EventStreamHandler"]

POLL_SECONDS = 0.3
_BATCH = 500


class EventStreamHandler(WebSocketMixin, WebSocketHandler, ExtensionHandlerMixin, JupyterHandler):
    """One subscriber: authenticated and authorized like the REST routes, then fed by a poll loop."""

    auth_resource = AUTH_RESOURCE
    _cursor: int | None = None
    _pump: asyncio.Task[None] | None = None

    def set_default_headers(self) -> None:
        """No CSP/html headers on a WebSocket (as jupyter_server's own sockets do)."""

    async def pre_get(self) -> None:
        user = self.current_user
        if not await ensure_async(self.authorizer.is_authorized(self, user, "read", AUTH_RESOURCE)):
            raise web.HTTPError(403, f"User is not authorized to read on resource: {AUTH_RESOURCE}.")
        after = self.get_argument("after", None)
        if after is not None:
            # The same rule as GET events: an event id, within the API's bounds for cursors.
            try:
                self._cursor = EventQuery.model_validate({"after": after}).after
            except ValidationError:
                raise web.HTTPError(
                    400, f"after must be an event id (an integer from 0 to {MAX_CURSOR}), not {after[:40]!r}"
                ) from None
        else:
            from ...store.events import latest_event_id

            self._cursor = await self._in_thread(latest_event_id)

    @ws_authenticated
    async def get(self, *args: Any, **kwargs: Any) -> None:
        if self.request.headers.get("Upgrade", "").lower() != "websocket":
            raise web.HTTPError(400, "This route is a WebSocket: connect with 'Upgrade: websocket'")
        await self.pre_get()
        await super().get(*args, **kwargs)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Refusals before the upgrade are ``{"error", "detail"}`` JSON, as on every other route."""
        status, body = error_response(kwargs.get("exc_info", (None, None, None))[1], status_code)
        self.set_status(status)
        if status == 405:
            self.set_header("Allow", "GET")
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body, default=str))

    def open(self, *args: Any, **kwargs: Any) -> None:
        super().open()  # the mixin's keep-alive pings
        self._pump = asyncio.ensure_future(self._send_new_events())

    def on_message(self, message: str | bytes) -> None:
        """Clients have nothing to say; the stream is one-way."""

    def on_close(self) -> None:
        if self._pump is not None:
            self._pump.cancel()

    async def _in_thread(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        app = cast(ServingApp, self.extensionapp)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(app.executor, lambda: fn(app.context.engine, *args, **kwargs))

    async def _send_new_events(self) -> None:
        from ...store.events import list_events

        while True:
            try:
                events = await self._in_thread(list_events, after=self._cursor, limit=_BATCH)
            except Exception:  # a locked or restarting database: try again on the next tick
                self.log.warning("orchestr-lab event stream: reading events failed", exc_info=True)
                events = []
            try:
                for event in events:
                    await self.write_message(json.dumps(event, default=str))
                    self._cursor = event["id"]
            except WebSocketClosedError:
                return
            if len(events) < _BATCH:
                await asyncio.sleep(POLL_SECONDS)
