"""``get_client()`` without its cost at import: the client and its pydantic models load on the call."""

from __future__ import annotations

from typing import Any

__all__ = ["get_client"]


def get_client(httpx_settings: dict[str, Any] | None = None, sync_client: bool = False) -> Any:
    """Prefect's ``get_client``: an async client (``async with get_client() as client``), or a
    blocking one with ``sync_client=True``. ``httpx_settings`` is accepted and ignored."""
    from .prefect_client import PrefectClient, SyncPrefectClient

    return SyncPrefectClient() if sync_client else PrefectClient()
