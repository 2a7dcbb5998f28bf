"""The server prunes in the background, with the retention its settings (and their twins) describe."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from _helpers import wait_for
from orchestr_lab.server_ext.app import OrchestrLabApp
from orchestr_lab.services.background import Background
from orchestr_lab.store.deployment_runs import cancel_run, create_deployment_run
from orchestr_lab.store.retention import RetentionPolicy, configured_policy
from orchestr_lab.store.run_reads import get_flow_run


def test_the_background_prunes_what_the_policy_no_longer_keeps(
    engine: Engine, db_url: str, make_deployment: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    dep = make_deployment()
    done = cancel_run(engine, create_deployment_run(engine, dep)["id"])
    waiting = create_deployment_run(engine, dep)
    background = Background(
        engine=engine,
        db_url=db_url,
        root_dir=tmp_path,
        results_dir=tmp_path,
        local_worker=False,
        scheduler_interval=60,
        retention=RetentionPolicy(runs_max_age=dt.timedelta(0), keep_last=0),
        prune_interval=0.2,
    )
    background.start()
    try:
        wait_for(lambda: get_flow_run(engine, done["id"]) is None, timeout=30)
    finally:
        background.stop()
    assert get_flow_run(engine, waiting["id"]) is not None  # not finished: never pruned


def test_retention_settings_fall_back_to_their_environment_twins(monkeypatch: pytest.MonkeyPatch) -> None:
    app = OrchestrLabApp()
    assert (app.keep_runs_days, app.keep_last_runs, app.keep_events_days, app.keep_logs_days) == (90, 100, 30, 0)
    assert app.prune_interval == 600
    default = configured_policy()
    assert (default.runs_max_age, default.keep_last, default.logs_max_age) == (dt.timedelta(days=90), 100, None)

    for name, value in {"RUNS_DAYS": "7", "LAST_RUNS": "5", "EVENTS_DAYS": "0", "LOGS_DAYS": "2"}.items():
        monkeypatch.setenv(f"ORCHESTR_LAB_KEEP_{name}", value)
    monkeypatch.setenv("ORCHESTR_LAB_PRUNE_INTERVAL", "60")
    app = OrchestrLabApp()
    assert (app.keep_runs_days, app.keep_last_runs, app.keep_events_days, app.keep_logs_days) == (7, 5, 0, 2)
    assert app.prune_interval == 60
    policy = configured_policy()
    assert policy.runs_max_age == dt.timedelta(days=7) and policy.keep_last == 5
    assert policy.events_max_age is None and policy.logs_max_age == dt.timedelta(days=2)  # 0: kept forever
