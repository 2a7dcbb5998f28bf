"""Prefect's ``Asset`` and ``AssetProperties``, and ``add_asset_metadata``: what an asset is,
apart from the tasks that make it (``sdk/assets.py``), so ``@task(asset_deps=...)`` can name
assets without importing the materializing task."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..core.schemas_assets import asset_key
from ..engine.context import task_run_var

__all__ = ["MAX_ASSET_DESCRIPTION_LENGTH", "Asset", "AssetProperties", "add_asset_metadata", "as_assets"]

MAX_ASSET_DESCRIPTION_LENGTH = 2500


class AssetProperties(BaseModel):
    """What people read about an asset: a name, a description, a link, its owners."""

    model_config: ClassVar[ConfigDict] = ConfigDict(frozen=True, extra="ignore")

    name: str | None = Field(default=None, description="Human readable name of the asset.")
    url: str | None = Field(default=None, description="Where to look at the asset.")
    description: str | None = Field(default=None, max_length=MAX_ASSET_DESCRIPTION_LENGTH)
    owners: list[str] | None = Field(default=None, description="Who owns the asset.")


class Asset(BaseModel):
    """Data a task makes or reads, named by its key; ``properties`` replace a known asset's."""

    model_config: ClassVar[ConfigDict] = ConfigDict(frozen=True, extra="ignore")

    key: str
    properties: AssetProperties | None = None

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        return asset_key(value)

    def __repr__(self) -> str:
        return f"Asset(key={self.key!r})"

    def __hash__(self) -> int:
        return hash(self.key)

    def add_metadata(self, metadata: dict[str, Any]) -> None:
        """Attach ``metadata`` to this asset's materialization by the running task."""
        add_asset_metadata(self, metadata)


def as_assets(values: Iterable[str | Asset]) -> list[Asset]:
    """Keys and assets as assets (a key is checked as :class:`Asset` checks it)."""
    return [v if isinstance(v, Asset) else Asset(key=v) for v in values]


def add_asset_metadata(asset: str | Asset, metadata: dict[str, Any]) -> None:
    """Attach ``metadata`` to ``asset``'s materialization by the running ``@materialize`` task
    (merged with what was added before; the latest successful one is the asset's metadata)."""
    ctx = task_run_var.get()
    if ctx is None:
        raise RuntimeError("Unable to call `add_asset_metadata` when not inside of an AssetContext")
    key = asset if isinstance(asset, str) else asset.key
    run = ctx.assets
    if run is None:
        raise ValueError("Can only add metadata to assets that are arguments to @materialize")
    run.add_metadata(key, dict(metadata))
