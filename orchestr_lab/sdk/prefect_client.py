"""Prefect's client (what ``get_client()`` returns) for reading and changing runs and deployments.

``async with get_client() as client`` and ``with get_client(sync_client=True) as client`` give
the methods Prefect documents (``read_flow_runs(flow_run_filter=...)``, ``set_flow_run_state``,
``update_flow_run``, ``read_deployment_by_name``, ``create_flow_run_from_deployment``, ...) over
the sdk's :mod:`.client` backend: the local store in-process, or the server at
``ORCHESTR_LAB_API_URL`` (token ``ORCHESTR_LAB_API_TOKEN``). The methods are written once, as
blocking calls (:class:`SyncPrefectClient`); :class:`PrefectClient` runs each in a thread and
awaits it.

Deployment names: orchestr-lab's are unique on their own, without a flow. Prefect's
``"flow-name/deployment-name"`` finds the deployment named exactly that, else the one named
``deployment-name``.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Iterable
from typing import Any

from ..core.errors import NotFound
from .prefect_filters import (
    DeploymentFilter,
    FlowFilter,
    FlowRunFilter,
    LogFilter,
    TaskRunFilter,
    WorkPoolFilter,
    sort_objects,
)
from .prefect_objects import (
    Deployment,
    FlowRun,
    Log,
    OrchestrationResult,
    TaskRun,
    WorkPool,
    WorkPoolCreate,
    WorkPoolUpdate,
    state_to_dict,
)

__all__ = ["PrefectClient", "SyncPrefectClient"]

#: Prefect's server answers this many objects when a read gives no ``limit``.
DEFAULT_LIMIT = 200
#: Runs read from the server for one filtered read, at most (ten of the API's largest pages).
MAX_SCAN = 10_000
_PAGE = 1000


def _flush_own_runs() -> None:
    """Write what this process's running flow or task has recorded, so a read sees its own run."""
    from ..engine.context import flow_run_var, task_run_var

    for ctx in (flow_run_var.get(), task_run_var.get()):
        if ctx is not None:
            ctx.recorder.flush()


def _text(value: Any) -> str:
    return str(value)


class SyncPrefectClient:
    """The blocking client; every method is also on :class:`PrefectClient` as a coroutine (so a
    method calling another names ``SyncPrefectClient``'s, never ``self``'s)."""

    def __init__(self, backend: Any = None) -> None:
        self._backend = backend

    # -- lifetime ------------------------------------------------------------------------
    @property
    def backend(self) -> Any:
        if self._backend is None:
            from .client import ENV_API_TOKEN, ENV_API_URL, connect

            self._backend = connect(api_url=os.environ.get(ENV_API_URL), token=os.environ.get(ENV_API_TOKEN))
        return self._backend

    def __enter__(self) -> SyncPrefectClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    @property
    def api_url(self) -> str | None:
        return getattr(self.backend, "url", None)

    # -- flow runs -----------------------------------------------------------------------
    def read_flow_run(self, flow_run_id: Any) -> FlowRun:
        _flush_own_runs()
        return FlowRun.from_api(self.backend.get_run(_text(flow_run_id)))

    def read_flow_runs(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: Any = None,
        work_queue_filter: Any = None,
        sort: Any = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[FlowRun]:
        """Runs matching every filter given, newest first unless ``sort`` says otherwise.
        ``task_run_filter`` and ``work_pool_filter`` are not supported (TypeError)."""
        if task_run_filter is not None or work_pool_filter is not None:
            raise TypeError("read_flow_runs: task_run_filter and work_pool_filter are not supported by orchestr-lab")
        _flush_own_runs()
        query: dict[str, Any] = {}
        deployment_ids: set[str] | None = None
        if deployment_filter is not None:
            deployment_ids = {
                d.id_text for d in SyncPrefectClient.read_deployments(self, deployment_filter=deployment_filter)
            }
            if not deployment_ids:
                return []
            if len(deployment_ids) == 1:
                query["deployment_id"] = next(iter(deployment_ids))
        state = flow_run_filter.state if flow_run_filter is not None else None
        if state is not None and state.type is not None and state.type.any_ is not None:
            query["state"] = sorted({getattr(t, "value", t) for t in state.type.any_})
            if not query["state"]:
                return []
        names = flow_filter.name if flow_filter is not None else None
        if names is not None and names.any_ is not None and len(names.any_) == 1:
            query["flow_name"] = names.any_[0]
        queue_names = _queue_names(work_queue_filter)

        def keep(run: FlowRun) -> bool:
            return (
                (flow_run_filter is None or flow_run_filter.matches(run))
                and (flow_filter is None or flow_filter.matches(run))
                and (deployment_ids is None or str(run.deployment_id) in deployment_ids)
                and (queue_names is None or run.work_queue_name in queue_names)
            )

        wanted = offset + (DEFAULT_LIMIT if limit is None else limit)
        found = self._scan_runs(query, keep, stop_at=None if sort is not None else wanted)
        return sort_objects(found, sort)[offset:wanted]

    def _scan_runs(self, query: dict[str, Any], keep: Any, *, stop_at: int | None) -> list[FlowRun]:
        found: list[FlowRun] = []
        cursor: str | None = None
        scanned = 0
        while scanned < MAX_SCAN:
            page = self.backend.list_runs({**query, "limit": _PAGE, **({"cursor": cursor} if cursor else {})})
            for item in page["items"]:
                run = FlowRun.from_api(item)
                if keep(run):
                    found.append(run)
            scanned += len(page["items"])
            cursor = page.get("next_cursor")
            if cursor is None or (stop_at is not None and len(found) >= stop_at):
                break
        return found

    def set_flow_run_state(self, flow_run_id: Any, state: Any, force: bool = False) -> OrchestrationResult:
        """Propose ``state``; the answer's ``status`` says whether the run took it (a refused move
        is ``REJECT`` with the reason, not an error). ``force`` skips the rules. A CANCELLING
        proposal cancels as ``orchestr-lab runs cancel`` does: a run no worker holds ends CANCELLED."""
        answer = self.backend.propose_run_state(_text(flow_run_id), state_to_dict(state), force=force)
        return OrchestrationResult.from_api(answer)

    def update_flow_run(
        self,
        flow_run_id: Any,
        flow_version: str | None = None,
        parameters: dict[str, Any] | None = None,
        name: str | None = None,
        tags: Iterable[str] | None = None,
        empirical_policy: Any = None,
        infrastructure_pid: str | None = None,
        job_variables: dict[str, Any] | None = None,
    ) -> None:
        """Set the run's name, tags or parameters (replaced, not merged, as in Prefect); the
        other fields are Prefect's infrastructure details and are ignored."""
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if tags is not None:
            changes["tags"] = list(tags)
        if parameters is not None:
            changes["parameters"] = parameters
        if changes:
            self.backend.update_run(_text(flow_run_id), changes)

    def delete_flow_run(self, flow_run_id: Any) -> None:
        self.backend.delete_run(_text(flow_run_id))

    # -- deployments ---------------------------------------------------------------------
    def read_deployment(self, deployment_id: Any) -> Deployment:
        found = self.backend.get_deployment(_text(deployment_id))
        if found is None:
            raise NotFound(f"No deployment with id {deployment_id!s}")
        return Deployment.from_api(found)

    def read_deployment_by_name(self, name: str) -> Deployment:
        """``"flow-name/deployment-name"`` (Prefect's form) or a deployment's own name."""
        found = self.backend.get_deployment(name)
        if found is None and "/" in name:
            found = self.backend.get_deployment(name.split("/", 1)[1])
        if found is None:
            raise NotFound(f"No deployment named {name!r}")
        return Deployment.from_api(found)

    def read_deployments(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: Any = None,
        task_run_filter: Any = None,
        deployment_filter: DeploymentFilter | None = None,
        work_pool_filter: Any = None,
        work_queue_filter: Any = None,
        limit: int | None = None,
        sort: Any = None,
        offset: int = 0,
    ) -> list[Deployment]:
        """Deployments matching ``deployment_filter`` (and the work queue's names), by name
        unless ``sort`` says otherwise."""
        if flow_filter is not None or flow_run_filter is not None or task_run_filter is not None:
            raise TypeError("read_deployments: only deployment_filter and work_queue_filter are supported")
        queue_names = _queue_names(work_queue_filter)
        found = [
            d
            for d in map(Deployment.from_api, self.backend.list_deployments())
            if (deployment_filter is None or deployment_filter.matches(d))
            and (queue_names is None or d.work_queue_name in queue_names)
        ]
        end = offset + (DEFAULT_LIMIT if limit is None else limit)
        return sort_objects(found, sort)[offset:end]

    def create_flow_run_from_deployment(
        self,
        deployment_id: Any,
        *,
        parameters: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
        state: Any = None,
        name: str | None = None,
        tags: Iterable[str] | None = None,
        idempotency_key: str | None = None,
        parent_task_run_id: Any = None,
        work_queue_name: str | None = None,
        job_variables: dict[str, Any] | None = None,
        labels: Any = None,
    ) -> FlowRun:
        """A run of the deployment, SCHEDULED for now, its parameters merged over the
        deployment's; ``tags`` are added to the deployment's and ``name`` replaces the
        generated one. A ``Scheduled(scheduled_time=...)`` ``state`` schedules it for then;
        ``job_variables`` override the deployment's and its pool's for this run."""
        run = self.backend.run_deployment(_text(deployment_id), parameters or {}, job_variables)
        if state is not None:
            self.backend.propose_run_state(run["id"], state_to_dict(state))
            run = self.backend.get_run(run["id"])
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if tags is not None:
            changes["tags"] = list(dict.fromkeys([*run.get("tags", []), *tags]))
        if changes:
            run = self.backend.update_run(run["id"], changes)
        return FlowRun.from_api(run)

    # -- task runs, logs -----------------------------------------------------------------
    def read_task_run(self, task_run_id: Any) -> TaskRun:
        _flush_own_runs()
        return TaskRun.from_api(self.backend.get_task_run(_text(task_run_id)))

    def read_task_runs(
        self,
        *,
        flow_filter: FlowFilter | None = None,
        flow_run_filter: FlowRunFilter | None = None,
        task_run_filter: TaskRunFilter | None = None,
        deployment_filter: DeploymentFilter | None = None,
        sort: Any = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[TaskRun]:
        """Task runs of the flow runs the filters select (``task_run_filter.flow_run_id``, or
        the newest flow runs matching the others), filtered by ``task_run_filter``."""
        _flush_own_runs()
        ids = task_run_filter.flow_run_id if task_run_filter is not None else None
        if ids is not None and ids.any_ is not None:
            run_ids = [_text(i) for i in ids.any_]
        else:
            runs = SyncPrefectClient.read_flow_runs(
                self, flow_filter=flow_filter, flow_run_filter=flow_run_filter, deployment_filter=deployment_filter
            )
            run_ids = [r.id_text for r in runs]
        found = [
            t
            for run_id in run_ids
            for t in map(TaskRun.from_api, self.backend.task_runs(run_id))
            if task_run_filter is None or task_run_filter.matches(t)
        ]
        end = offset + (DEFAULT_LIMIT if limit is None else limit)
        return sort_objects(found, sort)[offset:end]

    def read_logs(
        self, log_filter: LogFilter | None = None, limit: int | None = None, offset: int | None = None, sort: Any = None
    ) -> list[Log]:
        """Log lines of the runs ``log_filter.flow_run_id`` (or ``.task_run_id``) names, oldest first."""
        _flush_own_runs()
        run_ids = _any(log_filter, "flow_run_id")
        if run_ids is None:
            task_ids = _any(log_filter, "task_run_id")
            if task_ids is None:
                raise TypeError("read_logs needs a LogFilter naming flow_run_id or task_run_id (any_=[...])")
            run_ids = list(dict.fromkeys(str(SyncPrefectClient.read_task_run(self, t).flow_run_id) for t in task_ids))
        found = [
            line
            for run_id in run_ids
            for line in map(Log.from_api, self.backend.logs(_text(run_id), None))
            if log_filter is None or log_filter.matches(line)
        ]
        start = offset or 0
        end = start + (DEFAULT_LIMIT if limit is None else limit)
        return sort_objects(found, sort or "TIMESTAMP_ASC")[start:end]

    # -- work pools --------------------------------------------------------------------
    def create_work_pool(self, work_pool: WorkPoolCreate, overwrite: bool = False) -> WorkPool:
        """A new pool (with its own queue); ``overwrite``: update the pool of that name instead."""
        spec = work_pool.to_api()
        if overwrite and self.backend.get_work_pool(work_pool.name) is not None:
            changes = {k: v for k, v in spec.items() if k not in ("name", "type")}
            return WorkPool.from_api(self.backend.update_work_pool(work_pool.name, changes))
        return WorkPool.from_api(self.backend.create_work_pool(spec))

    def read_work_pool(self, work_pool_name: str) -> WorkPool:
        found = self.backend.get_work_pool(work_pool_name)
        if found is None:
            raise NotFound(f"No work pool named {work_pool_name!r}")
        return WorkPool.from_api(found)

    def read_work_pools(
        self, limit: int | None = None, offset: int = 0, work_pool_filter: WorkPoolFilter | None = None
    ) -> list[WorkPool]:
        """The pools by name; ``work_pool_filter`` selects by ``name`` and ``type``."""
        pools = map(WorkPool.from_api, self.backend.list_work_pools())
        found = [p for p in pools if work_pool_filter is None or work_pool_filter.matches(p)]
        return found[offset : None if limit is None else offset + limit]

    def update_work_pool(self, work_pool_name: str, work_pool: WorkPoolUpdate) -> None:
        self.backend.update_work_pool(work_pool_name, work_pool.to_api())

    def delete_work_pool(self, work_pool_name: str) -> None:
        self.backend.delete_work_pool(work_pool_name)


def _any(group: Any, field: str) -> list[Any] | None:
    leaf = getattr(group, field, None) if group is not None else None
    return None if leaf is None else leaf.any_


def _queue_names(work_queue_filter: Any) -> set[str] | None:
    """Prefect's ``WorkQueueFilter(name=WorkQueueFilterName(any_=[...]))`` (or a dict of it)."""
    if work_queue_filter is None:
        return None
    name = work_queue_filter.get("name") if isinstance(work_queue_filter, dict) else work_queue_filter.name
    values = name.get("any_") if isinstance(name, dict) else getattr(name, "any_", None)
    return None if values is None else set(values)


class PrefectClient(SyncPrefectClient):
    """The async client: the methods of :class:`SyncPrefectClient`, each awaited in a thread."""

    async def __aenter__(self) -> PrefectClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.close)


def _awaited(name: str) -> Any:
    blocking = getattr(SyncPrefectClient, name)

    @functools.wraps(blocking)
    async def call(self: PrefectClient, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(blocking, self, *args, **kwargs)

    return call


_VERBS = ("read_", "set_", "update_", "delete_", "create_")
for _name in [n for n in vars(SyncPrefectClient) if n.startswith(_VERBS)]:
    setattr(PrefectClient, _name, _awaited(_name))
