"""Settings read from ``ORCHESTR_LAB_*`` environment variables, resolved when asked for.

Nothing is read at import. The server extension exposes the same settings as traitlets and
exports them to this environment for the workers and kernels it starts.
"""

from __future__ import annotations

import os
from pathlib import Path

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
        return Path(url[len("sqlite:///"):]).expanduser().parent / "results"
    return home_dir() / "results"


def env_flag(name: str, default: bool) -> bool:
    """A boolean environment setting: 0/false/no/off are false, anything else true."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() not in {"0", "false", "no", "off"}


def log_level() -> str:
    return os.environ.get(ENV_LOG_LEVEL, "INFO").upper()


def max_cell_output_bytes() -> int:
    """The per-cell (and per log line) output cap: ``$ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES``, 1 MiB
    by default; a value that is not a positive integer falls back to the default."""
    raw = os.environ.get(ENV_MAX_CELL_OUTPUT_BYTES, "").strip()
    try:
        value = int(raw) if raw else DEFAULT_MAX_CELL_OUTPUT_BYTES
    except ValueError:
        return DEFAULT_MAX_CELL_OUTPUT_BYTES
    return value if value > 0 else DEFAULT_MAX_CELL_OUTPUT_BYTES
