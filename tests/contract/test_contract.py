"""The contract suite: every implemented operation driven by the strategies.

Valid requests get a model-valid answer or an error the operation declares (the mock validates its
own answers, so a handler outside the model raises ContractViolation and fails); invalid requests get
InvalidParameterException naming the broken member; nothing else ever escapes (no crash).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_mock import CognitoMock, ManualClock, dispatch
from cognito_mock.backend.kernel.registry import registered
from cognito_mock.errors import InvalidParameterException, ServiceError
from cognito_mock.shapes import operation, operation_names, schema_document
from cognito_mock.strategies import InvalidRequest, from_operation, minimal_value
from cognito_mock.validation import validate_request
from tests.helpers import PASSWORD

IMPLEMENTED = registered()
DEFS = schema_document()["$defs"]
# A fifth of the profile's examples per operation: `ci` runs 8, `dev` 20 (see the root conftest).
EXAMPLES = max(5, settings.default.max_examples // 5)
CONTRACT = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_MODEL_ERROR = re.compile(r"^\d+ validation errors? detected: ")


def _invoke(mock: CognitoMock, op: str, request: dict[str, Any]) -> dict[str, Any] | ServiceError:
    """Run one wire-form request; a declared service error is an answer, anything else propagates."""
    try:
        return dispatch.invoke(mock.backend(), op, request)
    except ServiceError as error:
        return error


def _assert_valid_answer(op: str, answer: dict[str, Any] | ServiceError) -> None:
    # dispatch already checked the response / error against the model; a valid request must not
    # be refused by the model check itself.
    if isinstance(answer, InvalidParameterException):
        assert not _MODEL_ERROR.match(answer.message), f"{op}: valid request refused: {answer}"


@pytest.mark.parametrize("op", IMPLEMENTED)
def test_valid_requests_get_model_answers(op: str) -> None:
    mock = CognitoMock(clock=ManualClock(1_790_000_000.0), seed=7)

    @CONTRACT
    @given(from_operation(op))
    def check(request: dict[str, Any]) -> None:
        _assert_valid_answer(op, _invoke(mock, op, request))

    check()


def _world() -> tuple[CognitoMock, dict[str, str]]:
    """A mock with a pool, a client, a confirmed user in a group and that user's access token."""
    mock = CognitoMock(clock=ManualClock(1_790_000_000.0), seed=11)
    pool = mock.call("CreateUserPool", PoolName="contract")["UserPool"]["Id"]
    client = mock.call(
        "CreateUserPoolClient",
        UserPoolId=pool,
        ClientName="contract",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]["ClientId"]
    mock.call("AdminCreateUser", UserPoolId=pool, Username="carol", MessageAction="SUPPRESS")
    mock.call(
        "AdminSetUserPassword", UserPoolId=pool, Username="carol", Password=PASSWORD, Permanent=True
    )
    mock.call("CreateGroup", UserPoolId=pool, GroupName="staff")
    mock.call("AdminAddUserToGroup", UserPoolId=pool, Username="carol", GroupName="staff")
    token = mock.call(
        "AdminInitiateAuth",
        UserPoolId=pool,
        ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]
    real = {
        "UserPoolId": pool,
        "ClientId": client,
        "Username": "carol",
        "GroupName": "staff",
        "AccessToken": token,
    }
    return mock, real


def _substituted(
    op: str, request: dict[str, Any], real: dict[str, str], keep: Any
) -> dict[str, Any]:
    """`request` with the real ids in the members that name them (each kept random if `keep`)."""
    members = DEFS[operation(op).input]["properties"]
    out = dict(request)
    required = DEFS[operation(op).input].get("required", [])
    for name, value in real.items():
        if name in members and (name in out or name in required) and not keep(name):
            out[name] = value
    return out


@pytest.mark.parametrize("op", IMPLEMENTED)
def test_valid_requests_against_real_resources(op: str) -> None:
    @CONTRACT
    @given(from_operation(op), st.sets(st.sampled_from(["UserPoolId", "ClientId", "Username"])))
    def check(request: dict[str, Any], random_ids: set[str]) -> None:
        mock, real = _world()
        request = _substituted(op, request, real, random_ids.__contains__)
        _assert_valid_answer(op, _invoke(mock, op, request))

    check()


@pytest.mark.parametrize("op", IMPLEMENTED)
def test_invalid_requests_name_the_broken_member(op: str) -> None:
    mock = CognitoMock(clock=ManualClock(1_790_000_000.0), seed=3)

    @CONTRACT
    @given(from_operation(op, mode="invalid"))
    def check(case: InvalidRequest) -> None:
        answer = _invoke(mock, op, case.request)
        assert isinstance(answer, InvalidParameterException), (op, case, answer)
        assert f"at '{case.path}' failed to satisfy constraint: {case.constraint}" in answer.message
        assert answer.message == case.message

    check()


def _enum_sites(shape: str, depth: int = 0) -> list[tuple[tuple[Any, ...], list[str]]]:
    """(path, enum values) for every enum reachable from `shape` (list items at index 0)."""
    schema = DEFS[shape]
    if "enum" in schema:
        return [((), schema["enum"])]
    if depth > 8:
        return []
    out: list[tuple[tuple[Any, ...], list[str]]] = []
    kind = schema.get("type")
    if kind == "array":
        item = schema["items"]["$ref"].rsplit("/", 1)[-1]
        out += [((0, *p), values) for p, values in _enum_sites(item, depth + 1)]
    elif kind == "object" and "properties" in schema:
        for name, ref in schema["properties"].items():
            member = ref["$ref"].rsplit("/", 1)[-1]
            out += [((name, *p), values) for p, values in _enum_sites(member, depth + 1)]
    return out


def _with(shape: str, base: Any, path: tuple[Any, ...], value: Any) -> Any:
    """`base` (a valid value of `shape`) with `value` placed at `path`, building what is missing."""
    if not path:
        return value
    schema = DEFS[shape]
    head, rest = path[0], path[1:]
    if schema.get("type") == "array":
        item = schema["items"]["$ref"].rsplit("/", 1)[-1]
        current = base[0] if base else minimal_value(item)
        return [_with(item, current, rest, value), *base[1:]]
    member = schema["properties"][head]["$ref"].rsplit("/", 1)[-1]
    current = base.get(head, minimal_value(member))
    return {**base, head: _with(member, current, rest, value)}


@pytest.mark.parametrize("op", operation_names())
def test_every_enum_value_is_accepted(op: str) -> None:
    shape = operation(op).input
    base = minimal_value(shape)
    for path, values in _enum_sites(shape):
        for value in values:
            validate_request(op, _with(shape, base, path, value))  # raises if refused


def test_the_suite_covers_every_implemented_operation() -> None:
    assert len(IMPLEMENTED) >= 50
    assert set(IMPLEMENTED) <= set(operation_names())
    assert sum(len(_enum_sites(operation(op).input)) for op in operation_names()) > 100
