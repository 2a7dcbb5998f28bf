"""A run's report: its executed notebook as an HTML page, served so that nothing in it runs.

The notebook is read by ``actions.runs.output_notebook``, which serves only files under the
results folder's ``notebooks`` (a stored path leading elsewhere is a 404). The page goes out
with a Content-Security-Policy that allows no script, no connection and no form (an output may
hold any HTML), styles and inline images only, and ``sandbox`` (an origin of its own).
"""

from __future__ import annotations

from ..core.documents import Document
from ..core.errors import NotFound
from ..core.schemas_run_diff import ReportQuery
from . import Context
from .runs import checked_run_id, output_notebook

__all__ = ["REPORT_POLICY", "run_report"]

#: What a report page may load: its own inline styles, and images and fonts inlined as data.
REPORT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox"
)


def run_report(ctx: Context, *, flow_run_id: str, query: ReportQuery) -> Document:
    """The executed notebook of ``flow_run_id`` as HTML (404 while it has none)."""
    from ..workers.notebook_report import notebook_html

    notebook = output_notebook(ctx, flow_run_id=flow_run_id)
    try:
        html = notebook_html(notebook, no_input=query.no_input)
    except Exception as exc:  # noqa: BLE001 - stored text of any shape: nbformat/nbconvert refuse it in many ways
        raise NotFound(f"The executed notebook of flow run {flow_run_id!r} cannot be shown: {exc}") from None
    name = f"report-{checked_run_id(flow_run_id)}.html"
    headers = (
        ("Content-Security-Policy", REPORT_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Disposition", f'inline; filename="{name}"'),
        ("Cache-Control", "no-store"),
    )
    return Document(html, "text/html; charset=utf-8", headers)
