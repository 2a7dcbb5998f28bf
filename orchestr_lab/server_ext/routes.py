"""The route table: ONE list that registers the handlers and builds the OpenAPI document.

Each :class:`Route` names its method, path (OpenAPI style, relative to ``/orchestr-lab/api``),
the pydantic models of its body, query and answer, and the action that serves it (a function of
``orchestr_lab.actions``). Handlers are generated from this list, and so is ``openapi.json``, so
the two cannot disagree.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from ..actions import (
    assets as assets_api,
    automations as auto,
    background_tasks as bg,
    blocks as blk,
    deployments as dep,
    global_concurrency as gc,
    pauses,
    resources as res,
    run_changes as rc,
    run_diff,
    run_inputs as ri,
    run_report,
    runs,
    sweeps as swp_api,
    variables as var,
    work_pools as wp,
    worker_api as wa,
)
from ..actions.artifacts import create_artifact, get_artifact, latest_artifact, list_artifacts, update_artifact
from ..core import (
    schemas as s,
    schemas_assets as sa,
    schemas_client as sc,
    schemas_concurrency as sgc,
    schemas_pause as sp,
    schemas_pools as swp,
    schemas_run_diff as srd,
    schemas_run_input as sri,
    schemas_sweeps as ssw,
    schemas_variables as sv,
    schemas_workers as sw,
)
from ..core.schemas_artifacts import ArtifactCreate, ArtifactPage, ArtifactQuery, ArtifactRead, ArtifactUpdate
from .openapi import openapi_document
from .route import API_PREFIX, Route, url_pattern

__all__ = ["API_PREFIX", "ROUTES", "Route", "url_pattern"]

_JSON = dict[str, Any]


def _openapi(ctx: Any) -> _JSON:
    return openapi_document(tuple(ROUTES), base_url=ctx.base_url)


def _tagged(tag: str, *routes: Route) -> list[Route]:
    """One section of the table: routes under one OpenAPI tag."""
    return [replace(route, tag=tag) for route in routes]


# One constructor per method keeps each table row to its path, action, summary and models.
_get = partial(Route, "GET")
_post = partial(Route, "POST")
_put = partial(Route, "PUT")
_patch = partial(Route, "PATCH")
_delete = partial(Route, "DELETE", status=204)  # a deletion answers with no content


def _create(path: str, call: Any, summary: str, response: Any, body: type, link: tuple[str, str]) -> Route:
    """A POST that creates a resource (201), linked to the routes that address it: ``link``."""
    return Route("POST", path, call, summary, response, body, status=201, links=(link,))


_D = "/deployments/{deployment_id}"
_R = "/flow_runs/{flow_run_id}"
_Q = "/work_queues/{name}"
_WP = "/work_pools/{name}"
_L = "/concurrency_limits/{tag}"
_A = "/automations/{automation_id}"
_B = "/blocks/{block_type}/{name}"
_G = "/global_concurrency_limits/{name}"
_GL = "/global_concurrency_leases/{lease_id}"
_BG = "/background_task_runs/{task_run_id}"

ROUTES: list[Route] = [
    *_tagged(
        "server",
        _get("/health", res.health, "Is the extension up; its version and services", s.HealthRead),
        _get("/openapi.json", _openapi, "This document", _JSON),
    ),
    *_tagged(
        "notebooks",
        _get(
            "/notebooks/parameters",
            res.notebook_parameters,
            "The parameters cell of a notebook under the server root",
            s.NotebookParameters,
            query=s.NotebookPathQuery,
        ),
    ),
    *_tagged(
        "deployments",
        _get(
            "/deployments",
            dep.list_deployments,
            "Deployments by name, with their next runs; paged (headers X-Next-Cursor, X-Total-Count, Link)",
            list[s.DeploymentRead],
            query=s.DeploymentQuery,
        ),
        _create(
            "/deployments",
            dep.create_deployment,
            "Create a deployment (409 if the name is taken)",
            s.DeploymentRead,
            s.DeploymentCreate,
            (_D, "/id"),
        ),
        _get(_D, dep.get_deployment, "One deployment (by id or name)", s.DeploymentRead),
        _patch(_D, dep.update_deployment, "Change some fields of a deployment", s.DeploymentRead, s.DeploymentUpdate),
        _delete(_D, dep.delete_deployment, "Delete a deployment and its scheduled runs"),
        _post(_D + "/pause", dep.pause_deployment, "Stop scheduling runs", s.DeploymentRead),
        _post(_D + "/resume", dep.resume_deployment, "Schedule runs again", s.DeploymentRead),
        _create(
            _D + "/runs",
            dep.run_deployment,
            "Run now, with parameter overrides",
            s.FlowRunRead,
            s.FlowRunCreate,
            (_R, "/id"),
        ),
        _get(
            _D + "/next_runs",
            dep.next_runs,
            "The next fire times of the deployment's schedules",
            s.NextRunsRead,
            query=s.NextRunsQuery,
        ),
        _post(
            "/schedules/preview",
            dep.preview_schedule,
            "Fire times of an unsaved schedule",
            s.NextRunsRead,
            s.SchedulePreview,
        ),
    ),
    *_tagged(
        "flow_runs",
        _get(
            "/flow_runs",
            runs.list_flow_runs,
            "Flow runs, newest first, filtered; paged by cursor (next_cursor) or offset",
            s.FlowRunPage,
            query=s.FlowRunQuery,
        ),
        _get(_R, runs.get_flow_run, "One flow run", s.FlowRunRead),
        _delete(_R, runs.delete_flow_run, "Delete a flow run and everything it recorded"),
        _post(_R + "/cancel", runs.cancel_flow_run, "Cancel a run (a running one is stopped)", s.FlowRunRead),
        _post(
            _R + "/retry",
            runs.retry_flow_run,
            "Run a failed, crashed or cancelled run again (a failed notebook run: from its failing cell, if asked)",
            s.FlowRunRead,
            body=s.RetryRequest,
            links=((_R, "/id"),),
        ),
        _get(_R + "/task_runs", runs.list_task_runs, "The run's task runs (a notebook's cells)", list[s.TaskRunRead]),
        _get(_R + "/logs", runs.list_logs, "The run's log lines, oldest first", list[s.LogRead], query=s.LogQuery),
        _get(_R + "/recorded", runs.list_recorded, "Outputs recorded with record()", list[s.RecordedRead]),
        _get(_R + "/notebook", runs.output_notebook, "The executed notebook (nbformat JSON)", _JSON),
        _get(
            "/task_runs/{task_run_id}", runs.get_task_run, "One task run (the caller of a subflow run)", s.TaskRunRead
        ),
    ),
    *_tagged(
        "flows",
        _get(
            "/flows",
            auto.list_flows,
            "Flows that have run here, by name, with run counts",
            s.Page[s.FlowRead],
            query=s.FlowQuery,
        ),
        _get("/flows/{flow_id}", auto.get_flow, "One flow (by id or name)", s.FlowRead),
    ),
    *_tagged(
        "concurrency_limits",
        _get(
            "/concurrency_limits",
            auto.list_limits,
            "Concurrency limits by tag, with slots in use",
            list[s.ConcurrencyLimitRead],
        ),
        _create(
            "/concurrency_limits",
            auto.create_limit,
            "Limit the active runs carrying a tag",
            s.ConcurrencyLimitRead,
            s.ConcurrencyLimitCreate,
            (_L, "/tag"),
        ),
        _get(_L, auto.get_limit, "One tag's limit", s.ConcurrencyLimitRead),
        _patch(_L, auto.update_limit, "Change a tag's limit", s.ConcurrencyLimitRead, s.ConcurrencyLimitUpdate),
        _delete(_L, auto.delete_limit, "Remove a tag's limit"),
    ),
    *_tagged(
        "automations",
        _get("/automations", auto.list_automations, "Automations, with their latest firings", list[s.AutomationRead]),
        _create(
            "/automations",
            auto.create_automation,
            "On a deployment's run ending: call a webhook or run another deployment",
            s.AutomationRead,
            s.AutomationCreate,
            (_A, "/id"),
        ),
        _get(_A, auto.get_automation, "One automation (by id or name)", s.AutomationRead),
        _patch(_A, auto.update_automation, "Change an automation", s.AutomationRead, s.AutomationUpdate),
        _delete(_A, auto.delete_automation, "Delete an automation"),
    ),
    *_tagged(
        "work_queues",
        _get("/work_queues", res.list_queues, "All work queues", list[s.WorkQueueRead]),
        _create(
            "/work_queues", res.create_queue, "Create a work queue", s.WorkQueueRead, s.WorkQueueCreate, (_Q, "/name")
        ),
        _get(_Q, res.get_queue, "One work queue", s.WorkQueueRead),
        _patch(_Q, res.update_queue, "Pause, resume or limit a work queue", s.WorkQueueRead, s.WorkQueueUpdate),
        _delete(_Q, res.delete_queue, "Delete a work queue"),
    ),
    *_tagged(
        "workers",
        _get("/workers", res.list_workers, "Workers and when they were last seen", list[s.WorkerRead]),
        _post(
            "/workers/heartbeat",
            wa.worker_heartbeat,
            "A worker is alive, and so are its runs; answers which runs to stop",
            sw.WorkerBeatRead,
            sw.WorkerBeat,
        ),
        # what a remote worker (no database connection) does with the store
        _post(
            "/workers/claim",
            wa.claim_run,
            "Claim the oldest due run of some queues (null: none due)",
            sw.RunClaimed,
            sw.RunClaim,
        ),
        _post(
            "/workers/ops", wa.write_ops, "Write a batch of the engine's store operations", sw.OpsWritten, sw.OpsBatch
        ),
        _post(
            _R + "/set_state",
            wa.set_flow_run_state,
            "Move a flow run to a state (409: illegal)",
            s.StateRead,
            sw.StateWrite,
        ),
        _post(
            "/task_runs/{task_run_id}/set_state",
            wa.set_task_run_state,
            "Move a task run to a state (409: illegal)",
            s.StateRead,
            sw.TaskStateWrite,
        ),
        _post(
            _R + "/finish",
            wa.finish_attempt,
            "Record how a worker's attempt ended (or schedule a retry)",
            s.FlowRunRead,
            sw.AttemptFinish,
        ),
        _put(
            _R + "/notebook",
            wa.save_output_notebook,
            "Upload a run's executed notebook",
            status=204,
            body=sw.NotebookUpload,
        ),
    ),
    *_tagged(
        "notebooks",
        _get(
            "/notebooks/content",
            wa.notebook_content,
            "A notebook under the server root (nbformat JSON)",
            _JSON,
            query=s.NotebookPathQuery,
        ),
    ),
    *_tagged(
        "workers",
        _get(
            "/entrypoints/source",
            wa.flow_source,
            "A flow file (.py) under the server root, for remote workers",
            s.FlowSource,
            query=s.FlowSourceQuery,
        ),
    ),
    *_tagged(
        "events",
        _get("/events", res.list_events, "Events after a cursor, oldest first", s.EventPage, query=s.EventQuery),
        _get(
            "/events/stream",
            None,
            "WebSocket: every new event as a JSON text message, as it happens",
            query=s.EventQuery,
            websocket=True,
        ),
    ),
    *_tagged(
        "artifacts",
        _get(
            "/artifacts",
            list_artifacts,
            "Artifacts, newest first, by run, key or type",
            ArtifactPage,
            query=ArtifactQuery,
        ),
        _create(
            "/artifacts",
            create_artifact,
            "A new artifact (with a key already used: that key's latest version)",
            ArtifactRead,
            ArtifactCreate,
            ("/artifacts/{artifact_id}", "/id"),
        ),
        _get("/artifacts/latest/{key}", latest_artifact, "A key's latest version", ArtifactRead),
        _get("/artifacts/{artifact_id}", get_artifact, "One artifact", ArtifactRead),
        _patch(
            "/artifacts/{artifact_id}",
            update_artifact,
            "Change an artifact's data or description (a progress artifact moves)",
            ArtifactRead,
            ArtifactUpdate,
        ),
    ),
    # -- variables and blocks ----------------------------------------------------------------
    *_tagged(
        "variables",
        _get("/variables", var.list_variables, "Variables by name", list[sv.VariableRead], query=sv.VariableQuery),
        _create(
            "/variables",
            var.create_variable,
            "Create a variable (a named JSON value)",
            sv.VariableRead,
            sv.VariableCreate,
            ("/variables/{name}", "/name"),
        ),
        _get("/variables/{name}", var.get_variable, "One variable", sv.VariableRead),
        _patch("/variables/{name}", var.update_variable, "Change a variable", sv.VariableRead, sv.VariableUpdate),
        _delete("/variables/{name}", var.delete_variable, "Delete a variable"),
    ),
    *_tagged(
        "blocks",
        _get("/block_types", blk.list_block_types, "Registered block types", list[sv.BlockTypeRead]),
        _get("/blocks", blk.list_blocks, "Saved blocks, secrets hidden", list[sv.BlockRead], query=sv.BlockQuery),
        _post(
            "/blocks",
            blk.create_block,
            "Save a block (its data stored encrypted)",
            sv.BlockRead,
            sv.BlockCreate,
            status=201,
        ),
        _get(
            _B,
            blk.get_block,
            "One saved block (secrets only with include_secrets)",
            sv.BlockRead,
            query=sv.BlockReadQuery,
        ),
        _patch(_B, blk.update_block, "Replace a saved block's data", sv.BlockRead, sv.BlockUpdate),
        _delete(_B, blk.delete_block, "Delete a saved block"),
    ),
    *_tagged(
        "global_concurrency_limits",
        _get(
            "/global_concurrency_limits",
            gc.list_global_limits,
            "Global concurrency and rate limits, by name",
            list[sgc.GlobalLimitRead],
        ),
        _create(
            "/global_concurrency_limits",
            gc.create_global_limit,
            "Create a global concurrency limit (with slot_decay_per_second: a rate limit)",
            sgc.GlobalLimitRead,
            sgc.GlobalLimitCreate,
            (_G, "/name"),
        ),
        _get(_G, gc.get_global_limit, "One global concurrency limit", sgc.GlobalLimitRead),
        _patch(
            _G, gc.update_global_limit, "Change a global concurrency limit", sgc.GlobalLimitRead, sgc.GlobalLimitUpdate
        ),
        _delete(_G, gc.delete_global_limit, "Delete a global concurrency limit"),
        # what concurrency()/rate_limit() do over HTTP (remote workers)
        _post(
            "/global_concurrency_leases",
            gc.acquire_slots,
            "Take slots of limits, all or none (granted false: ask again after retry_after seconds)",
            sgc.LeaseGrant,
            sgc.LeaseRequest,
        ),
        _delete(_GL, gc.release_slots, "Hand a lease's slots back"),
        _post(
            _GL + "/renew",
            gc.renew_lease,
            "Hold a lease's slots longer (404: it expired)",
            status=204,
            body=sgc.LeaseRenew,
        ),
    ),
    *_tagged(
        "client",
        # Prefect's client: change a run, propose a state; background task runs (Task.delay).
        _patch(_R, rc.update_flow_run, "Rename, retag or re-parameterise a flow run", s.FlowRunRead, sc.FlowRunUpdate),
        _post(
            _R + "/state",
            rc.propose_flow_run_state,
            "Propose a state (ACCEPT or REJECT with the reason; force skips the rules)",
            sc.SetStateResult,
            sc.FlowRunStateSet,
        ),
        _create(
            "/background_task_runs",
            bg.create_background_task,
            "A background task run for a task worker (Task.delay)",
            sc.BackgroundTaskRead,
            sc.BackgroundTaskCreate,
            (_BG, "/id"),
        ),
        _post(
            "/background_task_runs/claim",
            bg.claim_background_task,
            "Take the oldest waiting run of these task keys (task workers)",
            sc.BackgroundTaskClaimed,
            sc.BackgroundTaskClaim,
        ),
        # after .../claim: tornado takes the first pattern that matches, and {task_run_id} would match 'claim'
        _get(_BG, bg.get_background_task, "One background task run, with its result once final", sc.BackgroundTaskRead),
        _post(
            _BG + "/finish",
            bg.finish_background_task,
            "Record how a claimed run ended, with its result (409 unless RUNNING)",
            sc.BackgroundTaskRead,
            sc.BackgroundTaskFinish,
        ),
    ),
    *_tagged(
        "assets",
        _get("/assets", assets_api.list_assets, "Assets by key, one page", sa.AssetPage, query=sa.AssetQuery),
        _get(
            "/assets/{asset_key}",
            assets_api.get_asset,
            "One asset (its key URL-encoded): materializations, upstream and downstream assets",
            sa.AssetDetail,
        ),
        _post(
            "/asset_materializations",
            assets_api.record_materialization,
            "Record a task run's materialization (remote workers)",
            status=204,
            body=sa.MaterializationReport,
        ),
        _post(
            "/events",
            assets_api.emit_event,
            "Emit an event (Prefect's shape); automations may react to it",
            sa.EmittedEventRead,
            sa.EventCreate,
            status=201,
        ),
    ),
    *_tagged(
        "pause",
        # A flow run waiting for a person: its own code pauses it; anyone reads the question and resumes it.
        _post(
            _R + "/pause",
            pauses.pause_flow_run,
            "Pause a RUNNING run (its own code asks)",
            s.FlowRunRead,
            sp.PauseRequest,
        ),
        _get(
            _R + "/input_schema",
            pauses.get_input_schema,
            "What a paused run asks for: the JSON schema of its input (404: not paused for input)",
            sp.InputSchemaRead,
        ),
        _post(
            _R + "/resume",
            pauses.resume_flow_run,
            "Resume a PAUSED run with input matching its schema (422 names the field; 409: not PAUSED)",
            s.FlowRunRead,
            sp.ResumeRequest,
        ),
        _get(
            _R + "/input",
            pauses.get_run_input,
            "The input a run was resumed with for one pause (its key)",
            sp.RunInputRead,
            query=sp.RunInputQuery,
        ),
    ),
    *_tagged(
        "work_pools",
        _get("/work_pools", wp.list_work_pools, "All work pools, with their queues", list[swp.WorkPoolRead]),
        _create(
            "/work_pools",
            wp.create_work_pool,
            "Create a work pool (with its own queue of the same name)",
            swp.WorkPoolRead,
            swp.WorkPoolCreate,
            (_WP, "/name"),
        ),
        _get(
            _WP, wp.get_work_pool, "One work pool: type, base job variables and their schema, queues", swp.WorkPoolRead
        ),
        _patch(
            _WP,
            wp.update_work_pool,
            "Change a pool's base job variables, pause or describe it",
            swp.WorkPoolRead,
            swp.WorkPoolUpdate,
        ),
        _delete(_WP, wp.delete_work_pool, "Delete a work pool (its queues go back to the default pool)"),
    ),
    *_tagged(
        "run_input",
        # Keyed JSON values sent to a flow run (send_input / receive_input), as Prefect keeps them.
        _post(
            _R + "/input",
            ri.create_run_input,
            "Send a flow run a keyed JSON value (409: the key is taken)",
            sri.RunInputValueRead,
            sri.RunInputCreate,
            status=201,
        ),
        _post(
            _R + "/input/filter",
            ri.filter_run_inputs,
            "A run's inputs whose key starts with a prefix, oldest first, leaving out given keys",
            list[sri.RunInputValueRead],
            sri.RunInputFilter,
        ),
        _get(_R + "/input/{key}", ri.read_run_input, "One input of a run, by key", sri.RunInputValueRead),
        _delete(_R + "/input/{key}", ri.delete_run_input, "Delete one input of a run"),
    ),
    *_tagged(
        "sweeps",
        # One deployment over many parameter sets, at most max_parallel members at once.
        _create(
            _D + "/sweeps",
            swp_api.create_sweep,
            "Run a deployment over a parameter grid or list of parameter sets (a sweep)",
            ssw.SweepRead,
            ssw.SweepCreate,
            ("/sweeps/{sweep_id}", "/id"),
        ),
        _get(
            "/sweeps", swp_api.list_sweeps, "Sweeps newest first, without members", ssw.SweepPage, query=ssw.SweepQuery
        ),
        _get("/sweeps/{sweep_id}", swp_api.get_sweep, "One sweep with its members and their outputs", ssw.SweepRead),
        _get(
            "/sweeps/{sweep_id}/table",
            swp_api.sweep_table,
            "A sweep as one table: parameters, state, duration, recorded outputs (JSON or CSV)",
            ssw.SweepTable,
            query=ssw.SweepTableQuery,
            text_media="text/csv",
        ),
        _post(
            "/sweeps/{sweep_id}/retry",
            swp_api.retry_sweep,
            "Rerun only the failed, crashed or cancelled members (409 while the sweep runs)",
            ssw.SweepRead,
        ),
        _post("/sweeps/{sweep_id}/cancel", swp_api.cancel_sweep, "Cancel every member not final", ssw.SweepRead),
    ),
    *_tagged(
        "run_views",
        # Compare two runs; a run's executed notebook as an HTML page (no script runs in it).
        _get(
            _R + "/diff",
            run_diff.run_diff,
            "What changed since another run (default: the deployment's previous COMPLETED run)",
            srd.RunDiffRead,
            query=srd.RunDiffQuery,
        ),
        _get(
            _R + "/report",
            run_report.run_report,
            "The executed notebook as an HTML page (no_input: without the code)",
            str,
            query=srd.ReportQuery,
            media_type="text/html; charset=utf-8",
        ),
    ),
]
