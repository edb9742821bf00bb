"""Domain strategies: usernames per pool configuration, passwords per policy, attributes per schema."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import rule

from cognito_mock import CognitoMock
from cognito_mock.backend.kernel.attributes import looks_like_email, looks_like_phone
from cognito_mock.errors import InvalidPasswordException
from cognito_mock.strategies import (
    PASSWORD_RULES,
    Email,
    Password,
    PhoneNumber,
    Username,
    addresses,
    attributes,
    emails,
    locales,
    names,
    passwords,
    phone_numbers,
    usernames,
)
from cognito_mock.testing import CognitoStateMachine

FEW = settings(max_examples=15, deadline=None)
POOLS = {
    "plain": {},
    "email": {"UsernameAttributes": ["email"]},
    "phone": {"UsernameAttributes": ["phone_number"]},
    "case_insensitive": {"UsernameConfiguration": {"CaseSensitive": False}},
}


@pytest.mark.parametrize("config", sorted(POOLS))
def test_usernames_are_accepted_by_a_pool_of_that_configuration(config: str) -> None:
    mock = CognitoMock(seed=1)
    pool = mock.call("CreateUserPool", PoolName="p", **POOLS[config])["UserPool"]["Id"]

    @FEW
    @given(usernames(config))
    def check(username: str) -> None:
        mock.call("AdminCreateUser", UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
        found = mock.call("AdminGetUser", UserPoolId=pool, Username=username)
        if config == "case_insensitive":
            other_case = mock.call("AdminGetUser", UserPoolId=pool, Username=username.swapcase())
            assert other_case["Username"] == found["Username"]
        mock.call("AdminDeleteUser", UserPoolId=pool, Username=found["Username"])

    check()


POLICIES = [
    {},
    {"MinimumLength": 6, "RequireSymbols": False, "RequireNumbers": False},
    {"MinimumLength": 20, "RequireUppercase": True, "RequireLowercase": False},
]


@pytest.mark.parametrize("policy", POLICIES)
def test_passwords_meet_the_policy_and_violations_break_exactly_one_rule(
    policy: dict[str, Any],
) -> None:
    mock = CognitoMock(seed=2)
    pool = mock.call(
        "CreateUserPool", PoolName="p", Policies={"PasswordPolicy": policy} if policy else {}
    )["UserPool"]["Id"]
    mock.call("AdminCreateUser", UserPoolId=pool, Username="u", MessageAction="SUPPRESS")
    rules = [r for r in PASSWORD_RULES if r == "length" or policy.get(_key(r), True)]

    @FEW
    @given(
        passwords(policy),
        st.sampled_from(rules).flatmap(
            lambda r: st.tuples(st.just(r), passwords(policy, violate=r))
        ),
    )
    def check(good: str, bad: tuple[str, str]) -> None:
        mock.call("AdminSetUserPassword", UserPoolId=pool, Username="u", Password=good)
        rule, password = bad
        with pytest.raises(InvalidPasswordException) as caught:
            mock.call("AdminSetUserPassword", UserPoolId=pool, Username="u", Password=password)
        # AdminSetUserPassword words it as the admin operations do (SignUp: "...with policy: ").
        assert caught.value.message == (
            "Password did not conform with password policy: " + PASSWORD_RULES[rule]
        )

    check()


def _key(rule: str) -> str:
    return {"uppercase": "RequireUppercase", "lowercase": "RequireLowercase",
            "numbers": "RequireNumbers", "symbols": "RequireSymbols"}.get(rule, "")  # fmt: skip


def test_password_argument_errors_are_raised_on_use() -> None:
    for strategy, why in (
        (passwords(violate="colour"), "violate must be one of length, uppercase, lowercase"),
        (passwords({"RequireSymbols": False}, violate="symbols"), "does not require symbols"),
        (usernames("nickname"), "config must be one of plain, email, phone"),
    ):
        with pytest.raises(ValueError, match=why):
            _draw_once(strategy)


def test_attributes_fit_a_schema_with_custom_attributes() -> None:
    mock = CognitoMock(seed=3)
    pool = mock.call(
        "CreateUserPool",
        PoolName="p",
        Schema=[
            {
                "Name": "tier",
                "AttributeDataType": "String",
                "StringAttributeConstraints": {"MinLength": "2", "MaxLength": "5"},
            },
            {
                "Name": "age",
                "AttributeDataType": "Number",
                "NumberAttributeConstraints": {"MinValue": "18", "MaxValue": "99"},
            },
            {"Name": "vip", "AttributeDataType": "Boolean"},
            {"Name": "family_name", "AttributeDataType": "String", "Required": True},
        ],
    )["UserPool"]["Id"]
    schema = mock.call("DescribeUserPool", UserPoolId=pool)["UserPool"]["SchemaAttributes"]

    @FEW
    @given(attributes(schema), st.integers(0, 10**9))
    def check(values: list[dict[str, str]], n: int) -> None:
        assert "family_name" in {a["Name"] for a in values}
        mock.call("AdminCreateUser", UserPoolId=pool, Username=f"u{n}", UserAttributes=values,
                  MessageAction="SUPPRESS")  # fmt: skip
        mock.call("AdminDeleteUser", UserPoolId=pool, Username=f"u{n}")

    check()


@FEW
@given(emails(), phone_numbers(), names(), addresses(), locales())
def test_people_data_is_realistic(
    email: str, phone: str, name: str, address: str, locale: str
) -> None:
    assert looks_like_email(email) and email.split("@")[1].startswith("example.")
    assert looks_like_phone(phone) and 8 <= len(phone) <= 16
    assert name.strip() and address.strip()
    assert len(locale) == 5 and locale[2] == "-"


def test_faker_values_replay_from_the_drawn_seed() -> None:
    seen: list[str] = []

    @settings(max_examples=5, deadline=None, database=None, derandomize=True)
    @given(names())
    def collect(name: str) -> None:
        seen.append(name)

    collect()
    again = list(seen)
    seen.clear()
    collect()
    assert seen == again


@FEW
@given(
    st.from_type(Email), st.from_type(PhoneNumber), st.from_type(Username), st.from_type(Password)
)
def test_registered_for_from_type(email: str, phone: str, username: str, password: str) -> None:
    assert looks_like_email(email) and looks_like_phone(phone)
    assert username and len(password) >= 8


class SignInMachine(CognitoStateMachine):
    """The documented way to extend the base: a rule over its bundles calling 'user code'."""

    signed_in = 0

    @rule(user=CognitoStateMachine.users, client=CognitoStateMachine.clients)
    def sign_in(self, user: Any, client: Any) -> None:
        if client.pool != user.pool:
            return
        answer = self.client.initiate_auth(
            ClientId=client.id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": user.username, "PASSWORD": user.password},
        )
        assert answer["AuthenticationResult"]["AccessToken"]


SignInMachine.TestCase.settings = settings(max_examples=10, stateful_step_count=12, deadline=None)
TestSignInMachine = SignInMachine.TestCase


def _draw_once(strategy: st.SearchStrategy[Any]) -> None:
    @settings(max_examples=1, database=None, deadline=None)
    @given(strategy)
    def use(value: Any) -> None:
        pass

    use()
