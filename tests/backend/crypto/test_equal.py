"""Secrets compare in constant time whatever their characters (issue 11, item 2): a non-ASCII
SECRET_HASH or TOTP code is a wrong one, never a TypeError from `hmac.compare_digest`."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.crypto.equal import same
from tests.backend.factors.test_mfa import access_token, make_user, setup_totp, totp_pool
from tests.helpers import PASSWORD, fails

__all__ = ["totp_pool"]  # a fixture, imported for the TOTP sign-in below


def test_same_compares_text_and_bytes_and_never_raises() -> None:
    assert same("ab\u00e9", "ab\u00e9") and same(b"\x00\xff", b"\x00\xff")
    assert not same("\u00e9", "e") and not same("a", b"a") and not same(None, "a")
    assert not same("\ud800", "?")  # an unpaired surrogate is just unequal


def test_a_non_ascii_secret_hash_is_a_mismatch(client: Any, pool_id: str) -> None:
    # Regression: TypeError ("comparing strings with non-ASCII characters is not supported").
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="s", GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    make_user(client, pool_id)
    fails(
        client.initiate_auth,
        "NotAuthorizedException",
        f"SecretHash does not match for the client: {app}",
        ClientId=app,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD, "SECRET_HASH": "\u00e9" * 44},
    )


def test_non_ascii_digits_are_a_wrong_totp_code(client: Any, clock: Any, totp_pool: str) -> None:
    # Regression: Arabic-Indic digits pass `\d` checks, then crashed the TOTP comparison.
    make_user(client, totp_pool)
    setup_totp(client, clock, access_token(client, totp_pool))
    client.admin_set_user_mfa_preference(
        UserPoolId=totp_pool, Username="alice",
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )  # fmt: skip
    app = client.create_user_pool_client(
        UserPoolId=totp_pool, ClientName="t", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    challenge = client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )  # fmt: skip
    assert challenge["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    arabic = "\u0661\u0662\u0663\u0664\u0665\u0666"
    fails(client.respond_to_auth_challenge, "CodeMismatchException",
          "Invalid code or auth state for the user.", ClientId=app,
          ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
          ChallengeResponses={"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": arabic})  # fmt: skip
