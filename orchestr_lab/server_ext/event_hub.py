"""One event poller per server, feeding every event-stream subscriber.

Events are written by many processes straight into the store, so the server learns of them
only by reading; when each WebSocket polled for itself, 500 open sidebars cost 500 reads (and,
on PostgreSQL, 500 exclusive event locks) every interval. The :class:`EventHub` reads new events
once per interval by the ``id`` cursor, serialises each once, and hands the same text to every
:class:`Subscription`. It runs while someone listens: started by the first subscriber, stopped
with the last (or by :meth:`EventHub.stop` when the server stops).

Each subscription has a bounded queue: a client that cannot keep up is dropped (its socket is
closed with :data:`SLOW_CLOSE_CODE` and a reason) rather than held in memory; it reconnects with
``?after=`` the last id it received and catches up. A subscriber that starts behind the hub is
given the backlog first — from the hub's ring of recent events when it reaches back that far,
else read page by page from the store — then the live events, with no gap and no duplicate.

Jupyter-free: the hub is given its two store reads as coroutine functions.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

__all__ = ["GOING_AWAY_CODE", "SLOW_CLOSE_CODE", "Dropped", "EventHub", "Subscription"]

#: WebSocket close code for a dropped slow client: 1013, "try again later" (RFC 6455 registry).
SLOW_CLOSE_CODE = 1013
#: WebSocket close code when the server stops: 1001, "going away".
GOING_AWAY_CODE = 1001

#: ``read(after, limit)``: events with ``id > after``, oldest first, at most ``limit``.
ReadEvents = Callable[[int, int], Awaitable[list[dict[str, Any]]]]
#: ``latest()``: the newest event id (None when there are none).
LatestId = Callable[[], Awaitable["int | None"]]

_Message = tuple[int, str]


class Dropped(Exception):
    """Raised to a subscription's reader once the hub dropped it: the close ``code`` and ``reason``."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Subscription:
    """One subscriber's view of the hub: its backlog (if it started behind) and a bounded queue."""

    def __init__(self, hub: EventHub, after: int, backlog_until: int | None) -> None:
        self._hub = hub
        #: The last event id put in the queue (or, before any, the cursor it subscribed with).
        self.cursor = after
        self._backlog = (after, backlog_until) if backlog_until is not None else None
        self._queue: deque[str] = deque()
        self._ready = asyncio.Event()
        self.dropped: Dropped | None = None

    def _offer(self, messages: list[_Message]) -> None:
        """Queue what is newer than this subscriber's cursor; drop it when its queue is full."""
        if self.dropped is not None:
            return
        for event_id, text in messages:
            if event_id <= self.cursor:
                continue
            if len(self._queue) >= self._hub.max_pending:
                reason = f"too slow: more than {self._hub.max_pending} events waiting; reconnect with ?after="
                self._drop(Dropped(SLOW_CLOSE_CODE, reason))
                return
            self._queue.append(text)
            self.cursor = event_id
        if self._queue:
            self._ready.set()

    def _drop(self, why: Dropped) -> None:
        self.dropped = why
        self._queue.clear()  # give the memory back now, not when the socket is gone
        self._ready.set()
        self._hub.unsubscribe(self)

    async def messages(self) -> AsyncIterator[list[str]]:
        """Batches of JSON texts, in id order: the backlog, then live events, until dropped.

        Raises :class:`Dropped` once the hub dropped this subscription.
        """
        if self._backlog is not None:
            after, until = self._backlog
            async for page in self._hub._read_range(after, until):
                yield page
            self._backlog = None
        while True:
            await self._ready.wait()
            if self.dropped is not None:
                raise self.dropped
            batch = list(self._queue)
            self._queue.clear()
            self._ready.clear()
            yield batch

    def close(self) -> None:
        """Leave the hub (the socket closed)."""
        self._hub.unsubscribe(self)


class EventHub:
    """Reads new events once per ``interval`` for all subscribers (see the module docstring)."""

    def __init__(
        self,
        read: ReadEvents,
        latest: LatestId,
        *,
        interval: float = 0.3,
        batch: int = 500,
        max_pending: int = 2000,
        ring_size: int = 2000,
        log: logging.Logger | None = None,
    ) -> None:
        self._read = read
        self._latest = latest
        self.interval = interval
        self.batch = batch
        #: Events a subscriber may have waiting before it is dropped as too slow.
        self.max_pending = max_pending
        self._ring: deque[_Message] = deque(maxlen=ring_size)
        self._ring_floor = 0  # every event with floor < id <= cursor is in the ring
        self._cursor = 0
        self._subs: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None
        self._starting: asyncio.Future[None] | None = None
        self._log = log or logging.getLogger(__name__)
        #: Store reads the poller made (its one query per interval): what many viewers cost.
        self.polls = 0

    @property
    def subscribers(self) -> int:
        return len(self._subs)

    async def subscribe(self, after: int) -> Subscription:
        """A subscription to every event with ``id > after``, starting the poller if it is idle."""
        await self._start()
        # No await from here on: the hub's cursor and ring cannot move under us.
        behind = after < self._cursor
        from_ring = behind and after >= self._ring_floor
        sub = Subscription(self, after, self._cursor if behind and not from_ring else None)
        if from_ring:
            sub._offer([m for m in self._ring if m[0] > after])
        if not behind or from_ring:
            sub.cursor = max(after, self._cursor)
        self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self._subs.discard(sub)
        if not self._subs and self._task is not None:
            self._task.cancel()
            self._task = None

    async def stop(self) -> None:
        """Stop polling and drop every subscriber (the server is stopping)."""
        task = self._task
        for sub in list(self._subs):
            sub._drop(Dropped(GOING_AWAY_CODE, "the server is stopping"))
        self._task = None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _start(self) -> None:
        if self._task is not None:
            return
        if self._starting is None:  # the first of several concurrent subscribers starts it
            self._starting = asyncio.ensure_future(self._begin())
        starting = self._starting
        try:
            await asyncio.shield(starting)
        finally:
            if self._starting is starting and starting.done():
                self._starting = None

    async def _begin(self) -> None:
        self._cursor = self._ring_floor = await self._latest() or 0
        self._ring.clear()
        self._task = asyncio.ensure_future(self._poll())

    async def _poll(self) -> None:
        while True:
            try:
                events = await self._read(self._cursor, self.batch)
            except Exception:  # a locked or restarting database: try again on the next tick (a cancel is no Exception)
                self._log.warning("orchestr-lab event stream: reading events failed", exc_info=True)
                events = []
            self.polls += 1
            if events:
                self._publish(events)
            if len(events) < self.batch:
                await asyncio.sleep(self.interval)

    def _publish(self, events: list[dict[str, Any]]) -> None:
        messages = [(int(e["id"]), json.dumps(e, default=str)) for e in events]
        for message in messages:
            if len(self._ring) == self._ring.maxlen:
                self._ring_floor = self._ring[0][0]
            self._ring.append(message)
        self._cursor = messages[-1][0]
        for sub in list(self._subs):
            sub._offer(messages)

    async def _read_range(self, after: int, until: int) -> AsyncIterator[list[str]]:
        """Pages of events with ``after < id <= until`` read from the store (a late subscriber's backlog)."""
        while after < until:
            events = [e for e in await self._read(after, self.batch) if e["id"] <= until]
            if not events:
                return
            yield [json.dumps(e, default=str) for e in events]
            after = events[-1]["id"]
