"""The question of a paused flow run as a form under its run widget, without a browser: fields
from the input's JSON schema (types, defaults, descriptions, choices); Submit resumes the run,
a refusal goes under the field the server names and the run stays paused; and in a real kernel
the Submit click is handled while the flow waits on the kernel's main thread."""

from __future__ import annotations

import queue
import threading
import time
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import ipywidgets as w
import pytest
from pydantic import Field
from test_widgets import wait_until

from orchestr_lab import flow
from orchestr_lab.flow_runs import pause_flow_run
from orchestr_lab.input import RunInput
from orchestr_lab.sdk.widgets.pause_form import PauseForm, field_of


class Colour(Enum):
    RED = "red"
    BLUE = "blue"


class Order(RunInput):
    copies: int = Field(2, le=10, description="How many copies")
    paper: Literal["A4", "A3"] = "A4"
    colour: Colour
    urgent: bool = True
    note: str = "none"
    weight: float | None = None


def _question() -> dict[str, Any]:
    model = Order.with_initial_data(description="Approve **this** order")
    return {"key": "1", "run_input_schema": model.model_json_schema(), "description": model._description}


def test_the_form_has_a_field_per_property_by_type_with_defaults_descriptions_and_choices() -> None:
    form = PauseForm(_question(), lambda values: None)
    fields = form.fields
    assert list(fields) == ["copies", "paper", "colour", "urgent", "note", "weight"]
    assert isinstance(fields["copies"].input, w.Text) and fields["copies"].input.value == "2"
    assert "How many copies" in fields["copies"].help.value
    assert isinstance(fields["paper"].input, w.Dropdown)
    assert [label for label, _ in fields["paper"].input.options] == ["A4", "A3"]
    assert [label for label, _ in fields["colour"].input.options] == ["red", "blue"]  # an Enum, by $ref
    assert isinstance(fields["urgent"].input, w.Checkbox) and fields["urgent"].input.value is True
    assert fields["note"].input.value == "none"
    assert fields["weight"].input.value == ""  # Optional: the null branch folded away, a number box
    assert "<strong>this</strong>" in form.children[1].value  # the description, as markdown
    assert form.values() == {"copies": 2, "paper": "A4", "colour": "red", "urgent": True, "note": "none"}
    fields["copies"].input.value = "ten"
    assert form.values()["copies"] == "ten"  # sent as typed: the server says what is wrong


def test_a_refusal_goes_under_the_field_it_names() -> None:
    assert field_of("Invalid request: run_input.copies: 12 is greater than the maximum of 10") == (
        "copies",
        "12 is greater than the maximum of 10",
    )
    refused: list[dict[str, Any]] = []

    def resume(values: dict[str, Any]) -> None:
        refused.append(values)
        raise RuntimeError("Invalid request: run_input.copies: 12 is greater than the maximum of 10")

    form = PauseForm(_question(), resume)
    form.fields["copies"].input.value = "12"
    assert form.submit() is False
    assert refused[0]["copies"] == 12
    assert "greater than the maximum of 10" in form.fields["copies"].error.value
    assert form.fields["paper"].error.value == "" and not form.answered.is_set()


def test_the_widget_asks_and_its_submit_resumes_the_run(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestr_lab.sdk import pauses
    from orchestr_lab.sdk.client import connect
    from orchestr_lab.sdk.widgets import _pauses
    from orchestr_lab.sdk.widgets._model import RunModel
    from orchestr_lab.sdk.widgets.flow_run import FlowRunWidget

    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", db_url)
    store = connect(engine=db_url)
    widgets: list[FlowRunWidget] = []
    out: dict[str, Any] = {}

    @flow
    def order() -> tuple[int, str]:
        from orchestr_lab.runtime import flow_run

        model = RunModel(run_id=flow_run.id, name="order", label="x")
        widgets.append(FlowRunWidget(model))
        _pauses.follow(widgets[0])  # what the notebook layer does for a displayed widget
        got = pause_flow_run(wait_for_input=Order, timeout=60, poll_interval=30)
        return got.copies, got.colour.value

    thread = threading.Thread(target=lambda: out.update(result=order()))
    thread.start()
    try:
        form = wait_until(lambda: widgets and widgets[0].pause_form, timeout=30)
        widget = widgets[0]
        run_id = widget.model.run_id
        assert widget.state == "PAUSED" and store.get_run(run_id)["state"]["type"] == "PAUSED"
        assert "orchestr-lab runs resume" in form.message.value  # no kernel here to answer clicks

        form.fields["copies"].input.value = "12"
        assert form.submit() is False
        assert "maximum of 10" in form.fields["copies"].error.value
        assert store.get_run(run_id)["state"]["type"] == "PAUSED"

        form.fields["copies"].input.value = "3"
        form.fields["colour"].input.value = 1
        started = time.monotonic()
        assert form.submit() is True
        thread.join(30)
        assert time.monotonic() - started < 10  # woken by the answer, not by its 30 s poll
        assert out["result"] == (3, "blue")
        assert store.get_run(run_id)["state"]["type"] == "COMPLETED"
        assert widget.pause_form is None and "Resumed with" in form.message.value
        assert form.button.disabled
    finally:
        if widgets:
            _pauses.forget(widgets[0])
        pauses.set_waiter(None)
        thread.join(30)


_KERNEL_CELL = """
from pydantic import Field
from orchestr_lab import flow
from orchestr_lab.flow_runs import pause_flow_run
from orchestr_lab.input import RunInput

class Ask(RunInput):
    copies: int = Field(2, le=10)

@flow
def ask():
    return pause_flow_run(wait_for_input=Ask, timeout=60, poll_interval=30).copies

print("answer", ask())
"""


def test_in_a_kernel_the_submit_click_is_handled_while_the_flow_waits(orchestr_home: Path) -> None:
    """What a browser does, as kernel messages: the flow waits on the kernel's main thread, and
    the form's typed value and click still reach it."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        msg_id = kc.execute(_KERNEL_CELL)
        states: dict[str, dict[str, Any]] = {}
        printed: list[str] = []

        def read(until: Any, timeout: float = 60) -> None:
            deadline = time.monotonic() + timeout
            while not until():
                assert time.monotonic() < deadline, f"timed out; printed: {printed}"
                try:
                    msg = kc.get_iopub_msg(timeout=0.5)
                except queue.Empty:
                    continue
                content = msg["content"]
                if msg["msg_type"] == "comm_open" or (
                    msg["msg_type"] == "comm_msg" and content["data"].get("method") == "update"
                ):
                    states.setdefault(content["comm_id"], {}).update(content["data"]["state"])
                elif msg["msg_type"] == "stream":
                    printed.append(content["text"])
                elif msg["msg_type"] == "error":
                    printed.append("\n".join(content["traceback"]))

        def comm(css: str) -> str | None:
            found = [cid for cid, st in states.items() if css in (st.get("_dom_classes") or [])]
            return found[0] if found else None

        def send(comm_id: str, data: dict[str, Any]) -> None:
            kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data}))

        # Shown (its run's badge says Paused) only once its messages can be answered.
        read(lambda: any('data-state="PAUSED"' in str(st.get("value")) for st in states.values()))
        copies, submit = comm("orchestr-lab-pause-field-copies"), comm("orchestr-lab-pause-submit")
        assert copies and submit
        send(copies, {"method": "update", "state": {"value": "12"}, "buffer_paths": []})
        send(submit, {"method": "custom", "content": {"event": "click"}})
        read(lambda: any("maximum of 10" in str(st.get("value")) for st in states.values()))
        send(copies, {"method": "update", "state": {"value": "7"}, "buffer_paths": []})
        send(submit, {"method": "custom", "content": {"event": "click"}})
        read(lambda: "answer 7" in "".join(printed), timeout=20)  # well before the flow's 30 s poll
        reply = kc.get_shell_msg(timeout=30)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = kc.get_shell_msg(timeout=30)
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
