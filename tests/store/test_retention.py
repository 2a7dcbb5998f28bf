"""Retention (store/retention.py) on SQLite and PostgreSQL: what a policy deletes, what it keeps.

Runs are written straight into the store's tables with the times each test needs (a run
finished 100 days ago cannot be waited for); prune then runs as the server's reaper runs it.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine

from orchestr_lab.store.automations import create_automation
from orchestr_lab.store.database import get_engine, write_transaction
from orchestr_lab.store.deployment_runs import create_deployment_run, retry_run
from orchestr_lab.store.events import event_row, insert_events
from orchestr_lab.store.models import automation_firings, events, flow_runs, logs, run_states, sweeps, task_runs
from orchestr_lab.store.retention import PruneReport, RetentionPolicy, prune
from orchestr_lab.store.rows import ensure_flows

from ._claim_worker import claim_into

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DAY = dt.timedelta(days=1)
MakeDeployment = Callable[..., dict[str, Any]]
RACE_WRITER = Path(__file__).with_name("_race_worker.py")


def _policy(folders: tuple[Path, ...] = (), **kw: Any) -> RetentionPolicy:
    base: dict[str, Any] = {"runs_max_age": 30 * DAY, "keep_last": 0, "events_max_age": None, "logs_max_age": None}
    base.update(kw)
    return RetentionPolicy(folders=folders, **base)


def _run(
    engine: Engine,
    age_days: float,
    *,
    state: str = "COMPLETED",
    deployment: dict[str, Any] | None = None,
    parent_task: str | None = None,
    tasks: int = 1,
    **fields: Any,
) -> dict[str, str]:
    """A flow run created and ended ``age_days`` before NOW, with ``tasks`` task runs, a state and a
    log line each; returns ``{"id", "task"}`` (its first task run's id)."""
    when = NOW - DAY * age_days
    run_id, task_ids = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(tasks)]
    finished = state in ("COMPLETED", "FAILED", "CANCELLED", "CRASHED")

    def work(conn: Any) -> None:
        flow_id = ensure_flows(conn, {"f": when.timestamp()})["f"]
        conn.execute(
            insert(flow_runs).values(
                id=run_id,
                name=run_id[:8],
                flow_id=flow_id,
                flow_name="f",
                deployment_id=deployment["id"] if deployment else None,
                parent_task_run_id=parent_task,
                state_type=state,
                state_name=state.title(),
                state_timestamp=when,
                end_time=when if finished else None,
                created=when,
                updated=when,
                **fields,
            )
        )
        conn.execute(
            insert(task_runs),
            [
                {
                    "id": t,
                    "flow_run_id": run_id,
                    "name": "t",
                    "task_key": "t",
                    "dynamic_key": str(i),
                    "state_type": "COMPLETED",
                    "created": when,
                    "updated": when,
                }
                for i, t in enumerate(task_ids)
            ],
        )
        conn.execute(insert(run_states).values(flow_run_id=run_id, type=state, name=state.title(), timestamp=when))
        conn.execute(
            insert(logs).values(flow_run_id=run_id, level=20, logger_name="x", message="hello", timestamp=when)
        )

    write_transaction(engine, work)
    return {"id": run_id, "task": task_ids[0]}


def _ids(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(flow_runs.c.id)).scalars())


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# -- what goes, what stays -------------------------------------------------------------------


def test_finished_runs_older_than_the_setting_go_with_their_rows(engine: Engine) -> None:
    for state in ("COMPLETED", "FAILED", "CANCELLED", "CRASHED"):
        _run(engine, 40, state=state, tasks=2)
    young = _run(engine, 10)
    live = [_run(engine, 400, state=s) for s in ("SCHEDULED", "PENDING", "RUNNING", "CANCELLING", "PAUSED")]

    report = prune(engine, _policy(), now=NOW, batch_size=2)

    assert _ids(engine) == {young["id"], *(r["id"] for r in live)}
    assert (report.runs, report.task_runs, report.logs) == (4, 8, 4)
    assert report.batches >= 2  # two runs per transaction
    assert _count(engine, task_runs) == 6 and _count(engine, run_states) == 6 and _count(engine, logs) == 6


def test_a_deployments_own_days_and_keep_last_override_the_servers(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    plain = make_deployment()
    short = make_deployment(retention_days=5)
    long_kept = make_deployment(retention_days=365)
    floor = make_deployment(keep_last=3)
    assert short["retention_days"] == 5 and floor["keep_last"] == 3

    plain_runs = [_run(engine, d, deployment=plain) for d in (40, 50)]
    short_runs = [_run(engine, d, deployment=short) for d in (2, 10)]
    long_runs = [_run(engine, d, deployment=long_kept) for d in (40, 400)]
    floor_runs = [_run(engine, 40 + d, deployment=floor) for d in range(5)]  # newest first
    adhoc = _run(engine, 40)

    prune(engine, _policy(keep_last=1), now=NOW)

    assert (
        _ids(engine)
        == {
            plain_runs[0]["id"],  # the server's keep_last=1: its newest finished run stays
            short_runs[0]["id"],
            long_runs[0]["id"],
            *(r["id"] for r in floor_runs[:3]),
        }
    )
    assert adhoc["id"] not in _ids(engine)


def test_a_deployments_retention_is_bounded_and_can_be_cleared(engine: Engine, make_deployment: MakeDeployment) -> None:
    from pydantic import ValidationError

    from orchestr_lab.store.deployments import update_deployment

    for bad in ({"retention_days": 0}, {"retention_days": 40_000}, {"keep_last": -1}, {"keep_last": "5"}):
        with pytest.raises(ValidationError):
            make_deployment(**bad)
    dep = make_deployment(retention_days=7, keep_last=0)
    assert (dep["retention_days"], dep["keep_last"]) == (7, 0)
    cleared = update_deployment(engine, dep["id"], {"retention_days": None})
    assert (cleared["retention_days"], cleared["keep_last"]) == (None, 0)  # back to the server's days


def test_keep_last_counts_only_finished_runs(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()
    finished = [_run(engine, 40 + d, deployment=dep) for d in range(3)]
    for _ in range(3):
        _run(engine, 1, deployment=dep, state="SCHEDULED")  # the scheduler's next runs do not push them out

    prune(engine, _policy(keep_last=2), now=NOW)

    kept = _ids(engine)
    assert finished[0]["id"] in kept and finished[1]["id"] in kept and finished[2]["id"] not in kept


def test_events_and_log_lines_go_by_their_own_age(engine: Engine) -> None:
    kept_run = _run(engine, 1)
    live = _run(engine, 100, state="RUNNING")

    def old_rows(conn: Any) -> None:
        for days in (100, 50, 5):
            conn.execute(
                insert(logs).values(
                    flow_run_id=kept_run["id"], level=20, logger_name="x", message="m", timestamp=NOW - DAY * days
                )
            )
        ev = [event_row("flow_run.state", kept_run["id"], {}) for _ in range(5)]
        for e, days in zip(ev, (90, 60, 31, 29, 1), strict=True):
            e["occurred"] = NOW - DAY * days
        insert_events(conn, ev)

    write_transaction(engine, old_rows)
    before_events = _count(engine, events)

    report = prune(engine, _policy(events_max_age=30 * DAY, logs_max_age=20 * DAY), now=NOW, batch_size=2)

    assert report.runs == 0 and report.logs == 2 and report.events == 3
    assert _count(engine, events) == before_events - 3
    with engine.connect() as conn:
        left = conn.execute(select(logs.c.flow_run_id, logs.c.timestamp)).all()
    assert sorted(r[0] == live["id"] for r in left) == [False, False, True]  # a running run keeps its lines
    assert all(ts > NOW - 20 * DAY for run_id, ts in left if run_id == kept_run["id"])


def test_no_policy_keeps_everything(engine: Engine) -> None:
    run = _run(engine, 4000)
    report = prune(engine, _policy(runs_max_age=None), now=NOW)
    assert report == PruneReport() and run["id"] in _ids(engine)


# -- what a kept run still needs ---------------------------------------------------------------


def test_a_subflow_tree_goes_whole_or_not_at_all(engine: Engine) -> None:
    parent = _run(engine, 40)
    child = _run(engine, 40, parent_task=parent["task"])
    grandchild = _run(engine, 40, parent_task=child["task"])
    busy_parent = _run(engine, 40)
    busy_child = _run(engine, 40, parent_task=busy_parent["task"], state="RUNNING")
    young_parent = _run(engine, 1)
    old_child = _run(engine, 40, parent_task=young_parent["task"])

    report = prune(engine, _policy(), now=NOW, batch_size=1)

    kept = _ids(engine)
    assert not {parent["id"], child["id"], grandchild["id"]} & kept and report.runs == 3
    assert {busy_parent["id"], busy_child["id"], young_parent["id"], old_child["id"]} <= kept


def test_a_run_whose_outputs_feed_an_unfinished_triggered_run_stays(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    up, down = make_deployment(), make_deployment()
    auto = create_automation(
        engine,
        {
            "name": "a",
            "deployment_id": up["id"],
            "action": "run_deployment",
            "target_deployment_id": down["id"],
            "enabled": True,
        },
    )
    feeding, fed_done = _run(engine, 40, deployment=up), _run(engine, 40, deployment=up)
    waiting = _run(engine, 1, deployment=down, state="SCHEDULED")
    done = _run(engine, 35, deployment=down)

    def fire(conn: Any) -> None:
        for upstream, triggered in ((feeding, waiting), (fed_done, done)):
            conn.execute(
                insert(automation_firings).values(
                    automation_id=auto["id"],
                    flow_run_id=upstream["id"],
                    run_count=1,
                    state_type="COMPLETED",
                    fired=NOW - 40 * DAY,
                    triggered_run_id=triggered["id"],
                )
            )

    write_transaction(engine, fire)
    prune(engine, _policy(), now=NOW)

    kept = _ids(engine)
    assert feeding["id"] in kept and fed_done["id"] not in kept and done["id"] not in kept
    with engine.connect() as conn:
        firings = conn.execute(select(automation_firings.c.flow_run_id)).scalars().all()
    assert firings == [feeding["id"]]  # the deleted run's firing went with it


def test_files_go_with_their_run_only_inside_our_folders(engine: Engine, tmp_path: Path) -> None:
    ours, theirs = tmp_path / "results" / "notebooks", tmp_path / "user"
    ours.mkdir(parents=True)
    theirs.mkdir()
    gone, kept_run, outside = _run(engine, 40), _run(engine, 1), _run(engine, 40)
    nb = ours / f"{gone['id']}.ipynb"
    state = ours / f"{gone['id']}.state.pkl"
    kept_nb = ours / f"{kept_run['id']}.ipynb"
    user_file = theirs / "precious.ipynb"
    link = ours / "link.ipynb"  # a link of ours to a user's file: the link goes, never the file
    for f in (nb, state, kept_nb, user_file):
        f.write_text("{}")
    link.symlink_to(user_file)
    escape = ours / ".." / ".." / "user" / "precious.ipynb"

    def paths(conn: Any) -> None:
        conn.execute(
            flow_runs.update()
            .where(flow_runs.c.id == gone["id"])
            .values(output_notebook=str(nb), resume_from={"snapshot": str(state), "notebook": str(nb), "cell": 2})
        )
        conn.execute(flow_runs.update().where(flow_runs.c.id == kept_run["id"]).values(output_notebook=str(kept_nb)))
        conn.execute(
            flow_runs.update()
            .where(flow_runs.c.id == outside["id"])
            .values(output_notebook=str(escape), resume_from={"snapshot": str(link)})
        )

    write_transaction(engine, paths)
    dry = prune(engine, _policy(folders=(tmp_path / "results",)), now=NOW, dry_run=True)
    assert nb.exists() and state.exists() and link.is_symlink() and dry.files == 3

    report = prune(engine, _policy(folders=(tmp_path / "results",)), now=NOW)

    assert (report.runs, report.files) == (2, 3)
    assert sorted(report.paths) == sorted(str(p) for p in (nb, state, link))
    assert not nb.exists() and not state.exists() and not link.is_symlink()
    assert kept_nb.exists() and user_file.read_text() == "{}"


def test_a_run_another_run_resumes_from_stays(engine: Engine, tmp_path: Path) -> None:
    snapshot = tmp_path / "r" / "a.state.pkl"
    snapshot.parent.mkdir()
    snapshot.write_text("x")
    source = _run(engine, 40, state="FAILED", output_notebook=str(snapshot.with_name("a.ipynb")))
    _run(engine, 1, state="SCHEDULED", resume_from={"snapshot": str(snapshot), "requested": True})

    prune(engine, _policy(folders=(tmp_path,)), now=NOW)

    assert source["id"] in _ids(engine) and snapshot.exists()


def test_a_sweep_goes_with_its_last_member_run(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()

    def sweep(*ages: float) -> str:
        sweep_id = str(uuid.uuid4())
        row = {"id": sweep_id, "deployment_id": dep["id"], "deployment_name": dep["name"], "max_parallel": 1}
        write_transaction(
            engine, lambda c: c.execute(insert(sweeps).values(**row, created=NOW - 50 * DAY, finished=NOW))
        )
        for i, age in enumerate(ages):
            _run(engine, age, deployment=dep, sweep_id=sweep_id, sweep_index=i)
        return sweep_id

    sweep(40, 45)
    mixed = sweep(40, 10)

    dry = prune(engine, _policy(), now=NOW, dry_run=True)
    report = prune(engine, _policy(), now=NOW)

    assert (dry.sweeps, report.sweeps, report.runs) == (1, 1, 3)
    with engine.connect() as conn:
        assert list(conn.execute(select(sweeps.c.id)).scalars()) == [mixed]  # one member is kept


def test_a_dry_run_deletes_nothing_and_counts_the_same(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()
    parent = _run(engine, 40, tasks=3)
    _run(engine, 40, parent_task=parent["task"])
    for d in range(6):
        _run(engine, 35 + d, deployment=dep, tasks=2)
    write_transaction(engine, lambda c: insert_events(c, [{**event_row("x", None, {}), "occurred": NOW - 90 * DAY}]))
    policy = _policy(keep_last=2, events_max_age=30 * DAY, logs_max_age=60 * DAY)
    before = (_ids(engine), _count(engine, logs), _count(engine, events))

    dry = prune(engine, policy, now=NOW, batch_size=3, dry_run=True)

    assert (_ids(engine), _count(engine, logs), _count(engine, events)) == before
    real = prune(engine, policy, now=NOW, batch_size=3)
    assert dry.dry_run and not real.dry_run
    assert (dry.runs, dry.task_runs, dry.logs, dry.events) == (real.runs, real.task_runs, real.logs, real.events)
    assert (real.runs, real.task_runs, real.events) == (6, 12, 1)


def test_a_run_retried_after_it_was_picked_is_not_deleted(
    engine: Engine, make_deployment: MakeDeployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delete reads the state again in its own transaction: a retry that got in between the
    page read and the delete keeps the run."""
    from orchestr_lab.store import retention

    run = _run(engine, 40, state="FAILED", deployment=make_deployment())
    other = _run(engine, 40, state="FAILED")
    delete_runs = retention._Pruner._delete_runs

    def retried_meanwhile(self: Any, ids: list[str]) -> None:
        assert run["id"] in ids  # picked while FAILED
        retry_run(engine, run["id"])
        delete_runs(self, ids)

    monkeypatch.setattr(retention._Pruner, "_delete_runs", retried_meanwhile)
    report = prune(engine, _policy(), now=NOW)
    assert report.runs == 1 and _ids(engine) == {run["id"]}
    assert other["id"] not in _ids(engine)


# -- beside racing workers -----------------------------------------------------------------------


def test_prune_beside_racing_claimers_and_writers_loses_no_live_run(
    db_url: str, make_deployment: MakeDeployment, tmp_path: Path
) -> None:
    engine = get_engine(db_url)
    dep = make_deployment()
    old = {_run(engine, 40, deployment=dep)["id"] for _ in range(200)}
    due = {create_deployment_run(engine, dep, scheduled_time=NOW - DAY)["id"] for _ in range(80)}
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    claimers = [ctx.Process(target=claim_into, args=(results, db_url, f"w{i}", go, NOW.isoformat())) for i in range(3)]
    for p in claimers:
        p.start()
    go_file = tmp_path / "go"  # flows recording their task runs, as kernels do, at the same time
    writers = [
        subprocess.Popen(
            [sys.executable, str(RACE_WRITER), db_url, str(w), "10", "20", str(go_file)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(2)
    ]
    assert sorted(results.get(timeout=120) for _ in claimers) == [("ready", f"w{i}") for i in range(3)]
    go.set()
    go_file.touch()
    report = prune(engine, _policy(), now=NOW, batch_size=10)  # 20 short transactions among the others
    got = dict(results.get(timeout=120) for _ in claimers)
    for p in claimers:
        p.join(60)
        assert p.exitcode == 0
    for proc in writers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out == "", err

    claimed = [i for ids in got.values() for i in ids]
    assert sorted(claimed) == sorted(due)  # every claim completed, none twice
    assert report.runs == 200 and not old & _ids(engine)
    with engine.connect() as conn:
        written = conn.execute(select(flow_runs.c.id).where(flow_runs.c.flow_name == "race")).scalars().all()
        tasks = conn.execute(select(func.count()).select_from(task_runs).where(task_runs.c.flow_run_id.in_(written)))
        assert len(written) == 2 and tasks.scalar_one() == 2 * 10 * 20
    assert _ids(engine) == due | set(written)


# -- SQLite gives the space back -------------------------------------------------------------------


def _checkpoint(engine: Engine) -> None:
    """Copy the WAL into the database file, so its size is the database's (outside a transaction)."""
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        raw.close()


def test_sqlite_file_shrinks_after_a_prune(sqlite_url: str) -> None:
    engine = get_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA auto_vacuum").scalar() == 2  # incremental, set at creation
    big = "x" * 4000
    for _ in range(60):
        run = _run(engine, 40)
        write_transaction(
            engine,
            lambda c, r=run: c.execute(  # type: ignore[misc]
                insert(logs),
                [{"flow_run_id": r["id"], "level": 20, "logger_name": "x", "message": big, "timestamp": NOW}] * 20,
            ),
        )
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    _checkpoint(engine)
    before = path.stat().st_size

    report = prune(engine, _policy(), now=NOW, batch_size=10)

    _checkpoint(engine)
    assert report.vacuum == "incremental" and report.runs == 60
    assert before > 4_000_000 and path.stat().st_size < before / 4
