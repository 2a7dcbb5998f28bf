"""``orchestr-lab assets``: the assets runs have materialized, and one asset's lineage.

On the local store or, with ``--api URL``, a server's (``cli/_api.py``), like ``runs``.
"""

from __future__ import annotations

import json
from typing import Any

import click

from . import _output as out
from ._api import Backend, remote_options
from ._options import int_option, json_option

__all__ = ["assets"]


@click.group()
def assets() -> None:
    """Assets materialized by runs (@materialize) and their lineage."""


@assets.command("ls")
@click.option("--prefix", metavar="TEXT", help="Only assets whose key starts with this.")
@int_option("--limit", default=100, minimum=1, maximum=1000, help="How many assets.")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Skip this many (by key).")
@json_option("Print {items, total} as JSON.")
@remote_options
def ls(backend: Backend, prefix: str | None, limit: int, offset: int, as_json: bool) -> None:
    """List assets by key: key, name, last materialized (tab-separated)."""
    query: dict[str, Any] = {"limit": limit, "offset": offset, **({"prefix": prefix} if prefix else {})}
    page = backend.list_assets(query)
    if as_json:
        out.echo_json(page)
        return
    if not page["items"]:
        click.echo("No assets found. A @materialize task records its assets when it runs.")
        return
    for asset in page["items"]:
        out.tsv(asset["key"], asset["properties"].get("name") or "", out.fmt_local(asset.get("last_materialized")))
    shown = offset + len(page["items"])
    if page["total"] > shown and out.is_tty():
        click.echo(f"{len(page['items'])} of {page['total']} assets shown; use --limit/--offset for more.")


@assets.command("show")
@click.argument("key", metavar="KEY")
@json_option("Print the asset, its materializations, upstream and downstream as JSON.")
@remote_options
def show(backend: Backend, key: str, as_json: bool) -> None:
    """Show an asset: properties, latest metadata, upstream and downstream assets, materializations."""
    asset = backend.get_asset(key)
    if as_json:
        out.echo_json(asset)
        return
    click.echo(f"key: {asset['key']}")
    for name, value in sorted(asset["properties"].items()):
        click.echo(f"{name}: {value if isinstance(value, str) else json.dumps(value)}")
    if asset.get("last_metadata"):
        click.echo(f"metadata: {json.dumps(asset['last_metadata'], default=str)}")
    for side in ("upstream", "downstream"):
        click.echo(f"\n{side}: {len(asset[side])}")
        for other in asset[side]:
            click.echo(f"  {other}")
    runs = asset["materializations"]
    click.echo(f"\nmaterializations: {len(runs)}")
    for m in runs:
        out.tsv(out.fmt_local(m["occurred"]), m["status"], m.get("flow_run_name") or "", m.get("flow_run_id") or "")
