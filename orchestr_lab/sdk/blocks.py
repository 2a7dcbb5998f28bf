"""``Block``: typed configuration saved by name (``save``/``load``), with Prefect's semantics.

A subclass is a pydantic model. Saving one registers its block type (by slug) and its schema
(by checksum: the sha256 of the class's JSON schema, so a class whose fields change registers a
new schema while its saved blocks stay readable) and stores its field values, secrets included,
encrypted by the store. Fields typed ``SecretStr``, ``SecretBytes`` or ``pydantic.Secret`` are
the block's *secret fields*: listed and read back as ``********`` everywhere but ``load``.
Nested blocks are saved inside their parent (Prefect saves them as references).
"""

from __future__ import annotations

import hashlib
import json
import re
import types
import typing
import uuid
import warnings
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    Secret as PydanticSecret,
    SecretBytes,
    SecretStr,
    ValidationError,
)
from pydantic_core import to_jsonable_python
from typing_extensions import Self

from ..core.errors import Conflict
from ._dispatch import backend, dispatch, in_thread

__all__ = ["Block", "BlockNotSavedError", "InvalidBlockRegistration", "UnknownBlockType"]

#: Block classes by slug, for ``Block.load("slug/name")``.
_REGISTRY: dict[str, type[Block]] = {}


class UnknownBlockType(Exception):
    """No block class of that slug has been imported in this process."""


class InvalidBlockRegistration(Exception):
    """The block cannot be registered (the base ``Block`` itself, for one)."""


class BlockNotSavedError(RuntimeError):
    """The block has not been saved, so it has no name to save again under."""


def slugify(text: str) -> str:
    """``"My Block"`` -> ``"my-block"``; ``"MyBlock"`` -> ``"myblock"`` (as Prefect slugs names)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _is_secret_type(annotation: Any) -> bool:
    origin = typing.get_origin(annotation) or annotation
    return isinstance(origin, type) and issubclass(origin, (SecretStr, SecretBytes, PydanticSecret))


def _secret_paths(annotation: Any, prefix: str) -> list[str]:
    """Dotted paths of the secret values in a field typed ``annotation`` (``x.*``: every value of a dict)."""
    if _is_secret_type(annotation):
        return [prefix]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [
            p for name, f in annotation.model_fields.items() for p in _secret_paths(f.annotation, f"{prefix}.{name}")
        ]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict and len(args) == 2:
        return _secret_paths(args[1], f"{prefix}.*")
    if origin in (typing.Union, types.UnionType) or origin is typing.Annotated:
        paths = [p for a in args for p in _secret_paths(a, prefix)]
        return list(dict.fromkeys(paths))
    return []


def _reveal(value: Any) -> Any:
    """``value`` (a model dump in python mode) with every secret replaced by its plain value."""
    if isinstance(value, (SecretStr, SecretBytes, PydanticSecret)):
        return _reveal(value.get_secret_value())
    if isinstance(value, dict):
        return {k: _reveal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_reveal(v) for v in value]
    if isinstance(value, BaseModel):
        return _reveal(dict(value))
    return value


class Block(BaseModel):
    """Typed configuration saved by name: subclass it, ``.save("name")``, later ``.load("name")``."""

    model_config = ConfigDict(extra="allow")

    _block_type_name: ClassVar[str | None] = None
    _block_type_slug: ClassVar[str | None] = None
    _description: ClassVar[str | None] = None
    _logo_url: ClassVar[Any] = None
    _documentation_url: ClassVar[Any] = None
    _code_example: ClassVar[str | None] = None
    _block_schema_capabilities: ClassVar[list[str] | None] = None
    _block_schema_version: ClassVar[str | None] = None

    _block_document_id: uuid.UUID | None = PrivateAttr(None)
    _block_document_name: str | None = PrivateAttr(None)
    _is_anonymous: bool | None = PrivateAttr(None)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not getattr(cls, "__pydantic_generic_metadata__", {}).get("origin"):
            _REGISTRY[cls.get_block_type_slug()] = cls

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.block_initialization()

    def block_initialization(self) -> None:
        """Called after ``__init__``: a subclass's own setup (instead of overriding ``__init__``)."""

    # -- what the class is ----------------------------------------------------------------------

    @classmethod
    def get_block_type_name(cls) -> str:
        return cls._block_type_name or cls.__name__

    @classmethod
    def get_block_type_slug(cls) -> str:
        return slugify(cls._block_type_slug or cls.get_block_type_name())

    @classmethod
    def get_block_capabilities(cls) -> frozenset[str]:
        """This class's capabilities and its bases'."""
        return frozenset(c for base in cls.__mro__ for c in (getattr(base, "_block_schema_capabilities", None) or []))

    @classmethod
    def get_block_schema_version(cls) -> str:
        from ..core.version import __version__

        return cls._block_schema_version or __version__

    @classmethod
    def get_description(cls) -> str | None:
        if cls._description:
            return cls._description
        doc = cls.__doc__ if cls.__doc__ is not Block.__doc__ else None
        return doc.strip().split("\n\n")[0] if doc else None

    @classmethod
    def secret_fields(cls) -> list[str]:
        """Dotted paths of the fields kept secret."""
        paths = [p for name, f in cls.model_fields.items() for p in _secret_paths(f.annotation, name)]
        return list(dict.fromkeys(paths))

    @classmethod
    def _schema_fields(cls) -> dict[str, Any]:
        schema = cls.model_json_schema()
        schema["block_type_slug"] = cls.get_block_type_slug()
        return schema

    @classmethod
    def _calculate_schema_checksum(cls) -> str:
        """``sha256:<hex>`` of the class's JSON schema: a class whose fields change gets a new one."""
        text = json.dumps(cls._schema_fields(), sort_keys=True, default=str)
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()

    @classmethod
    def _registration(cls) -> dict[str, Any]:
        if cls is Block:
            raise InvalidBlockRegistration("Block is the base class: save a subclass of it")
        return {
            "block_type": {
                "slug": cls.get_block_type_slug(),
                "name": cls.get_block_type_name(),
                "description": cls.get_description(),
            },
            "block_schema": {
                "checksum": cls._calculate_schema_checksum(),
                "fields": to_jsonable_python(cls._schema_fields()),
                "secret_fields": cls.secret_fields(),
                "capabilities": sorted(cls.get_block_capabilities()),
                "version": cls.get_block_schema_version(),
            },
        }

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = to_jsonable_python(_reveal(self.model_dump(mode="python")))
        return data

    # -- save -----------------------------------------------------------------------------------

    def _save(self, name: str | None = None, overwrite: bool = False) -> uuid.UUID:
        if name is None:
            if self._block_document_name is None:
                raise ValueError(
                    "You're attempting to save a block document without a name. Please call `save` with a `name`."
                )
            name = self._block_document_name
        from ..core.schemas_variables import BlockCreate

        # checked here, so a bad name is pydantic's ValidationError locally and over HTTP alike
        spec = BlockCreate.model_validate({"name": name, **self._registration(), "data": self._data()}).model_dump()
        slug = spec["block_type"]["slug"]
        client = backend()
        try:
            try:
                saved = client.create_block(spec)
            except Conflict as err:
                if not overwrite:
                    raise ValueError(
                        "You are attempting to save values with a name that is already in use for this block "
                        "type. If you would like to overwrite the values that are saved, then save with "
                        "`overwrite=True`."
                    ) from err
                saved = client.update_block(slug, name, {"block_schema": spec["block_schema"], "data": spec["data"]})
        finally:
            client.close()
        self._block_document_name = saved["name"]
        self._block_document_id = uuid.UUID(saved["id"])
        self._is_anonymous = False
        return self._block_document_id

    async def asave(self, name: str | None = None, overwrite: bool = False) -> uuid.UUID:
        """Save this block's values under ``name`` (async)."""
        result: uuid.UUID = await in_thread(self._save, name, overwrite)
        return result

    @dispatch(asave)
    def save(self, name: str | None = None, overwrite: bool = False) -> uuid.UUID:
        """Save this block's values under ``name``; a taken name needs ``overwrite=True``."""
        return self._save(name, overwrite)

    # -- load -----------------------------------------------------------------------------------

    @classmethod
    def _where(cls, name: str) -> tuple[type[Block], str, str]:
        """The class, type slug and block name that ``name`` (or ``"slug/name"`` on ``Block``) means."""
        if cls is Block:
            slug, _, block_name = name.partition("/")
            if slug not in _REGISTRY:
                raise UnknownBlockType(f"No block class with slug {slug!r} has been imported")
            return _REGISTRY[slug], slug, block_name
        return cls, cls.get_block_type_slug(), name

    @classmethod
    def _load(cls, name: str, validate: bool = True) -> Self:
        target, slug, block_name = cls._where(name)
        client = backend()
        try:
            document = client.get_block(slug, block_name, include_secrets=True)
        finally:
            client.close()
        if document is None:
            raise ValueError(f"Unable to find block document named {block_name} for block type {slug}")
        block: Self = target._from_document(document, validate)  # type: ignore[assignment]
        return block

    @classmethod
    def _from_document(cls, document: dict[str, Any], validate: bool) -> Block:
        data = document["data"]
        try:
            block = cls.model_validate(data)
        except ValidationError as err:
            if validate:
                raise RuntimeError(
                    f"Unable to load {document['name']!r} of block type {cls.get_block_type_slug()!r} due to "
                    "failed validation. To load without validation, try loading again with `validate=False`."
                ) from err
            missing = tuple(e["loc"][0] for e in err.errors() if e["loc"])
            warnings.warn(
                f"Could not fully load {document['name']!r} of block type {cls.get_block_type_slug()!r}: "
                f"give values for {', '.join(map(str, missing))}, then save it again with overwrite=True",
                stacklevel=4,
            )
            block = cls.model_construct(**data, **{str(f): None for f in missing if f not in data})
        block._block_document_name = document["name"]
        block._block_document_id = uuid.UUID(document["id"])
        block._is_anonymous = False
        return block

    @classmethod
    async def aload(cls, name: str, validate: bool = True) -> Self:
        """The block saved as ``name`` (async)."""
        result: Self = await in_thread(cls._load, name, validate)
        return result

    @classmethod
    @dispatch(aload)
    def load(cls, name: str, validate: bool = True) -> Self:
        """The block saved as ``name`` (on ``Block`` itself: ``"slug/name"``), secrets included;
        ``ValueError`` when there is none."""
        return cls._load(name, validate)

    # -- delete ---------------------------------------------------------------------------------

    @classmethod
    def _delete(cls, name: str) -> None:
        from ..core.errors import NotFound

        _target, slug, block_name = cls._where(name)
        client = backend()
        try:
            client.delete_block(slug, block_name)
        except NotFound:
            raise ValueError(f"Unable to find block document named {block_name} for block type {slug}") from None
        finally:
            client.close()

    @classmethod
    async def adelete(cls, name: str) -> None:
        await in_thread(cls._delete, name)

    @classmethod
    @dispatch(adelete)
    def delete(cls, name: str) -> None:
        """Delete the block saved as ``name``; ``ValueError`` when there is none."""
        cls._delete(name)
