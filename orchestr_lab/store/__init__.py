"""Persistence: SQLAlchemy tables, alembic migrations, one module per aggregate.

Import the submodules; nothing is imported here so that ``import orchestr_lab.store`` stays
free. ``database.get_engine()`` opens (and migrates) the configured store; ``runs.write_batch``
is the engine's hot path (its plan worked out in ``write_plan``); ``deployments``, ``deployment_runs`` (with ``claims``), ``queues``,
``workers`` and ``events`` serve the server, scheduler and workers. Every state change passes
the rule book in ``transitions`` and writes its event in the same transaction.
"""
