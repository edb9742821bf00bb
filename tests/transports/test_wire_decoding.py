"""Request bodies: long flat bodies parsed again are answered from memory, as parsing would."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_mock.errors import WireError
from cognito_mock.transports import wire

TARGET = "AWSCognitoIdentityProviderService.GetUser"
scalars = st.one_of(
    st.text(min_size=200, max_size=400), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(),
)  # fmt: skip


def parsed(body: bytes) -> object:
    try:
        return wire.decode_request(TARGET, body)
    except WireError as error:
        return ("error", error.code, error.message)


@settings(max_examples=60)
@given(members=st.dictionaries(st.text(max_size=8), scalars | st.lists(st.integers())))
def test_a_body_parsed_again_gives_what_parsing_gives(members: dict) -> None:
    body = json.dumps(members).encode()
    first, second = parsed(body), parsed(body)
    assert first == second == ("GetUser", members)


def test_each_caller_gets_its_own_dict() -> None:
    body = json.dumps({"AccessToken": "a" * 600}).encode()
    for _ in range(3):  # parsed, then remembered: each answer edited by its caller
        operation, params = wire.decode_request(TARGET, body)
        assert (operation, params) == ("GetUser", {"AccessToken": "a" * 600})
        params["AccessToken"] = "changed"
        params["Extra"] = 1


def test_a_body_with_nested_values_is_never_remembered() -> None:
    body = json.dumps({"UserAttributes": [{"Name": "a", "Value": "b" * 600}]}).encode()
    _, first = wire.decode_request(TARGET, body)
    first["UserAttributes"][0]["Value"] = "changed"  # a handler may edit what it was given
    assert wire.decode_request(TARGET, body)[1]["UserAttributes"][0]["Value"] == "b" * 600


@pytest.mark.parametrize(
    "body", [b"{" + b" " * 300, b"[" + b"1," * 200 + b"1]", b'"' + b"x" * 300 + b'"']
)
def test_bad_long_bodies_are_refused_every_time(body: bytes) -> None:
    for _ in range(2):
        with pytest.raises(WireError) as raised:
            wire.decode_request(TARGET, body)
        assert raised.value.code == "SerializationException"
