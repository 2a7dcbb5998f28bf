"""Cache policies: what makes two task runs "the same" so the second can reuse a result.

Prefect 3's vocabulary: ``INPUTS``, ``TASK_SOURCE``, ``RUN_ID``, ``FLOW_PARAMETERS``, ``NONE``,
combined with ``+``; ``INPUTS - "name"`` ignores an input. A ``cache_key_fn(context, parameters)``
is wrapped as a policy. Keys are hex digests, so they double as result-file names.

``policy.configure(key_storage=, lock_manager=, isolation_level=)`` returns a copy that keeps its
records in another directory and, with ``isolation_level="SERIALIZABLE"`` and a lock manager,
makes concurrent runs with the same key run once (see ``engine/transactions.py``).
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import json
from collections.abc import Callable, Iterable
from typing import Any

__all__ = [
    "DEFAULT",
    "FLOW_PARAMETERS",
    "INPUTS",
    "NONE",
    "RUN_ID",
    "TASK_SOURCE",
    "CacheKeyFnPolicy",
    "CachePolicy",
    "CompoundCachePolicy",
    "Inputs",
    "StorageKeyPolicy",
    "hash_objects",
]


def hash_objects(*objs: Any) -> str | None:
    """A stable digest of values: JSON when possible, else cloudpickle; None if neither works."""
    try:
        payload = json.dumps(objs, sort_keys=True, default=_json_default).encode()
    except (TypeError, ValueError):
        try:
            import cloudpickle

            payload = cloudpickle.dumps(objs)
        except Exception:
            return None
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def _json_default(obj: Any) -> Any:
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=repr)
    if isinstance(obj, bytes):
        return obj.hex()
    raise TypeError


class CachePolicy:
    """Computes a cache key for a task run, or None for "do not cache"."""

    #: Where records keyed by this policy live (a directory; None: the task's result storage).
    key_storage: Any = None
    #: Locks keys for SERIALIZABLE transactions (a ``LockManager``).
    lock_manager: Any = None
    #: ``"READ_COMMITTED"``/``"SERIALIZABLE"`` (or an ``IsolationLevel``); None: inherited.
    isolation_level: Any = None

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def configure(self, key_storage: Any = None, lock_manager: Any = None, isolation_level: Any = None) -> Any:
        """A copy with the given storage, lock manager or isolation level (None keeps the current one)."""
        new = copy.copy(self)
        if key_storage is not None:
            new.key_storage = key_storage
        if lock_manager is not None:
            new.lock_manager = lock_manager
        if isolation_level is not None:
            new.isolation_level = isolation_level
        return new

    @property
    def locking(self) -> bool:
        """Whether runs under this policy need a transaction of their own (storage or locks set)."""
        return self.key_storage is not None or self.lock_manager is not None or self.isolation_level is not None

    def __add__(self, other: CachePolicy) -> CachePolicy:
        if isinstance(other, _NoCache):
            return self
        combined = CompoundCachePolicy([*_parts(self), *_parts(other)])
        for name, what in (
            ("key_storage", "storage locations"),
            ("isolation_level", "isolation levels"),
            ("lock_manager", "lock implementations"),
        ):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine is not None and theirs is not None and mine != theirs:
                raise ValueError(f"Cannot add CachePolicies with different {what}.")
            setattr(combined, name, mine if mine is not None else theirs)
        return combined

    def __repr__(self) -> str:
        return type(self).__name__


def _parts(policy: CachePolicy) -> list[CachePolicy]:
    return list(policy.policies) if isinstance(policy, CompoundCachePolicy) else [policy]


class CompoundCachePolicy(CachePolicy):
    """Several policies at once: the key changes when any part's key changes."""

    def __init__(self, policies: Iterable[CachePolicy]) -> None:
        self.policies = [p for p in policies if not isinstance(p, _NoCache)]

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> str | None:
        keys = [p.compute_key(task_ctx, inputs, flow_parameters) for p in self.policies]
        keys = [k for k in keys if k is not None]
        return hash_objects(*keys) if keys else None

    def __sub__(self, name: str) -> CompoundCachePolicy:
        less = CompoundCachePolicy(p - name if isinstance(p, Inputs) else p for p in self.policies)
        less.key_storage, less.lock_manager, less.isolation_level = (
            self.key_storage,
            self.lock_manager,
            self.isolation_level,
        )
        return less

    def __repr__(self) -> str:
        return " + ".join(repr(p) for p in self.policies)


class _NoCache(CachePolicy):
    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> None:
        return None

    def __add__(self, other: CachePolicy) -> CachePolicy:
        return other

    def __repr__(self) -> str:
        return "NONE"


class Inputs(CachePolicy):
    """The task's arguments; ``INPUTS - "client"`` leaves an argument out."""

    def __init__(self, exclude: Iterable[str] = ()) -> None:
        self.exclude = tuple(exclude)

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> str | None:
        if self.exclude:
            inputs = {k: v for k, v in inputs.items() if k not in self.exclude}
        return hash_objects(inputs)

    def __sub__(self, name: str) -> Inputs:
        less = copy.copy(self)
        less.exclude = (*self.exclude, name)
        return less

    def __repr__(self) -> str:
        return "INPUTS" if not self.exclude else f"INPUTS - {list(self.exclude)}"


class _TaskSource(CachePolicy):
    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> str | None:
        return _source_hash(task_ctx.task.fn)

    def __repr__(self) -> str:
        return "TASK_SOURCE"


_source_cache: dict[Any, str] = {}


def _source_hash(fn: Callable[..., Any]) -> str:
    code = getattr(fn, "__code__", None)
    cached = _source_cache.get(code)
    if cached is None:
        try:
            src: Any = inspect.getsource(fn)
        except (OSError, TypeError):
            src = code.co_code.hex() if code is not None else repr(fn)
        cached = _source_cache[code] = hash_objects(src) or ""
    return cached


class _RunId(CachePolicy):
    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> str | None:
        flow_run = task_ctx.flow_run
        return flow_run.id if flow_run is not None else None

    def __repr__(self) -> str:
        return "RUN_ID"


class _FlowParameters(CachePolicy):
    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> str | None:
        return hash_objects(flow_parameters)

    def __repr__(self) -> str:
        return "FLOW_PARAMETERS"


class CacheKeyFnPolicy(CachePolicy):
    """A user's ``cache_key_fn(context, parameters) -> str | None``."""

    def __init__(self, fn: Callable[[Any, dict[str, Any]], str | None]) -> None:
        self.fn = fn

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> str | None:
        key = self.fn(task_ctx, inputs)
        return None if key is None else hash_objects(str(key))

    def __repr__(self) -> str:
        return f"cache_key_fn({getattr(self.fn, '__name__', self.fn)!s})"


class StorageKeyPolicy(CachePolicy):
    """A task's ``result_storage_key``: a template formatted with the run's ``parameters`` (and
    ``flow_run``/``task_run``), used as is as the record's key (a path under the storage)."""

    def __init__(self, template: str) -> None:
        self.template = template

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any]) -> str | None:
        return self.template.format(parameters=inputs, task_run=task_ctx, flow_run=task_ctx.flow_run)

    def __repr__(self) -> str:
        return f"result_storage_key({self.template!r})"


INPUTS: CachePolicy = Inputs()
TASK_SOURCE: CachePolicy = _TaskSource()
RUN_ID: CachePolicy = _RunId()
FLOW_PARAMETERS: CachePolicy = _FlowParameters()
NONE: CachePolicy = _NoCache()
DEFAULT: CachePolicy = INPUTS + TASK_SOURCE + RUN_ID
