"""A notebook's parameters as the schedule form, the API and the CLI see and check them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from orchestr_lab.core.notebook_parameters import validate_notebook_parameters
from orchestr_lab.exceptions import OrchestrLabError, ParameterTypeError
from orchestr_lab.workers.notebook_files import read_notebook_parameters

PARAMS = """\
n = 3  # how many rows
ratio: float = 1
title = 'report'
verbose = False
columns = ['a', 'b']
options = {'sep': ','}
limit = None
day = date.today()
count: Optional[int] = None
"""


@pytest.fixture
def specs(notebook: Callable[..., Path]) -> list[dict]:
    return read_notebook_parameters(notebook(["print(n)"], parameters=PARAMS, kernelspec=False))


def test_types_come_from_annotations_or_defaults(specs: list[dict]) -> None:
    by_name = {s["name"]: s for s in specs}
    assert [s["name"] for s in specs] == [
        "n",
        "ratio",
        "title",
        "verbose",
        "columns",
        "options",
        "limit",
        "day",
        "count",
    ]
    assert by_name["n"] == {"name": "n", "type": "int", "default": 3, "help": "how many rows"}
    assert by_name["ratio"]["type"] == "float"
    assert by_name["title"] == {"name": "title", "type": "str", "default": "report", "help": ""}
    assert (by_name["verbose"]["type"], by_name["verbose"]["default"]) == ("bool", False)
    assert (by_name["columns"]["type"], by_name["columns"]["default"]) == ("list", ["a", "b"])
    assert (by_name["options"]["type"], by_name["options"]["default"]) == ("dict", {"sep": ","})
    assert (by_name["limit"]["type"], by_name["limit"]["default"]) == ("None", None)
    # An expression default is kept as source text; its type is unknown.
    assert (by_name["day"]["type"], by_name["day"]["default"]) == ("None", "date.today()")
    assert (by_name["count"]["type"], by_name["count"]["default"]) == ("int", None)


def test_values_are_coerced_from_text(specs: list[dict]) -> None:
    values = {
        "n": "7",
        "ratio": "0.5",
        "verbose": "yes",
        "columns": '["x"]',
        "options": "{'sep': ';'}",
        "title": "Q3",
        "limit": 10,
        "count": None,
    }
    assert validate_notebook_parameters(specs, values) == {
        "n": 7,
        "ratio": 0.5,
        "verbose": True,
        "columns": ["x"],
        "options": {"sep": ";"},
        "title": "Q3",
        "limit": 10,
        "count": None,
    }
    assert validate_notebook_parameters(specs, {"n": 4.0, "ratio": 2}) == {"n": 4, "ratio": 2.0}


def test_every_bad_value_and_unknown_name_is_reported(specs: list[dict]) -> None:
    with pytest.raises(ParameterTypeError) as info:
        validate_notebook_parameters(specs, {"n": "abc", "verbose": "maybe", "title": 5, "nope": 1})
    errors = info.value.errors
    assert errors["n"] == "expected int, got 'abc'"
    assert errors["verbose"] == "expected bool, got 'maybe'"
    assert errors["title"] == "expected str, got 5"
    assert errors["nope"].startswith("unknown parameter")
    assert "n: expected int, got 'abc'" in str(info.value)
    # Callers can catch it as ValueError or as our root error.
    assert isinstance(info.value, ValueError) and isinstance(info.value, OrchestrLabError)


def test_a_bool_is_not_an_int(specs: list[dict]) -> None:
    with pytest.raises(ParameterTypeError, match="n: expected int, got True"):
        validate_notebook_parameters(specs, {"n": True})


def test_notebook_without_parameters_cell(notebook: Callable[..., Path]) -> None:
    path = notebook(["x = 1"])
    assert read_notebook_parameters(path) == []
    with pytest.raises(ParameterTypeError, match="no cell is tagged 'parameters'"):
        validate_notebook_parameters(read_notebook_parameters(path), {"x": 2})


def test_missing_notebook(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_notebook_parameters(tmp_path / "absent.ipynb")
