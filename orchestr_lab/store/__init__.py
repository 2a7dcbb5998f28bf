"""Persistence: SQLAlchemy tables, alembic migrations, one module per aggregate.

Import the submodules (``store.database``, ``store.runs``); nothing is imported here so that
``import orchestr_lab.store`` stays free. ``database.get_engine()`` opens (and migrates) the
configured store; ``runs.write_batch`` is the engine's hot path.
"""
