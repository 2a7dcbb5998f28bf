"""``orchestr_lab.assets``: Prefect's assets (``@materialize``, ``Asset``, ``add_asset_metadata``)."""

from .sdk.assets import Asset, AssetProperties, MaterializingTask, add_asset_metadata, materialize

__all__ = ["Asset", "AssetProperties", "MaterializingTask", "add_asset_metadata", "materialize"]
