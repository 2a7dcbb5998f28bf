"""The route table: ONE list that registers the handlers and builds the OpenAPI document.

Each :class:`Route` names its method, path (OpenAPI style, relative to ``/orchestr-lab/api``),
the pydantic models of its body, query and answer, and the action that serves it (a function of
``orchestr_lab.actions``). Handlers are generated from this list, and so is ``openapi.json``, so
the two cannot disagree.
"""

from __future__ import annotations

from typing import Any

from ..actions import automations as auto
from ..actions import deployments as dep
from ..actions import resources as res
from ..actions import runs
from ..actions import worker_api as wa
from ..core import schemas as s
from ..core import schemas_workers as sw
from .openapi import openapi_document
from .route import API_PREFIX, Route, url_pattern

__all__ = ["API_PREFIX", "ROUTES", "Route", "url_pattern"]

_JSON = dict[str, Any]


def _openapi(ctx: Any) -> _JSON:
    return openapi_document(tuple(ROUTES), base_url=ctx.base_url)


_D = "/deployments/{deployment_id}"
_R = "/flow_runs/{flow_run_id}"
_Q = "/work_queues/{name}"
_L = "/concurrency_limits/{tag}"
_A = "/automations/{automation_id}"

ROUTES: list[Route] = [
    Route("GET", "/health", res.health, "Is the extension up; its version and services", s.HealthRead, tag="server"),
    Route("GET", "/openapi.json", _openapi, "This document", _JSON, tag="server"),
    Route(
        "GET",
        "/notebooks/parameters",
        res.notebook_parameters,
        "The parameters cell of a notebook under the server root",
        s.NotebookParameters,
        query=s.NotebookPathQuery,
        tag="notebooks",
    ),
    # deployments
    Route(
        "GET",
        "/deployments",
        dep.list_deployments,
        "All deployments, with their next runs",
        list[s.DeploymentRead],
        tag="deployments",
    ),
    Route(
        "POST",
        "/deployments",
        dep.create_deployment,
        "Create a deployment (409 if the name is taken)",
        s.DeploymentRead,
        body=s.DeploymentCreate,
        status=201,
        tag="deployments",
        links=((_D, "/id"),),
    ),
    Route("GET", _D, dep.get_deployment, "One deployment (by id or name)", s.DeploymentRead, tag="deployments"),
    Route(
        "PATCH",
        _D,
        dep.update_deployment,
        "Change some fields of a deployment",
        s.DeploymentRead,
        body=s.DeploymentUpdate,
        tag="deployments",
    ),
    Route(
        "DELETE", _D, dep.delete_deployment, "Delete a deployment and its scheduled runs", status=204, tag="deployments"
    ),
    Route("POST", _D + "/pause", dep.pause_deployment, "Stop scheduling runs", s.DeploymentRead, tag="deployments"),
    Route("POST", _D + "/resume", dep.resume_deployment, "Schedule runs again", s.DeploymentRead, tag="deployments"),
    Route(
        "POST",
        _D + "/runs",
        dep.run_deployment,
        "Run now, with parameter overrides",
        s.FlowRunRead,
        body=s.FlowRunCreate,
        status=201,
        tag="deployments",
        links=((_R, "/id"),),
    ),
    Route(
        "GET",
        _D + "/next_runs",
        dep.next_runs,
        "The next fire times of the deployment's schedules",
        s.NextRunsRead,
        query=s.NextRunsQuery,
        tag="deployments",
    ),
    Route(
        "POST",
        "/schedules/preview",
        dep.preview_schedule,
        "Fire times of an unsaved schedule",
        s.NextRunsRead,
        body=s.SchedulePreview,
        tag="deployments",
    ),
    # flow runs
    Route(
        "GET",
        "/flow_runs",
        runs.list_flow_runs,
        "Flow runs, newest first, filtered and paged",
        s.Page[s.FlowRunRead],
        query=s.FlowRunQuery,
        tag="flow_runs",
    ),
    Route("GET", _R, runs.get_flow_run, "One flow run", s.FlowRunRead, tag="flow_runs"),
    Route(
        "DELETE", _R, runs.delete_flow_run, "Delete a flow run and everything it recorded", status=204, tag="flow_runs"
    ),
    Route(
        "POST",
        _R + "/cancel",
        runs.cancel_flow_run,
        "Cancel a run (a running one is stopped)",
        s.FlowRunRead,
        tag="flow_runs",
    ),
    Route(
        "POST",
        _R + "/retry",
        runs.retry_flow_run,
        "Run a failed, crashed or cancelled run again (a failed notebook run: from its failing cell, if asked)",
        s.FlowRunRead,
        body=s.RetryRequest,
        tag="flow_runs",
        links=((_R, "/id"),),
    ),
    Route(
        "GET",
        _R + "/task_runs",
        runs.list_task_runs,
        "The run's task runs (a notebook's cells)",
        list[s.TaskRunRead],
        tag="flow_runs",
    ),
    Route(
        "GET",
        _R + "/logs",
        runs.list_logs,
        "The run's log lines, oldest first",
        list[s.LogRead],
        query=s.LogQuery,
        tag="flow_runs",
    ),
    Route(
        "GET",
        _R + "/recorded",
        runs.list_recorded,
        "Outputs recorded with record()",
        list[s.RecordedRead],
        tag="flow_runs",
    ),
    Route(
        "GET", _R + "/notebook", runs.output_notebook, "The executed notebook (nbformat JSON)", _JSON, tag="flow_runs"
    ),
    Route(
        "GET",
        "/task_runs/{task_run_id}",
        runs.get_task_run,
        "One task run (the caller of a subflow run)",
        s.TaskRunRead,
        tag="flow_runs",
    ),
    # flows
    Route(
        "GET",
        "/flows",
        auto.list_flows,
        "Flows that have run here, by name, with run counts",
        s.Page[s.FlowRead],
        query=s.FlowQuery,
        tag="flows",
    ),
    Route("GET", "/flows/{flow_id}", auto.get_flow, "One flow (by id or name)", s.FlowRead, tag="flows"),
    # concurrency limits by tag
    Route(
        "GET",
        "/concurrency_limits",
        auto.list_limits,
        "Concurrency limits by tag, with slots in use",
        list[s.ConcurrencyLimitRead],
        tag="concurrency_limits",
    ),
    Route(
        "POST",
        "/concurrency_limits",
        auto.create_limit,
        "Limit the active runs carrying a tag",
        s.ConcurrencyLimitRead,
        body=s.ConcurrencyLimitCreate,
        status=201,
        tag="concurrency_limits",
        links=((_L, "/tag"),),
    ),
    Route("GET", _L, auto.get_limit, "One tag's limit", s.ConcurrencyLimitRead, tag="concurrency_limits"),
    Route(
        "PATCH",
        _L,
        auto.update_limit,
        "Change a tag's limit",
        s.ConcurrencyLimitRead,
        body=s.ConcurrencyLimitUpdate,
        tag="concurrency_limits",
    ),
    Route("DELETE", _L, auto.delete_limit, "Remove a tag's limit", status=204, tag="concurrency_limits"),
    # automations
    Route(
        "GET",
        "/automations",
        auto.list_automations,
        "Automations, with their latest firings",
        list[s.AutomationRead],
        tag="automations",
    ),
    Route(
        "POST",
        "/automations",
        auto.create_automation,
        "On a deployment's run ending: call a webhook or run another deployment",
        s.AutomationRead,
        body=s.AutomationCreate,
        status=201,
        tag="automations",
        links=((_A, "/id"),),
    ),
    Route("GET", _A, auto.get_automation, "One automation (by id or name)", s.AutomationRead, tag="automations"),
    Route(
        "PATCH",
        _A,
        auto.update_automation,
        "Change an automation",
        s.AutomationRead,
        body=s.AutomationUpdate,
        tag="automations",
    ),
    Route("DELETE", _A, auto.delete_automation, "Delete an automation", status=204, tag="automations"),
    # work queues, workers, events
    Route("GET", "/work_queues", res.list_queues, "All work queues", list[s.WorkQueueRead], tag="work_queues"),
    Route(
        "POST",
        "/work_queues",
        res.create_queue,
        "Create a work queue",
        s.WorkQueueRead,
        body=s.WorkQueueCreate,
        status=201,
        tag="work_queues",
        links=((_Q, "/name"),),
    ),
    Route("GET", _Q, res.get_queue, "One work queue", s.WorkQueueRead, tag="work_queues"),
    Route(
        "PATCH",
        _Q,
        res.update_queue,
        "Pause, resume or limit a work queue",
        s.WorkQueueRead,
        body=s.WorkQueueUpdate,
        tag="work_queues",
    ),
    Route("DELETE", _Q, res.delete_queue, "Delete a work queue", status=204, tag="work_queues"),
    Route(
        "GET", "/workers", res.list_workers, "Workers and when they were last seen", list[s.WorkerRead], tag="workers"
    ),
    Route(
        "POST",
        "/workers/heartbeat",
        wa.worker_heartbeat,
        "A worker is alive, and so are its runs; answers which runs to stop",
        sw.WorkerBeatRead,
        body=sw.WorkerBeat,
        tag="workers",
    ),
    # what a remote worker (no database connection) does with the store
    Route(
        "POST",
        "/workers/claim",
        wa.claim_run,
        "Claim the oldest due run of some queues (null: none due)",
        sw.RunClaimed,
        body=sw.RunClaim,
        tag="workers",
    ),
    Route(
        "POST",
        "/workers/ops",
        wa.write_ops,
        "Write a batch of the engine's store operations",
        sw.OpsWritten,
        body=sw.OpsBatch,
        tag="workers",
    ),
    Route(
        "POST",
        _R + "/set_state",
        wa.set_flow_run_state,
        "Move a flow run to a state (409: illegal)",
        s.StateRead,
        body=sw.StateWrite,
        tag="workers",
    ),
    Route(
        "POST",
        "/task_runs/{task_run_id}/set_state",
        wa.set_task_run_state,
        "Move a task run to a state (409: illegal)",
        s.StateRead,
        body=sw.TaskStateWrite,
        tag="workers",
    ),
    Route(
        "POST",
        _R + "/finish",
        wa.finish_attempt,
        "Record how a worker's attempt ended (or schedule a retry)",
        s.FlowRunRead,
        body=sw.AttemptFinish,
        tag="workers",
    ),
    Route(
        "PUT",
        _R + "/notebook",
        wa.save_output_notebook,
        "Upload a run's executed notebook",
        status=204,
        body=sw.NotebookUpload,
        tag="workers",
    ),
    Route(
        "GET",
        "/notebooks/content",
        wa.notebook_content,
        "A notebook under the server root (nbformat JSON)",
        _JSON,
        query=s.NotebookPathQuery,
        tag="notebooks",
    ),
    Route(
        "GET",
        "/entrypoints/source",
        wa.flow_source,
        "A flow file (.py) under the server root, for remote workers",
        s.FlowSource,
        query=s.FlowSourceQuery,
        tag="workers",
    ),
    Route(
        "GET",
        "/events",
        res.list_events,
        "Events after a cursor, oldest first",
        s.EventPage,
        query=s.EventQuery,
        tag="events",
    ),
    Route(
        "GET",
        "/events/stream",
        None,
        "WebSocket: every new event as a JSON text message, as it happens",
        query=s.EventQuery,
        tag="events",
        websocket=True,
    ),
]
