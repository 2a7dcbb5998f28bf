"""What ``Flow`` and ``Task`` share: the wrapped function, its options and its state hooks.

Both keep the options they were made with (so ``with_options`` can make a changed copy), both
take the function's identity (``__name__``, ``__doc__``, ...) so they read like it in a notebook,
and both collect hooks through decorators (``@my_task.on_failure``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypedDict

from ._calls import simple_signature

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["RunOptions", "WrappedFunction"]

Hook = Callable[..., Any]


class RunOptions(TypedDict, total=False):
    """The options ``@flow(...)`` and ``@task(...)`` both take (for type checkers)."""

    name: str | None
    description: str | None
    version: str | None
    tags: Iterable[str] | None
    retries: int | None
    timeout_seconds: float | None
    persist_result: bool | None
    result_storage: Any
    log_prints: bool | None
    on_completion: list[Hook] | None
    on_failure: list[Hook] | None


class WrappedFunction:
    """A function made a flow or a task; subclasses list their hook kinds in ``HOOKS``."""

    #: Hook kinds, each an option (``on_completion=[...]``) and a list ``<kind>_hooks``.
    HOOKS: tuple[str, ...] = ("on_completion", "on_failure")

    fn: Callable[..., Any]
    name: str
    _options: dict[str, Any]

    def _wrap(self, fn: Callable[..., Any], what: str, options: dict[str, Any]) -> None:
        """Keep ``fn`` and the constructor's ``options`` (its ``locals()``); refuse a non-callable."""
        if not callable(fn):
            raise TypeError(f"@{what} needs a function")
        self._options = {k: v for k, v in options.items() if k not in ("self", "fn", "__class__")}
        self.fn = fn
        self.isasync = inspect.iscoroutinefunction(fn)
        self.signature = inspect.signature(fn)
        self.simple_signature = simple_signature(self.signature)
        for kind in self.HOOKS:
            setattr(self, f"{kind}_hooks", list(options.get(kind) or ()))

    def _take_identity(self) -> None:
        """Read like the function: its docstring, names and module (after ``name`` is set)."""
        fn = self.fn
        self.__doc__ = fn.__doc__
        self.__name__ = getattr(fn, "__name__", self.name)
        self.__qualname__ = getattr(fn, "__qualname__", self.name)
        self.__module__ = getattr(fn, "__module__", type(self).__module__)
        self.__wrapped__ = fn

    def with_options(self, **changes: Any) -> Self:
        """A copy with some options changed (hooks added since by decorators are kept)."""
        unknown = set(changes) - set(self._options)
        if unknown:
            raise TypeError(f"with_options() got unexpected options: {sorted(unknown)}")
        hooks = {kind: getattr(self, f"{kind}_hooks") for kind in self.HOOKS}
        return type(self)(self.fn, **{**self._options, **hooks, **changes})  # type: ignore[call-arg]

    def _add_hook(self, kind: str, fn: Hook) -> Hook:
        getattr(self, f"{kind}_hooks").append(fn)
        return fn

    def on_completion(self, fn: Hook) -> Hook:
        """Decorator: call ``fn(self, run, state)`` when a run completes."""
        return self._add_hook("on_completion", fn)

    def on_failure(self, fn: Hook) -> Hook:
        """Decorator: call ``fn(self, run, state)`` when a run finally fails."""
        return self._add_hook("on_failure", fn)
