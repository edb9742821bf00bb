"""Log delivery: documented source/level/destination pairings, the Plus plan for auth events."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

LOGS = {"LogGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:cognito-errors"}
NOTIFICATION = {
    "LogLevel": "ERROR",
    "EventSource": "userNotification",
    "CloudWatchLogsConfiguration": LOGS,
}
AUTH_S3 = {
    "LogLevel": "INFO",
    "EventSource": "userAuthEvents",
    "S3Configuration": {"BucketArn": "arn:aws:s3:::auth-logs"},
}


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def test_empty_until_set_and_cleared_by_empty_list(client: Any, pool_id: str) -> None:
    got = client.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"]
    assert got == {"UserPoolId": pool_id, "LogConfigurations": []}
    made = client.set_log_delivery_configuration(
        UserPoolId=pool_id, LogConfigurations=[NOTIFICATION]
    )
    assert made["LogDeliveryConfiguration"]["LogConfigurations"] == [NOTIFICATION]
    got = client.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"]
    assert got["LogConfigurations"] == [NOTIFICATION]
    client.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[])
    got = client.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"]
    assert got["LogConfigurations"] == []


def test_auth_events_need_the_plus_plan(client: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[AUTH_S3])
    assert _error(excinfo) == (
        "FeatureUnavailableInTierException",
        f"userAuthEvents log export requires the PLUS feature plan; user pool {pool_id} is on "
        "ESSENTIALS.",
    )
    plus = client.create_user_pool(PoolName="plus", UserPoolTier="PLUS")["UserPool"]["Id"]
    both = [NOTIFICATION, AUTH_S3]
    client.set_log_delivery_configuration(UserPoolId=plus, LogConfigurations=both)
    got = client.get_log_delivery_configuration(UserPoolId=plus)["LogDeliveryConfiguration"]
    assert got["LogConfigurations"] == both


@pytest.mark.parametrize(
    ("configuration", "message"),
    [
        (
            {**NOTIFICATION, "LogLevel": "INFO"},
            "LogLevel must be ERROR for EventSource userNotification.",
        ),
        (
            {"LogLevel": "ERROR", "EventSource": "userNotification",
             "S3Configuration": {"BucketArn": "arn:aws:s3:::bucket"}},
            "S3Configuration is not supported for EventSource userNotification; use "
            "CloudWatchLogsConfiguration.",
        ),
        (
            {"LogLevel": "ERROR", "EventSource": "userNotification"},
            "Each log configuration needs exactly one of CloudWatchLogsConfiguration, "
            "S3Configuration or FirehoseConfiguration.",
        ),
        (
            {**NOTIFICATION, "CloudWatchLogsConfiguration": {
                "LogGroupArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/x"}},
            "LogGroupArn arn:aws:firehose:us-east-1:123456789012:deliverystream/x is not an ARN "
            "of the logs service.",
        ),
    ],
)  # fmt: skip
def test_refused_pairings_leave_state_alone(
    client: Any, pool_id: str, configuration: dict[str, Any], message: str
) -> None:
    client.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[NOTIFICATION])
    with pytest.raises(ClientError) as excinfo:
        client.set_log_delivery_configuration(UserPoolId=pool_id, LogConfigurations=[configuration])
    assert _error(excinfo) == ("InvalidParameterException", message)
    got = client.get_log_delivery_configuration(UserPoolId=pool_id)["LogDeliveryConfiguration"]
    assert got["LogConfigurations"] == [NOTIFICATION]


def test_one_configuration_per_source(client: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_log_delivery_configuration(
            UserPoolId=pool_id, LogConfigurations=[NOTIFICATION, NOTIFICATION]
        )
    assert _error(excinfo) == (
        "InvalidParameterException",
        "EventSource userNotification appears more than once in LogConfigurations.",
    )


def test_unknown_pool(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_log_delivery_configuration(UserPoolId="us-east-1_nothere00")
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        "User pool us-east-1_nothere00 does not exist.",
    )
