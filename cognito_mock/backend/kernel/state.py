"""The state roots: `Backend` (one account in one region: its pools, clock, ids, the lock) and
`Services` (what every region of one mock shares: outbox, triggers, mock-wide indexes).

Records are plain dataclasses in dicts; there is no I/O here. The lock is the mock's single lock.
"""

from __future__ import annotations

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

__all__ = ["Backend", "Services"]


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
    # tokens/store.py: the next free signing-key slot, and kid -> (account, region, pool, use).
    key_slots: int = 0
    kid_index: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
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
