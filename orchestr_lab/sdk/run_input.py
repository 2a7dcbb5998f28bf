"""``RunInput``: the pydantic model of what a flow run asks for or is sent.

Its JSON schema is what a paused run stores (the form a person fills in: types, defaults,
descriptions, choices); the answer is checked against it before the run resumes and comes back
to the flow as an instance. As in Prefect, a class may carry a markdown description shown above
the form, and ``with_initial_data`` makes a subclass whose fields default to given values.

Runs also exchange inputs while they run: ``send_input(value, flow_run_id)`` (or
``SomeInput(...).send_to(flow_run_id)``) stores one under a fresh key ``<type>-auto-<uuid>``,
and ``receive_input(SomeInput)`` (or ``SomeInput.receive()``) iterates over the ones sent to
the current run, in the order they came, polling until ``timeout``. An input sent from a flow
run names it as sender, so the receiver can ``respond`` to it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, PrivateAttr, create_model

from ._dispatch import dispatch, in_thread
from .input_actions import (
    SENDER_PREFIX,
    FlowRunInput,
    create_flow_run_input,
    create_flow_run_input_from_model,
    ensure_flow_run_id,
    filter_flow_run_input,
    read_flow_run_input,
)

__all__ = [
    "AutomaticRunInput",
    "BaseRunInput",
    "GetAutomaticInputHandler",
    "GetInputHandler",
    "Keyset",
    "RunInput",
    "RunInputMetadata",
    "asend_input",
    "input_description",
    "input_model",
    "keyset_from_base_key",
    "keyset_from_paused_state",
    "receive_input",
    "run_input_subclass_from_type",
    "send_input",
]

_R = TypeVar("_R", bound="BaseRunInput")
T = TypeVar("T")

#: The keys under which a run's question is kept: its description, its schema, the response.
Keyset = dict[Literal["description", "response", "schema"], str]


def keyset_from_base_key(base_key: str) -> Keyset:
    return {
        "description": f"{base_key}-description",
        "response": f"{base_key}-response",
        "schema": f"{base_key}-schema",
    }


def keyset_from_paused_state(state: Any) -> Keyset:
    """The keyset of a PAUSED state's pause (``paused-<key>-...``)."""
    if not state.is_paused():
        raise RuntimeError(f"{state.type.value!r} is unsupported.")
    details = getattr(state, "details", None)
    key = details.get("pause_key") if isinstance(details, dict) else getattr(state.state_details, "pause_key", None)
    return keyset_from_base_key(f"{(state.name or '').lower()}-{key}")


class RunInputMetadata(BaseModel):
    """Where a received input came from: its key, who sent it, the run it was sent to."""

    key: str
    sender: str | None = None
    receiver: str


class BaseRunInput(BaseModel):
    """What ``RunInput`` and ``AutomaticRunInput`` share: saving, loading, sending, responding."""

    model_config = ConfigDict(extra="forbid")

    #: Markdown shown above the form (set it on a subclass, or through ``with_initial_data``).
    _description: ClassVar[str | None] = None
    _metadata: RunInputMetadata = PrivateAttr()

    @property
    def metadata(self) -> RunInputMetadata:
        return self._metadata

    @classmethod
    def keyset_from_type(cls) -> Keyset:
        return keyset_from_base_key(cls.__name__.lower())

    @classmethod
    def with_initial_data(cls: type[_R], description: str | None = None, **defaults: Any) -> type[_R]:
        """A subclass whose fields default to ``defaults`` (a new name gets its value's type)."""
        fields: dict[str, Any] = {}
        for name, value in defaults.items():
            known = cls.model_fields.get(name)
            fields[name] = (known.annotation if known is not None else type(value), value)
        model = create_model(cls.__name__, __base__=cls, **fields)
        if description is not None:
            model._description = description
        return model

    # -- a question kept as inputs: its schema and description, then the response ---------
    @classmethod
    def _save(cls, keyset: Keyset, flow_run_id: Any = None) -> None:
        create_flow_run_input(keyset["schema"], cls.model_json_schema(), flow_run_id=flow_run_id, _sync=True)
        description = input_description(cls)
        if description:
            create_flow_run_input(keyset["description"], description, flow_run_id=flow_run_id, _sync=True)

    @classmethod
    async def asave(cls, keyset: Keyset, flow_run_id: Any = None) -> None:
        await in_thread(cls._save, keyset, flow_run_id)

    @classmethod
    @dispatch(asave)
    def save(cls, keyset: Keyset, flow_run_id: Any = None) -> None:
        """Store this class's JSON schema (and description) under ``keyset``."""
        cls._save(keyset, flow_run_id)

    @classmethod
    def _load(cls, keyset: Keyset, flow_run_id: Any = None) -> Any:
        run_id = ensure_flow_run_id(flow_run_id)
        value = read_flow_run_input(keyset["response"], flow_run_id=run_id, _sync=True)
        instance = cls(**value) if value else cls()
        instance._metadata = RunInputMetadata(key=keyset["response"], sender=None, receiver=run_id)
        return instance

    @classmethod
    async def aload(cls, keyset: Keyset, flow_run_id: Any = None) -> Any:
        return await in_thread(cls._load, keyset, flow_run_id)

    @classmethod
    @dispatch(aload)
    def load(cls, keyset: Keyset, flow_run_id: Any = None) -> Any:
        """The response stored under ``keyset``, as an instance (the defaults when none came)."""
        return cls._load(keyset, flow_run_id)

    @classmethod
    def load_from_flow_run_input(cls: type[_R], flow_run_input: FlowRunInput) -> _R:
        """A received input as an instance, with its :class:`RunInputMetadata`."""
        instance = cls(**flow_run_input.decoded_value)
        instance._metadata = RunInputMetadata(
            key=flow_run_input.key, sender=flow_run_input.sender, receiver=flow_run_input.flow_run_id
        )
        return instance

    # -- sending -------------------------------------------------------------------------------
    def _respond(self, run_input: Any, sender: str | None = None, key_prefix: str | None = None) -> None:
        origin = self.metadata.sender or ""
        if not origin.startswith(SENDER_PREFIX):
            raise RuntimeError("Cannot respond to an input that was not sent by a flow run.")
        _send(run_input, origin.rpartition(".")[2], sender, key_prefix)

    async def arespond(self, run_input: Any, sender: str | None = None, key_prefix: str | None = None) -> None:
        await in_thread(self._respond, run_input, sender, key_prefix)

    @dispatch(arespond)
    def respond(self, run_input: Any, sender: str | None = None, key_prefix: str | None = None) -> None:
        """Send ``run_input`` back to the flow run that sent this one."""
        self._respond(run_input, sender, key_prefix)

    async def asend_to(self, flow_run_id: Any, sender: str | None = None, key_prefix: str | None = None) -> None:
        await in_thread(_send, self, flow_run_id, sender, key_prefix)

    @dispatch(asend_to)
    def send_to(self, flow_run_id: Any, sender: str | None = None, key_prefix: str | None = None) -> None:
        """Send this input to flow run ``flow_run_id``."""
        _send(self, flow_run_id, sender, key_prefix)


class RunInput(BaseRunInput):
    """Subclass it with the fields a run asks for; pass the class as ``wait_for_input``, or
    send instances to a run and receive them there."""

    @classmethod
    def receive(
        cls: type[_R],
        timeout: float | None = 3600,
        poll_interval: float = 10,
        raise_timeout_error: bool = False,
        exclude_keys: set[str] | None = None,
        key_prefix: str | None = None,
        flow_run_id: Any = None,
    ) -> GetInputHandler[_R]:
        """An iterator over the inputs of this type sent to the run (this one by default)."""
        return GetInputHandler(
            cls,
            key_prefix or f"{cls.__name__.lower()}-auto",
            timeout=timeout,
            poll_interval=poll_interval,
            raise_timeout_error=raise_timeout_error,
            exclude_keys=exclude_keys,
            flow_run_id=flow_run_id,
        )

    @classmethod
    def subclass_from_base_model_type(cls, model_cls: type[BaseModel]) -> type[RunInput]:
        """A ``RunInput`` with the fields of pydantic model ``model_cls``."""
        return type(f"{model_cls.__name__}RunInput", (RunInput, model_cls), {})


class AutomaticRunInput(BaseRunInput, Generic[T]):
    """A plain value (an ``int``, a ``list[str]``, a pydantic model) sent as one field ``value``."""

    value: T

    @classmethod
    def _load(cls, keyset: Keyset, flow_run_id: Any = None) -> Any:
        return super()._load(keyset, flow_run_id).value

    @classmethod
    def subclass_from_type(cls, _type: Any) -> type[AutomaticRunInput[Any]]:
        """The subclass for ``_type``, named after it so senders and receivers agree on the key
        prefix (``int`` -> ``intautomaticruninput-auto``)."""
        prefix = str(getattr(_type, "__name__", getattr(_type, "_name", "")) or "").lower()
        model: type[AutomaticRunInput[Any]] = create_model(
            f"{prefix}AutomaticRunInput", __base__=AutomaticRunInput, value=(_type, ...)
        )
        return model

    @classmethod
    def receive(
        cls,
        timeout: float | None = 3600,
        poll_interval: float = 10,
        raise_timeout_error: bool = False,
        exclude_keys: set[str] | None = None,
        key_prefix: str | None = None,
        flow_run_id: Any = None,
        with_metadata: bool = False,
    ) -> GetAutomaticInputHandler[Any]:
        """An iterator over the values sent: each the value itself, or with ``with_metadata``
        the input (its ``value`` and ``metadata``)."""
        return GetAutomaticInputHandler(
            cls,
            key_prefix or f"{cls.__name__.lower()}-auto",
            timeout=timeout,
            poll_interval=poll_interval,
            raise_timeout_error=raise_timeout_error,
            exclude_keys=exclude_keys,
            flow_run_id=flow_run_id,
            with_metadata=with_metadata,
        )


def run_input_subclass_from_type(_type: Any) -> type[BaseRunInput]:
    """The input class for ``_type``: itself (a RunInput), a RunInput with a model's fields, or
    an :class:`AutomaticRunInput` holding a value of it."""
    if isinstance(_type, type) and issubclass(_type, RunInput):
        return _type
    if isinstance(_type, type) and issubclass(_type, BaseModel):
        return RunInput.subclass_from_base_model_type(_type)
    return AutomaticRunInput.subclass_from_type(_type)


class GetInputHandler(Generic[_R]):
    """Iterates over the inputs sent to a run under a key prefix, oldest first, each once:
    ``next()`` waits for the next (polling every ``poll_interval`` s) up to ``timeout`` s, then
    raises ``TimeoutError``; iteration stops there instead, unless ``raise_timeout_error``."""

    def __init__(
        self,
        run_input_cls: type[_R],
        key_prefix: str,
        timeout: float | None = 3600,
        poll_interval: float = 10,
        raise_timeout_error: bool = False,
        exclude_keys: set[str] | None = None,
        flow_run_id: Any = None,
    ) -> None:
        self.run_input_cls = run_input_cls
        self.key_prefix = key_prefix
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.raise_timeout_error = raise_timeout_error
        self.exclude_keys: set[str] = set(exclude_keys or ())
        self.flow_run_id = ensure_flow_run_id(flow_run_id)

    def __iter__(self) -> GetInputHandler[_R]:
        return self

    def __next__(self) -> Any:
        return self._or_stop(self._next, StopIteration)

    def __aiter__(self) -> GetInputHandler[_R]:
        return self

    async def __anext__(self) -> Any:
        return await in_thread(self._or_stop, self._next, StopAsyncIteration)

    def _or_stop(self, get: Callable[[], Any], stop: type[Exception]) -> Any:
        try:
            return get()
        except TimeoutError:
            if self.raise_timeout_error:
                raise
            raise stop from None

    def filter_for_inputs_sync(self) -> list[FlowRunInput]:
        """The next unseen input, if one came (it is marked seen)."""
        found = filter_flow_run_input(
            self.key_prefix, limit=1, exclude_keys=self.exclude_keys, flow_run_id=self.flow_run_id, _sync=True
        )
        self.exclude_keys.update(i.key for i in found)
        return found

    async def filter_for_inputs(self) -> list[FlowRunInput]:
        return await in_thread(self.filter_for_inputs_sync)

    def to_instance(self, flow_run_input: FlowRunInput) -> Any:
        return self.run_input_cls.load_from_flow_run_input(flow_run_input)

    def _next(self) -> Any:
        found = self.filter_for_inputs_sync()
        started = time.monotonic()
        while not found:
            if self.timeout is not None and time.monotonic() - started >= self.timeout:
                raise TimeoutError("Timed out waiting for input")
            wait = self.poll_interval
            if self.timeout is not None:
                wait = min(wait, max(self.timeout - (time.monotonic() - started), 0.0))
            time.sleep(wait)
            found = self.filter_for_inputs_sync()
        return self.to_instance(found[0])

    async def anext(self) -> Any:
        return await in_thread(self._next)

    @dispatch(anext)
    def next(self) -> Any:
        """The next input (waiting for it); ``TimeoutError`` after ``timeout`` seconds."""
        return self._next()


class GetAutomaticInputHandler(GetInputHandler[Any], Generic[T]):
    """As :class:`GetInputHandler`, giving each input's ``value`` (or, ``with_metadata``, the input)."""

    def __init__(self, run_input_cls: type[Any], key_prefix: str, *, with_metadata: bool = False, **options: Any):
        super().__init__(run_input_cls, key_prefix, **options)
        self.with_metadata = with_metadata

    def to_instance(self, flow_run_input: FlowRunInput) -> Any:
        received = super().to_instance(flow_run_input)
        return received if self.with_metadata else received.value


def _send(run_input: Any, flow_run_id: Any, sender: str | None, key_prefix: str | None) -> None:
    """Store ``run_input`` (a RunInput, or any value wrapped as an automatic one) for the run
    under ``<key_prefix>-<uuid>``."""
    if not isinstance(run_input, RunInput):
        wrapper = run_input_subclass_from_type(type(run_input))
        run_input = wrapper(value=run_input) if issubclass(wrapper, AutomaticRunInput) else wrapper(**dict(run_input))
    prefix = key_prefix or f"{type(run_input).__name__.lower()}-auto"
    key = f"{prefix}-{uuid.uuid4()}"
    create_flow_run_input_from_model(key, run_input, flow_run_id=str(flow_run_id), sender=sender, _sync=True)


async def asend_input(
    run_input: Any, flow_run_id: Any, sender: str | None = None, key_prefix: str | None = None
) -> None:
    await in_thread(_send, run_input, flow_run_id, sender, key_prefix)


@dispatch(asend_input)
def send_input(run_input: Any, flow_run_id: Any, sender: str | None = None, key_prefix: str | None = None) -> None:
    """Send ``run_input`` (a RunInput, a pydantic model or a plain value) to flow run ``flow_run_id``."""
    _send(run_input, flow_run_id, sender, key_prefix)


def receive_input(
    input_type: Any,
    timeout: float | None = 3600,
    poll_interval: float = 10,
    raise_timeout_error: bool = False,
    exclude_keys: set[str] | None = None,
    key_prefix: str | None = None,
    flow_run_id: Any = None,
    with_metadata: bool = False,
) -> GetInputHandler[Any]:
    """Iterate over the inputs of ``input_type`` sent to the run (this one by default): RunInput
    instances, or for a plain type the values (with ``with_metadata``, the inputs)."""
    input_cls = run_input_subclass_from_type(input_type)
    options: dict[str, Any] = {
        "timeout": timeout,
        "poll_interval": poll_interval,
        "raise_timeout_error": raise_timeout_error,
        "exclude_keys": exclude_keys,
        "key_prefix": key_prefix,
        "flow_run_id": flow_run_id,
    }
    if issubclass(input_cls, AutomaticRunInput):
        return input_cls.receive(**options, with_metadata=with_metadata)
    return input_cls.receive(**options)  # type: ignore[attr-defined]


# -- what pause_flow_run asks with -------------------------------------------------------------


class _Value(RunInput):
    """What a plain type (``int``, ``Literal[...]``) is asked as: one field, ``value``."""


def input_model(wanted: Any) -> tuple[type[BaseModel], bool]:
    """The model to ask with for ``wait_for_input``, and whether the flow gets its ``value`` back
    (a plain type) rather than the instance (a RunInput or other pydantic model)."""
    if isinstance(wanted, type) and issubclass(wanted, BaseModel):
        return wanted, False
    return create_model("RunInput", __base__=_Value, value=(wanted, ...)), True


def input_description(model: type[BaseModel]) -> str | None:
    """The markdown shown above the form, when the model has one."""
    text = getattr(model, "_description", None)
    return text if isinstance(text, str) else None
