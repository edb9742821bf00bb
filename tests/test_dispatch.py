"""The request path: contract checks on responses and errors, the registry, unimplemented operations."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_mock import CognitoMock, ContractViolation, OperationNotImplementedError
from cognito_mock.backend.kernel import registry
from cognito_mock.errors import (
    InvalidParameterException,
    ResourceNotFoundException,
    ServiceError,
    UnknownOperationError,
    UserNotFoundException,
    service_error_class,
)
from cognito_mock.shapes import index, operation_names


@pytest.fixture
def swap_handler(monkeypatch: pytest.MonkeyPatch) -> Any:
    def swap(name: str, func: Any) -> None:
        monkeypatch.setitem(registry._HANDLERS, name, func)

    return swap


def test_a_response_outside_the_model_is_a_contract_violation(
    mock: CognitoMock, swap_handler: Any
) -> None:
    swap_handler("ListUserPools", lambda backend, request: {"UserPools": [{"Id": "bad id"}]})
    with pytest.raises(ContractViolation) as caught:
        mock.call("ListUserPools", MaxResults=10)
    text = str(caught.value)
    assert text.startswith("ListUserPools: response outside the model")
    assert "$.UserPools[0].Id" in text
    assert "Member must satisfy regular expression pattern" in text
    assert isinstance(caught.value, AssertionError)


def test_an_undeclared_error_is_a_contract_violation(mock: CognitoMock, swap_handler: Any) -> None:
    def raises(backend: Any, request: Any) -> Any:
        raise UserNotFoundException("User does not exist.")

    swap_handler("ListUserPools", raises)  # ListUserPools does not declare UserNotFoundException
    with pytest.raises(ContractViolation, match=r"raised UserNotFoundException.*does not declare"):
        mock.call("ListUserPools", MaxResults=10)


def test_a_declared_error_passes_through(mock: CognitoMock) -> None:
    with pytest.raises(ResourceNotFoundException) as caught:
        mock.call("DescribeUserPool", UserPoolId="us-east-1_missing")
    assert caught.value.message == "User pool us-east-1_missing does not exist."
    assert caught.value.code == "ResourceNotFoundException"
    assert caught.value.status == 400


def test_an_operation_without_output_must_return_nothing(
    mock: CognitoMock, swap_handler: Any
) -> None:
    swap_handler("DeleteUserPool", lambda backend, request: {"Echo": 1})
    with pytest.raises(ContractViolation, match="declares no output"):
        mock.call("DeleteUserPool", UserPoolId="us-east-1_a")


def test_validation_can_be_turned_off_per_instance(swap_handler: Any) -> None:
    swap_handler("ListUserPools", lambda backend, request: {"UserPools": [{"Id": "bad id"}]})
    lenient = CognitoMock(validate=False)
    assert lenient.call("ListUserPools", MaxResults=1000)["UserPools"][0]["Id"] == "bad id"
    with pytest.raises(InvalidParameterException, match="'maxResults' failed to satisfy"):
        CognitoMock().call("ListUserPools", MaxResults=1000)


def test_unimplemented_and_unknown_operations_say_so(mock: CognitoMock, swap_handler: Any) -> None:
    registry._HANDLERS.pop("AdminGetUser")  # the fixture-free way: restore below
    try:
        with pytest.raises(OperationNotImplementedError, match="does not implement AdminGetUser"):
            mock.call("AdminGetUser", UserPoolId="us-east-1_a", Username="b")
        # The contract comes first: a bad request is refused as the service would, handler or not.
        with pytest.raises(InvalidParameterException, match="at 'userPoolId' failed to satisfy"):
            mock.call("AdminGetUser", UserPoolId="not a pool", Username="b")
    finally:
        from cognito_mock.backend.directory.admin import admin_get_user

        registry._HANDLERS["AdminGetUser"] = admin_get_user
    with pytest.raises(UnknownOperationError, match="not an operation"):
        mock.call("AdminFlyToTheMoon")


def test_registry_refuses_duplicates_and_unknown_names() -> None:
    with pytest.raises(ValueError, match="already has a handler"):
        registry.operation("CreateUserPool")
    with pytest.raises(ValueError, match="not an operation"):
        registry.operation("CreateUserPoolz")


def test_registered_operations_are_model_operations() -> None:
    assert set(registry.registered()) <= set(operation_names())
    assert len(operation_names()) == 153


def test_one_error_class_per_model_error_with_the_model_status() -> None:
    errors = index()["errors"]
    assert len(errors) == 60
    for code, spec in errors.items():
        cls = service_error_class(code)
        assert cls.__name__ == code
        assert issubclass(cls, ServiceError)
        assert cls.status == spec["status"]
    assert service_error_class("TooManyRequestsException").status == 429
    assert service_error_class("InternalErrorException").status == 500
