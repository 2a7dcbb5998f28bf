"""Parity scenarios for blocks: ``<lib>.blocks.system.Secret`` and ``Block`` subclasses saved
and loaded by name, overwrite, missing names, secret fields, a changed class."""

import asyncio
import importlib

from scenarios import jsonable, raises, scenario


def _blocks(L):
    return importlib.import_module(f"{L.name}.blocks.core"), importlib.import_module(f"{L.name}.blocks.system")


@scenario
def blocks_secret_round_trip(L):
    _, system = _blocks(L)
    Secret = system.Secret
    Secret(value="sk-123").save("api-key")
    text = Secret.load("api-key")
    Secret(value={"user": "u", "password": "p"}).save("login")
    Secret(value="[1, 2]").save("json-text")
    return {
        "text": text.get(),
        "hidden_in_repr": "sk-123" not in repr(text) and "sk-123" not in str(text),
        "dict": jsonable(Secret.load("login").get()),
        "json_text": jsonable(Secret.load("json-text").get()),
        "slug": Secret.get_block_type_slug(),
        "loaded_type": type(text).__name__,
    }


@scenario
def blocks_save_taken_name_and_overwrite(L):
    _, system = _blocks(L)
    Secret = system.Secret
    first = Secret(value="one").save("taken")
    again = raises(lambda: Secret(value="two").save("taken"))
    kept = Secret.load("taken").get()
    second = Secret(value="three").save("taken", overwrite=True)
    return {
        "again": again,
        "kept": kept,
        "after_overwrite": Secret.load("taken").get(),
        "same_document": first == second,
        "id_type": type(first).__name__,
    }


@scenario
def blocks_load_and_delete_missing(L):
    _, system = _blocks(L)
    Secret = system.Secret
    Secret(value="x").save("to-delete")
    deleted = raises(lambda: Secret.delete("to-delete"))
    return {
        "missing": raises(lambda: Secret.load("never-saved")),
        "deleted": deleted,
        "load_deleted": raises(lambda: Secret.load("to-delete")),
        "delete_again": raises(lambda: Secret.delete("to-delete")),
        "bad_name": raises(lambda: Secret(value="x").save("Bad Name")),
    }


@scenario
def blocks_custom_block_with_secret_fields(L):
    core, _ = _blocks(L)
    from pydantic import SecretStr

    class Credentials(core.Block):
        """Where to log in."""

        username: str
        password: SecretStr
        port: int = 5432

    Credentials(username="ada", password="pw").save("prod")
    loaded = Credentials.load("prod")
    via_base = core.Block.load("credentials/prod")
    return {
        "slug": Credentials.get_block_type_slug(),
        "name": Credentials.get_block_type_name(),
        "fields": [loaded.username, loaded.password.get_secret_value(), loaded.port],
        "repr_hides": "pw" not in repr(loaded),
        "base_load_type": type(via_base).__name__,
        "base_load_port": via_base.port,
        "document_name": loaded._block_document_name,
        "unknown_slug_loads": raises(lambda: core.Block.load("no-such-type/prod")).get("raised") is not None,
    }


@scenario
def blocks_changed_class_needs_validate_false(L):
    core, _ = _blocks(L)

    class Settings(core.Block):
        retries: int

    old_checksum = Settings._calculate_schema_checksum()
    Settings(retries=1).save("svc")

    class Settings(core.Block):
        retries: int
        timeout: int

    strict = raises(lambda: Settings.load("svc"))
    partial = Settings.load("svc", validate=False)
    observed = {"retries": partial.retries, "timeout": partial.timeout}
    partial.timeout = 30
    partial.save("svc", overwrite=True)
    return {
        "checksum_changed": Settings._calculate_schema_checksum() != old_checksum,
        "checksum_prefix": Settings._calculate_schema_checksum().split(":")[0],
        "strict": strict,
        "partial": observed,
        "resaved": [Settings.load("svc").retries, Settings.load("svc").timeout],
    }


@scenario
def blocks_async_forms(L):
    _, system = _blocks(L)
    Secret = system.Secret

    async def main():
        await Secret(value="async-value").asave("async-secret")
        loaded = await Secret.aload("async-secret")
        dispatched = await Secret.load("async-secret")
        await Secret.adelete("async-secret")
        return {"aload": loaded.get(), "dispatched": dispatched.get()}

    out = asyncio.run(main())
    out["after_delete"] = raises(lambda: Secret.load("async-secret"))
    return out


@scenario
def blocks_in_a_flow(L):
    _, system = _blocks(L)
    Secret = system.Secret
    Secret(value="flow-secret").save("for-flow")

    @L.flow
    def uses():
        return Secret.load("for-flow").get().upper()

    return uses()
