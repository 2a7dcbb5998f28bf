"""``orchestr-lab worker --api URL --token T``: a worker that reaches the store only over HTTP."""

from __future__ import annotations

import os

from ._root import UserError

__all__ = ["connect_worker_api"]


def connect_worker_api(url: str, token: str | None) -> str:
    """Check that the server answers and takes the token; returns the store location to use.

    The token goes into this process's environment, where the worker's children and the
    kernels they start find it (never on a command line, where ``ps`` would show it).
    """
    from ..engine.api_client import ENV_API_TOKEN, ApiError, ApiUnavailable, is_api_url
    from ..workers.gateway import ApiGateway

    if not is_api_url(url):
        raise UserError(f"--api needs the server's http(s):// base URL, not {url!r}")
    if token:
        os.environ[ENV_API_TOKEN] = token
    gateway = ApiGateway(url)
    try:
        gateway.check()
    except ApiError as exc:  # its text says how to pass the token when that was refused
        raise UserError(f"the orchestr-lab API at {gateway.api.url} refused the worker: {exc}") from None
    except ApiUnavailable as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    return url
