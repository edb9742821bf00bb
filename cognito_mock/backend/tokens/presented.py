"""Tokens presented for an exchange (GetDerivedToken's SubjectToken and ActorToken): checked as
this pool's own ID or access tokens, and what they say about who is acting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cognito_mock.backend.crypto import jwt
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.store import Origin, pool_keys, revoked, token_store
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    UserNotFoundException,
)

__all__ = ["Presented", "present"]

# Unpublished texts; worded like the service's access-token refusals (`Invalid Access Token`,
# `Access Token has expired`, `Access Token has been revoked`), naming the member at fault.
INVALID = "Invalid {}"
EXPIRED = "{} has expired"
REVOKED = "{} has been revoked"
THIRD_PARTY = (
    "{} from identity provider {} cannot be validated: this mock validates only tokens its user "
    "pools issued"
)
NO_PROVIDER = "Identity provider {} does not exist."
SAML_NEEDS_PROVIDER = "{}ProviderName is required for a SAML2 {}."
_USES = {"ACCESS_TOKEN": ("access", 1), "ID_TOKEN": ("id", 0)}


@dataclass(frozen=True)
class Presented:
    """A checked token: its claims and whom it names (a user, or an app client itself)."""

    claims: dict[str, Any]
    kind: str  # ACCESS_TOKEN or ID_TOKEN
    user: User | None  # None for a machine-to-machine (client credentials) token
    origin: Origin | None  # the sign-in an access token belongs to

    @property
    def scopes(self) -> list[str] | None:
        """The token's scopes; None for an ID token, which carries none."""
        if self.kind != "ACCESS_TOKEN":
            return None
        return str(self.claims.get("scope", "")).split()


def _machine(pool: UserPool, claims: dict[str, Any]) -> bool:
    """A client-credentials token this pool issued (its sub is the client, its jti recorded)."""
    client_id = token_store(pool).machine.get(str(claims.get("jti")))
    return client_id is not None and claims.get("sub") == client_id == claims.get("client_id")


def present(
    backend: Backend,
    pool: UserPool,
    member: str,
    token: str,
    kind: str,
    provider: str | None,
) -> Presented:
    """Check `token` (the request's `member`, e.g. SubjectToken) of type `kind` from `provider`.

    Tokens of an external identity provider would need that provider's keys, which an offline mock
    does not have: a named provider that exists is refused as unverifiable.
    """
    if provider is not None:
        if provider not in pool.identity_providers:
            raise InvalidParameterException(NO_PROVIDER.format(provider))
        raise NotAuthorizedException(THIRD_PARTY.format(member, provider))
    if kind not in _USES:  # SAML2 assertions come from a provider, never from the pool
        raise InvalidParameterException(SAML_NEEDS_PROVIDER.format(member, member))
    use, slot = _USES[kind]
    key = pool_keys(backend, pool)[slot]
    claims = jwt.verified_claims(token, key)
    if claims is None or claims.get("token_use") != use:
        raise NotAuthorizedException(INVALID.format(member))
    if float(claims.get("exp", 0)) <= backend.clock.now():
        raise NotAuthorizedException(EXPIRED.format(member))
    if use == "access" and _machine(pool, claims):
        return Presented(claims, kind, None, None)
    origin = token_store(pool).access.get(str(claims.get("jti"))) if use == "access" else None
    if use == "access" and origin is None:
        raise NotAuthorizedException(INVALID.format(member))  # signed, but not issued here
    user = pool.users.by_sub.get(str(claims.get("sub")))
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if origin is not None and revoked(origin, user):
        raise NotAuthorizedException(REVOKED.format(member))
    return Presented(claims, kind, user, origin)
