"""Hostile input in-process (issue 11): every operation, through `mock.call` and `dispatch.invoke`,
answers a hostile request with success or a service error it may send, never another exception
(no TypeError, RecursionError, UnicodeEncodeError, ContractViolation ...), and the pool it hit keeps
serving: its users still list and encode on the wire afterwards."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_mock import dispatch
from cognito_mock.errors import OperationNotImplementedError, ServiceError
from cognito_mock.shapes import operation, operation_names
from cognito_mock.validation import UNDECLARED_ERRORS
from tests.hostile.hostile import IMPLEMENTED, World, Worlds, hostile_requests

TARGET = "AWSCognitoIdentityProviderService."
# A third of the profile's examples per operation: `ci` runs 13, `dev` 33 (see the root conftest).
HOSTILE = settings(
    max_examples=max(5, settings.default.max_examples // 3),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROTOCOL_ERRORS = frozenset({"SerializationException"})


def allowed(op: str, code: str) -> bool:
    """An error the operation may answer: declared, the protocol's own, or a known extra."""
    return (
        code in operation(op).errors or code in PROTOCOL_ERRORS or (op, code) in UNDECLARED_ERRORS
    )


def answer(world: World, op: str, request: Any, native: bool) -> None:
    """One call; fails the test on anything but success or an allowed service error."""
    try:
        if native and isinstance(request, dict):
            world.mock.call(op, request)
        else:
            dispatch.invoke(world.mock.backend(), op, request)
    except ServiceError as error:
        assert allowed(op, error.code), f"{op} answered {error.code}: {error.message!r}"
        assert error.message is None or isinstance(error.message, str)
    except OperationNotImplementedError:
        assert op not in IMPLEMENTED


def still_serves(world: World) -> None:
    """The pool's users list and encode on the wire (a poisoned store fails here)."""
    pool = world.real["UserPoolId"]
    for name, body in (
        ("ListUsers", {"UserPoolId": pool}),
        ("AdminGetUser", {"UserPoolId": pool, "Username": world.real["Username"]}),
        ("ListGroups", {"UserPoolId": pool}),
    ):
        response = world.mock.handle_wire(TARGET + name, json.dumps(body).encode(), "us-east-1")
        assert response.status < 500, response.body
        json.loads(response.body)


@pytest.fixture(scope="module")
def worlds() -> Worlds:
    """One populated mock for the module: hostile requests rarely change it, and a request
    that deletes its pool makes a new one (the state it leaves is part of what is tested)."""
    return Worlds()


@pytest.mark.parametrize("op", operation_names())
def test_hostile_requests_get_service_answers(worlds: Worlds, op: str) -> None:
    @HOSTILE
    @given(data=st.data(), native=st.booleans())
    def check(data: st.DataObject, native: bool) -> None:
        world = worlds.get()
        answer(world, op, data.draw(hostile_requests(op, world), "request"), native)
        still_serves(world)

    check()
