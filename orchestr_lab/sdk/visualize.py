"""``Flow.visualize()`` / ``Flow.generate_mermaid_graph()``: a flow's task graph without running it.

The flow's function is called with a tracker in place: each task or subflow call records a node
(named ``<name>-<n>``, as runs are) and returns a placeholder, or the task's ``viz_return_value``;
an argument that is a placeholder (or such a value) is an edge from the call that made it. No
run is created and no task body runs; the flow's own code between calls does run.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

__all__ = [
    "FlowVisualizationError",
    "VisualizationUnsupportedError",
    "call_recorded",
    "current",
    "mermaid_graph",
    "show_graph",
]

#: The tracker of the visualization in progress (None: calls run normally, the common case).
current: Tracker | None = None


class FlowVisualizationError(Exception):
    """The flow's code could not run against placeholders (it used a task's value directly)."""


class VisualizationUnsupportedError(Exception):
    """The flow uses something the graph cannot show (``.map``)."""


class VizNode:
    """A call seen while tracking: a node of the graph, and the placeholder its caller gets."""

    __slots__ = ("name", "upstream")

    def __init__(self, name: str, upstream: list[VizNode]) -> None:
        self.name = name
        self.upstream = upstream

    def __repr__(self) -> str:
        return f"<{self.name}>"


class Tracker:
    def __init__(self) -> None:
        self.nodes: list[VizNode] = []
        self._counts: dict[str, int] = {}
        self._by_value: dict[int, VizNode] = {}

    def record(self, name: str, params: dict[str, Any], viz_return_value: Any) -> Any:
        upstream = [
            v if isinstance(v, VizNode) else self._by_value[id(v)]
            for v in params.values()
            if isinstance(v, VizNode) or id(v) in self._by_value
        ]
        n = self._counts[name] = self._counts.get(name, -1) + 1
        node = VizNode(f"{name}-{n}", upstream)
        self.nodes.append(node)
        if viz_return_value is None:
            return node
        if not _untrackable(viz_return_value):
            self._by_value[id(viz_return_value)] = node
        return viz_return_value


def _untrackable(value: Any) -> bool:
    """Values whose identity is shared (small ints, singletons) cannot stand for one call."""
    return value is None or isinstance(value, bool) or value is ... or (isinstance(value, int) and -5 <= value <= 256)


def call_recorded(tracker: Tracker, name: str, params: dict[str, Any], viz_return_value: Any, isasync: bool) -> Any:
    """What a task or subflow call returns while tracking (an awaitable of it for async ones)."""
    value = tracker.record(name, params, viz_return_value)
    if not isasync:
        return value

    async def placeholder() -> Any:
        return value

    return placeholder()


def _trace(flow: Any, args: tuple[Any, ...], kwargs: dict[str, Any], what: str) -> Tracker:
    global current
    from ..engine.drive import run_coro_sync

    warnings.warn(
        f"`flow.{what}()` runs the code of your flow that is not a task or flow call", UserWarning, stacklevel=3
    )
    tracker = Tracker()
    current = tracker
    try:
        if flow.isasync:
            run_coro_sync(lambda: flow.fn(*args, **kwargs))
        else:
            flow.fn(*args, **kwargs)
    except (VisualizationUnsupportedError, FlowVisualizationError):
        raise
    except Exception as exc:
        raise FlowVisualizationError(
            "The flow could not be visualized: it raised "
            f"{type(exc).__name__}: {exc}. If the flow uses a task's return value directly, "
            "give the task a `viz_return_value`, e.g. `@task(viz_return_value=[1, 2, 3])`."
        ) from exc
    finally:
        current = None
    return tracker


def mermaid_graph(
    flow: Any, args: tuple[Any, ...], kwargs: dict[str, Any], what: str = "generate_mermaid_graph"
) -> str:
    """The flow's graph as a Mermaid ``flowchart TD``: nodes in call order, then edges."""
    tracker = _trace(flow, args, kwargs, what)
    ids = {node.name: node.name.replace("-", "_").replace(" ", "_") for node in tracker.nodes}
    lines = ["flowchart TD"]
    lines += [f'    {ids[node.name]}["{node.name}"]' for node in tracker.nodes]
    lines += [f"    {ids[up.name]} --> {ids[node.name]}" for node in tracker.nodes for up in node.upstream]
    return "\n".join(lines)


def _notebook_display() -> Callable[..., Any] | None:
    """IPython's ``display`` when running in IPython (a kernel), else None."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return None
    return display if get_ipython() is not None else None


def show_graph(graph: str, display: Callable[..., Any] | None = None) -> None:
    """Show a Mermaid graph: rendered by JupyterLab in a notebook, as text elsewhere."""
    if display is None:
        display = _notebook_display()
    if display is None:
        print(graph)
        return
    display({"text/vnd.mermaid": graph, "text/plain": graph}, raw=True)
