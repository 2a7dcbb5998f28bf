"""``RunInput``: the pydantic model of what a paused flow run asks a person for.

Its JSON schema is what the run stores when it pauses (the form a person fills in: types,
defaults, descriptions, choices); the answer is checked against it before the run resumes and
comes back to the flow as an instance. As in Prefect, a class may carry a markdown
description shown above the form, and ``with_initial_data`` makes a subclass whose fields
default to given values.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, create_model

__all__ = ["RunInput", "input_description", "input_model"]

_R = TypeVar("_R", bound="RunInput")


class RunInput(BaseModel):
    """Subclass it with the fields a paused run asks for; pass the class as ``wait_for_input``."""

    model_config = ConfigDict(extra="forbid")

    #: Markdown shown above the form (set it on a subclass, or through ``with_initial_data``).
    _description: ClassVar[str | None] = None

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
