"""``orchestr_lab.runtime.task_run``: attributes read from the current run when accessed."""

from typing import Any

from ..sdk import runtime as _runtime

__all__ = _runtime.attributes(_runtime.task_run)


def __getattr__(name: str) -> Any:
    return getattr(_runtime.task_run, name)


def __dir__() -> list[str]:
    return list(__all__)
