"""Parity scenarios for variables: ``<lib>.variables.Variable``'s get/set/unset, their async
forms, overwrite, and the name and value rules."""

import asyncio
import importlib

from scenarios import jsonable, raises, scenario


def _variable(L):
    return importlib.import_module(f"{L.name}.variables").Variable


def _obs(v):
    return {"type": type(v).__name__, "name": v.name, "value": jsonable(v.value), "tags": v.tags}


@scenario
def variables_json_values_round_trip(L):
    Variable = _variable(L)
    values = {
        "v_str": "text",
        "v_int": 3,
        "v_float": 2.5,
        "v_bool": False,
        "v_list": [1, "a", None],
        "v_obj": {"k": {"n": [1]}},
    }
    made = {name: _obs(Variable.set(name, value)) for name, value in values.items()}
    read = {name: jsonable(Variable.get(name)) for name in values}
    return {"made": made, "read": read}


@scenario
def variables_set_twice_needs_overwrite(L):
    Variable = _variable(L)
    first = _obs(Variable.set("twice", 1, tags=["a", "b"]))
    second = raises(lambda: Variable.set("twice", 2))
    still = Variable.get("twice")
    replaced = _obs(Variable.set("twice", {"now": 2}, overwrite=True))
    return {"first": first, "second": second, "still": still, "replaced": replaced, "read": Variable.get("twice")}


@scenario
def variables_get_default_and_unset(L):
    Variable = _variable(L)
    Variable.set("present", "here")
    return {
        "missing": Variable.get("absent"),
        "missing_default": Variable.get("absent", default=[1, 2]),
        "present_default": Variable.get("present", default="unused"),
        "unset": Variable.unset("present"),
        "unset_again": Variable.unset("present"),
        "after": Variable.get("present", "gone"),
    }


@scenario
def variables_bad_names_and_values(L):
    Variable = _variable(L)
    return {
        "upper": raises(lambda: Variable.set("Upper", 1)),
        "space": raises(lambda: Variable.set("has space", 1)),
        "dash_underscore": raises(lambda: _obs(Variable.set("ok-name_1", 1))),
        "too_long_name": raises(lambda: Variable.set("n" * 256, 1)),
        "too_large_value": raises(lambda: Variable.set("large", "x" * 5000)),
        "large_stored": Variable.get("large"),
        "just_fits": raises(lambda: Variable.set("fits", "x" * 4990).value == "x" * 4990),
    }


@scenario
def variables_async_forms(L):
    Variable = _variable(L)

    async def main():
        made = await Variable.aset("async_var", [1], tags=["t"])
        dispatched = await Variable.set("async_var", [2], overwrite=True)
        return {
            "made": _obs(made),
            "dispatched": _obs(dispatched),
            "aget": await Variable.aget("async_var"),
            "get": await Variable.get("async_var"),
            "aget_default": await Variable.aget("nothing", default=0),
            "aunset": await Variable.aunset("async_var"),
            "aunset_again": await Variable.aunset("async_var"),
        }

    return asyncio.run(main())


@scenario
def variables_inside_flows_and_tasks(L):
    Variable = _variable(L)

    @L.task
    def read(name):
        return Variable.get(name)

    @L.flow
    def counter():
        Variable.set("counter", Variable.get("counter", 0) + 1, overwrite=True)
        return read("counter")

    return {"first": counter(), "second": counter(), "read": Variable.get("counter")}
