"""What remote workers call: claim, heartbeat, store ops, state moves, attempt ends, notebooks.

A worker on another machine has no database connection; these actions do for it exactly what
a local worker does with the store (the same ``store`` functions), so both kinds of worker
leave the same records. Bad input is a 4xx with the field named, never a 500.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any, cast

from ..core.errors import NotFound
from ..core.ids import is_run_id
from ..core.schemas import FlowSourceQuery, NotebookPathQuery
from ..core.schemas_workers import (
    AttemptFinish,
    NotebookUpload,
    OpsBatch,
    RunClaim,
    StateWrite,
    TaskStateWrite,
    WorkerBeat,
)
from ..core.wire import Op
from ..workers.paths import resolve_under_root, run_file
from . import Context, field_error
from .runs import _load, checked_run_id, flow_run_out, notebooks_dir

__all__ = [
    "claim_run",
    "finish_attempt",
    "flow_source",
    "notebook_content",
    "save_output_notebook",
    "set_flow_run_state",
    "set_task_run_state",
    "worker_heartbeat",
    "write_ops",
]


def worker_heartbeat(ctx: Context, *, body: WorkerBeat) -> dict[str, Any]:
    """The worker is alive; so are ``runs`` (their heartbeat refreshed). ``stop``: runs to kill."""
    from ..store.deployment_runs import heartbeat_runs
    from ..store.workers import worker_heartbeat as beat

    worker = beat(ctx.engine, name=body.name, type=body.type, queues=body.queues)
    stop = heartbeat_runs(ctx.engine, list(body.runs), worker_name=body.name) if body.runs else []
    return {**worker, "stop": stop}


def claim_run(ctx: Context, *, body: RunClaim) -> dict[str, Any]:
    """The oldest due run of the queues, now PENDING on this worker; ``run`` is null when none is due."""
    from ..store.claims import claim_next_run

    run = claim_next_run(ctx.engine, worker_name=body.name, worker_type=body.type, queues=body.queues)
    if run is not None and run.get("deployment_id"):
        from ..store.deployments import get_deployment

        deployment = get_deployment(ctx.engine, run["deployment_id"]) or {}
        # What the run's notebook reads as orchestr_lab.runtime.deployment, saving a request.
        run["deployment_name"] = deployment.get("name")
        run["deployment_parameters"] = deployment.get("parameters")
    return {"run": run}


def _checked_op(index: int, op: Op, raw: list[Any]) -> Op:
    """``op`` as a remote engine may send it (``core.schemas_ops``: the engine's own columns,
    typed and bounded), values normalised; a 422 naming the op and the field otherwise."""
    from pydantic import TypeAdapter, ValidationError

    from ..core.limits import Key
    from ..core.schemas_ops import OP_ROWS, STATE_FIELDS
    from ..core.schemas_workers import StateIn
    from ..core.wire import TAGS, FlowOp, StateOp

    tag = TAGS[op.__class__]
    try:
        if isinstance(op, StateOp):
            StateIn.model_validate(raw[3])
            fields = STATE_FIELDS[op.kind].model_validate(op.fields).model_dump(exclude_unset=True)
            return op._replace(fields=fields)
        if isinstance(op, FlowOp):
            return FlowOp(TypeAdapter(Key).validate_python(op.name))
        return op._replace(row=OP_ROWS[tag].model_validate(op.row).model_dump())
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        what = "state op" if tag == "state" else tag
        extra = sorted(".".join(map(str, e["loc"])) for e in errors if e["type"] == "extra_forbidden")
        if extra:
            message = f"a {what} may not carry {', '.join(extra)} (a batch writes only the engine's columns)"
        else:
            where = ".".join(map(str, errors[0]["loc"]))
            message = f"a {what}'s {where or 'value'}: {errors[0]['msg']}"
        raise field_error("ops", f"op {index}: {message}", None) from None


#: Answers to the latest batches by ``batch_id``: a worker that lost the answer to a batch the
#: server did write (connection reset) sends it again, and must not get its rows twice.
_written: OrderedDict[tuple[str, str | None], dict[str, Any]] = OrderedDict()
_written_lock = threading.Lock()
_REMEMBERED = 4096


def write_ops(ctx: Context, *, body: OpsBatch) -> dict[str, Any]:
    """Write the engine's ops as one batch (``store.runs.write_batch``), whole or not at all.

    An op the store refuses (an illegal transition, an unknown run) writes nothing of the
    batch: a 409 lists the refused ops by index, and the engine sends the rest again. A batch
    sent again with the same ``batch_id`` gets the first answer, and is not rewritten.
    """
    # Remembered per store: one process may serve several (tests do), and ids are the worker's.
    key = (str(ctx.engine.url), body.batch_id)
    if body.batch_id is not None:
        with _written_lock:
            if key in _written:
                return _written[key]
    answer = _write_ops(ctx, body)
    if body.batch_id is not None:
        with _written_lock:
            _written[key] = answer
            while len(_written) > _REMEMBERED:
                _written.popitem(last=False)
    return answer


def _write_ops(ctx: Context, body: OpsBatch) -> dict[str, Any]:
    from sqlalchemy.exc import StatementError

    from ..core.wire import ops_from_json
    from ..store.runs import write_batch

    # The model skips validating ops (SkipValidation): they are the JSON lists as sent.
    raw = cast("list[list[Any]]", body.ops)
    try:
        ops = ops_from_json(raw)
    except ValueError as exc:
        raise field_error("ops", str(exc), None) from None
    except TypeError as exc:  # an op's name or state type that is an object or a list
        raise field_error("ops", f"not a list of store operations: {exc}", None) from None
    ops = [_checked_op(index, op, raw[index]) for index, op in enumerate(ops)]
    try:
        # All or nothing: a refused op (BatchRefused, a 409 listing them) writes no row at all.
        refused = write_batch(ctx.engine, ops, atomic=True)
    except (StatementError, TypeError, ValueError, KeyError) as exc:  # values of the wrong type
        raise field_error("ops", f"the batch could not be written: {str(exc).splitlines()[0]}", None) from None
    return {"written": len(ops), "refused": refused}


def _set_state(ctx: Context, kind: str, run_id: str, body: StateWrite | TaskStateWrite) -> dict[str, Any]:
    from ..core.states import State
    from ..store.runs import set_state

    # ``body.fields`` was checked by its model (only the columns a state move may set).
    if kind == "flow":
        checked_run_id(run_id)
    elif not is_run_id(run_id):
        raise NotFound(f"No task run with id {run_id!r}")
    s = body.state
    state = State(s.type, s.name, s.message, timestamp=s.timestamp, details=s.details or None)
    # The model's _sent validator made ``fields`` a plain dict of the columns sent.
    stored = set_state(ctx.engine, kind, run_id, state, fields=cast("Mapping[str, Any]", body.fields))
    return {
        "type": stored.type.value,
        "name": stored.name,
        "message": stored.message,
        "timestamp": stored.timestamp_dt.isoformat(),
    }


def set_flow_run_state(ctx: Context, *, flow_run_id: str, body: StateWrite) -> dict[str, Any]:
    """Move a flow run to a state (a notebook run starting, a run handed back)."""
    return _set_state(ctx, "flow", flow_run_id, body)


def set_task_run_state(ctx: Context, *, task_run_id: str, body: TaskStateWrite) -> dict[str, Any]:
    """Move a task run to a state (the cells of a killed notebook run settled)."""
    return _set_state(ctx, "task", task_run_id, body)


def finish_attempt(ctx: Context, *, flow_run_id: str, body: AttemptFinish) -> dict[str, Any]:
    """Record how an attempt ended: final, or AwaitingRetry when the deployment has retries left."""
    from ..core.states import State
    from ..store.deployment_runs import finish_attempt as finish

    checked_run_id(flow_run_id)
    s = body.state
    # A resume point names kernel-state files on the server; a worker's word is not taken for one.
    details = {k: v for k, v in (s.details or {}).items() if k != "resume"}
    state = State(s.type, s.name, s.message, timestamp=s.timestamp, details=details or None)
    finish(ctx.engine, flow_run_id, state)
    return flow_run_out(_load(ctx, flow_run_id))


def save_output_notebook(ctx: Context, *, flow_run_id: str, body: NotebookUpload) -> None:
    """Store a remote run's executed notebook on the server (``GET .../notebook`` serves it)."""
    from sqlalchemy import update

    from ..store.database import write_transaction
    from ..store.models import flow_runs

    run = _load(ctx, flow_run_id)  # a run id that is not an id is a 404 here
    folder = notebooks_dir(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    target = run_file(folder, flow_run_id, ".ipynb")
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(body.model_dump(), f)
    os.replace(tmp, target)  # a reader never sees half a notebook
    if run.get("output_notebook") != str(target):
        statement = update(flow_runs).where(flow_runs.c.id == flow_run_id).values(output_notebook=str(target))
        write_transaction(ctx.engine, lambda conn: conn.execute(statement))


def notebook_content(ctx: Context, *, query: NotebookPathQuery) -> dict[str, Any]:
    """A notebook under the server root (nbformat JSON): what a remote worker executes."""
    path = resolve_under_root(ctx.root_dir, query.path)
    if not path.is_file():
        raise NotFound(f"No notebook {query.path!r} under the server root")
    try:
        with open(path, encoding="utf-8") as f:
            content = json.load(f)
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: JSON nested too deep
        raise field_error("path", f"not a readable notebook: {exc}", query.path) from None
    if not isinstance(content, dict):
        raise field_error("path", "not a notebook (a JSON object)", query.path)
    return content


def flow_source(ctx: Context, *, query: FlowSourceQuery) -> dict[str, Any]:
    """A flow file under the server root: what a remote worker runs for an entrypoint deployment.

    Python files only, so this route cannot be used to read other files under the root.
    """
    if not query.path.endswith(".py"):  # as the documented pattern says (".py" itself too)
        raise field_error("path", "only flow files (.py) can be fetched", query.path)
    path = resolve_under_root(ctx.root_dir, query.path)
    if not path.is_file():
        raise NotFound(f"No flow file {query.path!r} under the server root")
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise field_error("path", f"not a readable flow file: {exc}", query.path) from None
    return {"path": query.path, "source": source}
