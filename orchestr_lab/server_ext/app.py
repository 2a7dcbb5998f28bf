"""``OrchestrLabApp``: the jupyter_server extension (REST API, event stream, background services).

Settings are traitlets (``c.OrchestrLabApp.db_url = ...`` in a Jupyter config file, or
``--OrchestrLabApp.db_url=...``), each with an ``ORCHESTR_LAB_*`` environment twin that is
used when the config does not set it. The app exports the store's URL and results folder to
the environment so the kernels and workers it starts record into the same store.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Bool, Dict, Enum, Float, Int, List, Unicode, Union, default

from ..actions import Context
from ..core import limits, settings
from ..core.settings import (
    DEFAULT_KEEP_EVENTS_DAYS,
    DEFAULT_KEEP_LAST_RUNS,
    DEFAULT_KEEP_LOGS_DAYS,
    DEFAULT_KEEP_RUNS_DAYS,
    DEFAULT_PRUNE_INTERVAL,
    ENV_HEARTBEAT_TIMEOUT,
    ENV_KEEP_EVENTS_DAYS,
    ENV_KEEP_LAST_RUNS,
    ENV_KEEP_LOGS_DAYS,
    ENV_KEEP_RUNS_DAYS,
    ENV_LOCAL_WORKER,
    ENV_LOCAL_WORKER_CONCURRENCY,
    ENV_LOCAL_WORKER_QUEUES,
    ENV_MAX_REQUEST_BYTES,
    ENV_MAX_UPLOAD_BYTES,
    ENV_MISSED_RUNS,
    ENV_PRUNE_INTERVAL,
    ENV_SCHEDULER,
    ENV_SCHEDULER_INTERVAL,
    ENV_SCHEDULER_LATE_GRACE,
    ENV_SHUTDOWN_GRACE,
    ENV_SMTP_FROM,
    ENV_SMTP_HOST,
    ENV_SMTP_PORT,
    ENV_SMTP_SECURITY,
    ENV_SMTP_USERNAME,
)
from ..services.background import Background
from ..services.scheduler import MISSED_POLICIES
from ..store.retention import RetentionPolicy

__all__ = ["OrchestrLabApp"]

#: Seconds a stopping server waits for API requests already running in its pool.
API_DRAIN_SECONDS = 5.0


def _drain(executor: ThreadPoolExecutor, seconds: float) -> None:
    """Wait up to ``seconds`` for the pool's running work (its threads end once it is done)."""
    deadline = time.monotonic() + seconds
    for thread in list(getattr(executor, "_threads", ())):
        thread.join(max(0.0, deadline - time.monotonic()))


def _from_env(name: str, fallback: float, kind: type) -> Any:
    """A traitlet default read from the environment variable ``name`` (see ``_env_number``)."""

    def read(app: OrchestrLabApp) -> Any:
        return app._env_number(name, fallback, kind)

    return read


class OrchestrLabApp(ExtensionApp):
    """Serves ``/orchestr-lab/api/`` and runs the scheduler, the reaper and a local worker."""

    name = "orchestr_lab"
    description = "orchestr-lab: workflow orchestration inside Jupyter"

    db_url = Unicode(config=True, help="SQLAlchemy URL of the store [env: ORCHESTR_LAB_DB_URL].")
    results_dir = Unicode(config=True, help="Where results and executed notebooks go [env: ORCHESTR_LAB_RESULTS_DIR].")
    scheduler_interval = Float(
        config=True, help="Seconds between scheduler and reaper passes [env: ORCHESTR_LAB_SCHEDULER_INTERVAL]."
    )
    heartbeat_timeout = Float(
        config=True,
        help="Seconds without a heartbeat after which a running run is CRASHED [env: ORCHESTR_LAB_HEARTBEAT_TIMEOUT].",
    )
    scheduler = Bool(
        config=True,
        help="Run the scheduler and the reaper in this server [env: ORCHESTR_LAB_SCHEDULER]; "
        "several servers may share a database (one schedules at a time).",
    )
    local_worker = Bool(
        config=True, help="Run deployments' runs in this server (a bounded pool) [env: ORCHESTR_LAB_LOCAL_WORKER]."
    )
    local_worker_concurrency = Int(
        config=True, help="Runs the local worker executes at once [env: ORCHESTR_LAB_LOCAL_WORKER_CONCURRENCY]."
    )
    local_worker_queues = List(
        Unicode(),
        config=True,
        help="Work queues the local worker serves [env: ORCHESTR_LAB_LOCAL_WORKER_QUEUES, comma-separated].",
    )
    api_threads = Int(4, config=True, help="Threads that run store work for API requests.")
    missed_runs = Enum(
        MISSED_POLICIES,
        config=True,
        help="What the scheduler does with the slots a schedule missed while no server ran (more than "
        "scheduler_late_grace late): 'skip' them, run 'once' for the latest, or run 'all' of them (at most "
        "1,000 per schedule per pass) [env: ORCHESTR_LAB_MISSED_RUNS; default: once]. Time a deployment "
        "spent paused is never missed.",
    )
    scheduler_late_grace = Float(
        config=True,
        help="Seconds a slot may be late and still run as just due, whatever missed_runs says "
        "[env: ORCHESTR_LAB_SCHEDULER_LATE_GRACE; default: 60].",
    )
    shutdown_grace = Float(
        config=True,
        help="At shutdown (SIGTERM), seconds the local worker lets running runs finish before handing them "
        "back (SCHEDULED again, run by the next worker) [env: ORCHESTR_LAB_SHUTDOWN_GRACE; default: 5].",
    )
    max_request_bytes = Int(
        config=True,
        help="Largest request body the API accepts, in bytes; larger is a 413 [env: ORCHESTR_LAB_MAX_REQUEST_BYTES].",
    )
    max_upload_bytes = Int(
        config=True,
        help="Largest executed notebook a remote worker may upload (PUT flow_runs/{id}/notebook), in bytes "
        "[env: ORCHESTR_LAB_MAX_UPLOAD_BYTES]. Jupyter's own ServerApp.max_body_size still caps both.",
    )
    max_cell_output_bytes = Int(
        config=True,
        help="What one notebook cell's output (and one run log line) may keep, in bytes, in the run's logs and "
        "executed notebook; the rest is cut with an '[output truncated: N bytes, showing the first M]' marker "
        "[env: ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES; default: 1 MiB].",
    )
    keep_runs_days = Float(
        config=True,
        help="Days a finished run (COMPLETED, FAILED, CANCELLED, CRASHED) is kept, with its task runs, logs, "
        "executed notebook and saved kernel state; 0 keeps them forever. A deployment's retention_days "
        "overrides it [env: ORCHESTR_LAB_KEEP_RUNS_DAYS; default: 90].",
    )
    keep_last_runs = Int(
        config=True,
        help="The newest finished runs of each deployment kept whatever their age; a deployment's keep_last "
        "overrides it [env: ORCHESTR_LAB_KEEP_LAST_RUNS; default: 100].",
    )
    keep_events_days = Float(
        config=True,
        help="Days the event feed (what the sidebar streams) is kept; 0 keeps it forever "
        "[env: ORCHESTR_LAB_KEEP_EVENTS_DAYS; default: 30].",
    )
    keep_logs_days = Float(
        config=True,
        help="Days run log lines are kept even while their run is kept (lines of unfinished runs stay); 0: "
        "they go with their run [env: ORCHESTR_LAB_KEEP_LOGS_DAYS; default: 0].",
    )
    prune_interval = Float(
        config=True,
        help="Seconds between retention passes, which delete in small batches what the keep_* settings no "
        "longer keep; 0 turns pruning off in this server [env: ORCHESTR_LAB_PRUNE_INTERVAL; default: 600].",
    )

    # -- the notify action: where mail goes, and the URL its report links start with ----------
    smtp_host = Unicode(config=True, help="Mail server for notify automations [env: ORCHESTR_LAB_SMTP_HOST].")
    smtp_port = Int(
        config=True, help="Its port; 0: 465 for ssl, 587 for starttls, else 25 [env: ORCHESTR_LAB_SMTP_PORT]."
    )
    smtp_security = Enum(
        ["none", "starttls", "ssl"], config=True, help="none, starttls or ssl [env: ORCHESTR_LAB_SMTP_SECURITY]."
    )
    smtp_username = Unicode(config=True, help="Login, if the server wants one [env: ORCHESTR_LAB_SMTP_USERNAME].")
    smtp_password = Union(
        [Unicode(), Dict()],
        config=True,
        help='Its password, or {"secret_block": "name"} to read a Secret block when mail is sent '
        "[env: ORCHESTR_LAB_SMTP_PASSWORD, a JSON object for a block].",
    )
    smtp_from = Unicode(config=True, help="The sender address [env: ORCHESTR_LAB_SMTP_FROM].")
    public_url = Unicode(
        config=True,
        help="This server's URL as people reach it, for report links in notifications (default: the "
        "server's own URL) [env: ORCHESTR_LAB_PUBLIC_URL].",
    )

    @default("db_url")
    def _default_db_url(self) -> str:
        return settings.db_url()

    @default("results_dir")
    def _default_results_dir(self) -> str:
        return str(settings.results_dir())

    @default("scheduler_interval")
    def _default_scheduler_interval(self) -> float:
        return self._env_number(ENV_SCHEDULER_INTERVAL, 5.0, float)

    @default("heartbeat_timeout")
    def _default_heartbeat_timeout(self) -> float:
        return self._env_number(ENV_HEARTBEAT_TIMEOUT, 30.0, float)

    @default("scheduler")
    def _default_scheduler(self) -> bool:
        return settings.env_flag(ENV_SCHEDULER, True)

    @default("local_worker")
    def _default_local_worker(self) -> bool:
        return settings.env_flag(ENV_LOCAL_WORKER, True)

    @default("local_worker_concurrency")
    def _default_local_worker_concurrency(self) -> int:
        return self._env_number(ENV_LOCAL_WORKER_CONCURRENCY, 2, int)

    @default("local_worker_queues")
    def _default_local_worker_queues(self) -> list[str]:
        raw = os.environ.get(ENV_LOCAL_WORKER_QUEUES, "")
        return [q.strip() for q in raw.split(",") if q.strip()] or ["default"]

    @default("max_request_bytes")
    def _default_max_request_bytes(self) -> int:
        return self._env_number(ENV_MAX_REQUEST_BYTES, limits.DEFAULT_MAX_REQUEST_BYTES, int)

    @default("max_upload_bytes")
    def _default_max_upload_bytes(self) -> int:
        return self._env_number(ENV_MAX_UPLOAD_BYTES, limits.DEFAULT_MAX_UPLOAD_BYTES, int)

    @default("max_cell_output_bytes")
    def _default_max_cell_output_bytes(self) -> int:
        return settings.max_cell_output_bytes()

    @default("missed_runs")
    def _default_missed_runs(self) -> str:
        raw = os.environ.get(ENV_MISSED_RUNS, "").strip().lower()
        if raw and raw not in MISSED_POLICIES:
            self.log.warning(
                "orchestr-lab: ignoring %s=%r (not %s); using once", ENV_MISSED_RUNS, raw, ", ".join(MISSED_POLICIES)
            )
        return raw if raw in MISSED_POLICIES else "once"

    @default("scheduler_late_grace")
    def _default_scheduler_late_grace(self) -> float:
        return self._env_number(ENV_SCHEDULER_LATE_GRACE, 60.0, float)

    @default("shutdown_grace")
    def _default_shutdown_grace(self) -> float:
        return self._env_number(ENV_SHUTDOWN_GRACE, 5.0, float)

    # Retention settings fall back to their environment twins, then to core.settings' defaults.
    _default_keep_runs_days = default("keep_runs_days")(_from_env(ENV_KEEP_RUNS_DAYS, DEFAULT_KEEP_RUNS_DAYS, float))
    _default_keep_last_runs = default("keep_last_runs")(_from_env(ENV_KEEP_LAST_RUNS, DEFAULT_KEEP_LAST_RUNS, int))
    _default_keep_events_days = default("keep_events_days")(
        _from_env(ENV_KEEP_EVENTS_DAYS, DEFAULT_KEEP_EVENTS_DAYS, float)
    )
    _default_keep_logs_days = default("keep_logs_days")(_from_env(ENV_KEEP_LOGS_DAYS, DEFAULT_KEEP_LOGS_DAYS, float))
    _default_prune_interval = default("prune_interval")(_from_env(ENV_PRUNE_INTERVAL, DEFAULT_PRUNE_INTERVAL, float))

    @default("smtp_host")
    def _default_smtp_host(self) -> str:
        return os.environ.get(ENV_SMTP_HOST, "")

    _default_smtp_port = default("smtp_port")(_from_env(ENV_SMTP_PORT, 0, int))

    @default("smtp_security")
    def _default_smtp_security(self) -> str:
        raw = os.environ.get(ENV_SMTP_SECURITY, "").strip().lower()
        return raw if raw in ("starttls", "ssl") else "none"

    @default("smtp_username")
    def _default_smtp_username(self) -> str:
        return os.environ.get(ENV_SMTP_USERNAME, "")

    @default("smtp_password")
    def _default_smtp_password(self) -> Any:
        from ..services.notify import SmtpSettings

        return SmtpSettings.from_env().password

    @default("smtp_from")
    def _default_smtp_from(self) -> str:
        return os.environ.get(ENV_SMTP_FROM, "")

    @default("public_url")
    def _default_public_url(self) -> str:
        return os.environ.get(settings.ENV_PUBLIC_URL, "")

    def notify_settings(self) -> Any:
        """The notify action's settings (``services.notify.NotifySettings``) from the traitlets."""
        from ..services.notify import NotifySettings, SmtpSettings

        smtp = SmtpSettings(
            host=self.smtp_host,
            port=self.smtp_port,
            security=self.smtp_security,
            username=self.smtp_username,
            password=self.smtp_password,
            sender=self.smtp_from or SmtpSettings.sender,
        )
        return NotifySettings(smtp=smtp, server_url=self.public_url or self.serverapp.connection_url)  # type: ignore[union-attr]  # set by the server before it starts its extensions

    def _env_number(self, name: str, fallback: Any, kind: type) -> Any:
        def ignored(name: str, raw: str) -> None:
            self.log.warning("orchestr-lab: ignoring %s=%r (not a number); using %s", name, raw, fallback)

        return settings.env_number(name, fallback, kind, ignored)

    # -- lifecycle ---------------------------------------------------------------------------

    def initialize_settings(self) -> None:
        """Open (and migrate) the store and export where it is for the processes we start."""
        from ..store.database import get_engine

        os.environ[settings.ENV_DB_URL] = self.db_url
        os.environ[settings.ENV_RESULTS_DIR] = self.results_dir
        # The local worker's children and their kernels read the cap from there.
        os.environ[settings.ENV_MAX_CELL_OUTPUT_BYTES] = str(self.max_cell_output_bytes)
        engine = get_engine(self.db_url)
        root = Path(self.serverapp.root_dir).expanduser().resolve()  # type: ignore[union-attr]  # set by the server before it initialises its extensions
        # Kernels' %orchestr schedule / deploy() store notebook paths relative to this root.
        os.environ[settings.ENV_ROOT_DIR] = str(root)
        self.executor = ThreadPoolExecutor(max_workers=self.api_threads, thread_name_prefix="orchestr-lab-api")
        from .handlers.events import store_event_hub

        self.event_hub = store_event_hub(engine, self.executor, self.log)  # one poller for every event stream
        self.background = Background(
            engine=engine,
            db_url=self.db_url,
            root_dir=root,
            results_dir=Path(self.results_dir),
            scheduler_interval=self.scheduler_interval,
            heartbeat_timeout=self.heartbeat_timeout,
            scheduler=self.scheduler,
            local_worker=self.local_worker,
            local_worker_concurrency=self.local_worker_concurrency,
            local_worker_queues=list(self.local_worker_queues),
            missed_runs=self.missed_runs,
            late_grace=self.scheduler_late_grace,
            shutdown_grace=self.shutdown_grace,
            retention=RetentionPolicy.from_days(
                runs_days=self.keep_runs_days,
                keep_last=self.keep_last_runs,
                events_days=self.keep_events_days,
                logs_days=self.keep_logs_days,
                folders=(settings.home_dir(), Path(self.results_dir)),
            ),
            prune_interval=self.prune_interval,
            log=self.log,
        )
        self.context = Context(
            engine=engine,
            root_dir=root,
            base_url=self.serverapp.base_url,  # type: ignore[union-attr]  # set by the server before it initialises its extensions
            services=self.background.status,
            runs_due=self.background.wake,
            results_dir=Path(self.results_dir),
        )

    def initialize_handlers(self) -> None:
        from .handlers import build_handlers

        self.handlers.extend(build_handlers())

    async def _start_jupyter_server_extension(self, serverapp: Any) -> None:
        """Start the scheduler, reaper and local worker once the server's loop runs."""
        self.background.notify = self.notify_settings()  # the server's URL is known now
        self.background.start()
        self.log.info(
            "orchestr-lab: API at %sorchestr-lab/api/, store %s, services %s",
            serverapp.base_url,
            self.context.engine.url.render_as_string(hide_password=True),
            ", ".join(k for k, v in self.background.status().items() if v) or "none",
        )

    async def stop_extension(self) -> None:
        """Stop the services (the local worker finishes or hands back its runs) and, meanwhile,
        let API work already running finish for up to ``API_DRAIN_SECONDS`` so its client gets
        the answer (work still queued is dropped: a 503 the client may retry)."""
        import asyncio

        loop = asyncio.get_running_loop()
        hub = getattr(self, "event_hub", None)
        if hub is not None:
            await hub.stop()
        waits = []
        background = getattr(self, "background", None)
        if background is not None:
            waits.append(loop.run_in_executor(None, background.stop))
        executor = getattr(self, "executor", None)
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
            waits.append(loop.run_in_executor(None, _drain, executor, API_DRAIN_SECONDS))
        await asyncio.gather(*waits)
