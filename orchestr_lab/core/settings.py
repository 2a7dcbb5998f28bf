"""Settings read from ``ORCHESTR_LAB_*`` environment variables, resolved when asked for.

Every ``ORCHESTR_LAB_*`` name is defined here, once; the rest of the package imports it.
Nothing is read at import. The server extension exposes its settings as traitlets and exports
them to this environment for the workers and kernels it starts.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

_N = TypeVar("_N", int, float)

#: What every variable's name starts with; a server setting ``x`` has the twin ``ORCHESTR_LAB_X``.
ENV_PREFIX = "ORCHESTR_LAB_"

# -- the store and its files -------------------------------------------------------------
ENV_DB_URL = "ORCHESTR_LAB_DB_URL"
ENV_HOME = "ORCHESTR_LAB_HOME"
ENV_RESULTS_DIR = "ORCHESTR_LAB_RESULTS_DIR"
#: The notebook root deployment paths are relative to (the Jupyter server's root).
ENV_ROOT_DIR = "ORCHESTR_LAB_ROOT_DIR"
ENV_SHOW_WIDGETS = "ORCHESTR_LAB_SHOW_WIDGETS"
ENV_LOG_LEVEL = "ORCHESTR_LAB_LOGGING_LEVEL"
#: What one notebook cell's output (or one run log line) may take in the store and in the
#: executed notebook, in bytes; the rest is cut with a visible marker (core/output_cap.py).
ENV_MAX_CELL_OUTPUT_BYTES = "ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES"
DEFAULT_MAX_CELL_OUTPUT_BYTES = 1_048_576

# -- a client of a server's REST API (CLI, sdk, remote workers) ----------------------------
ENV_API_URL = "ORCHESTR_LAB_API_URL"
ENV_API_TOKEN = "ORCHESTR_LAB_API_TOKEN"
#: The Dask scheduler ``orchestr-lab worker --type dask`` submits runs to.
ENV_DASK_ADDRESS = "ORCHESTR_LAB_DASK_ADDRESS"

# -- the server's settings' environment twins (``OrchestrLabApp`` traitlets) --------------
ENV_SCHEDULER_INTERVAL = "ORCHESTR_LAB_SCHEDULER_INTERVAL"
ENV_HEARTBEAT_TIMEOUT = "ORCHESTR_LAB_HEARTBEAT_TIMEOUT"
ENV_SCHEDULER = "ORCHESTR_LAB_SCHEDULER"
ENV_LOCAL_WORKER = "ORCHESTR_LAB_LOCAL_WORKER"
ENV_LOCAL_WORKER_CONCURRENCY = "ORCHESTR_LAB_LOCAL_WORKER_CONCURRENCY"
ENV_LOCAL_WORKER_QUEUES = "ORCHESTR_LAB_LOCAL_WORKER_QUEUES"
ENV_MISSED_RUNS = "ORCHESTR_LAB_MISSED_RUNS"
ENV_SCHEDULER_LATE_GRACE = "ORCHESTR_LAB_SCHEDULER_LATE_GRACE"
ENV_SHUTDOWN_GRACE = "ORCHESTR_LAB_SHUTDOWN_GRACE"
ENV_MAX_REQUEST_BYTES = "ORCHESTR_LAB_MAX_REQUEST_BYTES"
ENV_MAX_UPLOAD_BYTES = "ORCHESTR_LAB_MAX_UPLOAD_BYTES"
# Retention (store/retention.py): what the store keeps, and how often the server prunes the rest.
ENV_KEEP_RUNS_DAYS = "ORCHESTR_LAB_KEEP_RUNS_DAYS"
ENV_KEEP_LAST_RUNS = "ORCHESTR_LAB_KEEP_LAST_RUNS"
ENV_KEEP_EVENTS_DAYS = "ORCHESTR_LAB_KEEP_EVENTS_DAYS"
ENV_KEEP_LOGS_DAYS = "ORCHESTR_LAB_KEEP_LOGS_DAYS"
ENV_PRUNE_INTERVAL = "ORCHESTR_LAB_PRUNE_INTERVAL"
# The notify action (services/notify.py): the mail server, and the URL reports are linked under.
ENV_SMTP_HOST = "ORCHESTR_LAB_SMTP_HOST"
ENV_SMTP_PORT = "ORCHESTR_LAB_SMTP_PORT"
ENV_SMTP_SECURITY = "ORCHESTR_LAB_SMTP_SECURITY"
ENV_SMTP_USERNAME = "ORCHESTR_LAB_SMTP_USERNAME"
ENV_SMTP_PASSWORD = "ORCHESTR_LAB_SMTP_PASSWORD"
ENV_SMTP_FROM = "ORCHESTR_LAB_SMTP_FROM"
ENV_PUBLIC_URL = "ORCHESTR_LAB_PUBLIC_URL"
#: Finished runs are kept 90 days, but always the newest 100 finished runs of each deployment;
#: events 30 days; log lines as long as their run (0 days: no limit of their own); a prune
#: pass every 10 minutes. 0 days means "keep forever".
DEFAULT_KEEP_RUNS_DAYS = 90.0
DEFAULT_KEEP_LAST_RUNS = 100
DEFAULT_KEEP_EVENTS_DAYS = 30.0
DEFAULT_KEEP_LOGS_DAYS = 0.0
DEFAULT_PRUNE_INTERVAL = 600.0

# -- a run's identity, set by the worker in the run's kernel or process ---------------------
# ``record()`` and ``orchestr_lab.runtime`` read them where no flow context exists (a kernel).
ENV_FLOW_RUN_ID = "ORCHESTR_LAB_FLOW_RUN_ID"
ENV_FLOW_RUN_NAME = "ORCHESTR_LAB_FLOW_RUN_NAME"
ENV_FLOW_NAME = "ORCHESTR_LAB_FLOW_NAME"
ENV_FLOW_RUN_PARAMETERS = "ORCHESTR_LAB_FLOW_RUN_PARAMETERS"
ENV_FLOW_RUN_COUNT = "ORCHESTR_LAB_FLOW_RUN_COUNT"
ENV_SCHEDULED_START_TIME = "ORCHESTR_LAB_SCHEDULED_START_TIME"
ENV_DEPLOYMENT_ID = "ORCHESTR_LAB_DEPLOYMENT_ID"
ENV_DEPLOYMENT_NAME = "ORCHESTR_LAB_DEPLOYMENT_NAME"
ENV_DEPLOYMENT_PARAMETERS = "ORCHESTR_LAB_DEPLOYMENT_PARAMETERS"
#: All of a run's identity: a kernel or process never inherits another run's.
RUN_IDENTITY = (
    ENV_FLOW_RUN_ID,
    ENV_FLOW_RUN_NAME,
    ENV_FLOW_NAME,
    ENV_FLOW_RUN_PARAMETERS,
    ENV_FLOW_RUN_COUNT,
    ENV_SCHEDULED_START_TIME,
    ENV_DEPLOYMENT_ID,
    ENV_DEPLOYMENT_NAME,
    ENV_DEPLOYMENT_PARAMETERS,
)


def home_dir() -> Path:
    """Where orchestr-lab keeps its files: ``$ORCHESTR_LAB_HOME`` or ``<jupyter data dir>/orchestr_lab``."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    from jupyter_core.paths import jupyter_data_dir  # small, pure-python; no server import

    return Path(jupyter_data_dir()) / "orchestr_lab"


def db_url() -> str:
    """The store's SQLAlchemy URL; SQLite in :func:`home_dir` unless overridden."""
    env = os.environ.get(ENV_DB_URL)
    if env:
        return env
    return f"sqlite:///{home_dir() / 'orchestr.db'}"


def results_dir() -> Path:
    """Where persisted results and cache records live: beside a SQLite database by default."""
    env = os.environ.get(ENV_RESULTS_DIR)
    if env:
        return Path(env).expanduser()
    url = db_url()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url[len("sqlite:///") :]).expanduser().parent / "results"
    return home_dir() / "results"


def env_flag(name: str, default: bool) -> bool:
    """A boolean environment setting: 0/false/no/off are false, anything else true."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() not in {"0", "false", "no", "off"}


def env_number(
    name: str, default: _N, kind: Callable[[str], _N], on_bad: Callable[[str, str], None] | None = None
) -> _N:
    """A numeric environment setting: ``default`` when unset or blank, and when not a ``kind``
    (``on_bad(name, raw)`` is told first, e.g. to log it)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        if on_bad is not None:
            on_bad(name, raw)
        return default


def log_level() -> str:
    return os.environ.get(ENV_LOG_LEVEL, "INFO").upper()


def max_cell_output_bytes() -> int:
    """The per-cell (and per log line) output cap: ``$ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES``, 1 MiB
    by default; a value that is not a positive integer falls back to the default."""
    value = env_number(ENV_MAX_CELL_OUTPUT_BYTES, DEFAULT_MAX_CELL_OUTPUT_BYTES, int)
    return value if value > 0 else DEFAULT_MAX_CELL_OUTPUT_BYTES
