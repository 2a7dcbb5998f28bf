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


def _wait_for(L, ids, wanted, seconds=60):
    """Until the run (its id the first in ``ids``, once the flow put it there) is in state type
    ``wanted`` (True), or ``seconds`` pass (False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ids and _state_type(L, ids[0]) == wanted:
            return True
        time.sleep(0.1)
    return False


@scenario
def retried_paused_run_asks_again(L):
    """Prefect issue #12279: each attempt's pause waits for its own answer."""
    flow_runs, _ = _mods(L)
    ids, answers = [], []

    def resumer():
        for value in (1, 2):
            if not _wait_for(L, ids, "PAUSED"):
                return
            flow_runs.resume_flow_run(ids[0], run_input={"value": value})
            _wait_for(L, ids, "RUNNING", 10)

    @L.flow(retries=3)
    def asks():
        if not ids:
            ids.append(L.runtime.flow_run.id)
        answers.append(flow_runs.pause_flow_run(wait_for_input=int, timeout=60, poll_interval=0.2))
        if len(answers) == 1:
            raise ValueError("not this time")
        return answers

    thread = threading.Thread(target=resumer)
    thread.start()
    state = asks(return_state=True)
    thread.join(60)
    return {"state": state_obs(state), "answers": answers}


@scenario
def send_input_and_receive_input_between_runs(L):
    """A value sent from outside a run, and a RunInput sent by one flow and answered by another."""
    _, run_input = _mods(L)

    class Number(run_input.RunInput):
        n: int

    receiver_ids, seen = [], {}

    @L.flow
    def squarer():
        receiver_ids.append(L.runtime.flow_run.id)
        plain = run_input.receive_input(int, timeout=30, poll_interval=0.2, with_metadata=True)
        first = next(iter(plain))
        seen["plain"] = [first.value, first.metadata.sender]
        question = Number.receive(timeout=30, poll_interval=0.2).next()
        seen["question_from_a_run"] = (question.metadata.sender or "").startswith("prefect.flow-run.")
        question.respond(Number(n=question.n**2))
        return question.n

    @L.flow
    def asker():
        Number(n=4).send_to(receiver_ids[0])
        answer = Number.receive(timeout=30, poll_interval=0.2).next()
        return [type(answer).__name__, answer.n]

    thread = threading.Thread(target=lambda: seen.setdefault("squarer", squarer()))
    thread.start()
    deadline = time.monotonic() + 60
    while not (receiver_ids and _state_type(L, receiver_ids[0]) == "RUNNING") and time.monotonic() < deadline:
        time.sleep(0.1)
    run_input.send_input(5, receiver_ids[0], sender="a-notebook")
    asked = asker()
    thread.join(60)
    return {**seen, "asker": asked}


@scenario
def pause_timeout_says_why(L):
    """The message and error of a pause nobody answers."""
    flow_runs, _ = _mods(L)

    @L.flow
    def waits():
        flow_runs.pause_flow_run(timeout=1, poll_interval=0.2)

    state = waits(return_state=True)
    error = raises(lambda: state.result())["raised"]
    return {"message": state.message, "error": error["_info"]["type"]}


@scenario
def cancelling_a_paused_run(L):
    """Cancelling a run while it waits in pause_flow_run."""
    flow_runs, _ = _mods(L)
    states = importlib.import_module(f"{L.name}.states")
    ids = []

    def canceller():
        if _wait_for(L, ids, "PAUSED"):
            with L.root.get_client(sync_client=True) as client:
                client.set_flow_run_state(ids[0], states.Cancelling())

    @L.flow
    def waits():
        ids.append(L.runtime.flow_run.id)
        flow_runs.pause_flow_run(timeout=5, poll_interval=0.2)

    thread = threading.Thread(target=canceller)
    thread.start()
    state = waits(return_state=True)
    thread.join(60)
    return {"state": state_obs(state), "stored": _state_type(L, ids[0])}


@scenario
def flow_run_input_actions(L):
    """Keyed inputs of a run: create, read, filter by prefix, delete; a RunInput saved and loaded by keyset."""
    _, run_input = _mods(L)
    actions = importlib.import_module(f"{L.name}.input.actions")

    class Number(run_input.RunInput):
        n: int = 0

    @L.flow
    def keeps():
        actions.create_flow_run_input("answer", {"yes": True})
        actions.create_flow_run_input("answer-2", [1, 2], sender="someone")
        taken = raises(lambda: actions.create_flow_run_input("answer", 1))
        found = actions.filter_flow_run_input("answer", limit=5, exclude_keys={"answer"})
        actions.delete_flow_run_input("answer-2")
        keyset = run_input.keyset_from_base_key("question")
        Number.save(keyset)
        actions.create_flow_run_input(keyset["response"], {"n": 5})
        return {
            "read": actions.read_flow_run_input("answer"),
            "deleted": actions.read_flow_run_input("answer-2"),
            "taken_isa": taken["raised"]["exc_isa"],
            "found": [(i.key, i.decoded_value, i.sender) for i in found],
            "delete_missing_isa": raises(lambda: actions.delete_flow_run_input("answer-2"))["raised"]["exc_isa"],
            "schema_title": actions.read_flow_run_input(keyset["schema"])["title"],
            "loaded": Number.load(keyset).n,
            "keyset": keyset,
        }

    return keeps()
