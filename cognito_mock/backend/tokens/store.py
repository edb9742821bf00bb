"""Per-pool token state: the records behind issued tokens (origins, refresh records, tracked
sessions), the pool's signing keys and JWKS, its issuer, and the rule that says a token is revoked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.crypto import keys
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.claim_templates import TemplateCache

__all__ = [
    "Origin",
    "RefreshRecord",
    "TokenStore",
    "access_origin",
    "issuer",
    "jwks",
    "open_tracked_session",
    "origin_user",
    "password_stamp",
    "pool_keys",
    "revoke_session",
    "revoked",
    "session_active",
    "session_id_for",
    "sessions_of",
    "signing_certificate",
    "token_store",
]


@dataclass(slots=True)  # one per sign-in and refresh record: slots make them quicker to build
class Origin:
    """One authentication (a token session): every token refreshed from it shares its origin_jti."""

    origin_jti: str
    # The user record the tokens were issued to: its sub and creation number (`User.seq`, never
    # reused in a pool), so they never answer for another record, whatever the ids' seed.
    sub: str
    user_seq: int
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
    # OAuth (managed login, /oauth2/token): the scopes granted at sign-in; every token of the
    # origin carries them, refreshes included. None for native-API sign-ins.
    scopes: tuple[str, ...] | None = None


@dataclass(slots=True)
class RefreshRecord:
    origin: Origin
    client_id: str
    expires: float
    revoked: bool = False
    # Rotation: when set, the token stops working at this instant (end of the grace period).
    retired_at: float | None = None


@dataclass
class TokenStore:
    """Per-pool token state (`pool.tokens`)."""

    # (ID-token key, access-token key): the pool's own, made on first use (`pool_keys`).
    signing_keys: tuple[keys.SigningKey, keys.SigningKey] | None = None
    refresh: dict[str, RefreshRecord] = field(default_factory=dict)
    access: dict[str, Origin] = field(default_factory=dict)  # access-token jti -> origin
    certificate: str | None = None
    # Session tracking (SetUserPoolSessionConfiguration): off by default, and while off no session
    # records are kept. `sessions`: user sub -> {session id -> origin}, oldest first.
    tracking: bool = False
    max_sessions: int = 20
    sessions: dict[str, dict[str, Origin]] = field(default_factory=dict)
    # tokens/machine.py: jti -> client id of every machine-to-machine access token issued, so a
    # token exchange can tell this pool's client tokens from look-alikes.
    machine: dict[str, str] = field(default_factory=dict)
    # tokens/issue.py: the payload templates of native sign-ins, per client and user state.
    templates: TemplateCache = field(default_factory=TemplateCache)

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        # A state file written before the templates existed (same format): start with none.
        self.__dict__.setdefault("templates", TemplateCache())


def token_store(pool: UserPool) -> TokenStore:
    store = pool.tokens
    if store is None:
        store = pool.tokens = TokenStore()
    return store


# ----------------------------------------------------------------------------- keys and JWKS


def pool_keys(backend: Backend, pool: UserPool) -> tuple[keys.SigningKey, keys.SigningKey]:
    """(ID-token key, access-token key): the pool's own, made on first use.

    Every pool of every mock gets new keys, whatever the seed and across `reset()`, so a token
    never verifies against another pool's JWKS. A key costs ~50 µs (a pair of the shipped prime
    table); it is drawn through `ids.unseeded` so a journaled call replays with the same key.
    The kid index lets an access token find its pool.
    """
    store = token_store(pool)
    made = store.signing_keys
    if made is None:
        with backend.lock:
            made = store.signing_keys
            if made is None:
                made = (
                    backend.ids.unseeded(keys.SigningKey.generate),
                    backend.ids.unseeded(keys.SigningKey.generate),
                )
                store.signing_keys = made
                owner = (backend.account_id, backend.region, pool.id)
                backend.services.kid_index[made[0].kid] = (*owner, "id")
                backend.services.kid_index[made[1].kid] = (*owner, "access")
    return made


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
    """`https://cognito-idp.<region>.amazonaws.com/<poolId>` (IssuerConfiguration ORIGINAL) or
    `https://issuer-cognito-idp.<region>.amazonaws.com/<poolId>` (UPDATED), `<region>` being the
    pool's own (primary) Region wherever a replica issues the token; or under the façade's base."""
    base = backend.services.issuer_base
    if base:
        return f"{base.rstrip('/')}/{pool.id}"
    region = pool.arn.split(":")[3]
    host = "issuer-cognito-idp" if _updated_issuer(pool) else "cognito-idp"
    return f"https://{host}.{region}.amazonaws.com/{pool.id}"


def _updated_issuer(pool: UserPool) -> bool:
    return (pool.settings.get("IssuerConfiguration") or {}).get("Type") == "UPDATED"


def origin_user(pool: UserPool, origin: Origin) -> User | None:
    """The user record `origin` was issued to, if it still exists (else None)."""
    user = pool.users.by_sub.get(origin.sub)
    return user if user is not None and user.seq == origin.user_seq else None


def password_stamp(user: User) -> tuple[float, str | None]:
    """The password in force: a token issued under another one is revoked."""
    return (user.password_set, user.password)


def revoked(origin: Origin, user: User) -> bool:
    """Revoked by RevokeToken, a global sign-out, a password change, disabling or a reset."""
    return (
        origin.revoked
        or origin.generation != user.token_generation
        or origin.password_stamp != password_stamp(user)
        or not user.enabled
        or user.status == "RESET_REQUIRED"
    )


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
    return not revoked(origin, user) and backend.clock.now() < origin.expires


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


def open_tracked_session(backend: Backend, store: TokenStore, user: User, origin: Origin) -> None:
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
