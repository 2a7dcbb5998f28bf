"""``Variable``: named, mutable JSON values shared by flows, with Prefect's methods and errors.

``Variable.set`` refuses an existing name unless ``overwrite=True`` (a ``ValueError`` worded as
Prefect words it); ``get`` answers ``default`` for a missing name and ``unset`` answers whether
there was one. Names and values are checked before anything is sent, with the same pydantic
models the API uses, so a bad one raises a ``ValidationError`` locally and over HTTP alike.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from ..core.errors import Conflict
from ..core.schemas_variables import VariableCreate, VariableName, VariableValue
from ._dispatch import backend, dispatch, in_thread

__all__ = ["Variable"]

T = TypeVar("T")


class Variable(BaseModel, Generic[T]):
    """A named JSON value: ``Variable.set("region", "eu", overwrite=True)``, ``Variable.get("region")``."""

    name: VariableName = Field(description="The name of the variable")
    value: VariableValue = Field(description="The value of the variable")
    tags: list[str] | None = Field(default=None)

    # -- set ----------------------------------------------------------------------------------

    @classmethod
    def _set(cls, name: str, value: Any, tags: list[str] | None = None, overwrite: bool = False) -> Variable[Any]:
        spec = VariableCreate.model_validate({"name": name, "value": value, "tags": tags or []}).model_dump()
        client = backend()
        try:
            if client.get_variable(name) is None:
                try:
                    return cls.model_validate(_fields(client.create_variable(spec)))
                except Conflict:  # made meanwhile by someone else: as if it had been there
                    pass
            if not overwrite:
                raise ValueError(f"Variable {name!r} already exists. Use `overwrite=True` to update it.")
            changes = {"value": spec["value"], "tags": spec["tags"]}
            return cls.model_validate(_fields(client.update_variable(name, changes)))
        finally:
            client.close()

    @classmethod
    async def aset(cls, name: str, value: Any, tags: list[str] | None = None, overwrite: bool = False) -> Variable[Any]:
        """Set a variable (async); ``overwrite=True`` to replace an existing one."""
        result: Variable[Any] = await in_thread(cls._set, name, value, tags, overwrite)
        return result

    @classmethod
    @dispatch(aset)
    def set(cls, name: str, value: Any, tags: list[str] | None = None, overwrite: bool = False) -> Variable[Any]:
        """Set a variable and return it; one that exists needs ``overwrite=True``."""
        return cls._set(name, value, tags, overwrite)

    # -- get ----------------------------------------------------------------------------------

    @classmethod
    def _get(cls, name: str, default: Any = None) -> Any:
        client = backend()
        try:
            found = client.get_variable(name)
        finally:
            client.close()
        return default if found is None else found["value"]

    @classmethod
    async def aget(cls, name: str, default: Any = None) -> Any:
        """A variable's value, or ``default`` when there is none (async)."""
        return await in_thread(cls._get, name, default)

    @classmethod
    @dispatch(aget)
    def get(cls, name: str, default: Any = None) -> Any:
        """A variable's value, or ``default`` when there is none."""
        return cls._get(name, default)

    # -- unset --------------------------------------------------------------------------------

    @classmethod
    def _unset(cls, name: str) -> bool:
        from ..core.errors import NotFound

        client = backend()
        try:
            client.delete_variable(name)
        except NotFound:
            return False
        finally:
            client.close()
        return True

    @classmethod
    async def aunset(cls, name: str) -> bool:
        """Delete a variable (async); False when there was none."""
        result: bool = await in_thread(cls._unset, name)
        return result

    @classmethod
    @dispatch(aunset)
    def unset(cls, name: str) -> bool:
        """Delete a variable; False when there was none."""
        return cls._unset(name)

    # -- delete: unset under the name the rest of the API uses for removing things ---------------

    @classmethod
    async def adelete(cls, name: str) -> bool:
        """:meth:`aunset`."""
        return await cls.aunset(name)

    @classmethod
    @dispatch(adelete)
    def delete(cls, name: str) -> bool:
        """:meth:`unset`."""
        return cls._unset(name)


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    return {"name": row["name"], "value": row["value"], "tags": row["tags"]}
