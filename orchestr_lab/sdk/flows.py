"""``@flow``: Prefect 3's flow options over orchestr-lab's engine."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

from ..engine.drive import run
from ..engine.flow_engine import FlowRunEngine, register_flow_class
from ..engine.parameters import bind_parameters
from ..engine.retries import normalize_retry_delay
from . import visualize as _viz
from ._wrapped import RunOptions, WrappedFunction
from .visualize import call_recorded

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["Flow", "flow"]

P = ParamSpec("P")
R = TypeVar("R")


@register_flow_class
class Flow(WrappedFunction, Generic[P, R]):
    """A function whose calls are flow runs, recorded with their task runs, logs and results."""

    HOOKS = ("on_completion", "on_failure", "on_running", "on_cancellation", "on_crashed")

    def __init__(
        self,
        fn: Callable[P, R],
        name: str | None = None,
        version: str | None = None,
        flow_run_name: str | Callable[..., str] | None = None,
        retries: int | None = None,
        retry_delay_seconds: float | int | None = None,
        task_runner: Any = None,
        description: str | None = None,
        timeout_seconds: float | None = None,
        validate_parameters: bool = True,
        persist_result: bool | None = None,
        result_storage: Any = None,
        log_prints: bool | None = None,
        tags: Iterable[str] | None = None,
        on_completion: list[Callable[..., Any]] | None = None,
        on_failure: list[Callable[..., Any]] | None = None,
        on_cancellation: list[Callable[..., Any]] | None = None,
        on_crashed: list[Callable[..., Any]] | None = None,
        on_running: list[Callable[..., Any]] | None = None,
        cache_result_in_memory: bool = True,
    ) -> None:
        self._wrap(fn, "flow", locals())
        fn = self.fn
        self.name = name or fn.__name__.replace("_", "-")
        self.version = version
        self.flow_run_name = flow_run_name
        if retries is not None and retries < 0:
            raise ValueError("retries must be >= 0")
        self.retries = retries or 0
        self.retry_delay_seconds = retry_delay_seconds or 0
        self.retry_delay = normalize_retry_delay(retry_delay_seconds, self.retries)
        if isinstance(task_runner, type):
            task_runner = task_runner()
        self.task_runner = task_runner
        self.description = description or inspect.getdoc(fn)
        if timeout_seconds is not None and timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be > 0")
        self.timeout_seconds = timeout_seconds
        self.should_validate_parameters = validate_parameters
        self.validate_parameters = validate_parameters
        self.persist_result = persist_result
        self.result_storage = result_storage
        self.log_prints = log_prints
        self.tags = set(tags or ())
        self.cache_result_in_memory = cache_result_in_memory
        self.has_annotations = any(p.annotation is not p.empty for p in self.signature.parameters.values())
        self._take_identity()

    # Decorator forms (with on_completion/on_failure from WrappedFunction): ``@my_flow.on_crashed``
    # registers a hook ``fn(flow, flow_run, state)``.
    def on_cancellation(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        return self._add_hook("on_cancellation", fn)

    def on_crashed(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        return self._add_hook("on_crashed", fn)

    def __call__(self, *args: P.args, return_state: bool = False, wait_for: Any = None, **kwargs: P.kwargs) -> R:  # type: ignore[valid-type]  # Prefect's keyword options sit between *args and **kwargs
        """Run the flow: returns its value (an awaitable for async flows), or its State.

        ``wait_for``: futures or states to wait for first; if one of them did not complete, the
        run ends Pending("NotReady") without running (Prefect's rule) and calling ``.result()``
        on that state raises UnfinishedRun."""
        tracker = _viz.current
        if tracker is not None:  # inside a visualization: a node, no run
            params = bind_parameters(self.fn, self.signature, self._with_bound(args), kwargs)
            return call_recorded(tracker, self.name, params, None, self.isasync)
        engine = FlowRunEngine(self, self._with_bound(args), kwargs, wait_for=wait_for)
        if self.isgenerator:
            return engine.aiterate() if self.isasyncgen else engine.iterate()  # type: ignore[return-value]  # a generator flow hands back a generator
        if "ipykernel" in sys.modules and engine.ctx.parent is None:
            from .notebook import call_flow  # in a kernel: the run widget (unless turned off)

            return call_flow(engine, return_state)
        return run(engine, return_state=return_state)

    def generate_mermaid_graph(self, *args: Any, **kwargs: Any) -> str:
        """The flow's task graph as a Mermaid ``flowchart TD`` (the flow's function is called
        with placeholders for task results; no run is created)."""
        from .visualize import mermaid_graph

        return mermaid_graph(self, args, kwargs)

    def visualize(self, *args: Any, **kwargs: Any) -> None:
        """Show the flow's task graph: rendered in a notebook, printed as Mermaid text elsewhere."""
        from .visualize import mermaid_graph, show_graph

        show_graph(mermaid_graph(self, args, kwargs, what="visualize"))

    def deploy(self, name: str, **options: Any) -> Any:
        """Prefect's ``Flow.deploy``: create or update deployment ``name`` of this flow (a
        top-level flow of a .py file), with ``work_pool_name=``, ``job_variables=``, ``cron=``,
        ``interval=``, ...; returns its id (see ``orchestr_lab.sdk.deployments.deploy_flow``)."""
        from .deployments import deploy_flow

        return deploy_flow(self, name, **options)

    def __repr__(self) -> str:
        return f"Flow(name={self.name!r})"


class FlowOptions(RunOptions, total=False):
    """The keyword options of ``@flow(...)``, beyond :class:`~._wrapped.RunOptions` (for type checkers)."""

    flow_run_name: str | Callable[..., str] | None
    retry_delay_seconds: float | int | None
    task_runner: Any
    validate_parameters: bool
    on_cancellation: list[Callable[..., Any]] | None
    on_crashed: list[Callable[..., Any]] | None


@overload
def flow(__fn: Callable[P, R]) -> Flow[P, R]: ...


@overload
def flow(__fn: None = None, **options: Unpack[FlowOptions]) -> Callable[[Callable[P, R]], Flow[P, R]]: ...


def flow(__fn: Any = None, **options: Any) -> Any:
    """Make a function a flow: ``@flow`` or ``@flow(retries=1, ...)``."""
    if __fn is not None:
        return Flow(__fn, **options)
    return lambda fn: Flow(fn, **options)
