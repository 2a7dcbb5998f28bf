"""JupyterHub authentication for ``orchestr-lab server`` run as a Hub service.

The Hub starts a managed service with ``JUPYTERHUB_*`` in its environment: its API token and URL,
the service's name, URL and prefix, and the scopes that grant access to it
(``access:services!service=<name>``). :func:`hub_service` reads where to listen from that
environment; :class:`HubIdentityProvider` is a jupyter_server identity provider that identifies
each request's ``Authorization: token T`` (or ``?token=`` on a WebSocket) through JupyterHub's own
:class:`jupyterhub.services.auth.HubAuth`, which asks the Hub (``GET <api>/user``) and caches the
answer, and admits only users, services and tokens holding one of those access scopes.

``jupyterhub`` (``pip install "orchestr-lab[hub]"``) is imported only when the provider is made.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from jupyter_server.auth.identity import IdentityProvider, User
from tornado import web
from traitlets import Instance, default

__all__ = ["HubIdentityProvider", "HubService", "hub_service"]


@dataclass(frozen=True)
class HubService:
    """Where the Hub wants this service: ``ip``/``port`` to bind, ``base_url`` to serve under."""

    name: str
    ip: str | None
    port: int | None
    base_url: str
    api_url: str


def hub_service(environ: dict[str, str] | None = None) -> HubService | None:
    """The Hub service this process runs as, or ``None`` outside a Hub.

    A process is a Hub service when the Hub gave it an API token, a service name and a service
    URL or prefix. A user's single-user server (and so its terminals) has the token, URL and
    prefix too, but no service name: run there, ``orchestr-lab server`` stays a token server.
    """
    env = os.environ if environ is None else environ
    if not (env.get("JUPYTERHUB_API_TOKEN") and env.get("JUPYTERHUB_SERVICE_NAME")) or not (
        env.get("JUPYTERHUB_SERVICE_URL") or env.get("JUPYTERHUB_SERVICE_PREFIX")
    ):
        return None
    url = urlparse(env.get("JUPYTERHUB_SERVICE_URL", ""))
    return HubService(
        name=env["JUPYTERHUB_SERVICE_NAME"],
        ip=url.hostname,
        port=url.port or ({"http": 80, "https": 443}.get(url.scheme) if url.hostname else None),
        base_url=env.get("JUPYTERHUB_SERVICE_PREFIX") or url.path or "/",
        api_url=env.get("JUPYTERHUB_API_URL", "http://127.0.0.1:8081/hub/api"),
    )


class HubIdentityProvider(IdentityProvider):
    """Requests are identified by the Hub; only holders of the service's access scopes get in.

    A token the Hub does not know is anonymous (403 on every route). A known user without the
    access scope gets a 403 that says which scope is missing, rather than a login redirect.
    """

    hub_auth = Instance(
        "jupyterhub.services.auth.HubAuth", help="JupyterHub's token authenticator (configured from JUPYTERHUB_*)."
    )

    @default("hub_auth")
    def _default_hub_auth(self) -> Any:
        from jupyterhub.services.auth import HubAuth

        return HubAuth(parent=self)

    @default("token")
    def _default_token(self) -> str:
        return ""  # no server token: only the Hub's tokens are accepted

    @default("need_token")
    def _default_need_token(self) -> bool:
        return False

    @property
    def auth_enabled(self) -> bool:
        return True

    @property
    def login_available(self) -> bool:
        return False  # no login page: clients send a Hub token

    @property
    def logout_available(self) -> bool:
        return False

    def access_scopes(self) -> set[str]:
        """The scopes that admit a request (from ``JUPYTERHUB_OAUTH_ACCESS_SCOPES`` or the service name)."""
        scopes = set(self.hub_auth.access_scopes)
        if not scopes:
            raise ValueError(
                "No JupyterHub access scopes: the Hub sets JUPYTERHUB_SERVICE_NAME (or "
                "JUPYTERHUB_OAUTH_ACCESS_SCOPES) for its services; set it when starting by hand"
            )
        return scopes

    async def get_user(self, handler: web.RequestHandler) -> User | None:
        model: dict[str, Any] | None = await self.hub_auth.get_user(handler, sync=False)
        if model is None:
            return None
        if not self.hub_auth.check_scopes(self.access_scopes(), model):
            who = f"{model.get('kind', 'user')} {model.get('name', '?')}"
            self.log.warning("Refused %s: no %s", who, " or ".join(sorted(self.access_scopes())))
            raise web.HTTPError(
                403, f"{who} may not use this service (needs {' or '.join(sorted(self.access_scopes()))})"
            )
        info = model.get("user_info") or {}
        return User(
            username=model["name"],
            name=info.get("name", model["name"]),
            display_name=info.get("display_name", model["name"]),
        )

    def validate_security(self, app: Any, ssl_options: dict[str, Any] | None = None) -> None:
        """Say how requests are authenticated (instead of the base class's no-token warning)."""
        self.log.info(
            "Authentication: JupyterHub at %s; access needs %s",
            self.hub_auth.api_url,
            json.dumps(sorted(self.access_scopes())),
        )
