"""What ``Flow`` and ``Task`` share: the wrapped function, its options and its state hooks.

Both keep the options they were made with (so ``with_options`` can make a changed copy), both
take the function's identity (``__name__``, ``__doc__``, ...) so they read like it in a notebook,
and both collect hooks through decorators (``@my_task.on_failure``).
"""

from __future__ import annotations

import copy
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
    on_running: list[Hook] | None
    cache_result_in_memory: bool


class WrappedFunction:
    """A function made a flow or a task; subclasses list their hook kinds in ``HOOKS``."""

    #: Hook kinds, each an option (``on_completion=[...]``) and a list ``<kind>_hooks``.
    HOOKS: tuple[str, ...] = ("on_completion", "on_failure", "on_running")

    fn: Callable[..., Any]
    name: str
    _options: dict[str, Any]
    #: What a method-like flow or task is bound to: an instance, a class, or None (unbound).
    _bound_to: Any = None
    #: How it binds when read from a class: "method" (to the instance), "class", or "static".
    _binding = "method"

    def _wrap(self, fn: Callable[..., Any], what: str, options: dict[str, Any]) -> None:
        """Keep ``fn`` and the constructor's ``options`` (its ``locals()``); refuse a non-callable.

        ``fn`` may be a classmethod or staticmethod object (``@flow`` above ``@classmethod``):
        the function inside is wrapped and binds to the class, or to nothing."""
        self._options = {k: v for k, v in options.items() if k not in ("self", "fn", "__class__")}
        if isinstance(fn, (classmethod, staticmethod)):
            self._binding = "class" if isinstance(fn, classmethod) else "static"
            self._options["fn"] = fn  # with_options() rebuilds from the descriptor
            fn = fn.__func__
        if not callable(fn):
            raise TypeError(f"@{what} needs a function")
        self.fn = fn
        self._bound_to = None  # an instance attribute: read on every call
        self.isasync = inspect.iscoroutinefunction(fn)
        self.isasyncgen = inspect.isasyncgenfunction(fn)
        self.isgenerator = self.isasyncgen or inspect.isgeneratorfunction(fn)
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
        options = {**self._options, **hooks, **changes}
        fn = options.pop("fn", self.fn)
        made = type(self)(fn, **options)  # type: ignore[call-arg]
        made._bound_to = self._bound_to
        return made

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        """Read from a class or an instance: a copy bound to the instance (a method), to the
        class (a classmethod), or this object itself (a staticmethod, or read from the class)."""
        if self._binding == "static":
            return self
        target = owner if self._binding == "class" else instance
        if target is None:
            return self
        bound = copy.copy(self)
        bound._bound_to = target
        return bound

    def _with_bound(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """``args`` with the bound instance or class first (when bound)."""
        return args if self._bound_to is None else (self._bound_to, *args)

    def _add_hook(self, kind: str, fn: Hook) -> Hook:
        getattr(self, f"{kind}_hooks").append(fn)
        return fn

    def on_completion(self, fn: Hook) -> Hook:
        """Decorator: call ``fn(self, run, state)`` when a run completes."""
        return self._add_hook("on_completion", fn)

    def on_failure(self, fn: Hook) -> Hook:
        """Decorator: call ``fn(self, run, state)`` when a run finally fails."""
        return self._add_hook("on_failure", fn)

    def on_running(self, fn: Hook) -> Hook:
        """Decorator: call ``fn(self, run, state)`` each time a run enters RUNNING (or RETRYING)."""
        return self._add_hook("on_running", fn)
