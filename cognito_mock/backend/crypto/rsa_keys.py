"""RSA-2048 private keys in microseconds: a new (p, q) pair of the shipped prime table per key.

Generating an RSA-2048 key costs ~50-100 ms, far too much for a pool per test, yet every pool
needs keys of its own. Key generation is almost all prime search, so the primes are searched once
(`python -m cognito_mock.codegen.primes`) and shipped in `rsa_primes.bin`; a key is then a pair of
them plus d, d mod (p-1), d mod (q-1) and q^-1 mod p (two modular inverses). Test keys need no
secrecy, so keys sharing a prime (any two of the table's pairs may) do not matter; what matters is
that no two keys of a process share a modulus, so no two pools share a key or a kid.

Imports only `cryptography` (and `gmpy2` when installed, for speed).
"""

from __future__ import annotations

import math
import os
import secrets
import threading
from collections.abc import Sequence
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = [
    "KEY_BITS",
    "PRIME_BYTES",
    "PUBLIC_EXPONENT",
    "TABLE_FILE",
    "PrimeTable",
    "load_primes",
    "new_private_key",
    "private_key_from_primes",
]

KEY_BITS = 2048
PUBLIC_EXPONENT = 65537
PRIME_BYTES = KEY_BITS // 16  # 1024-bit primes, stored big-endian, back to back
TABLE_FILE = Path(__file__).with_name("rsa_primes.bin")

try:  # optional: GMP's inverse of a 1024-bit number is ~20x faster than Python's
    import gmpy2 as _gmpy2
except ImportError:  # pragma: no cover - depends on the environment
    _gmpy2 = None


def _invert(value: int, modulus: int) -> int:
    # q^-1 mod p is most of a key's arithmetic without gmpy2 (~150 µs against ~7 µs with it).
    if _gmpy2 is None:
        return pow(value, -1, modulus)
    return int(_gmpy2.invert(value, modulus))


def load_primes(path: Path = TABLE_FILE) -> list[int]:
    """The table's primes, in file order."""
    data = path.read_bytes()
    if not data or len(data) % PRIME_BYTES:
        raise ValueError(f"{path}: not a table of {PRIME_BYTES}-byte primes")
    return [
        int.from_bytes(data[at : at + PRIME_BYTES], "big")
        for at in range(0, len(data), PRIME_BYTES)
    ]


def private_key_from_primes(p: int, q: int) -> rsa.RSAPrivateKey:
    """The RSA key with primes p and q and e = 65537, its private exponents computed.

    Validation is skipped: it re-tests both primes (~80 ms), and the table's primes are tested
    once by the test suite instead. Callers pass primes only from the table.
    """
    e = PUBLIC_EXPONENT
    lam = (p - 1) // math.gcd(p - 1, q - 1) * (q - 1)  # Carmichael's λ(pq), as OpenSSL uses
    d = _invert(e, lam)  # cheap: e is small, so Euclid finishes in a few steps
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=d % (p - 1),
        dmq1=d % (q - 1),
        iqmp=_invert(q, p),
        public_numbers=rsa.RSAPublicNumbers(e, p * q),
    )
    return numbers.private_key(unsafe_skip_rsa_key_validation=True)


def _pair(index: int) -> tuple[int, int]:
    """The index-th pair (j, i), i < j, in the order (1,0) (2,0) (2,1) (3,0) ...: O(1) unranking."""
    j = (1 + math.isqrt(1 + 8 * index)) // 2
    return j, index - j * (j - 1) // 2


class PrimeTable:
    """Hands out keys from distinct pairs of `primes`; thread-safe.

    Draw n takes pair (offset + n) mod pairs, so no pair repeats until all have been drawn; after
    that, keys are generated (slowly) instead. The offset is random unless given, so two processes
    rarely start on the same pairs: process A repeats one of B's keys only if their ranges of pairs
    overlap, a chance of about (keys drawn by A + keys drawn by B) / pairs.
    """

    def __init__(self, primes: Sequence[int], *, offset: int | None = None) -> None:
        if len(primes) < 2:
            raise ValueError("a prime table needs at least two primes")
        self.primes = list(primes)
        self.pairs = len(self.primes) * (len(self.primes) - 1) // 2
        self.offset = secrets.randbelow(self.pairs) if offset is None else offset % self.pairs
        self.drawn = 0
        self._lock = threading.Lock()

    def new_private_key(self) -> rsa.RSAPrivateKey:
        """A key whose modulus no earlier draw from this table has had."""
        with self._lock:  # only the counter is shared; the arithmetic runs outside the lock
            draw = self.drawn
            self.drawn = draw + 1
        if draw >= self.pairs:
            return rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_BITS)
        j, i = _pair((self.offset + draw) % self.pairs)
        # The larger index's prime is p; either order makes a valid key.
        return private_key_from_primes(self.primes[j], self.primes[i])

    def restart(self) -> None:
        """A new random offset and no draws, for a forked child (which must not repeat its
        parent's keys). Runs in the child's only thread, with a new lock: the inherited one may
        have been held by a parent thread at the fork, and would then never be released."""
        self._lock = threading.Lock()
        self.offset = secrets.randbelow(self.pairs)
        self.drawn = 0


_table: PrimeTable | None = None
_table_lock = threading.Lock()


def _shared_table() -> PrimeTable:
    global _table
    table = _table
    if table is None:
        with _table_lock:  # the first draw reads the file (~1 ms), once per process
            if _table is None:
                _table = PrimeTable(load_primes())
            table = _table
    return table


def new_private_key() -> rsa.RSAPrivateKey:
    """A new RSA-2048 key (e = 65537) that no other draw in this process has returned."""
    return _shared_table().new_private_key()


def _after_fork_in_child() -> None:
    # The child inherits the parent's counter and offset and would otherwise draw its next keys.
    global _table_lock
    _table_lock = threading.Lock()
    if _table is not None:
        _table.restart()


if hasattr(os, "register_at_fork"):  # POSIX only; elsewhere there is no fork
    os.register_at_fork(after_in_child=_after_fork_in_child)
