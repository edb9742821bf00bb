"""faults.py directly: configuration checks, times/probability/when, latency, clearing, the hook."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock
from cognito_mock.errors import (
    FaultConfigurationError,
    InternalErrorException,
    TooManyRequestsException,
    UserNotFoundException,
)
from cognito_mock.faults import Fault, Faults, Injected


def no_retries() -> Config:
    return Config(retries={"mode": "standard", "total_max_attempts": 1})


def test_fail_next_n_times_then_succeed(mock: CognitoMock) -> None:
    fault = mock.faults.fail("ListUserPools", times=2)
    for _ in range(2):
        with pytest.raises(TooManyRequestsException, match=r"^Rate exceeded$"):
            mock.call("ListUserPools", MaxResults=10)
    assert mock.call("ListUserPools", MaxResults=10)["UserPools"] == []
    assert (fault.matched, fault.fired, fault.remaining, fault.active) == (2, 2, 0, False)
    assert mock.faults.injected == [Injected("ListUserPools", "TooManyRequestsException", 0.0)] * 2


def test_fault_reaches_boto3_with_status_code_and_message(mock: CognitoMock) -> None:
    mock.faults.fail("ListUserPools", "InternalErrorException", times=1)
    client = mock.client(config=no_retries())
    with pytest.raises(ClientError) as caught:
        client.list_user_pools(MaxResults=10)
    error = caught.value.response
    assert error["Error"] == {"Code": "InternalErrorException", "Message": "Internal server error."}
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert client.list_user_pools(MaxResults=10)["UserPools"] == []


def test_without_limits_a_fault_stays_until_cancelled(mock: CognitoMock) -> None:
    fault = mock.faults.fail("ListUserPools", message="slow down")
    for _ in range(5):
        with pytest.raises(TooManyRequestsException, match=r"^slow down$"):
            mock.call("ListUserPools", MaxResults=1)
    assert fault.remaining is None
    fault.cancel()
    assert len(mock.faults) == 0
    assert mock.call("ListUserPools", MaxResults=1)["UserPools"] == []


def test_only_the_named_operations_fail(mock: CognitoMock, pool_id: str) -> None:
    mock.faults.fail(["AdminGetUser", "AdminDeleteUser"], "UserNotFoundException", times=2)
    mock.call("DescribeUserPool", UserPoolId=pool_id)  # another operation: untouched
    # "a" does not exist, so only the message tells the injected error from the real one.
    with pytest.raises(UserNotFoundException, match="injected by cognito-mock"):
        mock.call("AdminGetUser", UserPoolId=pool_id, Username="a")
    with pytest.raises(UserNotFoundException, match="injected by cognito-mock"):
        mock.call("AdminDeleteUser", UserPoolId=pool_id, Username="a")


def test_error_given_as_class(mock: CognitoMock) -> None:
    mock.faults.fail("ListUserPools", InternalErrorException, times=1)
    with pytest.raises(InternalErrorException):
        mock.call("ListUserPools", MaxResults=1)


def test_when_dict_subset_matches_nested_members(mock: CognitoMock, pool_id: str) -> None:
    mock.call("AdminCreateUser", UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    mock.call("AdminCreateUser", UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    fault = mock.faults.fail("AdminGetUser", "InternalErrorException", when={"Username": "bob"})
    assert mock.call("AdminGetUser", UserPoolId=pool_id, Username="alice")["Username"] == "alice"
    with pytest.raises(InternalErrorException):
        mock.call("AdminGetUser", UserPoolId=pool_id, Username="bob")
    assert (fault.matched, fault.fired) == (1, 1)
    nested = mock.faults.fail(
        "ListUserPools", when={"MaxResults": 3, "Missing": {"Deep": 1}}, times=1
    )
    mock.call("ListUserPools", MaxResults=3)  # a key the request lacks: no match
    assert nested.matched == 0


def test_when_predicate_sees_the_wire_request(mock: CognitoMock, pool_id: str) -> None:
    seen: list[dict[str, Any]] = []

    def big_pages(request: dict[str, Any]) -> bool:
        seen.append(request)
        return bool(request.get("Limit", 0) > 10)

    mock.faults.fail("ListUsers", "TooManyRequestsException", when=big_pages)
    assert mock.call("ListUsers", UserPoolId=pool_id, Limit=5)["Users"] == []
    with pytest.raises(TooManyRequestsException):
        mock.call("ListUsers", UserPoolId=pool_id, Limit=50)
    assert seen == [{"UserPoolId": pool_id, "Limit": 5}, {"UserPoolId": pool_id, "Limit": 50}]


def outcomes(seed: int, probability: float, calls: int = 200) -> list[bool]:
    mock = CognitoMock(seed=seed)
    mock.faults.fail("ListUserPools", probability=probability)
    failed = []
    for _ in range(calls):
        try:
            mock.call("ListUserPools", MaxResults=1)
            failed.append(False)
        except TooManyRequestsException:
            failed.append(True)
    return failed


def test_probability_replays_with_the_seed_and_is_roughly_right() -> None:
    first = outcomes(7, 0.3)
    assert first == outcomes(7, 0.3)
    assert first != outcomes(8, 0.3)
    assert 30 <= sum(first) <= 90  # 200 draws at p=0.3: mean 60
    assert not any(outcomes(1, 0.0, 50))
    assert all(outcomes(1, 1.0, 50))


def test_probability_does_not_shift_the_mocks_ids() -> None:
    plain, faulty = CognitoMock(seed=3), CognitoMock(seed=3)
    faulty.faults.fail("ListUserPools", probability=0.5)
    for _ in range(10):
        with contextlib.suppress(TooManyRequestsException):
            faulty.call("ListUserPools", MaxResults=1)
    made = [m.call("CreateUserPool", PoolName="p")["UserPool"]["Id"] for m in (plain, faulty)]
    assert made[0] == made[1]


def test_times_counts_firings_not_matches(mock: CognitoMock) -> None:
    fault = mock.faults.fail("ListUserPools", probability=0.5, times=3)
    failures = 0
    for _ in range(100):
        try:
            mock.call("ListUserPools", MaxResults=1)
        except TooManyRequestsException:
            failures += 1
    assert failures == 3 == fault.fired
    assert fault.matched > 3


def test_latency_is_recorded_without_sleeping_or_moving_the_clock(mock: CognitoMock) -> None:
    before = mock.clock.now()
    fault = mock.faults.delay("ListUserPools", 2.5, times=2)
    for _ in range(3):
        mock.call("ListUserPools", MaxResults=1)
    assert mock.faults.injected == [Injected("ListUserPools", None, 2.5)] * 2
    assert mock.faults.total_latency() == 5.0 == mock.faults.total_latency("ListUserPools")
    assert mock.faults.total_latency("AdminGetUser") == 0.0
    assert fault.fired == 2
    assert mock.clock.now() == before


def test_latency_sleeps_when_asked(mock: CognitoMock, monkeypatch: pytest.MonkeyPatch) -> None:
    slept: list[float] = []
    monkeypatch.setattr("cognito_mock.faults.time.sleep", slept.append)
    mock.faults.delay("ListUserPools", 0.25, sleep=True, times=1)
    mock.call("ListUserPools", MaxResults=1)
    assert slept == [0.25]
    handed: list[float] = []
    mock.faults.delay("ListUserPools", 4, sleep=handed.append, times=1)
    mock.call("ListUserPools", MaxResults=1)
    assert handed == [4.0] and slept == [0.25]


def test_latency_and_error_combine(mock: CognitoMock) -> None:
    mock.faults.delay("ListUserPools", 1.0)
    mock.faults.fail("ListUserPools", times=1)
    mock.faults.fail("ListUserPools", "InternalErrorException", times=1)  # shadowed once
    with pytest.raises(TooManyRequestsException):
        mock.call("ListUserPools", MaxResults=1)
    with pytest.raises(InternalErrorException):
        mock.call("ListUserPools", MaxResults=1)
    mock.call("ListUserPools", MaxResults=1)
    assert mock.faults.total_latency() == 3.0


def test_failed_call_leaves_state_unchanged(mock: CognitoMock) -> None:
    mock.faults.fail("CreateUserPool", times=1)
    with pytest.raises(TooManyRequestsException):
        mock.call("CreateUserPool", PoolName="p")
    assert mock.call("ListUserPools", MaxResults=10)["UserPools"] == []


def test_invalid_request_is_rejected_before_faults(mock: CognitoMock) -> None:
    fault = mock.faults.fail("DescribeUserPool", times=1)
    with pytest.raises(Exception, match="regular expression") as caught:
        mock.call("DescribeUserPool", UserPoolId="not a pool id")
    assert type(caught.value).__name__ == "InvalidParameterException"
    assert fault.matched == 0


def test_clear_all_or_one_operation(mock: CognitoMock) -> None:
    kept = mock.faults.fail("AdminGetUser", times=1)
    gone = mock.faults.fail("ListUserPools")
    mock.faults.clear("ListUserPools")
    assert list(mock.faults) == [kept] and not gone.active
    mock.call("ListUserPools", MaxResults=1)
    mock.faults.clear()
    assert len(mock.faults) == 0 and not kept.active
    assert mock.faults.injected == []


def test_reset_forgets_faults_and_injections(mock: CognitoMock) -> None:
    mock.faults.fail("ListUserPools", times=1)
    with pytest.raises(TooManyRequestsException):
        mock.call("ListUserPools", MaxResults=1)
    mock.reset(seed=1)
    assert len(mock.faults) == 0 and mock.faults.injected == []
    mock.call("ListUserPools", MaxResults=1)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            ("AdminGetUser", "UsernameExistsException"),
            {},
            "AdminGetUser does not declare UsernameExistsException, so the service cannot return "
            "it; AdminGetUser declares: InternalErrorException, InvalidParameterException, ",
        ),
        (
            (["ListUserPools", "SignUp"], "UserNotFoundException"),
            {},
            "ListUserPools does not declare UserNotFoundException",
        ),
        (
            ("GetUserFromMars",),
            {},
            "'GetUserFromMars' is not an operation of the cognito-idp model",
        ),
        (("ListUserPools", "Throttled"), {}, "'Throttled' is not a Cognito error code"),
        (("ListUserPools", "ServiceError"), {}, "'ServiceError' is not a Cognito error code"),
        (("ListUserPools", ValueError), {}, "is not a Cognito error code"),
        (("ListUserPools",), {"times": 0}, "times must be a positive integer, got 0"),
        (("ListUserPools",), {"probability": 1.5}, "probability must be within [0, 1], got 1.5"),
        (([],), {}, "a fault needs at least one operation"),
    ],
)
def test_refused_at_configuration(
    args: tuple[Any, ...], kwargs: dict[str, Any], message: str
) -> None:
    faults = Faults(seed=1)
    with pytest.raises(FaultConfigurationError) as caught:
        faults.fail(*args, **kwargs)
    assert str(caught.value).startswith(message) or message in str(caught.value)
    assert len(faults) == 0
    assert isinstance(caught.value, ValueError)


def test_negative_latency_refused() -> None:
    with pytest.raises(FaultConfigurationError, match="latency must not be negative"):
        Faults().delay("ListUserPools", -1)


def test_hook_without_faults_is_a_no_op() -> None:
    faults = Faults()
    faults("AdminGetUser", {"UserPoolId": "x"})
    assert faults.injected == [] and repr(faults) == "Faults(0 configured, 0 injected)"


def test_cancelled_fault_does_not_fire() -> None:
    faults = Faults()
    fault = faults.fail("ListUserPools", times=1)
    assert isinstance(fault, Fault)
    fault.cancel()
    fault.cancel()  # twice is harmless
    faults("ListUserPools", {})
    assert fault.fired == 0


def test_error_fields_outside_the_model_are_a_contract_violation(mock: CognitoMock) -> None:
    from cognito_mock.errors import ContractViolation

    mock.faults.fail("ListUserPools", times=1, bogus="x")
    with pytest.raises(ContractViolation, match="ListUserPools"):
        mock.call("ListUserPools", MaxResults=1)


@pytest.mark.parametrize("mode", ["standard", "legacy"])
def test_boto3_retries_absorb_throttles(
    mock: CognitoMock, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    slept: list[float] = []
    monkeypatch.setattr("botocore.endpoint.time.sleep", slept.append)  # backoff, not real time
    fault = mock.faults.fail("ListUserPools", times=2)
    client = mock.client(config=Config(retries={"mode": mode, "total_max_attempts": 3}))
    assert client.list_user_pools(MaxResults=1)["UserPools"] == []
    assert fault.fired == 2 and len(slept) == 2


def test_boto3_without_retries_sees_the_throttle(mock: CognitoMock) -> None:
    mock.faults.fail("ListUserPools", times=1)
    client = mock.client(config=no_retries())
    with pytest.raises(client.exceptions.TooManyRequestsException) as caught:
        client.list_user_pools(MaxResults=1)
    assert caught.value.response["Error"]["Message"] == "Rate exceeded"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert client.list_user_pools(MaxResults=1)["UserPools"] == []
