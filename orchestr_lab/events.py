"""``orchestr_lab.events``: Prefect's ``emit_event`` (and the ``Event`` it returns)."""

from .sdk.events import Event, RelatedResource, Resource, emit_event

__all__ = ["Event", "RelatedResource", "Resource", "emit_event"]
