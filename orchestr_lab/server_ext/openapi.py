"""The OpenAPI 3.1 document, generated from the route table and the pydantic models.

Served at ``/orchestr-lab/api/openapi.json``. Nothing here is written by hand per route: paths
come from the route table (``routes.ROUTES``, which serves this document and so hands itself
in), schemas from ``core.schemas`` via pydantic's JSON Schema (which is what OpenAPI 3.1 uses),
errors from :class:`core.schemas.ErrorBody`.

The document is what clients and fuzzers trust, so it states what the server does: a body is
``required`` exactly when ``{}`` does not validate (an empty body means ``{}``), each operation
lists the error statuses it can answer, and ``links`` say which operations take the key of a
resource another one created (stateful testing follows them).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..core.schemas import ErrorBody
from .route import API_PREFIX, Route

__all__ = ["openapi_document", "operation_id"]

_REF = "#/components/schemas/{model}"
#: Every error status the API answers, and when (each operation lists those that apply to it).
_ERRORS = {
    "400": "The request could not be read: malformed or too deeply nested JSON, a bad query value",
    "403": "No credentials or unknown ones (as every Jupyter server API answers), not authorized, a missing "
    "XSRF token with cookie authentication, or a path outside the server root",
    "404": "No such resource (or file)",
    "409": "Conflicts with the current state (name taken, run already finished, ...)",
    "413": "The body is larger than the server accepts",
    "422": "The body or a parameter does not validate; detail names the fields",
    "503": "The store is unavailable (locked or unreachable); try again",
}


def operation_id(route: Route) -> str:
    """``post_deployments_deployment_id_runs``: the method and the path, in identifier characters."""
    return f"{route.method.lower()}_" + re.sub(
        r"[^A-Za-z0-9_]", "", route.path.strip("/").replace("/", "_").replace(".", "_")
    )


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


def _body_required(model: type[BaseModel]) -> bool:
    """An empty body is read as ``{}``: the body is required exactly when ``{}`` is refused."""
    try:
        model.model_validate({})
    except ValidationError:
        return True
    return False


def _error_statuses(route: Route) -> list[str]:
    """The error statuses ``route`` can answer (auth and the store's for all)."""
    reads_input = route.body is not None or route.query is not None
    codes = ["400", "403"]
    if reads_input or route.path_params:
        codes.append("404")
    if route.method != "GET":
        codes.append("409")
    if route.body is not None:
        codes.append("413")
    if reads_input or route.method != "GET":
        codes.append("422")
    return [*codes, "503"]


def _links(route: Route, routes: tuple[Route, ...]) -> dict[str, Any]:
    """OpenAPI links from ``route``'s answer to every operation (of ``routes``) on the resource
    it answers with."""
    links: dict[str, Any] = {}
    for prefix, pointer in route.links:
        (param,) = re.findall(r"{(\w+)}", prefix)
        for target in routes:
            if (
                target is route
                or target.websocket
                or not (target.path == prefix or target.path.startswith(prefix + "/"))
                or re.findall(r"{(\w+)}", target.path) != [param]  # a link gives the one key only
            ):
                continue
            links[operation_id(target)] = {
                "operationId": operation_id(target),
                "parameters": {param: "$response.body#" + pointer},
            }
    return links


def _operation(route: Route, routes: tuple[Route, ...], components: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": route.summary, "operationId": operation_id(route), "tags": [route.tag]}
    params: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for p in route.path_params
    ]
    if route.query is not None:
        params += _query_parameters(route.query, components)
    if params:
        op["parameters"] = params
    if route.body is not None:
        op["requestBody"] = {
            "required": _body_required(route.body),
            "content": {"application/json": {"schema": _schema(route.body, "validation", components)}},
        }
    error = {"content": {"application/json": {"schema": _schema(ErrorBody, "serialization", components)}}}
    responses: dict[str, Any] = {}
    if route.websocket:
        responses["101"] = {"description": "Switching to the WebSocket protocol; then one EventRead per message"}
        codes = ["400", "403"]
        responses["400"] = {"description": "Not a WebSocket handshake, or a bad query value", **error}
    else:
        if route.response is None:
            responses[str(route.status)] = {"description": "Done, no content"}
        else:
            schema = _schema(route.response, "serialization", components)
            content = {route.media_type.split(";")[0]: {"schema": schema}}
            if route.text_media:  # the same answer as text on request (?format=csv)
                content[route.text_media] = {"schema": {"type": "string"}}
            responses[str(route.status)] = {"description": "OK", "content": content}
        if route.links:
            responses[str(route.status)]["links"] = _links(route, routes)
        codes = _error_statuses(route)
    for code in codes:
        responses.setdefault(code, {"description": _ERRORS[code], **error})
    op["responses"] = responses
    return op


@functools.lru_cache(maxsize=8)
def openapi_document(routes: tuple[Route, ...], base_url: str = "/") -> dict[str, Any]:
    """The whole document for ``routes``; ``base_url`` is the server's, so ``servers`` points
    at this API."""
    from ..core.version import __version__

    components: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, routes, components)
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
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "'token T' with the server's token (or a Hub token); a browser "
                    "session uses its cookie and an XSRF token instead",
                }
            },
        },
        "security": [{"token": []}],
    }
