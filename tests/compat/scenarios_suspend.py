"""Parity scenarios for ``suspend_flow_run`` where no worker could run the flow again: a flow
run of no deployment, a task, code outside any run, and a negative timeout are all refused."""

import importlib

from scenarios import raises, scenario


def _refused(L, words, timeout=60):
    """Call ``suspend_flow_run(timeout=...)``: the builtin classes its refusal is, and whether the
    message says ``words``."""
    suspend = importlib.import_module(f"{L.name}.flow_runs").suspend_flow_run
    raised = raises(lambda: suspend(timeout=timeout))["raised"]
    return {"isa": raised["exc_isa"], "says_why": words in raised["_info"]["msg"]}


@scenario
def suspend_a_flow_run_of_no_deployment_is_refused(L):
    @L.flow
    def interactive():
        return _refused(L, "without a deployment")

    return interactive()


@scenario
def suspend_from_a_task_or_outside_a_run_is_refused(L):
    @L.task
    def step():
        return _refused(L, "task runs")

    @L.flow
    def pipeline():
        return step()

    return {
        "in_a_task": pipeline(),
        "outside": _refused(L, "within a flow run"),
        "negative_timeout": _refused(L, "non-negative", timeout=-1),
    }
