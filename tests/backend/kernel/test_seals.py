"""Seals: a handle's bytes carry a MAC only the mock that issued it can compute."""

from __future__ import annotations

from cognito_mock import CognitoMock
from cognito_mock.backend.kernel.state import sealed


def test_the_same_seeded_bytes_seal_differently_in_each_mock_and_for_each_purpose():
    first, second = CognitoMock(seed=7).backend(), CognitoMock(seed=7).backend()
    raw = first.ids.token_bytes(100)
    assert raw == second.ids.token_bytes(100)  # the seed gives both mocks the same bytes
    mine = sealed(first, "refresh", raw)
    assert len(mine) == len(raw) and mine[:-16] == raw[:-16]
    assert mine == sealed(first, "refresh", raw)  # the same mock seals the same way
    assert mine[-16:] != sealed(second, "refresh", raw)[-16:]
    assert mine[-16:] != sealed(first, "session", raw)[-16:]
    assert mine[-16:] != sealed(first, "refresh", b"x" + raw[1:])[-16:]
