"""Point-in-time recovery through boto3 on the mock's clock: a recovery that restores a deleted user
and reverts an attribute change (and groups, MFA settings, passkeys), writes refused while paused,
statuses moving with the clock, the preview's counts, cancel and expiry, and every refusal."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from cognito_mock import CognitoMock
from cognito_mock.backend.recovery import pitr
from cognito_mock.passkey import Passkey
from tests.helpers import PASSWORD

NEW_PASSWORD = "Battery-Staple-7"


def when(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def counts(restoration: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    return {
        p["Entity"]: (p["CreateCount"], p["UpdateCount"], p["DeleteCount"])
        for p in restoration["RestorePreview"]
    }


def names(client: Any, pool_id: str) -> list[str]:
    return sorted(u["Username"] for u in client.list_users(UserPoolId=pool_id)["Users"])


def attribute(client: Any, pool_id: str, username: str, name: str) -> str | None:
    found = client.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    return next((a["Value"] for a in found if a["Name"] == name), None)


@pytest.fixture
def point(client: Any, pool_id: str, make_user: Any, clock: Any) -> float:
    """alice and bob (in group staff) exist; the recovery point is an hour later."""
    make_user("alice", attributes={"email": "alice@example.com", "name": "Alice"})
    make_user("bob", attributes={"email": "bob@example.com"})
    client.create_group(UserPoolId=pool_id, GroupName="staff")
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="bob", GroupName="staff")
    clock.advance(hours=1)
    return float(clock.now())


def initiate(client: Any, pool_id: str, at: float) -> dict[str, Any]:
    return dict(client.initiate_point_in_time_recovery(
        UserPoolId=pool_id, RestoreTimestamp=when(at)
    )["Restoration"])  # fmt: skip


def test_restores_a_deleted_user_and_reverts_an_attribute(client, pool_id, point, clock, fails,
                                                          make_user):  # fmt: skip
    clock.advance(minutes=1)
    client.admin_update_user_attributes(
        UserPoolId=pool_id, Username="alice", UserAttributes=[{"Name": "name", "Value": "Mallory"}]
    )
    client.admin_delete_user(UserPoolId=pool_id, Username="bob")
    make_user("carol", attributes={"email": "carol@example.com"})  # created after the point
    clock.advance(minutes=30)
    started = initiate(client, pool_id, point)
    assert started["RestoreStatus"] == "PREVIEW_GENERATING" and "RestorePreview" not in started
    assert started["RestoreTimestamp"] == when(point)
    assert started["TriggerTimestamp"] == when(clock.now())
    # Writes wait; reads and sign-in go on.
    message = pitr.PAUSED.format(pool_id, started["RestoreId"], "PREVIEW_GENERATING")
    fails(client.admin_create_user, "OperationNotEnabledException", message,
          UserPoolId=pool_id, Username="dave")  # fmt: skip
    fails(client.admin_update_user_attributes, "OperationNotEnabledException", message,
          UserPoolId=pool_id, Username="alice", UserAttributes=[{"Name": "name", "Value": "X"}])  # fmt: skip
    assert attribute(client, pool_id, "alice", "name") == "Mallory"
    clock.advance(seconds=pitr.PREVIEW_SECONDS)
    described = client.describe_point_in_time_recovery(
        UserPoolId=pool_id, RestoreId=started["RestoreId"]
    )["Restoration"]
    assert described["RestoreStatus"] == "PREVIEW_GENERATED"
    assert counts(described) == {
        "Users": (1, 1, 1), "Groups": (0, 1, 0), "User MFAs": (0, 0, 0), "Passkeys": (0, 0, 0)
    }  # bob back, alice reverted, carol gone; staff gets bob back  # fmt: skip
    restoring = client.start_point_in_time_recovery(
        UserPoolId=pool_id, RestoreId=started["RestoreId"]
    )["Restoration"]
    assert restoring["RestoreStatus"] == "RESTORING"
    assert names(client, pool_id) == ["alice", "bob"]
    assert attribute(client, pool_id, "alice", "name") == "Alice"
    groups = client.admin_list_groups_for_user(UserPoolId=pool_id, Username="bob")["Groups"]
    assert [g["GroupName"] for g in groups] == ["staff"]
    members = client.list_users_in_group(UserPoolId=pool_id, GroupName="staff")["Users"]
    assert [u["Username"] for u in members] == ["bob"]
    fails(client.admin_create_user, "OperationNotEnabledException",
          pitr.PAUSED.format(pool_id, started["RestoreId"], "RESTORING"),
          UserPoolId=pool_id, Username="dave")  # still paused while restoring  # fmt: skip
    clock.advance(seconds=pitr.RESTORE_SECONDS)
    listed = client.list_point_in_time_recoveries(UserPoolId=pool_id)["Restorations"]
    assert listed == [{"RestoreId": started["RestoreId"], "RestoreStatus": "RESTORE_COMPLETED",
                       "RestoreTimestamp": when(point)}]  # fmt: skip
    client.admin_create_user(UserPoolId=pool_id, Username="dave", MessageAction="SUPPRESS")
    # The restored bob signs in with his password of the time.
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="w", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    assert client.initiate_auth(ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
                                AuthParameters={"USERNAME": "bob", "PASSWORD": PASSWORD})  # fmt: skip


def test_sign_in_continues_but_new_passwords_wait(client, pool_id, point, clock, app, make_user,
                                                  fails):  # fmt: skip
    make_user("erin", temporary=True, attributes={"email": "erin@example.com"})
    clock.advance(minutes=20)
    restoration = initiate(client, pool_id, point)
    tokens = client.initiate_auth(ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
                                  AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD})  # fmt: skip
    assert "AuthenticationResult" in tokens
    challenge = client.initiate_auth(ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
                                     AuthParameters={"USERNAME": "erin", "PASSWORD": PASSWORD})  # fmt: skip
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    fails(client.respond_to_auth_challenge, "OperationNotEnabledException",
          pitr.PAUSED.format(pool_id, restoration["RestoreId"], "PREVIEW_GENERATING"),
          ClientId=app, ChallengeName="NEW_PASSWORD_REQUIRED", Session=challenge["Session"],
          ChallengeResponses={"USERNAME": "erin", "NEW_PASSWORD": NEW_PASSWORD})  # fmt: skip


def test_passwords_changed_since_are_kept(client, pool_id, point, clock, app, sign_in):
    clock.advance(minutes=1)
    client.admin_set_user_password(UserPoolId=pool_id, Username="alice", Password=NEW_PASSWORD,
                                   Permanent=True)  # fmt: skip
    client.admin_update_user_attributes(
        UserPoolId=pool_id, Username="alice", UserAttributes=[{"Name": "name", "Value": "Al"}]
    )
    clock.advance(minutes=20)
    restoration = initiate(client, pool_id, point)
    clock.advance(seconds=pitr.PREVIEW_SECONDS)
    client.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restoration["RestoreId"])
    assert attribute(client, pool_id, "alice", "name") == "Alice"
    assert sign_in(app, "alice", NEW_PASSWORD)["AccessToken"]


def test_tokens_from_before_a_deletion_stay_dead(client, pool_id, point, clock, app, sign_in,
                                                 fails):  # fmt: skip
    clock.advance(minutes=1)
    token = sign_in(app, "bob")["AccessToken"]
    client.admin_delete_user(UserPoolId=pool_id, Username="bob")
    clock.advance(minutes=20)
    restoration = initiate(client, pool_id, point)
    clock.advance(seconds=pitr.PREVIEW_SECONDS)
    client.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restoration["RestoreId"])
    fails(client.get_user, "NotAuthorizedException", "Access Token has been revoked",
          AccessToken=token)  # fmt: skip


def test_mfa_settings_and_passkeys_are_restored(client, mock, pool_id, point, clock, app, sign_in):
    client.update_user_pool(
        UserPoolId=pool_id,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "WEB_AUTHN"]}},
    )
    client.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                    SoftwareTokenMfaConfiguration={"Enabled": True},
                                    WebAuthnConfiguration={"RelyingPartyId": "example.com"})  # fmt: skip
    clock.advance(minutes=1)
    start = clock.now()
    clock.advance(seconds=1)  # a write at the very instant of the point belongs to the point
    token = sign_in(app)["AccessToken"]
    passkey = Passkey()
    options = client.start_web_authn_registration(AccessToken=token)
    client.complete_web_authn_registration(AccessToken=token, Credential=passkey.create(options))
    client.admin_set_user_mfa_preference(UserPoolId=pool_id, Username="alice",
                                         SMSMfaSettings={"Enabled": False})  # fmt: skip
    clock.advance(minutes=1)
    client.create_group(UserPoolId=pool_id, GroupName="late")
    clock.advance(minutes=20)
    restoration = initiate(client, pool_id, start)
    clock.advance(seconds=pitr.PREVIEW_SECONDS)
    described = client.describe_point_in_time_recovery(
        UserPoolId=pool_id, RestoreId=restoration["RestoreId"]
    )["Restoration"]
    assert counts(described)["Passkeys"] == (0, 0, 1)
    assert counts(described)["Groups"] == (0, 0, 1)
    client.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restoration["RestoreId"])
    fresh = sign_in(app)["AccessToken"]
    assert client.list_web_authn_credentials(AccessToken=fresh)["Credentials"] == []
    assert [g["GroupName"] for g in client.list_groups(UserPoolId=pool_id)["Groups"]] == ["staff"]


def test_cancel_and_expiry(client, pool_id, point, clock, fails):
    clock.advance(minutes=20)
    first = initiate(client, pool_id, point)
    cancelled = client.cancel_point_in_time_recovery(
        UserPoolId=pool_id, RestoreId=first["RestoreId"]
    )
    assert cancelled["Restoration"]["RestoreStatus"] == "PREVIEW_CANCELLED"
    client.admin_create_user(UserPoolId=pool_id, Username="dave", MessageAction="SUPPRESS")
    fails(client.start_point_in_time_recovery, "InvalidParameterException",
          pitr.CANT_START.format(first["RestoreId"], "PREVIEW_CANCELLED"), UserPoolId=pool_id,
          RestoreId=first["RestoreId"])  # fmt: skip
    second = initiate(client, pool_id, point)
    fails(client.start_point_in_time_recovery, "InvalidParameterException",
          pitr.CANT_START.format(second["RestoreId"], "PREVIEW_GENERATING"), UserPoolId=pool_id,
          RestoreId=second["RestoreId"])  # fmt: skip
    clock.advance(hours=24)
    expired = client.describe_point_in_time_recovery(
        UserPoolId=pool_id, RestoreId=second["RestoreId"]
    )
    assert expired["Restoration"]["RestoreStatus"] == "PREVIEW_EXPIRED"
    client.admin_create_user(UserPoolId=pool_id, Username="erin", MessageAction="SUPPRESS")
    fails(client.cancel_point_in_time_recovery, "InvalidParameterException",
          pitr.CANT_CANCEL.format(second["RestoreId"], "PREVIEW_EXPIRED"), UserPoolId=pool_id,
          RestoreId=second["RestoreId"])  # fmt: skip
    listed = client.list_point_in_time_recoveries(UserPoolId=pool_id, MaxResults=1)
    assert [r["RestoreId"] for r in listed["Restorations"]] == [second["RestoreId"]]  # newest first
    rest = client.list_point_in_time_recoveries(UserPoolId=pool_id, NextToken=listed["NextToken"])
    assert [r["RestoreId"] for r in rest["Restorations"]] == [first["RestoreId"]]
    assert "NextToken" not in rest


def test_point_refusals(client, pool_id, point, clock, fails):
    fails(client.initiate_point_in_time_recovery, "InvalidParameterException", pitr.TOO_RECENT,
          UserPoolId=pool_id, RestoreTimestamp=when(clock.now() - 60))  # fmt: skip
    fails(client.initiate_point_in_time_recovery, "InvalidParameterException", pitr.BEFORE_POOL,
          UserPoolId=pool_id, RestoreTimestamp=when(point - 7200))  # fmt: skip
    clock.advance(days=2)
    fails(client.initiate_point_in_time_recovery, "FeatureUnavailableInTierException",
          pitr.NEEDS_PLUS, UserPoolId=pool_id, RestoreTimestamp=when(point))  # fmt: skip
    client.update_user_pool(UserPoolId=pool_id, UserPoolTier="PLUS")
    fails(client.initiate_point_in_time_recovery, "FeatureUnavailableInTierException",
          pitr.PLAN_SINCE.format("Plus"), UserPoolId=pool_id, RestoreTimestamp=when(point))  # fmt: skip
    clock.advance(days=15)
    fails(client.initiate_point_in_time_recovery, "InvalidParameterException", pitr.TOO_OLD,
          UserPoolId=pool_id, RestoreTimestamp=when(point))  # fmt: skip
    assert (
        initiate(client, pool_id, clock.now() - 3 * 86400)["RestoreStatus"] == "PREVIEW_GENERATING"
    )


def test_lite_pools_and_plan_history(client, mock, clock, fails):
    lite = client.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    clock.advance(hours=1)
    fails(client.initiate_point_in_time_recovery, "FeatureUnavailableInTierException", pitr.TIER,
          UserPoolId=lite, RestoreTimestamp=when(clock.now() - 1800))  # fmt: skip
    fails(client.list_point_in_time_recoveries, "FeatureUnavailableInTierException", pitr.TIER,
          UserPoolId=lite)  # fmt: skip
    client.admin_create_user(UserPoolId=lite, Username="x", MessageAction="SUPPRESS")
    client.admin_update_user_attributes(UserPoolId=lite, Username="x",
                                        UserAttributes=[{"Name": "name", "Value": "y"}])  # fmt: skip
    assert mock.backend().pools[lite].recovery is None  # a Lite pool keeps no history
    client.update_user_pool(UserPoolId=lite, UserPoolTier="ESSENTIALS")
    fails(client.initiate_point_in_time_recovery, "FeatureUnavailableInTierException",
          pitr.PLAN_SINCE.format("Essentials"), UserPoolId=lite,
          RestoreTimestamp=when(clock.now() - 1800))  # fmt: skip


def test_one_at_a_time_and_one_a_day(client, pool_id, point, clock, fails):
    clock.advance(minutes=20)
    first = initiate(client, pool_id, point)
    fails(client.initiate_point_in_time_recovery, "ConcurrentModificationException",
          pitr.BUSY.format(pool_id, first["RestoreId"]), UserPoolId=pool_id,
          RestoreTimestamp=when(point))  # fmt: skip
    clock.advance(seconds=pitr.PREVIEW_SECONDS)
    client.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=first["RestoreId"])
    clock.advance(seconds=pitr.RESTORE_SECONDS)
    fails(client.initiate_point_in_time_recovery, "LimitExceededException", pitr.ONE_A_DAY,
          UserPoolId=pool_id, RestoreTimestamp=when(point))  # fmt: skip
    fails(client.cancel_point_in_time_recovery, "InvalidParameterException",
          pitr.CANT_CANCEL.format(first["RestoreId"], "RESTORE_COMPLETED"), UserPoolId=pool_id,
          RestoreId=first["RestoreId"])  # fmt: skip


def test_three_previews_a_day(client, pool_id, point, clock, fails):
    clock.advance(minutes=20)
    for _ in range(3):
        restoration = initiate(client, pool_id, point)
        client.cancel_point_in_time_recovery(UserPoolId=pool_id, RestoreId=restoration["RestoreId"])
    fails(client.initiate_point_in_time_recovery, "LimitExceededException", pitr.PREVIEWS_DAY,
          UserPoolId=pool_id, RestoreTimestamp=when(point))  # fmt: skip


def test_unknown_recovery(client, pool_id, fails):
    missing = "00000000-0000-4000-8000-000000000000"
    for call in (client.describe_point_in_time_recovery, client.start_point_in_time_recovery,
                 client.cancel_point_in_time_recovery):  # fmt: skip
        fails(call, "ResourceNotFoundException", pitr.NOT_FOUND.format(missing, pool_id),
              UserPoolId=pool_id, RestoreId=missing)  # fmt: skip


def test_a_recovery_can_itself_be_undone(client, pool_id, point, clock):
    """The restore notes what it changes, so a later recovery to a time after it reverts it."""
    client.update_user_pool(UserPoolId=pool_id, UserPoolTier="PLUS")  # a day back needs Plus
    clock.advance(minutes=1)
    client.admin_update_user_attributes(
        UserPoolId=pool_id, Username="alice", UserAttributes=[{"Name": "name", "Value": "Two"}]
    )
    clock.advance(minutes=20)
    first = initiate(client, pool_id, point)
    clock.advance(seconds=pitr.PREVIEW_SECONDS)
    client.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=first["RestoreId"])
    assert attribute(client, pool_id, "alice", "name") == "Alice"
    before_restore = first["TriggerTimestamp"].timestamp()
    clock.advance(days=1, minutes=5)  # one completed recovery a day
    second = initiate(client, pool_id, before_restore + 30)
    clock.advance(seconds=pitr.PREVIEW_SECONDS)
    client.start_point_in_time_recovery(UserPoolId=pool_id, RestoreId=second["RestoreId"])
    assert attribute(client, pool_id, "alice", "name") == "Two"


def test_history_is_free_for_reads_and_sign_in(mock: CognitoMock, client, pool_id, app, make_user,
                                               sign_in):  # fmt: skip
    make_user("alice")
    pool = mock.backend().pools[pool_id]
    noted = len(pool.recovery.entries) if pool.recovery else 0
    sign_in(app)
    client.admin_get_user(UserPoolId=pool_id, Username="alice")
    client.list_users(UserPoolId=pool_id)
    assert (len(pool.recovery.entries) if pool.recovery else 0) == noted
