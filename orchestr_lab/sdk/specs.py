"""What a deploy sends: the target field, the schedules, typed parameter values, and the check that
a deployment keeps what it runs.

Shared by ``orchestr-lab deploy`` (``cli/deploy.py``), ``%orchestr schedule`` (``sdk.ops``) and
``deploy()`` (``sdk.deployments``) so the three build the same deployment from the same input.
Errors are :class:`~orchestr_lab.sdk.client.ClientError` with the CLI's wording.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any

from .client import Backend, ClientError

__all__ = ["check_same_target", "deploy_target", "json_or_text", "schedule_specs", "typed_values"]


def json_or_text(text: str) -> Any:
    """``"3"`` -> 3, ``'{"a": 1}'`` -> a dict; anything that is not JSON stays text."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def typed_values(pairs: tuple[tuple[str, str], ...], specs: list[dict[str, Any]] | None) -> dict[str, Any]:
    """``-p NAME VALUE`` pairs as values: text for typed notebook parameters (the server coerces
    "3" to an int parameter's 3 and keeps "007" for a str one), JSON-or-text otherwise."""
    types = {s["name"]: s.get("type") for s in specs or []}
    return {name: value if types.get(name) not in (None, "None") else json_or_text(value) for name, value in pairs}


def _is_entrypoint(target: str) -> bool:
    path, sep, name = target.rpartition(":")
    return bool(sep) and path.endswith(".py") and name.isidentifier()


def deploy_target(backend: Backend, target: str) -> tuple[str, str]:
    """``("notebook"|"entrypoint", path)``: local paths are absolute (the store keeps them relative
    to --root); with --api they are sent as given, relative to the server's root."""
    field = "entrypoint" if _is_entrypoint(target) else "notebook"
    if backend.is_remote():
        return field, target
    path, sep, flow = target.rpartition(":") if field == "entrypoint" else (target, "", "")
    absolute = str(Path(path).expanduser().resolve())
    return field, f"{absolute}{sep}{flow}"


def schedule_specs(cron: str | None, timezone: str, interval: float | None) -> list[dict[str, Any]]:
    """The deployment's ``schedules``: one cron or one interval, or none."""
    if cron and interval:
        raise ClientError("give --cron or --interval, not both")
    if cron:
        return [{"cron": cron, "timezone": timezone}]
    if interval:
        return [{"interval": interval, "timezone": timezone}]
    return []


def _split(field: str, value: str) -> tuple[str, str]:
    path, _, flow = value.rpartition(":") if field == "entrypoint" else (value, "", "")
    return path, flow


def check_same_target(existing: dict[str, Any], field: str, path: str, backend: Backend) -> None:
    """A deployment keeps what it runs: deploying something else under its name is refused."""
    stored = existing.get(field)
    if stored is not None:
        stored_path, stored_flow = _split(field, stored)
        given_path, flow = _split(field, path)
        if backend.is_remote():  # the server's root is unknown here: compare as the server will see it
            given = posixpath.normpath(given_path)
            same_file = given == stored_path or given.endswith("/" + stored_path)
        else:
            root: Path = backend.root  # type: ignore[attr-defined]  # a local backend's, not being remote
            same_file = (root / stored_path).resolve() == Path(given_path).resolve()
        if same_file and stored_flow == flow:
            return
    what = existing.get("notebook") or existing.get("entrypoint")
    raise ClientError(f"deployment {existing['name']!r} runs {what}, not {path}; choose another --name")
