"""RSA keys from the shipped prime table: the primes, the keys' arithmetic, distinctness, fallback."""

from __future__ import annotations

import base64
import hashlib
import math
import os
import random
import threading

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from cognito_mock.backend.crypto import jwt as our_jwt
from cognito_mock.backend.crypto import keys, rsa_keys
from cognito_mock.backend.crypto.rsa_keys import PrimeTable, new_private_key
from cognito_mock.codegen.primes import COUNT

try:  # GMP makes the primality checks ~7x faster; the result is the same either way
    from gmpy2 import powmod as _powmod
except ImportError:  # pragma: no cover - depends on the environment
    _powmod = pow

E = 65537
PRIMES = rsa_keys.load_primes()


def powmod(base: int, exponent: int, modulus: int) -> int:
    return int(_powmod(base, exponent, modulus))


def miller_rabin(n: int, bases: list[int]) -> bool:
    """Whether n is a strong probable prime to every base (written here, independent of both
    OpenSSL and the module under test)."""
    if n < 2 or n % 2 == 0:
        return n == 2
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for base in bases:
        x = powmod(base % n, d, n)
        if x in (0, 1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def public_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def kid(key: rsa.RSAPrivateKey) -> str:
    """As keys.py names keys: standard base64 of the SHA-256 of the public key's DER."""
    return base64.b64encode(hashlib.sha256(public_der(key)).digest()).decode("ascii")


def b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def public_jwk(key: rsa.RSAPrivateKey) -> dict[str, str]:
    """The public JWK, from the public numbers alone."""
    numbers = key.public_key().public_numbers()
    return {"kty": "RSA", "kid": kid(key), "n": b64url_uint(numbers.n), "e": b64url_uint(numbers.e)}


def primes_of(key: rsa.RSAPrivateKey) -> frozenset[int]:
    numbers = key.private_numbers()
    return frozenset((numbers.p, numbers.q))


def validated(key: rsa.RSAPrivateKey) -> rsa.RSAPrivateKey:
    """The key rebuilt from its private numbers WITH OpenSSL's full check (primality, d, CRT)."""
    return key.private_numbers().private_key()


# ----------------------------------------------------------------------------- the table


def test_the_table_holds_distinct_1024_bit_primes_fit_for_e_65537() -> None:
    assert len(PRIMES) == COUNT
    assert rsa_keys.TABLE_FILE.stat().st_size == COUNT * rsa_keys.PRIME_BYTES
    assert len(set(PRIMES)) == COUNT
    assert all(p.bit_length() == 1024 for p in PRIMES)
    assert all(math.gcd(p - 1, E) == 1 for p in PRIMES)


def test_every_pair_multiplies_to_exactly_2048_bits() -> None:
    # Every prime is below 2^1024, so the products are below 2^2048; the least product is that
    # of the two smallest primes, and it reaches 2^2047.
    smallest, second = sorted(PRIMES)[:2]
    assert (smallest * second).bit_length() == 2048
    assert all(p < 1 << 1024 for p in PRIMES)


def test_every_prime_passes_miller_rabin_to_base_2() -> None:
    # One strong test each: a composite of this size passes it with probability under 2^-40
    # (Damgård, Landrock and Pomerance), and a damaged file gives numbers that fail at once.
    failed = [i for i, p in enumerate(PRIMES) if not miller_rabin(p, [2])]
    assert failed == []


def test_a_sample_of_primes_passes_many_random_bases() -> None:
    rng = random.Random(20240501)
    for p in rng.sample(PRIMES, 16):
        assert miller_rabin(p, [rng.randrange(2, p - 1) for _ in range(8)])


def test_the_primality_check_rejects_composites() -> None:
    p, q = PRIMES[0], PRIMES[1]
    assert not miller_rabin(p * q, [2])
    assert not miller_rabin(p * p, [2])
    # 2047 = 23 * 89 is a strong pseudoprime to base 2, which base 3 exposes.
    assert miller_rabin(2047, [2])
    assert not miller_rabin(2047, [2, 3])


def test_openssl_accepts_sampled_table_keys_with_full_validation() -> None:
    rng = random.Random(7)
    for _ in range(3):
        p, q = rng.sample(PRIMES, 2)
        key = rsa_keys.private_key_from_primes(p, q)
        assert validated(key).private_numbers() == key.private_numbers()


def test_openssl_validation_rejects_a_composite_the_fast_path_would_accept() -> None:
    # What the table's tests guard: with validation skipped, a composite "prime" would load.
    p = PRIMES[0]
    composite = next(n for n in range(PRIMES[1] + 2, PRIMES[1] + 10_000, 2) if n % 3 == 0)
    key = rsa_keys.private_key_from_primes(p, composite)
    with pytest.raises(ValueError):
        validated(key)


# ----------------------------------------------------------------------------- the keys


def test_private_numbers_match_cryptographys_own_helpers() -> None:
    p, q = PRIMES[10], PRIMES[3]
    numbers = rsa_keys.private_key_from_primes(p, q).private_numbers()
    lam = math.lcm(p - 1, q - 1)
    assert (numbers.p, numbers.q, numbers.public_numbers.n) == (p, q, p * q)
    assert numbers.public_numbers.e == E
    assert numbers.d * E % lam == 1
    assert numbers.dmp1 == rsa.rsa_crt_dmp1(numbers.d, p)
    assert numbers.dmq1 == rsa.rsa_crt_dmq1(numbers.d, q)
    assert numbers.iqmp == rsa.rsa_crt_iqmp(p, q)


def test_a_key_signs_rs256_that_pyjwt_verifies_from_the_public_jwk_alone() -> None:
    key, other = new_private_key(), new_private_key()
    jwk = public_jwk(key)
    verifier = pyjwt.PyJWK(jwk, algorithm="RS256")
    claims = {"sub": "alice", "token_use": "id"}
    token = pyjwt.encode(claims, key, algorithm="RS256", headers={"kid": jwk["kid"]})
    assert pyjwt.decode(token, verifier, algorithms=["RS256"]) == claims
    assert pyjwt.get_unverified_header(token)["kid"] == jwk["kid"]

    forged = pyjwt.encode(claims, other, algorithm="RS256", headers={"kid": jwk["kid"]})
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(forged, verifier, algorithms=["RS256"])
    header, _payload, signature = token.split(".")
    tampered = ".".join(
        [header, pyjwt.utils.base64url_encode(b'{"sub":"bob"}').decode(), signature]
    )
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(tampered, verifier, algorithms=["RS256"])


def test_a_table_key_works_through_the_mocks_signer_and_jwks() -> None:
    signing = keys.SigningKey.from_private_key(new_private_key())
    assert signing.kid == kid(signing.private_key)
    token = our_jwt.encode({"sub": "alice", "token_use": "access"}, signing)
    jwks = pyjwt.PyJWKSet.from_dict(keys.jwks([signing]))
    verified = pyjwt.decode(token, jwks[signing.kid], algorithms=["RS256"])
    assert verified == {"sub": "alice", "token_use": "access"}


def test_moduli_are_2048_bits_with_e_65537() -> None:
    for _ in range(200):
        key = new_private_key()
        numbers = key.public_key().public_numbers()
        assert key.key_size == 2048
        assert numbers.n.bit_length() == 2048
        assert numbers.e == E
        assert primes_of(key) <= set(PRIMES)


def test_draws_give_distinct_moduli_and_kids() -> None:
    table = PrimeTable(PRIMES)
    drawn = [table.new_private_key() for _ in range(2000)]
    assert len({key.public_key().public_numbers().n for key in drawn}) == 2000
    assert len({kid(key) for key in drawn}) == 2000
    assert table.drawn == 2000


def test_the_module_level_draws_never_repeat_either() -> None:
    drawn = [new_private_key() for _ in range(50)]
    assert len({key.public_key().public_numbers().n for key in drawn}) == 50


def test_a_small_table_hands_out_every_pair_once_then_generates() -> None:
    small = PRIMES[:6]  # 15 pairs
    table = PrimeTable(small, offset=13)  # starts near the end, so the draws wrap around
    assert table.pairs == 15
    pairs = [primes_of(table.new_private_key()) for _ in range(15)]
    assert len(set(pairs)) == 15
    assert all(len(pair) == 2 and pair <= set(small) for pair in pairs)

    fallback = table.new_private_key()  # exhausted: generated, so slow but still distinct
    assert not primes_of(fallback) & set(PRIMES)
    assert fallback.key_size == 2048
    assert fallback.public_key().public_numbers().e == E
    validated(fallback)
    verifier = pyjwt.PyJWK(public_jwk(fallback), algorithm="RS256")
    token = pyjwt.encode({"n": 1}, fallback, algorithm="RS256")
    assert pyjwt.decode(token, verifier, algorithms=["RS256"]) == {"n": 1}


def test_the_offset_picks_the_first_pair_and_defaults_to_random() -> None:
    assert primes_of(PrimeTable(PRIMES, offset=0).new_private_key()) == {PRIMES[0], PRIMES[1]}
    assert primes_of(PrimeTable(PRIMES, offset=2).new_private_key()) == {PRIMES[1], PRIMES[2]}
    assert primes_of(PrimeTable(PRIMES, offset=3).new_private_key()) == {PRIMES[0], PRIMES[3]}
    last = PrimeTable(PRIMES, offset=-1)  # the far end of the order, then around to the start
    assert primes_of(last.new_private_key()) == {PRIMES[-1], PRIMES[-2]}
    assert primes_of(last.new_private_key()) == {PRIMES[0], PRIMES[1]}
    # Twenty default tables all starting at the same pair: a chance of (1/523,776)^19.
    assert len({PrimeTable(PRIMES).offset for _ in range(20)}) > 1


def test_a_table_needs_two_primes() -> None:
    with pytest.raises(ValueError, match="at least two primes"):
        PrimeTable(PRIMES[:1])


def test_concurrent_draws_never_repeat() -> None:
    table = PrimeTable(PRIMES)
    threads, per_thread = 8, 100
    start = threading.Barrier(threads)
    found: list[list[int]] = [[] for _ in range(threads)]

    def draw(slot: int) -> None:
        start.wait()
        for _ in range(per_thread):
            found[slot].append(table.new_private_key().public_key().public_numbers().n)

    workers = [threading.Thread(target=draw, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    moduli = [n for part in found for n in part]
    assert len(moduli) == threads * per_thread
    assert len(set(moduli)) == threads * per_thread
    assert table.drawn == threads * per_thread


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_draw_its_parents_next_keys() -> None:
    new_private_key()  # the process's table is loaded before the fork
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its draw and its table's counter, then leave at once
        try:
            key = new_private_key()
            report = f"{key.public_key().public_numbers().n} {rsa_keys._shared_table().drawn}"
            os.write(write, report.encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        child_n, child_drawn = map(int, pipe.read().split())
    os.waitpid(pid, 0)
    parent_n = new_private_key().public_key().public_numbers().n
    assert child_drawn == 1  # the child started its own count...
    assert child_n != parent_n  # ...at a new random offset (same pair: a 1 in 523,776 chance)
