"""Deployment routes: create/read/update/delete, pause/resume, run now, next runs, and bad input."""

from __future__ import annotations

import datetime as _dt
import itertools
import json
from typing import Any

import pytest

from orchestr_lab.store.run_reads import list_flow_runs

CRON = {"cron": "0 9 * * 1-5", "timezone": "Europe/Paris"}


def _spec(notebook: str, **extra: Any) -> dict[str, Any]:
    return {"name": "daily", "notebook": notebook, "schedules": [CRON], "parameters": {"n": 4}, **extra}


async def _create(api: Any, notebook: str, **extra: Any) -> dict[str, Any]:
    reply = await api("POST", "deployments", json_body=_spec(notebook, **extra))
    assert reply.code == 201, reply
    return reply.json


async def test_create_read_list(api: Any, notebook: str) -> None:
    dep = await _create(api, notebook, tags=["team-a"], retries=2)
    assert dep["id"] and dep["name"] == "daily"
    assert dep["notebook"] == "reports/daily.ipynb"
    assert dep["parameters"] == {"n": 4}
    assert dep["retries"] == 2 and dep["tags"] == ["team-a"] and dep["paused"] is False
    assert dep["schedules"][0]["cron"] == CRON["cron"]
    assert len(dep["next_runs"]) == 5
    first = _dt.datetime.fromisoformat(dep["next_runs"][0])
    assert first.astimezone(_dt.timezone.utc) > _dt.datetime.now(_dt.timezone.utc)
    assert first.hour == 9 and first.weekday() < 5  # 09:00 Paris time, a weekday

    one = await api("GET", "deployments", dep["id"])
    assert one.code == 200 and one.json["id"] == dep["id"]
    by_name = await api("GET", "deployments", "daily")
    assert by_name.json["id"] == dep["id"]
    listing = await api("GET", "deployments")
    assert [d["id"] for d in listing.json] == [dep["id"]]


async def test_create_with_an_absolute_path_inside_the_root_stores_it_relative(
    api: Any, notebook: str, jp_root_dir: Any
) -> None:
    dep = await _create(api, str(jp_root_dir / notebook))
    assert dep["notebook"] == "reports/daily.ipynb"


async def test_same_name_twice_is_409(api: Any, notebook: str) -> None:
    await _create(api, notebook)
    again = await api("POST", "deployments", json_body=_spec(notebook))
    assert again.code == 409
    assert "daily" in again.json["error"]


@pytest.mark.parametrize(
    ("body", "code", "named"),
    [
        (b"{not json", 400, "Malformed JSON"),
        (b"[1, 2]", 400, "JSON object"),
        ({"name": "x", "notebook": "reports/daily.ipynb", "colour": "red"}, 422, "colour"),
        (
            {"name": "x", "notebook": "reports/daily.ipynb", "schedules": [{"cron": "every day"}]},
            422,
            "schedules.0.cron",
        ),
        (
            {
                "name": "x",
                "notebook": "reports/daily.ipynb",
                "schedules": [{"cron": "* * * * *", "timezone": "Mars/Base"}],
            },
            422,
            "schedules.0.timezone",
        ),
        (
            {"name": "x", "notebook": "reports/daily.ipynb", "schedules": [{"interval": -5}]},
            422,
            "schedules.0.interval",
        ),
        ({"name": "x"}, 422, "exactly one of 'notebook' or 'entrypoint'"),
        ({"name": "x", "notebook": "reports/daily.ipynb", "parameters": {"n": "many"}}, 422, "n"),
        ({"name": "x", "notebook": "reports/daily.ipynb", "parameters": {"size": 1}}, 422, "size"),
        ({"name": "x", "notebook": "reports/missing.ipynb"}, 422, "notebook"),
        ({"name": "x", "notebook": "../outside.ipynb"}, 403, "outside the server root"),
        ({"name": "x", "entrypoint": "/etc/passwd:flow"}, 403, "outside the server root"),
    ],
)
async def test_bad_input_is_4xx_naming_what_is_wrong(
    api: Any, notebook: str, store: Any, body: Any, code: int, named: str
) -> None:
    if isinstance(body, bytes):
        reply = await api("POST", "deployments", body=body)
    else:
        reply = await api("POST", "deployments", json_body=body)
    assert reply.code == code, reply
    assert set(reply.json) == {"error", "detail"}
    assert named in reply.json["error"], reply.json
    listing = await api("GET", "deployments")
    assert listing.json == []  # nothing was created


async def test_wrong_parameter_type_names_the_parameter_in_detail(api: Any, notebook: str) -> None:
    reply = await api("POST", "deployments", json_body=_spec(notebook, parameters={"n": "lots", "rate": "fast"}))
    assert reply.code == 422
    assert set(reply.json["detail"]) == {"n", "rate"}
    assert "int" in reply.json["detail"]["n"]


async def test_patch_pause_resume_and_next_runs(api: Any, notebook: str) -> None:
    dep = await _create(api, notebook)
    patched = await api(
        "PATCH", "deployments", dep["id"], json_body={"schedules": [{"interval": 3600}], "parameters": {"n": "5"}}
    )
    assert patched.code == 200, patched
    assert patched.json["schedules"][0]["interval"] == 3600
    assert patched.json["parameters"] == {"n": 5}  # coerced to the parameters cell's type

    three = await api("GET", "deployments", dep["id"], "next_runs", params={"n": "3"})
    times = [_dt.datetime.fromisoformat(t) for t in three.json["next_runs"]]
    assert len(times) == 3
    assert [(b - a).total_seconds() for a, b in itertools.pairwise(times)] == [3600, 3600]

    paused = await api("POST", "deployments", dep["id"], "pause")
    assert paused.json["paused"] is True and paused.json["next_runs"] == []
    resumed = await api("POST", "deployments", dep["id"], "resume")
    assert resumed.json["paused"] is False and len(resumed.json["next_runs"]) == 5

    for body, named in [
        ({"name": "renamed"}, "name"),
        ({"retries": -1}, "retries"),
        ({"schedules": [{"cron": "61 * * * *"}]}, "schedules.0.cron"),
    ]:
        bad = await api("PATCH", "deployments", dep["id"], json_body=body)
        assert bad.code == 422 and named in bad.json["error"], bad
    bad_n = await api("GET", "deployments", dep["id"], "next_runs", params={"n": "soon"})
    assert bad_n.code == 400 and "n" in bad_n.json["error"]


async def test_run_now_with_overrides(api: Any, notebook: str, store: Any) -> None:
    dep = await _create(api, notebook)
    run = await api("POST", "deployments", dep["id"], "runs", json_body={"parameters": {"rate": "2.5"}})
    assert run.code == 201, run
    assert run.json["state"]["type"] == "SCHEDULED"
    assert run.json["deployment_id"] == dep["id"]
    assert run.json["parameters"] == {"n": 4, "rate": 2.5}  # the deployment's defaults, then the overrides
    assert run.json["notebook"] == "reports/daily.ipynb"
    # No body at all: the defaults.
    plain = await api("POST", "deployments", dep["id"], "runs")
    assert plain.code == 201 and plain.json["parameters"]["n"] == 4
    _items, total = list_flow_runs(store, deployment_id=dep["id"])
    assert total == 2

    filtered = await api("GET", "flow_runs", params={"deployment_id": dep["id"]})
    assert filtered.json["total"] == 2


@pytest.mark.parametrize(
    ("overrides", "named"),
    [({"n": "three"}, "n"), ({"nope": 1}, "nope"), ({"rate": [1, 2]}, "rate")],
)
async def test_run_now_with_bad_parameters_is_422_naming_it(
    api: Any, notebook: str, store: Any, overrides: dict[str, Any], named: str
) -> None:
    dep = await _create(api, notebook)
    reply = await api("POST", "deployments", dep["id"], "runs", json_body={"parameters": overrides})
    assert reply.code == 422, reply
    assert named in reply.json["detail"]
    assert named in reply.json["error"]
    assert list_flow_runs(store, deployment_id=dep["id"])[1] == 0


async def test_delete_removes_it_and_its_scheduled_runs(api: Any, notebook: str, store: Any) -> None:
    dep = await _create(api, notebook)
    await api("POST", "deployments", dep["id"], "runs")
    gone = await api("DELETE", "deployments", dep["id"])
    assert gone.code == 204
    assert (await api("GET", "deployments", dep["id"])).code == 404
    assert list_flow_runs(store, deployment_id=dep["id"])[1] == 0


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("GET", "", None),
        ("PATCH", "", {"retries": 1}),
        ("DELETE", "", None),
        ("POST", "/pause", None),
        ("POST", "/resume", None),
        ("POST", "/runs", {}),
        ("GET", "/next_runs", None),
    ],
)
async def test_unknown_deployment_is_404(api: Any, method: str, suffix: str, body: Any) -> None:
    reply = await api(method, "deployments", "no-such-deployment" + suffix, json_body=body)
    assert reply.code == 404, reply
    assert "no-such-deployment" in reply.json["error"]


async def test_schedule_preview(api: Any) -> None:
    reply = await api("POST", "schedules", "preview", json_body={"cron": "*/15 * * * *", "n": 4})
    assert reply.code == 200
    times = [_dt.datetime.fromisoformat(t) for t in reply.json["next_runs"]]
    assert len(times) == 4 and all(t.minute % 15 == 0 for t in times)
    bad = await api("POST", "schedules", "preview", json_body={"cron": "nope"})
    assert bad.code == 422 and "cron" in bad.json["error"]


async def test_an_every_minute_cron_is_scheduled_on_the_minute(api: Any, notebook: str, store: Any) -> None:
    from orchestr_lab.services.scheduler import schedule_tick

    dep = await _create(api, notebook, schedules=[{"cron": "* * * * *"}])
    now = _dt.datetime(2030, 1, 1, 12, 0, 30, tzinfo=_dt.timezone.utc)
    schedule_tick(store, now=now)  # what the server's scheduler does on its next pass
    page = (await api("GET", "flow_runs", params={"deployment_id": dep["id"], "state": "SCHEDULED"})).json
    times = sorted(_dt.datetime.fromisoformat(r["scheduled_start_time"]) for r in page["items"])
    assert times, "the scheduler inserted no runs"
    assert times[0] == _dt.datetime(2030, 1, 1, 12, 1, tzinfo=_dt.timezone.utc)
    assert all(t.second == 0 and t.microsecond == 0 for t in times)
    assert [(b - a).total_seconds() for a, b in itertools.pairwise(times)] == [60.0] * (len(times) - 1)
    assert all(r["parameters"] == {"n": 4} for r in page["items"])


async def test_the_list_is_paged_and_every_deployment_comes_once(api: Any, jp_fetch: Any, notebook: str) -> None:
    """The body stays a list (older clients read it as is); X-Next-Cursor says where the next
    page starts, X-Total-Count how many there are, Link the next page's URL."""
    names = [f"dep-{i}" for i in range(5)]
    for name in reversed(names):
        await _create(api, notebook, name=name)
    seen: list[str] = []
    params: dict[str, str] = {"limit": "2"}
    for _ in range(5):
        reply = await jp_fetch("orchestr-lab", "api", "deployments", params=params)
        seen += [d["name"] for d in json.loads(reply.body)]
        assert reply.headers["X-Total-Count"] == "5"
        cursor = reply.headers.get("X-Next-Cursor")
        if cursor is None:
            assert "Link" not in reply.headers
            break
        assert f"cursor={cursor}" in reply.headers["Link"] and reply.headers["Link"].endswith('rel="next"')
        params = {"limit": "2", "cursor": cursor}
    assert seen == names
    skipped = await api("GET", "deployments", params={"limit": "2", "offset": "3"})
    assert [d["name"] for d in skipped.json] == names[3:]


@pytest.mark.parametrize("route", ["deployments", "flow_runs"])
@pytest.mark.parametrize(
    "cursor", ["not-a-cursor", "x" * 600, "WyJyIiwiMjAyNi0wMS0wMSIsImEiXQ", "WyJkIiwibmlnaHRseSJd"]
)
async def test_a_cursor_not_given_out_by_the_list_is_a_400(api: Any, route: str, cursor: str) -> None:
    """Garbage, too long, a run cursor with a zoneless time, or another list's cursor (the last
    one is a deployment cursor, refused by the run list, and the third the other way round)."""
    if route == "deployments" and cursor == "WyJkIiwibmlnaHRseSJd":
        cursor = "WyJyIiwiMjAyNi0wMS0wMVQwMDowMDowMCswMDowMCIsImEiXQ"  # a good run cursor
    reply = await api("GET", route, params={"cursor": cursor})
    assert reply.code == 400, reply
    assert "cursor" in reply.json["error"]
