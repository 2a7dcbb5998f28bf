"""The public face: exactly the names docs/architecture.md lists, cheap to import, no side effects."""

from __future__ import annotations

import subprocess
import sys

import orchestr_lab

PUBLIC = [
    "deploy",
    "flow",
    "get_client",
    "get_run_logger",
    "record",
    "runtime",
    "serve",
    "sweep",
    "tags",
    "task",
    "unmapped",
]


def test_all_is_exactly_the_public_names_sorted() -> None:
    assert orchestr_lab.__all__ == sorted(orchestr_lab.__all__)
    assert orchestr_lab.__all__ == PUBLIC
    for name in PUBLIC:
        assert hasattr(orchestr_lab, name)


def test_prefect_style_import_paths() -> None:
    from orchestr_lab.cache_policies import INPUTS, NONE, TASK_SOURCE  # noqa: F401
    from orchestr_lab.exceptions import OrchestrLabError, ParameterBindError
    from orchestr_lab.futures import as_completed, wait  # noqa: F401
    from orchestr_lab.runtime import deployment, flow_run, task_run  # noqa: F401
    from orchestr_lab.schedules import Cron, Interval  # noqa: F401
    from orchestr_lab.states import Completed, Failed, State, StateType  # noqa: F401
    from orchestr_lab.task_runners import ThreadPoolTaskRunner  # noqa: F401
    from orchestr_lab.tasks import exponential_backoff  # noqa: F401

    assert issubclass(ParameterBindError, (OrchestrLabError, TypeError))


def test_prefect_module_paths_of_the_flow_and_task_api() -> None:
    import orchestr_lab.runtime.deployment
    import orchestr_lab.runtime.flow_run
    import orchestr_lab.runtime.task_run
    from orchestr_lab.context import FlowRunContext, TaskRunContext, get_run_context, tags  # noqa: F401
    from orchestr_lab.logging import disable_run_logger, get_logger, get_run_logger  # noqa: F401
    from orchestr_lab.states import State
    from orchestr_lab.task_runners import ProcessPoolTaskRunner  # noqa: F401
    from orchestr_lab.testing.utilities import prefect_test_harness  # noqa: F401
    from orchestr_lab.utilities.annotations import allow_failure, quote, unmapped

    assert unmapped is orchestr_lab.unmapped
    assert allow_failure(1).unwrap() == 1 and quote([1]).unwrap() == [1]
    assert State[int].__origin__ is State
    assert orchestr_lab.runtime.flow_run.id is None  # outside a run
    assert orchestr_lab.runtime.task_run.tags == []
    assert "id" in dir(orchestr_lab.runtime.deployment)


def test_import_is_light_and_has_no_side_effects(tmp_path) -> None:
    code = (
        "import sys, threading, time\n"
        "t = time.perf_counter()\n"
        "import orchestr_lab\n"
        "print(time.perf_counter() - t)\n"
        "heavy = [m for m in ('jupyter_server', 'papermill', 'sqlalchemy', 'pydantic', 'nbclient')\n"
        "         if m in sys.modules]\n"
        "print(heavy)\n"
        "print(threading.active_count())\n"
    )
    env = {"ORCHESTR_LAB_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    seconds, heavy, threads = out.stdout.split("\n")[:3]
    assert heavy == "[]"
    assert threads == "1"
    assert not (tmp_path / "home").exists()  # no database created at import
    float(seconds)  # the time itself is measured in bench/, not asserted here
