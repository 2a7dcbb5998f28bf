"""``orchestr-lab db``: the store's schema (``upgrade``) and its size (``prune``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import click

from ._options import json_option
from ._output import console, echo_json, is_tty, tsv
from ._root import CliState, UserError

__all__ = ["db"]


@click.group()
def db() -> None:
    """Manage the store's database."""


@db.command("upgrade")
@click.option("--db-url", metavar="URL", help="Database to upgrade (default: the global --db-url).")
@click.pass_obj
def upgrade(state: CliState, db_url: str | None) -> None:
    """Create the database if needed and apply pending migrations."""
    from sqlalchemy.engine import make_url

    from ..core.settings import db_url as configured_url
    from ..store.database import upgrade as upgrade_store

    url = db_url or state.db_url or configured_url()
    revision = upgrade_store(url)
    click.echo(f"database: {make_url(url).render_as_string(hide_password=True)}")
    click.echo(f"revision: {revision} (head)")


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_MAX_AGE_SECONDS = 36_500 * 86400


def parse_age(value: str) -> dt.timedelta:
    """An age like ``30d``, ``12h``, ``90m`` or ``3600s`` (a number and one unit); a
    :class:`UserError` (one line, exit 1) for anything else."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", value.lower())
    if found is None:
        raise UserError(f"--older-than {value!r} is not an age; use a number and a unit: 30d, 12h, 90m or 3600s")
    seconds = float(found.group(1)) * _UNITS[found.group(2)]
    if seconds > _MAX_AGE_SECONDS:
        raise UserError(f"--older-than {value!r} is more than 100 years")
    return dt.timedelta(seconds=seconds)


@db.command("prune")
@click.option(
    "--older-than",
    metavar="AGE",
    help="Delete finished runs that ended longer ago than this (30d, 12h, 90m, 3600s) "
    "[default: ORCHESTR_LAB_KEEP_RUNS_DAYS, 90 days; a deployment's own retention_days still applies].",
)
@click.option(
    "--keep-last",
    type=click.IntRange(0, 1_000_000),
    help="Keep the newest N finished runs of each deployment whatever their age "
    "[default: ORCHESTR_LAB_KEEP_LAST_RUNS, 100].",
)
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@json_option("Print the counts as JSON.")
@click.pass_obj
def prune(state: CliState, older_than: str | None, keep_last: int | None, dry_run: bool, as_json: bool) -> None:
    """Delete finished runs, events and log lines the retention settings no longer keep.

    Runs go with their task runs, logs, executed notebook and saved kernel state; runs a kept
    run still needs (a resume, an automation, a subflow tree) stay. Deletes in small batches, so
    a server and workers may keep using the store meanwhile. On SQLite the space is given back
    to the file system; a database made before that existed is converted once (a full VACUUM).
    """
    import dataclasses

    from ..store.retention import configured_policy, enable_incremental_vacuum, prune as prune_store

    policy = configured_policy()
    if older_than is not None:
        policy = dataclasses.replace(policy, runs_max_age=parse_age(older_than))
    if keep_last is not None:
        policy = dataclasses.replace(policy, keep_last=keep_last)
    engine = state.engine()
    report = prune_store(engine, policy, dry_run=dry_run)
    if not dry_run and enable_incremental_vacuum(engine):
        report.vacuum = "full"
    if as_json:
        echo_json(report.as_dict())
        return
    _show_report(report)


def _show_report(report: Any) -> None:
    verb = "would delete" if report.dry_run else "deleted"
    rows = [
        ("runs", report.runs),
        ("task runs", report.task_runs),
        ("log lines", report.logs),
        ("events", report.events),
        ("files", report.files),
        ("sweeps", report.sweeps),
    ]
    if is_tty():
        from rich.table import Table

        table = Table(title=f"orchestr-lab db prune: {verb}", title_justify="left")
        table.add_column("what")
        table.add_column("count", justify="right")
        for what, n in rows:
            table.add_row(what, f"{n:,}")
        console().print(table)
    else:
        for what, n in rows:
            tsv(what.replace(" ", "_"), n)
    if report.vacuum == "full":
        click.echo(
            "space: converted the SQLite database to incremental vacuum (one full VACUUM); "
            "later prunes give space back as they go"
        )
    elif report.vacuum == "incremental":
        click.echo("space: freed pages given back to the file system (incremental vacuum)")
