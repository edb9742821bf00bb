"""Test aids: `CognitoStateMachine`, a Hypothesis `RuleBasedStateMachine` base with pools,
clients and users; `Passkey`, a software WebAuthn authenticator for passkey registration and
sign-in; and `sign_in_at` / `authorization_code` / `code_flow_tokens`, which play a user on
managed login (no browser, no sockets) for unit tests of an app's callback.

Downstream suites subclass the state machine, add rules that take `CognitoStateMachine.pools` /
`.clients` / `.users` and call their own code, and override the `on_*` hooks.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from cognito_mock.backend.hosted.pages import PageRequest, PageResponse
from cognito_mock.backend.pool_config.client_rules import client_by_id
from cognito_mock.backend.tokens.authorization_codes import pkce_s256
from cognito_mock.clock import ManualClock
from cognito_mock.errors import CognitoMockError
from cognito_mock.mock import CognitoMock
from cognito_mock.passkey import Passkey, PasskeyError  # a software passkey for WEB_AUTHN tests
from cognito_mock.strategies.domain import emails, passwords, usernames
from cognito_mock.web import domain_from_host

__all__ = [
    "ClientRef",
    "CodeFlow",
    "CodeFlowError",
    "CognitoStateMachine",
    "Passkey",
    "PasskeyError",
    "PoolRef",
    "UserRef",
    "authorization_code",
    "code_flow_tokens",
    "sign_in_at",
]


@dataclass(frozen=True)
class PoolRef:
    id: str
    username_config: str  # one of strategies.USERNAME_CONFIGS


@dataclass(frozen=True)
class ClientRef:
    pool: PoolRef
    id: str


@dataclass
class UserRef:
    pool: PoolRef
    username: str  # what the user signs in with (the email or phone in UsernameAttributes pools)
    password: str
    attributes: dict[str, str] = field(default_factory=dict)


_POOL_SETTINGS: dict[str, dict[str, Any]] = {
    "plain": {},
    "email": {"UsernameAttributes": ["email"]},
    "phone": {"UsernameAttributes": ["phone_number"]},
    "case_insensitive": {"UsernameConfiguration": {"CaseSensitive": False}},
}


class CognitoStateMachine(RuleBasedStateMachine):
    """Creates pools (one per username configuration drawn), app clients and confirmed users.

    Override `make_mock` to configure the mock, and the `on_pool` / `on_client` / `on_user` hooks
    to mirror state into the code under test. `self.mock`, `self.clock` and `self.client` (a boto3
    client answered by the mock) are ready in every rule.
    """

    pools: Bundle[PoolRef] = Bundle("cognito_pools")
    clients: Bundle[ClientRef] = Bundle("cognito_clients")
    users: Bundle[UserRef] = Bundle("cognito_users")

    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(1_800_000_000.0)
        self.mock = self.make_mock()
        self.client = self.mock.client()
        self.created_users: list[UserRef] = []

    # -- hooks for user code -------------------------------------------------------------------

    def make_mock(self) -> CognitoMock:
        """The mock for one run; seeded so every generated id replays with the example."""
        return CognitoMock(clock=self.clock, seed=0)

    def on_pool(self, pool: PoolRef) -> None:
        """Called after a pool is created."""

    def on_client(self, client: ClientRef) -> None:
        """Called after an app client is created."""

    def on_user(self, user: UserRef) -> None:
        """Called after a confirmed user with a known password is created."""

    # -- rules -----------------------------------------------------------------------------------

    @rule(target=pools, config=st.sampled_from(sorted(_POOL_SETTINGS)))
    def create_pool(self, config: str) -> PoolRef:
        created = self.mock.call(
            "CreateUserPool", PoolName=f"pool-{config}", **_POOL_SETTINGS[config]
        )
        pool = PoolRef(created["UserPool"]["Id"], config)
        self.on_pool(pool)
        return pool

    @rule(target=clients, pool=pools)
    def create_client(self, pool: PoolRef) -> ClientRef:
        created = self.mock.call(
            "CreateUserPoolClient",
            UserPoolId=pool.id,
            ClientName="app",
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )
        client = ClientRef(pool, created["UserPoolClient"]["ClientId"])
        self.on_client(client)
        return client

    @rule(target=users, pool=pools, data=st.data())
    def create_user(self, pool: PoolRef, data: st.DataObject) -> UserRef:
        username = data.draw(usernames(pool.username_config), label="username")
        password = data.draw(passwords(), label="password")
        attributes: dict[str, str] = {}
        if pool.username_config == "email":
            attributes = {"email": username, "email_verified": "true"}
        elif pool.username_config == "phone":
            attributes = {"phone_number": username, "phone_number_verified": "true"}
        else:
            attributes = {"email": data.draw(emails(), label="email")}
        if any(u.pool == pool and _same(pool, u.username, username) for u in self.created_users):
            return _existing(self.created_users, pool, username)
        self.mock.call(
            "AdminCreateUser",
            UserPoolId=pool.id,
            Username=username,
            UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()],
            MessageAction="SUPPRESS",
        )
        self.mock.call(
            "AdminSetUserPassword",
            UserPoolId=pool.id,
            Username=username,
            Password=password,
            Permanent=True,
        )
        user = UserRef(pool, username, password, attributes)
        self.created_users.append(user)
        self.on_user(user)
        return user

    @invariant()
    def users_exist(self) -> None:
        """Every user created here is still known to the mock (unless a subclass deleted it)."""
        for user in self.created_users[-3:]:  # the newest few: keeps long runs linear
            if self.user_expected(user):
                self.mock.call("AdminGetUser", UserPoolId=user.pool.id, Username=user.username)

    def user_expected(self, user: UserRef) -> bool:
        """Whether the `users_exist` invariant should find `user`; override after deletions."""
        return True


def _same(pool: PoolRef, a: str, b: str) -> bool:
    if pool.username_config == "case_insensitive":
        return a.lower() == b.lower()
    return a == b


def _existing(users: list[UserRef], pool: PoolRef, username: str) -> UserRef:
    return next(u for u in users if u.pool == pool and _same(pool, u.username, username))


# ----------------------------------------------------------------------------- the code flow


class CodeFlowError(CognitoMockError):
    """Managed login did not end at the app's callback (the page's error, or a challenge)."""


@dataclass(frozen=True)
class CodeFlow:
    """The end of a code flow: what the app's callback received."""

    code: str
    redirect_uri: str
    state: str | None
    code_verifier: str | None  # the PKCE verifier the token request must send (None: no PKCE)
    location: str  # the whole callback URL


def _step(mock: CognitoMock, request: PageRequest) -> PageResponse:
    answer = mock.handle_hosted(request)
    for cookie in answer.cookies:
        request.cookies[cookie.name] = cookie.value
    return answer


def sign_in_at(mock: CognitoMock, authorize_url: str, username: str, password: str) -> str:
    """Play the user on managed login: open `authorize_url` (an `/oauth2/authorize` URL your
    app's OAuth client made, with its own state, nonce and PKCE challenge) and fill in the
    sign-in form. Returns the URL the browser is sent back to (the app's callback with `code` or
    `error`). No browser, no sockets. Raises CodeFlowError when the flow stops on a page (wrong
    password, MFA, ...)."""
    parts = urlsplit(authorize_url)
    domain = domain_from_host(parts.netloc)
    base = f"{parts.scheme}://{parts.netloc}"
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    cookies: dict[str, str] = {}
    answer = _step(mock, PageRequest(domain, base, "GET", parts.path, query, cookies=cookies))
    if answer.location and answer.location.startswith("/login?"):
        login_query = {k: v[0] for k, v in parse_qs(urlsplit(answer.location).query).items()}
        _step(mock, PageRequest(domain, base, "GET", "/login", login_query, cookies=cookies))
        form = {"_csrf": cookies.get("XSRF-TOKEN", ""), "username": username, "password": password}
        answer = _step(
            mock, PageRequest(domain, base, "POST", "/login", login_query, form, cookies)
        )
    location = answer.location or ""
    if answer.status != 302 or location.startswith("/"):
        shown = answer.context.get("error") or answer.context.get("code") or answer.page
        raise CodeFlowError(f"managed login stopped at {location or answer.page!r}: {shown}")
    return location


def authorization_code(
    mock: CognitoMock,
    client_id: str,
    username: str,
    password: str,
    *,
    redirect_uri: str | None = None,
    scope: str | None = None,
    state: str | None = "state",
    nonce: str | None = None,
    pkce: bool = True,
    region: str | None = None,
) -> CodeFlow:
    """Sign `username` in on the client's managed login (its pool needs a domain) as a browser
    would: `/oauth2/authorize`, the sign-in form, the redirect to the callback (`sign_in_at`),
    with a PKCE verifier of its own. Raises CodeFlowError when the flow stops on a page."""
    pool, client = client_by_id(mock.backend(region), client_id)
    domain = pool.domain or pool.custom_domain
    if domain is None:
        raise CodeFlowError(f"user pool {pool.id} has no domain: call CreateUserPoolDomain first")
    callback = redirect_uri or next(iter(client.settings.get("CallbackURLs") or []), "")
    verifier = (
        base64.urlsafe_b64encode(mock.ids.token_bytes(48)).rstrip(b"=").decode() if pkce else None
    )
    query = {"client_id": client_id, "redirect_uri": callback, "response_type": "code"}
    extra = {"scope": scope, "state": state, "nonce": nonce,
             "code_challenge": pkce_s256(verifier) if verifier else None,
             "code_challenge_method": "S256" if verifier else None}  # fmt: skip
    query.update({k: v for k, v in extra.items() if v is not None})
    location = sign_in_at(
        mock, f"https://{domain}/oauth2/authorize?{urlencode(query)}", username, password
    )
    found = re.search(r"[?&]code=([^&#]+)", location)
    if not location.startswith(callback) or found is None:
        raise CodeFlowError(f"managed login sent the browser to {location!r}")
    returned = parse_qs(urlsplit(location).query).get("state")
    return CodeFlow(found.group(1), callback, returned[0] if returned else None, verifier, location)


def code_flow_tokens(
    mock: CognitoMock, client_id: str, username: str, password: str, **options: Any
) -> dict[str, Any]:
    """`authorization_code`, then the code redeemed at `/oauth2/token` (with the client's secret
    and the PKCE verifier): the token endpoint's JSON answer."""
    flow = authorization_code(mock, client_id, username, password, **options)
    _, client = client_by_id(mock.backend(options.get("region")), client_id)
    form = {"grant_type": "authorization_code", "code": flow.code, "redirect_uri": flow.redirect_uri,
            "client_id": client_id}  # fmt: skip
    if flow.code_verifier:
        form["code_verifier"] = flow.code_verifier
    authorization = None
    if client.secret:
        pair = f"{client_id}:{client.secret}".encode()
        authorization = "Basic " + base64.b64encode(pair).decode()
    return mock.oauth2_token(form, authorization, region=options.get("region"))
