"""Provisioned limits: defaults, updates within [default, maximum], per region, bad definitions."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock


def _definition(**attributes: str) -> dict[str, Any]:
    return {"LimitClass": "API_CATEGORY", "Attributes": attributes or {"Category": "UserCreation"}}


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def test_default_limit_is_reported(client: Any) -> None:
    limit = client.get_provisioned_limit(LimitDefinition=_definition())["Limit"]
    assert limit == {
        "LimitDefinition": _definition(),
        "ProvisionedLimitValue": 50,
        "FreeLimitValue": 50,
    }


def test_update_is_stored_and_reported(client: Any) -> None:
    updated = client.update_provisioned_limit(LimitDefinition=_definition(), RequestedLimitValue=80)
    assert updated["Limit"]["ProvisionedLimitValue"] == 80
    assert updated["Limit"]["FreeLimitValue"] == 50
    got = client.get_provisioned_limit(LimitDefinition=_definition())["Limit"]
    assert got["ProvisionedLimitValue"] == 80
    other = client.get_provisioned_limit(LimitDefinition=_definition(Category="UserRead"))
    assert other["Limit"]["ProvisionedLimitValue"] == 120


def test_limits_are_per_region(mock: CognitoMock, client: Any) -> None:
    client.update_provisioned_limit(LimitDefinition=_definition(), RequestedLimitValue=60)
    elsewhere = mock.client(region_name="eu-west-1")
    got = elsewhere.get_provisioned_limit(LimitDefinition=_definition())["Limit"]
    assert got["ProvisionedLimitValue"] == 50


def test_bounds_are_the_default_and_the_maximum(client: Any) -> None:
    client.update_provisioned_limit(LimitDefinition=_definition(), RequestedLimitValue=500)
    client.update_provisioned_limit(LimitDefinition=_definition(), RequestedLimitValue=50)
    with pytest.raises(ClientError) as below:
        client.update_provisioned_limit(LimitDefinition=_definition(), RequestedLimitValue=49)
    assert _error(below) == (
        "InvalidParameterException",
        "RequestedLimitValue 49 for UserCreation is below the default limit of 50.",
    )
    with pytest.raises(ClientError) as above:
        client.update_provisioned_limit(LimitDefinition=_definition(), RequestedLimitValue=501)
    assert _error(above) == (
        "ServiceQuotaExceededException",
        "RequestedLimitValue 501 for UserCreation exceeds the account maximum of 500. "
        "Request a quota increase in Service Quotas.",
    )
    got = client.get_provisioned_limit(LimitDefinition=_definition())["Limit"]
    assert got["ProvisionedLimitValue"] == 50  # failed updates changed nothing


def test_unknown_category_and_bad_attributes(client: Any) -> None:
    with pytest.raises(ClientError) as unknown:
        client.get_provisioned_limit(LimitDefinition=_definition(Category="Nope"))
    assert _error(unknown) == (
        "ResourceNotFoundException",
        "Limit for API category Nope does not exist.",
    )
    for attributes in ({"Kind": "UserRead"}, {"Category": "UserRead", "Extra": "x"}):
        with pytest.raises(ClientError) as bad:
            client.update_provisioned_limit(
                LimitDefinition={"LimitClass": "API_CATEGORY", "Attributes": attributes},
                RequestedLimitValue=200,
            )
        assert _error(bad) == (
            "InvalidParameterException",
            "Attributes of a limit of class API_CATEGORY must contain exactly one key: Category.",
        )
