"""A test file to copy: cognito-mock's Hypothesis strategies and state machine in an application suite.

Property tests throw valid, edge and invalid requests (and realistic users) at your code and at the
fake; the state machine gives your own rules a supply of pools, clients and confirmed users.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import rule

from cognito_mock import CognitoMock, dispatch
from cognito_mock.errors import InvalidParameterException
from cognito_mock.strategies import InvalidRequest, emails, from_operation, passwords
from cognito_mock.testing import CognitoStateMachine, UserRef

mock = CognitoMock()
DEFAULT_POLICY = {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True,
                  "RequireNumbers": True, "RequireSymbols": True}  # fmt: skip


@settings(max_examples=25)
@given(from_operation("AdminCreateUser", mode="invalid"))
def test_bad_requests_are_refused_with_the_service_text(case: InvalidRequest) -> None:
    try:
        dispatch.invoke(mock.backend(), "AdminCreateUser", case.request)
    except InvalidParameterException as error:
        assert error.message == case.message  # names case.path and case.constraint
    else:
        raise AssertionError(f"accepted a request breaking {case.path}: {case.constraint}")


@settings(max_examples=25)
@given(email=emails(), password=passwords(DEFAULT_POLICY))
def test_any_policy_password_signs_up(email: str, password: str) -> None:
    local = CognitoMock()
    pool_id = local.call("CreateUserPool", PoolName="p", UsernameAttributes=["email"])["UserPool"][
        "Id"
    ]
    client_id = local.call("CreateUserPoolClient", UserPoolId=pool_id, ClientName="app")[
        "UserPoolClient"
    ]["ClientId"]
    answer = local.call(
        "SignUp",
        ClientId=client_id,
        Username=email,
        Password=password,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    assert answer["UserConfirmed"] is False


@settings(max_examples=25)
@given(password=passwords(DEFAULT_POLICY, violate="symbols"))
def test_a_password_without_symbols_is_refused(password: str) -> None:
    local = CognitoMock()
    pool_id = local.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    local.call("AdminCreateUser", UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    try:
        local.call("AdminSetUserPassword", UserPoolId=pool_id, Username="ann", Password=password)
    except Exception as error:  # the service's InvalidPasswordException
        assert "Password must have symbol characters" in str(error)
    else:
        raise AssertionError("accepted a password without symbols")


class SignInMachine(CognitoStateMachine):
    """Your rules take users from the `users` bundle; here: every user can sign in."""

    @rule(user=CognitoStateMachine.users, ignored=st.none())
    def user_can_look_itself_up(self, user: UserRef, ignored: None) -> None:
        found = self.client.admin_get_user(UserPoolId=user.pool.id, Username=user.username)
        assert found["UserStatus"] == "CONFIRMED"


TestSignInMachine = SignInMachine.TestCase
TestSignInMachine.settings = settings(max_examples=5, stateful_step_count=8, deadline=None)
