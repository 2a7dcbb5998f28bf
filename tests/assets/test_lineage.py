"""Asset lineage as a user reads it back (``store.assets.get_asset``, what ``GET assets/{key}``
serves) after running flows of ``@materialize`` tasks: Prefect's rules for what counts as upstream."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from orchestr_lab import flow, task
from orchestr_lab.assets import Asset, AssetProperties, add_asset_metadata, materialize


@pytest.fixture
def key() -> Any:
    """Unique keys per test (the session's store is shared): ``key("x")`` -> ``s3://<n>/x``."""
    prefix = uuid.uuid4().hex[:10]
    return lambda name: f"s3://{prefix}/{name}"


def lineage(store_engine: Any, key: str) -> dict[str, Any]:
    from orchestr_lab.store.assets import get_asset

    asset = get_asset(store_engine, key)
    assert asset is not None, f"{key} is not in the store"
    return asset


def test_upstream_comes_from_declared_deps_passed_values_futures_and_wait_for(store_engine: Any, key: Any) -> None:
    @materialize(key("x"), asset_deps=[key("raw")], by="dbt")
    def make_x() -> dict[str, int]:
        add_asset_metadata(key("x"), {"rows": 3})
        return {"v": 1}

    @materialize(key("y"))
    def make_y(v: Any) -> int:
        return 2

    @materialize(key("z"))
    def make_z() -> int:
        return 3

    @materialize(key("unrelated"))
    def make_unrelated(v: int) -> int:
        return v

    @flow
    def pipeline() -> None:
        make_y(make_x())  # a returned value passed on
        make_z.submit(wait_for=[make_y.submit(1)]).result()  # wait_for a future
        make_unrelated(1)  # a plain literal carries nothing

    pipeline()
    x = lineage(store_engine, key("x"))
    assert x["upstream"] == [key("raw")] and x["downstream"] == [key("y")]
    assert x["last_metadata"] == {"rows": 3}
    assert x["materializations"][0]["status"] == "succeeded"
    assert x["materializations"][0]["materialized_by"] == "dbt"
    assert x["materializations"][0]["flow_run_name"]
    assert lineage(store_engine, key("y"))["downstream"] == [key("z")]
    assert lineage(store_engine, key("raw"))["materializations"] == []  # referenced, never made
    assert lineage(store_engine, key("unrelated"))["upstream"] == []


def test_a_plain_task_passes_on_what_it_read(store_engine: Any, key: Any) -> None:
    @task(asset_deps=[Asset(key=key("table"))])
    def extract() -> list[int]:
        return [5]

    @task
    def transform(rows: list[int]) -> list[int]:
        return [r * 2 for r in rows]

    @materialize(key("report"))
    def report(rows: list[int]) -> int:
        return sum(rows)

    @flow
    def pipeline() -> int:
        return report(transform(extract()))

    assert pipeline() == 10
    assert lineage(store_engine, key("report"))["upstream"] == [key("table")]
    assert lineage(store_engine, key("table"))["downstream"] == [key("report")]


def test_a_failed_materialization_is_recorded_and_keeps_the_last_good_metadata(store_engine: Any, key: Any) -> None:
    calls = []

    @materialize(key("flaky"))
    def make(fail: bool) -> int:
        calls.append(fail)
        add_asset_metadata(key("flaky"), {"attempt": len(calls)})
        if fail:
            raise ValueError("bad data")
        return 1

    @flow
    def once(fail: bool) -> None:
        make(fail)

    once(False)
    with pytest.raises(ValueError):
        once(True)
    asset = lineage(store_engine, key("flaky"))
    assert [m["status"] for m in asset["materializations"]] == ["failed", "succeeded"]
    assert asset["last_metadata"] == {"attempt": 1}
    assert asset["materializations"][0]["metadata"] == {"attempt": 2}


def test_properties_are_stored_and_a_later_asset_with_properties_replaces_them(store_engine: Any, key: Any) -> None:
    first = Asset(key=key("t"), properties=AssetProperties(name="T", owners=["ana"], url="https://x/t"))

    @materialize(first)
    def make() -> None:
        return None

    @flow
    def once() -> None:
        make()

    once()
    assert lineage(store_engine, key("t"))["properties"] == {"name": "T", "owners": ["ana"], "url": "https://x/t"}
    make.with_options(assets=[Asset(key=key("t"), properties=AssetProperties(description="new"))])()
    assert lineage(store_engine, key("t"))["properties"] == {"description": "new"}
    make.with_options(assets=[key("t")])()  # a bare key keeps what is known
    assert lineage(store_engine, key("t"))["properties"] == {"description": "new"}


def test_a_materializing_task_outside_a_flow_records_too(store_engine: Any, key: Any) -> None:
    @materialize(key("lone"), asset_deps=[key("src")])
    def lone() -> int:
        return 7

    assert lone() == 7
    asset = lineage(store_engine, key("lone"))
    assert asset["upstream"] == [key("src")]
    assert asset["materializations"][0]["flow_run_id"] is None


def test_a_cached_run_records_no_new_materialization(store_engine: Any, key: Any) -> None:
    @materialize(key("cached"), cache_key_fn=lambda *_: key("cached"), persist_result=True)
    def make() -> int:
        return 1

    @flow
    def once() -> None:
        make()

    once()
    once()
    assert len(lineage(store_engine, key("cached"))["materializations"]) == 1


def test_metadata_needs_a_materializing_task_and_one_of_its_assets(key: Any) -> None:
    with pytest.raises(RuntimeError, match="AssetContext"):
        add_asset_metadata(key("a"), {"n": 1})

    @task
    def plain() -> None:
        add_asset_metadata(key("a"), {"n": 1})

    @materialize(key("a"))
    def other_asset() -> None:
        add_asset_metadata(key("b"), {"n": 1})

    for fn in (plain, other_asset):
        with pytest.raises(ValueError, match="arguments to @materialize"):
            fn()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("no-scheme", "valid URI"),
        ("S3://upper", "valid URI"),
        ("s3://with space", "cannot contain ' '"),
        ("s3://a?b", "cannot contain '?'"),
        ("s3://" + "x" * 600, "cannot exceed 512"),
    ],
)
def test_asset_keys_are_checked_as_prefect_checks_them(bad: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Asset(key=bad)
    with pytest.raises(ValueError, match=message):

        @materialize(bad)
        def make() -> None:
            return None

    with pytest.raises(ValueError, match=message):
        task(asset_deps=[bad])(lambda: None)


def test_materialize_needs_an_asset() -> None:
    with pytest.raises(TypeError, match="at least one asset"):
        materialize()
