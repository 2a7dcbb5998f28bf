"""Asset lineage while a flow runs: which assets each task run read and made, with Prefect's rules.

A task run that materializes assets (``@materialize``) reads, as its upstream, the assets it
declares (``asset_deps``) and those its inputs carry: an input that came from another task run
(a future passed in, a value that task returned, a ``wait_for``) carries what that run passes
downstream. A materializing run passes on the assets it made; a plain run passes on what it read.
When a materializing run ends COMPLETED or FAILED (not from the cache) it reports its assets,
upstream assets, status and metadata to the store, and lineage is that report.

Nothing here runs for a task until the first task of the flow run that touches assets: the
engine only checks ``task.tracks_assets`` and ``FlowRunContext.assets``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from ..core.states import State, StateType
from .futures import TaskRunFuture

__all__ = ["AssetRun", "AssetTracker", "begin_assets", "finish_assets"]

_log = logging.getLogger("orchestr_lab.assets")
# Objects Python shares between unrelated uses (small ints, interned strings, None...): their
# identity says nothing about where they came from, so they never carry assets.
_SHARED = (type(None), bool, int, float, str, bytes)


class AssetTracker:
    """One flow run's assets in flight: by task run id, and by the identity of returned values."""

    __slots__ = ("by_run", "by_value")

    def __init__(self) -> None:
        self.by_run: dict[str, dict[str, Any]] = {}
        # id -> (the object, kept alive so its id is not reused; its assets)
        self.by_value: dict[int, tuple[Any, dict[str, Any]]] = {}

    def carried_by(self, value: Any, found: dict[str, Any]) -> None:
        """Add to ``found`` the assets ``value`` (or, one level down, its items) carries."""
        for item in _one_level(value):
            if isinstance(item, TaskRunFuture):
                found.update(self.by_run.get(item.task_run_id, ()))
                continue
            hit = self.by_value.get(id(item))
            if hit is not None and hit[0] is item:
                found.update(hit[1])

    def returned(self, value: Any, assets: dict[str, Any]) -> None:
        """``value`` came from a task run that passes ``assets`` downstream."""
        for item in _one_level(value):
            if not isinstance(item, _SHARED):
                self.by_value[id(item)] = (item, assets)


def _one_level(value: Any) -> Iterable[Any]:
    yield value
    if isinstance(value, (list, tuple, set, frozenset)):
        yield from value
    elif isinstance(value, dict):
        yield from value.values()


class AssetRun:
    """A task run's assets: those it makes, those it read, and the metadata added for them."""

    __slots__ = ("made", "read", "metadata", "passes")

    def __init__(self, made: dict[str, Any], read: dict[str, Any]) -> None:
        self.made = made
        self.read = read
        self.metadata: dict[str, dict[str, Any]] = {}
        self.passes = made or read

    def add_metadata(self, key: str, metadata: dict[str, Any]) -> None:
        if key not in self.made:
            raise ValueError("Can only add metadata to assets that are arguments to @materialize")
        self.metadata[key] = {**self.metadata.get(key, {}), **metadata}


def _by_key(assets: Iterable[Any]) -> dict[str, Any]:
    return {a.key: a for a in assets}


def begin_assets(engine: Any) -> AssetRun | None:
    """The :class:`AssetRun` of ``engine`` (a ``TaskRunEngine``; None when the run neither makes
    nor reads any asset); call it
    before the inputs are resolved, so futures still name their task runs."""
    task, fctx = engine.task, engine.flow_ctx
    read = _by_key(getattr(task, "asset_deps", None) or ())
    tracker = None
    if fctx is not None:
        tracker = fctx.assets
        if tracker is None:
            tracker = fctx.assets = AssetTracker()
        inherited: dict[str, Any] = {}
        for value in engine.parameters.values():
            tracker.carried_by(value, inherited)
        if engine.wait_for is not None:
            tracker.carried_by(engine.wait_for, inherited)
        read = {**inherited, **read}
    run = AssetRun(_by_key(getattr(task, "assets", None) or ()), read)
    if not run.passes:
        return None
    if tracker is not None:
        tracker.by_run[engine.id] = run.passes
    return run


def finish_assets(engine: Any, run: AssetRun, state: State) -> None:
    """Pass the run's assets on with its result; report a materialization that ended."""
    fctx = engine.flow_ctx
    if state.type is StateType.COMPLETED and fctx is not None and fctx.assets is not None:
        fctx.assets.returned(state.data, run.passes)
    if not run.made or state.name == "Cached" or state.type not in (StateType.COMPLETED, StateType.FAILED):
        return
    report = {
        "flow_run_id": fctx.id if fctx is not None else None,
        "task_run_id": engine.id,
        "status": "succeeded" if state.type is StateType.COMPLETED else "failed",
        "materialized_by": getattr(engine.task, "materialized_by", None),
        "assets": [_ref(a) for a in run.made.values()],
        "upstream": [_ref(a) for a in run.read.values()],
        "metadata": run.metadata,
        "occurred": time.time(),
    }
    try:
        deliver(engine.recorder, report)
    except Exception as exc:  # lineage is a record of the run, never a reason for it to fail
        _log.warning("could not record the materialization of %s: %s", ", ".join(run.made), exc)


def _ref(asset: Any) -> dict[str, Any]:
    properties = asset.properties
    if properties is not None and hasattr(properties, "model_dump"):
        properties = properties.model_dump(exclude_none=True) or None
    return {"key": asset.key, "properties": properties}


def deliver(recorder: Any, report: dict[str, Any]) -> None:
    """Write ``report`` where ``recorder`` writes: the store, or the server over HTTP. The
    recorder is flushed first, so the flow run the report names is stored already."""
    recorder.flush()
    api = recorder.api
    if api is not None:
        api.request("POST", "asset_materializations", json=report)
        return
    from ..store.assets import record_materialization

    record_materialization(recorder.engine, report)
