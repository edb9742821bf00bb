"""Managed login's state in a pool: sign-in sessions (the domain's cookie) and federation round
trips in flight, with their lifetimes on the mock's clock."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.state import Backend

__all__ = [
    "FEDERATION_SECONDS",
    "SESSION_SECONDS",
    "FederationRound",
    "HostedState",
    "SsoSession",
    "hosted_state",
    "new_token",
]

SESSION_SECONDS = 3600.0  # the classic hosted UI's session: 1 hour, fixed (developer guide)
FEDERATION_SECONDS = 300.0  # "Federated request not finished in 5 min" (fact sheet 2, 1.6)


@dataclass
class SsoSession:
    """A signed-in browser of the pool's domain: every client of the pool may reuse it."""

    sub: str
    auth_time: int  # when the user last proved who they are
    expires: float
    provider: str | None = None  # the identity provider it came from (None: a pool user)


@dataclass
class FederationRound:
    """A browser sent to a third-party IdP, until it comes back to /oauth2/idpresponse."""

    client_id: str
    provider: str
    query: dict[str, str]  # the app's /oauth2/authorize parameters, resumed afterwards
    nonce: str
    callback: str  # the redirect_uri sent to the IdP (this domain's /oauth2/idpresponse)
    expires: float


@dataclass
class HostedState:
    sessions: dict[str, SsoSession] = field(default_factory=dict)  # cookie value -> session
    federation: dict[str, FederationRound] = field(default_factory=dict)  # state -> round


def hosted_state(pool: UserPool) -> HostedState:
    found = pool.hosted
    if found is None:
        found = pool.hosted = HostedState()
    return found


def new_token(backend: Backend, size: int = 32) -> str:
    """An unguessable URL-safe value (session cookies, federation state and nonce)."""
    raw = backend.ids.token_bytes(size)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
