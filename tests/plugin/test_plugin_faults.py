"""Fault injection as a user's resilience test uses it through the fixtures."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_retrying_client_recovers_and_plain_client_sees_the_throttle(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest
        from botocore.config import Config
        from cognito_mock.faults import FaultConfigurationError

        @pytest.fixture
        def no_backoff(monkeypatch):
            slept = []
            monkeypatch.setattr("botocore.endpoint.time.sleep", slept.append)
            return slept

        def test_retries_absorb_two_throttles(cognito_mock, cognito_user, no_backoff):
            user = cognito_user()
            fault = cognito_mock.faults.fail("AdminGetUser", "TooManyRequestsException", times=2)
            client = cognito_mock.client(config=Config(retries={"mode": "standard", "max_attempts": 3}))
            got = client.admin_get_user(UserPoolId=user.pool_id, Username=user.username)
            assert got["Username"] == user.username
            assert fault.fired == 2 and len(no_backoff) == 2

        def test_single_attempt_sees_the_error(cognito_mock, cognito_user):
            user = cognito_user()
            cognito_mock.faults.fail("AdminGetUser", times=1)
            client = cognito_mock.client(config=Config(retries={"total_max_attempts": 1}))
            with pytest.raises(client.exceptions.TooManyRequestsException) as caught:
                client.admin_get_user(UserPoolId=user.pool_id, Username=user.username)
            assert caught.value.response["Error"]["Message"] == "Rate exceeded"

        def test_intercepted_default_client_and_matching(cognito_mock, cognito_client, cognito_user):
            alice, bob = cognito_user("alice"), cognito_user("bob")
            cognito_mock.faults.fail("InitiateAuth", "InternalErrorException",
                                     when={"AuthParameters": {"USERNAME": "bob"}})
            cognito_client.meta.config.retries["total_max_attempts"] = 1
            assert alice.sign_in()["AccessToken"]
            with pytest.raises(cognito_client.exceptions.InternalErrorException):
                cognito_client.initiate_auth(ClientId=bob.client_id, AuthFlow="USER_PASSWORD_AUTH",
                                             AuthParameters=bob.auth_parameters)

        def test_undeclared_error_refused(cognito_mock):
            expected = "ListUserPools does not declare UserNotFoundException"
            with pytest.raises(FaultConfigurationError, match=expected):
                cognito_mock.faults.fail("ListUserPools", "UserNotFoundException")

        def test_latency_recorded_clock_untouched(cognito_mock, cognito_clock, cognito_client):
            before = cognito_clock.pin()
            cognito_mock.faults.delay("ListUserPools", 3.0)
            cognito_client.list_user_pools(MaxResults=1)
            assert cognito_mock.faults.total_latency("ListUserPools") == 3.0
            assert cognito_clock.now() == before

        def test_faults_do_not_leak_between_tests(cognito_mock, cognito_client):
            assert len(cognito_mock.faults) == 0
            cognito_client.list_user_pools(MaxResults=1)

        @pytest.mark.cognito(seed=11)
        def test_probabilistic_faults_replay(cognito_mock):
            cognito_mock.faults.fail("ListUserPools", probability=0.5)
            pattern = []
            for _ in range(30):
                try:
                    cognito_mock.call("ListUserPools", MaxResults=1)
                    pattern.append(".")
                except Exception:
                    pattern.append("x")
            print("PATTERN", "".join(pattern))

        def test_server_faults(cognito_server):
            cognito_server.mock.faults.fail("ListUserPools", times=1)
            client = cognito_server.client()   # default retries
            assert client.list_user_pools(MaxResults=1)["UserPools"] == []
            assert cognito_server.mock.faults.injected[0].error == "TooManyRequestsException"
        """
    )
    first = pytester.runpytest("-p", "no:cacheprovider", "-s")
    first.assert_outcomes(passed=8)
    second = pytester.runpytest("-p", "no:cacheprovider", "-s", "-k", "replay")
    patterns = [
        line.split("PATTERN ")[1][:30]
        for r in (first, second)
        for line in r.outlines
        if "PATTERN " in line
    ]
    assert len(patterns) == 2 and patterns[0] == patterns[1]
    assert "x" in patterns[0] and "." in patterns[0]
