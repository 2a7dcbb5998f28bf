"""The question a paused flow run asks, as a form under its run widget.

Built from the JSON schema the run waits with (what ``GET flow_runs/{id}/input_schema``
answers): one field per property, by type (a number box for integer/number, a checkbox for a
boolean, a dropdown for an enum or ``Literal``, a text box otherwise), its default filled in and
its description beside it, and the input's own description as markdown above. Submit resumes
the run; a refusal (the server names the field: ``run_input.<field>``) is shown under that field
and the run stays paused, so the person can correct it and submit again.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from html import escape
from typing import Any

import ipywidgets as w

from ._artifacts import _markdown

__all__ = ["PauseForm", "field_of"]

_FIELD = re.compile(r"\brun_input\.([A-Za-z_][\w-]*)(?::\s*)?")
_LAYOUT = {"width": "32em"}


def field_of(message: str) -> tuple[str | None, str]:
    """The field a refusal names (``run_input.copies: ...``) and the message without it."""
    match = _FIELD.search(message)
    if match is None:
        return None, message
    return match.group(1), message[match.end() :].strip() or message


def _resolved(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any]:
    """``prop`` with a local ``$ref`` (pydantic's enums) and an ``Optional``'s null branch folded in."""
    options = [p for p in prop.get("anyOf", []) if p.get("type") != "null"]
    if len(options) == 1:
        prop = {**options[0], **{k: v for k, v in prop.items() if k != "anyOf"}}
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = (schema.get("$defs") or {}).get(ref.rsplit("/", 1)[1], {})
        prop = {**target, **{k: v for k, v in prop.items() if k != "$ref"}}
    allof = prop.get("allOf")
    if isinstance(allof, list) and len(allof) == 1 and isinstance(allof[0], dict):
        prop = {**_resolved(schema, allof[0]), **{k: v for k, v in prop.items() if k != "allOf"}}
    return prop


class _Field:
    """One property: its input widget, how to read it, and where its error goes."""

    def __init__(self, name: str, prop: dict[str, Any], required: bool) -> None:
        self.name = name
        self.kind = prop.get("type") if isinstance(prop.get("type"), str) else "string"
        default = prop.get("default")
        label = str(prop.get("title") or name)
        self.input: w.Widget
        if isinstance(prop.get("enum"), list) and prop["enum"]:
            self.kind = "enum"
            self.choices = list(prop["enum"])
            options = [(str(v), i) for i, v in enumerate(self.choices)]
            index = self.choices.index(default) if default in self.choices else (0 if required else None)
            self.input = w.Dropdown(options=options, value=index, description=label, layout=_LAYOUT)
        elif self.kind == "boolean":
            self.input = w.Checkbox(value=bool(default), description=label, indent=False)
        elif self.kind in ("integer", "number"):
            text = "" if default is None else json.dumps(default)
            self.input = w.Text(value=text, description=label, layout=_LAYOUT)
        elif self.kind == "string":
            self.input = w.Text(value="" if default is None else str(default), description=label, layout=_LAYOUT)
        else:  # an object or a list: JSON as typed
            self.input = w.Textarea(value="" if default is None else json.dumps(default), description=label)
        self.input.style = {"description_width": "initial"}
        self.input.add_class("orchestr-lab-pause-input")
        self.input.add_class(f"orchestr-lab-pause-field-{name}")
        description = prop.get("description")
        self.help = w.HTML(
            f'<span style="color:#757575;font-size:0.85em">{escape(description)}</span>' if description else ""
        )
        self.error = w.HTML()
        self.error.add_class("orchestr-lab-pause-error")
        self.box = w.VBox([self.input, self.help, self.error])
        self.box.add_class("orchestr-lab-pause-field")
        self.box.add_class(f"orchestr-lab-pause-field-{name}-box")

    def value(self) -> Any:
        """What the box holds, as the JSON the schema checks; ``...``: left empty."""
        raw = self.input.value
        if self.kind == "enum":
            return ... if raw is None else self.choices[raw]
        if self.kind == "boolean":
            return bool(raw)
        if isinstance(raw, str) and raw.strip() == "":
            return ...
        if self.kind in ("integer", "number", "array", "object"):
            try:
                return json.loads(raw)
            except ValueError:
                return raw  # the server says what is wrong with it, on this field
        return raw

    def show_error(self, message: str) -> None:
        self.error.value = (
            f'<span class="orchestr-lab-field-error" data-field="{escape(self.name)}" '
            f'style="color:#c62828">{escape(message)}</span>'
            if message
            else ""
        )


class PauseForm(w.VBox):
    """The form for one pause of one run; ``submit()`` is what the button does.

    ``resume(values)`` resumes the run (raising the server's refusal); ``answered`` is set once
    it did, so the waiting run's thread can look at the run at once instead of at its next poll.
    """

    def __init__(self, question: dict[str, Any], resume: Callable[[dict[str, Any]], Any], **kwargs: Any) -> None:
        self.key = str(question.get("key", ""))
        self._resume = resume
        self.answered = threading.Event()
        schema = question.get("run_input_schema") or {}
        required = set(schema.get("required") or [])
        self.fields = {
            name: _Field(name, _resolved(schema, prop if isinstance(prop, dict) else {}), name in required)
            for name, prop in (schema.get("properties") or {}).items()
        }
        title = w.HTML("<b>Paused: this flow run waits for input</b>")
        description = question.get("description")
        parts: list[w.Widget] = [title]
        if description:
            parts.append(w.HTML(f'<div class="orchestr-lab-pause-description">{_markdown().render(description)}</div>'))
        self.button = w.Button(description="Submit", button_style="primary", icon="play")
        self.button.add_class("orchestr-lab-pause-submit")
        self.button.on_click(lambda _button: self.submit())
        self.message = w.HTML()
        self.message.add_class("orchestr-lab-pause-message")
        parts += [f.box for f in self.fields.values()] + [self.button, self.message]
        super().__init__(parts, **kwargs)
        self.add_class("orchestr-lab-pause-form")
        self.layout.border = "1px solid #8d6e63"
        self.layout.padding = "4px 8px"
        self.layout.margin = "4px 0"

    @property
    def widgets(self) -> list[w.Widget]:
        """Every widget whose messages the kernel must handle while the run waits (a click, and
        the values typed before it)."""
        return [self.button] + [f.input for f in self.fields.values()]

    def values(self) -> dict[str, Any]:
        """The answer as typed (empty boxes left out: the schema's default or 'required' applies)."""
        return {name: v for name, f in self.fields.items() if (v := f.value()) is not ...}

    def submit(self) -> bool:
        """Resume the run with the form's values; True when the server took them."""
        if self.answered.is_set():
            return True
        for f in self.fields.values():
            f.show_error("")
        self.message.value = ""
        values = self.values()
        try:
            self._resume(values)
        except Exception as exc:
            self.show_refusal(str(exc))
            return False
        self.done(f"Resumed with {json.dumps(values)}.")
        self.answered.set()
        return True

    def show_refusal(self, text: str) -> None:
        """The server's message under the field it names, or under the form."""
        name, message = field_of(text)
        target = self.fields.get(name) if name is not None else None
        if target is not None:
            target.show_error(message)
        else:
            self.message.value = f'<span style="color:#c62828">{escape(text)}</span>'

    def note(self, text: str) -> None:
        """A remark under the form (not an error)."""
        self.message.value = f'<span style="color:#757575">{escape(text)}</span>'

    def done(self, text: str) -> None:
        """The question is answered (here or elsewhere): no more input."""
        for widget in self.widgets:
            widget.disabled = True
        self.message.value = f'<span style="color:#2e7d32">{escape(text)}</span>'
