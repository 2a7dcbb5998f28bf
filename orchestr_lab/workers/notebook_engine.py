"""The ``orchestr_lab`` papermill engine: papermill's nbclient engine plus per-cell recording.

Registered through the ``papermill.engine`` entry point (so ``papermill --engine orchestr_lab``
works too). papermill hands engine keyword arguments it does not know straight to the engine,
which is how :func:`run_notebook` passes the :class:`~.cells.CellTracker`, the kernel's
environment, or an already started kernel (``km``, from the warm pool) with the code that
prepares it for the run (``kernel_setup``); without those the engine behaves exactly like
papermill's own.
"""

from __future__ import annotations

from typing import Any

from nbclient.util import ensure_async, run_hook, run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine
from papermill.log import logger as papermill_logger

from .cell_output import cap_bundle
from .cells import CellTracker

__all__ = ["OrchestrLabEngine", "register_engine"]

ENGINE_NAME = "orchestr_lab"


class _TrackedClient(PapermillNotebookClient):
    """papermill's client, reporting cells and stream output to a tracker as they happen, and
    keeping each cell's output within the tracker's cap (cell_output.py)."""

    def __init__(
        self,
        nb_man: Any,
        tracker: CellTracker,
        kernel_setup: str | None = None,
        kernel_client: Any = None,
        snapshot_path: str | None = None,
        kept_cells: dict[int, Any] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(
            nb_man,
            on_cell_start=self._cell_start,
            on_cell_executed=self._cell_executed,
            on_notebook_start=self._notebook_start,
            **kw,
        )
        self.tracker = tracker
        self.kernel_setup = kernel_setup
        self.warm_client = kernel_client
        self.snapshot_path = snapshot_path
        self.kept_cells = kept_cells or {}

    async def async_start_new_kernel_client(self) -> Any:
        """Connect (or take the warm kernel's connected client), then prepare a pre-started
        kernel for this run before any cell executes."""
        if self.warm_client is not None:
            self.kc, self.warm_client = self.warm_client, None
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
        else:
            await super().async_start_new_kernel_client()
        if self.kernel_setup:
            content = await self._run_silently(self.kernel_setup)
            if content.get("status") != "ok":
                raise RuntimeError(
                    f"the kernel could not be prepared for the run: {content.get('ename')}: {content.get('evalue')}"
                )
        return self.kc

    async def _run_silently(self, code: str) -> dict[str, Any]:
        """Execute ``code`` in the kernel outside the notebook (no output, no history)."""
        msg_id = await ensure_async(self.kc.execute(code, silent=True, store_history=False, allow_stdin=False))
        reply = await self.async_wait_for_reply(msg_id)
        return (reply or {}).get("content") or {}

    # nbclient binds the synchronous twin to its own coroutine; papermill calls the twin.
    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def _notebook_start(self, notebook: Any = None, **_: Any) -> None:
        provisioner = getattr(self.km, "provisioner", None)
        self.tracker.kernel_started(getattr(provisioner, "pid", None), getattr(provisioner, "pgid", None))

    def _cell_start(self, cell: Any = None, cell_index: int = -1, **_: Any) -> None:
        self.tracker.cell_started(cell_index)
        # The store learns that a cell runs (and how the previous one ended) before its code
        # does: a run killed at any moment (cancel, worker gone) then shows the right cells,
        # even in a warm kernel where the first cells run within the recorder's 0.2 s batch.
        self.tracker.recorder.flush()

    async def _cell_executed(self, cell: Any = None, cell_index: int = -1, execute_reply: Any = None, **_: Any) -> None:
        self.tracker.cell_finished(cell_index, execute_reply, cell.outputs if cell is not None else None)
        failed = self.tracker.failed
        if self.snapshot_path and failed is not None and failed.index == cell_index:
            # The kernel is still alive with the state the failing cell saw: save it for a
            # retry that resumes here (workers/resume.py).
            from .resume import snapshot_code

            content = await self._run_silently(snapshot_code(self.snapshot_path))
            self.tracker.state_saved(
                self.snapshot_path if content.get("status") == "ok" else None,
                f"{content.get('ename')}: {content.get('evalue')}",
            )

    async def async_execute_cell(
        self, cell: Any, cell_index: int, execution_count: int | None = None, store_history: bool = True
    ) -> Any:
        """A cell a resumed attempt keeps is not executed again: it gets its earlier outputs back."""
        kept = self.kept_cells.get(cell_index)
        if kept is not None:
            cell.outputs = kept.get("outputs", [])
            cell.execution_count = kept.get("execution_count")
            return cell
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    execute_cell = run_sync(async_execute_cell)

    def output(self, outs: list[Any], msg: dict[str, Any], display_id: str | None, cell_index: int) -> Any:
        """Each output as it arrives, before papermill saves the notebook: capped, logged."""
        output = super().output(outs, msg, display_id, cell_index)
        if output is None:
            return None
        return self.tracker.output(cell_index, output, outs, pinned=bool(display_id))

    def _update_display_id(self, display_id: str, msg: dict[str, Any]) -> None:
        """An update replaces a display's data: it may take the whole cap, no more."""
        content = msg.get("content") or {}
        data = content.get("data")
        if data:
            capped = cap_bundle(data, self.tracker.max_output)
            if capped is not data:
                msg = {**msg, "content": {**content, "data": capped, "metadata": {}}}
        super()._update_display_id(display_id, msg)


class OrchestrLabEngine(NBClientEngine):
    """Executes with nbclient like papermill's default engine, recording cells when asked.

    Extra engine keyword arguments (all optional): ``tracker`` (a CellTracker), ``kernel_env``
    (the kernel's whole environment), ``kernel_cwd`` (its working directory), ``km`` (an
    already started kernel manager, e.g. from a warm pool: the caller shuts it down),
    ``kernel_client`` (a client of ``km`` already connected), ``kernel_setup`` (code
    executed silently in the kernel before the first cell), ``snapshot_path`` (where the kernel
    saves its state when a cell fails) and ``kept_cells`` (cell index -> the cell as an earlier
    attempt left it: not executed, its outputs kept; see workers/resume.py).
    """

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        tracker: CellTracker | None = None,
        kernel_env: dict[str, str] | None = None,
        kernel_cwd: str | None = None,
        kernel_setup: str | None = None,
        kernel_client: Any = None,
        snapshot_path: str | None = None,
        kept_cells: dict[int, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        if (
            tracker is None
            and kernel_env is None
            and kernel_cwd is None
            and kernel_setup is None
            and kernel_client is None
            and snapshot_path is None
            and not kept_cells
        ):
            return super().execute_managed_notebook(
                nb_man,
                kernel_name,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                start_timeout=start_timeout,
                execution_timeout=execution_timeout,
                **kwargs,
            )
        kwargs.pop("input_path", None)
        kwargs.pop("startup_timeout", None)
        per_cell_timeout = execution_timeout or kwargs.pop("timeout", None)
        kwargs.pop("timeout", None)
        if kernel_name.startswith("python") and "extra_arguments" not in kwargs:
            # ipykernel warns on stderr about unencrypted local TCP at every start; a headless
            # run's terminal or worker log is no place for that. User output is unaffected.
            kwargs["extra_arguments"] = ["--IPKernelApp.log_level=CRITICAL"]
        tracker = tracker or CellTracker(_NullRecorder(), "")
        tracker.register(nb_man.nb, kept=set(kept_cells or ()))
        client = _TrackedClient(
            nb_man,
            tracker,
            kernel_setup,
            kernel_client,
            snapshot_path,
            kept_cells,
            timeout=per_cell_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=papermill_logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        launch: dict[str, Any] = {}
        if kernel_env is not None:
            launch["env"] = kernel_env
        if kernel_cwd is not None:
            launch["cwd"] = kernel_cwd
        return client.execute(**launch)


class _NullRecorder:
    def put(self, op: Any) -> None:
        pass

    def flush(self) -> None:
        pass


def register_engine() -> None:
    """Make sure papermill knows the engine even where the entry point is not installed
    (a source checkout on ``sys.path`` without ``pip install -e``)."""
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillException

    try:
        papermill_engines.get_engine(ENGINE_NAME)
    except PapermillException:
        papermill_engines.register(ENGINE_NAME, OrchestrLabEngine)
