"""An answer that is not JSON: a document served as it is (an HTML report, a CSV table).

An action returns a :class:`Document`; the REST handler writes its body with its media type
and headers instead of serialising JSON. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Document"]


@dataclass(frozen=True)
class Document:
    """A body, its media type, and headers the server adds (a Content-Security-Policy, a
    Content-Disposition)."""

    body: str
    media_type: str
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)
