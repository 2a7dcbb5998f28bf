"""Parity scenarios for pausing a flow run for input: ``pause_flow_run(wait_for_input=...)`` in
the flow, ``resume_flow_run`` from another thread (bad input first, then good), and a pause
nobody answers."""

import importlib
import threading
import time
from typing import Literal

from scenarios import raises, scenario, state_obs


def _mods(L):
    return importlib.import_module(f"{L.name}.flow_runs"), importlib.import_module(f"{L.name}.input")


def _state_type(L, run_id):
    """The run's state type, None while it is not readable yet (its creation not written)."""
    try:
        with L.root.get_client(sync_client=True) as client:
            state = client.read_flow_run(run_id).state
    except Exception:  # noqa: BLE001 - not there yet
        return None
    return state.type.value if hasattr(state.type, "value") else str(state.type)


def _resumer(L, ids, answers, seen):
    """In another thread: wait for the run to pause, then try each answer in turn."""
    flow_runs, _ = _mods(L)

    def work():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (ids and _state_type(L, ids[0]) == "PAUSED"):
            time.sleep(0.1)
        for answer in answers:
            seen.append(raises(lambda a=answer: flow_runs.resume_flow_run(ids[0], run_input=a)))
            seen.append(_state_type(L, ids[0]))

    return threading.Thread(target=work)


@scenario
def pause_waits_for_a_run_input_and_returns_it(L):
    flow_runs, run_input = _mods(L)

    class Order(run_input.RunInput):
        count: int
        colour: Literal["red", "blue"] = "red"

    ids, seen = [], []

    @L.flow
    def approval():
        ids.append(L.runtime.flow_run.id)
        got = flow_runs.pause_flow_run(wait_for_input=Order, timeout=60, poll_interval=0.2)
        return {"type": type(got).__name__, "count": got.count, "colour": got.colour}

    resumer = _resumer(L, ids, [{"count": "many"}, {"count": 3, "colour": "blue"}], seen)
    resumer.start()
    result = approval()
    resumer.join(60)
    return {"result": result, "bad_resume": seen[0]["raised"]["exc_isa"], "after_bad": seen[1], "good": seen[2]}


@scenario
def pause_for_a_plain_type_returns_the_value(L):
    flow_runs, _ = _mods(L)
    ids, seen = [], []

    @L.flow
    def ask():
        ids.append(L.runtime.flow_run.id)
        return flow_runs.pause_flow_run(wait_for_input=int, timeout=60, poll_interval=0.2)

    resumer = _resumer(L, ids, [{"value": 42}], seen)
    resumer.start()
    result = ask()
    resumer.join(60)
    return {"result": result, "resumed": seen[0]}


@scenario
def pause_nobody_answers_fails_the_run(L):
    flow_runs, _ = _mods(L)
    ids = []

    @L.flow
    def waits():
        ids.append(L.runtime.flow_run.id)
        flow_runs.pause_flow_run(wait_for_input=int, timeout=1, poll_interval=0.2)

    state = waits(return_state=True)
    return {
        "state": state_obs(state),
        "result": raises(lambda: state.result())["raised"]["exc_isa"],
        "resume_after": raises(lambda: flow_runs.resume_flow_run(ids[0], run_input={"value": 1}))["raised"]["exc_isa"],
    }
