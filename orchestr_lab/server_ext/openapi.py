"""The OpenAPI 3.1 document, generated from the route table and the pydantic models.

Served at ``/orchestr-lab/api/openapi.json``. Nothing here is written by hand per route: paths
come from :data:`routes.ROUTES`, schemas from ``core.schemas`` via pydantic's JSON Schema
(which is what OpenAPI 3.1 uses), errors from :class:`core.schemas.ErrorBody`.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pydantic import BaseModel, TypeAdapter

from ..core.schemas import ErrorBody
from .routes import API_PREFIX, ROUTES, Route

__all__ = ["openapi_document"]

_REF = "#/components/schemas/{model}"
_ERRORS = {
    "400": "Malformed JSON or a bad query value",
    "403": "Not authorized, or a path outside the server root",
    "404": "No such resource",
    "409": "Conflicts with the current state (name taken, run already finished, ...)",
    "422": "The body does not validate; detail names the fields or parameters",
}


def _schema(tp: Any, mode: str, components: dict[str, Any]) -> dict[str, Any]:
    """``tp``'s JSON Schema with its models moved to ``components`` and referenced."""
    schema = TypeAdapter(tp).json_schema(ref_template=_REF, mode=mode)  # type: ignore[arg-type]
    components.update(schema.pop("$defs", {}))
    if isinstance(tp, type) and issubclass(tp, BaseModel) and "properties" in schema:
        # OpenAPI component names are [A-Za-z0-9._-]: "Page[FlowRunRead]" becomes "Page_FlowRunRead_".
        name = re.sub(r"[^A-Za-z0-9._-]", "_", schema.get("title", tp.__name__))
        components[name] = schema
        return {"$ref": _REF.format(model=name)}
    return schema


def _query_parameters(model: type[BaseModel], components: dict[str, Any]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=_REF)
    components.update(schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        param: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if "description" in prop:
            param["description"] = prop["description"]
        if "array" in str(prop):
            # Repeated (state=A&state=B) or comma-separated (state=A,B): both are accepted.
            param["style"], param["explode"] = "form", True
        params.append(param)
    return params


def _operation(route: Route, components: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": route.summary,
        "operationId": f"{route.method.lower()}_{route.path.strip('/').replace('/', '_').replace('{', '').replace('}', '').replace('.', '_')}",
        "tags": [route.tag],
    }
    params = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string"}} for p in route.path_params
    ]
    if route.query is not None:
        params += _query_parameters(route.query, components)
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {
            "required": False,
            "content": {"application/json": {"schema": _schema(route.body, "validation", components)}},
        }
    responses: dict[str, Any] = {}
    if route.websocket:
        responses["101"] = {"description": "Switching to the WebSocket protocol; then one EventRead per message"}
        _schema(ErrorBody, "serialization", components)
    elif route.response is None:
        responses[str(route.status)] = {"description": "Done, no content"}
    else:
        responses[str(route.status)] = {
            "description": "OK",
            "content": {"application/json": {"schema": _schema(route.response, "serialization", components)}},
        }
    error = {"content": {"application/json": {"schema": _schema(ErrorBody, "serialization", components)}}}
    for code, text in _ERRORS.items():
        responses[code] = {"description": text, **error}
    op["responses"] = responses
    return op


@functools.lru_cache(maxsize=8)
def openapi_document(base_url: str = "/") -> dict[str, Any]:
    """The whole document; ``base_url`` is the server's, so ``servers`` points at this API."""
    from .. import __version__

    components: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, components)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "orchestr-lab",
            "version": __version__,
            "description": "Deployments, flow runs, work queues, workers and events of orchestr-lab. "
            "Authenticate as for the Jupyter server (Authorization: token T, or cookie + XSRF).",
        },
        "servers": [{"url": base_url.rstrip("/") + "/" + API_PREFIX}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "Authorization"}},
        },
        "security": [{"token": []}],
    }
