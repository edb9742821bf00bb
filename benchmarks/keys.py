"""Cost of a new RSA-2048 key from the prime table vs generation, and of signing with one.

Every pool draws two keys of its own (ID and access tokens), so the per-test figure — a fresh
mock + pool + client + user + sign-in through `mock.call` — pays for two new keys and their first
signatures. A new key object's first private operation costs about one more signature: OpenSSL
sets up RSA blinding then (a random r, r^e and a constant-time inverse mod n; measured with
`RSA_FLAG_NO_BLINDING` through ctypes, where the first signature costs the same as later ones),
and `cryptography` offers no way to skip it. The rows show that cost, the same fixture with keys
made and warmed in advance (what per-pool keys add), and an RS256 signature computed with gmpy2's
CRT when gmpy2 is installed (checked against the key, so it is a real signature) — on the
development machine slower than OpenSSL's first signature, so the mock does not use it.
Run: `python benchmarks/keys.py` (or `python -m benchmarks.keys`). Not part of the tests.
"""

from __future__ import annotations

import contextlib
import hashlib
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cognito_mock import CognitoMock
from cognito_mock.backend.crypto import jwt, keys, rsa_keys

PASSWORD = "Bench-Passw0rd!"
CLAIMS = {  # an ID token's claims, roughly (size matters little: RS256 hashes, then signs)
    "sub": "5f3e2c1a-0000-4000-8000-000000000000",
    "email_verified": True,
    "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEfGhI",
    "cognito:username": "alice",
    "aud": "1example23456789",
    "event_id": "4c0d2a5e-0000-4000-8000-000000000000",
    "token_use": "id",
    "auth_time": 1700000000,
    "exp": 1700003600,
    "iat": 1700000000,
    "jti": "9b1e3f7a-0000-4000-8000-000000000000",
    "email": "alice@example.com",
}


def timed(
    func: Callable[[], Any], rounds: int = 7, number: int = 200
) -> tuple[float, float, float]:
    """(median, min, max) microseconds per call over `rounds` batches of `number` calls."""
    return interleaved({"": (contextlib.nullcontext, func)}, rounds, number)[""]


Variant = tuple[Callable[[], contextlib.AbstractContextManager[Any]], Callable[[], Any]]


def interleaved(
    variants: dict[str, Variant], rounds: int = 7, number: int = 200
) -> dict[str, tuple[float, float, float]]:
    """`timed` for several variants, batch by batch in turn so noise hits all alike; each
    batch runs inside its variant's context."""
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, (context, func) in variants.items():
            with context():
                start = time.perf_counter()
                for _ in range(number):
                    func()
                samples[name].append((time.perf_counter() - start) / number * 1e6)
    return {name: (statistics.median(v), min(v), max(v)) for name, v in samples.items()}


def each(func: Callable[[Any], Any], items: list[Any]) -> tuple[float, float, float]:
    """(median, min, max) microseconds of one call of `func` on each item (a one-off per item)."""
    samples = []
    for item in items:
        start = time.perf_counter()
        func(item)
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples), min(samples), max(samples)


def generated() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@contextlib.contextmanager
def pure_python() -> Iterator[None]:
    """The table without gmpy2 (the `fast` extra), as most users will have it."""
    saved, rsa_keys._gmpy2 = rsa_keys._gmpy2, None
    try:
        yield
    finally:
        rsa_keys._gmpy2 = saved


@contextlib.contextmanager
def warmed_keys(count: int) -> Iterator[None]:
    """Pools take keys made and signed with beforehand (on this thread): the fixture without the
    cost of its two new keys, for comparison."""
    stock = [keys.SigningKey.generate() for _ in range(count)]
    for key in stock:
        jwt.encode(CLAIMS, key)
    saved = keys.SigningKey.generate
    keys.SigningKey.generate = classmethod(lambda cls: stock.pop())  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        keys.SigningKey.generate = saved  # type: ignore[method-assign]


def per_test() -> None:
    """A fresh mock, pool, app client, confirmed user, and a USER_PASSWORD_AUTH sign-in."""
    call = CognitoMock().call
    pool_id = call("CreateUserPool", PoolName="bench")["UserPool"]["Id"]
    app = call(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    call("AdminCreateUser", UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    call(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username="alice",
        Password=PASSWORD,
        Permanent=True,
    )
    call(
        "InitiateAuth",
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=app,
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )


_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")  # SHA-256, RFC 8017


def gmpy2_signer(key: rsa.RSAPrivateKey) -> Callable[[bytes], bytes]:
    """RS256 (PKCS#1 v1.5) by the CRT with gmpy2: no blinding, so no first-use cost."""
    gmpy2 = rsa_keys._gmpy2
    numbers = key.private_numbers()
    p, q = gmpy2.mpz(numbers.p), gmpy2.mpz(numbers.q)
    dp, dq, qinv = gmpy2.mpz(numbers.dmp1), gmpy2.mpz(numbers.dmq1), gmpy2.mpz(numbers.iqmp)
    size = (numbers.public_numbers.n.bit_length() + 7) // 8

    def sign(message: bytes) -> bytes:
        digest = _DIGEST_INFO + hashlib.sha256(message).digest()
        block = b"\x00\x01" + b"\xff" * (size - 3 - len(digest)) + b"\x00" + digest
        c = gmpy2.mpz(int.from_bytes(block, "big"))
        m1, m2 = gmpy2.powmod(c, dp, p), gmpy2.powmod(c, dq, q)
        return int(m2 + (qinv * (m1 - m2) % p) * q).to_bytes(size, "big")

    return sign


def row(label: str, unit: str, figure: tuple[float, float, float]) -> None:
    scale = 1e-3 if unit == "ms" else 1.0
    median, low, high = (value * scale for value in figure)
    print(f"{label:<52}{median:>10.1f} {unit} ({low:.1f}-{high:.1f})")


def main() -> None:
    rsa_keys.new_private_key()  # loads the table: a one-off (~1-2 ms) per process
    print(f"{'RSA-2048 key, per key':<52}{'median':>13} (min-max)")
    row("rsa.generate_private_key", "ms", timed(generated, rounds=15, number=1))
    row("prime table, with gmpy2" if rsa_keys._gmpy2 else "prime table", "µs",
        timed(rsa_keys.new_private_key))  # fmt: skip
    if rsa_keys._gmpy2 is not None:
        with pure_python():
            row("prime table, pure Python (no gmpy2)", "µs", timed(rsa_keys.new_private_key))
    drawn = [rsa_keys.new_private_key() for _ in range(200)]
    row("then SigningKey.from_private_key (kid, JWK)", "µs",
        each(keys.SigningKey.from_private_key, drawn))  # fmt: skip

    print(f"\n{'one RS256 JWT (jwt.encode)':<52}{'median':>13} (min-max)")
    table_keys = [keys.SigningKey.from_private_key(rsa_keys.new_private_key()) for _ in range(200)]
    generated_keys = [keys.SigningKey.from_private_key(generated()) for _ in range(15)]
    sign: Callable[[keys.SigningKey], Any] = lambda key: jwt.encode(CLAIMS, key)  # noqa: E731
    # OpenSSL prepares a key's Montgomery and blinding values on its first private operation.
    row("first signature with a new table key", "µs", each(sign, table_keys))
    row("first signature with a new generated key", "µs", each(sign, generated_keys))
    later = interleaved(
        {
            "later signatures, table key": (contextlib.nullcontext, lambda: sign(table_keys[0])),
            "later signatures, generated key": (
                contextlib.nullcontext,
                lambda: sign(generated_keys[0]),
            ),
        },
        rounds=15,
    )
    for label, figure in later.items():
        row(label, "µs", figure)

    if rsa_keys._gmpy2 is not None:
        message = b"x" * 700
        pairs = [(k.private_key, gmpy2_signer(k.private_key)) for k in table_keys[:30]]
        for private, sign_with in pairs[:2]:  # a real signature, or the figure means nothing
            private.public_key().verify(sign_with(message), message, padding.PKCS1v15(),
                                        hashes.SHA256())  # fmt: skip
        row("RS256 by gmpy2's CRT (no blinding, first or later)", "µs",
            each(lambda pair: pair[1](message), pairs))  # fmt: skip

    print(f"\n{'per test: mock + pool + client + user + sign-in':<52}{'median':>13} (min-max)")
    per_test()
    rounds, number = 9, 40
    variants: dict[str, Variant] = {
        "two new keys per pool (as shipped)": (contextlib.nullcontext, per_test),
        "keys made and warmed beforehand": (lambda: warmed_keys(2 * number), per_test),
    }
    for label, figure in interleaved(variants, rounds=rounds, number=number).items():
        row(label, "µs", figure)


if __name__ == "__main__":
    main()
