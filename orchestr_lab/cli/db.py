"""``orchestr-lab db``: the store's schema."""

from __future__ import annotations

import click

from ._root import CliState

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
