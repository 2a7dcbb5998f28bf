"""The event hub on its own (no server): one read per interval for any number of subscribers,
late subscribers get the backlog with no gap and no duplicate, a stalled one is dropped alone."""

from __future__ import annotations

import asyncio
from typing import Any

from orchestr_lab.server_ext.event_hub import GOING_AWAY_CODE, SLOW_CLOSE_CODE, Dropped, EventHub, Subscription


class FakeEvents:
    """An in-memory event table with the two reads the hub is given; counts the reads."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.reads = 0

    def add(self, count: int) -> None:
        start = len(self.rows) + 1
        self.rows += [
            {"id": i, "kind": "test.tick", "resource_id": str(i), "payload": {}} for i in range(start, start + count)
        ]

    async def read(self, after: int, limit: int) -> list[dict[str, Any]]:
        self.reads += 1
        await asyncio.sleep(0)  # the real read runs in a thread: the loop turns meanwhile
        return [r for r in self.rows if r["id"] > after][:limit]

    async def latest(self) -> int | None:
        return self.rows[-1]["id"] if self.rows else None


async def _take(sub: Subscription, count: int) -> list[int]:
    import json

    ids: list[int] = []
    async for batch in sub.messages():
        ids += [json.loads(text)["id"] for text in batch]
        if len(ids) >= count:
            return ids
    raise AssertionError("the subscription ended")


def _hub(events: FakeEvents, **kwargs: Any) -> EventHub:
    return EventHub(events.read, events.latest, interval=0.01, **kwargs)


def test_late_subscribers_get_the_backlog_then_live_events_without_gap_or_duplicate() -> None:
    async def main() -> None:
        events = FakeEvents()
        events.add(10)
        hub = _hub(events, batch=7, ring_size=5)
        first = await hub.subscribe(10)
        events.add(10)  # ids 11..20: the hub's ring keeps only 16..20
        assert await asyncio.wait_for(_take(first, 10), 5) == list(range(11, 21))
        from_ring = await hub.subscribe(17)
        from_store = await hub.subscribe(3)  # older than the ring: read from the store, page by page
        events.add(5)
        assert await asyncio.wait_for(_take(from_ring, 8), 5) == list(range(18, 26))
        assert await asyncio.wait_for(_take(from_store, 22), 5) == list(range(4, 26))
        await hub.stop()

    asyncio.run(main())


def test_the_store_is_read_once_per_interval_whatever_the_number_of_subscribers() -> None:
    async def main() -> None:
        events = FakeEvents()
        hub = _hub(events)
        subs = [await hub.subscribe(0) for _ in range(200)]
        await asyncio.sleep(0.2)
        reads = events.reads
        assert 1 <= reads <= 0.2 / 0.01 + 2, reads
        events.add(3)
        for sub in subs:
            assert await asyncio.wait_for(_take(sub, 3), 5) == [1, 2, 3]
        for sub in subs:
            sub.close()
        stopped_at = events.reads
        await asyncio.sleep(0.1)
        assert events.reads == stopped_at, "the poller kept reading with no one listening"
        assert hub.polls == stopped_at

    asyncio.run(main())


def test_a_stalled_subscriber_is_dropped_and_the_others_keep_everything() -> None:
    async def main() -> None:
        events = FakeEvents()
        hub = _hub(events, batch=50, max_pending=100)
        stalled = await hub.subscribe(0)
        reader = await hub.subscribe(0)
        events.add(500)
        assert await asyncio.wait_for(_take(reader, 500), 5) == list(range(1, 501))
        assert hub.subscribers == 1
        try:
            await asyncio.wait_for(_take(stalled, 1), 5)
        except Dropped as why:
            assert why.code == SLOW_CLOSE_CODE and "too slow" in why.reason
        else:
            raise AssertionError("the stalled subscriber was not dropped")
        await hub.stop()

    asyncio.run(main())


def test_a_subscriber_ahead_of_the_hub_gets_nothing_it_already_has() -> None:
    async def main() -> None:
        events = FakeEvents()
        events.add(5)
        hub = _hub(events)
        behind = await hub.subscribe(5)
        events.add(5)  # ids 6..10; a socket that read its cursor after the hub's last poll
        ahead = await hub.subscribe(8)
        assert await asyncio.wait_for(_take(behind, 5), 5) == [6, 7, 8, 9, 10]
        assert await asyncio.wait_for(_take(ahead, 2), 5) == [9, 10]
        await hub.stop()

    asyncio.run(main())


def test_stopping_the_hub_closes_every_subscriber_as_going_away() -> None:
    async def main() -> None:
        events = FakeEvents()
        hub = _hub(events)
        subs = [await hub.subscribe(0) for _ in range(3)]
        await hub.stop()
        for sub in subs:
            try:
                await asyncio.wait_for(_take(sub, 1), 5)
            except Dropped as why:
                assert why.code == GOING_AWAY_CODE
            else:
                raise AssertionError("a subscriber outlived the hub")
        reads = events.reads
        await asyncio.sleep(0.05)
        assert events.reads == reads and hub.subscribers == 0

    asyncio.run(main())
