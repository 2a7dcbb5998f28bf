"""``send_input`` / ``receive_input`` and ``RunInput.send_to`` / ``receive`` / ``respond``, as
Prefect's: inputs sent to a running flow come out of its iterator in the order sent, each once,
with who sent them; an iterator that waits past its timeout stops (or raises, if asked); the
keyed values themselves can be created, read, filtered and deleted. In one process on SQLite and
PostgreSQL; over HTTP (a flow process that reaches the store only through the server) below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from orchestr_lab import flow
from orchestr_lab.core.errors import Conflict, NotFound
from orchestr_lab.input import (
    RunInput,
    create_flow_run_input,
    delete_flow_run_input,
    filter_flow_run_input,
    read_flow_run_input,
    receive_input,
    send_input,
)
from orchestr_lab.input.run_input import AutomaticRunInput


class Number(RunInput):
    n: int


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    from orchestr_lab.sdk.client import connect

    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", db_url)
    return connect(engine=db_url)


def _started(fn: Any, ids: list[str]) -> tuple[threading.Thread, dict[str, Any]]:
    """Run flow ``fn`` in a thread; wait until it has put its run id in ``ids``."""
    out: dict[str, Any] = {}

    def body() -> None:
        try:
            out["result"] = fn()
        except BaseException as exc:
            out["error"] = exc

    thread = threading.Thread(target=body)
    thread.start()
    deadline = time.monotonic() + 30
    while not ids and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ids, "the flow never started"
    while not _stored(ids[0]) and time.monotonic() < deadline:
        time.sleep(0.01)
    return thread, out


def _stored(run_id: str) -> bool:
    """Is the run in the store yet (its recorder writes it a moment after it starts)."""
    from orchestr_lab.core.errors import NotFound
    from orchestr_lab.sdk._dispatch import backend

    try:
        backend().get_run(run_id)
    except NotFound:
        return False
    return True


def _own_id(ids: list[str]) -> None:
    from orchestr_lab.runtime import flow_run

    ids.append(str(flow_run.id))


def test_values_sent_to_a_run_come_out_in_order_with_their_sender(store: Any) -> None:
    ids: list[str] = []

    @flow
    def receiver() -> list[Any]:
        _own_id(ids)
        got = receive_input(int, timeout=1.5, poll_interval=0.05, with_metadata=True)
        return [(item.value, item.metadata.sender, item.metadata.receiver == ids[0]) for item in got]

    thread, out = _started(receiver, ids)
    send_input(5, ids[0])
    send_input(7, ids[0], sender="the-notebook")
    send_input("not an int", ids[0])  # another type: another key prefix, not received as an int
    thread.join(30)
    assert out == {"result": [(5, None, True), (7, "the-notebook", True)]}
    keys = [i.key for i in filter_flow_run_input("intautomaticruninput-auto", limit=10, flow_run_id=ids[0])]
    assert len(keys) == 2 and all(k.startswith("intautomaticruninput-auto-") for k in keys)


def test_a_run_input_is_answered_with_respond(store: Any) -> None:
    sender_ids: list[str] = []
    receiver_ids: list[str] = []

    @flow
    def squarer() -> str | None:
        _own_id(receiver_ids)
        question = Number.receive(timeout=20, poll_interval=0.05).next()
        question.respond(Number(n=question.n**2))
        return question.metadata.sender

    @flow
    def asker() -> int:
        _own_id(sender_ids)
        Number(n=4).send_to(receiver_ids[0])
        return next(iter(Number.receive(timeout=20, poll_interval=0.05))).n

    squarer_thread, squarer_out = _started(squarer, receiver_ids)
    asker_thread, asker_out = _started(asker, sender_ids)
    squarer_thread.join(30)
    asker_thread.join(30)
    assert asker_out == {"result": 16}
    assert squarer_out == {"result": f"prefect.flow-run.{sender_ids[0]}"}


def test_waiting_past_the_timeout_stops_or_raises(store: Any) -> None:
    @flow
    def lonely() -> tuple[list[Any], str]:
        quiet = list(receive_input(Number, timeout=0.2, poll_interval=0.05))
        try:
            Number.receive(timeout=0.2, poll_interval=0.05, raise_timeout_error=True).next()
        except TimeoutError as exc:
            return quiet, str(exc)
        return quiet, "no timeout"

    assert lonely() == ([], "Timed out waiting for input")


def test_keyed_values_are_created_read_filtered_and_deleted(store: Any) -> None:
    @flow
    def keeper() -> list[Any]:
        create_flow_run_input("answer", {"yes": True})
        create_flow_run_input("answer-2", [1, 2])
        try:
            create_flow_run_input("answer", 1)
        except Conflict as exc:
            taken = str(exc)
        seen = [i.decoded_value for i in filter_flow_run_input("answer", limit=5, exclude_keys={"answer-2"})]
        delete_flow_run_input("answer-2")
        return [read_flow_run_input("answer"), read_flow_run_input("answer-2"), taken, seen]

    assert keeper() == [{"yes": True}, None, "A flow run input with this key already exists.", [{"yes": True}]]
    with pytest.raises(RuntimeError, match="Must either provide a flow run ID or be within a flow run"):
        read_flow_run_input("answer")


def test_plain_values_are_wrapped_as_automatic_inputs() -> None:
    wrapped = AutomaticRunInput.subclass_from_type(list[int])
    assert wrapped(value=[1, 2]).value == [1, 2] and wrapped.__name__ == "listAutomaticRunInput"
    with pytest.raises(ValueError, match="value"):
        wrapped(value=["x"])


FLOW = """
from orchestr_lab import flow
from orchestr_lab.input import receive_input
from orchestr_lab.runtime import flow_run

@flow
def listens() -> list:
    print("RUN", flow_run.id, flush=True)
    return list(receive_input(int, timeout=3, poll_interval=0.1))

print("RESULT", listens())
"""


def test_a_remote_flow_receives_values_sent_over_the_server(tmp_path: Path) -> None:
    from _helpers import api_server
    from orchestr_lab.sdk.client import connect

    home = tmp_path / "home"
    root = tmp_path / "root"
    root.mkdir()
    env = _cli_env(home)
    subprocess.run([sys.executable, "-m", "orchestr_lab", "db", "upgrade"], env=env, check=True, capture_output=True)
    with api_server(home, root, "inputs", env) as url:
        remote = {**_cli_env(tmp_path / "remote"), "ORCHESTR_LAB_DB_URL": url, "ORCHESTR_LAB_API_TOKEN": "inputs"}
        proc = subprocess.Popen([sys.executable, "-c", FLOW], env=remote, cwd=root, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        run_id = proc.stdout.readline().split()[-1]
        client = connect(api_url=url, token="inputs")
        try:
            client.create_run_input(run_id, "intautomaticruninput-auto-1", {"value": 11}, None)
            client.create_run_input(run_id, "intautomaticruninput-auto-2", {"value": 12}, None)
            out, _ = proc.communicate(timeout=60)
            assert client.read_run_input(run_id, "intautomaticruninput-auto-2")["value"] == {"value": 12}
            client.delete_run_input(run_id, "intautomaticruninput-auto-2")
            assert client.read_run_input(run_id, "intautomaticruninput-auto-2") is None
            with pytest.raises(NotFound):
                client.delete_run_input(run_id, "intautomaticruninput-auto-2")
        finally:
            client.close()
    assert out.strip().splitlines()[-1] == "RESULT [11, 12]"


def _cli_env(home: Path) -> dict[str, str]:
    """This environment without our settings, with its own home (so its own store)."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")},
        "ORCHESTR_LAB_HOME": str(home),
    }


def test_async_flows_send_and_receive_with_await(store: Any) -> None:
    import asyncio

    @flow
    async def talks_to_itself() -> list[Any]:
        from orchestr_lab.runtime import flow_run

        await send_input(3, flow_run.id)
        await Number(n=2).send_to(flow_run.id)
        values = [v async for v in receive_input(int, timeout=0.3, poll_interval=0.05)]
        number = await Number.receive(timeout=5, poll_interval=0.05).next()
        return [values, number.n]

    assert asyncio.run(talks_to_itself()) == [[3], 2]
