"""Artifacts as Prefect's ``prefect.artifacts`` makes them: markdown, tables, links, images, progress.

Each ``create_*_artifact`` stores one artifact for the run it is called in (the task run and its
flow run; a notebook executed as a run: the run in ``ORCHESTR_LAB_FLOW_RUN_ID``) and returns its
id. It is written at once, where the run's recorder writes: the local store in-process, or the
server over HTTP for a remote worker (the sdk client's backends), so the sidebar shows it while
the run goes on; a live run widget of this process is told directly. Outside a run an artifact
belongs to no run, with the ``FutureWarning`` Prefect gives. As in Prefect, each function
returns an awaitable when called from async code (an async flow or task, or a running loop).
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import functools
import json
import logging
import math
import os
import threading
import uuid
import warnings
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator

from ..core import settings
from ..core.schemas_artifacts import ARTIFACT_KEY_PATTERN
from ..engine.context import flow_run_var, task_run_var
from ..engine.observers import LISTENERS, notify_artifact
from .client import ENV_API_TOKEN, ENV_API_URL, Backend, connect

__all__ = [
    "Artifact",
    "ArtifactResponse",
    "ImageArtifact",
    "LinkArtifact",
    "MarkdownArtifact",
    "ProgressArtifact",
    "TableArtifact",
    "create_image_artifact",
    "create_link_artifact",
    "create_markdown_artifact",
    "create_progress_artifact",
    "create_table_artifact",
    "update_progress_artifact",
]

_log = logging.getLogger("orchestr_lab.artifacts")
_R = TypeVar("_R")
_OUTSIDE = "An artifact made outside a flow or task run belongs to no run; Prefect deprecates this."


# -- where artifacts go ------------------------------------------------------------------------

_backends: dict[str | None, Backend] = {}
_backends_lock = threading.Lock()


def _backend_for(url: str | None) -> Backend:
    """One backend per store for the process: a server URL over HTTP, else that database."""
    backend = _backends.get(url)
    if backend is None:
        with _backends_lock:
            backend = _backends.get(url)
            if backend is None:
                if url and url.split("://", 1)[0].lower() in ("http", "https"):
                    backend = connect(api_url=url, token=os.environ.get(ENV_API_TOKEN))
                else:
                    backend = connect(engine=url)
                _backends[url] = backend
    return backend


def _current() -> tuple[Backend, str | None, str | None, bool]:
    """The backend to write to, the current flow run and task run ids, and whether in a run."""
    task_ctx = task_run_var.get()
    flow_ctx = flow_run_var.get()
    if task_ctx is not None:
        flow_id = task_ctx.flow_run.id if task_ctx.flow_run is not None else None
        return _backend_for(task_ctx.recorder.url), flow_id, task_ctx.id, True
    if flow_ctx is not None:
        return _backend_for(flow_ctx.recorder.url), flow_ctx.id, None, True
    url = os.environ.get(ENV_API_URL) or os.environ.get(settings.ENV_DB_URL) or None
    env_run = os.environ.get(settings.ENV_FLOW_RUN_ID) or None  # a notebook executed as a run
    return _backend_for(url), env_run, None, env_run is not None


def _told(artifact: dict[str, Any]) -> dict[str, Any]:
    """Tell a live run widget of this process (only when one listens)."""
    if LISTENERS:
        notify_artifact(artifact.get("flow_run_id"), artifact.get("task_run_id"), artifact)
    return artifact


# -- sync or async, as Prefect dispatches -------------------------------------------------------


def _in_async_code() -> bool:
    """Inside a run: whether its task (or flow) is async (a notebook executed as a run: no, though
    its kernel runs a loop); outside: whether a loop runs here."""
    task_ctx = task_run_var.get()
    flow_ctx = flow_run_var.get()
    owner = task_ctx.task if task_ctx is not None else flow_ctx.flow if flow_ctx is not None else None
    if owner is not None:
        return bool(getattr(owner, "isasync", False))
    if os.environ.get(settings.ENV_FLOW_RUN_ID):  # a notebook executed as a run: its cells are sync code
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _dispatching(sync_fn: Callable[..., _R]) -> Callable[..., Any]:
    """``sync_fn``, or an awaitable of it from async code (``_sync=True``/``False`` decides)."""

    @functools.wraps(sync_fn)
    def call(*args: Any, _sync: bool | None = None, **kwargs: Any) -> Any:
        if _sync if _sync is not None else not _in_async_code():
            return sync_fn(*args, **kwargs)
        return _awaitable(sync_fn, *args, **kwargs)

    call.aio = functools.partial(_awaitable, sync_fn)  # type: ignore[attr-defined]
    return call


async def _awaitable(fn: Callable[..., _R], *args: Any, **kwargs: Any) -> _R:
    # A thread of its own (the store or the server may be slow); the run's context goes with it.
    return await asyncio.to_thread(fn, *args, **kwargs)


# -- the models --------------------------------------------------------------------------------


class _Fields(BaseModel):
    """What an artifact says, made or stored."""

    key: str | None = None
    type: str | None = None
    description: str | None = None
    data: Any = None
    metadata_: dict[str, str] | None = None
    flow_run_id: uuid.UUID | None = None
    task_run_id: uuid.UUID | None = None


class ArtifactResponse(_Fields):
    """A stored artifact, as ``Artifact.get`` and ``Artifact.create`` answer."""

    id: uuid.UUID
    created: _dt.datetime | None = None
    updated: _dt.datetime | None = None


class Artifact(_Fields):
    """An artifact to create: ``Artifact(type=..., key=..., data=...).create()``; ``Artifact.get(key)``
    reads a key's latest version. ``key``: lowercase letters, digits and dashes."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("key")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        import re

        if value is not None and not re.fullmatch(ARTIFACT_KEY_PATTERN, value):
            raise ValueError("Artifact key must only contain lowercase letters, numbers, and dashes.")
        return value

    def format(self) -> Any:
        """What is stored as ``data`` (a plain artifact: its data as JSON text)."""
        return json.dumps(self.data)

    def _create(self) -> ArtifactResponse:
        backend, flow_run_id, task_run_id, in_run = _current()
        if not in_run:
            warnings.warn(_OUTSIDE, FutureWarning, stacklevel=3)
        body = {
            "key": self.key,
            "type": self.type,
            "description": self.description,
            "data": self.format(),
            "metadata_": self.metadata_,
            "flow_run_id": str(self.flow_run_id) if self.flow_run_id else flow_run_id,
            "task_run_id": str(self.task_run_id) if self.task_run_id else task_run_id,
        }
        return ArtifactResponse.model_validate(_told(backend.create_artifact(body)))

    def create(self, client: Any = None, *, _sync: bool | None = None) -> Any:
        """Store it for the current run; the stored artifact (awaitable from async code)."""
        if _sync if _sync is not None else not _in_async_code():
            return self._create()
        return _awaitable(self._create)

    async def acreate(self, client: Any = None) -> ArtifactResponse:
        return await _awaitable(self._create)

    @classmethod
    def _get(cls, key: str | None = None) -> ArtifactResponse | None:
        backend = _current()[0]
        found = backend.latest_artifact(key) if key is not None else _latest_of_all(backend)
        return None if found is None else ArtifactResponse.model_validate(found)

    @classmethod
    def get(cls, key: str | None = None, client: Any = None, *, _sync: bool | None = None) -> Any:
        """The latest version of ``key`` (of any artifact when None), or None."""
        if _sync if _sync is not None else not _in_async_code():
            return cls._get(key)
        return _awaitable(cls._get, key)

    @classmethod
    async def aget(cls, key: str | None = None, client: Any = None) -> ArtifactResponse | None:
        return await _awaitable(cls._get, key)

    @classmethod
    def _get_or_create(
        cls, key: str | None = None, description: str | None = None, data: Any = None, **kwargs: Any
    ) -> tuple[ArtifactResponse, bool]:
        found = cls._get(key)
        if found is not None:
            return found, False
        return cls(key=key, description=description, data=data, **kwargs)._create(), True

    @classmethod
    def get_or_create(
        cls,
        key: str | None = None,
        description: str | None = None,
        data: Any = None,
        client: Any = None,
        *,
        _sync: bool | None = None,
        **kwargs: Any,
    ) -> Any:
        """``(artifact, created)``: the key's latest version, or a new one made from the arguments."""
        if _sync if _sync is not None else not _in_async_code():
            return cls._get_or_create(key, description, data, **kwargs)
        return _awaitable(cls._get_or_create, key, description, data, **kwargs)

    @classmethod
    async def aget_or_create(
        cls, key: str | None = None, description: str | None = None, data: Any = None, client: Any = None, **kwargs: Any
    ) -> tuple[ArtifactResponse, bool]:
        return await _awaitable(cls._get_or_create, key, description, data, **kwargs)


def _latest_of_all(backend: Backend) -> dict[str, Any] | None:
    """The newest artifact, whatever its key (``Artifact.get()`` without a key)."""
    items: list[dict[str, Any]] = backend.list_artifacts({"limit": 1})["items"]
    return items[0] if items else None


class _TextArtifact(Artifact):
    """An artifact whose data is one of its text fields, as given (named by ``_text_field``)."""

    _text_field: ClassVar[str]

    def format(self) -> str:
        text: str = getattr(self, self._text_field)
        return text


class MarkdownArtifact(_TextArtifact):
    markdown: str
    type: str | None = "markdown"
    _text_field: ClassVar[str] = "markdown"


class LinkArtifact(Artifact):
    link: str
    link_text: str | None = None
    type: str | None = "markdown"

    def format(self) -> str:
        return f"[{self.link_text or self.link}]({self.link})"


class ImageArtifact(_TextArtifact):
    image_url: str
    type: str | None = "image"
    _text_field: ClassVar[str] = "image_url"


class TableArtifact(Artifact):
    table: dict[str, list[Any]] | list[dict[str, Any]] | list[list[Any]]
    type: str | None = "table"

    def format(self) -> str:
        return json.dumps(_no_nan(self.table))


class ProgressArtifact(Artifact):
    progress: float
    type: str | None = "progress"

    def format(self) -> float:
        if not 0.0 <= self.progress <= 100.0:
            _log.warning("A progress artifact's progress must be from 0 to 100, not %s%%", self.progress)
            self.progress = min(max(self.progress, 0.0), 100.0)
            _log.warning("Taken as %s%% progress", self.progress)
        return self.progress


def _no_nan(item: Any) -> Any:
    """A table's NaN cells (pandas' missing values) as null, which JSON can hold."""
    if isinstance(item, list):
        return [_no_nan(x) for x in item]
    if isinstance(item, dict):
        return {k: _no_nan(v) for k, v in item.items()}
    if isinstance(item, float) and math.isnan(item):
        return None
    return item


# -- the functions -----------------------------------------------------------------------------


def _made(artifact: Artifact) -> uuid.UUID:
    return artifact._create().id


@_dispatching
def create_markdown_artifact(markdown: str, key: str | None = None, description: str | None = None) -> uuid.UUID:
    """Show ``markdown`` (rendered) with the current run; the artifact's id."""
    return _made(MarkdownArtifact(key=key, description=description, markdown=markdown))


@_dispatching
def create_table_artifact(
    table: dict[str, list[Any]] | list[dict[str, Any]] | list[list[Any]],
    key: str | None = None,
    description: str | None = None,
) -> uuid.UUID:
    """Show a table: a list of row dicts, a dict of columns, or a list of rows; the artifact's id."""
    return _made(TableArtifact(key=key, description=description, table=table))


@_dispatching
def create_link_artifact(
    link: str, link_text: str | None = None, key: str | None = None, description: str | None = None, client: Any = None
) -> uuid.UUID:
    """Show a link (stored as markdown, as Prefect does); the artifact's id."""
    return _made(LinkArtifact(key=key, description=description, link=link, link_text=link_text))


@_dispatching
def create_image_artifact(
    image_url: str, key: str | None = None, description: str | None = None, client: Any = None
) -> uuid.UUID:
    """Show the image at ``image_url``; the artifact's id."""
    return _made(ImageArtifact(key=key, description=description, image_url=image_url))


@_dispatching
def create_progress_artifact(progress: float, key: str | None = None, description: str | None = None) -> uuid.UUID:
    """A progress bar at ``progress`` percent (0 to 100), moved with :func:`update_progress_artifact`."""
    return _made(ProgressArtifact(key=key, description=description, progress=progress))


@_dispatching
def update_progress_artifact(
    artifact_id: uuid.UUID | str, progress: float, description: str | None = None, client: Any = None
) -> uuid.UUID | str:
    """Move a progress artifact to ``progress`` percent; returns ``artifact_id``."""
    value = ProgressArtifact(description=description, progress=progress).format()
    changes: dict[str, Any] = {"data": value}
    if description:
        changes["description"] = description
    _told(_current()[0].update_artifact(str(artifact_id), changes))
    return artifact_id


# ``acreate_*`` as Prefect names its async variants.
acreate_markdown_artifact = create_markdown_artifact.aio  # type: ignore[attr-defined]
acreate_table_artifact = create_table_artifact.aio  # type: ignore[attr-defined]
acreate_link_artifact = create_link_artifact.aio  # type: ignore[attr-defined]
acreate_image_artifact = create_image_artifact.aio  # type: ignore[attr-defined]
acreate_progress_artifact = create_progress_artifact.aio  # type: ignore[attr-defined]
aupdate_progress_artifact = update_progress_artifact.aio  # type: ignore[attr-defined]
