"""Risk configuration: add-on gate, pool defaults vs client overrides, resets, checks."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

ADD_ON = "Advanced security features are not enabled for this user pool."
TAKEOVER = {
    "Actions": {
        "LowAction": {"Notify": False, "EventAction": "NO_ACTION"},
        "HighAction": {"Notify": False, "EventAction": "BLOCK"},
    }
}
COMPROMISED = {"Actions": {"EventAction": "BLOCK"}}


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def plus_pool(client: Any) -> str:
    return str(
        client.create_user_pool(
            PoolName="plus", UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"}
        )["UserPool"]["Id"]
    )


@pytest.fixture
def app(client: Any, plus_pool: str) -> str:
    made = client.create_user_pool_client(UserPoolId=plus_pool, ClientName="web")
    return str(made["UserPoolClient"]["ClientId"])


def test_needs_threat_protection(client: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_risk_configuration(
            UserPoolId=pool_id, CompromisedCredentialsRiskConfiguration=COMPROMISED
        )
    assert _error(excinfo) == ("UserPoolAddOnNotEnabledException", ADD_ON)
    with pytest.raises(ClientError) as excinfo:
        client.describe_risk_configuration(UserPoolId=pool_id)
    assert _error(excinfo) == ("UserPoolAddOnNotEnabledException", ADD_ON)


def test_defaults_then_pool_configuration(client: Any, plus_pool: str) -> None:
    assert client.describe_risk_configuration(UserPoolId=plus_pool)["RiskConfiguration"] == {
        "UserPoolId": plus_pool
    }
    made = client.set_risk_configuration(
        UserPoolId=plus_pool,
        CompromisedCredentialsRiskConfiguration=COMPROMISED,
        AccountTakeoverRiskConfiguration=TAKEOVER,
        RiskExceptionConfiguration={"BlockedIPRangeList": ["10.0.0.0/8"]},
    )["RiskConfiguration"]
    assert made["CompromisedCredentialsRiskConfiguration"] == {
        "EventFilter": ["SIGN_IN", "PASSWORD_CHANGE", "SIGN_UP"],
        "Actions": {"EventAction": "BLOCK"},
    }
    assert "LastModifiedDate" in made
    described = client.describe_risk_configuration(UserPoolId=plus_pool)["RiskConfiguration"]
    assert described == made
    # Only the pool id resets the pool to the defaults.
    client.set_risk_configuration(UserPoolId=plus_pool)
    assert client.describe_risk_configuration(UserPoolId=plus_pool)["RiskConfiguration"] == {
        "UserPoolId": plus_pool
    }


def test_client_override_and_inheritance(client: Any, plus_pool: str, app: str) -> None:
    client.set_risk_configuration(UserPoolId=plus_pool, AccountTakeoverRiskConfiguration=TAKEOVER)
    inherited = client.describe_risk_configuration(UserPoolId=plus_pool, ClientId=app)
    assert inherited["RiskConfiguration"]["ClientId"] == app
    assert inherited["RiskConfiguration"]["AccountTakeoverRiskConfiguration"] == TAKEOVER
    client.set_risk_configuration(
        UserPoolId=plus_pool, ClientId=app, CompromisedCredentialsRiskConfiguration={
            "EventFilter": ["SIGN_UP"], "Actions": {"EventAction": "NO_ACTION"}}
    )  # fmt: skip
    own = client.describe_risk_configuration(UserPoolId=plus_pool, ClientId=app)[
        "RiskConfiguration"
    ]
    assert "AccountTakeoverRiskConfiguration" not in own
    assert own["CompromisedCredentialsRiskConfiguration"]["EventFilter"] == ["SIGN_UP"]
    # Pool id + client id only: the client inherits the pool's settings again.
    client.set_risk_configuration(UserPoolId=plus_pool, ClientId=app)
    again = client.describe_risk_configuration(UserPoolId=plus_pool, ClientId=app)
    assert again["RiskConfiguration"]["AccountTakeoverRiskConfiguration"] == TAKEOVER


def test_checks_leave_state_alone(client: Any, plus_pool: str) -> None:
    client.set_risk_configuration(UserPoolId=plus_pool, AccountTakeoverRiskConfiguration=TAKEOVER)
    before = client.describe_risk_configuration(UserPoolId=plus_pool)["RiskConfiguration"]
    with pytest.raises(ClientError) as excinfo:
        client.set_risk_configuration(
            UserPoolId=plus_pool, RiskExceptionConfiguration={"SkippedIPRangeList": ["999.1.1.1/8"]}
        )
    assert _error(excinfo) == (
        "InvalidParameterException",
        "999.1.1.1/8 in SkippedIPRangeList is not a valid IP address range in CIDR notation.",
    )
    notify = {"Actions": {"HighAction": {"Notify": True, "EventAction": "BLOCK"}}}
    with pytest.raises(ClientError) as excinfo:
        client.set_risk_configuration(UserPoolId=plus_pool, AccountTakeoverRiskConfiguration=notify)
    assert _error(excinfo) == (
        "InvalidParameterException",
        "NotifyConfiguration is required when an account takeover action notifies users.",
    )
    with pytest.raises(ClientError) as excinfo:
        client.set_risk_configuration(
            UserPoolId=plus_pool, ClientId="nosuch", AccountTakeoverRiskConfiguration=TAKEOVER
        )
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        "User pool client nosuch does not exist.",
    )
    assert client.describe_risk_configuration(UserPoolId=plus_pool)["RiskConfiguration"] == before
    with_notify = {
        **notify,
        "NotifyConfiguration": {
            "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
            "BlockEmail": {"Subject": "Blocked", "TextBody": "We blocked a sign-in."},
        },
    }
    client.set_risk_configuration(
        UserPoolId=plus_pool, AccountTakeoverRiskConfiguration=with_notify
    )
