"""The store's tables, as SQLAlchemy Core ``Table`` objects on one ``MetaData``.

Core tables rather than ORM classes because the hot path (:func:`store.runs.write_batch`)
inserts thousands of rows per call with ``executemany``; the ORM's unit of work would cost
more than the database does. Only portable types are used so the same schema runs on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
    func,
    text,
    true,
)
from sqlalchemy.engine import Dialect

__all__ = [
    "RUN_TIME",
    "UTCDateTime",
    "artifacts",
    "asset_dependencies",
    "asset_materializations",
    "assets",
    "automation_event_firings",
    "automation_firings",
    "automations",
    "background_task_runs",
    "block_documents",
    "block_schemas",
    "block_types",
    "concurrency_limits",
    "deployment_schedules",
    "deployments",
    "events",
    "flow_run_inputs",
    "flow_runs",
    "flows",
    "global_concurrency_leases",
    "global_concurrency_limits",
    "logs",
    "metadata",
    "recorded",
    "run_states",
    "scheduler_lock",
    "sla_breaches",
    "sweeps",
    "task_runs",
    "variables",
    "work_pools",
    "work_queues",
    "workers",
]

_UTC = _dt.timezone.utc

# Deterministic constraint names, so later migrations can drop/alter them on every dialect.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[_dt.datetime]):
    """A timezone-aware UTC datetime that also accepts epoch seconds on the way in.

    The engine speaks epoch floats; SQLite keeps no zone, PostgreSQL answers in the session's
    zone. Normalising both directions here means every reader gets aware UTC datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> _dt.datetime | None:
        if value is None:
            return None
        if isinstance(value, (int, float)):
            return _dt.datetime.fromtimestamp(value, _UTC)
        aware: _dt.datetime = value.replace(tzinfo=_UTC) if value.tzinfo is None else value.astimezone(_UTC)
        return aware

    def process_result_value(self, value: Any, dialect: Dialect) -> _dt.datetime | None:
        if value is None:
            return None
        aware: _dt.datetime = value.replace(tzinfo=_UTC) if value.tzinfo is None else value.astimezone(_UTC)
        return aware


# Append-only tables can outgrow 32-bit ids on PostgreSQL; SQLite needs plain INTEGER for rowid.
_BigId = BigInteger().with_variant(Integer(), "sqlite")


def _id(**kw: Any) -> Column[str]:
    return Column("id", String(36), primary_key=True, **kw)


def _created_updated() -> list[Column[_dt.datetime]]:
    """When a row was made and when it last changed."""
    return [Column("created", UTCDateTime, nullable=False), Column("updated", UTCDateTime, nullable=False)]


def _named(name: str, *columns: Any) -> Table:
    """A table of things a user names (deployments, automations): an id, a unique name, ``columns``."""
    return Table(name, metadata, _id(), Column("name", String(200), nullable=False, unique=True), *columns)


def _serial_id() -> Column[int]:
    """The id of an append-only table: it only grows, so it orders rows and serves as a cursor."""
    return Column("id", _BigId, primary_key=True, autoincrement=True)


def _flow_run_ref() -> Column[str]:
    """The flow run a row belongs to; the row goes when its flow run is deleted."""
    return Column("flow_run_id", String(36), ForeignKey("flow_runs.id", ondelete="CASCADE"), nullable=True)


def _flow_run_rows(name: str, *columns: Column[Any]) -> Table:
    """An append-only table of a flow run's rows: a growing id, the flow run (indexed, as rows are
    read by flow run), then ``columns``."""
    return Table(name, metadata, _serial_id(), _flow_run_ref(), *columns, Index(None, "flow_run_id"))


def _state_columns() -> list[Column[Any]]:
    """The current-state columns shared by flow runs and task runs (copied from the last state)."""
    return [
        Column("state_type", String(16), nullable=True),
        Column("state_name", String(64), nullable=True),
        Column("state_message", Text, nullable=True),
        Column("state_timestamp", UTCDateTime, nullable=True),
    ]


def _limit_and_pause() -> list[Column[Any]]:
    """How many runs of it may run at once (None: no limit), and whether it is paused."""
    return [
        Column("concurrency_limit", Integer, nullable=True),
        Column("paused", Boolean, nullable=False, server_default=false()),
    ]


flows = Table(
    "flows",
    metadata,
    _id(),
    Column("name", String(255), nullable=False, unique=True),
    Column("created", UTCDateTime, nullable=False),
)

flow_runs = Table(
    "flow_runs",
    metadata,
    _id(),
    Column("name", String(255), nullable=False),
    Column("flow_id", String(36), ForeignKey("flows.id"), nullable=False),
    Column("flow_name", String(255), nullable=False),
    Column("deployment_id", String(36), nullable=True),
    Column("parent_task_run_id", String(36), nullable=True),
    Column("parameters", JSON(none_as_null=True), nullable=True),
    Column("tags", JSON(none_as_null=True), nullable=True),
    *_state_columns(),
    Column("start_time", UTCDateTime, nullable=True),
    Column("end_time", UTCDateTime, nullable=True),
    Column("run_count", Integer, nullable=False, default=0, server_default=text("0")),
    Column("scheduled_start_time", UTCDateTime, nullable=True),
    *_created_updated(),
    Column("worker_name", String(255), nullable=True),
    Column("worker_type", String(64), nullable=True),
    Column("result_key", Text, nullable=True),
    # Deployment runs carry their execution settings, so a worker needs nothing else and a
    # later edit of the deployment does not change runs already made (migration 0003).
    Column("work_queue", String(100), nullable=True),
    Column("schedule_id", String(36), nullable=True),
    Column("heartbeat_at", UTCDateTime, nullable=True),
    Column("notebook", Text, nullable=True),
    Column("entrypoint", Text, nullable=True),
    Column("output_notebook", Text, nullable=True),
    Column("timeout_seconds", Float, nullable=True),
    Column("max_retries", Integer, nullable=True),
    Column("retry_delay_seconds", Float, nullable=True),
    # Where a retry may resume a failed notebook run: the failing cell and the kernel state
    # saved at the failure (``{"cell", "cell_index", "cell_id", "snapshot", "notebook"}``);
    # ``"requested": true`` once a retry asks for it (migration 0006).
    Column("resume_from", JSON(none_as_null=True), nullable=True),
    # The schedule slot a scheduled run was made for: written once, never moved by retries
    # (which move scheduled_start_time), so it is the scheduler's key and cursor (migration 0007).
    Column("slot_time", UTCDateTime, nullable=True),
    # Run lists, newest first, one index per filter so a page (and a cursor's next page) reads
    # its rows off the index instead of sorting every match (migration 0009). A ``flow_name``
    # filter reads the flow's id first; ``(deployment_id, start_time)`` finds a deployment's
    # latest started run.
    Index(None, "created", "id"),
    Index(None, "state_type", "created", "id"),
    Index(None, "deployment_id", "created", "id"),
    Index(None, "flow_id", "created", "id"),
    Index(None, "deployment_id", "start_time"),
    # (The time window's index, on an expression of these columns, follows the table.)
    # The scheduler's idempotency: one run per deployment, schedule and slot.
    # A unique index (not a table constraint) so SQLite can add it without rebuilding the table.
    Index("uq_flow_runs_schedule_slot", "deployment_id", "schedule_id", "slot_time", unique=True),
    # Claims: due SCHEDULED runs of some queues, oldest first.
    Index("ix_flow_runs_claim", "state_type", "work_queue", "scheduled_start_time", "created", "id"),
    # Retention finds a run's subflow runs (migration 0008).
    Index(None, "parent_task_run_id"),
)

#: When a run happened: its start, else its scheduled start, else its creation. The time window of
#: a run list (``start_after``/``start_before``) filters on it; the index below is on the same
#: expression (a database uses an expression index only for the expression it was built on), with
#: ``(created, id)`` after it so a window's keys are read off the index alone (migration 0009).
RUN_TIME = func.coalesce(flow_runs.c.start_time, flow_runs.c.scheduled_start_time, flow_runs.c.created)
Index("ix_flow_runs_run_time_created_id", RUN_TIME, flow_runs.c.created, flow_runs.c.id)

task_runs = Table(
    "task_runs",
    metadata,
    _id(),
    _flow_run_ref(),
    Column("name", String(255), nullable=False),
    Column("task_key", String(255), nullable=False),
    Column("dynamic_key", String(64), nullable=False),
    Column("cache_key", Text, nullable=True),
    Column("tags", JSON(none_as_null=True), nullable=True),
    *_state_columns(),
    Column("start_time", UTCDateTime, nullable=True),
    Column("end_time", UTCDateTime, nullable=True),
    Column("run_count", Integer, nullable=False, default=0, server_default=text("0")),
    Column("result_key", Text, nullable=True),
    *_created_updated(),
    # Every state the run has been in, oldest first: ``[type, name, epoch_seconds, message]``
    # entries, with a fifth element ``details`` only when the state has details. Kept on the
    # row (not in ``run_states``) so a batch of task runs is one INSERT, not one row per state.
    Column("history", JSON(none_as_null=True), nullable=True),
    Index(None, "flow_run_id"),
)

# Flow runs' state history, one row per state. Task runs keep theirs in ``task_runs.history``.
run_states = _flow_run_rows(
    "run_states",
    Column("type", String(16), nullable=False),
    Column("name", String(64), nullable=False),
    Column("message", Text, nullable=True),
    Column("timestamp", UTCDateTime, nullable=False),
    Column("details", JSON(none_as_null=True), nullable=True),
)

logs = _flow_run_rows(
    "logs",
    Column("task_run_id", String(36), nullable=True),
    Column("level", Integer, nullable=False),
    Column("logger_name", String(255), nullable=False),
    Column("message", Text, nullable=False),
    Column("timestamp", UTCDateTime, nullable=False),
)

recorded = _flow_run_rows(
    "recorded",
    Column("task_run_id", String(36), nullable=True),
    Column("name", String(255), nullable=False),
    Column("value", JSON(none_as_null=True), nullable=True),
    Column("repr", Text, nullable=False),
    Column("timestamp", UTCDateTime, nullable=False),
)


# -- deployments, queues, workers, events (migration 0003) ------------------------------------

deployments = _named(
    "deployments",
    Column("notebook", Text, nullable=True),
    Column("entrypoint", Text, nullable=True),
    Column("description", Text, nullable=True),
    Column("parameters", JSON(none_as_null=True), nullable=True),
    Column("work_queue", String(100), nullable=False, server_default=text("'default'")),
    Column("retries", Integer, nullable=False, server_default=text("0")),
    Column("retry_delay_seconds", Float, nullable=False, server_default=text("0")),
    Column("timeout_seconds", Float, nullable=True),
    Column("tags", JSON(none_as_null=True), nullable=True),
    *_limit_and_pause(),
    *_created_updated(),
    # Retention of this deployment's finished runs, over the server's settings (migration 0008).
    Column("retention_days", Integer, nullable=True),
    Column("keep_last", Integer, nullable=True),
)

deployment_schedules = Table(
    "deployment_schedules",
    metadata,
    _id(),
    Column(
        "deployment_id",
        String(36),
        ForeignKey("deployments.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("cron", String(255), nullable=True),
    Column("interval_seconds", Float, nullable=True),
    Column("anchor", UTCDateTime, nullable=True),
    Column("timezone", String(64), nullable=False, server_default=text("'UTC'")),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("parameters", JSON(none_as_null=True), nullable=True),
    Column("position", Integer, nullable=False, server_default=text("0")),
    Index(None, "deployment_id"),
)

work_queues = Table(
    "work_queues",
    metadata,
    Column("name", String(100), primary_key=True),
    *_limit_and_pause(),
    Column("description", Text, nullable=True),
    Column("created", UTCDateTime, nullable=False),
)

workers = Table(
    "workers",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("type", String(32), nullable=False),
    Column("queues", JSON(none_as_null=True), nullable=True),
    Column("last_seen", UTCDateTime, nullable=False),
)

# Append-only feed for the sidebar's live stream and REST cursor paging (``id`` is the cursor).
events = Table(
    "events",
    metadata,
    _serial_id(),
    Column("occurred", UTCDateTime, nullable=False),
    Column("kind", String(1024), nullable=False),  # widened for emitted events (migration 0013)
    Column("resource_id", String(1024), nullable=True),
    Column("payload", JSON(none_as_null=True), nullable=True),
)

# A lease: whoever holds the row until ``expires`` is the one scheduler acting on this database.
scheduler_lock = Table(
    "scheduler_lock",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(255), nullable=True),
    Column("expires", UTCDateTime, nullable=True),
)


# -- concurrency limits by tag, automations (migration 0004) -----------------------------------

# A run carrying ``tag`` holds a slot of that tag's limit while it is PENDING/RUNNING/CANCELLING.
concurrency_limits = Table(
    "concurrency_limits",
    metadata,
    Column("tag", String(255), primary_key=True),
    Column("concurrency_limit", Integer, nullable=False),
    *_created_updated(),
)

# When a run of ``deployment_id`` reaches one of ``states``: call ``webhook_url`` or run
# ``target_deployment_id`` with the upstream run's recorded outputs as parameters.
automations = _named(
    "automations",
    # optional since an automation may react to an event instead (migration 0013)
    Column("deployment_id", String(36), ForeignKey("deployments.id", ondelete="CASCADE"), nullable=True),
    Column("states", JSON(none_as_null=True), nullable=False),
    Column("action", String(32), nullable=False),
    Column("webhook_url", Text, nullable=True),
    Column("target_deployment_id", String(36), ForeignKey("deployments.id", ondelete="CASCADE"), nullable=True),
    Column("parameters", JSON(none_as_null=True), nullable=True),
    Column("enabled", Boolean, nullable=False, server_default=true()),
    *_created_updated(),
    Index(None, "deployment_id"),
    # An event trigger (migration 0013): event name and resource id patterns, the last event seen.
    Column("event", String(1024), nullable=True),
    Column("event_resource", String(1024), nullable=True),
    Column("event_cursor", _BigId, nullable=True),
)

# One row per (automation, run, attempt, state) fired: the primary key makes firing idempotent.
automation_firings = Table(
    "automation_firings",
    metadata,
    Column("automation_id", String(36), ForeignKey("automations.id", ondelete="CASCADE"), primary_key=True),
    Column("flow_run_id", String(36), primary_key=True),
    Column("run_count", Integer, primary_key=True),
    Column("state_type", String(16), primary_key=True),
    Column("fired", UTCDateTime, nullable=False),
    Column("outcome", Text, nullable=True),
    Column("triggered_run_id", String(36), nullable=True),
    # Retention finds and deletes a run's firings (migration 0008).
    Index(None, "flow_run_id"),
)


# -- artifacts (migration 0010) -----------------------------------------------------------------

# What a run showed its user: markdown, a table, a link, an image or a progress percentage.
# Rows with the same ``key`` are that key's versions, the newest the latest. No foreign keys:
# an artifact may belong to no run, and a run's row may still be in its recorder's queue when
# the artifact is written; retention deletes a run's artifacts with it.
artifacts = Table(
    "artifacts",
    metadata,
    _id(),
    Column("key", String(255), nullable=True),
    Column("type", String(64), nullable=True),
    Column("description", Text, nullable=True),
    Column("data", JSON(none_as_null=True), nullable=True),
    Column("meta", JSON(none_as_null=True), nullable=True),
    Column("flow_run_id", String(36), nullable=True),
    Column("task_run_id", String(36), nullable=True),
    *_created_updated(),
    Index(None, "created", "id"),
    Index(None, "flow_run_id", "created", "id"),
    Index(None, "key", "updated", "id"),
)


# -- variables and blocks (migration 0011) ------------------------------------------------------

# A named JSON value shared by flows (``Variable.get``); ``value`` is its JSON text.
variables = Table(
    "variables",
    metadata,
    _id(),
    Column("name", String(255), nullable=False, unique=True),
    Column("value", Text, nullable=False),
    Column("tags", JSON(none_as_null=True), nullable=True),
    *_created_updated(),
)

# A kind of block (a Block subclass), by slug.
block_types = Table(
    "block_types",
    metadata,
    _id(),
    Column("slug", String(255), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("description", Text, nullable=True),
    *_created_updated(),
)

# One per distinct shape of a block class: a changed class registers a new schema (a new checksum).
block_schemas = Table(
    "block_schemas",
    metadata,
    _id(),
    Column("block_type_id", String(36), ForeignKey("block_types.id", ondelete="CASCADE"), nullable=False),
    Column("checksum", String(80), nullable=False),
    Column("fields", JSON(none_as_null=True), nullable=False),
    Column("secret_fields", JSON(none_as_null=True), nullable=False),
    Column("capabilities", JSON(none_as_null=True), nullable=False),
    Column("version", String(64), nullable=False),
    Column("created", UTCDateTime, nullable=False),
    UniqueConstraint("block_type_id", "checksum"),
)

# A saved block: ``data`` is its field values as JSON, encrypted (Fernet) with the store's key.
block_documents = Table(
    "block_documents",
    metadata,
    _id(),
    Column("name", String(255), nullable=False),
    Column("block_type_id", String(36), ForeignKey("block_types.id", ondelete="CASCADE"), nullable=False),
    Column("block_schema_id", String(36), ForeignKey("block_schemas.id", ondelete="CASCADE"), nullable=False),
    Column("data", Text, nullable=False),
    *_created_updated(),
    UniqueConstraint("block_type_id", "name"),
    Index(None, "block_schema_id"),
)


# -- global concurrency and rate limits (migration 0012) ---------------------------------------

# A named limit of slots that code takes with concurrency()/rate_limit(). ``active_slots`` only
# changes by a compare-and-set on ``version`` (store/global_concurrency.py); with a
# ``slot_decay_per_second`` the slots also drain over time, counted from ``decay_anchor``.
global_concurrency_limits = _named(
    "global_concurrency_limits",
    Column("limit", Integer, nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("slot_decay_per_second", Float, nullable=False, server_default=text("0")),
    Column("active_slots", Integer, nullable=False, server_default=text("0")),
    Column("denied_slots", Integer, nullable=False, server_default=text("0")),
    Column("avg_slot_occupancy_seconds", Float, nullable=False, server_default=text("2")),
    Column("decay_anchor", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, server_default=text("0")),
    *_created_updated(),
)

# Slots held by one concurrency() block until ``expires``; the holder renews it while it holds,
# and an expired lease's slots go back to its limits (whoever acquires next, or the reaper).
global_concurrency_leases = Table(
    "global_concurrency_leases",
    metadata,
    _id(),
    Column("limit_ids", JSON(none_as_null=True), nullable=False),
    Column("slots", Integer, nullable=False),
    Column("holder", JSON(none_as_null=True), nullable=True),
    Column("created", UTCDateTime, nullable=False),
    Column("expires", UTCDateTime, nullable=False),
    Index(None, "expires"),
)


# -- background task runs (migration 0014) --------------------------------------------------

# ``Task.delay()``: a task run waiting for a task worker that serves ``task_key``. ``result``
# holds the return value once COMPLETED, ``{"json": value}`` or ``{"pickle": base64}``.
background_task_runs = Table(
    "background_task_runs",
    metadata,
    _id(),
    Column("task_key", String(255), nullable=False),
    Column("name", String(255), nullable=False),
    Column("parameters", JSON(none_as_null=True), nullable=True),
    Column("tags", JSON(none_as_null=True), nullable=True),
    *_state_columns(),
    Column("worker_name", String(255), nullable=True),
    Column("result", JSON(none_as_null=True), nullable=True),
    Column("start_time", UTCDateTime, nullable=True),
    Column("end_time", UTCDateTime, nullable=True),
    *_created_updated(),
    Index(None, "task_key", "state_type", "created"),
)


# -- assets and their lineage; automations fired by events (migration 0013) -------------------

_ASSET_KEY = String(512)

# One row per asset key, kept whatever happens to the runs that made it.
assets = Table(
    "assets",
    metadata,
    Column("key", _ASSET_KEY, primary_key=True),
    Column("properties", JSON(none_as_null=True), nullable=True),
    Column("last_metadata", JSON(none_as_null=True), nullable=True),
    Column("last_materialized", UTCDateTime, nullable=True),
    *_created_updated(),
)

# A task run materialized ``asset_key`` (status succeeded/failed); goes with its flow run.
asset_materializations = _flow_run_rows(
    "asset_materializations",
    Column("task_run_id", String(36), nullable=True),
    Column("asset_key", _ASSET_KEY, nullable=False),
    Column("status", String(16), nullable=False),
    Column("materialized_by", String(255), nullable=True),
    Column("metadata", JSON(none_as_null=True), nullable=True),
    Column("occurred", UTCDateTime, nullable=False),
)
Index(None, asset_materializations.c.asset_key, asset_materializations.c.id)

# A run read ``upstream_key`` to make ``downstream_key``; goes with its flow run.
asset_dependencies = _flow_run_rows(
    "asset_dependencies",
    Column("upstream_key", _ASSET_KEY, nullable=False),
    Column("downstream_key", _ASSET_KEY, nullable=False),
    Column("occurred", UTCDateTime, nullable=False),
)
Index(None, asset_dependencies.c.upstream_key)
Index(None, asset_dependencies.c.downstream_key)

# One row per (automation, event) fired: the primary key makes an event trigger fire once.
automation_event_firings = Table(
    "automation_event_firings",
    metadata,
    Column("automation_id", String(36), ForeignKey("automations.id", ondelete="CASCADE"), primary_key=True),
    Column("event_id", _BigId, primary_key=True, autoincrement=False),
    Column("fired", UTCDateTime, nullable=False),
    Column("outcome", Text, nullable=True),
    Column("triggered_run_id", String(36), nullable=True),
)

# -- work pools and job variables (migration 0016) ----------------------------------------------
# A pool groups queues under a type and base job variables; deployments and runs add their own
# job variables over the pool's (core/schemas_pools.py). Every queue is in a pool: 'default'
# unless put in another.

work_pools = Table(
    "work_pools",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("type", String(32), nullable=False),
    Column("base_job_variables", JSON(none_as_null=True), nullable=True),
    Column("paused", Boolean, nullable=False, server_default=false()),
    Column("description", Text, nullable=True),
    Column("created", UTCDateTime, nullable=False),
)
work_queues.append_column(Column("work_pool_name", String(255), nullable=False, server_default=text("'default'")))
Index(None, work_queues.c.work_pool_name)
deployments.append_column(Column("work_pool_name", String(255), nullable=True))
deployments.append_column(Column("job_variables", JSON(none_as_null=True), nullable=True))
flow_runs.append_column(Column("job_variables", JSON(none_as_null=True), nullable=True))

# -- work pool concurrency (0017): at most this many of a pool's runs active at once ----------
work_pools.append_column(Column("concurrency_limit", Integer, nullable=True))

# -- flow run inputs (migration 0018) -----------------------------------------------------------
# Keyed JSON values sent to a flow run (Prefect's send_input/receive_input, RunInput.send_to): one
# per (run, key); the growing id orders them for a receiver reading them in turn.

flow_run_inputs = Table(
    "flow_run_inputs",
    metadata,
    _serial_id(),
    Column("flow_run_id", String(36), ForeignKey("flow_runs.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(255), nullable=False),
    Column("value", JSON(none_as_null=True), nullable=True),
    Column("sender", String(255), nullable=True),
    Column("created", UTCDateTime, nullable=False),
    UniqueConstraint("flow_run_id", "key"),
)

# -- sweeps (migration 0019) ----------------------------------------------------------------------
# One deployment run over many parameter sets: each member is a normal deployment run carrying
# its sweep and place in it; claims keep at most ``max_parallel`` members active at once.

sweeps = Table(
    "sweeps",
    metadata,
    _id(),
    Column("deployment_id", String(36), nullable=False),
    Column("deployment_name", String(200), nullable=False),
    Column("max_parallel", Integer, nullable=False),
    Column("parameter_names", JSON(none_as_null=True), nullable=True),
    Column("created", UTCDateTime, nullable=False),
    Column("cancelled", UTCDateTime, nullable=True),
    Column("finished", UTCDateTime, nullable=True),
    Index(None, "deployment_id", "created"),
)
flow_runs.append_column(Column("sweep_id", String(36), nullable=True))
flow_runs.append_column(Column("sweep_index", Integer, nullable=True))
Index(None, flow_runs.c.sweep_id, flow_runs.c.sweep_index)

# -- deployment SLAs; automations that notify (migration 0020) ---------------------------------
# A deployment's SLAs: a run RUNNING past max_duration_seconds, no COMPLETED run for
# freshness_seconds. One sla_breaches row per breach noticed (kind "max_duration" keyed by the
# run; "freshness" keyed by the last COMPLETED run's end), so each breach's event is emitted once.

deployments.append_column(Column("max_duration_seconds", Integer, nullable=True))
deployments.append_column(Column("freshness_seconds", Integer, nullable=True))
automations.append_column(Column("email_to", JSON(none_as_null=True), nullable=True))

sla_breaches = Table(
    "sla_breaches",
    metadata,
    Column("deployment_id", String(36), ForeignKey("deployments.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(32), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("breached", UTCDateTime, nullable=False),
)
