"""The global concurrency limit routes: CRUD by name, the lease routes remote holders use, and
bad input answered with 4xx naming the field."""

from __future__ import annotations

from typing import Any


async def test_global_limit_crud(api: Any) -> None:
    made = await api("POST", "global_concurrency_limits", json_body={"name": "gpu", "limit": 2})
    assert made.code == 201 and made.json["active_slots"] == 0 and made.json["active"] is True
    assert (await api("POST", "global_concurrency_limits", json_body={"name": "gpu", "limit": 1})).code == 409
    listed = await api("GET", "global_concurrency_limits")
    assert [x["name"] for x in listed.json] == ["gpu"]
    changed = await api(
        "PATCH", "global_concurrency_limits", "gpu", json_body={"limit": 4, "slot_decay_per_second": 1.5}
    )
    assert changed.code == 200 and changed.json["limit"] == 4 and changed.json["slot_decay_per_second"] == 1.5
    assert (await api("GET", "global_concurrency_limits", "gpu")).json["limit"] == 4
    assert (await api("DELETE", "global_concurrency_limits", "gpu")).code == 204
    gone = await api("GET", "global_concurrency_limits", "gpu")
    assert gone.code == 404 and "gpu" in gone.json["error"]


async def test_bad_limits_are_422(api: Any) -> None:
    for body in (
        {"name": "x", "limit": -1},
        {"name": "x", "limit": "2"},
        {"name": "a/b", "limit": 1},
        {"name": "x", "limit": 1, "slot_decay_per_second": -0.5},
        {"name": "x", "limit": 1, "colour": "red"},
    ):
        reply = await api("POST", "global_concurrency_limits", json_body=body)
        assert reply.code == 422, (body, reply)


async def test_leases_over_http(api: Any) -> None:
    await api("POST", "global_concurrency_limits", json_body={"name": "db", "limit": 1})
    first = await api("POST", "global_concurrency_leases", json_body={"names": ["db"], "lease_duration": 30})
    assert first.code == 200 and first.json["granted"] and first.json["lease_id"]
    lease = first.json["lease_id"]
    second = await api("POST", "global_concurrency_leases", json_body={"names": ["db"]})
    assert second.json["granted"] is False and second.json["retry_after"] > 0
    assert (
        await api("POST", "global_concurrency_leases", lease, "renew", json_body={"lease_duration": 30})
    ).code == 204
    assert (await api("GET", "global_concurrency_limits", "db")).json["active_slots"] == 1
    assert (await api("DELETE", "global_concurrency_leases", lease)).code == 204
    assert (await api("GET", "global_concurrency_limits", "db")).json["active_slots"] == 0
    expired = await api("POST", "global_concurrency_leases", lease, "renew", json_body={"lease_duration": 30})
    assert expired.code == 404
    too_many = await api("POST", "global_concurrency_leases", json_body={"names": ["db"], "slots": 2})
    assert too_many.code == 422 and "greater than the limit" in too_many.json["error"]
    for body in ({"names": []}, {"names": ["db"], "lease_duration": 0.1}, {"names": ["db"], "mode": "other"}):
        assert (await api("POST", "global_concurrency_leases", json_body=body)).code == 422, body
