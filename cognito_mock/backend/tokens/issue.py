"""ID, access and refresh tokens: signing keys and JWKS per pool, claims, server-side refresh
records, access-token checks and revocation. Imports backend records, keys and jwt only."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.crypto import jwt, keys
from cognito_mock.backend.directory.groups import groups_for_token
from cognito_mock.backend.directory.identity_links import identities_claim
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.clients import token_validity_seconds
from cognito_mock.errors import NotAuthorizedException, UserNotFoundException

__all__ = [
    "ADMIN_SCOPE",
    "Origin",
    "RefreshRecord",
    "TokenStore",
    "access_origin",
    "authenticate_access_token",
    "id_token_claims",
    "issue_tokens",
    "issuer",
    "jwks",
    "pool_keys",
    "refresh_record",
    "revoke_all_tokens",
    "revoke_refresh_token",
    "revoke_session",
    "session_active",
    "session_id_for",
    "sessions_of",
    "signing_certificate",
    "token_store",
]

ADMIN_SCOPE = "aws.cognito.signin.user.admin"
INVALID_ACCESS = "Invalid Access Token"
INVALID_REFRESH = "Invalid Refresh Token"
_VERIFIED_FLAGS = frozenset({"email_verified", "phone_number_verified"})


@dataclass
class Origin:
    """One authentication (a token session): every token refreshed from it shares its origin_jti."""

    origin_jti: str
    sub: str
    client_id: str
    auth_time: int
    generation: int  # the user's token generation when issued; revoke_all_tokens bumps it
    password_stamp: tuple[float, str | None]  # the password in force when issued
    revoked: bool = False
    # Session tracking (user_sessions): the record's id when the pool tracked it at sign-in, its
    # creation and last refresh instants, and when its newest refresh token expires.
    session_id: str | None = None
    created: float = 0.0
    last_active: float = 0.0
    expires: float = 0.0
    # Device tracking (devices): the device key this sign-in was tracked under; every access
    # token of the origin carries it as `device_key`, and refreshing must name the same device.
    device_key: str | None = None


@dataclass
class RefreshRecord:
    origin: Origin
    client_id: str
    expires: float
    revoked: bool = False
    # Rotation: when set, the token stops working at this instant (end of the grace period).
    retired_at: float | None = None


@dataclass
class TokenStore:
    """Per-pool token state (kept in `pool.extra["tokens"]`)."""

    slots: tuple[int, int] | None = None  # (id-token key slot, access-token key slot)
    refresh: dict[str, RefreshRecord] = field(default_factory=dict)
    access: dict[str, Origin] = field(default_factory=dict)  # access-token jti -> origin
    certificate: str | None = None
    # Session tracking (SetUserPoolSessionConfiguration): off by default, and while off no session
    # records are kept. `sessions`: user sub -> {session id -> origin}, oldest first.
    tracking: bool = False
    max_sessions: int = 20
    sessions: dict[str, dict[str, Origin]] = field(default_factory=dict)


def token_store(pool: UserPool) -> TokenStore:
    store = pool.extra.get("tokens")
    if store is None:
        store = pool.extra["tokens"] = TokenStore()
    return store


# ----------------------------------------------------------------------------- keys and JWKS


def pool_keys(backend: Backend, pool: UserPool) -> tuple[keys.SigningKey, keys.SigningKey]:
    """(ID-token key, access-token key), allocated on first use from a mock-wide slot counter.

    A fresh mock's first pool takes slots 0 and 1, which the process already holds, so a mock
    per test never generates keys. The kid index lets an access token find its pool.
    """
    store = token_store(pool)
    if store.slots is None:
        with backend.lock:
            if store.slots is None:
                first = int(backend.shared.get("key_slots", 0))
                backend.shared["key_slots"] = first + 2
                store.slots = (first, first + 1)
                index = backend.shared.setdefault("kid_pools", {})
                owner = (backend.account_id, backend.region, pool.id)
                index[keys.signing_key(first).kid] = (*owner, "id")
                index[keys.signing_key(first + 1).kid] = (*owner, "access")
    return keys.signing_key(store.slots[0]), keys.signing_key(store.slots[1])


def jwks(backend: Backend, pool: UserPool) -> dict[str, list[dict[str, str]]]:
    """The pool's `/.well-known/jwks.json`: the ID-token key and the access-token key."""
    return keys.jwks(list(pool_keys(backend, pool)))


def signing_certificate(backend: Backend, pool: UserPool) -> str:
    """GetSigningCertificate's certificate for the pool's ID-token key; stable once made."""
    store = token_store(pool)
    if store.certificate is None:
        key = pool_keys(backend, pool)[0]
        store.certificate = keys.signing_certificate(key, pool.id, backend.clock.now())
    return store.certificate


def issuer(backend: Backend, pool: UserPool) -> str:
    """`https://cognito-idp.<region>.amazonaws.com/<poolId>`, or under the façade's issuer base."""
    base = backend.shared.get("issuer_base")
    if base:
        return f"{str(base).rstrip('/')}/{pool.id}"
    return f"https://cognito-idp.{backend.region}.amazonaws.com/{pool.id}"


# ----------------------------------------------------------------------------- claims and issuing


def _generation(user: User) -> int:
    return int(user.extra.get("token_generation", 0))


def _password_stamp(user: User) -> tuple[float, str | None]:
    return (user.password_set, user.password)


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


def id_token_claims(pool: UserPool, client: AppClient, user: User) -> dict[str, Any]:
    """The user-describing claims of an ID token: attributes the client may read, groups, roles."""
    claims: dict[str, Any] = {"sub": user.sub}
    groups, roles, preferred = groups_for_token(pool, user)
    if groups:
        claims["cognito:groups"] = groups
    if roles:
        claims["cognito:roles"] = roles
    if preferred:
        claims["cognito:preferred_role"] = preferred
    readable = client.settings.get("ReadAttributes")
    allowed = set(readable) if readable else None
    for name, value in user.attributes.items():
        if name == "sub" or name.startswith("dev:"):
            continue
        if allowed is not None and name not in allowed:
            continue
        claims[name] = _claim_value(name, value)
    return claims


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
) -> dict[str, Any]:
    """A wire-form AuthenticationResult. Without `origin` this is a new authentication (new
    origin_jti, auth_time now); with it, a refresh that keeps both. `device_key` (new
    authentications only) is the tracked device the tokens are bound to."""
    now = backend.clock.now()
    iat = int(now)
    fresh = origin is None
    if origin is None:
        origin = Origin(
            origin_jti=backend.ids.uuid4(),
            sub=user.sub,
            client_id=client.client_id,
            auth_time=iat,
            generation=_generation(user),
            password_stamp=_password_stamp(user),
            created=now,
            device_key=device_key,
        )
    validity = token_validity_seconds(client)
    id_key, access_key = pool_keys(backend, pool)
    iss = issuer(backend, pool)
    event_id = backend.ids.uuid4()
    with_origin = bool(client.settings.get("EnableTokenRevocation", True))
    groups = groups_for_token(pool, user)[0]

    id_claims = id_token_claims(pool, client, user)
    id_claims.update({"iss": iss, "cognito:username": user.username})
    if with_origin:
        id_claims["origin_jti"] = origin.origin_jti
    id_claims.update(
        {
            "aud": client.client_id,
            "event_id": event_id,
            "token_use": "id",
            "auth_time": origin.auth_time,
            "exp": iat + validity["id"],
            "iat": iat,
            "jti": backend.ids.uuid4(),
        }
    )

    access_jti = backend.ids.uuid4()
    access_claims: dict[str, Any] = {"sub": user.sub}
    if groups:
        access_claims["cognito:groups"] = groups
    if origin.device_key:
        access_claims["device_key"] = origin.device_key
    access_claims.update({"iss": iss, "client_id": client.client_id})
    if with_origin:
        access_claims["origin_jti"] = origin.origin_jti
    access_claims.update(
        {
            "event_id": event_id,
            "token_use": "access",
            "scope": ADMIN_SCOPE,
            "auth_time": origin.auth_time,
            "exp": iat + validity["access"],
            "iat": iat,
            "jti": access_jti,
            "username": user.username,
        }
    )

    # PreTokenGeneration (`source`: the triggerSource; refreshes and sign-ins by default).
    from cognito_mock.backend.hooks.pre_token import (
        customize_claims,  # local import: optional concern
    )

    default = "TokenGeneration_Authentication" if fresh else "TokenGeneration_RefreshTokens"
    customize_claims(backend, pool, user, source or default, id_claims, access_claims)

    store = token_store(pool)
    result: dict[str, Any] = {
        "AccessToken": jwt.encode(access_claims, access_key),
        "ExpiresIn": validity["access"],
        "TokenType": "Bearer",
    }
    if new_refresh_token:
        token = jwt.refresh_token(backend.ids.token_bytes)
        store.refresh[token] = RefreshRecord(
            origin=origin, client_id=client.client_id, expires=now + validity["refresh"]
        )
        result["RefreshToken"] = token
        origin.expires = max(origin.expires, now + validity["refresh"])
    result["IdToken"] = jwt.encode(id_claims, id_key)
    store.access[access_jti] = origin
    origin.last_active = now
    if fresh and store.tracking:
        _open_session(backend, store, user, origin)
    return result


# ----------------------------------------------------------------------------- checks at use time


def _revoked(origin: Origin, user: User) -> bool:
    """Revoked by RevokeToken, a global sign-out, a password change, disabling or a reset."""
    return (
        origin.revoked
        or origin.generation != _generation(user)
        or origin.password_stamp != _password_stamp(user)
        or not user.enabled
        or user.status == "RESET_REQUIRED"
    )


def _unverified_kid(token: str) -> str | None:
    head = token.split(".", 1)[0] if isinstance(token, str) else ""
    if not head or len(head) > 1024:
        return None
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error, RecursionError):
        return None
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None


def authenticate_access_token(
    backend: Backend, token: str
) -> tuple[UserPool, User, dict[str, Any]]:
    """The pool, user and claims of a live access token this mock issued, else the service's
    NotAuthorizedException (invalid, expired, revoked, missing scope) or UserNotFoundException
    (the user was deleted). Callers whose operation lacks UserNotFoundException translate it."""
    owner = backend.shared.get("kid_pools", {}).get(_unverified_kid(token))
    if owner is None or owner[:2] != (backend.account_id, backend.region) or owner[3] != "access":
        raise NotAuthorizedException(INVALID_ACCESS)
    pool = backend.pools.get(owner[2])
    if pool is None:
        raise NotAuthorizedException(INVALID_ACCESS)
    access_key = pool_keys(backend, pool)[1]
    claims = jwt.decode_verified(token, {access_key.kid: access_key})
    if claims is None or claims.get("token_use") != "access":
        raise NotAuthorizedException(INVALID_ACCESS)
    # Keys are shared across mocks by slot, so a signature alone does not prove we issued it.
    origin = token_store(pool).access.get(str(claims.get("jti")))
    if origin is None:
        raise NotAuthorizedException(INVALID_ACCESS)
    if float(claims.get("exp", 0)) <= backend.clock.now():
        raise NotAuthorizedException("Access Token has expired")
    user = pool.users.by_sub.get(origin.sub)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if ADMIN_SCOPE not in str(claims.get("scope", "")).split():
        raise NotAuthorizedException("Access Token does not have required scopes")
    if _revoked(origin, user):
        raise NotAuthorizedException("Access Token has been revoked")
    return pool, user, claims


def refresh_record(
    backend: Backend, pool: UserPool, client: AppClient, token: str
) -> tuple[RefreshRecord, User]:
    """The live refresh record for `token` issued to `client`, and its user.

    NotAuthorizedException `Invalid Refresh Token` (unknown, other client, retired by rotation),
    `Refresh Token has expired`, `Refresh Token has been revoked`, `User is disabled.`;
    UserNotFoundException `User does not exist.` when the user was deleted.
    """
    record = token_store(pool).refresh.get(token)
    if record is None or not hmac.compare_digest(record.client_id, client.client_id):
        raise NotAuthorizedException(INVALID_REFRESH)
    now = backend.clock.now()
    if record.retired_at is not None and now >= record.retired_at:
        raise NotAuthorizedException(INVALID_REFRESH)
    if now >= record.expires:
        raise NotAuthorizedException("Refresh Token has expired")
    user = pool.users.by_sub.get(record.origin.sub)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if record.revoked or _revoked(record.origin, user):
        raise NotAuthorizedException("Refresh Token has been revoked")
    return record, user


# ----------------------------------------------------------------------------- revocation


def revoke_refresh_token(record: RefreshRecord) -> None:
    """RevokeToken: this refresh token and every access token of its origin stop working."""
    record.revoked = True
    record.origin.revoked = True


def revoke_all_tokens(backend: Backend, pool: UserPool, user: User) -> None:
    """Global sign-out: every refresh and access token issued to the user so far stops working.

    O(1): tokens remember the user's generation when issued and are compared at use time.
    """
    user.extra["token_generation"] = _generation(user) + 1


# ----------------------------------------------------------------------------- tracked sessions


def session_id_for(origin_jti: str) -> str:
    """`tkn` + 25 lowercase base-36 characters, derived from the origin (consumes no randomness)."""
    number = int.from_bytes(hashlib.sha256(origin_jti.encode()).digest(), "big")
    digits = []
    for _ in range(25):
        number, digit = divmod(number, 36)
        digits.append("0123456789abcdefghijklmnopqrstuvwxyz"[digit])
    return "tkn" + "".join(digits)


def session_active(backend: Backend, origin: Origin, user: User) -> bool:
    """A session lives while a refresh token of it can still be used."""
    return not _revoked(origin, user) and backend.clock.now() < origin.expires


def sessions_of(backend: Backend, pool: UserPool, user: User) -> list[Origin]:
    """The user's active tracked sessions, oldest first; records of ended sessions are dropped."""
    tracked = token_store(pool).sessions.get(user.sub)
    if not tracked:
        return []
    ended = [sid for sid, origin in tracked.items() if not session_active(backend, origin, user)]
    for sid in ended:
        del tracked[sid]
    return list(tracked.values())


def revoke_session(pool: UserPool, user: User, origin: Origin) -> None:
    """Revoke a session's refresh and access tokens and delete its record."""
    origin.revoked = True
    tracked = token_store(pool).sessions.get(user.sub)
    if tracked is not None and origin.session_id is not None:
        tracked.pop(origin.session_id, None)


def access_origin(pool: UserPool, claims: dict[str, Any]) -> Origin | None:
    """The origin (session) of an access token that `authenticate_access_token` accepted."""
    return token_store(pool).access.get(str(claims.get("jti")))


def _open_session(backend: Backend, store: TokenStore, user: User, origin: Origin) -> None:
    """Record a new sign-in; at the per-user limit, evict least recently used sessions first."""
    tracked = store.sessions.setdefault(user.sub, {})
    live = [o for o in tracked.values() if session_active(backend, o, user)]
    if len(live) != len(tracked):
        store.sessions[user.sub] = tracked = {o.session_id: o for o in live if o.session_id}
    excess = len(live) + 1 - store.max_sessions
    if excess > 0:
        for old in sorted(live, key=lambda o: o.last_active)[:excess]:
            old.revoked = True
            tracked.pop(old.session_id or "", None)
    origin.session_id = session_id_for(origin.origin_jti)
    tracked[origin.session_id] = origin
