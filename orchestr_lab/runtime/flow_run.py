"""``orchestr_lab.runtime.flow_run``: attributes read from the current run when accessed."""

from typing import Any

from ..sdk import runtime as _runtime

__all__ = _runtime.attributes(_runtime.flow_run)


def __getattr__(name: str) -> Any:
    return getattr(_runtime.flow_run, name)


def __dir__() -> list[str]:
    return list(__all__)
