"""The server's answers, and its scheduler, with schedules that cannot work (the scheduler
alone, and how the bad ones get stored, is tests/services/test_scheduler_bounds.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from _helpers import UTC
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import list_flow_runs
from services.test_scheduler_bounds import BAD, WITHIN, store_deployment_columns, with_bad_schedules

from .conftest import Api


async def test_the_api_answers_with_bad_stored_schedules(api: Api, store: Engine) -> None:
    """GET deployments and GET deployments/{id} used to answer 500 to everyone (or hang)."""
    dep, _ = with_bad_schedules(store, "kept")
    listing = await api("GET", "deployments")
    assert listing.code == 200, listing
    [shown] = listing.json
    assert shown["name"] == "kept" and len(shown["schedules"]) == 1 + len(BAD)
    assert len(shown["next_runs"]) == 5  # from its good schedule
    one = await api("GET", "deployments", dep["id"])
    assert one.code == 200 and one.json["next_runs"] == shown["next_runs"]
    upcoming = await api("GET", "deployments", dep["id"], "next_runs")
    assert upcoming.code == 200 and upcoming.json["next_runs"][:5] == shown["next_runs"]
    assert (await api("DELETE", "deployments", dep["id"])).code == 204


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ({"interval": 1e-9}, "interval"),
        ({"interval": 1e300}, "interval"),
        ({"interval": 1e-300}, "interval"),
        ({"interval": 0.5}, "interval"),
        ({"interval": 60, "anchor": "9999-12-31T00:00:00"}, "anchor"),
        ({"interval": 60, "anchor": "1900-01-01T00:00:00"}, "anchor"),
        ({"cron": "0 0 30 2 *"}, "cron"),
    ],
)
async def test_a_schedule_that_cannot_work_is_a_422_naming_the_field(
    api: Api, notebook: str, schedule: dict[str, Any], field: str
) -> None:
    created = await api("POST", "deployments", json_body={"name": "h", "notebook": notebook, "schedules": [schedule]})
    assert created.code == 422, created
    assert field in created.json["error"], created.json
    preview = await api("POST", "schedules", "preview", json_body=schedule)
    assert preview.code == 422 and field in preview.json["error"], preview
    assert (await api("GET", "deployments")).json == []  # nothing stored


@pytest.fixture
def server_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {
        "scheduler": True,
        "local_worker": False,
        "scheduler_interval": 0.2,
        "scheduler_late_grace": 1.0,
        **getattr(request, "param", {}),
    }


@pytest.mark.parametrize(
    "server_options",
    [{"missed_runs": "all"}, {"missed_runs": "skip"}, {}],
    indirect=True,
    ids=["all", "skip", "default-once"],
)
async def test_the_missed_runs_setting_drives_the_servers_scheduler(
    api: Api, store: Engine, jp_serverapp: Any, server_options: dict[str, Any]
) -> None:
    """A minutely schedule that last ran 11 minutes ago (no server ran since): the server's
    scheduler makes the missed slots' runs per ``OrchestrLabApp.missed_runs``."""
    import asyncio

    from orchestr_lab.store.deployment_runs import create_deployment_run

    policy = server_options.get("missed_runs", "once")
    dep = create_deployment(
        store, {"name": "minutely", "notebook": "n.ipynb", "paused": True, "schedules": [{"cron": "* * * * *"}]}
    )
    now = dt.datetime.now(UTC)
    last = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=11)
    create_deployment_run(store, dep, scheduled_time=last, schedule_id=dep["schedules"][0]["id"])
    # Resumed, and last edited, an hour ago.
    store_deployment_columns(store, dep["id"], paused=False, updated=now - dt.timedelta(hours=1))

    def runs() -> list[dict[str, Any]]:
        return list_flow_runs(store, deployment_id=dep["id"], limit=1000)[0]

    await jp_serverapp.extension_manager.start_all_extensions()  # the server comes back
    try:
        deadline = asyncio.get_running_loop().time() + WITHIN
        while len(runs()) < 4:  # the last one and three ahead, at least
            assert asyncio.get_running_loop().time() < deadline, runs()
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # a few more passes: they add nothing missed
    finally:
        await jp_serverapp.extension_manager.stop_all_extensions()

    def ts(value: str) -> dt.datetime:
        return dt.datetime.fromisoformat(value)

    made = sorted((ts(r["scheduled_start_time"]), ts(r["created"])) for r in runs())[1:]
    missed = [slot for slot, created in made if slot < created - dt.timedelta(seconds=1)]  # later than the grace
    if policy == "all":
        assert len(missed) >= 10
        assert [b - a for a, b in zip([last] + [s for s, _ in made], [s for s, _ in made], strict=False)] == [
            dt.timedelta(minutes=1)
        ] * len(made)  # every minute since the last run, once
    else:
        assert len(missed) == {"skip": 0, "once": 1}[policy], made
