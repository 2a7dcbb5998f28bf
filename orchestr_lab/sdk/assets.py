"""Prefect's assets: ``Asset``, ``AssetProperties``, ``@materialize`` and ``add_asset_metadata``.

An asset is named by a URI-like key (``s3://bucket/data.csv``). A ``@materialize`` task makes
its assets; when its run ends COMPLETED or FAILED the run's materialization is stored with the
upstream assets it read (see ``engine/assets.py`` for the rules), and that is the lineage shown by
``GET /assets/{key}``, ``orchestr-lab assets show`` and the sidebar.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, ParamSpec, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..core.schemas_assets import asset_key
from ..engine.context import task_run_var
from .tasks import Task

__all__ = ["Asset", "AssetProperties", "MaterializingTask", "add_asset_metadata", "as_assets", "materialize"]

P = ParamSpec("P")
R = TypeVar("R")

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


class MaterializingTask(Task[P, R]):
    """A task whose runs make ``assets`` (``by``: the tool that makes them, e.g. "dbt")."""

    tracks_assets = True

    def __init__(
        self,
        fn: Callable[P, R],
        *,
        assets: Sequence[str | Asset],
        materialized_by: str | None = None,
        **task_options: Any,
    ) -> None:
        super().__init__(fn, **task_options)
        self.assets: list[Asset] = as_assets(assets)
        self.materialized_by = materialized_by
        self._options.update(assets=self.assets, materialized_by=materialized_by)


def materialize(
    *assets: str | Asset, by: str | None = None, **task_options: Any
) -> Callable[[Callable[P, R]], MaterializingTask[P, R]]:
    """Decorator: a task that materializes ``assets`` (keys or :class:`Asset`), with ``@task``'s options."""
    if not assets:
        raise TypeError("materialize requires at least one asset argument, e.g. `@materialize(asset)`")

    def decorator(fn: Callable[P, R]) -> MaterializingTask[P, R]:
        return MaterializingTask(fn, assets=assets, materialized_by=by, **task_options)

    return decorator
