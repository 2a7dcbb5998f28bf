"""The retention service: prunes the store every ``interval`` seconds (10 minutes by default).

Each pass is :func:`orchestr_lab.store.retention.prune` with the server's policy: small batches,
each its own short write transaction, so claims and API writes go on meanwhile. Safe to run in
several servers sharing a database (a run deleted by one is simply not found by the other).
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine

from ..store.retention import PruneReport, RetentionPolicy, prune
from .loop import ServiceLoop

__all__ = ["prune_tick", "retention_service"]

log = logging.getLogger("orchestr_lab.services.retention")


def prune_tick(engine: Engine, policy: RetentionPolicy) -> PruneReport:
    """One pass; what it deleted is logged (nothing when there was nothing to delete)."""
    report = prune(engine, policy)
    if report.runs or report.events or report.logs or report.files:
        log.info(
            "retention: deleted %d runs (%d task runs), %d log lines, %d events, %d files, %d sweeps",
            report.runs,
            report.task_runs,
            report.logs,
            report.events,
            report.files,
            report.sweeps,
        )
    return report


def retention_service(engine: Engine, policy: RetentionPolicy, *, interval: float = 600.0) -> ServiceLoop:
    """A :class:`ServiceLoop` running :func:`prune_tick`, the first one ``interval`` seconds after
    the start: a server starting on a store with a backlog to delete is not slowed by it."""
    started = [False]

    def tick() -> PruneReport | None:
        if not started[0]:
            started[0] = True
            return None
        return prune_tick(engine, policy)

    return ServiceLoop("retention", tick, interval)
