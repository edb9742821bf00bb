"""A downstream suite as users write it (issue: fixtures, clock, exceptions behave as expected):
a module-level boto3 client, `pytest.raises` with the fixture's exception classes, freezegun and
time-machine, Hypothesis with a fresh mock per example, factories sharing the test's pool."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

APPLICATION = """
import boto3

# As many applications do: one client, made when the module is imported (during collection).
cognito = boto3.client("cognito-idp")


def profile(pool_id, username):
    return cognito.admin_get_user(UserPoolId=pool_id, Username=username)
"""


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(app=APPLICATION)
    pytester.makepyfile(test_suite=source)
    pytester.syspathinsert()
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_a_module_level_client_and_the_fixtures_exception_classes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No region anywhere: the module-level client is made during collection all the same, and the
    error its call raises is caught by `cognito_client.exceptions`."""
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_CONFIG_FILE", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    result = run(
        pytester,
        """
        import pytest
        import app

        def test_unknown_user(cognito_client, cognito_user_pool):
            pool = cognito_user_pool()
            with pytest.raises(cognito_client.exceptions.UserNotFoundException) as caught:
                app.profile(pool.id, "nobody")
            assert caught.value.response["Error"]["Message"] == "User does not exist."

        def test_known_user(cognito_user):
            user = cognito_user("ann")
            assert app.profile(user.pool_id, "ann")["Username"] == "ann"
        """,
    )
    result.assert_outcomes(passed=2)


@pytest.mark.parametrize("library", ["freezegun", "time_machine"])
def test_the_clock_follows_freezegun_and_time_machine(
    pytester: pytest.Pytester, library: str
) -> None:
    """Tokens issued at a frozen instant two hours on are fresh then, and an application's own
    PyJWT expiry check agrees with the mock through `cognito_clock.now()`."""
    travel = (
        "freezegun.freeze_time(when)"
        if library == "freezegun"
        else "time_machine.travel(when, tick=False)"
    )
    result = run(
        pytester,
        f"""
        import datetime
        import time

        import freezegun
        import jwt
        import time_machine

        def test_tokens_under_a_frozen_clock(cognito_mock, cognito_clock, cognito_client, cognito_user):
            user = cognito_user()
            when = datetime.datetime(2031, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)
            with {travel}:
                assert abs(cognito_clock.now() - when.timestamp()) < 1
                tokens = user.sign_in()
                assert cognito_client.get_user(AccessToken=tokens["AccessToken"])["Username"]
                claims = jwt.decode(tokens["AccessToken"], options={{"verify_signature": False}})
                assert claims["iat"] == int(when.timestamp())
            later = when + datetime.timedelta(hours=2)
            with {travel.replace("when", "later")}:
                fresh = user.sign_in()  # two hours later, and not already expired
                assert cognito_client.get_user(AccessToken=fresh["AccessToken"])["Username"]
                cognito_clock.advance(hours=1, seconds=1)  # the test's own jump adds to it
                try:
                    cognito_client.get_user(AccessToken=fresh["AccessToken"])
                except cognito_client.exceptions.NotAuthorizedException as error:
                    assert error.response["Error"]["Message"] == "Access Token has expired"
                else:
                    raise AssertionError("the access token should have expired")
                # The application's own expiry check agrees once it reads the mock's time (PyJWT
                # reads the process clock, which does not know the test's own jump).
                jwks = jwt.PyJWKSet.from_dict(cognito_mock.jwks(user.pool_id))
                kid = jwt.get_unverified_header(fresh["IdToken"])["kid"]
                key = next(k for k in jwks.keys if k.key_id == kid)
                claims = jwt.decode(fresh["IdToken"], key.key, algorithms=["RS256"],
                                    audience=user.client_id)  # PyJWT alone: still valid
                assert claims["exp"] > time.time()
                assert claims["exp"] <= cognito_clock.now()  # on the mock's clock: expired
        """,
    )
    result.assert_outcomes(passed=1)


def test_hypothesis_gets_a_fresh_cognito_per_example(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        from hypothesis import given, settings, strategies as st

        seen = []

        @settings(max_examples=15, deadline=None)
        @given(st.text(alphabet="abcdefgh", min_size=1, max_size=8))
        def test_each_example_starts_empty(cognito_mock_factory, name):
            with cognito_mock_factory() as mock:
                assert mock.call("ListUserPools", MaxResults=10)["UserPools"] == []
                mock.call("CreateUserPool", PoolName=name)
                seen.append(mock)

        def test_they_were_distinct():
            assert len(seen) >= 2 and len({id(m) for m in seen}) == len(seen)
        """,
    )
    result.assert_outcomes(passed=2)


def test_users_join_the_pool_the_test_made(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_one_pool(cognito_mock, cognito_user_pool, cognito_user):
            pool = cognito_user_pool(UsernameAttributes=["email"])
            user = cognito_user()
            assert user.pool_id == pool.id
            assert len(cognito_mock.call("ListUserPools", MaxResults=10)["UserPools"]) == 1

        def test_no_pool_made(cognito_mock, cognito_user):
            first, second = cognito_user(), cognito_user()
            assert first.pool_id == second.pool_id
        """,
    )
    result.assert_outcomes(passed=2)
