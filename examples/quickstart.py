"""orchestr-lab in one minute: a tiny ETL flow written exactly as you would for Prefect 3.

Run it with ``make run`` (which also lists the recorded runs afterwards) or directly:

    .venv/bin/python examples/quickstart.py
    .venv/bin/orchestr-lab runs ls          # the runs it left in the store

Coming from Prefect? The only change is the import line below:
``from prefect import flow, task`` becomes ``from orchestr_lab import flow, task``.
No server has to be running: every run is recorded in a local SQLite file.
"""

from __future__ import annotations

from orchestr_lab import flow, get_run_logger, record, runtime, task


# A task is one step of the work. If it raises, orchestr-lab retries it (here up to 2 more
# times, 0.2 s apart) before giving up, and stores every attempt.
@task(retries=2, retry_delay_seconds=0.2)
def extract(source: str) -> list[int]:
    """Pretend to download numbers; the first attempt fails like a flaky network call."""
    if runtime.task_run.run_count == 1:  # 1 on the first attempt, 2 on the first retry, ...
        raise ConnectionError(f"{source} timed out (on purpose, to show a retry)")
    return [3, 1, 4, 1, 5, 9, 2, 6]


@task
def square(x: int) -> int:
    """One small unit of work; ``.map`` below runs it once per input, concurrently."""
    return x * x


# A flow called from another flow is a "subflow": it gets its own run, linked to its parent.
@flow
def load(values: list[int]) -> int:
    """Pretend to write the values somewhere; returns how much was written."""
    get_run_logger().info("Loading %d values", len(values))
    return sum(values)


# The flow ties the steps together. Its logs, task runs, states and recorded outputs all land
# in the store, where `orchestr-lab runs show <id>` (and later the JupyterLab sidebar) find them.
@flow(log_prints=True)
def etl(source: str = "numbers.csv") -> int:
    logger = get_run_logger()
    logger.info("Extracting from %s", source)

    numbers = extract(source)  # calling a task runs it and returns its value
    futures = square.map(numbers)  # one task run per number; returns futures
    squares = [future.result() for future in futures]

    total = load(squares)  # the subflow
    record("total", total)  # a named output of this run, shown with the run
    print(f"Sum of squares: {total}")  # log_prints=True stores print() lines as logs too

    logger.info("See this run again with: orchestr-lab runs show %s", runtime.flow_run.id)
    return total


if __name__ == "__main__":
    # return_state=True hands back the final State instead of the bare value, so we can show
    # both; a plain `etl()` would just return 173 (and raise if the flow failed).
    state = etl(return_state=True)
    print()
    print(f"flow run state: {state.type.value}")  # COMPLETED; FAILED if a task had run out of retries
    print(f"result:         {state.result()}")  # the flow's return value (raises if it failed)
