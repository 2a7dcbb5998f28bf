"""Per-cell progress of a notebook run: a rich bar on a terminal, one line per event in a pipe."""

from __future__ import annotations

from typing import Any

import click

from . import _output as out

__all__ = ["CellProgress"]

_MARKS = {"COMPLETED": "✓", "FAILED": "✗", "CANCELLED": "-", "CRASHED": "✗"}


def _first_line(source: str, width: int = 60) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= width else line[: width - 1] + "…"
    return ""


class CellProgress:
    """A :data:`~orchestr_lab.workers.cells.Listener` that draws what the cells are doing.

    Stream output of the cells is shown as it arrives (dimmed on a terminal), as
    ``papermill --log-output`` would, so a headless run can be followed.
    """

    def __init__(self, *, rich: bool, show_output: bool = True) -> None:
        self.rich = rich
        self.show_output = show_output
        self.total = 0
        self.sources: dict[int, str] = {}
        self._progress: Any = None
        self._task: Any = None

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> CellProgress:
        if self.rich:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=out.console(),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("starting kernel", total=None)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def print(self, text: str, *, style: str = "", err: bool = False) -> None:
        if self._progress is not None:
            from rich.text import Text

            self._progress.console.print(Text(text, style=style))
        else:
            click.echo(text, err=err)

    # -- events -----------------------------------------------------------------------------
    def __call__(self, event: str, info: dict[str, Any]) -> None:
        handler = getattr(self, f"_on_{event}", None)
        if handler is not None:
            handler(**info)

    def _on_cells(self, total: int) -> None:
        self.total = total
        if self._progress is not None:
            self._progress.update(self._task, total=total, completed=0)

    def _on_cell_start(self, number: int, total: int, source: str) -> None:
        self.sources[number] = source
        label = f"cell {number}/{total}"
        if self._progress is not None:
            self._progress.update(self._task, description=f"{label} [dim]{_first_line(source, 40)}[/dim]")
        else:
            click.echo(f"{label} RUNNING")

    def _on_cell_end(self, number: int, state: str, name: str, duration: float, message: str | None) -> None:
        label = f"cell {number}/{self.total}"
        what = state if name.upper() == state else f"{state} ({name})"
        if self._progress is not None:
            self._progress.advance(self._task)
            mark = _MARKS.get(state, "·")
            style = out.STATE_STYLES.get(state, "")
            line = f"{mark} {label:<12} {out.fmt_duration(duration):>7}  {_first_line(self.sources.get(number, ''))}"
            self.print(line, style=style if state != "COMPLETED" else "")
            if message and state != "COMPLETED":
                self.print(f"  {message}", style=style)
        else:
            suffix = f" {message}" if message and state != "COMPLETED" else ""
            click.echo(f"{label} {what} {duration:.3f}s{suffix}")

    def _on_output(self, number: int, name: str, text: str) -> None:
        if not self.show_output:
            return
        for line in text.splitlines():
            self.print(f"  {line}", style="dim" if name == "stdout" else "yellow")
