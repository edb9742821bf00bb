"""Auth events: recorded sign-ins under threat protection, listing newest first with paging,
admin and user feedback, and the add-on gate."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.auth.auth_events import feedback_token
from tests.helpers import PASSWORD

ADD_ON = "Advanced security features are not enabled for this user pool."


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def _setup(client: Any, **pool: Any) -> tuple[str, str]:
    pool_id = client.create_user_pool(PoolName="events", **pool)["UserPool"]["Id"]
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    client.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password=PASSWORD, Permanent=True
    )
    return pool_id, app


def _sign_in(client: Any, pool_id: str, app: str) -> None:
    client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )  # fmt: skip


@pytest.fixture
def protected(client: Any) -> tuple[str, str]:
    return _setup(client, UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})


def test_sign_ins_are_listed_newest_first_with_paging(
    client: Any, protected: tuple[str, str], clock: ManualClock
) -> None:
    pool_id, app = protected
    assert (
        client.admin_list_user_auth_events(UserPoolId=pool_id, Username="ann")["AuthEvents"] == []
    )
    _sign_in(client, pool_id, app)
    clock.advance(10)
    _sign_in(client, pool_id, app)
    events = client.admin_list_user_auth_events(UserPoolId=pool_id, Username="ann")["AuthEvents"]
    assert len(events) == 2
    assert events[0]["CreationDate"] > events[1]["CreationDate"]
    first = events[0]
    assert first["EventType"] == "SignIn" and first["EventResponse"] == "Pass"
    assert first["EventRisk"] == {"RiskDecision": "NoRisk", "CompromisedCredentialsDetected": False}
    assert first["ChallengeResponses"] == [
        {"ChallengeName": "Password", "ChallengeResponse": "Success"}
    ]
    page = client.admin_list_user_auth_events(UserPoolId=pool_id, Username="ann", MaxResults=1)
    assert [e["EventId"] for e in page["AuthEvents"]] == [events[0]["EventId"]]
    rest = client.admin_list_user_auth_events(
        UserPoolId=pool_id, Username="ann", MaxResults=1, NextToken=page["NextToken"]
    )
    assert [e["EventId"] for e in rest["AuthEvents"]] == [events[1]["EventId"]]
    assert "NextToken" not in rest


def test_admin_and_user_feedback(
    mock: CognitoMock, client: Any, protected: tuple[str, str]
) -> None:
    pool_id, app = protected
    _sign_in(client, pool_id, app)
    _sign_in(client, pool_id, app)
    newer, older = client.admin_list_user_auth_events(UserPoolId=pool_id, Username="ann")[
        "AuthEvents"
    ]
    client.admin_update_auth_event_feedback(
        UserPoolId=pool_id, Username="ann", EventId=newer["EventId"], FeedbackValue="Invalid"
    )
    token = feedback_token(mock.backend(), pool_id, "ann", older["EventId"])
    with pytest.raises(ClientError) as excinfo:
        client.update_auth_event_feedback(
            UserPoolId=pool_id, Username="ann", EventId=older["EventId"],
            FeedbackToken="not-the-token", FeedbackValue="Valid",
        )  # fmt: skip
    assert _error(excinfo) == ("NotAuthorizedException", "Invalid feedback token.")
    client.update_auth_event_feedback(
        UserPoolId=pool_id, Username="ann", EventId=older["EventId"],
        FeedbackToken=token, FeedbackValue="Valid",
    )  # fmt: skip
    newer, older = client.admin_list_user_auth_events(UserPoolId=pool_id, Username="ann")[
        "AuthEvents"
    ]
    assert newer["EventFeedback"]["FeedbackValue"] == "Invalid"
    assert newer["EventFeedback"]["Provider"] == "Admin"
    assert older["EventFeedback"]["FeedbackValue"] == "Valid"
    assert older["EventFeedback"]["Provider"] == "User"
    assert "FeedbackDate" in older["EventFeedback"]


def test_unknown_user_and_event(client: Any, protected: tuple[str, str]) -> None:
    pool_id, _ = protected
    with pytest.raises(ClientError) as excinfo:
        client.admin_list_user_auth_events(UserPoolId=pool_id, Username="nobody")
    assert _error(excinfo) == ("UserNotFoundException", "User does not exist.")
    with pytest.raises(ClientError) as excinfo:
        client.admin_update_auth_event_feedback(
            UserPoolId=pool_id, Username="ann", EventId="missing-event", FeedbackValue="Valid"
        )
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        "Auth event missing-event does not exist.",
    )


def test_without_threat_protection_nothing_is_recorded_or_listed(client: Any) -> None:
    pool_id, app = _setup(client)
    _sign_in(client, pool_id, app)
    for call in (
        lambda: client.admin_list_user_auth_events(UserPoolId=pool_id, Username="ann"),
        lambda: client.admin_update_auth_event_feedback(
            UserPoolId=pool_id, Username="ann", EventId="e1", FeedbackValue="Valid"),
        lambda: client.update_auth_event_feedback(
            UserPoolId=pool_id, Username="ann", EventId="e1", FeedbackToken="t", FeedbackValue="Valid"),
    ):  # fmt: skip
        with pytest.raises(ClientError) as excinfo:
            call()
        assert _error(excinfo) == ("UserPoolAddOnNotEnabledException", ADD_ON)
    # Turning protection on later shows no events from before.
    client.update_user_pool(
        UserPoolId=pool_id, UserPoolTier="PLUS", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"}
    )
    assert (
        client.admin_list_user_auth_events(UserPoolId=pool_id, Username="ann")["AuthEvents"] == []
    )
