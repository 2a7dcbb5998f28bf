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
from ..core.wire import StateOp
from .drive import run_to_state
from .futures import TaskRunFuture, map_futures
from .task_runners import TaskRunner

__all__ = ["DaskTaskRunner"]

# The constructor's arguments: what a copy or a pickled runner carries (not its cluster or client).
_SETTINGS = ("address", "cluster_class", "cluster_kwargs", "adapt_kwargs", "client_kwargs")


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
        self._dask_futures: dict[str, Any] = {}  # task run id -> Dask future, for dependencies
        self._pending: list[cf.Future[State]] = []
        # Submissions wait here for the submitter thread, which stores their runs in one write
        # per batch (not one per task run: a large .map) and hands them to Dask in order.
        self._queue: list[tuple[Any, cf.Future[State]]] = []
        self._wake = threading.Condition()
        self._submitter: threading.Thread | None = None
        self._closing = False

    def duplicate(self) -> DaskTaskRunner:
        return type(self)(**self.__getstate__())

    def __getstate__(self) -> dict[str, Any]:
        """Only the settings travel (a flow shipped somewhere carries its runner's settings)."""
        return {name: getattr(self, name) for name in _SETTINGS}

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

    def __enter__(self) -> DaskTaskRunner:
        Client = distributed_client()

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
            with self._wake:
                self._closing = True
                self._wake.notify()
            if self._submitter is not None:
                self._submitter.join()
            cf.wait(self._pending)
        finally:
            self._submitter, self._closing = None, False
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
        self.client  # noqa: B018 (the property starts the client) started, or a clear error now
        future: cf.Future[State] = cf.Future()
        future.set_running_or_notify_cancel()
        with self._wake:
            self._queue.append((engine, future))
            self._pending.append(future)
            if self._submitter is None:
                self._submitter = threading.Thread(
                    target=self._submit_loop, name="orchestr-lab-dask-submit", daemon=True
                )
                self._submitter.start()
            self._wake.notify()
        return TaskRunFuture(engine.id, future, engine)

    def _submit_loop(self) -> None:
        while True:
            with self._wake:
                while not self._queue and not self._closing:
                    self._wake.wait()
                batch, self._queue = self._queue, []
            if not batch:
                return
            # The runs and their PENDING states are stored before a Dask worker records RUNNING.
            for recorder in {id(e.recorder): e.recorder for e, _ in batch}.values():
                recorder.flush()
            for engine, future in batch:
                try:
                    self._submit(engine, future)
                except BaseException as exc:  # the cluster went away: the run cannot start
                    _settle_error(exc, future, engine)

    def _submit(self, engine: Any, future: cf.Future[State]) -> None:
        parameters = self._dependencies(engine.parameters)
        wait_for = self._dependencies({"wait_for": engine.wait_for})["wait_for"] if engine.wait_for else None
        dask_future = self.client.submit(
            run_remote,
            _RemoteTaskRun.of(engine),
            parameters,
            wait_for,
            key=f"{engine.name}-{engine.id}",
            pure=False,
        )
        self._dask_futures[engine.id] = dask_future
        dask_future.add_done_callback(lambda f: _settle(f, future, engine))

    def _dependencies(self, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` with futures of this runner's task runs replaced by their Dask futures
        (Dask hands the worker their final states). Other futures are waited for here."""

        def dependency(future: TaskRunFuture[Any]) -> Any:
            dask_future = self._dask_futures.get(future.task_run_id)  # submitted before, in order
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
    def of(cls, engine: Any) -> _RemoteTaskRun:
        from ..core.settings import results_dir

        fctx = engine.flow_ctx
        flow = shipped_flow_fields(fctx) if fctx is not None else None
        shipped = copy.copy(engine)
        shipped.parameters = shipped.wait_for = shipped.flow_ctx = shipped.recorder = shipped._logger = None
        shipped.ctx = dataclasses.replace(engine.ctx, flow_run=None, recorder=None, parameters={})
        return cls(shipped, flow, engine.recorder.url or _configured_url(), str(results_dir()))


def shipped_flow_fields(fctx: Any) -> dict[str, Any]:
    """The fields of a flow run's context that another process rebuilds it from (without the
    recorder, the task runner, locks and the parent)."""
    return {
        "id": fctx.id,
        "name": fctx.name,
        "flow": _FlowStub(fctx.flow_name, bool(getattr(fctx.flow, "isasync", False))),
        "flow_name": fctx.flow_name,
        "parameters": fctx.parameters,
        "log_prints": fctx.log_prints,
        "persist_result": fctx.persist_result,
        "run_count": fctx.run_count,
        "scheduled_start_time": fctx.scheduled_start_time,
        "deployment": fctx.deployment,
        "start_time": fctx.start_time,
        "tags": fctx.tags,
    }


def distributed_client() -> Any:
    """``distributed.Client``, or an error that says what to install."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ImportError("Dask is not installed: pip install 'orchestr-lab[dask]' (or distributed)") from exc
    return Client


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
        state = run_to_state(engine)
    finally:
        flow_run_var.reset(token)
        recorder.flush()  # stored before the flow sees the future done
    return state


def _settle(dask_future: Any, future: cf.Future[State], engine: Any) -> None:
    """Hand the Dask outcome to the engine's future (runs on Dask's callback thread)."""
    try:
        state = dask_future.result()
    except BaseException as exc:  # lost worker, cancelled, a result Dask could not send back
        _settle_error(exc, future, engine)
        return
    future.set_result(state)


def _settle_error(exc: BaseException, future: cf.Future[State], engine: Any) -> None:
    """The task run did not come back: CRASHED, stored unless the store already has its end."""
    state = Crashed(f"Task run {engine.name!r} did not come back from Dask: {type(exc).__name__}: {exc}", data=exc)
    try:
        engine.recorder.put(StateOp("task", engine.id, state, {"end_time": state.timestamp}))
        engine.recorder.flush()
    finally:
        future.set_result(state)
