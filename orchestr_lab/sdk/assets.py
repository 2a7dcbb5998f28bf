"""Prefect's assets: ``Asset``, ``AssetProperties``, ``@materialize`` and ``add_asset_metadata``.

An asset is named by a URI-like key (``s3://bucket/data.csv``). A ``@materialize`` task makes
its assets; when its run ends COMPLETED or FAILED the run's materialization is stored with the
upstream assets it read (see ``engine/assets.py`` for the rules), and that is the lineage shown by
``GET /assets/{key}``, ``orchestr-lab assets show`` and the sidebar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ParamSpec, TypeVar

from .asset_model import Asset, AssetProperties, add_asset_metadata, as_assets
from .tasks import Task

__all__ = ["Asset", "AssetProperties", "MaterializingTask", "add_asset_metadata", "as_assets", "materialize"]

P = ParamSpec("P")
R = TypeVar("R")


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
