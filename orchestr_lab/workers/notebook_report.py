"""An executed notebook as one HTML page (nbconvert's HTMLExporter): a run's report.

The page is served under a Content-Security-Policy that lets no script run (outputs may hold
some), so it is exported without the widget and MathJax scripts it could not use anyway.
"""

from __future__ import annotations

from typing import Any

__all__ = ["notebook_html"]


def notebook_html(notebook: dict[str, Any], *, no_input: bool = False) -> str:
    """``notebook`` (nbformat JSON) as a standalone HTML page; ``no_input``: outputs and markdown only."""
    import json

    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", exclude_input=no_input, exclude_input_prompt=no_input)
    exporter.exclude_output_prompt = no_input
    body, _resources = exporter.from_notebook_node(nbformat.reads(json.dumps(notebook), as_version=4))
    return str(body)
