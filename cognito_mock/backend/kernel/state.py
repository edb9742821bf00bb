"""Per-(account, region) state root shared by every handler: pools, clock, randomness, outbox.

Records are plain dataclasses in dicts; there is no I/O here. The lock is the mock's single lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cognito_mock.clock import Clock
from cognito_mock.errors import ResourceNotFoundException
from cognito_mock.ids import Ids

if TYPE_CHECKING:
    from cognito_mock.backend.kernel.records import UserPool

__all__ = ["Backend"]


@dataclass
class Backend:
    """Everything one account holds in one region."""

    account_id: str
    region: str
    clock: Clock
    ids: Ids
    lock: threading.RLock = field(default_factory=threading.RLock)
    pools: dict[str, UserPool] = field(default_factory=dict)
    # Services shared by the whole mock (outbox, triggers, key slots); set by the façade.
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def partition(self) -> str:
        if self.region.startswith("cn-"):
            return "aws-cn"
        if self.region.startswith("us-gov-"):
            return "aws-us-gov"
        return "aws"

    def pool(self, pool_id: str) -> UserPool:
        """The pool, or the service's ResourceNotFoundException."""
        found = self.pools.get(pool_id)
        if found is None:
            raise ResourceNotFoundException(f"User pool {pool_id} does not exist.")
        return found
