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
            path = re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", r"{\1}", pattern[len(prefix):])
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
    # The DESIGN table's routes are all there.
    for method, path in [
        ("GET", "/health"), ("GET", "/notebooks/parameters"), ("POST", "/deployments"),
        ("GET", "/deployments"), ("GET", "/deployments/{deployment_id}"),
        ("PATCH", "/deployments/{deployment_id}"), ("DELETE", "/deployments/{deployment_id}"),
        ("POST", "/deployments/{deployment_id}/runs"), ("GET", "/flow_runs"),
        ("GET", "/flow_runs/{flow_run_id}"), ("POST", "/flow_runs/{flow_run_id}/cancel"),
        ("POST", "/flow_runs/{flow_run_id}/retry"), ("GET", "/flow_runs/{flow_run_id}/task_runs"),
        ("GET", "/flow_runs/{flow_run_id}/logs"), ("GET", "/flow_runs/{flow_run_id}/notebook"),
        ("GET", "/events"), ("GET", "/events/stream"),
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
