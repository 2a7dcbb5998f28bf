"""What one API route is (:class:`Route`) and where routes live (:data:`API_PREFIX`).

Apart from the table itself (``routes.ROUTES``), so the OpenAPI document's builder, which the
table's ``/openapi.json`` route serves, reads routes without importing the table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["API_PREFIX", "Route", "url_pattern"]

#: Where every route lives, below the server's base_url.
API_PREFIX = "orchestr-lab/api"


@dataclass(frozen=True)
class Route:
    """One operation: its method and path, the action serving it, its models and status."""

    method: str
    path: str
    call: Callable[..., Any] | None
    summary: str
    response: Any = None
    body: type | None = None
    query: type | None = None
    status: int = 200
    tag: str = "orchestr-lab"
    websocket: bool = False
    #: The answer is (or holds) a resource that other routes address: ``(their path prefix, a JSON
    #: pointer to its key in the answer)``; the OpenAPI document links them (stateful fuzzing uses it).
    links: tuple[tuple[str, str], ...] = ()
    #: The answer may also be text of this media type instead of JSON (``?format=csv``).
    text_media: str | None = None
    #: What a 2xx answer is when it is not JSON (the action returns a ``core.documents.Document``).
    media_type: str = "application/json"

    @property
    def path_params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)


def url_pattern(path: str) -> str:
    """A tornado URL pattern (relative to base_url) for an OpenAPI-style route path."""
    regex = re.sub(r"{(\w+)}", r"(?P<\1>[^/]+)", path)
    return API_PREFIX + regex
