"""Prefect-style import path of result stores (``ResultStore(lock_manager=...)`` for transactions)."""

from .engine.results import (
    ResultRecord as ResultRecord,
    ResultStore as ResultStore,
    get_result_store as get_result_store,
)

__all__ = ["ResultRecord", "ResultStore", "get_result_store"]
