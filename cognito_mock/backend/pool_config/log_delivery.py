"""Log export settings: SetLogDeliveryConfiguration / GetLogDeliveryConfiguration with the
documented pairings of event source, log level, destination and feature plan."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.risk import tier
from cognito_mock.errors import FeatureUnavailableInTierException, InvalidParameterException

__all__ = ["log_configurations"]

_DESTINATIONS = ("CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration")
_ARN_MEMBER = {
    "CloudWatchLogsConfiguration": "LogGroupArn",
    "S3Configuration": "BucketArn",
    "FirehoseConfiguration": "StreamArn",
}
# LogConfigurationType: userNotification sends ERROR logs to CloudWatch Logs only; userAuthEvents
# sends INFO logs (threat protection, Plus plan) to CloudWatch Logs, S3 or Firehose.
_RULES = {
    "userNotification": ("ERROR", ("CloudWatchLogsConfiguration",)),
    "userAuthEvents": ("INFO", _DESTINATIONS),
}


def log_configurations(pool: UserPool) -> list[dict[str, Any]]:
    """The pool's stored LogConfigurationType list (empty when logging is off)."""
    return pool.log_configurations


def _check(pool: UserPool, configuration: dict[str, Any]) -> None:
    source = configuration["EventSource"]
    level, allowed = _RULES[source]
    if configuration["LogLevel"] != level:
        raise InvalidParameterException(f"LogLevel must be {level} for EventSource {source}.")
    destinations = [d for d in _DESTINATIONS if d in configuration]
    if len(destinations) != 1:
        raise InvalidParameterException(
            "Each log configuration needs exactly one of CloudWatchLogsConfiguration, "
            "S3Configuration or FirehoseConfiguration."
        )
    destination = destinations[0]
    if destination not in allowed:
        raise InvalidParameterException(
            f"{destination} is not supported for EventSource {source}; use "
            + " or ".join(allowed)
            + "."
        )
    arn = configuration[destination].get(_ARN_MEMBER[destination])
    if not arn:
        raise InvalidParameterException(f"{destination}.{_ARN_MEMBER[destination]} is required.")
    service = arn.split(":")[2] if arn.count(":") >= 2 else ""
    expected = {"CloudWatchLogsConfiguration": "logs", "S3Configuration": "s3",
                "FirehoseConfiguration": "firehose"}[destination]  # fmt: skip
    if service != expected:
        raise InvalidParameterException(
            f"{_ARN_MEMBER[destination]} {arn} is not an ARN of the {expected} service."
        )
    if source == "userAuthEvents" and tier(pool) != "PLUS":
        raise FeatureUnavailableInTierException(
            f"userAuthEvents log export requires the PLUS feature plan; user pool {pool.id} is "
            f"on {tier(pool)}."
        )


@operation("SetLogDeliveryConfiguration")
def set_log_delivery_configuration(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    configurations = request["LogConfigurations"]
    seen: set[str] = set()
    for configuration in configurations:
        source = configuration["EventSource"]
        if source in seen:
            raise InvalidParameterException(
                f"EventSource {source} appears more than once in LogConfigurations."
            )
        seen.add(source)
        _check(pool, configuration)
    pool.log_configurations = clone(configurations)
    return {"LogDeliveryConfiguration": _view(pool)}


def _view(pool: UserPool) -> dict[str, Any]:
    return {"UserPoolId": pool.id, "LogConfigurations": clone(log_configurations(pool))}


@operation("GetLogDeliveryConfiguration")
def get_log_delivery_configuration(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return {"LogDeliveryConfiguration": _view(backend.pool(request["UserPoolId"]))}
