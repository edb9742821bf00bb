"""Challenge sessions (opaque, single-use, expiring) and pending SRP rounds keyed by SECRET_BLOCK,
each bound to the user record it was opened for (`session_owner`, `srp_owner`)."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any, TypeVar

from cognito_mock.backend.crypto import srp
from cognito_mock.backend.crypto.srp import ServerChallenge
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend, sealed
from cognito_mock.errors import InvalidParameterException, NotAuthorizedException

__all__ = [
    "AuthSession",
    "PendingSrp",
    "consume_srp",
    "open_session",
    "proof_holds",
    "proof_timestamp",
    "session_owner",
    "session_seconds",
    "srp_owner",
    "start_srp",
    "take_session",
    "take_srp",
]

SESSION_USED = "Invalid session for the user, session can only be used once."
SESSION_EXPIRED = "Invalid session for the user, session is expired."
SESSION_INVALID = "Invalid session for the user."
_SESSION_BYTES = 384  # 512 base64url characters; observed sessions are ~1,500 (model: 20-4096)
_SECRET_BLOCK_BYTES = 256
_KEEP_AFTER_EXPIRY = 86400.0  # expired or used entries linger so their errors stay specific
_PRUNE_EVERY = 512


# The user record a session or SRP round was opened for: (sub, User.seq), None for a simulated
# user. A record deleted and made again under the same name is another record.
Binding = tuple[str, int] | None


@dataclass
class AuthSession:
    challenge: str  # the ChallengeName this session answers
    username: str  # internal username ("" for a simulated user)
    client_id: str
    expires: float
    used: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    user: Binding = None


@dataclass
class PendingSrp:
    """A PASSWORD_VERIFIER round in flight; the SECRET_BLOCK we sent names it."""

    challenge: ServerChallenge
    username: str  # internal username; "" when simulated for an unknown user
    user_id_for_srp: str
    client_id: str
    expires: float
    user: Binding = None


def _binding(pool: UserPool, username: str) -> Binding:
    found = pool.users.get(username) if username else None
    return None if found is None else (found.sub, found.seq)


def _bound(pool: UserPool, username: str, binding: Binding) -> User | None:
    found = pool.users.get(username) if username else None
    if found is None or binding is None or (found.sub, found.seq) != binding:
        return None
    return found


def session_owner(pool: UserPool, session: AuthSession) -> User | None:
    """The user record `session` was opened for, if it still exists (else None)."""
    return _bound(pool, session.username, session.user)


def srp_owner(pool: UserPool, pending: PendingSrp) -> User | None:
    """The user record the SRP round was started for, if it still exists (else None)."""
    return _bound(pool, pending.username, pending.user)


def session_seconds(client: AppClient) -> float:
    """AuthSessionValidity (minutes, 3-15; default 3) in seconds."""
    return float(client.settings.get("AuthSessionValidity") or 3) * 60.0


T = TypeVar("T", AuthSession, PendingSrp)


def _pruned(table: dict[str, T], backend: Backend) -> dict[str, T]:
    """`table`, with entries long past their expiry dropped every `_PRUNE_EVERY` additions."""
    if len(table) >= _PRUNE_EVERY and len(table) % _PRUNE_EVERY == 0:
        horizon = backend.clock.now() - _KEEP_AFTER_EXPIRY
        for key in [k for k, v in table.items() if v.expires < horizon]:
            del table[key]
    return table


def open_session(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    challenge: str,
    username: str,
    **data: Any,
) -> str:
    """A new opaque Session string for `challenge`, valid for the client's AuthSessionValidity."""
    raw = sealed(backend, "session", backend.ids.token_bytes(_SESSION_BYTES))
    token = base64.urlsafe_b64encode(raw).decode("ascii")
    _pruned(pool.challenge_sessions, backend)[token] = AuthSession(
        challenge=challenge,
        username=username,
        client_id=client.client_id,
        expires=backend.clock.now() + session_seconds(client),
        data=data,
        user=_binding(pool, username),
    )
    return token


def take_session(
    backend: Backend, pool: UserPool, client: AppClient, token: str | None, challenges: set[str]
) -> AuthSession:
    """The live session `token` for one of `challenges`; the caller marks it used on success."""
    session = pool.challenge_sessions.get(token) if token else None
    if (
        session is None
        or session.client_id != client.client_id
        or session.challenge not in challenges
    ):
        raise NotAuthorizedException(SESSION_INVALID)
    if session.used:
        raise NotAuthorizedException(SESSION_USED)
    if backend.clock.now() > session.expires:
        raise NotAuthorizedException(SESSION_EXPIRED)
    assert isinstance(session, AuthSession)
    return session


def start_srp(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    challenge: ServerChallenge,
    username: str,
    user_id_for_srp: str,
) -> str:
    """Remember a PASSWORD_VERIFIER round; return the SECRET_BLOCK that names it."""
    raw = sealed(backend, "secret block", backend.ids.token_bytes(_SECRET_BLOCK_BYTES))
    block = base64.b64encode(raw).decode("ascii")
    _pruned(pool.srp_rounds, backend)[block] = PendingSrp(
        challenge=challenge,
        username=username,
        user_id_for_srp=user_id_for_srp,
        client_id=client.client_id,
        expires=backend.clock.now() + session_seconds(client),
        user=_binding(pool, username),
    )
    return block


TIMESTAMP_SKEW = 300.0  # how far a proof's TIMESTAMP may stray from the server's clock
TIMESTAMP_FORMAT = "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english."


def proof_timestamp(stamp: str) -> float:
    """The epoch seconds of a PASSWORD_CLAIM TIMESTAMP; the service's error if unparsable."""
    when = srp.parse_timestamp(stamp)
    if when is None:
        raise InvalidParameterException(TIMESTAMP_FORMAT)
    return when


def proof_holds(
    pending: PendingSrp,
    group: str,
    user_id: str,
    block: str,
    stamp: str,
    signature: str,
    now: float,
) -> bool:
    """Whether an SRP proof (user or device) is right for its round: the signature, the canonical
    TIMESTAMP rendering, and a TIMESTAMP close to the server's clock."""
    return (
        pending.challenge.verify(group, user_id, block, stamp, signature)
        and srp.canonical_timestamp_matches(stamp)
        and abs(proof_timestamp(stamp) - now) <= TIMESTAMP_SKEW
    )


def take_srp(backend: Backend, pool: UserPool, client: AppClient, block: str) -> PendingSrp:
    """The pending round named by PASSWORD_CLAIM_SECRET_BLOCK (not yet consumed).

    An unknown block is a failed proof (`Incorrect username or password.`); an old one is expired.
    """
    pending = pool.srp_rounds.get(block)
    if pending is None or pending.client_id != client.client_id:
        raise NotAuthorizedException("Incorrect username or password.")
    if backend.clock.now() > pending.expires:
        raise NotAuthorizedException(SESSION_EXPIRED)
    assert isinstance(pending, PendingSrp)
    return pending


def consume_srp(pool: UserPool, block: str) -> None:
    pool.srp_rounds.pop(block, None)
