"""Links to what a server serves about a run, for messages that leave it (notifications).

Pure: builds strings only. ``server_url`` is the Jupyter server's URL with its base_url (what
``ORCHESTR_LAB_API_URL`` holds); the API lives under ``orchestr-lab/api`` below it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

__all__ = ["report_url"]


def report_url(run: Mapping[str, Any] | str, server_url: str, *, no_input: bool = False) -> str:
    """The executed notebook of ``run`` (a run dict or its id) as HTML, on the server at
    ``server_url``; ``no_input``: the report without code cells."""
    run_id = run if isinstance(run, str) else str(run["id"])
    url = f"{server_url.rstrip('/')}/orchestr-lab/api/flow_runs/{quote(run_id, safe='')}/report"
    return url + "?no_input=1" if no_input else url
