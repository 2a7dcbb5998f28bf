"""Prefect-style import path of the client: ``from orchestr_lab.client.orchestration import get_client``."""

from ..sdk.get_client import get_client as get_client
from ..sdk.prefect_client import PrefectClient as PrefectClient, SyncPrefectClient as SyncPrefectClient
