"""transports/fragments.py writes the same bytes as the plain encoder, only sooner."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_mock import CognitoMock, dispatch, minted
from cognito_mock.transports import fragments, wire
from tests.helpers import PASSWORD, confirmed_user

LONG_TEXT = st.one_of(
    st.text(min_size=60, max_size=200),
    # ASCII with one character json must escape somewhere: the copy must not take it.
    st.tuples(
        st.from_regex(r"[ -~]{65,120}", fullmatch=True), st.sampled_from('"\\\x00\x1f\n')
    ).map(lambda pair: pair[0][:30] + pair[1] + pair[0][30:]),
    st.from_regex(r"[A-Za-z0-9._-]{65,300}", fullmatch=True),
)
VALUES = st.one_of(LONG_TEXT, st.text(max_size=10), st.integers(), st.booleans(), st.floats())


@settings(max_examples=200)
@given(
    tokens=st.dictionaries(st.sampled_from(["AccessToken", "IdToken", "RefreshToken"]), VALUES),
    session=st.none() | LONG_TEXT,
    device=st.none() | st.dictionaries(st.text(max_size=5), LONG_TEXT, max_size=2),
)
def test_token_answers_are_the_plain_encoders_bytes(
    tokens: dict[str, Any], session: str | None, device: dict[str, str] | None
) -> None:
    result: dict[str, Any] = {"ChallengeParameters": {"USER_ID_FOR_SRP": 'é"x'}}
    if session is not None:
        result["Session"] = session
    if tokens or session is None:
        result["AuthenticationResult"] = {**tokens, "ExpiresIn": 3600}
        if device is not None:
            result["AuthenticationResult"]["NewDeviceMetadata"] = device
    answer = fragments.encode_result(result, "rid")
    assert answer.body == wire.encode_result(result, "rid").body
    assert answer.headers == {"Content-Type": wire.CONTENT_TYPE, "x-amzn-RequestId": "rid"}


def test_a_sign_in_answer_over_the_wire_reads_back_as_the_tokens() -> None:
    mock = CognitoMock()
    _, client_id = confirmed_user(mock, "alice")
    request = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": client_id,
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD},
    }
    body = json.dumps(request).encode()
    answer = mock.handle_wire("AWSCognitoIdentityProviderService.InitiateAuth", body)
    tokens = json.loads(answer.body)["AuthenticationResult"]
    assert set(tokens) == {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"}
    user = mock.call("GetUser", AccessToken=tokens["AccessToken"])
    assert user["Username"] == "alice"


def test_a_finished_sign_in_is_written_in_one_step_with_the_plain_encoders_bytes() -> None:
    mock = CognitoMock()
    _, client_id = confirmed_user(mock, "alice")
    # The memory of minted tokens one short of full: it turns over in the middle of the sign-in,
    # between the refresh token and the two JWTs, and must still know all three.
    while len(minted._made) != minted._LIMIT - 1:
        minted.minted(f"filler.{len(minted._made)}")
    result = dispatch.invoke(
        mock.backend(), "InitiateAuth",
        {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
         "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD}},
    )  # fmt: skip
    plain = wire.encode_result(result, "rid").body
    assert fragments._signed_in(result) == plain
    assert fragments.encode_result(result, "rid").body == plain
    # Copies of the tokens are not known to be minted: the member-by-member path, same bytes.
    tokens = {key: "".join(value) if type(value) is str else value
              for key, value in result["AuthenticationResult"].items()}  # fmt: skip
    copied = {**result, "AuthenticationResult": tokens}
    assert fragments._signed_in(copied) is None
    assert fragments.encode_result(copied, "rid").body == plain
    # Any other shape is not this answer's: a challenge parameter, a missing refresh token.
    for other in (
        {**result, "ChallengeParameters": {"A": "b"}},
        {**result, "AuthenticationResult": {k: v for k, v in result["AuthenticationResult"].items()
                                            if k != "RefreshToken"}},
    ):  # fmt: skip
        assert fragments._signed_in(other) is None
        assert fragments.encode_result(other, "rid").body == wire.encode_result(other, "rid").body
