"""Assets (lineage) and emitted events: the REST actions over ``store.assets`` and ``store.events``."""

from __future__ import annotations

import datetime as _dt
import time
import uuid
from typing import Any

from ..core.errors import found
from ..core.schemas_assets import AssetQuery, EventCreate, MaterializationReport
from . import Context

__all__ = ["emit_event", "get_asset", "list_assets", "record_materialization"]


def list_assets(ctx: Context, *, query: AssetQuery) -> dict[str, Any]:
    """Assets by key, one page (``prefix`` narrows them), and how many there are."""
    from ..store.assets import list_assets as read

    items, total = read(ctx.engine, prefix=query.prefix, limit=query.limit, offset=query.offset)
    return {"items": items, "total": total}


def get_asset(ctx: Context, *, asset_key: str) -> dict[str, Any]:
    """One asset: properties, latest metadata and materializations, upstream and downstream assets."""
    from ..store.assets import get_asset as read

    return found(read(ctx.engine, asset_key), f"No asset {asset_key!r}")


def record_materialization(ctx: Context, *, body: MaterializationReport) -> None:
    """A task run's materialization, sent by a worker that reaches the store over HTTP."""
    from ..store.assets import record_materialization as record

    record(ctx.engine, body.model_dump(mode="json"))


def emit_event(ctx: Context, *, body: EventCreate) -> dict[str, Any]:
    """Store an event (as ``emit_event`` sends it); answers with the event, its id and time set."""
    from ..store.events import emit_event as store_event

    event = body.model_dump(mode="json")
    event["id"] = event.get("id") or str(uuid.uuid4())
    event["occurred"] = event.get("occurred") or time.time()
    store_event(ctx.engine, event)
    return {**event, "occurred": _dt.datetime.fromtimestamp(event["occurred"], _dt.timezone.utc).isoformat()}
