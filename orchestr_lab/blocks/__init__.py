"""Prefect's ``prefect.blocks``: ``core`` (``Block``) and ``system`` (the built-in blocks)."""
