"""Many viewers on ``WS events/stream``: one poll of the store serves every socket, each gets
every event once and in order, a late socket catches up without gap or duplicate, and a
stalled one is closed alone (code 1013) instead of growing the server's memory."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import time
from typing import Any

from orchestr_lab.server_ext.event_hub import SLOW_CLOSE_CODE, EventHub
from orchestr_lab.server_ext.handlers.events import POLL_SECONDS
from orchestr_lab.store.events import event_row, insert_events

STREAM = ("orchestr-lab", "api", "events", "stream")


async def _until(predicate: Any, what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        await asyncio.sleep(0.02)


def _hub(jp_serverapp: Any) -> EventHub:
    app = next(iter(jp_serverapp.extension_manager.extension_apps["orchestr_lab"]))
    return app.event_hub


async def _read(ws: Any, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
    got: list[dict[str, Any]] = []
    while len(got) < count:
        message = await asyncio.wait_for(ws.read_message(), timeout)
        assert message is not None, "the stream closed"
        got.append(json.loads(message))
    return got


async def _nothing_more(ws: Any) -> bool:
    try:
        await asyncio.wait_for(ws.read_message(), 3 * POLL_SECONDS)
    except asyncio.TimeoutError:
        return True
    return False


async def test_every_socket_gets_each_event_once_in_order_from_one_poll(
    api: Any, jp_ws_fetch: Any, jp_serverapp: Any
) -> None:
    hub = _hub(jp_serverapp)
    sockets = await asyncio.gather(*(jp_ws_fetch(*STREAM) for _ in range(80)))
    try:
        await _until(lambda: hub.subscribers == 80, "every socket subscribed")
        polls, start = hub.polls, time.monotonic()
        await asyncio.sleep(1.0)
        # Polling per socket would be 80 reads per interval; the hub makes one.
        assert hub.polls - polls <= (time.monotonic() - start) / POLL_SECONDS + 2
        for name in ("a", "b", "c"):
            await api("POST", "work_queues", json_body={"name": name})
        received = await asyncio.gather(*(_read(ws, 3) for ws in sockets))
        for events in received:
            assert [(e["kind"], e["resource_id"]) for e in events] == [("work_queue.created", n) for n in "abc"]
        assert all(await asyncio.gather(*(_nothing_more(ws) for ws in sockets))), "an event arrived twice"
    finally:
        for ws in sockets:
            ws.close()
    await _until(lambda: hub.subscribers == 0, "every socket left the hub")
    polls = hub.polls
    await asyncio.sleep(3 * POLL_SECONDS)
    assert hub.polls == polls, "the hub kept polling with no one listening"


async def test_a_socket_from_a_cursor_gets_the_backlog_then_live_events(api: Any, jp_ws_fetch: Any) -> None:
    await api("POST", "work_queues", json_body={"name": "q0"})  # before the hub starts: read from the store
    live = await jp_ws_fetch(*STREAM)
    try:
        for name in ("q1", "q2", "q3"):
            await api("POST", "work_queues", json_body={"name": name})
        seen = await _read(live, 3)  # the hub has read them: a cursor among them is served from memory
        from_memory = await jp_ws_fetch(*STREAM, params={"after": str(seen[0]["id"])})
        from_store = await jp_ws_fetch(*STREAM, params={"after": "0"})
        await api("POST", "work_queues", json_body={"name": "q4"})
        memory_names = [e["resource_id"] for e in await _read(from_memory, 3)]
        store_names = [e["resource_id"] for e in await _read(from_store, 5) if e["kind"] == "work_queue.created"]
        assert memory_names == ["q2", "q3", "q4"]
        assert store_names[-5:] == ["q0", "q1", "q2", "q3", "q4"]
        assert await _nothing_more(from_memory) and await _nothing_more(from_store)
        from_memory.close()
        from_store.close()
    finally:
        live.close()


async def _stalled_socket(port: int, path: str, auth: dict[str, str]) -> tuple[asyncio.StreamReader, Any]:
    """A WebSocket client that completes the handshake and then reads nothing (a tiny receive window)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port))
    reader, writer = await asyncio.open_connection(sock=sock, limit=1024)
    key = base64.b64encode(os.urandom(16)).decode()
    headers = {
        "Host": f"localhost:{port}",
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
        **auth,
    }
    writer.write((f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode())
    status = await reader.readline()
    assert b" 101 " in status, status
    await reader.readuntil(b"\r\n\r\n")
    return reader, writer


async def _close_frame(reader: asyncio.StreamReader) -> tuple[int, str]:
    """Read (and discard) frames up to the server's close frame: its code and reason."""
    while True:
        head = await reader.readexactly(2)
        size = head[1] & 0x7F
        if size >= 126:
            size = int.from_bytes(await reader.readexactly(2 if size == 126 else 8), "big")
        data = await reader.readexactly(size)
        if head[0] & 0x0F == 8:
            return int.from_bytes(data[:2], "big"), data[2:].decode()


async def test_a_stalled_socket_is_closed_and_the_others_get_everything(
    jp_ws_fetch: Any, jp_serverapp: Any, jp_http_port: int, jp_base_url: str, jp_auth_header: dict[str, str], store: Any
) -> None:
    hub = _hub(jp_serverapp)
    hub.batch, hub.max_pending = 50, 500
    read = hub._read

    async def paced_read(after: int, limit: int) -> list[dict[str, Any]]:
        # The readers below share this process's loop with the server: pace the hub so they keep up.
        await asyncio.sleep(0.05)
        return await read(after, limit)

    hub._read = paced_read
    readers = [await jp_ws_fetch(*STREAM) for _ in range(3)]
    reader, writer = await _stalled_socket(jp_http_port, f"{jp_base_url}{'/'.join(STREAM)}", jp_auth_header)
    try:
        await _until(lambda: hub.subscribers == 4, "the stalled socket subscribed")
        # More than the kernel's socket buffers take (up to 4 MiB on Linux) and the hub's queue.
        count = 1500
        reading = [asyncio.ensure_future(_read(ws, count)) for ws in readers]
        with store.begin() as conn:
            insert_events(conn, [event_row("test.tick", str(i), {"pad": "x" * 4000}) for i in range(count)])
        await _until(lambda: hub.subscribers == 3, "the stalled socket was dropped", timeout=20)
        # What the server had sent, then its close frame (it waits 5 s for the client's answer).
        code, reason = await asyncio.wait_for(_close_frame(reader), 5)
        assert code == SLOW_CLOSE_CODE and "too slow" in reason
        for got in await asyncio.gather(*reading):
            assert [e["resource_id"] for e in got] == [str(i) for i in range(count)]
    finally:
        writer.close()
        for ws in readers:
            ws.close()
