"""``orchestr-lab run``: run a notebook or a flow entrypoint once, headless, as a recorded run.

No server is needed: the run is written to the local store (``--db-url``), so ``runs ls``, the
sidebar and the API see it like any other. Bad input (a missing file, an unknown parameter, a
value of the wrong type) is refused before a run is created.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from . import _output as out
from ._options import json_option, parameter_option, retry_options, seconds_option
from ._root import CliState, UserError

__all__ = ["run"]


def _text_value(text: str) -> Any:
    """A ``-p`` value for a parameter of unknown type: JSON when it parses (3, true, [1]), else text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _gather_parameters(pairs: tuple[tuple[str, str], ...], params_file: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if params_file:
        import yaml

        try:
            loaded = yaml.safe_load(Path(params_file).read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise UserError(f"cannot read parameters file {params_file}: {str(exc).splitlines()[0]}") from None
        if loaded is None:
            loaded = {}
        if not isinstance(loaded, dict):
            raise UserError(f"parameters file {params_file} must hold a mapping of names to values")
        values.update(loaded)
    for name, value in pairs:
        values[name] = value
    return values


def _is_entrypoint(target: str) -> bool:
    path, sep, name = target.rpartition(":")
    return bool(sep) and path.endswith(".py") and name.isidentifier()


@click.command("run")
@click.argument("target", metavar="NOTEBOOK|FILE.py:FLOW")
@parameter_option("A parameter value (repeatable); overrides -f.")
@click.option(
    "-f", "--parameters-file", "params_file", type=click.Path(dir_okay=False), help="YAML file of parameter values."
)
@click.option(
    "--output",
    "output",
    type=click.Path(dir_okay=False),
    help="Where to save the executed notebook [default: <results dir>/notebooks/<run id>.ipynb].",
)
@seconds_option("--timeout", help="Stop the run (FAILED, TimedOut) after this long.")
@retry_options(retries_help="Run again this many times after a failure.", delay_help="Wait between attempts.")
@click.option("--name", help="Name of the run [default: a generated one].")
@click.option("--quiet", "-q", is_flag=True, help="Do not echo the cells' output.")
@json_option("Print only the finished run, as JSON.")
@click.pass_obj
def run(
    state: CliState,
    target: str,
    pairs: tuple[tuple[str, str], ...],
    params_file: str | None,
    output: str | None,
    timeout: float | None,
    retries: int,
    retry_delay: float,
    name: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Run a notebook (through papermill) or a flow entrypoint once, recorded as a flow run.

    Exits 0 when the run COMPLETED, 1 when it did not (the failing cell is named).
    """
    values = _gather_parameters(pairs, params_file)
    if _is_entrypoint(target):
        spec = _prepare_flow(target, values)
    else:
        from ..workers.lean_imports import skip_unused_imports

        skip_unused_imports()  # the notebook's code runs in its kernel, not in this process
        spec = _prepare_notebook(target, values)
    from ..core.settings import results_dir
    from ..workers.adhoc import create_adhoc_run

    engine = state.engine()
    run_record = create_adhoc_run(
        engine, name=name, timeout_seconds=timeout, max_retries=retries, retry_delay_seconds=retry_delay, **spec
    )
    output_dir = results_dir() / "notebooks"
    started = time.monotonic()
    progress_tty = out.is_tty() and not as_json
    if not as_json:
        what = spec.get("notebook") or spec.get("entrypoint")
        if progress_tty:
            out.console().print(f"[bold]{run_record['name']}[/bold] [dim]{run_record['id']}[/dim]  {what}")
        else:
            out.tsv("run", run_record["name"], run_record["id"], what)
    final = _attempts(
        engine,
        run_record,
        output=output,
        output_dir=output_dir,
        quiet=quiet,
        silent=as_json,
        rich=progress_tty,
        db_url=state.db_url,
    )
    notebook_out = None
    if spec.get("notebook"):
        from ..workers.notebook_runner import output_path_for

        notebook_out = Path(output) if output else output_path_for(run_record, output_dir)
    _report(engine, final, time.monotonic() - started, as_json=as_json, rich=progress_tty, notebook_out=notebook_out)


def _prepare_notebook(target: str, values: dict[str, Any]) -> dict[str, Any]:
    from ..core.notebook_parameters import validate_notebook_parameters
    from ..workers.notebook_files import read_notebook_parameters

    path = Path(target).expanduser()
    if not path.is_file():
        raise UserError(f"no notebook at {target}")
    try:
        specs = read_notebook_parameters(path)
    except (ValueError, OSError) as exc:
        raise UserError(f"cannot read notebook {target}: {str(exc).splitlines()[0]}") from None
    types = {s["name"]: s["type"] for s in specs}
    raw = {k: (_text_value(v) if isinstance(v, str) and types.get(k) == "None" else v) for k, v in values.items()}
    parameters = validate_notebook_parameters(specs, raw)  # ParameterTypeError -> one-line error, exit 1
    return {"notebook": str(path.resolve()), "parameters": parameters, "flow_name": path.stem}


def _prepare_flow(target: str, values: dict[str, Any]) -> dict[str, Any]:
    from ..engine.parameters import bind_parameters, validate_parameters
    from ..workers.entrypoint_runner import load_flow, split_entrypoint

    path, flow_name = split_entrypoint(target)
    if not Path(path).is_file():
        raise UserError(f"no flow file at {path}")
    try:
        flow = load_flow(target)
    except Exception as exc:
        raise UserError(
            f"cannot load {target}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        ) from None
    sig = flow.signature.parameters
    raw = {
        k: (_text_value(v) if isinstance(v, str) and k in sig and sig[k].annotation is sig[k].empty else v)
        for k, v in values.items()
    }
    params = bind_parameters(flow.fn, flow.signature, (), raw)  # ParameterBindError on unknown names
    if flow.validate_parameters and flow.has_annotations:
        from ..core.errors import ParameterTypeError

        try:
            params = validate_parameters(flow.fn, flow.signature, params)
        except ParameterTypeError as exc:
            detail = "; ".join(f"{name}: {msg}" for name, msg in exc.errors.items())
            raise UserError(f"Invalid parameters: {detail}") from None
    entrypoint = f"{Path(path).resolve()}:{flow_name}"
    return {"entrypoint": entrypoint, "parameters": _jsonable(params), "flow_name": flow.name}


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    try:
        json.dumps(params)
        return params
    except (TypeError, ValueError):
        return {
            k: v if isinstance(v, (str, int, float, bool, list, dict, type(None))) else repr(v)
            for k, v in params.items()
        }


def _attempts(
    engine: Any,
    run_record: dict[str, Any],
    *,
    output: str | None,
    output_dir: Path,
    quiet: bool,
    silent: bool,
    rich: bool,
    db_url: str | None,
) -> dict[str, Any]:
    """Run attempts until the run is final; a failed attempt with retries left goes again."""
    from ..store.deployment_runs import finish_attempt
    from ..store.run_reads import get_flow_run
    from ._progress import CellProgress

    settings = {k: run_record.get(k) for k in ("notebook", "entrypoint", "timeout_seconds")}
    while True:
        if run_record.get("notebook"):
            from ..workers.notebook_runner import run_notebook

            with CellProgress(rich=rich, show_output=not quiet) as progress:
                attempt = run_notebook(
                    run_record,
                    output_dir=output_dir,
                    output_path=output,
                    db_url=db_url,
                    listener=None if silent else progress,
                )
        else:
            from ..workers.entrypoint_runner import run_entrypoint

            attempt = run_entrypoint(run_record, db_url=db_url)
        stored = finish_attempt(engine, run_record["id"], attempt)
        stored_type = (stored.get("state") or {}).get("type")
        if stored_type != "SCHEDULED":
            stored["_attempt"] = attempt
            return stored
        # AwaitingRetry: wait out the delay here, then go again.
        when = stored.get("scheduled_start_time")
        if when:
            delay = out.parse_time(when).timestamp() - time.time()  # type: ignore[union-attr]
            if delay > 0:
                time.sleep(delay)
        if not silent:
            click.echo(f"retrying after: {attempt.message or attempt.name}", err=True)
        run_record = {**(get_flow_run(engine, run_record["id"]) or run_record), **settings}


def _report(
    engine: Any, final: dict[str, Any], elapsed: float, *, as_json: bool, rich: bool, notebook_out: Path | None
) -> None:
    from ..store.run_reads import get_flow_run

    attempt = final.pop("_attempt", None)
    run_record = get_flow_run(engine, final["id"]) or final
    kind = out.state_type(run_record)
    message = (run_record.get("state") or {}).get("message")
    notebook_path = run_record.get("output_notebook") or (str(notebook_out) if notebook_out else None)
    if as_json:
        out.echo_json(run_record)
    elif rich:
        console = out.console()
        console.print(
            f"[{out.STATE_STYLES.get(kind, '')}]{out.state_label(run_record)}[/] in {out.fmt_duration(elapsed)}"
            + (f": {message}" if message and kind != "COMPLETED" else "")
        )
        if notebook_path:
            console.print(f"output notebook: {notebook_path}", soft_wrap=True)
    else:
        out.tsv(out.state_label(run_record), f"{elapsed:.3f}", notebook_path)
        if kind != "COMPLETED":
            click.echo(f"error: {message or kind}", err=True)
    if kind == "COMPLETED":
        return
    code = 130 if attempt is not None and attempt.message == "Interrupted (Ctrl-C)" else 1
    raise SystemExit(code)
