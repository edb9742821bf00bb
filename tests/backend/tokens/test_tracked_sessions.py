"""Session tracking (list/revoke, pool and client configuration) and auth factors, driven through
boto3 with tokens from real sign-ins; plus the session helpers in backend/tokens/issue.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.tokens import store as tokens
from cognito_mock.backend.tokens.tracked_sessions import (
    NEEDS_TIER,
    NO_SESSION,
    NOT_TRACKING,
    OWN_SESSION,
)
from cognito_mock.backend.tokens.verify import authenticate_access_token
from tests.helpers import PASSWORD, fails

FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
SESSION_ID = re.compile(r"^tkn[a-z0-9]{25}$")
UNKNOWN_SESSION = "tkn" + "0" * 25


@pytest.fixture
def app(client: Any, pool_id: str) -> str:
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS
    )
    return str(made["UserPoolClient"]["ClientId"])


def make_user(client: Any, pool_id: str, username: str = "alice", **attrs: str) -> None:
    attributes = {"email": f"{username}@example.com", **attrs}
    client.admin_create_user(
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
    )
    client.admin_set_user_password(
        UserPoolId=pool_id, Username=username, Password=PASSWORD, Permanent=True
    )


def sign_in(client: Any, app: str, username: str = "alice") -> dict[str, Any]:
    answer = client.initiate_auth(
        ClientId=app,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )
    return dict(answer["AuthenticationResult"])


def refresh(client: Any, app: str, token: str) -> dict[str, Any]:
    answer = client.initiate_auth(
        ClientId=app, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": token}
    )
    return dict(answer["AuthenticationResult"])


def track(client: Any, pool_id: str, max_per_user: int = 20, state: str = "ENABLED") -> Any:
    return client.set_user_pool_session_configuration(
        UserPoolId=pool_id, UserSessionTracking=state, TokenSession={"MaxPerUser": max_per_user}
    )


def listed(client: Any, pool_id: str, username: str = "alice") -> list[dict[str, Any]]:
    answer = client.admin_list_user_sessions(UserPoolId=pool_id, Username=username)
    assert "NextToken" not in answer
    return list(answer["Sessions"])


def ids(sessions: list[dict[str, Any]]) -> list[str]:
    return [s["SessionId"] for s in sessions]


def works(client: Any, app: str, result: dict[str, Any]) -> bool:
    """Whether both the access token (GetUser) and the refresh token still work."""
    try:
        client.get_user(AccessToken=result["AccessToken"])
        access = True
    except ClientError as error:
        assert error.response["Error"]["Message"] == "Access Token has been revoked"
        access = False
    try:
        refresh(client, app, result["RefreshToken"])
        refreshed = True
    except ClientError as error:
        assert error.response["Error"]["Message"] == "Refresh Token has been revoked"
        refreshed = False
    assert access == refreshed
    return access


@pytest.fixture
def tracked(client: Any, pool_id: str, app: str) -> str:
    """Tracking on, alice exists; returns the client id."""
    track(client, pool_id)
    make_user(client, pool_id)
    return app


# ----------------------------------------------------------------------------- pool configuration


def test_pool_configuration_defaults_and_replacement(client: Any, pool_id: str) -> None:
    got = client.get_user_pool_session_configuration(UserPoolId=pool_id)
    assert (got["UserPoolId"], got["UserSessionTracking"]) == (pool_id, "DISABLED")
    assert got["TokenSession"] == {"MaxPerUser": 20}
    answer = track(client, pool_id, 7)
    assert answer["UserPoolId"] == pool_id and answer["UserSessionTracking"] == "ENABLED"
    assert answer["TokenSession"] == {"MaxPerUser": 7}
    got = client.get_user_pool_session_configuration(UserPoolId=pool_id)
    assert got["UserSessionTracking"] == "ENABLED" and got["TokenSession"] == {"MaxPerUser": 7}
    track(client, pool_id, 100, "DISABLED")
    got = client.get_user_pool_session_configuration(UserPoolId=pool_id)
    assert got["UserSessionTracking"] == "DISABLED" and got["TokenSession"] == {"MaxPerUser": 100}


@pytest.mark.parametrize("value", [101, 1000])
def test_pool_configuration_range(client: Any, pool_id: str, value: int) -> None:
    track(client, pool_id, 5)
    fails(
        track, "InvalidParameterException",
        f"1 validation error detected: Value '{value}' at 'tokenSession.maxPerUser' failed to "
        "satisfy constraint: Member must have value less than or equal to 100",
        client=client, pool_id=pool_id, max_per_user=value, state="DISABLED",
    )  # fmt: skip
    got = client.get_user_pool_session_configuration(UserPoolId=pool_id)
    assert got["UserSessionTracking"] == "ENABLED" and got["TokenSession"] == {"MaxPerUser": 5}


def test_pool_configuration_minimum_is_server_checked(mock: CognitoMock, pool_id: str) -> None:
    from cognito_mock.errors import InvalidParameterException

    with pytest.raises(InvalidParameterException, match="greater than or equal to 1"):
        mock.call(
            "SetUserPoolSessionConfiguration",
            UserPoolId=pool_id,
            UserSessionTracking="ENABLED",
            TokenSession={"MaxPerUser": 0},
        )
    got = mock.call("GetUserPoolSessionConfiguration", UserPoolId=pool_id)
    assert got["UserSessionTracking"] == "DISABLED"


def test_pool_configuration_errors(client: Any, pool_id: str) -> None:
    missing = "us-east-1_Missing00"
    message = f"User pool {missing} does not exist."
    fails(track, "ResourceNotFoundException", message, client=client, pool_id=missing)
    fails(
        client.get_user_pool_session_configuration, "ResourceNotFoundException", message,
        UserPoolId=missing,
    )  # fmt: skip
    lite = client.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    fails(track, "FeatureUnavailableInTierException", NEEDS_TIER, client=client, pool_id=lite)
    got = client.get_user_pool_session_configuration(UserPoolId=lite)
    assert got["UserSessionTracking"] == "DISABLED"
    plus = client.create_user_pool(PoolName="plus", UserPoolTier="PLUS")["UserPool"]["Id"]
    assert track(client, plus)["UserSessionTracking"] == "ENABLED"


# ----------------------------------------------------------------------------- client configuration


def test_client_configuration(client: Any, pool_id: str, app: str) -> None:
    got = client.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=app)
    assert got == {**got, "UserPoolId": pool_id, "ClientId": app}
    assert got["SSOSession"] == {"MaxValidityMinutes": 60}
    # Tracking must be on to set it; the failure stores nothing.
    fails(
        client.set_user_pool_client_session_configuration, "OperationNotEnabledException",
        NOT_TRACKING, UserPoolId=pool_id, ClientId=app, SSOSession={"MaxValidityMinutes": 5},
    )  # fmt: skip
    got = client.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=app)
    assert got["SSOSession"] == {"MaxValidityMinutes": 60}
    track(client, pool_id)
    for minutes in (0, 129600, 15):
        answer = client.set_user_pool_client_session_configuration(
            UserPoolId=pool_id, ClientId=app, SSOSession={"MaxValidityMinutes": minutes}
        )
        assert answer["SSOSession"] == {"MaxValidityMinutes": minutes}
        assert (answer["UserPoolId"], answer["ClientId"]) == (pool_id, app)
    # Dormant while tracking is off, kept for when it comes back.
    track(client, pool_id, state="DISABLED")
    got = client.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=app)
    assert got["SSOSession"] == {"MaxValidityMinutes": 15}
    other = client.create_user_pool_client(UserPoolId=pool_id, ClientName="other")
    other_id = other["UserPoolClient"]["ClientId"]
    got = client.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=other_id)
    assert got["SSOSession"] == {"MaxValidityMinutes": 60}


def test_client_configuration_errors(client: Any, pool_id: str, app: str) -> None:
    track(client, pool_id)
    fails(
        client.set_user_pool_client_session_configuration, "InvalidParameterException",
        "1 validation error detected: Value '129601' at 'sSOSession.maxValidityMinutes' failed "
        "to satisfy constraint: Member must have value less than or equal to 129600",
        UserPoolId=pool_id, ClientId=app, SSOSession={"MaxValidityMinutes": 129601},
    )  # fmt: skip
    fails(
        client.get_user_pool_client_session_configuration, "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.", UserPoolId=pool_id,
        ClientId="nosuchclient",
    )  # fmt: skip
    fails(
        client.set_user_pool_client_session_configuration, "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.", UserPoolId=pool_id,
        ClientId="nosuchclient", SSOSession={"MaxValidityMinutes": 5},
    )  # fmt: skip
    # A client of another pool is not this pool's client.
    other_pool = client.create_user_pool(PoolName="other")["UserPool"]["Id"]
    fails(
        client.get_user_pool_client_session_configuration, "ResourceNotFoundException",
        f"User pool client {app} does not exist.", UserPoolId=other_pool, ClientId=app,
    )  # fmt: skip
    got = client.get_user_pool_client_session_configuration(UserPoolId=pool_id, ClientId=app)
    assert got["SSOSession"] == {"MaxValidityMinutes": 60}


# ----------------------------------------------------------------------------- listing


def test_two_sign_ins_two_sessions(client: Any, pool_id: str, tracked: str, clock: Any) -> None:
    first_at = clock.now()
    first = sign_in(client, tracked)
    clock.advance(10)
    second = sign_in(client, tracked)
    sessions = listed(client, pool_id)
    assert len(sessions) == 2 and len(set(ids(sessions))) == 2
    for session, created in zip(sessions, (first_at, first_at + 10), strict=True):
        assert SESSION_ID.match(session["SessionId"])
        assert session["SessionType"] == "TOKEN" and session["ClientId"] == tracked
        assert session["CreateDate"].timestamp() == created
        assert session["LastActiveDate"].timestamp() == created
        assert session["DeviceType"] == "unknown"
        assert session["IsCurrentSession"] is False  # always false for the admin listing
        assert "OriginSessionId" not in session and "LastIPAddress" not in session
    own = client.list_user_sessions(AccessToken=second["AccessToken"])
    assert "NextToken" not in own
    assert ids(own["Sessions"]) == ids(sessions)
    assert [s["IsCurrentSession"] for s in own["Sessions"]] == [False, True]
    own = client.list_user_sessions(AccessToken=first["AccessToken"])["Sessions"]
    assert [s["IsCurrentSession"] for s in own] == [True, False]


def test_refresh_updates_last_active(client: Any, pool_id: str, tracked: str, clock: Any) -> None:
    created = clock.now()
    first = sign_in(client, tracked)
    sign_in(client, tracked)
    clock.advance(300)
    refreshed = refresh(client, tracked, first["RefreshToken"])
    sessions = listed(client, pool_id)
    assert len(sessions) == 2  # a refresh continues its session
    assert sessions[0]["CreateDate"].timestamp() == created
    assert sessions[0]["LastActiveDate"].timestamp() == created + 300
    assert sessions[1]["LastActiveDate"].timestamp() == created
    own = client.list_user_sessions(AccessToken=refreshed["AccessToken"])["Sessions"]
    assert [s["IsCurrentSession"] for s in own] == [True, False]


def test_sessions_are_per_user_and_across_clients(client: Any, pool_id: str, tracked: str) -> None:
    other_app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="other", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    make_user(client, pool_id, "bob")
    sign_in(client, tracked)
    sign_in(client, other_app)
    sign_in(client, tracked, "bob")
    assert [s["ClientId"] for s in listed(client, pool_id)] == [tracked, other_app]
    assert [s["ClientId"] for s in listed(client, pool_id, "bob")] == [tracked]
    # A deleted client's session ends with it.
    client.delete_user_pool_client(UserPoolId=pool_id, ClientId=other_app)
    assert [s["ClientId"] for s in listed(client, pool_id)] == [tracked]


def test_sign_ins_before_tracking_are_not_recorded(client: Any, pool_id: str, app: str) -> None:
    make_user(client, pool_id)
    before = sign_in(client, app)
    fails(
        client.admin_list_user_sessions, "OperationNotEnabledException", NOT_TRACKING,
        UserPoolId=pool_id, Username="alice",
    )  # fmt: skip
    fails(
        client.list_user_sessions, "OperationNotEnabledException", NOT_TRACKING,
        AccessToken=before["AccessToken"],
    )  # fmt: skip
    fails(
        client.revoke_user_session, "OperationNotEnabledException", NOT_TRACKING,
        AccessToken=before["AccessToken"], SessionId=UNKNOWN_SESSION,
    )  # fmt: skip
    fails(
        client.admin_revoke_user_session, "OperationNotEnabledException", NOT_TRACKING,
        UserPoolId=pool_id, Username="alice", SessionId=UNKNOWN_SESSION,
    )  # fmt: skip
    track(client, pool_id)
    assert listed(client, pool_id) == []
    after = sign_in(client, app)
    own = client.list_user_sessions(AccessToken=before["AccessToken"])["Sessions"]
    assert len(own) == 1 and own[0]["IsCurrentSession"] is False
    own = client.list_user_sessions(AccessToken=after["AccessToken"])["Sessions"]
    assert len(own) == 1 and own[0]["IsCurrentSession"] is True


def test_disabling_tracking_drops_records_not_tokens(
    client: Any, pool_id: str, tracked: str
) -> None:
    result = sign_in(client, tracked)
    assert len(listed(client, pool_id)) == 1
    track(client, pool_id, state="DISABLED")
    assert works(client, tracked, result)
    track(client, pool_id)
    assert listed(client, pool_id) == []
    assert works(client, tracked, result)


def test_ended_sessions_are_not_listed(client: Any, pool_id: str, tracked: str, clock: Any) -> None:
    first = sign_in(client, tracked)
    sign_in(client, tracked)
    # RevokeToken ends the session of that refresh token.
    client.revoke_token(Token=first["RefreshToken"], ClientId=tracked)
    assert len(listed(client, pool_id)) == 1
    # Expiry of the refresh token (30 days by default) ends the session.
    clock.advance(30 * 86400 - 1)
    assert len(listed(client, pool_id)) == 1
    clock.advance(1)
    assert listed(client, pool_id) == []


@pytest.mark.parametrize("admin", [False, True])
def test_global_sign_out_ends_every_session(
    client: Any, pool_id: str, tracked: str, admin: bool
) -> None:
    first, second = sign_in(client, tracked), sign_in(client, tracked)
    if admin:
        client.admin_user_global_sign_out(UserPoolId=pool_id, Username="alice")
    else:
        client.global_sign_out(AccessToken=first["AccessToken"])
    assert listed(client, pool_id) == []
    assert not works(client, tracked, first) and not works(client, tracked, second)
    third = sign_in(client, tracked)
    assert [s["IsCurrentSession"] for s in
            client.list_user_sessions(AccessToken=third["AccessToken"])["Sessions"]] == [True]  # fmt: skip


def test_list_errors(client: Any, pool_id: str, tracked: str) -> None:
    result = sign_in(client, tracked)
    fails(
        client.list_user_sessions, "NotAuthorizedException", "Invalid Access Token",
        AccessToken="not.a.token",
    )  # fmt: skip
    fails(
        client.list_user_sessions, "InvalidParameterException", "Invalid pagination token.",
        AccessToken=result["AccessToken"], NextToken="bogus",
    )  # fmt: skip
    fails(
        client.admin_list_user_sessions, "InvalidParameterException", "Invalid pagination token.",
        UserPoolId=pool_id, Username="alice", NextToken="bogus",
    )  # fmt: skip
    fails(
        client.admin_list_user_sessions, "UserNotFoundException", "User does not exist.",
        UserPoolId=pool_id, Username="nobody",
    )  # fmt: skip
    fails(
        client.admin_list_user_sessions, "ResourceNotFoundException",
        "User pool us-east-1_Missing00 does not exist.", UserPoolId="us-east-1_Missing00",
        Username="alice",
    )  # fmt: skip
    client.admin_delete_user(UserPoolId=pool_id, Username="alice")
    fails(
        client.list_user_sessions, "UserNotFoundException", "User does not exist.",
        AccessToken=result["AccessToken"],
    )  # fmt: skip


def test_list_by_alias(client: Any, tracked: str, pool_id: str) -> None:
    sign_in(client, tracked)
    sub = client.admin_get_user(UserPoolId=pool_id, Username="alice")["UserAttributes"]
    sub_value = next(a["Value"] for a in sub if a["Name"] == "sub")
    assert len(listed(client, pool_id, sub_value)) == 1


# ----------------------------------------------------------------------------- revoking


def test_revoke_one_session(client: Any, pool_id: str, tracked: str) -> None:
    first, second = sign_in(client, tracked), sign_in(client, tracked)
    first_id, second_id = ids(listed(client, pool_id))
    answer = client.revoke_user_session(AccessToken=first["AccessToken"], SessionId=second_id)
    assert set(answer) == {"ResponseMetadata"}
    assert ids(listed(client, pool_id)) == [first_id]
    assert not works(client, tracked, second)
    assert works(client, tracked, first)
    # Gone means gone: a second revocation finds nothing.
    fails(
        client.revoke_user_session, "ResourceNotFoundException", NO_SESSION,
        AccessToken=first["AccessToken"], SessionId=second_id,
    )  # fmt: skip


def test_revoke_linked_equals_none_for_api_sessions(
    client: Any, pool_id: str, tracked: str
) -> None:
    first, second, third = (sign_in(client, tracked) for _ in range(3))
    _, second_id, third_id = ids(listed(client, pool_id))
    client.revoke_user_session(
        AccessToken=first["AccessToken"], SessionId=second_id, RevokeAssociatedSessions="LINKED"
    )
    assert not works(client, tracked, second)
    assert works(client, tracked, first) and works(client, tracked, third)
    assert ids(listed(client, pool_id))[1:] == [third_id]


def test_revoke_refused(client: Any, pool_id: str, tracked: str) -> None:
    first, second = sign_in(client, tracked), sign_in(client, tracked)
    first_id, second_id = ids(listed(client, pool_id))
    fails(
        client.revoke_user_session, "InvalidParameterException", OWN_SESSION,
        AccessToken=first["AccessToken"], SessionId=first_id,
    )  # fmt: skip
    for unknown in (UNKNOWN_SESSION, "sso" + "a" * 25):
        fails(
            client.revoke_user_session, "ResourceNotFoundException", NO_SESSION,
            AccessToken=first["AccessToken"], SessionId=unknown,
        )  # fmt: skip
    # Another user's session is not found through this user's token.
    make_user(client, pool_id, "bob")
    bob = sign_in(client, tracked, "bob")
    fails(
        client.revoke_user_session, "ResourceNotFoundException", NO_SESSION,
        AccessToken=bob["AccessToken"], SessionId=second_id,
    )  # fmt: skip
    assert ids(listed(client, pool_id)) == [first_id, second_id]
    assert works(client, tracked, first) and works(client, tracked, second)


def test_admin_revoke(client: Any, pool_id: str, tracked: str) -> None:
    first, second = sign_in(client, tracked), sign_in(client, tracked)
    first_id, second_id = ids(listed(client, pool_id))
    make_user(client, pool_id, "bob")
    # The username must be the session's owner.
    fails(
        client.admin_revoke_user_session, "ResourceNotFoundException", NO_SESSION,
        UserPoolId=pool_id, Username="bob", SessionId=first_id,
    )  # fmt: skip
    fails(
        client.admin_revoke_user_session, "UserNotFoundException", "User does not exist.",
        UserPoolId=pool_id, Username="nobody", SessionId=first_id,
    )  # fmt: skip
    assert ids(listed(client, pool_id)) == [first_id, second_id]
    # An administrator may revoke any session, including the one in use.
    client.admin_revoke_user_session(UserPoolId=pool_id, Username="alice", SessionId=first_id)
    assert ids(listed(client, pool_id)) == [second_id]
    assert not works(client, tracked, first) and works(client, tracked, second)


# ----------------------------------------------------------------------------- per-user limit


def test_limit_evicts_least_recently_used(
    client: Any, pool_id: str, tracked: str, clock: Any
) -> None:
    track(client, pool_id, 2)
    first = sign_in(client, tracked)
    clock.advance(10)
    second = sign_in(client, tracked)
    clock.advance(10)
    refresh(client, tracked, first["RefreshToken"])  # first is now the most recently used
    clock.advance(10)
    third = sign_in(client, tracked)
    sessions = listed(client, pool_id)
    assert len(sessions) == 2
    assert [s["CreateDate"].timestamp() for s in sessions] == [clock.now() - 30, clock.now()]
    assert not works(client, tracked, second)
    assert works(client, tracked, first) and works(client, tracked, third)


def test_lowering_the_limit_waits_for_next_sign_in(
    client: Any, pool_id: str, tracked: str, clock: Any
) -> None:
    results = []
    for _ in range(4):
        results.append(sign_in(client, tracked))
        clock.advance(1)
    track(client, pool_id, 2)
    assert len(listed(client, pool_id)) == 4  # nothing evicted yet
    newest = sign_in(client, tracked)
    assert len(listed(client, pool_id)) == 2
    assert [works(client, tracked, r) for r in results] == [False, False, False, True]
    assert works(client, tracked, newest)


def test_limit_of_one(client: Any, pool_id: str, tracked: str) -> None:
    track(client, pool_id, 1)
    first = sign_in(client, tracked)
    second = sign_in(client, tracked)
    assert len(listed(client, pool_id)) == 1
    assert not works(client, tracked, first) and works(client, tracked, second)


# ----------------------------------------------------------------------------- auth factors


def _user(mock: CognitoMock, pool_id: str, username: str = "alice") -> Any:
    return mock.backend().pool(pool_id).users.get(username)


def test_auth_factors_password_only(client: Any, pool_id: str, app: str) -> None:
    make_user(client, pool_id)
    token = sign_in(client, app)["AccessToken"]
    expected = {"Username": "alice", "ConfiguredUserAuthFactors": ["PASSWORD"]}
    answer = client.get_user_auth_factors(AccessToken=token)
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == expected
    answer = client.admin_get_user_auth_factors(UserPoolId=pool_id, Username="alice")
    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == expected


def test_auth_factors_mfa_and_first_factors(client: Any, mock: CognitoMock) -> None:
    pool_id = client.create_user_pool(
        PoolName="passwordless",
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP",
                                                               "SMS_OTP"]}},
    )["UserPool"]["Id"]  # fmt: skip
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS
    )
    app = made["UserPoolClient"]["ClientId"]
    make_user(client, pool_id, email_verified="true", phone_number="+15550001111")
    token = sign_in(client, app)["AccessToken"]
    answer = client.get_user_auth_factors(AccessToken=token)
    # The phone is not verified: no SMS_OTP first factor.
    assert answer["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]
    assert "PreferredMfaSetting" not in answer and "UserMFASettingList" not in answer
    user = _user(mock, pool_id)
    user.mfa.enabled = ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    user.mfa.preferred = "SMS_MFA"
    answer = client.admin_get_user_auth_factors(UserPoolId=pool_id, Username="alice")
    assert answer["PreferredMfaSetting"] == "SMS_MFA"
    assert answer["UserMFASettingList"] == ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    assert answer["ConfiguredUserAuthFactors"] == [
        "PASSWORD", "EMAIL_OTP", "SMS_OTP", "SOFTWARE_TOKEN"
    ]  # fmt: skip
    user.passkeys.credentials = [{"CredentialId": "c1"}]
    answer = client.get_user_auth_factors(AccessToken=token)
    assert answer["ConfiguredUserAuthFactors"] == [
        "PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN", "SOFTWARE_TOKEN"
    ]  # fmt: skip


def test_auth_factors_first_factor_needs_pool_policy(
    client: Any, mock: CognitoMock, pool_id: str, app: str
) -> None:
    make_user(client, pool_id, email_verified="true")
    answer = client.admin_get_user_auth_factors(UserPoolId=pool_id, Username="alice")
    assert answer["ConfiguredUserAuthFactors"] == ["PASSWORD"]
    # EMAIL_OTP as an MFA method counts whatever the first factors are.
    _user(mock, pool_id).mfa.enabled = ["EMAIL_OTP"]
    answer = client.admin_get_user_auth_factors(UserPoolId=pool_id, Username="alice")
    assert answer["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP"]


def test_auth_factors_without_password(client: Any, mock: CognitoMock, pool_id: str) -> None:
    make_user(client, pool_id)
    _user(mock, pool_id).password = None
    answer = client.admin_get_user_auth_factors(UserPoolId=pool_id, Username="alice")
    assert answer["ConfiguredUserAuthFactors"] == []


def test_auth_factors_errors(client: Any, pool_id: str, app: str) -> None:
    make_user(client, pool_id)
    result = sign_in(client, app)
    fails(
        client.get_user_auth_factors, "NotAuthorizedException", "Invalid Access Token",
        AccessToken="abc",
    )  # fmt: skip
    fails(
        client.get_user_auth_factors, "NotAuthorizedException", "Invalid Access Token",
        AccessToken=result["IdToken"],
    )  # fmt: skip
    fails(
        client.admin_get_user_auth_factors, "UserNotFoundException", "User does not exist.",
        UserPoolId=pool_id, Username="nobody",
    )  # fmt: skip
    fails(
        client.admin_get_user_auth_factors, "ResourceNotFoundException",
        "User pool us-east-1_Missing00 does not exist.", UserPoolId="us-east-1_Missing00",
        Username="alice",
    )  # fmt: skip
    client.global_sign_out(AccessToken=result["AccessToken"])
    fails(
        client.get_user_auth_factors, "NotAuthorizedException", "Access Token has been revoked",
        AccessToken=result["AccessToken"],
    )  # fmt: skip


# ----------------------------------------------------------------------------- tokens.py helpers


def test_session_id_for_is_stable_and_well_formed() -> None:
    first = tokens.session_id_for("8f1c2d3e-0000-4000-8000-000000000001")
    assert SESSION_ID.match(first)
    assert first == tokens.session_id_for("8f1c2d3e-0000-4000-8000-000000000001")
    assert first != tokens.session_id_for("8f1c2d3e-0000-4000-8000-000000000002")


def test_helpers_without_tracking_record_nothing(
    client: Any, mock: CognitoMock, pool_id: str, app: str
) -> None:
    make_user(client, pool_id)
    sign_in(client, app)
    backend = mock.backend()
    pool = backend.pool(pool_id)
    store = tokens.token_store(pool)
    assert store.sessions == {} and not store.tracking and store.max_sessions == 20
    origin = next(iter(store.refresh.values())).origin
    assert origin.session_id is None and origin.expires == origin.created + 30 * 86400
    assert tokens.sessions_of(backend, pool, _user(mock, pool_id)) == []


def test_helpers_track_prune_and_revoke(
    client: Any, mock: CognitoMock, clock: ManualClock, tracked: str, pool_id: str
) -> None:
    first = sign_in(client, tracked)
    sign_in(client, tracked)
    backend = mock.backend()
    pool, user = backend.pool(pool_id), _user(mock, pool_id)
    origins = tokens.sessions_of(backend, pool, user)
    assert [tokens.session_active(backend, o, user) for o in origins] == [True, True]
    assert all(o.session_id == tokens.session_id_for(o.origin_jti) for o in origins)
    _, _, claims = authenticate_access_token(backend, first["AccessToken"])
    assert tokens.access_origin(pool, claims) is origins[0]
    tokens.revoke_session(pool, user, origins[0])
    assert origins[0].revoked and tokens.sessions_of(backend, pool, user) == [origins[1]]
    assert list(tokens.token_store(pool).sessions[user.sub]) == [origins[1].session_id]
    clock.advance(31 * 86400)
    assert tokens.sessions_of(backend, pool, user) == []
    assert tokens.token_store(pool).sessions[user.sub] == {}
