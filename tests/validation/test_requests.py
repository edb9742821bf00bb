"""Every operation's request validation, generated from the index: the minimal request passes, and each
broken member (missing, bad pattern, too long, bad enum) gets the service's exact message."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_mock.errors import InvalidParameterException
from cognito_mock.shapes import operation, operation_names, schema_document
from cognito_mock.strategies import minimal_value, pattern_breaker, string_example
from cognito_mock.validation import validate_request
from cognito_mock.validation.compiled import member_shape
from cognito_mock.validation.messages import ECHO_LIMIT

DEFS = schema_document()["$defs"]


def _member_schema(op: str, member: str) -> dict[str, Any]:
    """The schema the validator checks the member against (REQUEST_OVERRIDES applied)."""
    shape = operation(op).input
    return DEFS[member_shape(shape, member, DEFS[shape]["properties"][member], False)]


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _cases(kind: str) -> list[Any]:
    out = []
    for op in operation_names():
        shape = DEFS[operation(op).input]
        for member in shape["properties"]:
            schema = _member_schema(op, member)
            if schema.get("type") != "string":
                if kind == "required" and member in shape.get("required", []):
                    out.append(pytest.param(op, member, id=f"{op}.{member}"))
                continue
            wanted = {
                "required": member in shape.get("required", []),
                "pattern": "pattern" in schema,
                "max": "maxLength" in schema and "enum" not in schema,
                "enum": "enum" in schema,
            }[kind]
            if wanted:
                out.append(pytest.param(op, member, id=f"{op}.{member}"))
    return out


def _message(op: str, request: dict[str, Any]) -> str:
    with pytest.raises(InvalidParameterException) as caught:
        validate_request(op, request)
    return caught.value.message


def _subject(op: str, member: str, value: str) -> str:
    sensitive = _member_schema(op, member).get("x-aws-sensitive")
    where = _camel(member)
    return f"Value at '{where}'" if sensitive else f"Value '{value}' at '{where}'"


@pytest.mark.parametrize("op", operation_names())
def test_minimal_request_passes(op: str) -> None:
    request = minimal_value(operation(op).input)
    validate_request(op, request)  # raises on failure
    assert set(request) == set(DEFS[operation(op).input].get("required", []))


@pytest.mark.parametrize(("op", "member"), _cases("required"))
def test_missing_required_member(op: str, member: str) -> None:
    request = minimal_value(operation(op).input)
    del request[member]
    assert _message(op, request) == (
        f"1 validation error detected: Value null at '{_camel(member)}' "
        "failed to satisfy constraint: Member must not be null"
    )


@pytest.mark.parametrize(("op", "member"), _cases("pattern"))
def test_pattern_violation(op: str, member: str) -> None:
    schema = _member_schema(op, member)
    bad = pattern_breaker(schema["pattern"], schema.get("minLength", 0), schema.get("maxLength"))
    if bad is None:  # `(?s).*` and friends match every string
        pytest.skip("pattern accepts every string of an allowed length")
    request = {**minimal_value(operation(op).input), member: bad}
    assert _message(op, request) == (
        f"1 validation error detected: {_subject(op, member, bad)} failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {schema['x-java-pattern']}"
    )


@pytest.mark.parametrize(("op", "member"), _cases("max"))
def test_too_long(op: str, member: str) -> None:
    schema = _member_schema(op, member)
    longest = schema["maxLength"]
    clause = (
        f"{_subject(op, member, '@')} failed to satisfy constraint: "
        f"Member must have length less than or equal to {longest}"
    )
    try:
        value = string_example(schema.get("pattern"), longest + 1, None)
    except ValueError:
        # The pattern itself bounds the length (a UUID, a domain label): both constraints break.
        value = "a" * (longest + 1)
        message = _message(op, {**minimal_value(operation(op).input), member: value})
        assert message.startswith("2 validation errors detected: ")
        assert clause.replace("'@'", f"'{value}'") in message
        return
    request = {**minimal_value(operation(op).input), member: value}
    # Echoes are cut to a bounded prefix (ECHO_LIMIT characters, then `...`).
    echoed = value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "..."
    assert _message(op, request) == "1 validation error detected: " + clause.replace(
        "'@'", f"'{echoed}'"
    )


@pytest.mark.parametrize(("op", "member"), _cases("enum"))
def test_unknown_enum_value(op: str, member: str) -> None:
    schema = _member_schema(op, member)
    request = {**minimal_value(operation(op).input), member: "NOT_A_MODEL_VALUE"}
    assert _message(op, request) == (
        f"1 validation error detected: {_subject(op, member, 'NOT_A_MODEL_VALUE')} failed to "
        f"satisfy constraint: Member must satisfy enum value set: [{', '.join(schema['enum'])}]"
    )


def test_every_case_family_is_populated() -> None:
    assert len(_cases("required")) > 150
    assert len(_cases("pattern")) > 150
    assert len(_cases("max")) > 150
    assert len(_cases("enum")) > 20


def test_several_violations_are_counted_and_joined_in_member_order() -> None:
    message = _message("AdminGetUser", {"UserPoolId": "bad id"})
    assert message == (
        "2 validation errors detected: Value 'bad id' at 'userPoolId' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+; "
        "Value null at 'username' failed to satisfy constraint: Member must not be null"
    )


def test_a_value_breaking_two_constraints_reports_both() -> None:
    message = _message("VerifySoftwareToken", {"UserCode": "Aaaa"})
    assert message.startswith("2 validation errors detected: ")
    assert "Member must have length greater than or equal to 6" in message
    assert "Member must satisfy regular expression pattern: [0-9]+" in message
    assert "Aaaa" not in message  # UserCode is sensitive: never echoed


def test_list_members_use_one_based_member_paths() -> None:
    request = {
        "UserPoolId": "us-east-1_abc",
        "Username": "bob",
        "UserAttributes": [{"Name": "email", "Value": "a@b.c"}, {"Name": ""}],
    }
    message = _message("AdminCreateUser", request)
    assert "at 'userAttributes.2.member.name' failed to satisfy constraint: " in message
    assert "Member must have length greater than or equal to 1" in message


def test_sensitive_values_are_never_echoed() -> None:
    message = _message(
        "SignUp", {"ClientId": "abc", "Username": "bob", "Password": " secret with spaces "}
    )
    assert "secret" not in message
    assert "Value at 'password' failed to satisfy constraint" in message


def test_unknown_member_is_rejected_and_out_of_range_numbers_named() -> None:
    # A wrong JSON type is the deserializer's SerializationException (test_deserialize.py).
    message = _message("AdminGetUser", {"UserPoolId": "us-east-1_a", "Username": "b", "Extra": 1})
    assert message.startswith("1 validation error detected: Value '1' at 'extra'")
    assert "expected one of [UserPoolId, Username]" in message
    message = _message("ListUsers", {"UserPoolId": "us-east-1_a", "Limit": 61})
    assert message.endswith("Member must have value less than or equal to 60")
