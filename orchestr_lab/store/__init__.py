"""Persistence: SQLAlchemy tables, alembic migrations, one module per aggregate.

Import the submodules; nothing is imported here so that ``import orchestr_lab.store`` stays
free. ``database.get_engine()`` opens (and migrates) the configured store; ``runs.write_batch``
is the engine's hot path (what a batch writes is worked out in ``write_plan``); ``deployments``,
``deployment_runs``, ``claims``, ``queues``, ``workers`` and ``events`` serve the server,
scheduler and workers; ``rows`` holds what they share (a run row as a dict, flows by name). Every state change passes
the rule book in ``transitions`` and writes its event in the same transaction.
"""
