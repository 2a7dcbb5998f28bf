"""Work pools over REST: CRUD, job variables checked by the pool's type (a 422 naming the variable)."""

from __future__ import annotations

from typing import Any


async def test_work_pool_crud_and_the_default_pool(api: Any) -> None:
    pools = (await api("GET", "work_pools")).json
    assert [(p["name"], p["type"]) for p in pools] == [("default", "process")] and "default" in pools[0]["queues"]
    body = {"name": "gpu", "type": "dask", "base_job_variables": {"dask_address": "tcp://h:8786", "env": {"X": "1"}}}
    created = await api("POST", "work_pools", json_body=body)
    assert created.code == 201, created
    assert created.json["queues"] == ["gpu"] and created.json["base_job_variables"]["dask_address"] == "tcp://h:8786"
    assert "dask_address" in created.json["job_variables_schema"]["properties"]
    assert (await api("POST", "work_pools", json_body={"name": "gpu"})).code == 409
    assert (await api("GET", "work_queues", "gpu")).json["work_pool_name"] == "gpu"
    paused = await api("PATCH", "work_pools", "gpu", json_body={"paused": True})
    assert paused.code == 200 and paused.json["paused"] is True
    assert (await api("DELETE", "work_pools", "default")).code == 409
    assert (await api("DELETE", "work_pools", "gpu")).code == 204
    assert (await api("GET", "work_pools", "gpu")).code == 404
    assert (await api("GET", "work_queues", "gpu")).json["work_pool_name"] == "default"  # still claimed


async def test_a_bad_job_variable_is_a_422_naming_it(api: Any, notebook: str) -> None:
    bad = await api("POST", "work_pools", json_body={"name": "p", "base_job_variables": {"env": {"HOME": 5}}})
    assert bad.code == 422 and "job_variables.env.HOME" in bad.json["error"], bad.json
    # A process pool has no dask_address.
    bad = await api("POST", "work_pools", json_body={"name": "p", "base_job_variables": {"dask_address": "x"}})
    assert bad.code == 422 and "job_variables.dask_address" in bad.json["error"]
    assert (await api("POST", "work_pools", json_body={"name": "p"})).code == 201

    spec = {"name": "d", "notebook": notebook, "work_pool_name": "p", "job_variables": {"warm_kernels": -1}}
    bad = await api("POST", "deployments", json_body=spec)
    assert bad.code == 422 and "job_variables.warm_kernels" in bad.json["error"], bad.json
    spec["job_variables"] = {"kernel_name": "python3"}
    dep = await api("POST", "deployments", json_body=spec)
    assert dep.code == 201 and dep.json["work_pool_name"] == "p" and dep.json["work_queue"] == "p"
    assert dep.json["job_variables"] == {"kernel_name": "python3"}
    changed = await api("PATCH", "deployments", dep.json["id"], json_body={"job_variables": {"env": {"K": "v"}}})
    assert changed.code == 200 and changed.json["job_variables"] == {"env": {"K": "v"}}
    bad = await api("PATCH", "deployments", dep.json["id"], json_body={"job_variables": {"working": "x"}})
    assert bad.code == 422 and "job_variables.working" in bad.json["error"]

    bad = await api("POST", "deployments", dep.json["id"], "runs", json_body={"job_variables": {"env": {"1X": "a"}}})
    assert bad.code == 422 and "job_variables.env" in bad.json["error"], bad.json
    run = await api("POST", "deployments", dep.json["id"], "runs", json_body={"job_variables": {"env": {"K": "run"}}})
    assert run.code == 201 and run.json["job_variables"] == {"env": {"K": "run"}}
    other = await api("POST", "deployments", json_body={"name": "e", "notebook": notebook, "work_pool_name": "nope"})
    assert other.code == 404
