"""``WS /orchestr-lab/api/events/stream``: every new event, pushed as it is stored.

Events are written by many processes (kernels, workers, other servers) straight into the store,
so the server cannot be told about them; the server's one :class:`~..event_hub.EventHub` polls
the store (an indexed ``id > cursor`` read, off the event loop) every :data:`POLL_SECONDS` and
each socket sends what it hands over, one JSON text message per event, however many sockets are
open. ``?after=CURSOR`` first replays what came after a cursor the client already has (so a
reconnecting sidebar misses nothing); without it the stream starts at "now". A socket that
cannot keep up is closed with code 1013 and a reason; it reconnects with ``?after=``.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from concurrent.futures import Executor
from typing import Any, Protocol, cast

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import ValidationError
from sqlalchemy.engine import Engine
from tornado import web
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from ...core.limits import MAX_CURSOR
from ...core.schemas import EventQuery
from ..event_hub import Dropped, EventHub, Subscription
from .base import AUTH_RESOURCE, ServingApp, error_response

__all__ = ["POLL_SECONDS", "EventStreamHandler", "store_event_hub"]

POLL_SECONDS = 0.3


class _HubApp(Protocol):
    """What the socket uses of the app beside :class:`ServingApp`: its one hub (``app.OrchestrLabApp``)."""

    event_hub: EventHub


def store_event_hub(engine: Engine, executor: Executor, log: logging.Logger) -> EventHub:
    """The server's event hub, reading ``engine``'s events on ``executor`` (the API's pool)."""
    from ...store.events import latest_event_id, list_events

    async def in_pool(fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(executor, functools.partial(fn, *args, **kwargs))

    async def read(after: int, limit: int) -> list[dict[str, Any]]:
        return cast(list[dict[str, Any]], await in_pool(list_events, engine, after=after, limit=limit))

    async def latest() -> int | None:
        return cast("int | None", await in_pool(latest_event_id, engine))

    return EventHub(read, latest, interval=POLL_SECONDS, log=log)


class EventStreamHandler(WebSocketMixin, WebSocketHandler, ExtensionHandlerMixin, JupyterHandler):
    """One subscriber: authenticated and authorized like the REST routes, then fed by the hub."""

    auth_resource = AUTH_RESOURCE
    _cursor: int | None = None
    _pump: asyncio.Task[None] | None = None
    _subscription: Subscription | None = None

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

    async def open(self, *args: Any, **kwargs: Any) -> None:
        super().open()  # the mixin's keep-alive pings
        hub = cast(_HubApp, self.extensionapp).event_hub
        self._subscription = await hub.subscribe(self._cursor or 0)
        if self.ws_connection is None:  # closed while subscribing
            self._subscription.close()
            return
        self._pump = asyncio.ensure_future(self._send(self._subscription))

    def on_message(self, message: str | bytes) -> None:
        """Clients have nothing to say; the stream is one-way."""

    def on_close(self) -> None:
        if self._subscription is not None:
            self._subscription.close()
        if self._pump is not None:
            self._pump.cancel()

    async def _in_thread(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        app = cast(ServingApp, self.extensionapp)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(app.executor, lambda: fn(app.context.engine, *args, **kwargs))

    async def _send(self, subscription: Subscription) -> None:
        """Write what the hub hands over, batch by batch, until the socket closes or the hub drops it."""
        try:
            async for batch in subscription.messages():
                # The batch goes to the socket's buffer at once; until it is flushed, what comes
                # next waits in the hub's bounded queue.
                await asyncio.gather(*[self.write_message(text) for text in batch])
        except Dropped as why:
            self.close(why.code, why.reason)
        except WebSocketClosedError:
            return
        except Exception:  # the backlog's read failed: the client reconnects with its cursor
            self.log.warning("orchestr-lab event stream: reading the backlog failed", exc_info=True)
            self.close(1011, "reading events failed; reconnect with ?after=")
