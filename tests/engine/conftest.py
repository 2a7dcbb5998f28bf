"""Helpers to read back what the engine stored, as a user of the API would see it."""

from __future__ import annotations

from typing import Any

import pytest


class StoreView:
    """Reads runs from the session's store by id (the engine flushed before returning)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def flow_run(self, run_id: str) -> dict[str, Any]:
        from orchestr_lab.store.run_reads import get_flow_run

        run = get_flow_run(self.engine, run_id)
        assert run is not None, f"flow run {run_id} is not in the store"
        return run

    def task_runs(self, flow_run_id: str) -> list[dict[str, Any]]:
        from orchestr_lab.store.run_reads import list_task_runs

        return list_task_runs(self.engine, flow_run_id)

    def task_run(self, task_run_id: str) -> dict[str, Any]:
        from orchestr_lab.store.run_reads import get_task_run

        run = get_task_run(self.engine, task_run_id)
        assert run is not None
        return run

    def history(self, kind: str, run_id: str) -> list[str]:
        from orchestr_lab.store.run_reads import state_history

        return [s["name"] for s in state_history(self.engine, kind, run_id)]

    def logs(self, flow_run_id: str) -> list[str]:
        from orchestr_lab.store.run_logs import get_logs

        return [line["message"] for line in get_logs(self.engine, flow_run_id)]


@pytest.fixture
def store(store_engine: Any) -> StoreView:
    return StoreView(store_engine)
