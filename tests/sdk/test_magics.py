"""The magics in a real kernel: %%flow, %%task, %orchestr, and the widgets they display.

One notebook (one kernel) plays a whole session; each test reads its part of the executed
notebook and of the store the kernel recorded into (this session's ORCHESTR_LAB_HOME).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _notebooks import cell_html, errors, execute, notebook, rows, run_state, stream, texts, views

SETUP = """\
%load_ext orchestr_lab
import asyncio
from orchestr_lab import flow, task, get_run_logger

calls = {}

@task
def extract():
    return [3, 1, 4]

@task(retries=1)
def flaky(xs):
    calls["flaky"] = calls.get("flaky", 0) + 1
    if calls["flaky"] == 1:
        raise ConnectionError("the source hiccuped")
    return [x * 2 for x in xs]

@task
def load(xs):
    get_run_logger().info("loading %d rows", len(xs))
    return sum(xs)
"""

CELLS = [
    SETUP,
    # 1: the acceptance cell
    "%%flow etl --retries 1\nrows = extract()\ndoubled = flaky(rows)\ntotal = load(doubled)\ntotal",
    # 2: names the flow cell assigned are defined
    "print(rows, doubled, total)",
    # 3: a task cell failing once, then succeeding on retry
    "%%task step --retries 2\nattempts = globals().get('attempts', 0) + 1\n"
    "if attempts < 2:\n    raise RuntimeError('first try fails')\nattempts * 10",
    # 4: a flow cell that raises
    "%%flow broken\nhalf = 1\nraise KeyError('no such column')",
    # 5, 6, 7: wrong options
    "%%flow --retries many\n1",
    "%orchestr frobnicate",
    "%%task --cache --bogus\n1",
    # 8: a plain flow call shows its widget
    "@flow\ndef plain(n: int):\n    return sum(load.map([[i] for i in range(n)]).result())\nplain(4)",
    # 9: ...unless turned off
    "%orchestr widgets off\nplain(2)",
    # 10: back on; a top-level await in a flow cell
    "%orchestr widgets on\n",
    "%%flow async-cell\nawait asyncio.sleep(0)\nlate = load([1, 2])\nlate",
    # 12, 13: %%task --cache: the second identical cell does not run, its names come back
    "ran = []",
    "%%task cached --cache\nran.append(1)\nresult = 6 * 7",
    "del result\n",
    "%%task cached --cache\nran.append(1)\nresult = 6 * 7",
    "print(len(ran), result)",
    # 17: recent runs
    "%orchestr runs --flow etl --limit 5",
    # 18
    "%orchestr deployments",
    # 19, 20: in a notebook a worker runs, %%task cells join the run named in the environment
    "%%flow notebook-run\nfrom orchestr_lab import runtime\nparent_id = runtime.flow_run.id",
    "import os\nos.environ['ORCHESTR_LAB_FLOW_RUN_ID'] = parent_id\n",
    "%%task in-run\n'inside'",
    "del os.environ['ORCHESTR_LAB_FLOW_RUN_ID']\nprint(parent_id)",
    # 23-27: deployments from the notebook (no worker here: the run stays SCHEDULED)
    "import nbformat\nnb = nbformat.v4.new_notebook()\n"
    "nb.cells = [nbformat.v4.new_code_cell('x = 1', metadata={'tags': ['parameters']})]\n"
    "nbformat.write(nb, 'tiny.ipynb')",
    "dep = %orchestr schedule tiny.ipynb --name tiny --interval 3600 -p x=2\ndep",
    "%orchestr run tiny -p x=5",
    '%orchestr schedule tiny.ipynb --name tiny --cron "not a cron"',
    "%orchestr run no-such-deployment",
]


HOME: dict[str, Path] = {}


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory):
    """The executed notebook; its kernel records into a store of its own (HOME["path"])."""
    home = HOME["path"] = tmp_path_factory.mktemp("magics_home")
    nb = notebook(CELLS, raises=(4, 5, 6, 7, 26, 27))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ORCHESTR_LAB_HOME", str(home))  # the kernel inherits it
        return execute(nb, cwd=tmp_path_factory.mktemp("magics"))


def _store():
    from orchestr_lab.store.database import get_engine

    return get_engine(f"sqlite:///{HOME['path'] / 'orchestr.db'}")


def _runs(flow_name: str) -> list[dict]:
    from orchestr_lab.store.run_reads import list_flow_runs

    items, _ = list_flow_runs(_store(), flow_name=flow_name)
    return items


def _task_runs(run_id: str) -> list[dict]:
    from orchestr_lab.store.run_reads import list_task_runs

    return list_task_runs(_store(), run_id)


def test_flow_cell_completes_with_three_task_rows_and_the_retry_visible(session) -> None:
    cell = session.cells[1]
    assert len(views(cell)) == 1
    html = cell_html(session, 1)
    assert run_state(html) == "COMPLETED"
    task_rows = rows(html)
    assert [r["state"] for r in task_rows] == ["COMPLETED"] * 3
    assert [r["attempt"] for r in task_rows] == ["1", "2", "1"]  # flaky needed its retry
    assert "load-0 | loading 3 rows" in html  # the log tail, by task run
    text = texts(cell)[0]
    assert "COMPLETED" in text and "flaky-0" in text and "attempt 2/2" in text
    assert cell.outputs[-1].data["text/plain"] == "16"  # the last expression is the cell's value


def test_flow_cell_names_stay_defined(session) -> None:
    assert stream(session.cells[2]).strip() == "[3, 1, 4] [6, 2, 8] 16"


def test_flow_cell_run_and_its_task_runs_are_stored(session) -> None:
    (run,) = _runs("etl")
    assert run["state"]["type"] == "COMPLETED"
    task_runs = _task_runs(run["id"])
    assert [t["name"] for t in task_runs] == ["extract-0", "flaky-0", "load-0"]
    assert [t["run_count"] for t in task_runs] == [1, 2, 1]
    assert all(t["state"]["type"] == "COMPLETED" for t in task_runs)


def test_task_cell_retries_the_cell_until_it_succeeds(session) -> None:
    cell = session.cells[3]
    html = cell_html(session, 3)
    assert run_state(html) == "COMPLETED"
    assert "attempt 2/3" in html
    assert cell.outputs[-1].data["text/plain"] == "20"
    from orchestr_lab.store.run_reads import get_task_run

    run_id = html.split('data-run-id="')[1].split('"')[0]
    stored = get_task_run(_store(), run_id)
    assert stored["state"]["type"] == "COMPLETED" and stored["run_count"] == 2


def test_failing_flow_cell_shows_failed_with_the_error(session) -> None:
    cell = session.cells[4]
    (error,) = errors(cell)
    assert error.ename == "KeyError" and "no such column" in error.evalue
    html = cell_html(session, 4)
    assert run_state(html) == "FAILED"
    assert "KeyError" in html and "no such column" in html and "Traceback" in html
    (run,) = _runs("broken")
    assert run["state"]["type"] == "FAILED" and "no such column" in run["state"]["message"]


@pytest.mark.parametrize(("index", "words"), [(5, "--retries"), (6, "frobnicate"), (7, "--bogus")])
def test_wrong_options_give_a_one_line_usage_error(session, index: int, words: str) -> None:
    cell = session.cells[index]
    assert not errors(cell) and not views(cell)  # no traceback, nothing ran
    message = stream(cell, "stderr").strip()
    assert message.startswith("UsageError:") and words in message and "usage:" in message
    assert "\n" not in message


def test_calling_a_flow_shows_its_widget_unless_turned_off(session) -> None:
    html = cell_html(session, 8)
    assert run_state(html) == "COMPLETED" and len(rows(html)) == 4
    assert session.cells[8].outputs[-1].data["text/plain"] == "6"
    assert not views(session.cells[9])
    assert session.cells[9].outputs[-1].data["text/plain"] == "1"
    assert len(_runs("plain")) == 2  # recorded either way


def test_a_widget_shows_its_runs_log_lines_once_and_without_widgets_they_go_to_stderr(session) -> None:
    for index, line in ((1, "loading 3 rows"), (8, "loading 1 rows")):
        assert line in cell_html(session, index)  # the widget's log
        assert line not in stream(session.cells[index], "stderr")  # not a second, red copy
    assert "loading 1 rows" in stream(session.cells[9], "stderr")  # widgets off: the console as before


def test_flow_cell_with_top_level_await(session) -> None:
    html = cell_html(session, 11)
    assert run_state(html) == "COMPLETED" and len(rows(html)) == 1
    assert session.cells[11].outputs[-1].data["text/plain"] == "3"


def test_cached_task_cell_restores_its_names_without_running(session) -> None:
    assert stream(session.cells[16]).strip() == "1 42"
    assert "Cached" in cell_html(session, 15)


def test_runs_and_deployments_line_magics_show_widgets(session) -> None:
    runs = session.cells[17]
    assert len(views(runs)) == 1
    assert "etl" in texts(runs)[0] and "COMPLETED" in texts(runs)[0]
    assert 'data-state="COMPLETED"' in cell_html(session, 17)
    assert len(views(session.cells[18])) == 1


def test_task_cell_joins_the_run_named_in_the_environment(session) -> None:
    parent_id = stream(session.cells[22]).strip()
    (parent,) = _runs("notebook-run")
    assert parent["id"] == parent_id
    assert [t["name"] for t in _task_runs(parent_id)] == ["in-run-0"]
    assert run_state(cell_html(session, 21)) == "COMPLETED"


def test_schedule_and_run_a_deployment_from_the_notebook(session) -> None:
    schedule = session.cells[24]
    assert len(views(schedule)) == 1
    assert "Deployment tiny (tiny.ipynb): every 3600 s" in texts(schedule)[0]
    run = session.cells[25]
    assert 'data-state="SCHEDULED"' in cell_html(session, 25)
    (stored,) = [r for r in _runs("tiny")]
    assert stored["parameters"] == {"x": 5} and stored["state"]["type"] == "SCHEDULED"
    assert "tiny" in texts(run)[0]


@pytest.mark.parametrize(("index", "words"), [(26, "cron"), (27, "no-such-deployment")])
def test_deployment_mistakes_are_one_line(session, index: int, words: str) -> None:
    cell = session.cells[index]
    assert not errors(cell) and not views(cell)
    message = stream(cell, "stderr").strip()
    assert message.startswith("UsageError:") and words in message and "\n" not in message
