"""Alembic environment for the store's packaged migrations.

:func:`orchestr_lab.store.database.upgrade` passes an open connection that is already inside
a locked transaction (``config.attributes["connection"]``); the migration joins it, so the
caller decides when it commits. Without one (alembic's own CLI) the URL comes from the config
or the ``ORCHESTR_LAB_DB_URL`` setting.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from orchestr_lab.core import settings
from orchestr_lab.store.models import metadata

config = context.config


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or settings.db_url()


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        **kwargs,  # type: ignore[arg-type]
    )


def run_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url())
    try:
        with engine.connect() as conn:
            _configure(connection=conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
