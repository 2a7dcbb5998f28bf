"""``orchestr-lab concurrency-limits``: global concurrency and rate limits (Prefect's ``prefect gcl``)."""

from __future__ import annotations

from typing import Any

import click

from . import _output as out
from ._api import Backend, remote_options
from ._options import json_option

__all__ = ["concurrency_limits"]

_limit = click.option("--limit", type=click.IntRange(min=0), help="Slots that may be occupied at once.")
_active_slots = click.option("--active-slots", type=click.IntRange(min=0), help="Slots occupied now.")
_decay = click.option(
    "--slot-decay-per-second",
    type=click.FloatRange(min=0),
    help="Slots drained per second: makes the limit a rate limit (for rate_limit()).",
)


@click.group("concurrency-limits")
def concurrency_limits() -> None:
    """Global concurrency and rate limits, taken by concurrency() and rate_limit()."""


def _show(limit: dict[str, Any], as_json: bool) -> None:
    if as_json:
        out.echo_json(limit)
        return
    for key in ("name", "limit", "active", "active_slots", "denied_slots", "slot_decay_per_second", "id"):
        click.echo(f"{key}: {limit[key]}")


@concurrency_limits.command("ls")
@json_option("Print the limits as JSON.")
@remote_options
def ls(backend: Backend, as_json: bool) -> None:
    """List the limits: name, slots in use of the limit, active, decay (tab-separated when piped)."""
    items = backend.list_global_limits()
    if as_json:
        out.echo_json(items)
        return
    if not items:
        if out.is_tty():
            out.console().print("No limits. Create one with: orchestr-lab concurrency-limits create NAME --limit N")
        return
    for lim in items:
        out.tsv(
            lim["name"],
            f"{lim['active_slots']}/{lim['limit']}",
            "active" if lim["active"] else "inactive",
            f"{lim['slot_decay_per_second']:g}/s" if lim["slot_decay_per_second"] else "-",
        )


@concurrency_limits.command("create")
@click.argument("name")
@_limit
@_active_slots
@_decay
@click.option("--disable", is_flag=True, help="Create it inactive (it then grants without counting).")
@json_option("Print the new limit as JSON.")
@remote_options
def create(
    backend: Backend,
    name: str,
    limit: int | None,
    active_slots: int | None,
    slot_decay_per_second: float | None,
    disable: bool,
    as_json: bool,
) -> None:
    """Create limit NAME with --limit slots."""
    if limit is None:
        raise click.UsageError("--limit is required")
    spec: dict[str, Any] = {"name": name, "limit": limit, "active": not disable}
    if active_slots is not None:
        spec["active_slots"] = active_slots
    if slot_decay_per_second is not None:
        spec["slot_decay_per_second"] = slot_decay_per_second
    _show(backend.create_global_limit(spec), as_json)


@concurrency_limits.command("inspect")
@click.argument("name")
@json_option("Print the limit as JSON.")
@remote_options
def inspect(backend: Backend, name: str, as_json: bool) -> None:
    """Show limit NAME, with the slots in use now."""
    _show(backend.get_global_limit(name), as_json)


@concurrency_limits.command("update")
@click.argument("name")
@_limit
@_active_slots
@_decay
@click.option("--enable/--disable", "active", default=None, help="Make the limit active or inactive.")
@json_option("Print the limit as JSON.")
@remote_options
def update(backend: Backend, name: str, as_json: bool, **changes: Any) -> None:
    """Change some fields of limit NAME."""
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise click.UsageError(
            "nothing to change: give --limit, --active-slots, --slot-decay-per-second or --enable/--disable"
        )
    _show(backend.update_global_limit(name, changes), as_json)


@concurrency_limits.command("rm")
@click.argument("name")
@remote_options
def rm(backend: Backend, name: str) -> None:
    """Delete limit NAME."""
    backend.delete_global_limit(name)
    click.echo(f"Deleted global concurrency limit {name!r}")


def _set_active(active: bool) -> click.Command:
    @click.argument("name")
    @json_option("Print the limit as JSON.")
    @remote_options
    def command(backend: Backend, name: str, as_json: bool) -> None:
        _show(backend.update_global_limit(name, {"active": active}), as_json)

    command.__doc__ = "Make limit NAME count slots again." if active else "Make limit NAME grant without counting."
    return concurrency_limits.command("enable" if active else "disable")(command)


enable, disable = _set_active(True), _set_active(False)
