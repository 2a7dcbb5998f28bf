"""Running a flow's task runs on a Dask cluster: :class:`DaskTaskRunner`.

The flow stays in its own process; each submitted task run is sent to a Dask worker, which
runs the same :class:`~.task_engine.TaskRunEngine` (cache, attempts, retries, timeout, hooks)
and records its states and logs to the same store as the flow: the database URL and result
directory travel with the task run. The engine's futures come back, so ``.result()``,
``.wait()``, ``.state``, ``wait_for`` and passing futures to other tasks work as with threads;
upstream task runs become Dask dependencies, so a downstream task waits on the cluster, not
in the flow.

The Dask workers must reach the flow's store (PostgreSQL, or SQLite on a shared disk) and
result directory. ``distributed`` is imported only when a flow enters the runner.
"""

from __future__ import annotations

import concurrent.futures as cf
import copy
import dataclasses
import importlib
import threading
from typing import Any

from ..core.states import Crashed, State
from .futures import TaskRunFuture, map_futures
from .task_runners import TaskRunner, _drive

__all__ = ["DaskTaskRunner"]


class DaskTaskRunner(TaskRunner):
    """Runs task runs on Dask: an existing cluster at ``address``, or a temporary one.

    ``address``: a scheduler address (``tcp://host:8786``); any cluster will do, since only
    its address is needed (LocalCluster, dask-jobqueue, dask-kubernetes, dask-gateway).
    Without it, ``cluster_class(**cluster_kwargs)`` (default: ``distributed.LocalCluster``;
    a class or its dotted path) is started for the flow run and closed after it, scaled by
    ``cluster.adapt(**adapt_kwargs)`` when given. ``client_kwargs`` go to ``distributed.Client``.
    """

    def __init__(
        self,
        address: str | None = None,
        cluster_class: Any = None,
        cluster_kwargs: dict[str, Any] | None = None,
        adapt_kwargs: dict[str, Any] | None = None,
        client_kwargs: dict[str, Any] | None = None,
    ) -> None:
        if address is not None and (cluster_class is not None or cluster_kwargs or adapt_kwargs):
            raise ValueError("give either address or cluster_class/cluster_kwargs/adapt_kwargs, not both")
        self.address = address
        self.cluster_class = cluster_class
        self.cluster_kwargs = dict(cluster_kwargs or {})
        self.adapt_kwargs = dict(adapt_kwargs or {})
        self.client_kwargs = dict(client_kwargs or {})
        self._client: Any = None
        self._cluster: Any = None
        self._lock = threading.Lock()
        self._dask_futures: dict[str, Any] = {}  # task run id -> Dask future, for dependencies
        self._pending: list[cf.Future[State]] = []

    def duplicate(self) -> "DaskTaskRunner":
        return type(self)(self.address, self.cluster_class, self.cluster_kwargs, self.adapt_kwargs, self.client_kwargs)

    def __getstate__(self) -> dict[str, Any]:
        """Only the settings travel (a flow shipped somewhere carries its runner's settings)."""
        return {"address": self.address, "cluster_class": self.cluster_class, "cluster_kwargs": self.cluster_kwargs,
                "adapt_kwargs": self.adapt_kwargs, "client_kwargs": self.client_kwargs}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    def __repr__(self) -> str:
        where = self.address or getattr(self._cluster, "scheduler_address", None) or "a temporary cluster"
        return f"DaskTaskRunner({where!r})"

    @property
    def client(self) -> Any:
        """The ``distributed.Client`` while a flow runs (for code that wants the cluster itself)."""
        if self._client is None:
            raise RuntimeError("the DaskTaskRunner is not started; it starts when its flow runs")
        return self._client

    def __enter__(self) -> "DaskTaskRunner":
        from distributed import Client

        if self.address is not None:
            self._client = Client(self.address, **self.client_kwargs)
            return self
        cluster_class = self.cluster_class or "distributed.LocalCluster"
        if isinstance(cluster_class, str):
            module, _, name = cluster_class.rpartition(".")
            cluster_class = getattr(importlib.import_module(module), name)
        self._cluster = cluster_class(**self.cluster_kwargs)
        try:
            if self.adapt_kwargs:
                self._cluster.adapt(**self.adapt_kwargs)
            self._client = Client(self._cluster, **self.client_kwargs)
        except BaseException:
            self._cluster.close()
            self._cluster = None
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        """Wait for every submitted task run (a flow never ends while its tasks run), then close."""
        try:
            cf.wait(self._pending)
        finally:
            self._pending.clear()
            self._dask_futures.clear()
            client, cluster = self._client, self._cluster
            self._client = self._cluster = None
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()

    # -- submitting --------------------------------------------------------------------
    def submit_engine(self, engine: Any) -> TaskRunFuture[Any]:
        client = self.client
        # The run and its PENDING state must be stored before a Dask worker records RUNNING.
        engine.recorder.flush()
        parameters = self._dependencies(engine.parameters)
        wait_for = self._dependencies({"wait_for": engine.wait_for})["wait_for"] if engine.wait_for else None
        dask_future = client.submit(
            run_remote, _RemoteTaskRun.of(engine), parameters, wait_for,
            key=f"{engine.name}-{engine.id}", pure=False,
        )
        with self._lock:
            self._dask_futures[engine.id] = dask_future
        future: cf.Future[State] = cf.Future()
        future.set_running_or_notify_cancel()
        dask_future.add_done_callback(lambda f: _settle(f, future, engine))
        self._pending.append(future)
        return TaskRunFuture(engine.id, future, engine)

    def _dependencies(self, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` with futures of this runner's task runs replaced by their Dask futures
        (Dask hands the worker their final states). Other futures are waited for here."""

        def dependency(future: TaskRunFuture[Any]) -> Any:
            with self._lock:
                dask_future = self._dask_futures.get(future.task_run_id)
            if dask_future is not None:
                return dask_future
            future.wait()
            return future.state

        return map_futures(params, dependency)


@dataclasses.dataclass(frozen=True)
class _FlowStub:
    """What a task run on a Dask worker knows of its flow (the flow object stays home)."""

    name: str
    isasync: bool


@dataclasses.dataclass
class _RemoteTaskRun:
    """A task run as it travels to a Dask worker: the engine without its process-bound parts
    (recorder, locks, futures), plus where to record (database URL, result directory)."""

    engine: Any
    flow: dict[str, Any] | None
    db_url: str
    results_dir: str

    @classmethod
    def of(cls, engine: Any) -> "_RemoteTaskRun":
        from ..core.settings import results_dir

        fctx = engine.flow_ctx
        flow = None
        if fctx is not None:
            flow = {
                "id": fctx.id, "name": fctx.name, "flow": _FlowStub(fctx.flow_name, bool(getattr(fctx.flow, "isasync", False))),
                "flow_name": fctx.flow_name, "parameters": fctx.parameters, "log_prints": fctx.log_prints,
                "persist_result": fctx.persist_result, "run_count": fctx.run_count,
                "scheduled_start_time": fctx.scheduled_start_time, "deployment": fctx.deployment,
                "start_time": fctx.start_time,
            }
        shipped = copy.copy(engine)
        shipped.parameters = shipped.wait_for = shipped.flow_ctx = shipped.recorder = shipped._logger = None
        shipped.ctx = dataclasses.replace(engine.ctx, flow_run=None, recorder=None, parameters={})
        return cls(shipped, flow, engine.recorder.url or _configured_url(), str(results_dir()))


def _configured_url() -> str:
    from ..core.settings import db_url

    return db_url()


def run_remote(spec: _RemoteTaskRun, parameters: dict[str, Any], wait_for: Any) -> State:
    """On a Dask worker: run the task run to its final state, recorded in the flow's store."""
    from .context import FlowRunContext, flow_run_var
    from .recorder import get_recorder
    from .run_logging import install_print_capture

    recorder = get_recorder(spec.db_url)
    engine = spec.engine
    if engine.task.result_storage is None:
        # The flow's result directory, not this worker's default (a copy: the task may be
        # a module's own object, shared by other task runs here).
        engine.task = copy.copy(engine.task)
        engine.task.result_storage = spec.results_dir
    fctx = FlowRunContext(**spec.flow, recorder=recorder) if spec.flow is not None else None
    engine.flow_ctx, engine.recorder = fctx, recorder
    engine.parameters, engine.wait_for = parameters, wait_for
    ctx = engine.ctx
    ctx.task, ctx.flow_run, ctx.recorder, ctx.parameters = engine.task, fctx, recorder, parameters
    if ctx.log_prints:
        install_print_capture()
    token = flow_run_var.set(fctx)  # tasks this task calls belong to the same flow run
    try:
        state = _drive(engine)
    finally:
        flow_run_var.reset(token)
        recorder.flush()  # stored before the flow sees the future done
    return state


def _settle(dask_future: Any, future: "cf.Future[State]", engine: Any) -> None:
    """Hand the Dask outcome to the engine's future (runs on Dask's callback thread)."""
    try:
        state = dask_future.result()
    except BaseException as exc:  # lost worker, cancelled, a result Dask could not send back
        state = Crashed(f"Task run {engine.name!r} did not come back from Dask: {type(exc).__name__}: {exc}", data=exc)
        try:  # the store may already hold its end (e.g. only the result failed to travel)
            engine.recorder.put(("state", "task", engine.id, state, {"end_time": state.timestamp}))
            engine.recorder.flush()
        finally:
            future.set_result(state)
        return
    future.set_result(state)
