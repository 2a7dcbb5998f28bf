"""Parity scenarios for work pools through ``get_client()``: create, read (one, a filtered list),
update (pause, limit), create again, overwrite, delete (Prefect's ephemeral server under Prefect,
the local store under orchestr-lab)."""

import importlib

from scenarios import NONCE, raises, scenario


def _pool_obs(pool, name):
    return {
        "name_matches": pool.name == name,
        "type": pool.type,
        "is_paused": pool.is_paused,
        "concurrency_limit": pool.concurrency_limit,
        "description": pool.description,
    }


@scenario
def client_work_pool_lifecycle(L):
    """A process pool made, read, paused with its limit removed, overwritten and deleted."""
    actions = importlib.import_module(f"{L.name}.client.schemas.actions")
    filters = importlib.import_module(f"{L.name}.client.schemas.filters")
    name = f"pool-{NONCE}"
    seen = {}
    with L.root.get_client(sync_client=True) as client:
        made = client.create_work_pool(actions.WorkPoolCreate(name=name, type="process", concurrency_limit=2))
        seen["made"] = _pool_obs(made, name)
        seen["read"] = _pool_obs(client.read_work_pool(name), name)
        only = filters.WorkPoolFilter(name=filters.WorkPoolFilterName(any_=[name]))
        seen["listed"] = [p.name == name for p in client.read_work_pools(work_pool_filter=only)]
        seen["update_returns"] = client.update_work_pool(
            name, actions.WorkPoolUpdate(is_paused=True, concurrency_limit=None)
        )
        seen["updated"] = _pool_obs(client.read_work_pool(name), name)
        again = raises(lambda: client.create_work_pool(actions.WorkPoolCreate(name=name, type="process")))
        seen["create_again_raises"] = "raised" in again
        over = client.create_work_pool(
            actions.WorkPoolCreate(name=name, type="process", description="second"), overwrite=True
        )
        seen["overwritten"] = _pool_obs(over, name)
        seen["delete_returns"] = client.delete_work_pool(name)
        seen["read_deleted_raises"] = "raised" in raises(lambda: client.read_work_pool(name))
    return seen
