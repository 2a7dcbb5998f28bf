"""Prefect-style import path of the client: ``from orchestr_lab.client.orchestration import get_client``."""

from typing import Any

from ..sdk.get_client import get_client as get_client

__all__ = ["PrefectClient", "SyncPrefectClient", "get_client"]


def __getattr__(name: str) -> Any:
    # The client classes (pydantic underneath) load only when named.
    if name in ("PrefectClient", "SyncPrefectClient"):
        from ..sdk import prefect_client

        return getattr(prefect_client, name)
    raise AttributeError(name)
