"""Every route that takes a path: a path no file system can open, or one leaving the root, is a 4xx.

A NUL character, a 300- or 10,000-character name, a path of 4,400 bytes, a symlink loop, a symlink
to a file outside the root and ``..`` each get ``{"error", "detail"}`` with a 4xx naming the reason
(never a 500), whether the path comes in a query or in a JSON body.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

BAD_PATHS = {
    "nul": "a\x00b.ipynb",
    "huge-name": "x" * 10_000 + ".ipynb",
    "long-name": "x" * 300 + ".ipynb",
    "long-path": "/".join(["dé"] * 1_100) + "/n.ipynb",  # 3,300 characters, 4,400 bytes
    "loop": "loop.ipynb",
    "symlink-out": "elsewhere.ipynb",
    "dotdot": "../../etc/passwd.ipynb",
}


@pytest.fixture
def tricky_root(jp_root_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The root holds a symlink loop and a symlink to a notebook outside it."""
    outside = tmp_path_factory.mktemp("outside") / "secret.ipynb"
    outside.write_text('{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}', encoding="utf-8")
    (jp_root_dir / "loop.ipynb").symlink_to("loop.ipynb")
    (jp_root_dir / "elsewhere.ipynb").symlink_to(outside)
    (jp_root_dir / "loop.py").symlink_to("loop.py")
    (jp_root_dir / "elsewhere.py").symlink_to(outside)
    return jp_root_dir


def _requests(path: str) -> list[tuple[str, tuple[str, ...], dict[str, Any]]]:
    flow_file = path.removesuffix(".ipynb") + ".py"
    return [
        ("GET", ("notebooks", "parameters"), {"params": {"path": path}}),
        ("GET", ("notebooks", "content"), {"params": {"path": path}}),
        ("GET", ("entrypoints", "source"), {"params": {"path": flow_file}}),
        ("POST", ("deployments",), {"json_body": {"name": "n", "notebook": path}}),
        ("POST", ("deployments",), {"json_body": {"name": "e", "entrypoint": f"{flow_file}:main"}}),
    ]


@pytest.mark.parametrize("which", sorted(BAD_PATHS))
async def test_a_bad_path_is_a_4xx_on_every_route(api: Any, tricky_root: Path, which: str) -> None:
    for method, parts, kwargs in _requests(BAD_PATHS[which]):
        reply = await api(method, *parts, **kwargs)
        assert 400 <= reply.code < 500, (which, parts, reply)
        assert set(reply.json) == {"error", "detail"}, (which, parts, reply)
    assert (await api("GET", "deployments")).json == []  # nothing was stored


async def test_the_reason_is_named(api: Any, tricky_root: Path) -> None:
    says = {
        "nul": "NUL",
        "long-name": "longer than 255 bytes",
        "long-path": "longer than 4096 bytes",
        "loop": "loop",
        "symlink-out": "outside the server root",
        "dotdot": "outside the server root",
    }
    for which, text in says.items():
        reply = await api("POST", "deployments", json_body={"name": "n", "notebook": BAD_PATHS[which]})
        assert reply.code in (403, 422) and text in reply.json["error"], (which, reply)


async def test_a_flow_file_is_any_name_ending_in_py_as_documented(api: Any, jp_root_dir: Path) -> None:
    """The documented rule is the suffix text: a file named ``.py`` is a flow file, ``notes.txt`` is not."""
    (jp_root_dir / ".py").write_text("x = 1\n", encoding="utf-8")
    (jp_root_dir / "notes.txt").write_text("secret\n", encoding="utf-8")
    served = await api("GET", "entrypoints", "source", params={"path": ".py"})
    assert served.code == 200 and served.json["source"] == "x = 1\n"
    refused = await api("GET", "entrypoints", "source", params={"path": "notes.txt"})
    assert refused.code == 422 and "only flow files" in refused.json["error"]
