"""Teardown: restores everything, reports its own errors, and never buries a test's failure."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

BREAK_INTERCEPTION = """
import pytest
from cognito_mock.transports import boto

def break_teardown():
    boto._active.clear()   # the fixture's interception can no longer exit cleanly

@pytest.fixture(autouse=True)
def repair():
    # Set up before cognito_mock, so torn down after it: leaves botocore unpatched for the
    # tests that run later in this process.
    yield
    boto.Endpoint._send = boto._original_send
    boto.RequestSigner.sign = boto._original_sign
"""


def run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    pytester.makepyfile(source)
    return pytester.runpytest("-p", "no:cacheprovider", "-rA")


def test_teardown_error_is_reported_when_the_test_passed(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        BREAK_INTERCEPTION
        + """
def test_passes(cognito_mock):
    break_teardown()
""",
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*ERROR at teardown of test_passes*", "*ValueError*"])


def test_teardown_error_does_not_mask_a_failed_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        BREAK_INTERCEPTION
        + """
def test_fails(cognito_mock):
    break_teardown()
    assert 1 + 1 == 3, "the real failure"
""",
    )
    result.assert_outcomes(failed=1, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: the real failure*",
            "*CognitoMockTeardownWarning: cognito_mock teardown failed after the test had failed*",
        ]
    )
    result.stdout.no_fnmatch_line("*ERROR at teardown*")


def test_environment_restored_after_a_failing_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import os
from botocore.endpoint import Endpoint
original = Endpoint._send

def test_fails(cognito_mock):
    assert os.environ["AWS_ACCESS_KEY_ID"] == "testing"
    raise RuntimeError("boom")

def test_after():
    assert "AWS_ACCESS_KEY_ID" not in os.environ
    assert Endpoint._send is original
""",
    )
    result.assert_outcomes(passed=1, failed=1)


def test_server_error_does_not_mask_a_failed_test(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
from botocore.config import Config

def explode(request):
    raise KeyError("server side")

def test_fails(cognito_server):
    cognito_server.mock.faults.fail("ListUserPools", when=explode)
    client = cognito_server.client(config=Config(retries={"total_max_attempts": 1}))
    client.list_user_pools(MaxResults=1)   # raises in the test too
""",
    )
    result.assert_outcomes(failed=1, warnings=1)
    result.stdout.no_fnmatch_line("*ERROR at teardown*")
    result.stdout.fnmatch_lines(["*cognito_server teardown failed after the test had failed*"])
