"""Dev-only generator of the RSA prime table `backend/crypto/rsa_primes.bin`.

Run once: `python -m cognito_mock.codegen.primes [--count N] [--out PATH]` (about a minute).
The primes come from OpenSSL's own RSA key generation (through `cryptography`): two per
RSA-2048 key, each at least √2·2^1023, so the product of any two has exactly 2048 bits, and each
with gcd(p - 1, 65537) = 1, so e = 65537 works with every pair. The output is random: rerunning
gives a different (equally good) table, and nothing stored elsewhere refers to table positions.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa

from cognito_mock.backend.crypto.rsa_keys import (
    KEY_BITS,
    PRIME_BYTES,
    PUBLIC_EXPONENT,
    TABLE_FILE,
)

__all__ = ["COUNT", "acceptable", "generate", "main", "write"]

# 1,024 primes make 1024·1023/2 = 523,776 distinct pairs, so one process can hand out that many
# keys, two per pool, before falling back to generation: ~260,000 pools, ten times a long suite
# of tens of thousands of pools per worker, at 128 KiB in the wheel. (512 primes would give
# 130,816 keys, ~65,000 pools: too close to that suite to leave a margin.)
COUNT = 1024

# The least prime allowed: above √(2^2047), so any two multiply to at least 2^2047.
_FLOOR = math.isqrt(1 << (KEY_BITS - 1)) + 1


def acceptable(prime: int) -> bool:
    """Whether OpenSSL's prime fits the table (its generator already ensures all of this)."""
    return (
        prime.bit_length() == KEY_BITS // 2
        and prime >= _FLOOR
        and math.gcd(prime - 1, PUBLIC_EXPONENT) == 1
    )


def generate(count: int = COUNT) -> list[int]:
    """`count` distinct primes, sorted, from OpenSSL RSA-2048 key generation."""
    found: set[int] = set()
    while len(found) < count:
        numbers = rsa.generate_private_key(
            public_exponent=PUBLIC_EXPONENT, key_size=KEY_BITS
        ).private_numbers()
        for prime in (numbers.p, numbers.q):
            if not acceptable(prime):  # never seen; a guard against a change in OpenSSL
                raise RuntimeError(f"OpenSSL returned an unsuitable prime: {prime:#x}")
            found.add(prime)
    return sorted(found)[:count]


def write(primes: list[int], path: Path = TABLE_FILE) -> None:
    """The table file: each prime as PRIME_BYTES big-endian bytes, back to back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(prime.to_bytes(PRIME_BYTES, "big") for prime in primes))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m cognito_mock.codegen.primes")
    parser.add_argument("--count", type=int, default=COUNT, help=f"primes (default {COUNT})")
    parser.add_argument("--out", type=Path, default=TABLE_FILE, help="output file")
    args = parser.parse_args(argv)
    primes = generate(args.count)
    write(primes, args.out)
    print(f"{args.out}: {len(primes)} primes, {len(primes) * PRIME_BYTES} bytes")


if __name__ == "__main__":
    main()
