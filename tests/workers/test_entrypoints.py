"""Flow entrypoints (``file.py:function``): splitting, loading, and the modules that do it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import orchestr_lab
from orchestr_lab.sdk.flows import Flow
from orchestr_lab.workers.entrypoint_runner import load_flow
from orchestr_lab.workers.entrypoints import split_entrypoint

WORKERS = Path(orchestr_lab.__file__).parent / "workers"


def test_split_entrypoint() -> None:
    assert split_entrypoint("dir/my file.py:my_flow") == ("dir/my file.py", "my_flow")
    assert split_entrypoint("C:/x/f.py:g") == ("C:/x/f.py", "g")
    for bad in ("f.py", ":g", "f.py:", "f.py:not-a-name"):
        with pytest.raises(ValueError, match=r"path/to/file\.py:flow_function"):
            split_entrypoint(bad)


def test_load_flow_gives_flows_as_they_are_and_makes_functions_flows(tmp_path: Path) -> None:
    (tmp_path / "flows.py").write_text(
        "from orchestr_lab import flow\n"
        "@flow(name='decorated')\n"
        "def decorated(x: int = 1):\n    return x * 2\n"
        "def plain(x: int = 1):\n    return x + 10\n"
        "NOT_CALLABLE = 3\n"
    )
    decorated = load_flow(f"{tmp_path}/flows.py:decorated")
    plain = load_flow(f"{tmp_path}/flows.py:plain")
    assert isinstance(decorated, Flow) and decorated.name == "decorated"
    assert isinstance(plain, Flow) and plain.name == "plain"
    assert decorated(x=2) == 4 and plain(x=2) == 12
    with pytest.raises(ValueError, match="is not a flow or a function"):
        load_flow(f"{tmp_path}/flows.py:NOT_CALLABLE")
    with pytest.raises(AttributeError):
        load_flow(f"{tmp_path}/flows.py:missing")


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, relative ones as written (``..sdk.flows``, ``.gateway``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_runner_stays_below_the_sdk_and_the_gateway_does_not_import_it() -> None:
    runner = _imports(WORKERS / "entrypoint_runner.py")
    assert not [m for m in runner if m.startswith(("..sdk", "orchestr_lab.sdk"))], runner
    assert ".entrypoint_runner" not in _imports(WORKERS / "gateway.py")
