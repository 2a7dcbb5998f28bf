"""Parity scenarios for ``suspend_flow_run`` where no worker could run the flow again: a flow
run of no deployment, a task, code outside any run, and a negative timeout are all refused."""

import importlib

from scenarios import raises, scenario


def _suspend(L):
    return importlib.import_module(f"{L.name}.flow_runs").suspend_flow_run


def _refusal(outcome, words):
    """What a refusal looks like: the builtin classes it is, and whether it says ``words``."""
    raised = outcome["raised"]
    return {"isa": raised["exc_isa"], "says_why": words in raised["_info"]["msg"]}


@scenario
def suspend_a_flow_run_of_no_deployment_is_refused(L):
    suspend = _suspend(L)

    @L.flow
    def interactive():
        return _refusal(raises(lambda: suspend(timeout=60)), "without a deployment")

    return interactive()


@scenario
def suspend_from_a_task_or_outside_a_run_is_refused(L):
    suspend = _suspend(L)

    @L.task
    def step():
        return _refusal(raises(lambda: suspend(timeout=60)), "task runs")

    @L.flow
    def pipeline():
        return step()

    return {
        "in_a_task": pipeline(),
        "outside": _refusal(raises(lambda: suspend(timeout=60)), "within a flow run"),
        "negative_timeout": _refusal(raises(lambda: suspend(timeout=-1)), "non-negative"),
    }
