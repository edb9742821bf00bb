"""srp.powmod: the optional gmpy2 path gives exactly the pure-Python results."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_mock.backend.crypto import srp
from tests.helpers import needs

gmpy2 = needs("gmpy2", "the fast extra (gmpy2) is not installed")


@settings(max_examples=60, deadline=None)
@given(
    base=st.integers(min_value=0, max_value=srp.N * 2),
    exponent=st.integers(min_value=0, max_value=2**256),
)
def test_gmpy2_and_pure_agree(base: int, exponent: int) -> None:
    expected = srp.pure_powmod(base, exponent, srp.N)
    assert int(gmpy2.powmod(base, exponent, srp.N)) == expected
    assert srp.powmod(base, exponent, srp.N) == expected
    assert type(srp.powmod(base, exponent, srp.N)) is int


def test_edges() -> None:
    for base, exponent in ((0, 0), (0, 5), (srp.N, 3), (srp.N - 1, 2), (2, 0)):
        assert srp.powmod(base, exponent, srp.N) == pow(base, exponent, srp.N)


def _random(seed: bytes):  # type: ignore[no-untyped-def]
    def draw(n: int) -> bytes:
        return hashlib.sha256(seed).digest()[:n]

    return draw


def test_challenge_is_identical_without_gmpy2(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = srp.password_verifier("abc", "alice", "Passw0rd!", "00" * 16)
    srp_a = format(pow(srp.G, 12345, srp.N), "x")
    fast = srp.start_challenge(srp_a, verifier, _random(b"b"))
    monkeypatch.setattr(srp, "_gmpy2", None)
    assert srp.password_verifier("abc", "alice", "Passw0rd!", "00" * 16) == verifier
    slow = srp.start_challenge(srp_a, verifier, _random(b"b"))
    assert (fast.srp_a, fast.srp_b, fast.key) == (slow.srp_a, slow.srp_b, slow.key)
    assert slow.key != srp.start_challenge(srp_a, verifier + 1, _random(b"b")).key
