"""The operation classification the pool-wide rules share names only model operations, and every
write to user data that changes an existing entity has a recorder for the recovery history."""

from __future__ import annotations

from cognito_mock.backend import handlers  # noqa: F401  (registers every recorder)
from cognito_mock.backend.kernel import guards
from cognito_mock.backend.kernel.operation_kinds import (
    END_USER,
    USER_WRITES,
    declares,
    is_read,
    writes_user_data,
)
from cognito_mock.shapes import operation_names

# Writes that only create (their creation time is their history) or import new users.
CREATIONS = {
    "AdminCreateUser",
    "SignUp",
    "CreateGroup",
    "CreateUserImportJob",
    "StartUserImportJob",
}


def test_names_are_model_operations():
    names = set(operation_names())
    for kind in (USER_WRITES, END_USER, set(guards._RECORDERS)):
        assert kind <= names
    assert not USER_WRITES & END_USER


def test_every_changing_write_is_recorded():
    assert set(guards._RECORDERS) >= USER_WRITES - CREATIONS


def test_every_user_write_can_be_refused():
    """The guards answer OperationNotEnabledException; each write to user data declares it."""
    assert all(declares(name, "OperationNotEnabledException") for name in USER_WRITES)


def test_kinds():
    assert is_read("AdminGetUser") and is_read("ListUsers") and is_read("DescribeUserPool")
    assert not is_read("GetUser") and not is_read("AdminCreateUser")
    assert writes_user_data("RespondToAuthChallenge", {"ChallengeName": "NEW_PASSWORD_REQUIRED"})
    assert not writes_user_data("RespondToAuthChallenge", {"ChallengeName": "EMAIL_OTP"})
    assert writes_user_data("AdminUpdateUserAttributes", {})
    assert not writes_user_data("InitiateAuth", {})
