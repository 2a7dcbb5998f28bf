"""Parity scenarios for ``emit_event``: the Event it returns, what it refuses (None, as Prefect
logs and drops a bad event) and what it raises (an event over the size limit)."""

import datetime
import importlib
import uuid

from scenarios import raises, scenario


def _emit(L):
    return importlib.import_module(f"{L.name}.events").emit_event


def _event_obs(e):
    if e is None:
        return None
    return {
        "event": e.event,
        "resource": dict(e.resource),
        "resource_id": e.resource.id,
        "related": [dict(r) for r in e.related],
        "payload": e.payload,
        "id_type": type(e.id).__name__,
        "occurred_is_datetime": isinstance(e.occurred, datetime.datetime),
        "follows": e.follows,
    }


@scenario
def events_emit_returns_the_event(L):
    emit = _emit(L)

    @L.flow  # in a flow run: Prefect sends events only once its API is up
    def f():
        e = emit(
            "shop.order.placed",
            resource={"prefect.resource.id": "shop.order.7", "prefect.resource.name": "order 7"},
            payload={"total": 12.5, "items": [1, 2]},
            related=[{"prefect.resource.id": "shop.customer.1", "prefect.resource.role": "customer"}],
        )
        return {
            "event": _event_obs(e),
            "name": e.resource.name,
            "role": e.related[0].role,
            "minimal": _event_obs(emit("ping", resource={"prefect.resource.id": "x"})),
        }

    return f()


@scenario
def events_given_id_and_time(L):
    emit = _emit(L)
    given = uuid.UUID("12345678-1234-5678-1234-567812345678")
    when = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    e = emit("ping", resource={"prefect.resource.id": "x"}, id=given, occurred=when)
    return {"same_id": e.id == given, "same_time": e.occurred == when}


@scenario
def events_bad_events_are_dropped(L):
    emit = _emit(L)
    resources = {
        "empty": {},
        "empty_id": {"prefect.resource.id": ""},
        "not_text": {"prefect.resource.id": "x", "n": 1},
    }
    out = {name: raises(lambda r=r: _event_obs(emit("bad", resource=r))) for name, r in resources.items()}
    out["related_without_role"] = raises(
        lambda: _event_obs(emit("bad", resource={"prefect.resource.id": "x"}, related=[{"prefect.resource.id": "y"}]))
    )
    return out


@scenario
def events_too_large_raises(L):
    emit = _emit(L)
    return raises(lambda: emit("big", resource={"prefect.resource.id": "x"}, payload={"blob": "x" * 2_000_000}))


@scenario
def events_inside_a_flow_and_task(L):
    emit = _emit(L)

    @L.task
    def t():
        return _event_obs(emit("in.task", resource={"prefect.resource.id": "t"}))

    @L.flow
    def f():
        return _event_obs(emit("in.flow", resource={"prefect.resource.id": "f"})), t()

    in_flow, in_task = f()
    return {"flow": in_flow, "task": in_task}
