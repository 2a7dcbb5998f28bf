"""Retention: deleting finished runs, old events and old log lines, a small batch at a time.

A store that runs a notebook every five minutes gains 100,000 runs a year; without pruning
every run keeps its rows, events, logs and executed notebook forever. :func:`prune` deletes
what a :class:`RetentionPolicy` no longer keeps:

- finished runs (COMPLETED, FAILED, CANCELLED, CRASHED) older than ``runs_max_age``, or than
  their deployment's own ``retention_days``; the newest ``keep_last`` finished runs of each
  deployment (or its own ``keep_last``) stay whatever their age. A run that is not finished
  is never deleted, even if it finished when it was picked and a retry moved it on since:
  the delete re-checks the state under the write lock.
- what a kept run still needs stays with it (:func:`still_needed`): a run whose files another
  run's ``resume_from`` points at, a run whose outputs fed an automation-triggered run that has
  not finished. A subflow run goes with its parent and a parent with its subflows: a run tree is
  deleted whole or not at all.
- a run's task runs, states, logs, recorded outputs, artifacts and automation firings go with it; so do
  its executed notebook and the kernel state saved when a cell failed, after the rows'
  transaction commits, and only when the file is inside orchestr-lab's own folders. A sweep
  whose every member run is gone goes too.
- events older than ``events_max_age``; log lines older than ``logs_max_age`` (those of runs
  that are not finished stay).

Every batch is its own short write transaction, so a claim or an API write gets in between
batches; on SQLite the pages freed are handed back to the file system as it goes (incremental
vacuum).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, and_, delete, func, or_, select
from sqlalchemy.engine import Connection, Engine

from ..core import settings
from ..core.states import FINAL_TYPES
from .database import read_connection, write_transaction
from .models import (
    artifacts,
    asset_dependencies,
    asset_materializations,
    automation_firings,
    deployments,
    events,
    flow_runs,
    logs,
    recorded,
    run_states,
    sweeps,
    task_runs,
)
from .sql_helpers import as_datetime

__all__ = [
    "FINISHED",
    "NEEDED_RULES",
    "NeedContext",
    "NeedRule",
    "PruneReport",
    "RetentionPolicy",
    "configured_policy",
    "enable_incremental_vacuum",
    "prune",
    "still_needed",
]

#: The states a run may be deleted in: it has finished.
FINISHED = tuple(sorted(t.value for t in FINAL_TYPES))

_DAY = _dt.timedelta(days=1)
_ALL = object()  # a keep-last boundary meaning "every finished run of this deployment is kept"
_RUN_COLUMNS = (
    flow_runs.c.id,
    flow_runs.c.deployment_id,
    flow_runs.c.created,
    flow_runs.c.end_time,
    flow_runs.c.state_timestamp,
    flow_runs.c.state_type,
    flow_runs.c.parent_task_run_id,
    flow_runs.c.sweep_id,
    flow_runs.c.output_notebook,
    flow_runs.c.resume_from,
)
# A run's rows in other tables, deleted with it (some by ON DELETE CASCADE too; explicitly here
# so a SQLite connection opened without foreign keys deletes them all the same).
# A run's artifacts, asset materializations and dependencies go with it; the assets themselves stay.
_CHILD_TABLES: tuple[Table, ...] = (
    task_runs,
    run_states,
    logs,
    recorded,
    artifacts,
    asset_materializations,
    asset_dependencies,
)


def _age(days: float) -> _dt.timedelta | None:
    """A setting in days as an age; 0 or less is "keep forever" (None)."""
    return _DAY * days if days > 0 else None


@dataclass(frozen=True)
class RetentionPolicy:
    """What the store keeps. ``None`` ages keep forever.

    ``runs_max_age``: finished runs older than this go (a deployment's ``retention_days``
    overrides it for its runs). ``keep_last``: the newest N finished runs of each deployment
    stay whatever their age (a deployment's ``keep_last`` overrides it). ``events_max_age``:
    events older than this go. ``logs_max_age``: log lines older than this go even while their
    run is kept (None: they go with their run). ``folders``: the only places files are deleted
    from (default: the orchestr-lab home and results folders). ``vacuum_pages``: SQLite pages
    handed back to the file system after each batch.
    """

    runs_max_age: _dt.timedelta | None = _DAY * settings.DEFAULT_KEEP_RUNS_DAYS
    keep_last: int = settings.DEFAULT_KEEP_LAST_RUNS
    events_max_age: _dt.timedelta | None = _DAY * settings.DEFAULT_KEEP_EVENTS_DAYS
    logs_max_age: _dt.timedelta | None = None  # settings.DEFAULT_KEEP_LOGS_DAYS: with their run
    folders: tuple[Path, ...] = ()
    vacuum_pages: int = 2000

    @classmethod
    def from_days(
        cls, *, runs_days: float, keep_last: int, events_days: float, logs_days: float, **more: Any
    ) -> RetentionPolicy:
        """The policy the server's settings describe (days; 0 keeps forever)."""
        return cls(
            runs_max_age=_age(runs_days),
            keep_last=max(0, keep_last),
            events_max_age=_age(events_days),
            logs_max_age=_age(logs_days),
            **more,
        )

    def file_folders(self) -> tuple[Path, ...]:
        return self.folders or (settings.home_dir(), settings.results_dir())


def configured_policy() -> RetentionPolicy:
    """The policy of the ``ORCHESTR_LAB_KEEP_*`` environment (defaults where unset or not a number)."""
    return RetentionPolicy.from_days(
        runs_days=settings.env_number(settings.ENV_KEEP_RUNS_DAYS, float(settings.DEFAULT_KEEP_RUNS_DAYS), float),
        keep_last=int(settings.env_number(settings.ENV_KEEP_LAST_RUNS, float(settings.DEFAULT_KEEP_LAST_RUNS), float)),
        events_days=settings.env_number(settings.ENV_KEEP_EVENTS_DAYS, float(settings.DEFAULT_KEEP_EVENTS_DAYS), float),
        logs_days=settings.env_number(settings.ENV_KEEP_LOGS_DAYS, float(settings.DEFAULT_KEEP_LOGS_DAYS), float),
    )


@dataclass
class PruneReport:
    """What a prune deleted (or, in a dry run, would delete)."""

    runs: int = 0
    task_runs: int = 0
    logs: int = 0
    events: int = 0
    files: int = 0
    sweeps: int = 0
    paths: list[str] = field(default_factory=list)
    batches: int = 0
    dry_run: bool = False
    vacuum: str | None = None  # "incremental" or "full" when SQLite gave space back

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- what a kept run still needs ---------------------------------------------------------------


@dataclass
class NeedContext:
    """What the rules know beyond the candidates: the runs already gone in this prune, and
    which runs' ``resume_from`` name which files (read once per prune)."""

    gone: set[str] = field(default_factory=set)
    resume_refs: dict[str, set[str]] = field(default_factory=dict)


#: A rule: the ids among ``rows`` (candidate runs, as mappings of ``_RUN_COLUMNS``) that
#: something kept still needs.
NeedRule = Callable[[Connection, Sequence[Mapping[str, Any]], NeedContext], set[str]]


def _files_resumed_by_others(conn: Connection, rows: Sequence[Mapping[str, Any]], ctx: NeedContext) -> set[str]:
    """A run whose notebook or saved kernel state another (kept) run's ``resume_from`` names."""
    needed = set()
    for row in rows:
        for path in _run_paths(row):
            if ctx.resume_refs.get(path, set()) - ctx.gone - {row["id"]}:
                needed.add(row["id"])
    return needed


def _fed_an_unfinished_automation_run(
    conn: Connection, rows: Sequence[Mapping[str, Any]], ctx: NeedContext
) -> set[str]:
    """A run whose recorded outputs became the parameters of a triggered run still to finish."""
    triggered = flow_runs.alias("triggered")
    stmt = (
        select(automation_firings.c.flow_run_id)
        .join(triggered, triggered.c.id == automation_firings.c.triggered_run_id)
        .where(automation_firings.c.flow_run_id.in_([r["id"] for r in rows]))
        .where(or_(triggered.c.state_type.is_(None), triggered.c.state_type.not_in(FINISHED)))
    )
    return set(conn.execute(stmt).scalars())


#: Every rule :func:`still_needed` applies; later features (sweeps) append theirs.
NEEDED_RULES: list[NeedRule] = [_files_resumed_by_others, _fed_an_unfinished_automation_run]


def still_needed(conn: Connection, rows: Sequence[Mapping[str, Any]], ctx: NeedContext | None = None) -> set[str]:
    """The ids among candidate ``rows`` that must be kept for a run that stays (any rule)."""
    if not rows:
        return set()
    context = ctx or NeedContext()
    needed: set[str] = set()
    for rule in NEEDED_RULES:
        needed |= rule(conn, rows, context)
    return needed


# -- prune -----------------------------------------------------------------------------------


def prune(
    engine: Engine,
    policy: RetentionPolicy,
    *,
    now: _dt.datetime | float | None = None,
    batch_size: int = 500,
    dry_run: bool = False,
) -> PruneReport:
    """Delete what ``policy`` does not keep, ``batch_size`` runs (or events, log lines) per
    short write transaction; a dry run deletes nothing and reports the same counts."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    pruner = _Pruner(engine, policy, as_datetime(now), batch_size, dry_run)
    pruner.runs()
    pruner.empty_sweeps()
    if policy.logs_max_age is not None:
        pruner.rows_by_age(logs, logs.c.timestamp, pruner.when - policy.logs_max_age)
    if policy.events_max_age is not None:
        pruner.rows_by_age(events, events.c.occurred, pruner.when - policy.events_max_age)
    pruner.finish()
    return pruner.report


class _Pruner:
    """One prune: its settings, what it has deleted so far, and the batches."""

    def __init__(self, engine: Engine, policy: RetentionPolicy, when: _dt.datetime, size: int, dry: bool) -> None:
        self.engine, self.policy, self.when, self.size, self.dry = engine, policy, when, size, dry
        self.report = PruneReport(dry_run=dry)
        self.ctx = NeedContext()
        self.overrides: dict[str, tuple[int | None, int | None]] = {}
        self.boundaries: dict[str, Any] = {}
        self.incremental = False
        self.folders = [_real(f) for f in policy.file_folders()]
        self.sweeps_touched: set[str] = set()  # sweeps some of whose members this prune deleted

    # -- runs ----------------------------------------------------------------------------------

    def runs(self) -> None:
        with read_connection(self.engine) as conn:
            self.overrides = {
                r.id: (r.retention_days, r.keep_last)
                for r in conn.execute(
                    select(deployments.c.id, deployments.c.retention_days, deployments.c.keep_last).where(
                        or_(deployments.c.retention_days.is_not(None), deployments.c.keep_last.is_not(None))
                    )
                )
            }
            self.ctx.resume_refs = _resume_refs(conn)
            self.incremental = _auto_vacuum(conn) == 2
        if self.policy.runs_max_age is not None:
            overridden = [d for d, (days, _) in self.overrides.items() if days is not None]
            scope = or_(flow_runs.c.deployment_id.is_(None), flow_runs.c.deployment_id.not_in(overridden))
            self._scan(scope if overridden else None, self.when - self.policy.runs_max_age)
        for dep_id, (days, _) in self.overrides.items():
            if days is not None:
                self._scan(flow_runs.c.deployment_id == dep_id, self.when - _DAY * days)

    def _scan(self, scope: Any, cutoff: _dt.datetime) -> None:
        """Page through finished runs created before ``cutoff`` (in ``scope``), oldest first."""
        after: tuple[_dt.datetime, str] | None = None
        while True:
            stmt = select(*_RUN_COLUMNS).where(flow_runs.c.created < cutoff, flow_runs.c.state_type.in_(FINISHED))
            if scope is not None:
                stmt = stmt.where(scope)
            if after is not None:
                created, last = after
                stmt = stmt.where(
                    or_(flow_runs.c.created > created, and_(flow_runs.c.created == created, flow_runs.c.id > last))
                )
            stmt = stmt.order_by(flow_runs.c.created, flow_runs.c.id).limit(self.size)
            with read_connection(self.engine) as conn:
                page = [dict(r) for r in conn.execute(stmt).mappings()]
                ids = [r["id"] for r in page if r["id"] not in self.ctx.gone and self._too_old(conn, r, cutoff)]
            if ids:
                self._delete_runs(ids)
            if len(page) < self.size:
                return
            after = (page[-1]["created"], page[-1]["id"])

    def _too_old(self, conn: Connection, row: Mapping[str, Any], cutoff: _dt.datetime) -> bool:
        """Finished before ``cutoff`` and not among its deployment's newest ``keep_last``."""
        ended = row["end_time"] or row["state_timestamp"] or row["created"]
        if ended >= cutoff:
            return False
        dep = row["deployment_id"]
        if dep is None:
            return True
        if dep not in self.boundaries:
            keep = self.overrides.get(dep, (None, None))[1]
            self.boundaries[dep] = _keep_last_boundary(conn, dep, self.policy.keep_last if keep is None else keep)
        boundary = self.boundaries[dep]
        return boundary is None or (boundary is not _ALL and (row["created"], row["id"]) < boundary)

    def _delete_runs(self, ids: list[str]) -> None:
        def work(conn: Connection) -> tuple[list[str], dict[str, int], list[str]]:
            doomed = _plan(conn, ids, self.ctx, lock=not self.dry)
            counts = _delete_run_rows(conn, [r["id"] for r in doomed], dry=self.dry)
            self.sweeps_touched.update(r["sweep_id"] for r in doomed if r["sweep_id"])
            return [r["id"] for r in doomed], counts, [p for r in doomed for p in _run_paths(r)]

        if self.dry:
            with read_connection(self.engine) as conn:
                gone, counts, paths = work(conn)
        else:
            gone, counts, paths = write_transaction(self.engine, work)
        self.ctx.gone.update(gone)
        self.report.runs += len(gone)
        self.report.task_runs += counts["task_runs"]
        self.report.logs += counts["logs"]
        self._batch_done()
        for path in paths:  # after the commit: a rolled-back batch keeps its files
            self._remove_file(path)

    def empty_sweeps(self) -> None:
        """Sweeps this prune left without a member run: a results table of no rows (checked again
        under the write lock: a member kept, or added by a retry since, keeps its sweep)."""
        touched = sorted(self.sweeps_touched)
        for start in range(0, len(touched), self.size):
            chunk = touched[start : start + self.size]
            with read_connection(self.engine) as conn:
                members = conn.execute(
                    select(flow_runs.c.sweep_id, flow_runs.c.id).where(flow_runs.c.sweep_id.in_(chunk))
                )
                kept = {sweep for sweep, run in members if run not in self.ctx.gone}
            empty = [s for s in chunk if s not in kept]
            if empty and not self.dry:
                self.report.sweeps += write_transaction(self.engine, _delete_memberless_sweeps(empty))
            else:
                self.report.sweeps += len(empty)

    # -- events and log lines --------------------------------------------------------------------

    def rows_by_age(self, table: Table, when: Any, cutoff: _dt.datetime) -> None:
        """Delete ``table``'s rows whose ``when`` is before ``cutoff``, in id order, a batch per
        transaction, until a batch finds none old enough (ids grow with time)."""
        is_logs = table is logs
        after = 0
        while True:
            columns = [table.c.id, when] + ([table.c.flow_run_id] if is_logs else [])
            stmt = select(*columns).where(table.c.id > after).order_by(table.c.id).limit(self.size)
            with read_connection(self.engine) as conn:
                page = list(conn.execute(stmt))
                old = [r for r in page if r[1] < cutoff]
                if is_logs:  # lines of runs already counted, or of runs not finished, are not ours
                    live = _unfinished(conn, {r[2] for r in old if r[2] is not None})
                    old = [r for r in old if r[2] not in self.ctx.gone and r[2] not in live]
            if old and not self.dry:
                _delete_ids(self.engine, table, [r[0] for r in old])
            if is_logs:
                self.report.logs += len(old)
            else:
                self.report.events += len(old)
            if old:
                self._batch_done()
            if len(page) < self.size or not any(r[1] < cutoff for r in page):
                return
            after = page[-1][0]

    # -- files and space ---------------------------------------------------------------------------

    def _remove_file(self, stored: str) -> None:
        """Delete a run's file, only inside our folders (a symlink is removed, never followed)."""
        path = Path(stored).expanduser()
        if not path.is_absolute():
            return
        try:
            parent = _real(path.parent)
        except OSError:
            return
        if not any(parent == f or f in parent.parents for f in self.folders):
            return
        target = parent / path.name
        if not (target.is_symlink() or target.is_file()):
            return
        if not self.dry:
            try:
                target.unlink()
            except OSError:
                return
        self.report.files += 1
        self.report.paths.append(str(target))

    def _batch_done(self) -> None:
        self.report.batches += 1
        if self.incremental and not self.dry:
            _incremental_vacuum(self.engine, self.policy.vacuum_pages)
            self.report.vacuum = "incremental"

    def finish(self) -> None:
        if self.report.vacuum and self.engine.dialect.name == "sqlite":
            raw = self.engine.raw_connection()  # a passive checkpoint lets the file itself shrink
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                raw.close()


def _plan(conn: Connection, ids: list[str], ctx: NeedContext, *, lock: bool) -> list[Mapping[str, Any]]:
    """The runs among ``ids`` to delete now, with their subflow runs: only finished ones (read
    again in the deleting transaction, ``lock``-ed on PostgreSQL), none a rule needs, and whole
    run trees."""
    stmt = select(*_RUN_COLUMNS).where(flow_runs.c.id.in_(ids), flow_runs.c.state_type.in_(FINISHED))
    if lock and conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # a run being moved right now is left alone
    rows: dict[str, Mapping[str, Any]] = {r["id"]: dict(r) for r in conn.execute(stmt).mappings()}
    # A subflow run waits for its parent (it goes with it), unless the parent is gone already.
    waiting = _parent_runs(conn, [r["parent_task_run_id"] for r in rows.values() if r["parent_task_run_id"]])
    for run_id, row in list(rows.items()):
        parent = waiting.get(row["parent_task_run_id"])
        if parent is not None and parent not in ctx.gone and parent not in rows:
            del rows[run_id]
    root: dict[str, str] = {i: i for i in rows}
    frontier = list(rows)
    while frontier:  # bring in every subflow run below the candidates, at any depth
        children = [c for c in _child_runs(conn, frontier) if c["id"] not in rows and c["id"] not in ctx.gone]
        for child in children:
            rows[child["id"]] = child
            root[child["id"]] = root[child["parent_run"]]
        frontier = [c["id"] for c in children]
    blocked = {i for i, r in rows.items() if r["state_type"] not in FINISHED}
    blocked |= still_needed(conn, list(rows.values()), ctx)
    blocked_trees = {root[i] for i in blocked}
    return [r for i, r in rows.items() if root[i] not in blocked_trees]


def _delete_ids(engine: Engine, table: Table, ids: list[int]) -> None:
    """Delete ``table``'s rows ``ids`` (events, log lines) in one short write transaction."""
    write_transaction(engine, lambda conn: conn.execute(delete(table).where(table.c.id.in_(ids))))


def _delete_run_rows(conn: Connection, ids: list[str], *, dry: bool) -> dict[str, int]:
    """Delete the runs ``ids`` and their rows (or, ``dry``, count them); task run and log counts."""
    counts = {"task_runs": 0, "logs": 0}
    if not ids:
        return counts
    for table in _CHILD_TABLES:
        where = table.c.flow_run_id.in_(ids)
        if dry:
            n = conn.execute(select(func.count()).select_from(table).where(where)).scalar_one()
        else:
            n = conn.execute(delete(table).where(where)).rowcount
        if table.name in counts:
            counts[table.name] = n
    if not dry:
        conn.execute(delete(automation_firings).where(automation_firings.c.flow_run_id.in_(ids)))
        conn.execute(delete(flow_runs).where(flow_runs.c.id.in_(ids), flow_runs.c.state_type.in_(FINISHED)))
    return counts


def _delete_memberless_sweeps(ids: list[str]) -> Callable[[Connection], int]:
    """The write transaction's work: delete those of sweeps ``ids`` that have no member run."""
    member = select(flow_runs.c.id).where(flow_runs.c.sweep_id == sweeps.c.id).exists()

    def work(conn: Connection) -> int:
        return int(conn.execute(delete(sweeps).where(sweeps.c.id.in_(ids), ~member)).rowcount)

    return work


def _parent_runs(conn: Connection, task_run_ids: list[str]) -> dict[str, str]:
    """``{task run id: its flow run id}`` for the task runs that called subflows."""
    if not task_run_ids:
        return {}
    stmt = select(task_runs.c.id, task_runs.c.flow_run_id).where(task_runs.c.id.in_(task_run_ids))
    return {r.id: r.flow_run_id for r in conn.execute(stmt)}


def _child_runs(conn: Connection, run_ids: list[str]) -> list[Mapping[str, Any]]:
    """The subflow runs that runs ``run_ids`` called, with ``parent_run``."""
    stmt = (
        select(*_RUN_COLUMNS, task_runs.c.flow_run_id.label("parent_run"))
        .join(task_runs, task_runs.c.id == flow_runs.c.parent_task_run_id)
        .where(task_runs.c.flow_run_id.in_(run_ids))
    )
    return [dict(r) for r in conn.execute(stmt).mappings()]


def _keep_last_boundary(conn: Connection, deployment_id: str, keep: int) -> Any:
    """The (created, id) of a deployment's ``keep``-th newest finished run: runs at or after it
    are kept. None when nothing is kept this way; ``_ALL`` when it has no more than ``keep``."""
    if keep <= 0:
        return None
    stmt = (
        select(flow_runs.c.created, flow_runs.c.id)
        .where(flow_runs.c.deployment_id == deployment_id, flow_runs.c.state_type.in_(FINISHED))
        .order_by(flow_runs.c.created.desc(), flow_runs.c.id.desc())
        .offset(keep - 1)
        .limit(1)
    )
    found = conn.execute(stmt).first()
    return _ALL if found is None else (found.created, found.id)


def _unfinished(conn: Connection, run_ids: set[str]) -> set[str]:
    if not run_ids:
        return set()
    stmt = select(flow_runs.c.id).where(
        flow_runs.c.id.in_(run_ids), or_(flow_runs.c.state_type.is_(None), flow_runs.c.state_type.not_in(FINISHED))
    )
    return set(conn.execute(stmt).scalars())


def _run_paths(row: Mapping[str, Any]) -> Iterator[str]:
    """The files a run owns: its executed notebook, and the kernel state saved beside it (or
    where its ``resume_from`` says) when a cell failed."""
    seen = set()
    notebook = row["output_notebook"]
    resume = row["resume_from"] if isinstance(row["resume_from"], dict) else {}
    candidates = [notebook, resume.get("snapshot"), resume.get("notebook")]
    if notebook:
        out = Path(notebook)
        candidates.append(str(out.with_name(out.stem + ".state.pkl")))
    for path in candidates:
        if isinstance(path, str) and path and path not in seen:
            seen.add(path)
            yield path


def _resume_refs(conn: Connection) -> dict[str, set[str]]:
    """``{file: ids of runs whose resume_from names it}``: what a retry may still resume from."""
    refs: dict[str, set[str]] = {}
    stmt = select(flow_runs.c.id, flow_runs.c.resume_from).where(flow_runs.c.resume_from.is_not(None))
    for run_id, resume in conn.execute(stmt):
        if isinstance(resume, dict):
            for key in ("snapshot", "notebook"):
                if isinstance(resume.get(key), str):
                    refs.setdefault(resume[key], set()).add(run_id)
    return refs


def _real(path: Path) -> Path:
    return Path(path).expanduser().resolve()


# -- SQLite space ------------------------------------------------------------------------------


def _auto_vacuum(conn: Connection) -> int | None:
    """SQLite's auto_vacuum mode (0 none, 1 full, 2 incremental); None on other databases."""
    if conn.dialect.name != "sqlite":
        return None
    return int(conn.exec_driver_sql("PRAGMA auto_vacuum").scalar() or 0)


def _incremental_vacuum(engine: Engine, pages: int) -> None:
    """Hand up to ``pages`` free pages back to the file system (a short write, like a batch)."""
    raw = engine.raw_connection()
    try:
        # executescript steps the pragma to its end; execute() would free a single page.
        raw.cursor().executescript(f"PRAGMA incremental_vacuum({int(pages)});")
    finally:
        raw.close()


def enable_incremental_vacuum(engine: Engine) -> bool:
    """Convert a SQLite store made before incremental vacuum (auto_vacuum NONE): one full VACUUM,
    which holds the write lock while it rewrites the file. True when it did; False when there
    was nothing to do (already incremental, or not SQLite)."""
    with read_connection(engine) as conn:
        mode = _auto_vacuum(conn)
    if mode is None or mode == 2:
        return False
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
        cursor.execute("VACUUM")
    finally:
        raw.close()
    return True
