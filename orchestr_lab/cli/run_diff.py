"""``orchestr-lab runs diff A [B]``: what changed from run B (default: the previous COMPLETED run
of A's deployment) to run A, as a short summary or (``--json``) the API's answer."""

from __future__ import annotations

import json
from typing import Any

import click

from . import _output as out
from ._api import Backend, remote_options
from ._options import json_option

__all__ = ["diff"]

_LINES = 6  # lines of a changed output shown per side


@click.command("diff")
@click.argument("run_id", metavar="A")
@click.argument("against", metavar="[B]", required=False)
@json_option("Print the comparison as JSON (as GET flow_runs/{id}/diff answers).")
@remote_options
def diff(backend: Backend, run_id: str, against: str | None, as_json: bool) -> None:
    """Compare run A with run B (default: the deployment's previous COMPLETED run): parameters,
    recorded outputs, state, duration and the cells whose source or outputs changed."""
    answer = backend.run_diff(run_id, against)
    if as_json:
        out.echo_json(answer)
        return
    from rich.text import Text

    console = out.console()
    head = Text.assemble((answer["flow_run_name"], "bold"), f" ({answer['flow_run_id']}) compared with ")
    head.append_text(Text.assemble((answer["against_name"], "bold"), f" ({answer['against_id']})"))
    console.print(head, soft_wrap=True)
    lines = _summary(answer)
    for line in lines or [Text("no changes")]:
        console.print(line, soft_wrap=True)


def _summary(answer: dict[str, Any]) -> list[Any]:
    from rich.text import Text

    lines: list[Any] = []
    for title, key in (("parameters", "parameters"), ("recorded outputs", "recorded")):
        if answer[key]:
            lines.append(Text(f"{title}:", "bold"))
            lines += [Text(f"  {c['name']}: {_change(c)}") for c in answer[key]]
    for key in ("state", "duration"):
        if answer.get(key):
            old, new = answer[key]["old"], answer[key]["new"]
            show = _seconds if key == "duration" else str
            lines.append(Text.assemble((f"{key}:", "bold"), f" {show(old)} -> {show(new)}"))
    if answer["cells"]:
        lines.append(Text("cells:", "bold"))
    for cell in answer["cells"]:
        lines += _cell_lines(cell)
    return lines


def _change(change: dict[str, Any]) -> str:
    if change["change"] == "added":
        return f"(new) {json.dumps(change['new'], default=str)}"
    if change["change"] == "removed":
        return f"{json.dumps(change['old'], default=str)} (gone)"
    return f"{json.dumps(change['old'], default=str)} -> {json.dumps(change['new'], default=str)}"


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}s"


def _cell_lines(cell: dict[str, Any]) -> list[Any]:
    from rich.text import Text

    where = cell["index"] if cell["index"] is not None else cell["old_index"]
    if cell["change"] != "modified":
        what = [cell["change"]]
    else:
        parts = [name for name in ("source", "outputs") if cell.get(f"{name}_changed")]
        what = [f"{' and '.join(parts)} changed"] if parts else []
    if cell.get("state"):
        what.append(f"state {cell['state']['old']} -> {cell['state']['new']}")
    if cell.get("duration"):
        what.append(f"duration {_seconds(cell['duration']['old'])} -> {_seconds(cell['duration']['new'])}")
    lines: list[Any] = [Text(f"  cell {where} ({cell['cell_type']}): {'; '.join(what)}")]
    if cell.get("outputs_changed"):
        lines += [Text(f"    - {t}", "red") for t in _output_text(cell.get("old_outputs") or [])]
        lines += [Text(f"    + {t}", "green") for t in _output_text(cell.get("outputs") or [])]
    return lines


def _output_text(outputs: list[dict[str, Any]]) -> list[str]:
    texts: list[str] = []
    for output in outputs:
        if output.get("text") is not None:
            texts += output["text"].splitlines()
        else:
            texts.append(f"[{output.get('mime') or output['output_type']}]")
    return texts[:_LINES]
