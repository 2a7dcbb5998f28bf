"""Each code cell of a notebook run as a task run: states, timing and output, live.

:class:`CellTracker` is what the execution client's cell hooks call. It writes through the
engine's batched recorder, so a running notebook's progress reaches the store (and the
sidebar) cell by cell without one transaction per output line.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from ..core.errors import NotebookStopped
from ..core.output_cap import cap_text
from ..core.states import Cancelled, Completed, Failed, Pending, Retrying, Running, State, StateType
from ..core.wire import LogOp, StateOp, TaskRunOp
from ..engine.ids import new_id
from .cell_output import ERROR_FLOOR, OutputBudget

__all__ = ["CellTracker", "Listener", "strip_ansi"]

#: ``listener(event, info)``: the CLI draws progress from these; the worker's child forwards
#: ``kernel`` to its parent so a cancel can kill the kernel too.
Listener = Callable[[str, dict[str, Any]], None]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_LOGGER = "orchestr_lab.notebook"


def strip_ansi(text: str) -> str:
    """Tracebacks from IPython carry colour codes; logs and messages should not."""
    return _ANSI.sub("", text)


class _Cell:
    __slots__ = ("index", "number", "task_id", "run_count", "state", "started", "source", "cell_id", "budget")

    def __init__(
        self, index: int, number: int, task_id: str, run_count: int, source: str, cell_id: str | None = None
    ) -> None:
        self.cell_id = cell_id
        self.index = index
        self.number = number
        self.task_id = task_id
        self.run_count = run_count
        self.state: StateType | None = None
        self.started: float | None = None
        self.source = source
        self.budget: OutputBudget | None = None


class CellTracker:
    """Records one notebook attempt's code cells as task runs of ``flow_run_id``.

    Cells are numbered 1, 2, ... in execution order over the cells that run (non-empty code
    cells, the injected parameters cell included), which matches ``In [n]`` in the executed
    notebook. A retry of the run reuses the task runs of the cells it already has (same cell
    id), so each cell keeps one task run whose ``run_count`` counts its attempts.

    What each cell outputs is capped at ``max_output`` bytes (``ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES``
    by default), in its log lines and in the executed notebook alike (cell_output.py).
    """

    def __init__(
        self,
        recorder: Any,
        flow_run_id: str,
        *,
        existing: list[dict[str, Any]] | None = None,
        listener: Listener | None = None,
        max_output: int | None = None,
    ) -> None:
        from ..core.settings import max_cell_output_bytes

        self.max_output = max_output or max_cell_output_bytes()
        self.recorder = recorder
        self.flow_run_id = flow_run_id
        self.listener = listener
        self._existing = {t.get("task_key"): t for t in existing or ()}
        self.cells: dict[int, _Cell] = {}
        self.current: _Cell | None = None
        self.failed: _Cell | None = None
        self.interrupted: _Cell | None = None
        self.error: tuple[str, str] | None = None
        self.stop_reason: str | None = None
        #: The state a cell interrupted on purpose ends in (TimedOut, Cancelled), set with
        #: ``stop_reason`` so the interrupted cell is not reported as the notebook's failure.
        self.stop_state: State | None = None
        self.kernel_pid: int | None = None
        self.kernel_pgid: int | None = None
        #: Where the kernel saved its state when ``failed`` failed (None: not saved).
        self.saved_state: str | None = None

    # -- recording --------------------------------------------------------------------
    def _state(self, cell: _Cell, state: State, **fields: Any) -> None:
        cell.state = state.type
        self.recorder.put(StateOp("task", cell.task_id, state, fields))

    def log(self, message: str, *, level: int = logging.INFO, cell: _Cell | None = None) -> None:
        self.recorder.put(
            LogOp(
                {
                    "flow_run_id": self.flow_run_id,
                    "task_run_id": cell.task_id if cell else None,
                    "level": level,
                    "logger_name": _LOGGER,
                    "message": message,
                    "timestamp": time.time(),
                },
            )
        )

    def _emit(self, event: str, **info: Any) -> None:
        if self.listener is not None:
            self.listener(event, info)

    # -- the notebook's life ----------------------------------------------------------
    def register(self, nb: Any, *, kept: set[int] | frozenset[int] = frozenset()) -> None:
        """Create (or reuse) a PENDING task run for every cell that will execute.

        Cells in ``kept`` (by index: a resumed attempt's cells before the failing one) are
        numbered but left as they are, task run included: they do not run again.
        """
        now = time.time()
        number = 0
        for index, cell in enumerate(nb.cells):
            if cell.get("cell_type") != "code" or not cell.get("source", "").strip():
                continue
            number += 1
            key = f"cell.{cell.get('id') or index}"
            old = self._existing.get(key)
            if index in kept:
                continue
            if old is not None:
                entry = _Cell(index, number, old["id"], int(old.get("run_count") or 0), cell.source, cell.get("id"))
            else:
                entry = _Cell(index, number, new_id(), 0, cell.source, cell.get("id"))
                self.recorder.put(
                    TaskRunOp(
                        {
                            "id": entry.task_id,
                            "name": f"cell-{number}",
                            "flow_run_id": self.flow_run_id,
                            "task_key": key[:255],
                            "dynamic_key": str(index),
                            "tags": ["notebook-cell"],
                            "cache_key": None,
                            # 10 µs apart: a float epoch carries ~0.2 µs of error, so 1 µs
                            # steps could round to the same stored microsecond.
                            "created": now + number * 1e-5,  # listed in cell order
                        },
                    )
                )
            self.cells[index] = entry
            self._state(entry, Pending(timestamp=now))
        self._emit("cells", total=number)

    def kernel_started(self, pid: int | None, pgid: int | None) -> None:
        self.kernel_pid, self.kernel_pgid = pid, pgid
        self._emit("kernel", pid=pid, pgid=pgid)

    def cell_started(self, index: int) -> None:
        """A hook: raises to stop the notebook when a timeout or cancel has been decided."""
        if self.stop_reason is not None:
            raise NotebookStopped(self.stop_reason)
        cell = self.cells.get(index)
        if cell is None:
            return
        now = time.time()
        cell.run_count += 1
        cell.started = now
        cell.budget = OutputBudget(self.max_output)
        self.current = cell
        running = Running(timestamp=now) if cell.run_count == 1 else Retrying(timestamp=now)
        self._state(cell, running, run_count=cell.run_count, start_time=now)
        self._emit("cell_start", number=cell.number, total=len(self.cells), source=cell.source)

    def cell_finished(self, index: int, reply: dict[str, Any] | None, outputs: list[Any] | None = None) -> None:
        """A hook: the cell's reply is in (``outputs``: its outputs, where a cut one's marker goes)."""
        cell = self.cells.get(index)
        if cell is None or cell.state is not StateType.RUNNING:
            return
        now = time.time()
        content = (reply or {}).get("content") or {}
        if (
            content.get("status") == "error"
            and self.stop_state is not None
            and content.get("ename") == "KeyboardInterrupt"
        ):
            state = self.stop_state.copy(timestamp=now)
            self.interrupted = cell
        elif content.get("status") == "error":
            ename, evalue = content.get("ename", "Error"), cap_text(content.get("evalue", ""), ERROR_FLOOR)
            self.failed, self.error = cell, (ename, evalue)
            traceback = strip_ansi(cap_text("\n".join(content.get("traceback") or ()), self.max_output))
            self.log(traceback or f"{ename}: {evalue}", level=logging.ERROR, cell=cell)
            state = Failed(f"{ename}: {evalue}" if evalue else ename, timestamp=now)
        else:
            state = Completed(timestamp=now)
        if cell.budget is not None and cell.budget.truncated:
            if outputs is not None:
                self._mark(cell.budget, outputs)
            self.log(cell.budget.marker_text(), level=logging.WARNING, cell=cell)
        self._state(cell, state, end_time=now)
        if self.current is cell:
            self.current = None
        self._cell_end(cell, state, now)

    def _cell_end(self, cell: _Cell, state: State, now: float) -> None:
        """The ``cell_end`` event: how ``cell`` ended (``state``) and how long it ran until ``now``."""
        self._emit(
            "cell_end",
            number=cell.number,
            state=state.type.value,
            name=state.name,
            duration=now - (cell.started or now),
            message=state.message,
        )

    def output(self, index: int, output: Any, outputs: list[Any] | None = None, *, pinned: bool = False) -> Any:
        """Cap ``output``, just appended to ``outputs`` (cell ``index``'s), to what the cell may
        still show; stream output (print, warnings) also becomes log lines of its task run.

        Returns the output as kept, or None when nothing of it fits (then it is removed, or
        emptied when ``pinned``: a display others update by its id keeps its place).
        """
        cell = self.cells.get(index)
        if cell is None or cell.budget is None:
            return output
        budget = cell.budget
        if not budget.admit(output):
            if pinned:
                output["data"], output["metadata"] = {}, {}
            elif outputs and outputs[-1] is output:
                outputs.pop()
            output = None
        if budget.truncated and outputs is not None:
            self._mark(budget, outputs)
        if output is not None and output.get("output_type") == "stream":
            self._log_stream(cell, output)
        return output

    @staticmethod
    def _mark(budget: OutputBudget, outputs: list[Any]) -> None:
        """Add the cell's marker where its output was first cut (again after a clear), or
        bring its numbers up to date."""
        if budget.marker is None:
            import nbformat

            budget.marker = nbformat.v4.new_output("stream", name="stderr", text="")
        if not any(o is budget.marker for o in outputs):
            outputs.append(budget.marker)
        budget.marker["text"] = budget.marker_text() + "\n"

    def _log_stream(self, cell: _Cell, output: Any) -> None:
        text = output.get("text", "")
        if isinstance(text, list):
            text = "".join(text)
        text = text.rstrip("\n")
        if not text:
            return
        level = logging.WARNING if output.get("name") == "stderr" else logging.INFO
        self.log(strip_ansi(text), level=level, cell=cell)
        self._emit("output", number=cell.number, name=output.get("name"), text=text)

    def close(self, running: State | None = None, *, reason: str | None = None) -> None:
        """End the attempt: a cell still running takes ``running``; cells never reached are
        skipped, saying why: an earlier cell did not complete, or (none failed) ``reason``, e.g.
        the kernel could not start or the executed notebook could not be saved."""
        now = time.time()
        blocked = any(cell.state not in (StateType.PENDING, StateType.COMPLETED, None) for cell in self.cells.values())
        why = "an earlier cell did not complete" if blocked else (reason or "the notebook stopped before this cell")
        for cell in self.cells.values():
            if cell.state is StateType.RUNNING:
                state = (running or Failed("The notebook stopped while this cell ran")).copy(timestamp=now)
                self._state(cell, state, end_time=now)
                self._cell_end(cell, state, now)
            elif cell.state is StateType.PENDING:
                self._state(cell, Cancelled(f"Not run: {why}", name="Skipped", timestamp=now))

    def state_saved(self, path: str | None, error: str = "") -> None:
        """The kernel saved (``path``) or could not save (``error``) its state at the failure."""
        self.saved_state = path
        if path is None:
            self.log(
                f"The kernel's state could not be saved, so this run cannot resume at the failed cell: {error}",
                level=logging.WARNING,
            )

    def resume_point(self, notebook: str) -> dict[str, Any] | None:
        """Where a retry may resume (the run's ``resume_from``), when the failing cell's state was saved."""
        if self.failed is None or self.saved_state is None:
            return None
        return {
            "cell": self.failed.number,
            "cell_index": self.failed.index,
            "cell_id": self.failed.cell_id,
            "snapshot": self.saved_state,
            "notebook": notebook,
        }

    def request_stop(self, reason: str, state: State) -> None:
        """From another thread: let no further cell start; the cell interrupted ends in ``state``."""
        self.stop_state = state
        self.stop_reason = reason

    def describe_failure(self) -> str | None:
        """``Cell 3 failed: ZeroDivisionError: division by zero`` for the failing cell."""
        if self.failed is None or self.error is None:
            return None
        ename, evalue = self.error
        return f"Cell {self.failed.number} failed: {ename}" + (f": {evalue}" if evalue else "")
