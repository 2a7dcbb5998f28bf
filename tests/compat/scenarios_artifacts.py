"""Parity scenarios for artifacts (``<lib>.artifacts``): what each ``create_*_artifact`` stores
and returns, keys and their versions, progress updates, ``Artifact`` itself, and artifacts made
outside a run. Keys carry this process's nonce, so scenarios never read another run's artifacts."""

import importlib
import math
import uuid
import warnings

from scenarios import NONCE, raises, scenario


def _artifacts(L):
    return importlib.import_module(f"{L.name}.artifacts")


def _key(name):
    return f"{name}-{NONCE}"


def _obs(a):
    """A stored artifact without its ids and times: what a user reads back."""
    if a is None:
        return None
    return {
        "type": a.type,
        "data": a.data,
        "description": a.description,
        "metadata": a.metadata_,
        "in_flow_run": a.flow_run_id is not None,
        "in_task_run": a.task_run_id is not None,
        "id_is_uuid": isinstance(a.id, uuid.UUID),
    }


@scenario
def artifact_kinds_stored_and_returned(L):
    A = _artifacts(L)
    returned = {}

    @L.task
    def in_task():
        return A.create_markdown_artifact("## from a task", key=_key("md"), description="task note")

    @L.flow
    def kinds():
        returned["table"] = A.create_table_artifact([{"a": 1, "b": math.nan}, {"a": 2}], key=_key("rows"))
        returned["columns"] = A.create_table_artifact({"a": [1, 2], "b": ["x", "y"]}, key=_key("cols"))
        returned["lists"] = A.create_table_artifact([[1, 2], [3, 4]], key=_key("lists"))
        returned["link"] = A.create_link_artifact("https://example.org", link_text="Example", key=_key("link"))
        returned["bare_link"] = A.create_link_artifact("https://example.org/b", key=_key("bare"))
        returned["image"] = A.create_image_artifact("https://example.org/a.png", key=_key("img"))
        returned["markdown"] = in_task()

    kinds()
    names = {"table": "rows", "columns": "cols", "lists": "lists", "link": "link", "bare_link": "bare"}
    names.update(image="img", markdown="md")
    return {
        "returns_uuid": {k: isinstance(v, uuid.UUID) for k, v in returned.items()},
        "stored": {k: _obs(A.Artifact.get(_key(n))) for k, n in names.items()},
        "same_id": A.Artifact.get(_key("rows")).id == returned["table"],
    }


@scenario
def artifact_key_versions_and_missing(L):
    A = _artifacts(L)

    @L.flow
    def versions():
        A.create_markdown_artifact("first", key=_key("ver"))
        A.create_markdown_artifact("second", key=_key("ver"), description="newer")

    versions()
    return {
        "latest": _obs(A.Artifact.get(_key("ver"))),
        "missing": A.Artifact.get(_key("never-made")),
    }


@scenario
def artifact_bad_keys_refused(L):
    A = _artifacts(L)
    out = {}
    for key in ("Upper", "under_score", "sp ace", "dot.ted"):
        out[key] = raises(lambda key=key: A.create_markdown_artifact("x", key=key))
        r = out[key]["raised"]
        r["_info"] = {}  # the wording is in the message of a pydantic error: compared by class only
    out["ok"] = isinstance(A.create_markdown_artifact("x", key=_key("ok-9")), uuid.UUID)
    return out


@scenario
def artifact_progress_updates(L):
    A = _artifacts(L)
    seen = {}

    @L.flow
    def progress():
        bar = A.create_progress_artifact(0.0, key=_key("bar"), description="loading")
        seen["start"] = A.Artifact.get(_key("bar")).data
        returned = A.update_progress_artifact(bar, 42.5)
        seen["returns_same_id"] = returned == bar
        seen["mid"] = _obs(A.Artifact.get(_key("bar")))
        A.update_progress_artifact(bar, 250)
        seen["clamped_high"] = A.Artifact.get(_key("bar")).data
        A.update_progress_artifact(bar, -5, description="done")
        seen["clamped_low"] = _obs(A.Artifact.get(_key("bar")))

    progress()
    return seen


@scenario
def artifact_class_create_get_or_create(L):
    A = _artifacts(L)
    out = {}

    @L.flow
    def with_class():
        made = A.Artifact(type="markdown", key=_key("cls"), data="hello", description="d").create()
        out["created"] = _obs(made)
        out["dict_data"] = A.Artifact(key=_key("dict"), data={"x": [1, 2]}).format()
        got, created = A.Artifact.get_or_create(_key("cls"))
        out["get_existing"] = [got.id == made.id, created]
        fresh, created = A.Artifact.get_or_create(_key("fresh"), description="new", data=[1], type="table")
        out["get_fresh"] = [_obs(fresh), created]

    with_class()
    out["unknown_field"] = raises(lambda: A.Artifact(key=_key("x"), colour="red"))
    out["unknown_field"]["raised"]["_info"] = {}
    return out


@scenario
def artifact_outside_a_run(L):
    A = _artifacts(L)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        made = A.create_markdown_artifact("loose", key=_key("loose"))
    return {
        "returns_uuid": isinstance(made, uuid.UUID),
        "warned": sorted({w.category.__name__ for w in caught if not issubclass(w.category, ResourceWarning)}),
        "stored": _obs(A.Artifact.get(_key("loose"))),
    }


@scenario
def artifact_async_flow_awaits(L):
    import asyncio

    A = _artifacts(L)

    @L.flow
    async def async_report():
        made = await A.create_table_artifact([{"n": 1}], key=_key("async"))
        plain = await A.acreate_markdown_artifact("async md", key=_key("async-md"))
        return isinstance(made, uuid.UUID), isinstance(plain, uuid.UUID)

    kinds = asyncio.run(async_report())
    return {"uuids": list(kinds), "stored": _obs(A.Artifact.get(_key("async")))}
