"""Users who sign in through a third-party identity provider: `<Provider>_<id>` users with status
EXTERNAL_PROVIDER, their AttributeMapping applied at every sign-in, the `identities` attribute,
the `<poolId>_<Provider>` group, and AdminLinkProviderForUser links to pool users."""

from __future__ import annotations

import json
from typing import Any

from cognito_mock.backend.directory.users import create_user, index_aliases
from cognito_mock.backend.hooks.events import pre_sign_up
from cognito_mock.backend.kernel.records import Group, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.identity_providers import SOCIAL_TYPES
from cognito_mock.backend.recovery.history import keeps_history, note_user

__all__ = ["federated_user", "idp_user_id"]

_SUBJECT = "Cognito_Subject"
_UNMAPPABLE = frozenset({"sub", "identities", "username"})


def _text(value: Any) -> str:
    """A claim as an attribute value: strings as they are, booleans lowercase, others as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, separators=(",", ":"))


def idp_user_id(provider: dict[str, Any], claims: dict[str, Any]) -> str:
    """The IdP's id of the user: the claim mapped to `username` (`sub` for OIDC by default)."""
    claim = provider.get("AttributeMapping", {}).get("username", "sub")
    value = claims.get(claim, claims.get("sub"))
    return _text(value) if value is not None else ""


def _mapped(pool: UserPool, provider: dict[str, Any], claims: dict[str, Any]) -> dict[str, str]:
    """Pool attribute -> value for every mapped claim the IdP sent (absent claims left out)."""
    values: dict[str, str] = {}
    for attribute, claim in provider.get("AttributeMapping", {}).items():
        if attribute in _UNMAPPABLE or claim not in claims or claims[claim] is None:
            continue
        if pool.schema_attribute(attribute) is not None:
            values[attribute] = _text(claims[claim])
    return values


def _username(provider: dict[str, Any], user_id: str) -> str:
    # Social providers' prefix is lowercase in real tokens (`google_…`); OIDC keeps the name.
    name = provider["ProviderName"]
    prefix = name.lower() if provider["ProviderType"] in SOCIAL_TYPES else name
    return f"{prefix}_{user_id}"


def _identity(backend: Backend, provider: dict[str, Any], user_id: str) -> dict[str, Any]:
    kind = provider["ProviderType"]
    issuer = provider["ProviderDetails"].get("oidc_issuer") if kind in ("OIDC", "SAML") else None
    return {
        "userId": user_id, "providerName": provider["ProviderName"], "providerType": kind,
        "issuer": issuer, "primary": True, "dateCreated": int(backend.clock.now() * 1000),
    }  # fmt: skip


def _join_provider_group(backend: Backend, pool: UserPool, user: User, provider: str) -> None:
    """The service's `<poolId>_<Provider>` group, made again if deleted, with the user in it."""
    name = f"{pool.id}_{provider}"
    group = pool.groups.get(name)
    if group is None:
        now = backend.clock.now()
        group = pool.groups[name] = Group(name=name, pool_id=pool.id, created=now, modified=now)
    group.members[user.username] = None
    user.groups.add(name)


def federated_user(
    backend: Backend, pool: UserPool, provider: dict[str, Any], claims: dict[str, Any]
) -> User:
    """The pool user an IdP sign-in is: the linked pool user, else `<Provider>_<id>` (created on
    the first sign-in, after PreSignUp_ExternalProvider; its mapped attributes rewritten each
    time). Raises the service's errors (a trigger's refusal, a required attribute unmapped)."""
    name = provider["ProviderName"]
    user_id = idp_user_id(provider, claims)
    linked = pool.provider_links.get((name, _SUBJECT, user_id))
    if linked is not None and linked in pool.users.by_sub:
        return pool.users.by_sub[linked]
    values = _mapped(pool, provider, claims)
    username = _username(provider, user_id)
    now = backend.clock.now()
    user = pool.users.get(username)
    if user is not None:
        if keeps_history(pool):  # point-in-time recovery can undo the mapped attributes' update
            note_user(backend, pool, user)
        user.attributes.update(values)
        user.modified = now
        index_aliases(pool, user)
        pool.users.touch(user)
    else:
        pre_sign_up(backend, pool, "PreSignUp_ExternalProvider", username, values, {})
        values["identities"] = json.dumps([_identity(backend, provider, user_id)],
                                          separators=(",", ":"))  # fmt: skip
        user = create_user(
            backend, pool, username, values, status="EXTERNAL_PROVIDER",
            exists_message="User already exists", now=now, external=True,
        )  # fmt: skip
    _join_provider_group(backend, pool, user, name)
    return user
