"""A notebook's parameters: what papermill finds in the cell tagged ``parameters``, and checks.

The scheduling form, the REST API, the CLI and the worker all describe and validate parameters
the same way, here, so a value that one accepts the others accept too. Types come from the
annotation (``n: int = 3``) or, without one, from the default's literal (``n = 3`` is an int).

No I/O: these take a notebook already read (``workers.notebook_files`` reads one from disk) or
the specs found in it. A flow function's parameters are checked by ``engine.parameters``.
"""

from __future__ import annotations

import ast
import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.errors import ParameterTypeError

__all__ = ["KNOWN_TYPES", "inspect_notebook_parameters", "notebook_kernel", "validate_notebook_parameters"]

#: Type names a parameter can have; "None" means unknown (any value is accepted as it is).
KNOWN_TYPES = ("int", "float", "str", "bool", "list", "dict", "None")

_ANNOTATIONS = {
    "int": "int",
    "float": "float",
    "str": "str",
    "bool": "bool",
    "list": "list",
    "List": "list",
    "tuple": "list",
    "Tuple": "list",
    "Sequence": "list",
    "dict": "dict",
    "Dict": "dict",
    "Mapping": "dict",
}
_OPTIONAL = re.compile(r"^(?:typing\.)?Optional\[(?P<inner>.+)\]$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _literal(source: str) -> tuple[bool, Any]:
    """``(True, value)`` when ``source`` is a Python literal, else ``(False, None)``."""
    try:
        return True, ast.literal_eval(source.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _type_of_value(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    for kind, name in ((int, "int"), (float, "float"), (str, "str"), ((list, tuple), "list"), (dict, "dict")):
        if isinstance(value, kind):
            return name
    return "None"


def _type_of_annotation(annotation: str | None) -> str | None:
    if not annotation or annotation == "None":
        return None
    text = annotation.strip().strip("'\"")
    match = _OPTIONAL.match(text)
    if match:
        text = match.group("inner").strip()
    text = text.split("|")[0].strip()  # ``int | None``
    base = text.split("[", 1)[0].strip().rsplit(".", 1)[-1]
    return _ANNOTATIONS.get(base)


def notebook_kernel(nb: Any) -> tuple[str, str]:
    """``(kernel name, language)`` of a notebook, ``python3``/``python`` when it does not say.

    Notebooks written by tools (or by hand) often lack ``kernelspec``; papermill refuses those
    unless told, and a Python kernel is what such a notebook almost always means.
    """
    meta = nb.get("metadata", {})
    spec = meta.get("kernelspec") or {}
    language = (meta.get("language_info") or {}).get("name") or spec.get("language") or "python"
    return spec.get("name") or "python3", language


def _papermill_parameters(nb: Any) -> list[Any]:
    """papermill's inspection of the cell tagged ``parameters`` (its translator's parser)."""
    from papermill.translators import papermill_translators
    from papermill.utils import find_first_tagged_cell_index

    index = find_first_tagged_cell_index(nb, "parameters")
    if index < 0:
        return []
    kernel, language = notebook_kernel(nb)
    translator = papermill_translators.find_translator(kernel, language)
    try:
        return list(translator.inspect(nb.cells[index]))
    except NotImplementedError:
        return []


def inspect_notebook_parameters(nb: Any) -> list[dict[str, Any]]:
    """The parameters of notebook ``nb`` (as papermill loads it): ``[{"name", "type",
    "default", "help"}]``.

    ``default`` is the Python value when the default is a literal, else its source text (an
    expression such as ``date.today()``, which the notebook evaluates itself).
    """
    found = [p._asdict() for p in _papermill_parameters(nb)]
    out: list[dict[str, Any]] = []
    for spec in found:
        is_literal, value = _literal(spec.get("default") or "")
        kind = _type_of_annotation(spec.get("inferred_type_name"))
        if kind is None:
            kind = _type_of_value(value) if is_literal else "None"
        if isinstance(value, tuple):
            value = list(value)
        out.append(
            {
                "name": spec["name"],
                "type": kind,
                "default": value if is_literal else spec.get("default"),
                "help": spec.get("help") or "",
            }
        )
    return out


def _coerce(kind: str, value: Any) -> Any:
    """``value`` as ``kind``; raises ``ValueError`` with the reason when it cannot be."""
    if kind == "None":
        return value
    if kind == "int":
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            return int(value.strip().replace("_", ""))
    elif kind == "float":
        if isinstance(value, bool):
            raise ValueError
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            return float(value.strip())
    elif kind == "str":
        if isinstance(value, str):
            return value
    elif kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            text = value.strip().lower()
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
    elif kind in ("list", "dict"):
        if isinstance(value, str):
            value = _parse_text(value)
        if kind == "list" and isinstance(value, (list, tuple)):
            return list(value)
        if kind == "dict" and isinstance(value, dict):
            return value
    raise ValueError


def _parse_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        ok, value = _literal(text)
        if ok:
            return value
    raise ValueError


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_notebook_parameters(specs: Iterable[Mapping[str, Any]], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` checked against a notebook's parameters (``specs``, as
    :func:`inspect_notebook_parameters` finds them) and coerced to their types.

    Unknown names and values of the wrong type are all reported at once, in
    :class:`ParameterTypeError` ``.errors`` (``{name: message}``), so a form can mark every
    bad field. Strings are parsed for typed parameters (``"3"`` becomes ``3`` for an int,
    ``"[1, 2]"`` a list, ``"yes"`` True) because values typed on a command line (``-p n 3``)
    or in a query string always arrive as text. A None is accepted where the default is None.
    """
    by_name = {s["name"]: s for s in specs}
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, value in values.items():
        spec = by_name.get(name)
        if spec is None:
            known = ", ".join(sorted(by_name)) or "none (no cell is tagged 'parameters')"
            errors[name] = f"unknown parameter; the notebook's parameters are: {known}"
            continue
        kind = spec.get("type") or "None"
        if value is None and (kind == "None" or spec.get("default") is None):
            out[name] = None
            continue
        try:
            coerced = _coerce(kind, value)
        except (ValueError, TypeError, OverflowError):
            errors[name] = f"expected {kind}, got {_describe(value)}"
            continue
        if isinstance(coerced, float) and not math.isfinite(coerced) and isinstance(value, str):
            # "nan"/"inf" typed as text are almost always a slip; JSON cannot carry them either.
            errors[name] = f"expected a finite float, got {_describe(value)}"
            continue
        out[name] = coerced
    if errors:
        message = "; ".join(f"{name}: {msg}" for name, msg in errors.items())
        raise ParameterTypeError(f"Invalid parameters: {message}", errors=errors)
    return out
