"""``sweep(...)``'s answer: a pandas DataFrame when pandas imports (its id in ``attrs``), else one
dict per row keyed by column. The test extra installs pandas."""

from __future__ import annotations

import sys
from typing import Any

import pytest

from orchestr_lab.sdk.sweeps import _frame

COLUMNS = ["index", "n", "state", "duration", "score"]
TABLE: dict[str, Any] = {"columns": COLUMNS, "rows": [[0, 1, "COMPLETED", 0.5, 0.9]]}


def test_without_pandas_the_rows_are_dicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    assert _frame(TABLE, "s1") == [{"index": 0, "n": 1, "state": "COMPLETED", "duration": 0.5, "score": 0.9}]


def test_with_pandas_a_dataframe_of_the_columns() -> None:
    import pandas as pd

    table = {**TABLE, "rows": [*TABLE["rows"], [1, 2, "FAILED", 0.25, None]]}
    frame = _frame(table, "s1")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == TABLE["columns"] and frame.attrs == {"sweep_id": "s1"}
    assert frame.sort_values("score")["n"].tolist() == [1, 2]  # a failed member's missing value last
    assert frame["score"].isna().tolist() == [False, True]
