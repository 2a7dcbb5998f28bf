"""Parity scenarios for ``get_client()``: reading and changing flow runs from a flow and after it,
as Prefect's "interact with the API" examples do (Prefect's ephemeral server under Prefect, the
local store under orchestr-lab)."""

import asyncio
import importlib
import uuid

from scenarios import NONCE, lib_exc, scenario


def _client_modules(L):
    filters = importlib.import_module(f"{L.name}.client.schemas.filters")
    sorting = importlib.import_module(f"{L.name}.client.schemas.sorting")
    objects = importlib.import_module(f"{L.name}.client.schemas.objects")
    return filters, sorting, objects


def _run_obs(run):
    return {
        "state_type": run.state.type.name,
        "state_name": run.state.name,
        "completed": run.state.is_completed(),
        "parameters": run.parameters,
    }


@scenario
def client_reads_its_own_run_inside_a_flow(L):
    """A flow reads its own run through the sync client while it runs; afterwards the async
    client reads it finished."""
    get_client = L.root.get_client
    seen = {}

    @L.flow(name=f"client-self-{NONCE}")
    def report(n: int):
        with get_client(sync_client=True) as client:
            run = client.read_flow_run(L.runtime.flow_run.id)
            seen["inside"] = {
                **_run_obs(run),
                "same_id": str(run.id) == L.runtime.flow_run.id,
                "name_matches": run.name == L.runtime.flow_run.name,
            }
        return n * 2

    ids = {}

    @L.flow(name=f"client-self-outer-{NONCE}")
    def outer():
        ids["run"] = L.runtime.flow_run.id
        return report(21)

    seen["result"] = outer()

    async def after():
        async with get_client() as client:
            return await client.read_flow_run(ids["run"])

    seen["after"] = _run_obs(asyncio.run(after()))
    return seen


@scenario
def client_read_flow_runs_with_filters_and_sort(L):
    filters, sorting, objects = _client_modules(L)
    name = f"client-filters-{NONCE}"
    get_client = L.root.get_client

    @L.task
    def double(x):
        return 2 * x

    @L.flow(name=name, flow_run_name="numbers-{n}-" + NONCE)  # a generated name could repeat one
    def numbers(n: int):
        return double(n)

    for n in (1, 2, 3):
        numbers(n)

    async def read():
        async with get_client() as client:
            completed = filters.FlowRunFilter(
                state=filters.FlowRunFilterState(
                    type=filters.FlowRunFilterStateType(any_=[objects.StateType.COMPLETED])
                )
            )
            by_flow = filters.FlowFilter(name=filters.FlowFilterName(any_=[name]))
            asc = await client.read_flow_runs(
                flow_filter=by_flow, flow_run_filter=completed, sort=sorting.FlowRunSort.START_TIME_ASC
            )
            desc2 = await client.read_flow_runs(flow_filter=by_flow, sort=sorting.FlowRunSort.START_TIME_DESC, limit=2)
            by_state_name = await client.read_flow_runs(
                flow_filter=by_flow,
                flow_run_filter=filters.FlowRunFilter(
                    state=filters.FlowRunFilterState(name=filters.FlowRunFilterStateName(any_=["Completed"]))
                ),
            )
            failed = await client.read_flow_runs(
                flow_filter=by_flow,
                flow_run_filter=filters.FlowRunFilter(state={"type": {"any_": ["FAILED"]}}),
            )
            first = asc[0]
            by_name = await client.read_flow_runs(
                flow_run_filter=filters.FlowRunFilter(name=filters.FlowRunFilterName(any_=[first.name]))
            )
            by_id = await client.read_flow_runs(
                flow_run_filter=filters.FlowRunFilter(id=filters.FlowRunFilterId(any_=[first.id]))
            )
            tasks = await client.read_task_runs(
                flow_run_filter=filters.FlowRunFilter(id=filters.FlowRunFilterId(any_=[first.id]))
            )
            return {
                "asc": [r.parameters["n"] for r in asc],
                "desc_limit_2": [r.parameters["n"] for r in desc2],
                "by_state_name": len(by_state_name),
                "failed": len(failed),
                "by_name": [r.parameters for r in by_name],
                "by_id": [str(r.id) == str(first.id) for r in by_id],
                "run": _run_obs(first),
                "run_name": first.name.replace(NONCE, "<nonce>"),
                "task_runs": [
                    {"state": t.state.type.name, "same_flow_run": str(t.flow_run_id) == str(first.id)} for t in tasks
                ],
            }

    return asyncio.run(read())


@scenario
def client_update_flow_run_name_and_tags(L):
    filters, _, _ = _client_modules(L)
    get_client = L.root.get_client
    tag = f"tag-{NONCE}"

    @L.flow(name=f"client-update-{NONCE}")
    def job():
        return 1

    state = job(return_state=True)
    with get_client(sync_client=True) as client:
        [run] = client.read_flow_runs(
            flow_filter=filters.FlowFilter(name=filters.FlowFilterName(any_=[f"client-update-{NONCE}"]))
        )
        client.update_flow_run(run.id, name=f"renamed-{NONCE}", tags=[tag, "shared"])
        again = client.read_flow_run(run.id)
        tagged = client.read_flow_runs(
            flow_run_filter=filters.FlowRunFilter(tags=filters.FlowRunFilterTags(all_=[tag, "shared"]))
        )
        none_tagged = client.read_flow_runs(
            flow_run_filter=filters.FlowRunFilter(tags=filters.FlowRunFilterTags(all_=[tag, "absent"]))
        )
        return {
            "renamed": again.name == f"renamed-{NONCE}",
            "tags": sorted(t.replace(NONCE, "<nonce>") for t in again.tags),
            "tagged": [str(r.id) == str(run.id) for r in tagged],
            "none_tagged": len(none_tagged),
            "still_completed": again.state.is_completed(),
            "flow_result": state.result(),
        }


@scenario
def client_set_flow_run_state(L):
    filters, _, _ = _client_modules(L)
    get_client = L.root.get_client

    @L.flow(name=f"client-state-{NONCE}")
    def job():
        return 1

    job()

    async def change():
        async with get_client() as client:
            [run] = await client.read_flow_runs(
                flow_filter=filters.FlowFilter(name=filters.FlowFilterName(any_=[f"client-state-{NONCE}"]))
            )
            forced = await client.set_flow_run_state(run.id, L.states.Failed(message="marked by hand"), force=True)
            after = await client.read_flow_run(run.id)
            return {
                "forced": {"status": forced.status.name, "state": forced.state.type.name},
                "after": {
                    "type": after.state.type.name,
                    "message": after.state.message,
                    "failed": after.state.is_failed(),
                },
            }

    return asyncio.run(change())


@scenario
def client_read_unknown_flow_run(L):
    get_client = L.root.get_client
    with get_client(sync_client=True) as client:
        try:
            client.read_flow_run(uuid.uuid4())
        except Exception as e:  # noqa: BLE001 - observing is the point
            return lib_exc(e)
    return {"raised": False}
