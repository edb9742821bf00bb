"""Generated temporary passwords: the pool's policy, every class, uniform characters, seeds."""

from __future__ import annotations

import collections
import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_mock import CognitoMock
from cognito_mock.backend.directory.passwords import check_password, generate_temporary_password
from cognito_mock.ids import Ids

SYMBOLS = "^$*.[]{}()?!@#%&/,><:;|_~=+-"


def _pool(mock: CognitoMock, minimum: int = 8) -> object:
    policy = {"PasswordPolicy": {"MinimumLength": minimum}}
    pool_id = mock.call("CreateUserPool", PoolName="p", Policies=policy)["UserPool"]["Id"]
    return mock.backend().pool(pool_id)


@settings(max_examples=40)
@given(minimum=st.integers(6, 99), seed=st.integers(0, 2**32))
def test_every_password_holds_every_class_and_passes_the_policy(minimum: int, seed: int) -> None:
    mock = CognitoMock()
    pool = _pool(mock, minimum)
    password = generate_temporary_password(pool, Ids(seed))  # type: ignore[arg-type]
    assert len(password) == max(minimum, 12)
    assert re.fullmatch(f"[A-Za-z0-9{re.escape(SYMBOLS)}]+", password)
    assert re.search("[A-Z]", password) and re.search("[a-z]", password)
    assert re.search("[0-9]", password) and re.search(f"[{re.escape(SYMBOLS)}]", password)
    check_password(pool, password)  # type: ignore[arg-type]  # raises if the policy refuses it


def test_characters_are_uniform_within_each_class() -> None:
    """2,000 passwords of 12 characters. Requiring every class favours the small ones (digits),
    but within a class every character is equally likely: each within 25% of its class's mean
    (about 4 standard deviations). Taking bytes modulo 90 without rejection would favour the
    first 76 characters 3:2, the first half of the symbols over the second, and fail here."""
    mock = CognitoMock()
    pool = _pool(mock)
    ids = Ids(7)
    text = "".join(generate_temporary_password(pool, ids) for _ in range(2000))  # type: ignore[arg-type]
    counts = collections.Counter(text)
    for alphabet in (string.ascii_uppercase, string.ascii_lowercase, string.digits, SYMBOLS):
        mean = sum(counts[char] for char in alphabet) / len(alphabet)
        assert all(abs(counts[char] - mean) < 0.25 * mean for char in alphabet), (
            alphabet, [counts[char] for char in alphabet],
        )  # fmt: skip
    assert set(counts) <= set(string.ascii_letters + string.digits + SYMBOLS)


def test_every_position_takes_every_class() -> None:
    """No class is pinned to a position: the first and last characters are symbols about as
    often as the alphabet's share of symbols (28 of 90)."""
    mock = CognitoMock()
    pool = _pool(mock)
    ids = Ids(11)
    passwords = [generate_temporary_password(pool, ids) for _ in range(3000)]  # type: ignore[arg-type]
    for position in (0, 11):
        share = sum(p[position] in SYMBOLS for p in passwords) / len(passwords)
        assert 0.25 < share < 0.37, (position, share)


def test_a_seed_replays_the_same_passwords_and_the_os_does_not() -> None:
    mock = CognitoMock()
    pool = _pool(mock)
    first = [generate_temporary_password(pool, Ids(3)) for _ in range(2)]  # type: ignore[arg-type]
    assert first[0] == first[1]
    unseeded = Ids()
    assert len({generate_temporary_password(pool, unseeded) for _ in range(50)}) == 50  # type: ignore[arg-type]
