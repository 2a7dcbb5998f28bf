"""orchestr_lab must observe what Prefect 3.9.1 observes, scenario by scenario.

The reference observations (``prefect_3_9_1.json``) were made by running ``run_scenarios.py``
under Prefect 3.9.1 (see bench/setup_prefect.sh). This test runs the same scenarios under
orchestr_lab in a subprocess (fresh ORCHESTR_LAB_HOME) and compares, one case per scenario.

Comparison rules (see scenarios.py): keys named ``_info`` are never compared (shown on failure);
keys ending in ``_isa`` are lists of builtin exception classes where the reference must be a
subset of ours; numbers compare by value; everything else must be equal. Deliberate, argued
deviations go in KNOWN_DEVIATIONS (strict xfail).

To refresh the reference after changing scenarios.py:
    ORCHESTR_COMPAT_LIB=prefect bench/.venv-prefect/bin/python tests/compat/run_scenarios.py \
        --out tests/compat/prefect_3_9_1.json
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
REFERENCE = HERE / "prefect_3_9_1.json"  # plus one prefect_3_9_1_<topic>.json per scenarios_<topic>.py
RUNNER = HERE / "run_scenarios.py"
MARK = "SCENARIO "

REFERENCE_OBS: dict = {}
for _path in sorted(HERE.glob("prefect_3_9_1*.json")):
    REFERENCE_OBS.update(json.loads(_path.read_text()))

# Scenarios where orchestr_lab deliberately does better than Prefect, name -> why. Each is
# expected to differ (xfail, strict: a scenario that starts to match must leave this list).
# Add an entry only with a reason a Prefect user would accept, e.g. a footgun removed.
KNOWN_DEVIATIONS: dict[str, str] = {
    # Where Prefect 3.9.1 silently does something a notebook user would not want, we differ on purpose.
    "async_flow_return_state": (
        "State.result() is synchronous everywhere; Prefect hands back an awaitable inside a running loop"
    ),
    "sync_flow_calls_async_task": (
        "an async task called from a sync flow runs to completion; Prefect returns a coroutine that never runs"
    ),
    "failed_upstream_future_to_downstream": (
        "calling a task directly with a failed future raises UnfinishedRun; Prefect silently returns None"
    ),
    "task_submit_and_map_outside_flow": (
        ".submit()/.map() outside a flow run on a default thread pool; Prefect raises RuntimeError"
    ),
    "unpicklable_result_persisted": (
        "issue #2: an unpersistable result fails the task naming it; Prefect only logs a warning"
    ),
    "default_run_names": (
        "task runs are numbered per flow run (add-0, add-1) so the widget and sidebar list them in order; "
        "Prefect uses 3 random hex digits"
    ),
    "flow_returns_future": (
        "a flow returning a completed future returns its value (like .result()); Prefect returns the State object"
    ),
    "task_returns_state": "a task returning Completed(data=x) returns x; Prefect returns the State object",
    "flow_returns_failed_state": (
        "Failed(...).result(raise_on_failure=False) gives the error, also when a flow returned it; Prefect "
        "gives None there"
    ),
    "pause_timeout_says_why": (
        "a pause nobody answers fails the run with the flow's own FlowPauseTimeout (its message, and "
        "State.result() raises it); Prefect's server replaces it with 'The flow was failed and never resumed.' "
        "and result() raises a bare FailedRun"
    ),
    "cancelling_a_paused_run": (
        "cancelling a paused run stops its wait and ends it CANCELLED; Prefect's flow waits out the pause's "
        "timeout and the run stays CANCELLING"
    ),
}


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


@pytest.fixture(scope="module")
def observed() -> dict:
    """All scenarios run once under orchestr_lab; name -> observation (partial if it died)."""
    with tempfile.TemporaryDirectory(prefix="compat-orchestr-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
        env.update(
            ORCHESTR_COMPAT_LIB="orchestr_lab",
            ORCHESTR_LAB_HOME=home,
            ORCHESTR_LAB_SHOW_WIDGETS="0",
            PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
        )
        try:
            proc = subprocess.run(
                [_python(), str(RUNNER), "--keep-home"],
                env=env,
                cwd=str(ROOT),
                capture_output=True,
                text=True,
                timeout=900,
            )
            stdout, stderr, code = proc.stdout, proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as e:
            stdout = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            stderr = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
            code = "timeout"
    results: dict = {}
    for line in stderr.splitlines():
        if line.startswith(MARK):
            item = json.loads(line[len(MARK) :])
            results[item["name"]] = item["obs"]
    if code == 0 and stdout.strip():
        results.update(json.loads(stdout))
    results["__runner__"] = {
        "exit": code,
        "stderr_tail": "\n".join(line for line in stderr.splitlines() if not line.startswith(MARK))[-4000:],
    }
    return results


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def compare(ref, got, path="$"):
    """Differences between the reference and the observation, as readable lines."""
    diffs: list[str] = []
    if isinstance(ref, dict) and isinstance(got, dict):
        for k in sorted(set(ref) | set(got)):
            if k == "_info":
                continue
            p = f"{path}.{k}"
            if k not in got:
                diffs.append(f"{p}: missing (Prefect: {json.dumps(ref[k])})")
            elif k not in ref:
                diffs.append(f"{p}: unexpected {json.dumps(got[k])} (Prefect has no such key)")
            elif k.endswith("_isa"):
                missing = sorted(set(ref[k]) - set(got[k] or []))
                if missing:
                    diffs.append(f"{p}: must also be an instance of {missing} (Prefect's is {ref[k]}, ours {got[k]})")
            else:
                diffs.extend(compare(ref[k], got[k], p))
    elif isinstance(ref, list) and isinstance(got, list):
        if len(ref) != len(got):
            diffs.append(
                f"{path}: Prefect {json.dumps(ref)} != ours {json.dumps(got)} (length {len(ref)} vs {len(got)})"
            )
        else:
            for i, (r, g) in enumerate(zip(ref, got, strict=True)):
                diffs.extend(compare(r, g, f"{path}[{i}]"))
    elif _is_number(ref) and _is_number(got):
        if ref != got:
            diffs.append(f"{path}: Prefect {json.dumps(ref)} != ours {json.dumps(got)}")
    elif ref != got or type(ref) is not type(got):
        diffs.append(f"{path}: Prefect {json.dumps(ref)} != ours {json.dumps(got)}")
    return diffs


def _infos(obj, path="$"):
    """Every _info block, for context in a failure message."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "_info":
                out.append(f"{path}._info = {json.dumps(v)[:600]}")
            else:
                out.extend(_infos(v, f"{path}.{k}"))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.extend(_infos(v, f"{path}[{i}]"))
    return out


def _cases():
    for name in sorted(REFERENCE_OBS):
        if name in KNOWN_DEVIATIONS:
            yield pytest.param(name, marks=pytest.mark.xfail(reason=KNOWN_DEVIATIONS[name], strict=True))
        else:
            yield name


@pytest.mark.parametrize("name", list(_cases()))
def test_scenario_matches_prefect(name, observed):
    ref = REFERENCE_OBS[name]
    if name not in observed:
        runner = observed["__runner__"]
        pytest.fail(
            f"scenario {name!r} produced no observation under orchestr_lab "
            f"(runner exit {runner['exit']}); runner stderr:\n{runner['stderr_tail']}"
        )
    got = observed[name]
    if isinstance(got, dict) and "scenario_error" in got and not (isinstance(ref, dict) and "scenario_error" in ref):
        tb = got.get("_info", {}).get("traceback", "")
        pytest.fail(f"scenario {name!r} crashed under orchestr_lab: {got['scenario_error']}\n{tb}")
    diffs = compare(ref, got)
    if diffs:
        msg = [f"scenario {name!r} differs from Prefect 3.9.1:", *("  " + d for d in diffs)]
        msg += ["", "Prefect's observation:", json.dumps(ref, indent=1, sort_keys=True)]
        msg += ["", "orchestr_lab's observation:", json.dumps(got, indent=1, sort_keys=True)]
        infos = _infos(ref)
        if infos:
            msg += ["", "Prefect _info (not compared):", *infos]
        pytest.fail("\n".join(msg), pytrace=False)


def test_every_scenario_has_a_reference():
    """A scenario added to scenarios.py must be run under Prefect before it counts."""
    sys.path.insert(0, str(HERE))
    try:
        import scenarios

        topics = scenarios.load_topics()
    finally:
        sys.path.remove(str(HERE))
    missing = {t: sorted(set(names) - set(REFERENCE_OBS)) for t, names in topics.items()}
    missing = {t: names for t, names in missing.items() if names}
    assert not missing, f"no Prefect reference for {missing}: record them under Prefect (see run_scenarios.py)"
