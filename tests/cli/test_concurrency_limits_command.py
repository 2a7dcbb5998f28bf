"""``orchestr-lab concurrency-limits``: create, list, inspect, change and remove global limits."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli


def test_concurrency_limits_lifecycle(home: Path) -> None:
    made = run_cli(home, "concurrency-limits", "create", "gpu", "--limit", "2", "--json", check=True)
    assert json.loads(made.stdout)["limit"] == 2
    run_cli(home, "concurrency-limits", "create", "api", "--limit", "5", "--slot-decay-per-second", "0.5", check=True)
    listed = run_cli(home, "concurrency-limits", "ls", check=True).stdout.splitlines()
    assert listed == ["api\t0/5\tactive\t0.5/s", "gpu\t0/2\tactive\t-"]
    changed = run_cli(home, "concurrency-limits", "update", "gpu", "--limit", "4", "--disable", check=True)
    assert "limit: 4" in changed.stdout and "active: False" in changed.stdout
    shown = json.loads(run_cli(home, "concurrency-limits", "inspect", "gpu", "--json", check=True).stdout)
    assert (shown["limit"], shown["active"], shown["active_slots"]) == (4, False, 0)
    enabled = json.loads(run_cli(home, "concurrency-limits", "enable", "gpu", "--json", check=True).stdout)
    assert enabled["active"] is True
    assert "active: False" in run_cli(home, "concurrency-limits", "disable", "gpu", check=True).stdout
    again = run_cli(home, "concurrency-limits", "create", "gpu", "--limit", "1")
    assert again.returncode == 1 and "already exists" in again.stderr
    run_cli(home, "concurrency-limits", "rm", "gpu", check=True)
    missing = run_cli(home, "concurrency-limits", "inspect", "gpu")
    assert missing.returncode == 1 and "No global concurrency limit named 'gpu'" in missing.stderr
    bad = run_cli(home, "concurrency-limits", "create", "a/b", "--limit", "1")
    assert bad.returncode == 1 and "name" in bad.stderr
