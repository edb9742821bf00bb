"""Each fixture, exercised in a pytester session the way a user's suite would use it."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(source)
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_cognito_mock_is_fresh_per_test_and_intercepts_boto3(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import os
        import boto3
        from cognito_mock import CognitoMock

        made_before = boto3.session.Session().client("cognito-idp", region_name="us-east-1",
                                                     aws_access_key_id="x", aws_secret_access_key="y")
        seen = []

        def test_one(cognito_mock):
            assert isinstance(cognito_mock, CognitoMock)
            seen.append(cognito_mock)
            # clients made anywhere, even before the test, reach the mock
            pool = made_before.create_user_pool(PoolName="one")["UserPool"]
            assert cognito_mock.call("DescribeUserPool", UserPoolId=pool["Id"])
            assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
            assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
            assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
            assert "AWS_PROFILE" not in os.environ

        def test_two(cognito_mock):
            assert cognito_mock is not seen[0]
            assert cognito_mock.call("ListUserPools", MaxResults=10)["UserPools"] == []
        """,
    )
    result.assert_outcomes(passed=2)


def test_environment_and_interception_are_restored(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    import boto3

    # A default session made before the tests; the fixture must leave it in place.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", boto3.session.Session())
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "real-looking-key")
    monkeypatch.setenv("AWS_PROFILE", "someone")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    result = run(
        pytester,
        """
        import os
        import boto3
        from botocore.endpoint import Endpoint
        original = Endpoint._send
        session_before = boto3.DEFAULT_SESSION

        def test_uses(cognito_mock):
            assert Endpoint._send is not original
            assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
            assert boto3.DEFAULT_SESSION is None   # a test starts without one
            boto3.client("cognito-idp").list_user_pools(MaxResults=1)   # makes a default session
            assert boto3.DEFAULT_SESSION is not None

        def test_after():
            # the test's default session, with its cached dummy credentials, is gone
            assert boto3.DEFAULT_SESSION is session_before
            assert Endpoint._send is original
            assert os.environ["AWS_ACCESS_KEY_ID"] == "real-looking-key"
            assert os.environ["AWS_PROFILE"] == "someone"
            assert "AWS_SESSION_TOKEN" not in os.environ
        """,
    )
    result.assert_outcomes(passed=2)


def test_cognito_client_is_bound_to_the_mock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_client(cognito_mock, cognito_client):
            assert cognito_client.meta.service_model.service_name == "cognito-idp"
            assert cognito_client.meta.region_name == "us-east-1"
            pool_id = cognito_client.create_user_pool(PoolName="p")["UserPool"]["Id"]
            assert cognito_mock.call("DescribeUserPool", UserPoolId=pool_id)["UserPool"]["Name"] == "p"
            try:
                cognito_client.describe_user_pool(UserPoolId="us-east-1_nothere1")
            except cognito_client.exceptions.ResourceNotFoundException as error:
                assert error.response["Error"]["Message"] == "User pool us-east-1_nothere1 does not exist."
            else:
                raise AssertionError("expected ResourceNotFoundException")
        """,
    )
    result.assert_outcomes(passed=1)


def test_cognito_user_pool_defaults_and_overrides(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_defaults(cognito_mock, cognito_user_pool):
            pool = cognito_user_pool()
            assert pool.id.startswith("us-east-1_") and pool.region == "us-east-1"
            assert pool.arn == f"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{pool.id}"
            assert pool.name == "test-pool-1" and pool.client_secret is None
            assert pool.mock is cognito_mock
            client = cognito_mock.call("DescribeUserPoolClient", UserPoolId=pool.id,
                                       ClientId=pool.client_id)["UserPoolClient"]
            assert sorted(client["ExplicitAuthFlows"]) == [
                "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
                "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]
            assert cognito_user_pool().name == "test-pool-2"
            assert len(cognito_user_pool.created) == 2

        def test_overrides(cognito_mock, cognito_user_pool):
            pool = cognito_user_pool(
                "shop", secret=True, UsernameAttributes=["email"],
                Policies={"PasswordPolicy": {"MinimumLength": 12}},
                client={"ClientName": "web", "AccessTokenValidity": 5,
                        "TokenValidityUnits": {"AccessToken": "minutes"}},
            )
            assert pool.name == "shop" and len(pool.client_secret) > 40
            assert pool.details["UsernameAttributes"] == ["email"]
            assert pool.details["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
            assert pool.client_details["ClientName"] == "web"
            assert pool.client_details["AccessTokenValidity"] == 5
            eu = cognito_user_pool(region="eu-west-1")
            assert eu.id.startswith("eu-west-1_") and eu.arn.startswith("arn:aws:cognito-idp:eu-west-1:")

        def test_bad_settings_raise_the_service_error(cognito_user_pool):
            from cognito_mock.errors import InvalidParameterException
            import pytest
            with pytest.raises(InvalidParameterException):
                cognito_user_pool(Policies={"PasswordPolicy": {"MinimumLength": 1}})
        """,
    )
    result.assert_outcomes(passed=3)


def test_cognito_user_is_confirmed_and_signs_in(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest
        from cognito_mock.pytest_plugin import DEFAULT_PASSWORD

        def test_default_user(cognito_mock, cognito_client, cognito_user):
            user = cognito_user()
            assert user.username == "user1" and user.password == DEFAULT_PASSWORD
            assert user.attributes["email"] == "user1@example.com"
            assert user.attributes["email_verified"] == "true"
            assert user.attributes["sub"] == user.sub
            got = cognito_mock.call("AdminGetUser", UserPoolId=user.pool_id, Username="user1")
            assert got["UserStatus"] == "CONFIRMED" and got["Enabled"] is True
            tokens = user.sign_in()
            assert set(tokens) >= {"AccessToken", "IdToken", "RefreshToken"}
            # the same credentials through boto3
            answer = cognito_client.initiate_auth(ClientId=user.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                                  AuthParameters=user.auth_parameters)
            assert answer["AuthenticationResult"]["TokenType"] == "Bearer"
            assert user.sign_in("ADMIN_USER_PASSWORD_AUTH")["AccessToken"]
            # a second user shares the default pool
            other = cognito_user("carol", "An0ther-Secret!", attributes={"given_name": "Carol"})
            assert other.pool_id == user.pool_id and other.attributes["given_name"] == "Carol"
            with pytest.raises(cognito_client.exceptions.NotAuthorizedException):
                cognito_client.initiate_auth(ClientId=user.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                             AuthParameters={"USERNAME": "carol",
                                                             "PASSWORD": DEFAULT_PASSWORD})

        def test_secret_client_email_pool_and_groups(cognito_mock, cognito_user_pool, cognito_user):
            pool = cognito_user_pool(secret=True, UsernameAttributes=["email"])
            user = cognito_user(pool=pool, groups=["admins", "staff"])
            assert user.username == "user1@example.com" and user.secret_hash
            assert user.auth_parameters["SECRET_HASH"] == user.secret_hash
            claims = user.sign_in()
            import jwt
            access = jwt.decode(claims["AccessToken"], options={"verify_signature": False})
            assert sorted(access["cognito:groups"]) == ["admins", "staff"]
            second = cognito_user(pool=pool, groups=["admins"])  # the group exists already: fine
            assert second.username == "user2@example.com"

        def test_phone_pool(cognito_user_pool, cognito_user):
            pool = cognito_user_pool(UsernameAttributes=["phone_number"])
            user = cognito_user(pool=pool)
            assert user.username.startswith("+1555") and user.attributes["phone_number"] == user.username
            assert user.sign_in()["AccessToken"]

        def test_weak_password_is_the_service_error(cognito_user):
            from cognito_mock.errors import InvalidPasswordException
            with pytest.raises(InvalidPasswordException):
                cognito_user("dave", "short")
        """,
    )
    result.assert_outcomes(passed=4)


def test_cognito_clock_drives_the_mock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        from cognito_mock import ProcessClock

        def test_clock(cognito_mock, cognito_clock, cognito_user, cognito_client):
            assert isinstance(cognito_clock, ProcessClock) and cognito_mock.clock is cognito_clock
            start = cognito_clock.pin()
            user = cognito_user()
            tokens = user.sign_in()
            assert cognito_client.get_user(AccessToken=tokens["AccessToken"])["Username"] == user.username
            cognito_clock.advance(hours=1, seconds=1)   # access tokens live one hour by default
            try:
                cognito_client.get_user(AccessToken=tokens["AccessToken"])
            except cognito_client.exceptions.NotAuthorizedException as error:
                assert error.response["Error"]["Message"] == "Access Token has expired"
            else:
                raise AssertionError("token should have expired")
            assert cognito_clock.now() == start + 3601

        def test_set_moves_the_pools_dates(cognito_mock, cognito_clock):
            cognito_clock.set(1_800_000_000)
            pool = cognito_mock.call("CreateUserPool", PoolName="p")["UserPool"]
            assert 1_800_000_000 <= pool["CreationDate"].timestamp() < 1_800_000_060
        """,
    )
    result.assert_outcomes(passed=2)


def test_cognito_outbox_collects_messages(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_outbox(cognito_mock, cognito_outbox, cognito_user_pool, cognito_client):
            assert cognito_outbox is cognito_mock.outbox and len(cognito_outbox) == 0
            pool = cognito_user_pool(AutoVerifiedAttributes=["email"])
            cognito_client.sign_up(ClientId=pool.client_id, Username="erin", Password="Test-Passw0rd!",
                                   UserAttributes=[{"Name": "email", "Value": "erin@example.com"}])
            message = cognito_outbox.last("erin@example.com")
            assert message.purpose == "confirm_sign_up" and message.code.isdigit()
            cognito_client.confirm_sign_up(ClientId=pool.client_id, Username="erin",
                                           ConfirmationCode=message.code)
            user = cognito_client.admin_get_user(UserPoolId=pool.id, Username="erin")
            assert user["UserStatus"] == "CONFIRMED"

        def test_empty_again(cognito_outbox):
            assert len(cognito_outbox) == 0
        """,
    )
    result.assert_outcomes(passed=2)


def test_cognito_server_serves_the_tests_own_mock_on_one_url_per_session(
    pytester: pytest.Pytester,
) -> None:
    result = run(
        pytester,
        """
        import json, urllib.request
        import boto3
        urls, mocks = [], []

        def test_first(cognito_server, cognito_clock, cognito_mock, cognito_user_pool, cognito_user):
            urls.append(cognito_server.url); mocks.append(cognito_server.mock)
            assert cognito_server.url.startswith("http://127.0.0.1:")
            assert cognito_server.mock is cognito_mock and cognito_mock.clock is cognito_clock
            # One Cognito: a pool made by the factory is served, its JWKS answered by URL
            pool = cognito_user_pool()
            user = cognito_user("ann", pool=pool)
            with urllib.request.urlopen(f"{cognito_server.url}/{pool.id}/.well-known/jwks.json") as r:
                assert {k["use"] for k in json.load(r)["keys"]} == {"sig"}
            client = cognito_server.client()
            assert client.meta.endpoint_url == cognito_server.url
            got = client.admin_get_user(UserPoolId=pool.id, Username="ann")
            assert got["UserAttributes"][0]["Value"] == user.sub
            # ... and what the HTTP client makes, the in-process clients see
            made = client.create_user_pool(PoolName="over-http")["UserPool"]["Id"]
            local = boto3.client("cognito-idp", region_name="us-east-1")
            assert {p["Id"] for p in local.list_user_pools(MaxResults=10)["UserPools"]} == {
                pool.id, made}
            assert cognito_mock.public_url == cognito_server.url

        def test_second(cognito_server, cognito_mock):
            assert cognito_server.url == urls[0]
            assert cognito_server.mock is cognito_mock and cognito_mock is not mocks[0]
            assert cognito_server.client().list_user_pools(MaxResults=10)["UserPools"] == []
            assert mocks[0].public_url is None   # the first test's mock is no longer served
        """,
    )
    result.assert_outcomes(passed=2)


def test_cognito_server_reports_errors_raised_while_serving(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest
        from botocore.config import Config

        def explode(request):
            raise ZeroDivisionError("in the server thread")

        def test_server_error(cognito_server):
            cognito_server.mock.faults.fail("ListUserPools", when=explode)
            client = cognito_server.client(config=Config(retries={"total_max_attempts": 1}))
            with pytest.raises(client.exceptions.InternalErrorException) as caught:
                client.list_user_pools(MaxResults=1)   # a loud 500, never a dropped connection
            assert "ZeroDivisionError: in the server thread" in str(caught.value)

        def test_next_is_clean(cognito_server):
            assert cognito_server.client().list_user_pools(MaxResults=1)["UserPools"] == []
        """,
    )
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_server_error*", "*ZeroDivisionError*"])


def test_fixtures_work_under_xdist(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.parametrize("n", range(4))
        def test_server(cognito_server, n):
            client = cognito_server.client()
            client.create_user_pool(PoolName=f"p{n}")
            assert len(client.list_user_pools(MaxResults=10)["UserPools"]) == 1

        @pytest.mark.parametrize("n", range(4))
        def test_in_process(cognito_user, n):
            assert cognito_user().sign_in()["AccessToken"]
        """,
        "-n",
        "2",
    )
    result.assert_outcomes(passed=8)
