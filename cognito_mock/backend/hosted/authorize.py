"""The parameters of `/oauth2/authorize` (and of every page that carries them): client,
redirect_uri, response_type, scopes, PKCE, identity provider, and the service's error routing
(an error page where the redirect URI is not trusted, `?error=` where it is)."""

from __future__ import annotations

from dataclasses import dataclass

from cognito_mock.backend.hosted.pages import Respond, add_query, redirect
from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.pool_config.identity_providers import identity_providers

__all__ = [
    "CARRIED",
    "COGNITO",
    "AuthorizeRequest",
    "carried",
    "error_page_url",
    "parse_authorize",
    "to_app",
]

COGNITO = "COGNITO"  # identity_provider value for the pool's own users
_OIDC_SCOPES = ("phone", "email", "profile")  # these need `openid` beside them
_RESPONSE_FLOWS = {"code": "code", "token": "implicit"}
# The parameters the pages carry from one to the next (the service keeps the query string).
CARRIED = (
    "client_id", "redirect_uri", "response_type", "state", "scope", "nonce", "code_challenge",
    "code_challenge_method", "identity_provider", "idp_identifier", "prompt", "lang",
)  # fmt: skip


@dataclass(frozen=True)
class AuthorizeRequest:
    """A checked `/oauth2/authorize` request."""

    client: AppClient
    redirect_uri: str
    response_type: str  # "code" or "token"
    scopes: tuple[str, ...]
    state: str | None
    nonce: str | None
    code_challenge: str | None
    provider: str | None  # the identity provider to send the browser to (None: the sign-in page)
    prompt: str | None
    query: dict[str, str]  # the parameters as given, carried across the pages

    @property
    def client_id(self) -> str:
        return self.client.client_id


def error_page_url(error: str, client_id: str | None = None) -> str:
    """`/error?error=<code>&client_id=<id>`: the rendered error page (HTTP 400)."""
    return add_query("/error", {"error": error, "client_id": client_id})


def to_app(
    redirect_uri: str, error: str, state: str | None, description: str | None = None
) -> Respond:
    """An error the app hears about: 302 to its (trusted) redirect URI with `error=`."""
    params = {"error_description": description, "state": state, "error": error}
    return Respond(redirect(add_query(redirect_uri, params)))


def _page_error(error: str, client_id: str | None = None) -> Respond:
    return Respond(redirect(error_page_url(error, client_id)))


def _scopes(client: AppClient, given: str | None) -> tuple[str, ...]:
    allowed = list(client.settings.get("AllowedOAuthScopes") or [])
    if given is None or not given.strip():
        return tuple(allowed)  # no scope: every scope the client may ask for
    return tuple(dict.fromkeys(given.split()))


def _provider(pool: UserPool, client: AppClient, query: dict[str, str]) -> str | None:
    """The identity provider named by `identity_provider` or `idp_identifier`, if any."""
    name = query.get("identity_provider")
    identifier = query.get("idp_identifier")
    if not name and identifier:
        name = pool.idp_identifiers.get(identifier)
        if name is None:
            raise _page_error("invalid_request", client.client_id)
    if not name:
        return None
    supported = client.settings.get("SupportedIdentityProviders") or []
    if name == COGNITO:
        if COGNITO in supported:
            return None
    elif name in supported and name in identity_providers(pool):
        return name
    raise _page_error("invalid_request", client.client_id)


def parse_authorize(pool: UserPool, query: dict[str, str]) -> AuthorizeRequest:
    """The checked request, or Respond with the service's answer to a bad one."""
    client = pool.clients.get(query.get("client_id", ""))
    if client is None:
        raise _page_error("invalid_request")
    redirect_uri = query.get("redirect_uri", "")
    if not redirect_uri or redirect_uri not in (client.settings.get("CallbackURLs") or []):
        raise _page_error("redirect_mismatch", client.client_id)
    state = query.get("state")
    if not client.settings.get("AllowedOAuthFlowsUserPoolClient"):
        raise to_app(redirect_uri, "unauthorized_client", state)
    response_type = query.get("response_type", "")
    if response_type not in _RESPONSE_FLOWS:
        raise to_app(redirect_uri, "invalid_request", state)
    if _RESPONSE_FLOWS[response_type] not in (client.settings.get("AllowedOAuthFlows") or []):
        raise to_app(redirect_uri, "unauthorized_client", state)
    method, challenge = query.get("code_challenge_method"), query.get("code_challenge")
    # PKCE is S256 only: code_challenge without a method, or any other method, is refused.
    pkce = method is not None or challenge is not None
    if pkce and (method != "S256" or not challenge or response_type != "code"):
        raise to_app(redirect_uri, "invalid_request", state)
    scopes = _scopes(client, query.get("scope"))
    allowed = set(client.settings.get("AllowedOAuthScopes") or [])
    if not scopes or any(s not in allowed for s in scopes):
        raise to_app(redirect_uri, "invalid_scope", state)
    if any(s in _OIDC_SCOPES for s in scopes) and "openid" not in scopes:
        raise to_app(redirect_uri, "invalid_scope", state)
    return AuthorizeRequest(
        client=client, redirect_uri=redirect_uri, response_type=response_type, scopes=scopes,
        state=state, nonce=query.get("nonce"), code_challenge=challenge,
        provider=_provider(pool, client, query), prompt=query.get("prompt"),
        query={k: v for k, v in query.items() if k in CARRIED},
    )  # fmt: skip


def carried(request: AuthorizeRequest, **extra: str) -> dict[str, str]:
    """The query string the next page keeps: the authorize parameters plus `extra`."""
    return {**request.query, **extra}
