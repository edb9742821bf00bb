"""minted.py: tokens remembered by identity are made of base64url characters and dots, and only
the very object minted is trusted; everything else is scanned as before."""

from __future__ import annotations

import json
import re

import pytest

from cognito_mock import CognitoMock, minted
from cognito_mock.errors import ContractViolation
from cognito_mock.transports import fragments, wire
from cognito_mock.validation import validate_response
from cognito_mock.validation.compiled import compiled
from tests.helpers import PASSWORD, confirmed_user

TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_.-]+")


def _signed_in(mock: CognitoMock) -> dict[str, str]:
    _, client_id = confirmed_user(mock, "ann")
    result = mock.call(
        "InitiateAuth",
        AuthFlow="USER_PASSWORD_AUTH",
        ClientId=client_id,
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )
    tokens: dict[str, str] = result["AuthenticationResult"]
    refreshed = mock.call(
        "InitiateAuth",
        AuthFlow="REFRESH_TOKEN_AUTH",
        ClientId=client_id,
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    return {**tokens, "RefreshedAccess": refreshed["AccessToken"]}


def test_every_minted_string_is_made_of_the_token_alphabet() -> None:
    """What the response check and the encoder skip must hold by construction: this fails if a
    maker ever remembers a string with any other character."""
    tokens = _signed_in(CognitoMock())
    for name in ("AccessToken", "IdToken", "RefreshToken", "RefreshedAccess"):
        assert minted.is_minted(tokens[name]), name
    remembered = [*minted._made.values(), *minted._older.values()]
    assert remembered
    assert all(TOKEN_CHARACTERS.fullmatch(text) for text in remembered)
    assert all(set(text) <= minted.ALPHABET for text in remembered)


def test_only_the_object_minted_is_trusted() -> None:
    token = _signed_in(CognitoMock())["AccessToken"]
    copy = "".join(list(token))
    assert copy == token and copy is not token
    assert not minted.is_minted(copy)
    assert not minted.is_minted(token.encode())
    assert not minted.is_minted(None)


def test_a_string_not_minted_is_still_checked_and_refused() -> None:
    """A token-like answer that no maker built goes through the pattern check as before."""
    check = compiled("AuthenticationResultType", True)
    good = {"AccessToken": "".join(list("abc.def-ghi_" * 10)), "TokenType": "Bearer"}
    assert check(good)
    bad = {"AccessToken": "abc.def" * 10 + '"', "TokenType": "Bearer"}
    assert not check(bad)
    with pytest.raises(ContractViolation):
        validate_response("InitiateAuth", {"AuthenticationResult": bad})


def test_the_memory_forgets_when_full_and_stays_exact() -> None:
    kept = [minted.minted(f"token.{n}") for n in range(3 * minted._LIMIT)]
    assert len(minted._made) <= minted._LIMIT and len(minted._older) <= minted._LIMIT
    # The newest generation and the one before it are known: a turnover in the middle of a
    # sign-in does not forget the tokens it minted first.
    assert all(minted.is_minted(text) for text in kept[-minted._LIMIT - 1 :])
    assert not minted.is_minted(kept[0])  # forgotten: checked by scanning again, never trusted


def test_minted_tokens_are_written_byte_for_byte_as_json_writes_them() -> None:
    tokens = _signed_in(CognitoMock())
    result = {
        "ChallengeParameters": {},
        "AuthenticationResult": {
            "AccessToken": tokens["AccessToken"],
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
            "RefreshToken": tokens["RefreshToken"],
            "IdToken": tokens["IdToken"],
        },
    }
    fast = fragments.encode_result(result, "rid").body
    assert fast == wire.encode_result(result, "rid").body
    assert json.loads(fast) == result
