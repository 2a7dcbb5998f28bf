"""Run every parity scenario under one library and print a JSON dict name -> observation.

    ORCHESTR_COMPAT_LIB=prefect bench/.venv-prefect/bin/python tests/compat/run_scenarios.py \
        --out tests/compat/prefect_3_9_1.json
    ORCHESTR_COMPAT_LIB=orchestr_lab .venv/bin/python tests/compat/run_scenarios.py [--only NAME ...]

Scenarios live in ``scenarios.py`` (flows and tasks) and in one ``scenarios_<topic>.py`` per further
topic (artifacts, variables, ...), each with its own reference ``prefect_3_9_1_<topic>.json``, so
topics are recorded separately:

    ORCHESTR_COMPAT_LIB=prefect bench/.venv-prefect/bin/python tests/compat/run_scenarios.py \
        --topic artifacts --out tests/compat/prefect_3_9_1_artifacts.json

Unless ``--keep-home`` is given, the library gets a fresh home directory (PREFECT_HOME /
ORCHESTR_LAB_HOME) for this process, so no cache record or result of an earlier run is seen.
Each scenario's observation is also written to stderr as one ``SCENARIO {json}`` line as soon
as it is made, so a caller can keep the others when one scenario hangs or kills the process.
A scenario that raises is recorded as ``{"scenario_error": {...}}``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import traceback
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
MARK = "SCENARIO "


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_HEX_ID = re.compile(r"\b[0-9a-f]{32}\b")
_ADDR = re.compile(r" at 0x[0-9a-f]+")


def scrub(obj):
    """Ids and addresses out of every string (messages may quote a run id), for determinism."""
    if isinstance(obj, str):
        return _ADDR.sub(" at 0x…", _HEX_ID.sub("<id>", _UUID.sub("<uuid>", obj)))
    if isinstance(obj, list):
        return [scrub(x) for x in obj]
    if isinstance(obj, dict):
        return {k: scrub(v) for k, v in obj.items()}
    return obj


def fresh_home(lib: str) -> str:
    home = tempfile.mkdtemp(prefix=f"compat-{lib}-")
    if lib == "prefect":
        os.environ["PREFECT_HOME"] = home
        os.environ.pop("PREFECT_API_URL", None)
        os.environ.setdefault("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", "true")
        os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
        os.environ.setdefault("DO_NOT_TRACK", "1")
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    else:
        os.environ["ORCHESTR_LAB_HOME"] = home
        os.environ.pop("ORCHESTR_LAB_DB_URL", None)
        os.environ.pop("ORCHESTR_LAB_RESULTS_DIR", None)
        os.environ.setdefault("ORCHESTR_LAB_SHOW_WIDGETS", "0")
        os.environ.setdefault("ORCHESTR_LAB_LOGGING_LEVEL", "WARNING")
    return home


def run_one(fn, L, timeout: float):
    """Run one scenario in the main thread, with a watchdog that reports a hang and exits."""
    box: dict = {}

    def target():
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                box["obs"] = fn(L)
            # ResourceWarnings (unclosed sockets of an engine's API client) are noise here
            box["warnings"] = sorted(
                {
                    f"{w.category.__name__}: {str(w.message)[:200]}"
                    for w in caught
                    if not issubclass(w.category, ResourceWarning)
                }
            )
        except BaseException as e:  # noqa: BLE001 - reported as the observation
            box["obs"] = {
                "scenario_error": {"type": type(e).__name__, "msg": str(e)[:500]},
                "_info": {"traceback": traceback.format_exc()[-3000:]},
            }

    # Scenarios run in the main thread: engines that rely on signals (timeouts) or that behave
    # differently off the main thread must be observed as a user's script would see them.
    # The timeout is enforced with a watchdog that only reports; it cannot stop the scenario.
    done = threading.Event()

    def watchdog():
        if not done.wait(timeout):
            hang = {"type": "Hang", "msg": f"no answer after {timeout:.0f} s"}
            sys.stderr.write(f"{MARK}{json.dumps({'name': fn.__name__, 'obs': {'scenario_error': hang}})}\n")
            sys.stderr.flush()
            import atexit

            atexit._run_exitfuncs()  # e.g. Prefect's temporary server must not outlive us
            os._exit(4)

    threading.Thread(target=watchdog, daemon=True).start()
    target()
    done.set()
    return box


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="+", help="run only these scenarios")
    ap.add_argument("--topic", help="run only the scenarios of scenarios_<TOPIC>.py ('core': scenarios.py)")
    ap.add_argument("--out", type=Path, help="also write the JSON here")
    ap.add_argument("--keep-home", action="store_true", help="do not make a fresh library home")
    ap.add_argument("--timeout", type=float, default=120, help="per scenario, seconds")
    ap.add_argument("--list", action="store_true", help="list the scenario names and exit")
    a = ap.parse_args(argv)

    sys.path.insert(0, str(HERE))
    lib = os.environ.get("ORCHESTR_COMPAT_LIB", "prefect")
    home = None if a.keep_home else fresh_home(lib)
    try:
        import scenarios

        topics = scenarios.load_topics()
        if a.list:
            print("\n".join(scenarios.SCENARIOS))
            return 0
        L = scenarios.load_library(lib)
        if a.topic and a.topic not in topics:
            ap.error(f"unknown topic {a.topic!r}; known: {sorted(topics)}")
        names = a.only or (topics[a.topic] if a.topic else list(scenarios.SCENARIOS))
        unknown = [n for n in names if n not in scenarios.SCENARIOS]
        if unknown:
            ap.error(f"unknown scenarios: {unknown}")
        results: dict = {}
        for name in names:
            box = run_one(scenarios.SCENARIOS[name], L, a.timeout)
            obs = box["obs"]
            if box.get("warnings"):
                if not isinstance(obs, dict):
                    obs = {"value": obs}
                obs = {**obs, "_info": {**obs.get("_info", {}), "warnings": box["warnings"]}}
            # round-trip through JSON now, so an unserialisable observation fails here, by name
            try:
                obs = scrub(json.loads(json.dumps(obs)))
            except (TypeError, ValueError) as e:
                obs = {"scenario_error": {"type": "NotJSON", "msg": str(e)}}
            results[name] = obs
            sys.stderr.write(f"{MARK}{json.dumps({'name': name, 'obs': obs})}\n")
            sys.stderr.flush()
        text = json.dumps(results, indent=2, sort_keys=True)
        if a.out:
            a.out.write_text(text + "\n")
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        return 0
    finally:
        if home:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
