"""Tornado handlers, generated from the route table (``server_ext.routes``)."""

from __future__ import annotations

from typing import Any

from ..route import Route, url_pattern
from ..routes import ROUTES
from .base import RouteHandler
from .events import EventStreamHandler

__all__ = ["build_handlers"]


def build_handlers() -> list[tuple[str, type[Any]]]:
    """One handler class per URL, serving that URL's routes; the WebSocket has its own class."""
    by_path: dict[str, dict[str, Route]] = {}
    for route in ROUTES:
        methods = by_path.setdefault(route.path, {})
        if route.method in methods:
            raise ValueError(f"route {route.method} {route.path} is listed twice")
        methods[route.method] = route
    handlers: list[tuple[str, type[Any]]] = []
    for path, methods in by_path.items():
        if any(r.websocket for r in methods.values()):
            handlers.append((url_pattern(path), EventStreamHandler))
            continue
        name = "".join(p.title() for p in path.replace("{", "").replace("}", "").replace(".", "_").split("/"))
        cls = type(f"{name or 'Root'}Handler", (RouteHandler,), {"routes": methods})
        handlers.append((url_pattern(path), cls))
    return handlers
