"""Issuing tokens: ID and access token claims, signing, refresh records, Pre token generation."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from cognito_mock.backend.crypto import jwt
from cognito_mock.backend.directory.groups import groups_for_token
from cognito_mock.backend.directory.identity_links import identities_claim
from cognito_mock.backend.hooks.pre_token import customize_claims
from cognito_mock.backend.hooks.triggers import configured
from cognito_mock.backend.kernel.packed import pairs
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend, sealed
from cognito_mock.backend.pool_config.client_rules import token_validity_seconds
from cognito_mock.backend.tokens.claim_templates import SLOTS, template_of
from cognito_mock.backend.tokens.store import (
    Origin,
    RefreshRecord,
    TokenStore,
    issuer,
    open_tracked_session,
    password_stamp,
    pool_keys,
    token_store,
)

__all__ = ["ADMIN_SCOPE", "at_hash", "id_token_claims", "issue_tokens"]

ADMIN_SCOPE = "aws.cognito.signin.user.admin"
_VERIFIED_FLAGS = frozenset({"email_verified", "phone_number_verified"})


def _claim_value(name: str, value: str) -> Any:
    """Standard attributes keep their JSON types in tokens; custom attributes stay strings."""
    if name in _VERIFIED_FLAGS:
        return value == "true"
    if name == "updated_at":
        try:
            return int(value)
        except ValueError:
            return value
    if name == "address":
        return {"formatted": value}
    if name == "identities":  # federated users: an array of linked identities, not a string
        return identities_claim(value)
    return value


def at_hash(access_token: str) -> str:
    """OIDC `at_hash`: base64url of the left half of the access token's SHA-256 (RS256)."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


def id_token_claims(
    pool: UserPool,
    client: AppClient,
    user: User,
    groups: tuple[list[str], list[str], str | None] | None = None,
) -> dict[str, Any]:
    """The user-describing claims of an ID token: attributes the client may read, groups, roles
    (`groups`: `groups_for_token(pool, user)`, when the caller has it already)."""
    claims: dict[str, Any] = {"sub": user.sub}
    names, roles, preferred = groups if groups is not None else groups_for_token(pool, user)
    if names:
        claims["cognito:groups"] = names
    if roles:
        claims["cognito:roles"] = roles
    if preferred:
        claims["cognito:preferred_role"] = preferred
    readable = client.settings.get("ReadAttributes")
    allowed = set(readable) if readable else None
    for name, value in pairs(user):
        if name == "sub" or name.startswith("dev:"):
            continue
        if allowed is not None and name not in allowed:
            continue
        claims[name] = _claim_value(name, value)
    return claims


def _claims(
    pool: UserPool,
    client: AppClient,
    user: User,
    groups: tuple[list[str], list[str], str | None],
    iss: str,
    with_origin: bool,
    values: Mapping[str, Any],
    *,
    nonce: str | None = None,
    device_key: str | None = None,
    scopes: tuple[str, ...] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The (ID, access) token claims, in the order the service writes them (fact sheet 2.2,
    2.3). `values`: the per-issue values by their `SLOTS` names (or the slots themselves, to
    make a template)."""
    id_claims = id_token_claims(pool, client, user, groups)
    id_claims["iss"] = iss
    id_claims["cognito:username"] = user.username
    if with_origin:
        id_claims["origin_jti"] = values["origin_jti"]
    if nonce is not None:
        id_claims["nonce"] = nonce
    id_claims["aud"] = client.client_id
    id_claims["event_id"] = values["event_id"]
    id_claims["token_use"] = "id"
    id_claims["auth_time"] = values["auth_time"]
    id_claims["exp"] = values["id_exp"]
    id_claims["iat"] = values["iat"]
    id_claims["jti"] = values["id_jti"]

    access_claims: dict[str, Any] = {"sub": user.sub}
    if groups[0]:
        access_claims["cognito:groups"] = groups[0]
    if device_key:
        access_claims["device_key"] = device_key
    access_claims["iss"] = iss
    if scopes is not None:
        access_claims["version"] = 2  # tokens of the OAuth endpoints carry it (fact sheet 2.3)
    access_claims["client_id"] = client.client_id
    if with_origin:
        access_claims["origin_jti"] = values["origin_jti"]
    access_claims["event_id"] = values["event_id"]
    access_claims["token_use"] = "access"
    access_claims["scope"] = " ".join(scopes) if scopes is not None else ADMIN_SCOPE
    access_claims["auth_time"] = values["auth_time"]
    access_claims["exp"] = values["access_exp"]
    access_claims["iat"] = values["iat"]
    access_claims["jti"] = values["access_jti"]
    access_claims["username"] = user.username
    return id_claims, access_claims


def _templates(
    store: TokenStore,
    pool: UserPool,
    client: AppClient,
    user: User,
    groups: tuple[list[str], list[str], str | None],
    iss: str,
    with_origin: bool,
) -> tuple[str, str]:
    """The (ID, access) payload templates of a native sign-in's tokens for the user's state.

    The state is everything `_claims` reads but the per-issue values: a change to any of it
    (attributes, username, groups, the client's ReadAttributes or revocation setting, the
    issuer) makes new templates."""
    readable = client.settings.get("ReadAttributes")
    state = (
        user.sub, user._shape, user._packed, user.username, groups,
        tuple(readable) if readable else None, iss, with_origin,
    )  # fmt: skip
    key = (client.client_id, user.seq)
    found = store.templates.get(key, state)
    if found is None:
        id_claims, access_claims = _claims(pool, client, user, groups, iss, with_origin, SLOTS)
        found = template_of(id_claims), template_of(access_claims)
        store.templates.put(key, state, *found)
    return found


def _new_refresh_token(
    backend: Backend,
    store: TokenStore,
    client: AppClient,
    origin: Origin,
    now: float,
    validity: dict[str, int],
) -> str:
    """A refresh token of `origin`, recorded. Sealed with the mock's own key: a refresh token
    another mock issued from the same seeded bytes is not one of ours."""
    token = jwt.refresh_token(backend.ids.token_bytes, lambda raw: sealed(backend, "refresh", raw))
    expires = now + validity["refresh"]
    store.refresh[token] = RefreshRecord(origin=origin, client_id=client.client_id, expires=expires)
    origin.expires = max(origin.expires, expires)
    return token


def issue_tokens(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    origin: Origin | None = None,
    new_refresh_token: bool = True,
    device_key: str | None = None,
    source: str | None = None,
    scopes: Sequence[str] | None = None,
    nonce: str | None = None,
    auth_time: int | None = None,
) -> dict[str, Any]:
    """A wire-form AuthenticationResult. Without `origin` this is a new authentication (new
    origin_jti, auth_time now or `auth_time`); with it, a refresh that keeps both. `device_key`
    (new authentications only) is the tracked device the tokens are bound to.

    `scopes` marks tokens of the OAuth endpoints (managed login): the access token carries them
    and `version: 2`, the ID token (only with `openid`) `at_hash` and the request's `nonce`."""
    now = backend.clock.now()
    iat = int(now)
    fresh = origin is None
    # The token ids in one draw, in the order they were drawn one by one (seeded ids unchanged):
    # origin_jti (a new authentication only), event_id, the ID token's jti, the access token's.
    token_ids = backend.ids.uuid4s(4 if fresh else 3)
    event_id, id_jti, access_jti = token_ids[-3:]
    if origin is None:
        origin = Origin(
            origin_jti=token_ids[0],
            sub=user.sub,
            user_seq=user.seq,
            client_id=client.client_id,
            auth_time=iat if auth_time is None else auth_time,
            generation=user.token_generation,
            password_stamp=password_stamp(user),
            created=now,
            device_key=device_key,
            scopes=None if scopes is None else tuple(scopes),
        )
    oauth = origin.scopes is not None
    validity = token_validity_seconds(client)
    id_key, access_key = pool_keys(backend, pool)
    iss = issuer(backend, pool)
    with_origin = bool(client.settings.get("EnableTokenRevocation", True))
    groups = groups_for_token(pool, user)
    values = {
        "origin_jti": origin.origin_jti, "event_id": event_id, "id_jti": id_jti,
        "access_jti": access_jti, "auth_time": origin.auth_time, "iat": iat,
        "id_exp": iat + validity["id"], "access_exp": iat + validity["access"],
    }  # fmt: skip
    store = token_store(pool)
    if (
        not oauth
        and origin.device_key is None
        and nonce is None
        and configured(pool, "PreTokenGeneration") is None
    ):
        # Nothing but the native claims: the user's templates, filled in (claim_templates.py).
        id_template, access_template = _templates(
            store, pool, client, user, groups, iss, with_origin
        )
        # Everything else before the two signatures, which then run one after the other: each
        # RSA operation leaves the CPU caches cold for the Python after it, where the same work
        # costs about twice as much (issue 16's profile).
        refresh = (
            _new_refresh_token(backend, store, client, origin, now, validity)
            if new_refresh_token
            else None
        )
        access_token = jwt.encode_payload(access_template % values, access_key)
        id_token: str | None = jwt.encode_payload(id_template % values, id_key)
    else:
        id_claims, access_claims = _claims(
            pool, client, user, groups, iss, with_origin, values,
            nonce=nonce, device_key=origin.device_key, scopes=origin.scopes,
        )  # fmt: skip
        # PreTokenGeneration (`source`: the triggerSource; refreshes and sign-ins by default).
        default = "TokenGeneration_Authentication" if fresh else "TokenGeneration_RefreshTokens"
        customize_claims(backend, pool, user, source or default, id_claims, access_claims)
        refresh = (
            _new_refresh_token(backend, store, client, origin, now, validity)
            if new_refresh_token
            else None
        )
        access_token = jwt.encode(access_claims, access_key)
        if oauth:
            id_claims = {"at_hash": at_hash(access_token), **id_claims}
        with_id = not oauth or "openid" in (origin.scopes or ())
        id_token = jwt.encode(id_claims, id_key) if with_id else None
    result: dict[str, Any] = {
        "AccessToken": access_token,
        "ExpiresIn": validity["access"],
        "TokenType": "Bearer",
    }
    if new_refresh_token:
        result["RefreshToken"] = refresh
    if id_token is not None:
        result["IdToken"] = id_token
    store.access[access_jti] = origin
    origin.last_active = now
    if fresh and store.tracking:
        open_tracked_session(backend, store, user, origin)
    return result
