"""``%load_ext orchestr_lab``: the ``%%flow``, ``%%task`` and ``%orchestr`` magics.

- ``%%flow [NAME] [--retries N] [--retry-delay S] [--timeout S] [--log-prints]`` runs the cell as
  a flow run in the user's namespace, tracking every task it calls, with the run widget.
- ``%%task [NAME] [--retries N] [--retry-delay S] [--timeout S] [--cache]`` runs the cell as one
  task run, retrying the whole cell on failure, inside the current flow run if any (a notebook
  executed as a deployment run counts: its run is named in the kernel's environment).
- ``%orchestr runs|deployments|run|schedule|widgets ...``: the common operations, each showing a
  widget.

A cell whose run fails raises the run's error (the cell fails, "Run all" stops), after the
widget showed it. Wrong options give a one-line usage error, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import shlex
from typing import Any, NoReturn

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, line_magic, magics_class

from ..core import settings

__all__ = ["OrchestrMagics", "load_ipython_extension", "unload_ipython_extension"]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a mistake as one UsageError line (with the usage) instead of exiting."""

    def one_line_usage(self) -> str:
        return " ".join(self.format_usage().split()).removeprefix("usage: ")

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; usage: {self.one_line_usage()}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:  # --help
        raise UsageError(self.format_help().strip() if status == 0 else (message or "").strip())


def _positive(kind: type) -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {'an integer' if kind is int else 'a number'}") from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
        return value

    parse.__name__ = kind.__name__
    return parse


def _run_options(prog: str) -> _Parser:
    p = _Parser(prog=prog, add_help=False)
    p.add_argument("name", nargs="?", default=None)
    p.add_argument("--retries", type=_positive(int), default=0)
    p.add_argument("--retry-delay", type=_positive(float), default=0.0, metavar="S")
    p.add_argument("--timeout", type=_positive(float), default=None, metavar="S")
    return p


FLOW = _run_options("%%flow")
FLOW.add_argument("--log-prints", action="store_true")
TASK = _run_options("%%task")
TASK.add_argument("--cache", action="store_true")

ORCHESTR = _Parser(prog="%orchestr", add_help=False)
_sub = ORCHESTR.add_subparsers(dest="command", parser_class=_Parser, metavar="{runs,deployments,run,schedule,widgets}")
_runs = _sub.add_parser("runs", add_help=False)
_runs.add_argument("--deployment", metavar="NAME")
_runs.add_argument("--flow", metavar="NAME")
_runs.add_argument("--state", action="append", metavar="STATE")
_runs.add_argument("--limit", type=_positive(int), default=10)
_sub.add_parser("deployments", add_help=False)
_run = _sub.add_parser("run", add_help=False)
_run.add_argument("deployment", metavar="NAME")
_run.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE")
_sched = _sub.add_parser("schedule", add_help=False)
_sched.add_argument("notebook", metavar="NOTEBOOK")
_sched.add_argument("--cron", metavar="EXPR")
_sched.add_argument("--interval", type=_positive(float), metavar="S")
_sched.add_argument("--timezone", default="UTC", metavar="TZ")
_sched.add_argument("--name", metavar="NAME")
_sched.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE")
_sched.add_argument("--queue", default="default")
_sched.add_argument("--retries", type=_positive(int), default=0)
_sched.add_argument("--timeout", type=_positive(float), metavar="S")
_widgets = _sub.add_parser("widgets", add_help=False)
_widgets.add_argument("switch", choices=["on", "off", "auto"])


def _parse(parser: _Parser, line: str) -> argparse.Namespace:
    try:
        argv = shlex.split(line)
    except ValueError as exc:
        raise UsageError(f"{exc}; usage: {parser.one_line_usage()}") from None
    args = parser.parse_args(argv)
    if parser is ORCHESTR and args.command is None:
        parser.error("which command?")
    return args


def _raise_failure(state: Any) -> Any:
    """The run's value, or its error raised again (the cell fails like a plain cell would)."""
    if state.is_completed():
        return state.result()
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None:
        state.result()  # raises the state's own error
        return None
    raise exc.with_traceback(_user_frames(exc.__traceback__))


def _user_frames(tb: Any) -> Any:
    """The traceback from the cell's first frame on (the engine's frames say nothing to the user)."""
    start = tb
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith("<") or "ipykernel" in tb.tb_frame.f_code.co_filename:
            return tb
        tb = tb.tb_next
    return start


@magics_class
class OrchestrMagics(Magics):
    """The notebook surface of orchestr-lab (README.md, "In a notebook: magics and live run widgets")."""

    # -- %%flow --------------------------------------------------------------------------
    @cell_magic("flow")  # type: ignore[arg-type]  # IPython types its magic decorators to accept no function
    def flow_magic(self, line: str, cell: str) -> Any:
        """%%flow [NAME] [--retries N] [--retry-delay S] [--timeout S] [--log-prints]"""
        from ..engine.flow_engine import FlowRunEngine
        from .cells import CellBody
        from .flows import Flow
        from .notebook import run_flow_engine

        args = _parse(FLOW, line)
        name = args.name or "notebook-cell"
        body = CellBody(self.shell, cell, name=name)
        flow = Flow(
            body.function(),
            name=name,
            retries=args.retries,
            retry_delay_seconds=args.retry_delay,
            timeout_seconds=args.timeout or None,
            log_prints=True if args.log_prints else None,
            validate_parameters=False,
        )
        engine = FlowRunEngine(flow, (), {})
        state = run_flow_engine(engine, True, blocking=True)  # the widget is displayed here, from this thread
        return _raise_failure(state)

    # -- %%task --------------------------------------------------------------------------
    @cell_magic("task")  # type: ignore[arg-type]  # IPython types its magic decorators to accept no function
    def task_magic(self, line: str, cell: str) -> Any:
        """%%task [NAME] [--retries N] [--retry-delay S] [--timeout S] [--cache]"""
        from ..core.states import StateType
        from ..engine.task_engine import TaskRunEngine
        from .cells import CellBody
        from .notebook import run_task_engine
        from .tasks import Task

        args = _parse(TASK, line)
        name = args.name or "notebook-cell"
        body = CellBody(self.shell, cell, name=name)
        options: dict[str, Any] = {}
        if args.cache:
            key = body.key
            options["cache_key_fn"] = lambda _ctx, _params: key
        task = Task(
            body.function(keep_names=args.cache),
            name=name,
            retries=args.retries,
            retry_delay_seconds=args.retry_delay,
            timeout_seconds=args.timeout or None,
            **options,
        )
        flow_ctx = _current_flow()
        engine = TaskRunEngine(task, {}, flow_ctx=flow_ctx)
        state = run_task_engine(engine)
        if flow_ctx is not None:
            flow_ctx.recorder.flush()  # a lone notebook run has no flow call to flush it
        value = _raise_failure(state)
        if args.cache:
            if state.type is StateType.COMPLETED and state.name == "Cached":
                body.namespace.update(value["names"])  # the cell did not run: bring its names back
            return value["value"]
        return value

    # -- %orchestr -----------------------------------------------------------------------
    @line_magic("orchestr")  # type: ignore[arg-type]  # IPython types its magic decorators to accept no function
    def orchestr_magic(self, line: str) -> Any:
        """%orchestr runs [--deployment NAME] [--flow NAME] [--state S] [--limit N] | deployments |
        run NAME [-p KEY=VALUE ...] | schedule NOTEBOOK (--cron EXPR | --interval S) [--timezone TZ]
        [--name NAME] [-p KEY=VALUE ...] | widgets on|off|auto"""
        from .ops import Ops, OpsError, parse_parameters

        args = _parse(ORCHESTR, line)
        if args.command == "widgets":
            from .notebook import set_show_widgets

            set_show_widgets({"on": True, "off": False, "auto": None}[args.switch])
            return None
        try:
            ops = Ops()
            if args.command == "runs":
                from .widgets.runs import RunsWidget

                return RunsWidget(
                    ops,
                    deployment=args.deployment,
                    flow_name=args.flow,
                    state=[s.upper() for s in args.state] if args.state else None,
                    limit=args.limit or 10,
                )
            if args.command == "deployments":
                from .widgets.deployment import DeploymentsWidget

                return DeploymentsWidget(ops)
            if args.command == "run":
                from .widgets.runs import RunWidget

                run = ops.run(args.deployment, parse_parameters(args.param))
                return RunWidget(ops, run["id"], title=args.deployment)
            from .widgets.deployment import DeploymentWidget

            if not args.cron and not args.interval:
                raise OpsError("give --cron EXPR or --interval SECONDS")
            dep, _verb = ops.schedule(
                args.notebook,
                name=args.name,
                cron=args.cron,
                interval=args.interval,
                timezone=args.timezone,
                parameters=parse_parameters(args.param),
                queue=args.queue,
                retries=args.retries,
                timeout=args.timeout,
            )
            return DeploymentWidget(ops, dep)
        except OpsError as exc:
            raise UsageError(str(exc)) from None


def _current_flow() -> Any:
    """The flow run a ``%%task`` cell belongs to: the running flow's, or the notebook's own run
    when a worker executes this notebook as a deployment run (named in the environment)."""
    from ..engine.context import flow_run_var

    ctx = flow_run_var.get()
    if ctx is not None:
        return ctx
    run_id = os.environ.get(settings.ENV_FLOW_RUN_ID)
    if not run_id:
        return None
    ctx = _notebook_runs.get(run_id)
    if ctx is None:
        from ..engine.context import FlowRunContext
        from ..engine.recorder import get_recorder

        ctx = _notebook_runs[run_id] = FlowRunContext(
            id=run_id,
            name=os.environ.get(settings.ENV_FLOW_RUN_NAME, ""),
            flow=None,
            flow_name=os.environ.get(settings.ENV_FLOW_NAME, ""),
            parameters={},
            recorder=get_recorder(os.environ.get(settings.ENV_DB_URL) or None),
        )
    return ctx


_notebook_runs: dict[str, Any] = {}


def load_ipython_extension(ipython: Any) -> None:
    ipython.register_magics(OrchestrMagics)


def unload_ipython_extension(ipython: Any) -> None:
    """Forget the magics (``%reload_ext`` registers them afresh)."""
    for kind in ("cell", "line"):
        table = ipython.magics_manager.magics[kind]
        for name in ("flow", "task", "orchestr"):
            bound = table.get(name)
            if getattr(bound, "__self__", None).__class__ is OrchestrMagics:
                del table[name]
