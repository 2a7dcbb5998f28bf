"""The variables and blocks routes: status codes a client relies on, and no secret in a list."""

from __future__ import annotations

from typing import Any

from .conftest import Api

BLOCK: dict[str, Any] = {
    "name": "db",
    "block_type": {"slug": "creds", "name": "Creds"},
    "block_schema": {
        "checksum": "sha256:" + "c" * 64,
        "fields": {"title": "Creds", "type": "object"},
        "secret_fields": ["password"],
    },
    "data": {"user": "ada", "password": "pw-9Kx"},
}


async def test_variables_routes(api: Api) -> None:
    made = await api("POST", "variables", json_body={"name": "limits", "value": {"max": 3}, "tags": ["ops"]})
    assert made.code == 201 and made.json["value"] == {"max": 3}
    assert (await api("POST", "variables", json_body={"name": "limits", "value": 1})).code == 409
    bad = await api("POST", "variables", json_body={"name": "Limits!", "value": 1})
    assert bad.code == 422 and "lowercase letters" in bad.json["error"]
    big = await api("POST", "variables", json_body={"name": "big", "value": "x" * 5000})
    assert big.code == 422 and "less than 5000 characters" in big.json["error"]

    changed = await api("PATCH", "variables", "limits", json_body={"value": None})
    assert changed.code == 200 and changed.json["value"] is None and changed.json["tags"] == ["ops"]
    assert [v["name"] for v in (await api("GET", "variables")).json] == ["limits"]
    assert (await api("DELETE", "variables", "limits")).code == 204
    assert (await api("GET", "variables", "limits")).code == 404
    assert (await api("PATCH", "variables", "limits", json_body={"value": 1})).code == 404


async def test_blocks_routes_hide_secrets_unless_asked(api: Api) -> None:
    made = await api("POST", "blocks", json_body=BLOCK)
    assert made.code == 201 and made.json["data"] == {"user": "ada", "password": "********"}
    assert (await api("POST", "blocks", json_body=BLOCK)).code == 409

    listed = await api("GET", "blocks")
    assert listed.code == 200 and "pw-9Kx" not in str(listed.json)
    plain = await api("GET", "blocks", "creds", "db")
    assert plain.json["data"]["password"] == "********"
    full = await api("GET", "blocks", "creds", "db", params={"include_secrets": "true"})
    assert full.json["data"]["password"] == "pw-9Kx"

    (kind,) = (await api("GET", "block_types")).json
    assert (kind["slug"], kind["blocks"], kind["schemas"]) == ("creds", 1, 1)
    patched = await api("PATCH", "blocks", "creds", "db", json_body={"data": {"user": "bob", "password": "x"}})
    assert patched.code == 200 and patched.json["data"]["user"] == "bob"
    assert (await api("DELETE", "blocks", "creds", "db")).code == 204
    assert (await api("GET", "blocks", "creds", "db")).code == 404
    bad = await api("POST", "blocks", json_body={**BLOCK, "name": "Not Valid"})
    assert bad.code == 422 and "Block document name must only contain" in bad.json["error"]
