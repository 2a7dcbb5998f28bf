"""``sweep(...)``'s answer: a pandas DataFrame when pandas imports (its id in ``attrs``), else one
dict per row keyed by column."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from orchestr_lab.sdk.sweeps import _frame

TABLE = {"columns": ["index", "n", "state", "duration", "score"], "rows": [[0, 1, "COMPLETED", 0.5, 0.9]]}


def test_without_pandas_the_rows_are_dicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    assert _frame(TABLE, "s1") == [{"index": 0, "n": 1, "state": "COMPLETED", "duration": 0.5, "score": 0.9}]


def test_with_pandas_a_dataframe_of_the_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    class DataFrame:
        def __init__(self, rows: list[list[Any]], columns: list[str]) -> None:
            self.rows, self.columns, self.attrs = rows, columns, {}

    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=DataFrame))
    frame = _frame(TABLE, "s1")
    assert isinstance(frame, DataFrame)
    assert (frame.rows, frame.columns, frame.attrs) == (TABLE["rows"], TABLE["columns"], {"sweep_id": "s1"})
