"""Binding call arguments to parameter names, validating them, and naming runs from them."""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable
from typing import Any

from ..core.errors import ParameterBindError, ParameterTypeError, RunNameTemplateError

__all__ = [
    "arguments_for",
    "bind_parameters",
    "call_args",
    "generate_run_name",
    "render_run_name",
    "validate_parameters",
]


def bind_parameters(
    fn: Callable[..., Any], sig: inspect.Signature, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Map a call's arguments to parameter names (defaults applied), as a run records them."""
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as exc:
        raise ParameterBindError(
            f"Error binding parameters for function '{fn.__name__}': {exc}.\n"
            f"Function '{fn.__name__}' has signature '{sig}' but received args: {args} and kwargs: {list(kwargs)}."
        ) from None
    bound.apply_defaults()
    return dict(bound.arguments)


def call_args(sig: inspect.Signature, params: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Turn recorded parameters back into ``(args, kwargs)`` for the function."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    known = set()
    for name, p in sig.parameters.items():
        known.add(name)
        if name not in params:
            continue
        if p.kind is p.VAR_KEYWORD:
            kwargs.update(params[name])
        elif p.kind is p.VAR_POSITIONAL:
            args.extend(params[name])
        elif p.kind is p.POSITIONAL_ONLY or (p.kind is p.POSITIONAL_OR_KEYWORD and not kwargs):
            args.append(params[name])
        else:
            kwargs[name] = params[name]
    for name, value in params.items():
        if name not in known:
            kwargs[name] = value
    return tuple(args), kwargs


def arguments_for(fn_owner: Any, params: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``(args, kwargs)`` to call a flow's or task's function with its run's parameters
    (``fn(**params)`` when its signature allows, which is most functions: no work at all)."""
    if fn_owner.simple_signature:
        return (), params
    return call_args(fn_owner.signature, params)


_models: dict[Any, Any] = {}


def validate_parameters(fn: Callable[..., Any], sig: inspect.Signature, params: dict[str, Any]) -> dict[str, Any]:
    """Coerce parameters to their annotations with pydantic; name every bad one in the error."""
    import pydantic

    model = _models.get(fn)
    if model is None:
        fields: dict[str, Any] = {}
        for name, p in sig.parameters.items():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            annotation = Any if p.annotation is p.empty else p.annotation
            default = ... if p.default is p.empty else p.default
            fields[name] = (annotation, default)
        model = pydantic.create_model(
            f"{fn.__name__}_parameters",
            __config__=pydantic.ConfigDict(arbitrary_types_allowed=True),
            **fields,
        )
        _models[fn] = model
    try:
        validated = model.model_validate({k: v for k, v in params.items() if k in model.model_fields})
    except pydantic.ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "?"
            errors.setdefault(name, err["msg"])
        lines = "\n".join(f" - {name}: {msg}" for name, msg in errors.items())
        raise ParameterTypeError(f"Flow run received invalid parameters:\n{lines}", errors=errors) from None
    out = dict(params)
    for name in model.model_fields:
        out[name] = getattr(validated, name)
    return out


def render_run_name(template: str | Callable[..., str], params: dict[str, Any], *, what: str) -> str:
    """A run name from a ``str.format`` template over the parameters, or from a callable."""
    if callable(template):
        try:
            sig = inspect.signature(template)
            name = template(params) if sig.parameters else template()
        except TypeError:
            name = template()
        if not isinstance(name, str):
            raise TypeError(f"Callable {template!r} for {what} must return a string, got {type(name).__name__}")
        return name
    try:
        return template.format(**params)
    except (KeyError, IndexError) as exc:
        raise RunNameTemplateError(f"{what} template {template!r} names an unknown parameter: {exc}") from None


_ADJECTIVES = (
    "amber brave calm daring eager fancy gentle happy icy jolly keen lucky mellow nimble "
    "olive proud quick rapid silver tidy urban vivid witty young zesty bold crisp dusty "
    "golden humble lively merry noble polite quiet rustic sunny tender upbeat wise"
).split()
_NOUNS = (
    "otter heron falcon badger lynx marten gecko ibis koala lemur magpie newt orca panda "
    "quail raven seal tapir viper walrus yak zebra bison crane dingo egret ferret gibbon "
    "hare jackal kestrel llama mole narwhal osprey puffin robin stork toucan wombat"
).split()


def generate_run_name() -> str:
    """A friendly random flow run name such as ``brave-otter``."""
    return f"{random.choice(_ADJECTIVES)}-{random.choice(_NOUNS)}"
