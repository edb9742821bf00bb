"""Stateful test of the directory: a Hypothesis state machine checks users and groups against a model.

Each machine run creates one mock, one pool, one app client (LEGACY existence errors) and one boto3
client, then drives sign-up, confirmation (codes read from `mock.outbox`), admin creation, resets,
forgotten passwords, set password, enable/disable, deletion, groups, membership and attribute
changes. `Model` below predicts every outcome, error code and message included, from the fact sheet
(`cognito-behaviour.md` sections 6, 7.2, 8 and 9) without looking at the fake's state; after every
step the machine compares the service's view (ListUsers, ListUsersInGroup, AdminGetUser,
AdminListGroupsForUser, a filtered ListUsers) with the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from cognito_mock import CognitoMock, ManualClock

NOT_FOUND = "User does not exist."
CLIENT_NOT_FOUND = "Username/client id combination not found."
MISMATCH = "Invalid verification code provided, please try again."
EXPIRED = "Invalid code provided, please request a code again."
LIMIT = "Attempt limit exceeded, please try after some time."
CANNOT_RESET = "User password cannot be reset in the current state."
NO_CHANNEL = (
    "Cannot reset password for the user as there is no registered/verified email or phone_number"
)
POLICY = "Password did not conform with policy: "
ADMIN_POLICY = "Password did not conform with password policy: "  # AdminCreate/AdminSetUserPassword
TTL = {"confirm": 86400.0, "reset": 3600.0}  # sign-up codes 24 h, reset codes 1 h (section 6)
MAX_FAILURES = 5  # wrong guesses before a code is void
RESEND_LIMIT = 5  # ResendConfirmationCode per user per hour

VALID_PASSWORDS = ["Passw0rd!", "Sup3r$ecret", "N3w-Pass!x"]
# Each fails exactly one rule of the default policy, so the message is unambiguous.
INVALID_PASSWORDS = {
    "Sh0rt!a": "Password not long enough",
    "passw0rd!": "Password must have uppercase characters",
    "PASSW0RD!": "Password must have lowercase characters",
    "Password!": "Password must have numeric characters",
    "Passw0rdX": "Password must have symbol characters",
}
# Mostly valid: a rejected password ends most rules early.
PASSWORDS = [*VALID_PASSWORDS * 3, *INVALID_PASSWORDS]
NAMES = ["alice", "bob", "carol"]
EMAILS = ["alice@example.com", "bob@example.com", "shared@example.com"]
GROUPS = ["admins", "staff", "beta"]
GIVEN = ["Ann", "Bo"]

Expect = tuple[str, str | None] | None  # (error code, message or None to skip) or success


def policy_error(password: str, *, admin: bool = False) -> Expect:
    """The default policy (8 chars, upper, lower, digit, symbol), one rule per error."""
    rules = [
        (len(password) >= 8, "Password not long enough"),
        (any(c.isupper() for c in password), "Password must have uppercase characters"),
        (any(c.islower() for c in password), "Password must have lowercase characters"),
        (any(c.isdigit() for c in password), "Password must have numeric characters"),
        (any(not c.isalnum() for c in password), "Password must have symbol characters"),
    ]
    for ok, text in rules:
        if not ok:
            return ("InvalidPasswordException", (ADMIN_POLICY if admin else POLICY) + text)
    return None


@dataclass
class MCode:
    value: str
    expires: float
    failures: int = 0


@dataclass
class MUser:
    username: str  # the internal username the service reports (the sub in email pools)
    sub: str
    status: str
    attributes: dict[str, str]  # without `sub`
    enabled: bool = True
    groups: set[str] = field(default_factory=set)
    confirm: MCode | None = None
    reset: MCode | None = None
    resends: list[float] = field(default_factory=list)


def recase(name: str, bits: int) -> str:
    """`name` with the letters whose bit is set upper-cased (shrinks towards all lower case)."""
    return "".join(c.upper() if bits >> i & 1 else c for i, c in enumerate(name))


class DirectoryMachine(RuleBasedStateMachine):
    """Subclasses set the pool configuration; the rules and the model are shared."""

    POOL: ClassVar[dict[str, Any]] = {}
    CASE_SENSITIVE: ClassVar[bool] = True
    EMAIL_USERNAME: ClassVar[bool] = False  # UsernameAttributes=["email"]
    EMAIL_ALIAS: ClassVar[bool] = False  # AliasAttributes=["email"]

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(1_790_000_000.0)
        self.mock = CognitoMock(clock=self.clock, seed=7)
        # No retries: LimitExceededException is retryable and would only repeat the call.
        self.aws = self.mock.client(config=Config(retries={"total_max_attempts": 1}))
        made = self.aws.create_user_pool(
            PoolName="stateful", AutoVerifiedAttributes=["email"], **self.POOL
        )
        self.pool_id = made["UserPool"]["Id"]
        self.client_id = self.aws.create_user_pool_client(
            UserPoolId=self.pool_id, ClientName="app", PreventUserExistenceErrors="LEGACY"
        )["UserPoolClient"]["ClientId"]
        self.users: dict[str, MUser] = {}  # by sub
        self.groups: dict[str, set[str]] = {}  # group -> subs
        self.touched: str | None = None  # the spelling the last rule used for its user
        self.sent = 0  # messages in the outbox the model has accounted for
        self.groups_changed = False  # a group was created or deleted: check every user's groups

    # -- the model ---------------------------------------------------------------------------

    def fold(self, value: str) -> str:
        return value if self.CASE_SENSITIVE else value.lower()

    def find(self, name: str) -> MUser | None:
        """Username first, then the email that is the username or a verified email alias."""
        key = self.fold(name)
        for user in self.users.values():
            if self.fold(user.username) == key:
                return user
        for user in self.users.values():
            email = user.attributes.get("email")
            if email is None or self.fold(email) != key:
                continue
            if self.EMAIL_USERNAME or (
                self.EMAIL_ALIAS and user.attributes.get("email_verified") == "true"
            ):
                return user
        return None

    def alias_owner(self, email: str, other_than: MUser | None) -> MUser | None:
        if not self.EMAIL_ALIAS:
            return None
        for user in self.users.values():
            if (
                user is not other_than
                and user.attributes.get("email_verified") == "true"
                and self.fold(user.attributes.get("email", "")) == self.fold(email)
            ):
                return user
        return None

    def format_error(self, name: str) -> Expect:
        if self.EMAIL_ALIAS and "@" in name:
            text = (
                "Username cannot be of email format, since user pool is configured for email alias."
            )
            return ("InvalidParameterException", text)
        return None

    def consume(self, code: MCode | None, given: str) -> Expect:
        """Predict a code check and update the model's code as the service does."""
        if code is None or self.clock.now() > code.expires:
            return ("ExpiredCodeException", EXPIRED)
        if code.failures >= MAX_FAILURES:
            return ("LimitExceededException", LIMIT)
        if given != code.value:
            code.failures += 1
            return ("CodeMismatchException", MISMATCH)
        return None

    # -- calling the service -------------------------------------------------------------------

    def call(self, expected: Expect, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = getattr(self.aws, operation)(**kwargs)
        except ClientError as error:
            got = (error.response["Error"]["Code"], error.response["Error"]["Message"])
            assert expected is not None, f"{operation}{kwargs} failed unexpectedly: {got}"
            assert got[0] == expected[0], f"{operation}{kwargs}: expected {expected}, got {got}"
            if expected[1] is not None:
                assert got[1] == expected[1], f"{operation}: expected {expected}, got {got}"
            return {}
        assert expected is None, f"{operation}{kwargs} succeeded; expected {expected}"
        return result

    def received(self, count: int, purpose: str | None = None, to: str | None = None) -> str | None:
        """Check that exactly `count` messages were sent since the last check; the last code."""
        outbox = self.mock.outbox
        assert len(outbox) - self.sent == count, [m.purpose for m in outbox][self.sent :]
        self.sent = len(outbox)
        if count == 0:
            return None
        message = outbox[-1]
        assert message.purpose == purpose, message
        assert to is None or message.to == to, message
        return message.code

    def code_for(self, code: MCode | None, right: bool) -> str:
        real = code.value if code is not None else "123456"
        return real if right else ("111111" if real != "111111" else "222222")

    def attributes_for(self, email: str | None, given: str | None) -> list[dict[str, str]]:
        attrs = []
        if email is not None and not self.EMAIL_USERNAME:
            attrs.append({"Name": "email", "Value": email})
        if given is not None:
            attrs.append({"Name": "given_name", "Value": given})
        return attrs

    # -- strategies ----------------------------------------------------------------------------

    def spell(self, base: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        if self.CASE_SENSITIVE:
            return base
        return st.builds(recase, base, st.integers(0, 2**12))

    def handles(self, users: Any) -> list[str]:
        """The names the test may use for `users`: username (or email-as-username), email alias."""
        found = set()
        for user in users:
            found.add(user.attributes.get("email") if self.EMAIL_USERNAME else user.username)
            if self.EMAIL_ALIAS and user.attributes.get("email_verified") == "true":
                found.add(user.attributes.get("email"))  # an alias only once verified
        return sorted(name for name in found if name)

    def pick(self, data: st.DataObject, prefer: Callable[[MUser], bool] | None = None) -> str:
        """A name for the rule's user: often one the rule can succeed with (`prefer`), often any
        existing user, otherwise any name; in the spellings the pool accepts."""
        choices = [st.sampled_from(EMAILS if self.EMAIL_USERNAME or self.EMAIL_ALIAS else NAMES)]
        if self.EMAIL_ALIAS:
            choices.insert(0, st.sampled_from(NAMES))
        everyone = self.handles(self.users.values())
        if everyone:
            choices.insert(0, st.sampled_from(everyone))
        preferred = self.handles(u for u in self.users.values() if prefer and prefer(u))
        if preferred:
            choices.insert(0, st.sampled_from(preferred))
        name = data.draw(self.spell(st.one_of(choices)), "name")
        self.touched = name
        return name

    def pick_new(self, data: st.DataObject) -> str:
        """A name for a new user (taken or not); in an email-alias pool sometimes an email."""
        base = st.sampled_from(EMAILS if self.EMAIL_USERNAME else NAMES)
        if self.EMAIL_ALIAS:
            base = base | st.sampled_from(EMAILS[:1])
        name = data.draw(self.spell(base), "name")
        self.touched = name
        return name

    def group(self, data: st.DataObject) -> str:
        existing = sorted(self.groups)
        anything = st.sampled_from(GROUPS)
        return data.draw(st.sampled_from(existing) | anything if existing else anything, "group")

    @initialize()
    def confirmed_user(self) -> None:
        """One CONFIRMED user with a verified email, so recovery flows get going early."""
        email = "dave@example.com"
        name = email if self.EMAIL_USERNAME else "dave"
        attrs = [{"Name": "email_verified", "Value": "true"}]
        if not self.EMAIL_USERNAME:
            attrs.append({"Name": "email", "Value": email})
        made = self.call(
            None, "admin_create_user", UserPoolId=self.pool_id, Username=name,
            UserAttributes=attrs, MessageAction="SUPPRESS",
        )["User"]  # fmt: skip
        self.call(
            None, "admin_set_user_password", UserPoolId=self.pool_id, Username=name,
            Password=VALID_PASSWORDS[0], Permanent=True,
        )  # fmt: skip
        sub = self.sub_of(made["Attributes"])
        self.users[sub] = MUser(
            username=made["Username"], sub=sub, status="CONFIRMED",
            attributes={"email": email, "email_verified": "true"},
        )  # fmt: skip

    # -- rules: sign-up and confirmation -------------------------------------------------------

    @rule(
        data=st.data(),
        password=st.sampled_from(PASSWORDS),
        email=st.none() | st.sampled_from(EMAILS),
        given=st.none() | st.sampled_from(GIVEN),
    )
    def sign_up(
        self, data: st.DataObject, password: str, email: str | None, given: str | None
    ) -> None:
        name = self.pick_new(data)
        if self.EMAIL_USERNAME:
            email = name
        expected = policy_error(password) or self.format_error(name)
        if (
            expected is None
            and self.find(name) is not None
            and (
                self.EMAIL_USERNAME or self.fold(self.find(name).username) == self.fold(name)  # type: ignore[union-attr]
            )
        ):
            text = (
                "An account with the given email already exists."
                if self.EMAIL_USERNAME
                else ("User already exists")
            )
            expected = ("UsernameExistsException", text)
        kwargs = {"ClientId": self.client_id, "Username": name, "Password": password,
                  "UserAttributes": self.attributes_for(email, given)}  # fmt: skip
        got = self.call(expected, "sign_up", **kwargs)
        if expected is not None:
            self.received(0)
            return
        assert got["UserConfirmed"] is False
        user = MUser(
            username=got["UserSub"] if self.EMAIL_USERNAME else name, sub=got["UserSub"],
            status="UNCONFIRMED", attributes={},
        )  # fmt: skip
        if email is not None:
            user.attributes["email"] = email
        if given is not None:
            user.attributes["given_name"] = given
        self.users[user.sub] = user
        if email is None:
            assert "CodeDeliveryDetails" not in got
            self.received(0)
            return
        assert got["CodeDeliveryDetails"]["AttributeName"] == "email"
        code = self.received(1, "confirm_sign_up", to=email)
        assert code is not None
        user.confirm = MCode(code, self.clock.now() + TTL["confirm"])

    @rule(data=st.data(), right=st.sampled_from([True, True, False]), force=st.booleans())
    def confirm_sign_up(self, data: st.DataObject, right: bool, force: bool) -> None:
        name = self.pick(data, lambda u: u.confirm is not None and u.status == "UNCONFIRMED")
        user = self.find(name)
        code = self.code_for(user.confirm if user else None, right)
        expected: Expect = None
        if user is None:
            expected = ("UserNotFoundException", CLIENT_NOT_FOUND)
        elif user.status != "UNCONFIRMED":
            expected = (
                "NotAuthorizedException",
                f"User cannot be confirmed. Current status is {user.status}",
            )
        else:
            expected = self.consume(user.confirm, code)
            email = user.attributes.get("email")
            if expected is None and email:
                owner = self.alias_owner(email, user)
                if owner is not None and not force:
                    # The alias conflict fails the confirmation and leaves the code usable.
                    expected = ("AliasExistsException", "An account with the email already exists.")
        self.call(
            expected, "confirm_sign_up", ClientId=self.client_id, Username=name,
            ConfirmationCode=code, ForceAliasCreation=force,
        )  # fmt: skip
        if expected is not None:
            if expected[0] == "ExpiredCodeException" and user is not None:
                user.confirm = None
            return
        assert user is not None
        if user.attributes.get("email"):
            owner = self.alias_owner(user.attributes["email"], user)
            if owner is not None:
                owner.attributes["email_verified"] = "false"  # ForceAliasCreation moved it
            user.attributes["email_verified"] = "true"
        user.status = "CONFIRMED"
        user.confirm = None

    @rule(data=st.data())
    def resend_confirmation_code(self, data: st.DataObject) -> None:
        name = self.pick(data, lambda u: u.status == "UNCONFIRMED")
        user = self.find(name)
        now = self.clock.now()
        expected: Expect = None
        if user is None:
            expected = ("UserNotFoundException", CLIENT_NOT_FOUND)
        elif user.status != "UNCONFIRMED":
            expected = ("InvalidParameterException", "User is already confirmed.")
        elif not user.attributes.get("email"):
            expected = ("InvalidParameterException", "Auto verification not turned on.")
        elif len([t for t in user.resends if now - t < 3600]) >= RESEND_LIMIT:
            expected = ("LimitExceededException", LIMIT)
        self.call(expected, "resend_confirmation_code", ClientId=self.client_id, Username=name)
        if expected is not None:
            self.received(0)
            return
        assert user is not None
        user.resends = [t for t in user.resends if now - t < 3600] + [now]
        code = self.received(1, "confirm_sign_up", to=user.attributes["email"])
        assert code is not None
        user.confirm = MCode(code, now + TTL["confirm"])

    @rule(data=st.data())
    def admin_confirm_sign_up(self, data: st.DataObject) -> None:
        name = self.pick(data, lambda u: u.status == "UNCONFIRMED")
        user = self.find(name)
        expected: Expect = None
        if user is None:
            expected = ("UserNotFoundException", NOT_FOUND)
        elif user.status != "UNCONFIRMED":
            expected = (
                "NotAuthorizedException",
                f"User cannot be confirmed. Current status is {user.status}",
            )
        self.call(expected, "admin_confirm_sign_up", UserPoolId=self.pool_id, Username=name)
        if expected is None:
            assert user is not None
            user.status = "CONFIRMED"  # AdminConfirmSignUp does not verify email (section 6)
            user.confirm = None

    # -- rules: admin creation and passwords ---------------------------------------------------

    @rule(
        data=st.data(),
        password=st.none() | st.sampled_from([VALID_PASSWORDS[0], "Sh0rt!a"]),
        email=st.none() | st.sampled_from(EMAILS),
        verified=st.sampled_from([True, False]),
        suppress=st.booleans(),
        force=st.booleans(),
    )
    def admin_create_user(
        self, data: st.DataObject, password: str | None, email: str | None,
        verified: bool, suppress: bool, force: bool,
    ) -> None:  # fmt: skip
        name = self.pick_new(data)
        if self.EMAIL_USERNAME:
            email = name
        attrs = self.attributes_for(email, None)
        if verified and email is not None:
            attrs.append({"Name": "email_verified", "Value": "true"})
        expected = (policy_error(password, admin=True) if password else None) or self.format_error(
            name
        )
        existing = self.find(name)
        if (
            expected is None
            and existing is not None
            and (self.EMAIL_USERNAME or self.fold(existing.username) == self.fold(name))
        ):
            expected = ("UsernameExistsException", "User account already exists")
        owner = self.alias_owner(email, None) if verified and email else None
        if expected is None and owner is not None and not force:
            expected = ("AliasExistsException", "An account with the email already exists.")
        kwargs: dict[str, Any] = {"UserPoolId": self.pool_id, "Username": name,
                                  "UserAttributes": attrs, "ForceAliasCreation": force,
                                  "DesiredDeliveryMediums": ["EMAIL"]}  # fmt: skip
        if password is not None:
            kwargs["TemporaryPassword"] = password
        if suppress:
            kwargs["MessageAction"] = "SUPPRESS"
        got = self.call(expected, "admin_create_user", **kwargs)
        if expected is not None:
            self.received(0)
            return
        view = got["User"]
        assert view["UserStatus"] == "FORCE_CHANGE_PASSWORD" and view["Enabled"] is True
        got_attrs = {a["Name"]: a["Value"] for a in view["Attributes"]}
        user = MUser(
            username=view["Username"], sub=got_attrs["sub"], status="FORCE_CHANGE_PASSWORD",
            attributes={a["Name"]: a["Value"] for a in attrs},
        )  # fmt: skip
        if email is not None:
            user.attributes["email"] = email
        assert user.username == (user.sub if self.EMAIL_USERNAME else name)
        if owner is not None:
            owner.attributes["email_verified"] = "false"  # ForceAliasCreation moved the alias
        self.users[user.sub] = user
        if suppress or email is None:
            self.received(0)
        else:
            temporary = self.received(1, "invitation", to=email)
            assert temporary == (password or temporary)

    @rule(data=st.data(), password=st.sampled_from([*VALID_PASSWORDS, "Passw0rdX"]),
          permanent=st.booleans())  # fmt: skip
    def admin_set_user_password(self, data: st.DataObject, password: str, permanent: bool) -> None:
        name = self.pick(data, lambda u: u.status == "FORCE_CHANGE_PASSWORD")
        user = self.find(name)
        expected = (
            ("UserNotFoundException", NOT_FOUND) if user is None
            else policy_error(password, admin=True)
        )  # fmt: skip
        self.call(
            expected, "admin_set_user_password", UserPoolId=self.pool_id, Username=name,
            Password=password, Permanent=permanent,
        )  # fmt: skip
        if expected is None:
            assert user is not None
            user.status = "CONFIRMED" if permanent else "FORCE_CHANGE_PASSWORD"

    def can_reset(self, user: MUser) -> bool:
        return self.reset_problem(user, admin=False) is None

    def reset_problem(self, user: MUser | None, admin: bool) -> Expect:
        if user is None:
            return ("UserNotFoundException", NOT_FOUND if admin else CLIENT_NOT_FOUND)
        if user.status == "FORCE_CHANGE_PASSWORD":
            return ("NotAuthorizedException", CANNOT_RESET)
        if not user.enabled:  # AdminResetUserPassword too (issue 11, item 18)
            return ("NotAuthorizedException", "User is disabled.")
        if not user.attributes.get("email") or user.attributes.get("email_verified") != "true":
            return ("InvalidParameterException", NO_CHANNEL)
        return None

    @rule(data=st.data())
    def admin_reset_user_password(self, data: st.DataObject) -> None:
        name = self.pick(data, self.can_reset)
        user = self.find(name)
        expected = self.reset_problem(user, admin=True)
        self.call(expected, "admin_reset_user_password", UserPoolId=self.pool_id, Username=name)
        if expected is not None:
            self.received(0)
            return
        assert user is not None
        code = self.received(1, "forgot_password", to=user.attributes["email"])
        assert code is not None
        user.status = "RESET_REQUIRED"
        user.reset = MCode(code, self.clock.now() + TTL["reset"])

    @rule(data=st.data())
    def forgot_password(self, data: st.DataObject) -> None:
        name = self.pick(data, self.can_reset)
        user = self.find(name)
        expected = self.reset_problem(user, admin=False)
        got = self.call(expected, "forgot_password", ClientId=self.client_id, Username=name)
        if expected is not None:
            self.received(0)
            return
        assert user is not None
        assert got["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
        code = self.received(1, "forgot_password", to=user.attributes["email"])
        assert code is not None
        user.reset = MCode(code, self.clock.now() + TTL["reset"])

    @rule(data=st.data(), right=st.sampled_from([True, True, False]), password=st.sampled_from(
        [VALID_PASSWORDS[1], VALID_PASSWORDS[2], "Password!"]))  # fmt: skip
    def confirm_forgot_password(self, data: st.DataObject, right: bool, password: str) -> None:
        name = self.pick(
            data,
            lambda u: u.enabled and u.reset is not None and u.reset.expires >= self.clock.now(),
        )
        user = self.find(name)
        code = self.code_for(user.reset if user else None, right)
        expected: Expect
        if user is None:
            expected = ("UserNotFoundException", CLIENT_NOT_FOUND)
        elif not user.enabled:
            expected = ("NotAuthorizedException", "User is disabled.")
        else:
            # A password the policy rejects must not spend the code.
            expected = policy_error(password) or self.consume(user.reset, code)
        self.call(
            expected, "confirm_forgot_password", ClientId=self.client_id, Username=name,
            ConfirmationCode=code, Password=password,
        )  # fmt: skip
        if user is None:
            return
        if expected is None or expected[0] == "ExpiredCodeException":
            user.reset = None
        if expected is None:
            user.status = "CONFIRMED"

    # -- rules: enable, disable, delete ------------------------------------------------------

    @rule(data=st.data(), enabled=st.booleans())
    def enable_or_disable(self, data: st.DataObject, enabled: bool) -> None:
        name = self.pick(data)
        user = self.find(name)
        expected = ("UserNotFoundException", NOT_FOUND) if user is None else None
        operation = "admin_enable_user" if enabled else "admin_disable_user"
        self.call(expected, operation, UserPoolId=self.pool_id, Username=name)
        if user is not None:
            user.enabled = enabled

    @rule(data=st.data())
    def admin_delete_user(self, data: st.DataObject) -> None:
        name = self.pick(data)
        user = self.find(name)
        expected = ("UserNotFoundException", NOT_FOUND) if user is None else None
        self.call(expected, "admin_delete_user", UserPoolId=self.pool_id, Username=name)
        if user is not None:
            del self.users[user.sub]
            for members in self.groups.values():
                members.discard(user.sub)

    # -- rules: groups ---------------------------------------------------------------------------

    @rule(group=st.sampled_from(GROUPS))
    def create_group(self, group: str) -> None:
        expected: Expect = None
        if group in self.groups:
            expected = ("GroupExistsException", None)
        self.call(expected, "create_group", UserPoolId=self.pool_id, GroupName=group)
        self.groups_changed = True
        self.groups.setdefault(group, set())

    @rule(data=st.data())
    def delete_group(self, data: st.DataObject) -> None:
        group = self.group(data)
        expected: Expect = None if group in self.groups else ("ResourceNotFoundException", None)
        self.call(expected, "delete_group", UserPoolId=self.pool_id, GroupName=group)
        self.groups_changed = True
        for sub in self.groups.pop(group, set()):
            self.users[sub].groups.discard(group)

    @rule(data=st.data(), add=st.booleans())
    def change_membership(self, data: st.DataObject, add: bool) -> None:
        group = self.group(data)
        name = self.pick(data)
        user = self.find(name)
        expected: Expect = None
        if group not in self.groups:
            expected = ("ResourceNotFoundException", None)
        elif user is None:
            expected = ("UserNotFoundException", NOT_FOUND)
        operation = "admin_add_user_to_group" if add else "admin_remove_user_from_group"
        self.call(expected, operation, UserPoolId=self.pool_id, Username=name, GroupName=group)
        if expected is not None:
            return
        assert user is not None
        if add:
            self.groups[group].add(user.sub)
            user.groups.add(group)
        else:
            self.groups[group].discard(user.sub)
            user.groups.discard(group)

    # -- rules: attributes ---------------------------------------------------------------------

    @rule(
        data=st.data(),
        email=st.none() | st.sampled_from(EMAILS),
        verified=st.none() | st.sampled_from(["true", "false"]),
        given=st.none() | st.sampled_from(GIVEN),
    )
    def update_attributes(
        self, data: st.DataObject, email: str | None, verified: str | None, given: str | None
    ) -> None:
        name = self.pick(data)
        user = self.find(name)
        changes: dict[str, str] = {}
        if email is not None and not self.EMAIL_USERNAME:
            changes["email"] = email  # the email that is the username stays put here
        if verified is not None:
            changes["email_verified"] = verified
        if given is not None:
            changes["given_name"] = given
        expected: Expect = None
        updated: dict[str, str] = {}
        codes = 0
        owner = None
        if user is None:
            expected = ("UserNotFoundException", NOT_FOUND)
        else:
            updated = {**user.attributes, **changes}
            new_email = changes.get("email", user.attributes.get("email"))
            if (
                new_email != user.attributes.get("email")
                and changes.get("email_verified") != "true"
            ):
                # A new address is unverified, and the service sends it a code (auto-verify).
                updated["email_verified"] = "false"
                codes = 1
            if updated.get("email_verified") == "true" and not updated.get("email"):
                text = "email_verified cannot be set to true without a value for email."
                expected, codes = ("InvalidParameterException", text), 0
            elif updated.get("email_verified") == "true":
                owner = self.alias_owner(updated["email"], user)
                if owner is not None:
                    text = "An account with the email already exists."
                    expected, codes = ("AliasExistsException", text), 0
        attrs = [{"Name": k, "Value": v} for k, v in changes.items()]
        self.call(
            expected, "admin_update_user_attributes", UserPoolId=self.pool_id, Username=name,
            UserAttributes=attrs,
        )  # fmt: skip
        if codes:
            assert user is not None
            self.received(1, "verify_attribute", to=updated["email"])
        else:
            self.received(0)
        if expected is None and user is not None:
            user.attributes = updated

    @rule(data=st.data(), names=st.lists(
        st.sampled_from(["email", "email_verified", "given_name"]), min_size=1, max_size=2,
        unique=True))  # fmt: skip
    def delete_attributes(self, data: st.DataObject, names: list[str]) -> None:
        name = self.pick(data)
        if self.EMAIL_USERNAME and "email" in names:
            names = [n for n in names if n != "email"] or ["given_name"]
        user = self.find(name)
        expected = ("UserNotFoundException", NOT_FOUND) if user is None else None
        self.call(
            expected, "admin_delete_user_attributes", UserPoolId=self.pool_id, Username=name,
            UserAttributeNames=names,
        )  # fmt: skip
        if user is not None:
            for attribute in names:
                user.attributes.pop(attribute, None)
                if attribute == "email":
                    user.attributes.pop("email_verified", None)

    # -- rules: time and searches ----------------------------------------------------------------

    @rule(seconds=st.sampled_from([60.0, 600.0, 3700.0, 90_000.0]))
    def advance_clock(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @rule(data=st.data(), attribute=st.sampled_from(
        ["username", "email", "given_name", "status", "cognito:user_status"]))  # fmt: skip
    def list_with_filter(self, data: st.DataObject, attribute: str) -> None:
        value: str
        if attribute == "username":
            value = self.pick(data)
            if self.EMAIL_USERNAME:
                user = self.find(value)
                value = user.username if user else value  # the internal name is the sub
            wanted = {
                u.sub for u in self.users.values() if self.fold(u.username) == self.fold(value)
            }
        elif attribute == "email":
            value = data.draw(st.sampled_from(EMAILS), "value")
            wanted = {u.sub for u in self.users.values()
                      if self.fold(u.attributes.get("email", "")) == self.fold(value)}  # fmt: skip
        elif attribute == "given_name":
            value = data.draw(st.sampled_from(GIVEN), "value")
            wanted = {u.sub for u in self.users.values() if u.attributes.get("given_name") == value}
        elif attribute == "status":
            value = data.draw(st.sampled_from(["Enabled", "Disabled"]), "value")
            wanted = {u.sub for u in self.users.values() if u.enabled == (value == "Enabled")}
        else:
            statuses = ["UNCONFIRMED", "confirmed", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED"]
            value = data.draw(st.sampled_from(statuses), "value")
            wanted = {u.sub for u in self.users.values() if u.status == value.upper()}
        got = self.aws.list_users(UserPoolId=self.pool_id, Filter=f'{attribute} = "{value}"')
        found = {self.sub_of(u["Attributes"]) for u in got["Users"]}
        assert found == wanted, (attribute, value, found, wanted)

    # -- checks after every step -------------------------------------------------------------

    @staticmethod
    def sub_of(attributes: list[dict[str, str]]) -> str:
        return next(a["Value"] for a in attributes if a["Name"] == "sub")

    def expected_view(self, user: MUser) -> tuple[str, str, bool, dict[str, str]]:
        return (user.username, user.status, user.enabled, {**user.attributes, "sub": user.sub})

    @invariant()
    def directory_matches_model(self) -> None:
        listed = self.aws.list_users(UserPoolId=self.pool_id)
        assert "PaginationToken" not in listed
        got = {
            self.sub_of(u["Attributes"]): (
                u["Username"],
                u["UserStatus"],
                u["Enabled"],
                {a["Name"]: a["Value"] for a in u["Attributes"]},
            )
            for u in listed["Users"]
        }
        assert got == {sub: self.expected_view(u) for sub, u in self.users.items()}
        for group, members in self.groups.items():
            in_group = self.aws.list_users_in_group(UserPoolId=self.pool_id, GroupName=group)
            assert {self.sub_of(u["Attributes"]) for u in in_group["Users"]} == members, group
        assert {
            g["GroupName"] for g in self.aws.list_groups(UserPoolId=self.pool_id)["Groups"]
        } == set(self.groups)

    @invariant()
    def memberships_match_model(self) -> None:
        if not self.groups_changed:
            return
        self.groups_changed = False
        for user in self.users.values():
            got = self.aws.admin_list_groups_for_user(
                UserPoolId=self.pool_id, Username=user.username
            )
            assert {g["GroupName"] for g in got["Groups"]} == user.groups, user

    @invariant()
    def touched_user_matches_model(self) -> None:
        if self.touched is None:
            return
        user = self.find(self.touched)
        missing: Expect = ("UserNotFoundException", NOT_FOUND) if user is None else None
        got = self.call(missing, "admin_get_user", UserPoolId=self.pool_id, Username=self.touched)
        groups = self.call(
            missing, "admin_list_groups_for_user", UserPoolId=self.pool_id, Username=self.touched
        )
        if user is None:
            return
        attrs = {a["Name"]: a["Value"] for a in got["UserAttributes"]}
        assert (got["Username"], got["UserStatus"], got["Enabled"], attrs) == self.expected_view(
            user
        )
        assert {g["GroupName"] for g in groups["Groups"]} == user.groups
        quoted = user.username.replace("\\", "\\\\").replace('"', '\\"')
        found = self.aws.list_users(UserPoolId=self.pool_id, Filter=f'username = "{quoted}"')
        assert [u["Username"] for u in found["Users"]] == [user.username]


class PlainMachine(DirectoryMachine):
    """Case-sensitive usernames (the API default)."""


class CaseInsensitiveMachine(DirectoryMachine):
    POOL: ClassVar[dict[str, Any]] = {"UsernameConfiguration": {"CaseSensitive": False}}
    CASE_SENSITIVE = False


class EmailUsernameMachine(DirectoryMachine):
    """Email as username (internal username = sub), case-insensitive, emails in random case."""

    POOL: ClassVar[dict[str, Any]] = {
        "UsernameAttributes": ["email"],
        "UsernameConfiguration": {"CaseSensitive": False},
    }
    CASE_SENSITIVE = False
    EMAIL_USERNAME = True


class EmailAliasMachine(DirectoryMachine):
    """Sign-in by verified email alias; alias conflicts and ForceAliasCreation."""

    POOL: ClassVar[dict[str, Any]] = {"AliasAttributes": ["email"]}
    EMAIL_ALIAS = True


_SETTINGS = settings(max_examples=30, stateful_step_count=40, deadline=None)
TestPlain = PlainMachine.TestCase
TestPlain.settings = _SETTINGS
TestCaseInsensitive = CaseInsensitiveMachine.TestCase
TestCaseInsensitive.settings = _SETTINGS
TestEmailUsername = EmailUsernameMachine.TestCase
TestEmailUsername.settings = _SETTINGS
TestEmailAlias = EmailAliasMachine.TestCase
TestEmailAlias.settings = _SETTINGS
