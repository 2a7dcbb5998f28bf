"""``orchestr_lab.artifacts`` in-process: what Prefect's functions return and store, and the run
widget showing a run's artifacts live (a moving progress bar, a table, safe markdown)."""

from __future__ import annotations

import asyncio
import threading
import uuid
import warnings

import pytest
from pydantic import ValidationError
from test_widgets import start, wait_until

from orchestr_lab import flow, task
from orchestr_lab.artifacts import (
    Artifact,
    create_image_artifact,
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)


def _key() -> str:
    return f"k-{uuid.uuid4().hex[:10]}"


def test_each_kind_is_stored_as_prefect_stores_it_with_its_run() -> None:
    keys = {kind: _key() for kind in ("table", "link", "image", "md", "bar")}

    @task
    def in_a_task() -> uuid.UUID:
        return create_markdown_artifact("# hi", key=keys["md"], description="from a task")

    @flow
    def makes() -> uuid.UUID:
        create_table_artifact([{"a": 1, "b": float("nan")}, {"a": 2}], key=keys["table"])
        create_link_artifact("https://example.org", link_text="Example", key=keys["link"])
        create_image_artifact("https://example.org/a.png", key=keys["image"])
        bar = create_progress_artifact(10, key=keys["bar"])
        assert update_progress_artifact(bar, 150) == bar  # clamped to 100, as Prefect does
        in_a_task()
        return bar

    bar = makes()
    assert isinstance(bar, uuid.UUID)
    got = {kind: Artifact.get(key) for kind, key in keys.items()}
    assert got["table"].type == "table" and got["table"].data == '[{"a": 1, "b": null}, {"a": 2}]'
    assert (got["link"].type, got["link"].data) == ("markdown", "[Example](https://example.org)")
    assert (got["image"].type, got["image"].data) == ("image", "https://example.org/a.png")
    assert (got["bar"].id, got["bar"].data) == (bar, 100)
    assert got["md"].description == "from a task" and got["md"].task_run_id is not None
    assert len({a.flow_run_id for a in got.values()}) == 1 and got["table"].task_run_id is None


def test_a_key_is_checked_and_its_latest_version_wins() -> None:
    key = _key()

    @flow
    def versions() -> None:
        create_markdown_artifact("one", key=key)
        create_markdown_artifact("two", key=key)

    versions()
    assert Artifact.get(key).data == "two"
    assert Artifact.get(_key()) is None
    with pytest.raises(ValidationError, match="lowercase letters, numbers, and dashes"):
        create_markdown_artifact("x", key="Not_A_Key")


def test_outside_a_run_it_warns_and_belongs_to_no_run() -> None:
    key = _key()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        made = Artifact(type="markdown", key=key, data="hello").create()
    assert [w.category for w in caught] == [FutureWarning]
    assert made.flow_run_id is None and made.data == '"hello"'  # a plain Artifact stores JSON text
    assert Artifact.get_or_create(key)[1] is False


def test_async_code_awaits_them() -> None:
    key = _key()

    @flow
    async def async_flow() -> uuid.UUID:
        return await create_markdown_artifact("async", key=key)

    assert isinstance(asyncio.run(async_flow()), uuid.UUID)
    assert asyncio.run(Artifact.aget(key)).data == "async"


def test_the_widget_shows_the_table_and_a_progress_bar_that_moves() -> None:
    step, stepped = threading.Event(), threading.Event()

    @flow
    def reports() -> None:
        create_table_artifact([{"city": "Oslo", "n": 3}, {"city": "<b>Lima</b>", "n": 5}], key="cities")
        bar = create_progress_artifact(0.0, key="load")
        for pct in (50, 100):
            step.wait(30)
            step.clear()
            update_progress_artifact(bar, pct)
            stepped.set()
        create_markdown_artifact("**done** <script>alert(1)</script> [x](javascript:alert(1))", key="note")

    _engine, widget, thread, _out = start(reports)
    wait_until(lambda: 'data-progress="0"' in widget.artifacts.value)
    html = widget.artifacts.value
    assert "<th" in html and ">city</th>" in html and ">Oslo</td>" in html
    assert "&lt;b&gt;Lima&lt;/b&gt;" in html  # a cell's text, not markup
    step.set()
    stepped.wait(30)
    wait_until(lambda: 'data-progress="50"' in widget.artifacts.value)
    stepped.clear()
    step.set()
    thread.join(30)
    html = widget.artifacts.value
    assert 'data-progress="100"' in html and html.count("orchestr-lab-artifact-progress") == 1
    assert "<strong>done</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html and 'href="javascript' not in html
    assert "artifact load: 100" in widget.text


def test_a_stored_runs_widget_shows_its_artifacts() -> None:
    from orchestr_lab.sdk.ops import Ops
    from orchestr_lab.sdk.widgets.runs import RunWidget

    @flow
    def elsewhere() -> str:
        bar = create_progress_artifact(0.0, key="stored-bar")
        update_progress_artifact(bar, 70)
        create_table_artifact({"city": ["Oslo"]}, key="stored-table")
        from orchestr_lab.runtime import flow_run

        return flow_run.id

    run_id = elsewhere()
    widget = RunWidget(Ops(), run_id, live=False)  # as %orchestr run follows a deployment run
    html = widget.artifacts.value
    assert 'data-progress="70"' in html and ">Oslo</td>" in html
    assert html.index('data-key="stored-bar"') < html.index('data-key="stored-table"')  # oldest first
