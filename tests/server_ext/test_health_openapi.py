"""Health and the OpenAPI document, which must list exactly the routes the server registers."""

from __future__ import annotations

import re
from typing import Any

from jupyter_server.utils import url_path_join

import orchestr_lab
from orchestr_lab.server_ext.handlers.base import RouteHandler
from orchestr_lab.server_ext.handlers.events import EventStreamHandler
from orchestr_lab.server_ext.routes import API_PREFIX


async def test_health_answers_with_the_version(api: Any) -> None:
    reply = await api("GET", "health")
    assert reply.code == 200
    assert reply.json["status"] == "ok"
    assert reply.json["version"] == orchestr_lab.__version__
    assert reply.json["services"] == {"scheduler": False, "reaper": False, "automations": False, "local_worker": False}


def _registered(jp_serverapp: Any, base_url: str) -> set[tuple[str, str]]:
    """(METHOD, /path/{param}) for every orchestr-lab rule in the running tornado app."""
    prefix = url_path_join(base_url, API_PREFIX)
    found: set[tuple[str, str]] = set()
    for rule in jp_serverapp.web_app.default_router.rules:
        for sub in getattr(rule.target, "rules", []):
            pattern = sub.matcher.regex.pattern.rstrip("$")
            if not pattern.startswith(prefix):
                continue
            path = re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", r"{\1}", pattern[len(prefix) :])
            handler = sub.target
            if issubclass(handler, EventStreamHandler):
                found.add(("GET", path))
            elif issubclass(handler, RouteHandler):
                found.update((method, path) for method in handler.routes)
    return found


async def test_openapi_lists_exactly_the_registered_routes(api: Any, jp_serverapp: Any, jp_base_url: str) -> None:
    reply = await api("GET", "openapi.json")
    assert reply.code == 200
    doc = reply.json
    assert doc["openapi"].startswith("3.1")
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    registered = _registered(jp_serverapp, jp_base_url)
    assert registered, "no orchestr-lab handlers found in the server"
    assert documented == registered
    # The routes of docs/architecture.md's REST table are all there.
    for method, path in [
        ("GET", "/health"),
        ("GET", "/notebooks/parameters"),
        ("POST", "/deployments"),
        ("GET", "/deployments"),
        ("GET", "/deployments/{deployment_id}"),
        ("PATCH", "/deployments/{deployment_id}"),
        ("DELETE", "/deployments/{deployment_id}"),
        ("POST", "/deployments/{deployment_id}/runs"),
        ("GET", "/flow_runs"),
        ("GET", "/flow_runs/{flow_run_id}"),
        ("POST", "/flow_runs/{flow_run_id}/cancel"),
        ("POST", "/flow_runs/{flow_run_id}/retry"),
        ("GET", "/flow_runs/{flow_run_id}/task_runs"),
        ("GET", "/flow_runs/{flow_run_id}/logs"),
        ("GET", "/flow_runs/{flow_run_id}/notebook"),
        ("GET", "/events"),
        ("GET", "/events/stream"),
    ]:
        assert (method, path) in documented, (method, path)
    # Every $ref resolves, and the servers entry points at this server's API.
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', __import__("json").dumps(doc)))
    assert refs <= set(doc["components"]["schemas"])
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", name) for name in doc["components"]["schemas"])
    assert doc["servers"][0]["url"] == url_path_join(jp_base_url, API_PREFIX)


async def test_a_method_a_route_does_not_have_is_405_json(api: Any) -> None:
    reply = await api("DELETE", "health")
    assert reply.code == 405
    assert set(reply.json) == {"error", "detail"}


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in doc["paths"].items() for method, op in ops.items()]


async def test_a_body_is_documented_as_required_exactly_when_an_empty_one_is_refused(api: Any) -> None:
    doc = (await api("GET", "openapi.json")).json
    checked = 0
    for method, path, op in _operations(doc):
        if "requestBody" not in op or "{" in path:
            continue
        reply = await api(method, *path.strip("/").split("/"), body=b"")
        assert (reply.code == 422) == op["requestBody"]["required"], (method, path, reply.code, reply.json)
        checked += 1
    assert checked >= 6
    assert doc["paths"]["/deployments"]["post"]["requestBody"]["required"] is True
    assert doc["paths"]["/deployments/{deployment_id}"]["patch"]["requestBody"]["required"] is False


async def test_every_operation_documents_the_errors_it_can_answer(api: Any) -> None:
    doc = (await api("GET", "openapi.json")).json
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for method, path, op in _operations(doc):
        responses = op["responses"]
        expected = {"400", "403"}
        if "requestBody" in op:
            expected |= {"413", "422"}
        if "{" in path:
            expected.add("404")
        assert expected <= set(responses), (method, path, sorted(responses))
        for code in expected:
            assert responses[code]["content"]["application/json"]["schema"] == error, (method, path, code)
        for code, answer in responses.items():
            if code in ("101", "204"):
                assert "content" not in answer, (method, path, code)
    # Without credentials the answer is one of the documented ones, as an ErrorBody.
    for method, parts in [("GET", ["deployments"]), ("POST", ["work_queues"]), ("DELETE", ["work_queues", "x"])]:
        reply = await api(method, *parts, headers={"Authorization": ""}, body=b"{}" if method == "POST" else None)
        assert (
            str(reply.code) in doc["paths"]["/" + "/".join(parts).replace("/x", "/{name}")][method.lower()]["responses"]
        ), (method, parts, reply.code)
        assert set(reply.json) == {"error", "detail"}


async def test_links_lead_from_a_created_resource_to_the_operations_on_it(api: Any) -> None:
    doc = (await api("GET", "openapi.json")).json
    by_id = {op["operationId"]: (method, path, op) for method, path, op in _operations(doc)}
    linked: set[str] = set()
    for method, path, op in _operations(doc):
        for answer in op["responses"].values():
            for link in answer.get("links", {}).values():
                target_method, target_path, _ = by_id[link["operationId"]]
                assert set(link["parameters"]) == set(re.findall(r"{(\w+)}", target_path)), link
                linked.add(f"{method} {path} -> {target_method} {target_path}")
    for expected in [
        "POST /deployments -> GET /deployments/{deployment_id}",
        "POST /deployments -> DELETE /deployments/{deployment_id}",
        "POST /deployments/{deployment_id}/runs -> GET /flow_runs/{flow_run_id}",
        "POST /deployments/{deployment_id}/runs -> POST /flow_runs/{flow_run_id}/cancel",
        "POST /work_queues -> PATCH /work_queues/{name}",
        "POST /automations -> GET /automations/{automation_id}",
        "POST /concurrency_limits -> DELETE /concurrency_limits/{tag}",
    ]:
        assert expected in linked, expected

    # Followed for real: the key a link reads from the answer addresses the new resource.
    created = await api("POST", "work_queues", json_body={"name": "linked"})
    assert created.code == 201
    for link in doc["paths"]["/work_queues"]["post"]["responses"]["201"]["links"].values():
        target_method, target_path, _ = by_id[link["operationId"]]
        if target_method != "GET":
            continue
        pointer = link["parameters"]["name"].removeprefix("$response.body#/")
        reply = await api("GET", *target_path.strip("/").replace("{name}", created.json[pointer]).split("/"))
        assert reply.code == 200, (target_path, reply.json)


#: What may appear in a schema of the document: JSON Schema 2020-12's keywords and OpenAPI's own.
#: A pydantic name that leaks into it ("ge", "max_length") is not a bound to any client or fuzzer.
_SCHEMA_KEYWORDS = frozenset(
    {
        "$ref",
        "$defs",
        "$schema",
        "$id",
        "$comment",
        "type",
        "enum",
        "const",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "format",
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "dependentRequired",
        "dependentSchemas",
        "items",
        "prefixItems",
        "contains",
        "minContains",
        "maxContains",
        "minItems",
        "maxItems",
        "uniqueItems",
        "unevaluatedItems",
        "unevaluatedProperties",
        "minLength",
        "maxLength",
        "pattern",
        "contentEncoding",
        "contentMediaType",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "if",
        "then",
        "else",
        "discriminator",
        "xml",
        "externalDocs",
        "example",
    }
)


def _schema_keys(schema: Any, where: str) -> list[tuple[str, str]]:
    """(where, keyword) for every keyword of ``schema`` and its subschemas."""
    if not isinstance(schema, dict):
        return []
    found = [(where, key) for key in schema]
    for key in (
        "items",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "additionalProperties",
        "unevaluatedItems",
        "unevaluatedProperties",
    ):
        found += _schema_keys(schema.get(key), f"{where}.{key}")
    for key in ("allOf", "anyOf", "oneOf", "prefixItems"):
        for i, sub in enumerate(schema.get(key, [])):
            found += _schema_keys(sub, f"{where}.{key}[{i}]")
    for key in ("properties", "patternProperties", "$defs", "dependentSchemas"):
        for name, sub in schema.get(key, {}).items():
            found += _schema_keys(sub, f"{where}.{key}.{name}")
    return found


async def test_every_schema_in_the_document_speaks_json_schema(api: Any) -> None:
    doc = (await api("GET", "openapi.json")).json
    schemas = [(f"components.{name}", schema) for name, schema in doc["components"]["schemas"].items()]
    for method, path, op in _operations(doc):
        schemas += [(f"{method} {path} ?{p['name']}", p["schema"]) for p in op.get("parameters", [])]
    found = [item for where, schema in schemas for item in _schema_keys(schema, where)]
    assert len(found) > 500
    unknown = [f"{where}: {key}" for where, key in found if key not in _SCHEMA_KEYWORDS]
    assert not unknown, unknown[:20]
