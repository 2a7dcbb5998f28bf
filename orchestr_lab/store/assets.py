"""Assets and their lineage: what each run materialized, and from which upstream assets.

A materializing task run reports once, when it ends (:func:`record_materialization`): its
assets, the upstream assets it read (declared with ``asset_deps`` or inherited from the task
runs that fed it), its status and metadata. One transaction writes the asset rows (created when
new, properties replaced when given), a materialization row per asset, a dependency row per
(upstream, downstream) pair, and the events Prefect emits for the same run
(``prefect.asset.referenced``, ``prefect.asset.materialization.<status>``), so automations and
the event stream see materializations too. Materializations and dependencies belong to their
flow run and go with it (``store/retention.py``); the asset rows stay.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import NotFound
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import asset_dependencies, asset_materializations, assets, flow_runs
from .rows import iso
from .sql_helpers import as_datetime, insert_ignore, utc_now

__all__ = ["asset_resource", "get_asset", "list_assets", "record_materialization"]

#: How many of an asset's latest materializations, upstream and downstream assets one read shows.
SHOWN = 50
_MATERIALIZATION_FIELDS = ("flow_run_id", "flow_run_name", "task_run_id", "status", "materialized_by", "metadata")
_PROPERTY_LABELS = (
    ("name", "prefect.resource.name"),
    ("description", "prefect.asset.description"),
    ("url", "prefect.asset.url"),
)


def asset_resource(key: str, properties: Mapping[str, Any] | None) -> dict[str, str]:
    """An asset as an event's resource, with Prefect's labels for its properties."""
    resource = {"prefect.resource.id": key}
    for field, label in _PROPERTY_LABELS:
        if properties and properties.get(field) is not None:
            resource[label] = str(properties[field])
    if properties and properties.get("owners") is not None:
        resource["prefect.asset.owners"] = json.dumps(properties["owners"])
    return resource


def _emitted(name: str, resource: dict[str, str], related: list[dict[str, str]], payload: Any) -> dict[str, Any]:
    """An event row shaped as emitted events are (see ``sdk/events.py``)."""
    body = {"id": str(uuid.uuid4()), "resource": resource, "related": related, "payload": payload or {}}
    return event_row(name, resource["prefect.resource.id"], body)


def _known(conn: Connection, asset: Mapping[str, Any], now: Any) -> None:
    """The asset's row exists; its properties are replaced when the asset carries some."""
    properties = asset.get("properties") or None
    row = {"key": asset["key"], "properties": properties, "created": now, "updated": now}
    if not insert_ignore(conn, assets, row, ["key"]) and properties:
        conn.execute(update(assets).where(assets.c.key == asset["key"]).values(properties=properties, updated=now))


def record_materialization(engine: Engine, report: Mapping[str, Any]) -> None:
    """Store one task run's materialization (``core.schemas_assets.MaterializationReport``'s fields)."""
    status = report["status"]
    now = utc_now()
    occurred = as_datetime(report.get("occurred")) if report.get("occurred") is not None else now
    made, read = list(report.get("assets") or ()), list(report.get("upstream") or ())
    metadata = report.get("metadata") or {}
    by = report.get("materialized_by")
    run_id = report.get("flow_run_id")

    def work(conn: Connection) -> None:
        if run_id is not None and conn.execute(select(flow_runs.c.id).where(flow_runs.c.id == run_id)).first() is None:
            raise NotFound(f"No flow run {run_id!r}")
        for asset in (*made, *read):
            _known(conn, asset, now)
        base = {"flow_run_id": run_id, "occurred": occurred}
        conn.execute(
            asset_materializations.insert(),
            [
                {
                    **base,
                    "task_run_id": report.get("task_run_id"),
                    "asset_key": a["key"],
                    "status": status,
                    "materialized_by": by,
                    "metadata": metadata.get(a["key"]),
                }
                for a in made
            ],
        )
        pairs = [{**base, "upstream_key": u["key"], "downstream_key": d["key"]} for d in made for u in read]
        if pairs:
            conn.execute(asset_dependencies.insert(), pairs)
        if status == "succeeded":
            for a in made:
                conn.execute(
                    update(assets)
                    .where(assets.c.key == a["key"])
                    .values(last_metadata=metadata.get(a["key"]), last_materialized=occurred, updated=now)
                )
        related = [{"prefect.resource.id": u["key"], "prefect.resource.role": "asset"} for u in read]
        if by:
            related.append({"prefect.resource.id": by, "prefect.resource.role": "asset-materialized-by"})
        rows = [
            _emitted("prefect.asset.referenced", asset_resource(u["key"], u.get("properties")), [], None) for u in read
        ]
        rows += [
            _emitted(
                f"prefect.asset.materialization.{status}",
                asset_resource(a["key"], a.get("properties")),
                related,
                metadata.get(a["key"]),
            )
            for a in made
        ]
        insert_events(conn, rows)

    write_transaction(engine, work)


def _asset_dict(row: RowMapping | Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": row["key"],
        "properties": row["properties"] or {},
        "last_metadata": row["last_metadata"],
        "last_materialized": iso(row["last_materialized"]),
        "created": iso(row["created"]),
        "updated": iso(row["updated"]),
    }


def list_assets(
    engine: Engine, *, prefix: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Assets by key (those starting with ``prefix``), one page, and how many there are."""
    where = [assets.c.key.startswith(prefix, autoescape=True)] if prefix else []
    stmt = select(assets).where(*where).order_by(assets.c.key).limit(limit).offset(offset)
    with read_connection(engine) as conn:
        rows = conn.execute(stmt).mappings().all()
        total = conn.execute(select(func.count()).select_from(assets).where(*where)).scalar_one()
    return [_asset_dict(r) for r in rows], int(total)


def _neighbours(conn: Connection, key: str, *, near: str, far: str) -> list[str]:
    """Keys on the ``far`` side of the dependencies whose ``near`` side is ``key``."""
    table = asset_dependencies
    stmt = select(table.c[far]).distinct().where(table.c[near] == key).order_by(table.c[far]).limit(SHOWN)
    return [r[0] for r in conn.execute(stmt)]


def _materializations(conn: Connection, key: str) -> list[dict[str, Any]]:
    m = asset_materializations
    stmt = (
        select(m, flow_runs.c.name.label("flow_run_name"))
        .outerjoin(flow_runs, flow_runs.c.id == m.c.flow_run_id)
        .where(m.c.asset_key == key)
        .order_by(m.c.id.desc())
        .limit(SHOWN)
    )
    rows = conn.execute(stmt).mappings()
    return [{**{c: r[c] for c in _MATERIALIZATION_FIELDS}, "occurred": iso(r["occurred"])} for r in rows]


def get_asset(engine: Engine, key: str) -> dict[str, Any] | None:
    """One asset with its latest materializations and its upstream and downstream assets."""
    with read_connection(engine) as conn:
        row = conn.execute(select(assets).where(assets.c.key == key)).mappings().first()
        if row is None:
            return None
        out = _asset_dict(row)
        out["materializations"] = _materializations(conn, key)
        out["upstream"] = _neighbours(conn, key, near="downstream_key", far="upstream_key")
        out["downstream"] = _neighbours(conn, key, near="upstream_key", far="downstream_key")
    return out
