"""The state roots: `Backend` (one account in one region: its pools, clock, ids, the lock) and
`Services` (what every region of one mock shares: outbox, triggers, mock-wide indexes).

Records are plain dataclasses in dicts; there is no I/O here. The lock is the mock's single lock.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cognito_mock.backend.kernel.outbox import Outbox
from cognito_mock.clock import Clock
from cognito_mock.errors import ResourceNotFoundException
from cognito_mock.ids import Ids

if TYPE_CHECKING:
    from cognito_mock.backend.hooks.triggers import Triggers
    from cognito_mock.backend.kernel.records import UserPool

__all__ = ["Backend", "Services", "mock_mac", "sealed"]


@dataclass
class Services:
    """What every (account, region) of one mock shares. The façade builds it (and a new one on
    `reset()`, keeping the outbox object and the issuer base)."""

    outbox: Outbox  # every message sent (kernel/outbox.py)
    triggers: Triggers  # Lambda triggers as Python callables (hooks/triggers.py)
    # pool_config/clients.py: client id -> pool id, so ClientId-only calls find the pool in O(1).
    client_index: dict[str, str] = field(default_factory=dict)
    # pool_config/domains.py: domain -> (account, region, pool id); domains are unique mock-wide.
    domain_index: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # pool_config/limits.py: "<account>/<region>" -> category -> provisioned requests per second.
    provisioned_limits: dict[str, dict[str, int]] = field(default_factory=dict)
    # tokens/store.py: kid -> (account, region, pool, use) of every pool's signing keys.
    kid_index: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    # This mock's own key (since its last reset), drawn on first use and never seeded: it signs
    # page tokens and seals session strings, SECRET_BLOCKs and refresh tokens (`mock_mac`).
    secret: bytes | None = None
    # tokens/store.py: set while served with issuer="server": tokens' `iss` is `<base>/<poolId>`.
    issuer_base: str | None = None
    # kernel/guards.py: pool id -> the guards armed for it (replica roles, a paused recovery).
    guarded: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class Backend:
    """Everything one account holds in one region."""

    account_id: str
    region: str
    clock: Clock
    ids: Ids
    services: Services
    lock: threading.RLock = field(default_factory=threading.RLock)
    pools: dict[str, UserPool] = field(default_factory=dict)
    # The façade's way to this account's backend in another region (pool replicas); None for a
    # backend made outside a mock.
    regions: Callable[[str], Backend] | None = field(default=None, repr=False, compare=False)

    @property
    def partition(self) -> str:
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    def in_region(self, region: str) -> Backend:
        """This account's backend in `region` (this one for its own region)."""
        if region == self.region or self.regions is None:
            if region != self.region:
                raise LookupError(f"no way to reach region {region} from this backend")
            return self
        return self.regions(region)

    def pool(self, pool_id: str) -> UserPool:
        """The pool, or the service's ResourceNotFoundException."""
        found = self.pools.get(pool_id)
        if found is None:
            raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
        return found


def mock_mac(backend: Backend, *parts: str | bytes) -> bytes:
    """A 32-byte MAC of `parts` under this mock's own key: what no other mock (even with the
    same seed) and no earlier life of this one (before `reset()`) can compute."""
    message = bytearray()
    for part in parts:
        raw = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        message += len(raw).to_bytes(4, "big") + raw  # length-prefixed: parts never run together
    # Keyed BLAKE2b (a MAC by design, RFC 7693), not HMAC-SHA256 through OpenSSL: each seal
    # costs 16k instructions instead of 45k (a sign-in seals its refresh token; issue 16).
    return hashlib.blake2b(message, key=_secret(backend), digest_size=32).digest()


def _secret(backend: Backend) -> bytes:
    """The mock's own key, drawn from the OS on first use."""
    services = backend.services
    if services.secret is None:
        services.secret = backend.ids.unseeded_bytes(32)
    return services.secret


def sealed(backend: Backend, purpose: str, raw: bytes) -> bytes:
    """`raw` (random bytes) with its last 16 replaced by a MAC of its first 64 under the mock's
    own key: an opaque handle (session, SECRET_BLOCK, refresh token) that no other mock issues,
    whatever the seed. The seeded stream is consumed as before, so seeded ids do not move.

    A handle is only ever looked up whole in the store of the mock that issued it; the seal's
    job is that two mocks drawing the same seeded bytes never issue the same handle, and 64
    random bytes settle that (a refresh token's 668 cost 12k instructions of BLAKE2b's
    reference code a sign-in; issue 16)."""
    body = raw[:-16]
    # Keyed BLAKE2b with the purpose as its personalization (at most 16 bytes) separates the
    # purposes as mock_mac's framing does, without building a framed copy first.
    tag = hashlib.blake2b(body[:64], key=_secret(backend), digest_size=16, person=purpose.encode())
    return body + tag.digest()
