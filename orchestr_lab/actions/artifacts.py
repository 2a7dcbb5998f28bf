"""Artifacts: the REST actions over ``store.artifacts`` (the sdk's local backend calls them too)."""

from __future__ import annotations

from typing import Any

from ..core.errors import found
from ..core.schemas_artifacts import ArtifactCreate, ArtifactQuery, ArtifactUpdate
from . import Context

__all__ = ["create_artifact", "get_artifact", "latest_artifact", "list_artifacts", "update_artifact"]


def list_artifacts(ctx: Context, *, query: ArtifactQuery) -> dict[str, Any]:
    from ..store.artifacts import list_artifacts as read

    return read(ctx.engine, **query.model_dump())


def get_artifact(ctx: Context, *, artifact_id: str) -> dict[str, Any]:
    from ..store.artifacts import get_artifact as read

    return found(read(ctx.engine, artifact_id), f"No artifact {artifact_id!r}")


def latest_artifact(ctx: Context, *, key: str) -> dict[str, Any]:
    """The latest version of ``key``: the artifact with that key updated last."""
    from ..store.artifacts import latest_artifact as read

    return found(read(ctx.engine, key), f"No artifact with key {key!r}")


def create_artifact(ctx: Context, *, body: ArtifactCreate) -> dict[str, Any]:
    from ..store.artifacts import create_artifact as create

    return create(ctx.engine, body.model_dump(exclude={"metadata_"}), metadata=body.metadata_)


def update_artifact(ctx: Context, *, artifact_id: str, body: ArtifactUpdate) -> dict[str, Any]:
    """Change what was given (``data``, ``description``, ``metadata_``); a progress artifact moves."""
    from ..store.artifacts import update_artifact as update

    return update(ctx.engine, artifact_id, body.model_dump(exclude_unset=True))
