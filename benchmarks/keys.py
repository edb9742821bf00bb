"""Cost of a new RSA-2048 key from the prime table vs generation, and of signing with one.

Also the per-test cost of a fresh mock + pool + client + user + sign-in (`mock.call`) with the
process-wide slot keys of today and with a new pair of table keys per pool, the change the table
is for. Run: `python benchmarks/keys.py` (or `python -m benchmarks.keys`). Not part of the tests.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

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
def keys_per_pool() -> Iterator[None]:
    """Simulates the wiring: each fresh mock's slots get new table keys, none from the cache."""
    saved_generate = keys.SigningKey.generate
    saved_cache = dict(keys._cache)
    keys.SigningKey.generate = classmethod(  # type: ignore[method-assign,assignment]
        lambda cls: cls.from_private_key(rsa_keys.new_private_key())
    )
    try:
        yield
    finally:
        keys.SigningKey.generate = saved_generate  # type: ignore[method-assign]
        keys._cache.clear()
        keys._cache.update(saved_cache)


@contextlib.contextmanager
def stacked(*contexts: contextlib.AbstractContextManager[Any]) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for context in contexts:
            stack.enter_context(context)
        yield


def per_test(fresh_keys: bool) -> None:
    """A fresh mock, pool, app client, confirmed user, and a USER_PASSWORD_AUTH sign-in."""
    if fresh_keys:
        keys._cache.clear()  # a new mock's pool then takes keys of its own
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

    print(f"\n{'per test: mock + pool + client + user + sign-in':<52}{'median':>13} (min-max)")
    per_test(False)
    variants: dict[str, Variant] = {
        "process-wide slot keys (today)": (contextlib.nullcontext, lambda: per_test(False)),
        "two new table keys per pool": (keys_per_pool, lambda: per_test(True)),
    }
    if rsa_keys._gmpy2 is not None:
        variants["two new table keys per pool, no gmpy2"] = (
            lambda: stacked(keys_per_pool(), pure_python()),
            lambda: per_test(True),
        )
    for label, figure in interleaved(variants, rounds=9, number=40).items():
        row(label, "µs", figure)


if __name__ == "__main__":
    main()
