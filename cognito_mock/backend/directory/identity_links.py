"""Links between pool users and external IdP identities (AdminLinkProviderForUser,
AdminDisableProviderForUser) and the `identities` attribute they maintain.

`pool.provider_links` maps (provider name, attribute name, attribute value) of a linked
source identity -> the sub of the user it is linked to.
"""

from __future__ import annotations

import json
from typing import Any

from cognito_mock.backend.directory.users import USER_NOT_FOUND, require_user
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.identity_providers import SOCIAL_TYPES, identity_providers
from cognito_mock.errors import (
    AliasExistsException,
    InvalidParameterException,
    LimitExceededException,
    UserNotFoundException,
)

__all__ = ["MAX_LINKED_IDENTITIES", "identities_claim", "linked_identities"]

MAX_LINKED_IDENTITIES = 5  # per user (quota)
_SUBJECT = "Cognito_Subject"
_COGNITO = "Cognito"

LinkKey = tuple[str, str, str]


def _links(pool: UserPool) -> dict[LinkKey, str]:
    return pool.provider_links


def linked_identities(user: User) -> list[dict[str, Any]]:
    """The user's `identities` attribute, parsed (empty when the user has none)."""
    raw = user.attributes.get("identities")
    return list(json.loads(raw)) if raw else []


def identities_claim(value: str) -> list[dict[str, Any]]:
    """The `identities` ID-token claim from the attribute: the token writes `primary` and
    `dateCreated` as strings (the attribute keeps a boolean and a number)."""
    out = []
    for identity in json.loads(value):
        claim = dict(identity)
        claim["primary"] = "true" if identity.get("primary") else "false"
        claim["dateCreated"] = str(identity.get("dateCreated"))
        out.append(claim)
    return out


def _set_identities(backend: Backend, pool: UserPool, user: User, items: list[Any]) -> None:
    if items:
        user.attributes["identities"] = json.dumps(items, separators=(",", ":"))
    else:
        user.attributes.pop("identities", None)
    user.modified = backend.clock.now()
    pool.users.touch(user)


def _destination(pool: UserPool, spec: dict[str, Any]) -> User:
    """DestinationUser: a native user by username (ProviderName `Cognito`), or a federated user
    (`<Provider>_<id>`, the username the service gives users who first came from an IdP)."""
    value = spec.get("ProviderAttributeValue")
    if not value:
        raise InvalidParameterException("DestinationUser ProviderAttributeValue is required.")
    provider = spec.get("ProviderName", _COGNITO)
    name = value if provider == _COGNITO else f"{provider}_{value}"
    return require_user(pool, name)


def _source_key(pool: UserPool, spec: dict[str, Any], role: str) -> tuple[LinkKey, str]:
    """(link key, provider type) of an external identity, checked against the pool's IdPs."""
    provider = spec.get("ProviderName")
    name = spec.get("ProviderAttributeName")
    value = spec.get("ProviderAttributeValue")
    if not provider or not name or not value:
        raise InvalidParameterException(
            f"{role} requires ProviderName, ProviderAttributeName and ProviderAttributeValue."
        )
    if provider == _COGNITO:
        raise InvalidParameterException(f"{role} must be a federated identity, not a Cognito user.")
    found = identity_providers(pool).get(provider)
    if found is None:
        raise InvalidParameterException(
            f"The provider {provider} does not exist for User Pool {pool.id}"
        )
    kind = found["ProviderType"]
    if kind in SOCIAL_TYPES and name != _SUBJECT:
        raise InvalidParameterException(
            f"ProviderAttributeName must be {_SUBJECT} for social identity providers."
        )
    return (provider, name, value), kind


@operation("AdminLinkProviderForUser")
def admin_link_provider_for_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    user = _destination(pool, request["DestinationUser"])
    key, kind = _source_key(pool, request["SourceUser"], "SourceUser")
    provider, _, value = key
    links = _links(pool)
    owner = pool.users.by_sub.get(links.get(key, ""))
    if owner is not None and owner is not user:
        raise AliasExistsException("The source user is already linked to another user.")
    if owner is user:
        return {}  # already linked to this user
    if pool.users.get(f"{provider}_{value}") is not None:
        # The identity already signed in and has its own profile: the service does not merge.
        raise InvalidParameterException(
            "Merging is not currently supported, provide a SourceUser that has not been linked "
            "to a DestinationUser"
        )
    identities = linked_identities(user)
    if len(identities) >= MAX_LINKED_IDENTITIES:
        raise LimitExceededException(
            f"A user can be linked to at most {MAX_LINKED_IDENTITIES} identities."
        )
    details = identity_providers(pool)[provider]["ProviderDetails"]
    issuer = details.get("oidc_issuer") if kind in ("OIDC", "SAML") else None
    identities.append(
        {
            "userId": value,
            "providerName": provider,
            "providerType": kind,
            "issuer": issuer,
            "primary": False,  # the user's own sign-in stays primary
            "dateCreated": int(backend.clock.now() * 1000),
        }
    )
    links[key] = user.sub
    _set_identities(backend, pool, user, identities)
    return {}


@operation("AdminDisableProviderForUser")
def admin_disable_provider_for_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    spec = request["User"]
    if spec.get("ProviderName") == _COGNITO:
        # A native user: they can no longer sign in with their password.
        user = require_user(pool, spec.get("ProviderAttributeValue") or "")
        user.password_sign_in_disabled = True
        return {}
    key, _ = _source_key(pool, spec, "User")
    provider, _, value = key
    links = _links(pool)
    owner = pool.users.by_sub.get(links.get(key, ""))
    if owner is None:
        if pool.users.get(f"{provider}_{value}") is None:
            raise UserNotFoundException(USER_NOT_FOUND)
        links.pop(key, None)  # at most a link to a deleted user: nothing left to undo
        return {}
    del links[key]
    remaining = [
        i
        for i in linked_identities(owner)
        if not (i.get("providerName") == provider and i.get("userId") == value)
    ]
    _set_identities(backend, pool, owner, remaining)
    return {}
