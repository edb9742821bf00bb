"""Configuration: the `cognito` marker, ini options, `--cognito-mock-*` options, precedence, overrides."""

from __future__ import annotations

import re

import pytest

pytest_plugins = ["pytester"]

REPORT = """
import json, pytest

def report(mock):
    print("CONFIG", json.dumps({"region": mock.region, "account_id": mock.account_id,
                                "validate": mock.validate, "seed": mock.seed}))
"""


def configs(result: pytest.RunResult) -> list[dict[str, object]]:
    import json

    return [
        json.loads(line.split("CONFIG ", 1)[1]) for line in result.outlines if "CONFIG {" in line
    ]


def run(pytester: pytest.Pytester, body: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(REPORT + body)
    return pytester.runpytest("-p", "no:cacheprovider", "-s", *args)


def test_defaults(pytester: pytest.Pytester) -> None:
    result = run(pytester, "def test_a(cognito_mock):\n    report(cognito_mock)\n")
    result.assert_outcomes(passed=1)
    assert configs(result) == [
        {
            "region": "us-east-1",
            "account_id": "123456789012",
            "validate": True,
            "seed": "test_defaults.py::test_a",
        }
    ]
    result.stdout.fnmatch_lines(["cognito-mock: region=us-east-1 validate=True seed=per test"])


def test_marker_sets_everything_and_reaches_the_service(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.mark.cognito(region="eu-west-1", account_id="111122223333", validate=False, seed=7)
def test_a(cognito_mock, cognito_client, cognito_user_pool):
    report(cognito_mock)
    pool = cognito_user_pool()
    assert pool.arn.startswith("arn:aws:cognito-idp:eu-west-1:111122223333:userpool/eu-west-1_")
    assert cognito_client.meta.region_name == "eu-west-1"
    # validate=False: an invalid id reaches the handler, which answers not-found
    try:
        cognito_client.describe_user_pool(UserPoolId="not a pool id")
    except cognito_client.exceptions.ResourceNotFoundException:
        pass
""",
    )
    result.assert_outcomes(passed=1)
    assert configs(result) == [
        {"region": "eu-west-1", "account_id": "111122223333", "validate": False, "seed": 7}
    ]


def test_marker_on_class_and_module_closest_wins(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
pytestmark = pytest.mark.cognito(region="ap-south-1", seed=1)

@pytest.mark.cognito(region="eu-central-1")
class TestGroup:
    def test_class(self, cognito_mock):
        report(cognito_mock)

    @pytest.mark.cognito(seed="mine")
    def test_method(self, cognito_mock):
        report(cognito_mock)

def test_module(cognito_mock):
    report(cognito_mock)
""",
    )
    result.assert_outcomes(passed=3)
    assert [(c["region"], c["seed"]) for c in configs(result)] == [
        ("eu-central-1", 1),
        ("eu-central-1", "mine"),
        ("ap-south-1", 1),
    ]


def test_marker_is_registered_and_strict_markers_accept_it(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        "@pytest.mark.cognito(seed=1)\ndef test_a(cognito_mock):\n    pass\n",
        "--strict-markers",
    )
    result.assert_outcomes(passed=1)
    markers = pytester.runpytest("--markers")
    markers.stdout.fnmatch_lines(
        ["@pytest.mark.cognito(region=None, account_id=None, validate=None*"]
    )


def test_marker_misuse_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.mark.cognito(regoin="eu-west-1")
def test_typo(cognito_mock):
    pass

@pytest.mark.cognito("eu-west-1")
def test_positional(cognito_mock):
    pass
""",
    )
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.cognito got unknown regoin; known: region, account_id, validate, seed*",
            "*@pytest.mark.cognito takes keyword arguments only*",
        ]
    )


def test_command_line_options(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        "def test_a(cognito_mock):\n    report(cognito_mock)\n",
        "--cognito-mock-region=sa-east-1",
        "--cognito-mock-account-id=999999999999",
        "--cognito-mock-seed=42",
        "--cognito-mock-no-validate",
    )
    result.assert_outcomes(passed=1)
    assert configs(result) == [
        {"region": "sa-east-1", "account_id": "999999999999", "validate": False, "seed": 42}
    ]
    result.stdout.fnmatch_lines(["cognito-mock: region=sa-east-1 validate=False seed=42"])


def test_ini_options(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        cognito_mock_region = ca-central-1
        cognito_mock_account_id = 444455556666
        cognito_mock_seed = random
        cognito_mock_validate = false
        """
    )
    result = run(pytester, "def test_a(cognito_mock):\n    report(cognito_mock)\n")
    result.assert_outcomes(passed=1)
    assert configs(result) == [
        {"region": "ca-central-1", "account_id": "444455556666", "validate": False, "seed": None}
    ]


def test_precedence_marker_over_command_line_over_ini(pytester: pytest.Pytester) -> None:
    pytester.makeini(
        """
        [pytest]
        cognito_mock_region = ca-central-1
        cognito_mock_seed = 5
        cognito_mock_account_id = 444455556666
        """
    )
    result = run(
        pytester,
        """
@pytest.mark.cognito(region="eu-north-1")
def test_marker(cognito_mock):
    report(cognito_mock)

def test_plain(cognito_mock):
    report(cognito_mock)
""",
        "--cognito-mock-region=us-west-2",
        "--cognito-mock-seed=abc",
    )
    result.assert_outcomes(passed=2)
    assert [(c["region"], c["seed"], c["account_id"]) for c in configs(result)] == [
        ("eu-north-1", "abc", "444455556666"),
        ("us-west-2", "abc", "444455556666"),
    ]


def test_same_seed_same_ids_across_runs_and_per_test_seeds_differ(
    pytester: pytest.Pytester,
) -> None:
    body = """
def test_a(cognito_user_pool):
    print("POOL", cognito_user_pool().id)

def test_b(cognito_user_pool):
    print("POOL", cognito_user_pool().id)
"""
    pools = []
    for _ in range(2):
        result = run(pytester, body)
        result.assert_outcomes(passed=2)
        pools.append(re.findall(r"POOL (\S+)", result.stdout.str()))
    assert pools[0] == pools[1] and pools[0][0] != pools[0][1]
    fixed = run(pytester, body, "--cognito-mock-seed=9")
    fixed_pools = re.findall(r"POOL (\S+)", fixed.stdout.str())
    assert len(fixed_pools) == 2 and fixed_pools[0] == fixed_pools[1]
    unseeded = re.findall(
        r"POOL (\S+)", run(pytester, body, "--cognito-mock-seed=random").stdout.str()
    )
    assert len(unseeded) == 2 and unseeded[0] != unseeded[1] and unseeded != pools[0]


def test_conftest_can_override_the_config_fixture(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from cognito_mock.pytest_plugin import CognitoMockConfig

        @pytest.fixture
        def cognito_mock_config():
            return CognitoMockConfig(region="eu-west-3", seed=3)
        """
    )
    result = run(pytester, "def test_a(cognito_mock):\n    report(cognito_mock)\n")
    result.assert_outcomes(passed=1)
    assert configs(result) == [
        {"region": "eu-west-3", "account_id": "123456789012", "validate": True, "seed": 3}
    ]


def test_conftest_can_override_cognito_mock(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from cognito_mock import CognitoMock

        @pytest.fixture
        def cognito_mock(cognito_clock):
            mock = CognitoMock(region="us-west-1", clock=cognito_clock, seed="conftest")
            mock.call("CreateUserPool", PoolName="preloaded")
            with mock.intercept():
                yield mock
        """
    )
    result = run(
        pytester,
        """
def test_a(cognito_mock, cognito_client, cognito_user):
    report(cognito_mock)
    names = [p["Name"] for p in cognito_client.list_user_pools(MaxResults=10)["UserPools"]]
    assert names == ["preloaded"]
    assert cognito_user().pool_id.startswith("us-west-1_")
""",
    )
    result.assert_outcomes(passed=1)
    assert configs(result)[0]["seed"] == "conftest"


def test_conftest_can_override_cognito_clock(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest
        from cognito_mock import ManualClock

        @pytest.fixture
        def cognito_clock():
            return ManualClock(1_700_000_000)
        """
    )
    result = run(
        pytester,
        """
def test_a(cognito_user_pool):
    assert cognito_user_pool().details["CreationDate"].timestamp() == 1_700_000_000
""",
    )
    result.assert_outcomes(passed=1)
