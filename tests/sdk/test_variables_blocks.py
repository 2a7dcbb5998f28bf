"""``Variable`` and ``Block`` as a flow uses them, on the local store: Prefect's methods, errors
and sync/async dispatch."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from pydantic import BaseModel, Field, SecretStr, ValidationError

from orchestr_lab import flow
from orchestr_lab.blocks.core import Block
from orchestr_lab.blocks.system import JSON, DateTime, Secret, String
from orchestr_lab.variables import Variable


@pytest.fixture(autouse=True)
def local_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from orchestr_lab.store.database import dispose_engines

    url = f"sqlite:///{tmp_path / 'sdk.db'}"
    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", url)
    monkeypatch.delenv("ORCHESTR_LAB_API_URL", raising=False)
    yield url
    dispose_engines(url)


def test_variable_set_get_unset_as_prefect_does() -> None:
    saved = Variable.set("answer", {"value": [4, 2]}, tags=["demo"])
    assert (saved.name, saved.value, saved.tags) == ("answer", {"value": [4, 2]}, ["demo"])
    with pytest.raises(ValueError, match=r"Variable 'answer' already exists\. Use `overwrite=True` to update it\."):
        Variable.set("answer", 1)
    assert Variable.set("answer", 42, overwrite=True).value == 42
    assert Variable.get("answer") == 42
    assert Variable.get("missing") is None
    assert Variable.get("missing", default="d") == "d"
    assert Variable.unset("answer") is True
    assert Variable.unset("answer") is False
    assert Variable.get("answer", 0) == 0


def test_variable_names_and_sizes_are_checked_before_anything_is_stored() -> None:
    with pytest.raises(ValidationError, match="lowercase letters, numbers, and dashes or underscores"):
        Variable.set("Not Valid", 1)
    with pytest.raises(ValidationError, match="less than 5000 characters"):
        Variable.set("big", "x" * 5000)
    assert Variable.get("big") is None


def test_async_forms_and_dispatch_inside_coroutines() -> None:
    async def main() -> tuple[object, ...]:
        await Variable.aset("n", 1)
        await Variable.set("m", 2)  # inside async def, set is awaitable (Prefect's dispatch)
        sync_read = Variable.get("n", _sync=True)
        return await Variable.aget("n"), await Variable.get("m"), sync_read, await Variable.aunset("m")

    assert asyncio.run(main()) == (1, 2, 1, True)


def test_secret_save_load_in_a_flow() -> None:
    @flow
    def uses_secret() -> str:
        return str(Secret.load("api-key").get())

    Secret(value="sk-123").save("api-key")
    assert uses_secret() == "sk-123"
    with pytest.raises(ValueError, match="already in use for this block type"):
        Secret(value="other").save("api-key")
    Secret(value={"user": "u", "password": "p"}).save("api-key", overwrite=True)
    assert Secret.load("api-key").get() == {"user": "u", "password": "p"}
    assert "p'" not in repr(Secret.load("api-key"))
    with pytest.raises(ValueError, match="Unable to find block document named nope for block type secret"):
        Secret.load("nope")


def test_secret_get_parses_json_text_as_prefect_does() -> None:
    Secret(value="[1, 2]").save("listy")
    assert Secret.load("listy").get() == [1, 2]


def test_async_flow_loads_with_await() -> None:
    @flow
    async def reads() -> object:
        return (await Secret.load("k")).get()

    Secret(value="v").save("k")
    assert asyncio.run(reads()) == "v"


class Login(BaseModel):
    user: str
    password: SecretStr


class Service(Block):
    """Where the service is and how to log in."""

    _block_schema_capabilities: ClassVar[list[str]] = ["connect"]
    url: str
    login: Login
    tokens: dict[str, SecretStr] = Field(default_factory=dict)


def test_a_custom_block_keeps_its_nested_secrets_and_loads_from_the_base_class() -> None:
    block_id = Service(url="https://x", login=Login(user="ada", password="pw"), tokens={"a": "t1"}).save("prod")
    assert Service.secret_fields() == ["login.password", "tokens.*"]
    loaded = Service.load("prod")
    assert loaded.login.password.get_secret_value() == "pw" and loaded.tokens["a"].get_secret_value() == "t1"
    assert loaded._block_document_id == block_id and loaded._block_document_name == "prod"
    via_base = Block.load("service/prod")
    assert isinstance(via_base, Service) and via_base.url == "https://x"

    from orchestr_lab.sdk._dispatch import backend

    listed = backend().list_blocks({})
    assert listed[0]["data"]["login"] == {"user": "ada", "password": "********"}
    assert listed[0]["data"]["tokens"] == {"a": "********"}
    Service.delete("prod")
    with pytest.raises(ValueError, match="Unable to find block document named prod"):
        Service.delete("prod")


def test_a_changed_class_saves_under_a_new_schema_and_validate_false_loads_old_data() -> None:
    class Settings(Block):
        a: int

    first = Settings._calculate_schema_checksum()
    Settings(a=1).save("s")

    class Settings(Block):  # type: ignore[no-redef]  # the class changed: a new required field
        a: int
        b: int

    assert Settings._calculate_schema_checksum() != first
    with pytest.raises(RuntimeError, match="To load without validation, try loading again with `validate=False`"):
        Settings.load("s")
    with pytest.warns(UserWarning, match="give values for b"):
        partial = Settings.load("s", validate=False)
    partial.b = 2
    partial.save(overwrite=True)
    assert Settings.load("s").b == 2

    from orchestr_lab.sdk._dispatch import backend

    (kind,) = [t for t in backend().list_block_types() if t["slug"] == "settings"]
    assert kind["schemas"] == 2


def test_value_blocks_round_trip() -> None:
    JSON(value={"a": [1, None]}).save("j")
    String(value="text").save("s")
    when = dt.datetime(2030, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
    DateTime(value=when).save("d")
    assert (JSON.load("j").value, String.load("s").value, DateTime.load("d").value) == ({"a": [1, None]}, "text", when)
    assert (JSON.get_block_type_slug(), DateTime.get_block_type_slug()) == ("json", "date-time")


def test_in_a_kernel_a_plain_cell_gets_values_and_an_awaiting_cell_gets_awaitables() -> None:
    """The kernel's event loop is running in every cell: Prefect would hand the plain cell a
    coroutine; here only a cell that awaits gets one."""
    import nbformat
    from nbclient import NotebookClient

    cells = [
        "from orchestr_lab.blocks.system import Secret\nfrom orchestr_lab.variables import Variable",
        "Secret(value='in-kernel').save('kernel-key')\nVariable.set('kv', 5)\n"
        "print(Secret.load('kernel-key').get(), Variable.get('kv'))",
        "print((await Secret.load('kernel-key')).get(), await Variable.get('kv'), await Variable.aget('kv'))",
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    printed = ["".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream") for cell in nb.cells]
    assert printed[1:] == ["in-kernel 5\n", "in-kernel 5 5\n"]
    assert Secret.load("kernel-key").get() == "in-kernel"  # the kernel saved to this test's store
