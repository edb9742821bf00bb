"""The workloads of issue 7 (and the auth benchmark of issue 4), each measured side by side."""

from __future__ import annotations

import contextlib
import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

from botocore import xform_name
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from benchmarks.harness import Figure, Settings, boto_client, canned, floor_client, measure
from cognito_mock import CognitoMock
from cognito_mock.backend.tokens.store import pool_keys
from cognito_mock.validation import validate_request, validate_response

__all__ = ["WORKLOADS", "moto_available"]

PASSWORD = "Bench-Passw0rd!"
FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
Call = Callable[..., Any]


def moto_available() -> bool:
    try:
        import moto  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def moto_call() -> Iterator[Call]:
    """A `call(op, **params)` through boto3 under moto's `mock_aws` (a fresh moto backend)."""
    from moto import mock_aws

    with mock_aws():
        client = boto_client()
        yield lambda op, **params: getattr(client, xform_name(op))(**params)


def boto_call(client: Any) -> Call:
    return lambda op, **params: getattr(client, xform_name(op))(**params)


def setup_pool(call: Call, **pool: Any) -> tuple[str, str]:
    """A pool and an app client allowing password and SRP sign-in; returns their ids."""
    pool_id = call("CreateUserPool", PoolName="bench", **pool)["UserPool"]["Id"]
    app = call(
        "CreateUserPoolClient", UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    return pool_id, app


def add_user(call: Call, pool_id: str, username: str, *, confirm: bool = False) -> None:
    call(
        "AdminCreateUser",
        UserPoolId=pool_id,
        Username=username,
        MessageAction="SUPPRESS",
        TemporaryPassword=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": f"{username.split('@')[0]}@example.com"}],
    )
    if confirm:
        call(
            "AdminSetUserPassword",
            UserPoolId=pool_id,
            Username=username,
            Password=PASSWORD,
            Permanent=True,
        )


def five_attributes(i: int) -> list[dict[str, str]]:
    return [
        {"Name": "email", "Value": f"user{i:06d}@example.com"},
        {"Name": "email_verified", "Value": "true"},
        {"Name": "name", "Value": f"User Number {i}"},
        {"Name": "given_name", "Value": "User"},
        {"Name": "family_name", "Value": f"Number{i}"},
    ]


def populate(
    mock: CognitoMock, pool_id: str, count: int, *, email_pool: bool = False, start: int = 0
) -> None:
    """`count` users with five attributes, quickly: direct calls with validation off."""
    validate, mock.validate = mock.validate, False
    try:
        for i in range(start, start + count):
            attributes = five_attributes(i)
            mock.call(
                "AdminCreateUser",
                UserPoolId=pool_id,
                Username=attributes[0]["Value"] if email_pool else f"user{i:06d}",
                MessageAction="SUPPRESS",
                UserAttributes=attributes,
            )
    finally:
        mock.validate = validate


# -- workloads --------------------------------------------------------------------------------


def fixture(settings: Settings) -> list[Figure]:
    """Per-test fixture cost: fresh mock + client + pool + app client + user."""
    probe = CognitoMock()
    probe_pool, _ = setup_pool(probe.call)
    bodies = {
        "CreateUserPool": canned(probe, "CreateUserPool", {"PoolName": "bench"}),
        "CreateUserPoolClient": canned(
            probe,
            "CreateUserPoolClient",
            {"UserPoolId": probe_pool, "ClientName": "app", "ExplicitAuthFlows": FLOWS},
        ),
        "AdminCreateUser": canned(
            probe,
            "AdminCreateUser",
            {"UserPoolId": probe_pool, "Username": "alice", "MessageAction": "SUPPRESS"},
        ),
    }

    def scenario(call: Call) -> None:
        pool_id, _ = setup_pool(call)
        add_user(call, pool_id, "alice")

    def moto_fixture() -> None:
        with moto_call() as call:
            scenario(call)

    funcs: dict[str, Callable[[], Any]] = {
        "floor": lambda: scenario(boto_call(floor_client(bodies))),
        "boto3": lambda: scenario(boto_call(CognitoMock().client())),
        "direct": lambda: scenario(CognitoMock().call),
    }
    if settings.with_moto:
        funcs["moto"] = moto_fixture
    return measure("per-test fixture", funcs, settings, unit="ms")


def single_calls(settings: Settings) -> list[Figure]:
    """CreateUserPool, AdminCreateUser, AdminGetUser on a small pool."""
    mock = CognitoMock()
    client = mock.client()
    pool_id, _ = setup_pool(mock.call)
    add_user(mock.call, pool_id, "alice")
    get = {"UserPoolId": pool_id, "Username": "alice"}
    bodies = {
        "CreateUserPool": canned(mock, "CreateUserPool", {"PoolName": "bench"}),
        "AdminCreateUser": canned(
            mock, "AdminCreateUser", {"UserPoolId": pool_id, "Username": "canned"}
        ),
        "AdminGetUser": canned(mock, "AdminGetUser", get),
    }
    floor = floor_client(bodies)
    figures: list[Figure] = []
    with contextlib.ExitStack() as stack:
        moto = stack.enter_context(moto_call()) if settings.with_moto else None
        if moto is not None:
            moto_pool, _ = setup_pool(moto)
            add_user(moto, moto_pool, "alice")
        counter = itertools.count()

        def create_user(call: Call, pool: str) -> Callable[[], Any]:
            return lambda: call(
                "AdminCreateUser",
                UserPoolId=pool,
                Username=f"u{next(counter)}",
                MessageAction="SUPPRESS",
                UserAttributes=[{"Name": "name", "Value": "Bench"}],
            )

        cases: list[tuple[str, Callable[[Call, str], Callable[[], Any]]]] = [
            ("CreateUserPool", lambda call, _: lambda: call("CreateUserPool", PoolName="bench")),
            ("AdminCreateUser", create_user),
            (
                "AdminGetUser",
                lambda call, pool: lambda: call("AdminGetUser", UserPoolId=pool, Username="alice"),
            ),
        ]
        for label, make in cases:
            funcs = {
                "floor": make(boto_call(floor), pool_id),
                "boto3": make(boto_call(client), pool_id),
                "direct": make(mock.call, pool_id),
            }
            if moto is not None:
                funcs["moto"] = make(moto, moto_pool)
            # moto makes an RSA key per pool (~0.2 s): cap its calls so the run stays short.
            cap = 5 if label == "CreateUserPool" else None
            figures += _measure_capped(label, funcs, settings, cap)
    return figures


def _measure_capped(
    label: str, funcs: dict[str, Callable[[], Any]], settings: Settings, moto_cap: int | None
) -> list[Figure]:
    ours = {k: v for k, v in funcs.items() if k != "moto"}
    figures = measure(label, ours, settings)
    if "moto" in funcs:
        figures += measure(label, {"moto": funcs["moto"]}, settings, max_calls=moto_cap)
    return figures


def scaling(settings: Settings) -> list[Figure]:
    """AdminGetUser by email (UsernameAttributes=email) and ListUsers at growing sizes."""
    figures: list[Figure] = []
    prefix = 'email ^= "user0001"'  # user000100..user000199: 100 matches at every size
    for size in settings.sizes if settings.ours else settings.moto_sizes:
        mock = CognitoMock()
        client = mock.client()
        started = time.perf_counter()
        pool_id, _ = setup_pool(mock.call)
        email_pool, _ = setup_pool(mock.call, UsernameAttributes=["email"])
        email = f"user{size // 2:06d}@example.com"
        floor = None
        if settings.ours:
            populate(mock, pool_id, size)
            populate(mock, email_pool, size, email_pool=True)
            bodies = {
                "AdminGetUser": canned(
                    mock, "AdminGetUser", {"UserPoolId": email_pool, "Username": email}
                ),
                "ListUsers": canned(mock, "ListUsers", {"UserPoolId": pool_id, "Limit": 60}),
            }
            floor = floor_client(bodies)
        fill = time.perf_counter() - started
        with contextlib.ExitStack() as stack:
            moto = None
            if settings.with_moto and size in settings.moto_sizes:
                moto = stack.enter_context(moto_call())
                moto_pool, _ = setup_pool(moto)
                moto_email, _ = setup_pool(moto, UsernameAttributes=["email"])
                for i in range(size):
                    for target, name in ((moto_pool, f"user{i:06d}"), (moto_email, None)):
                        attributes = five_attributes(i)
                        moto(
                            "AdminCreateUser",
                            UserPoolId=target,
                            Username=name or attributes[0]["Value"],
                            MessageAction="SUPPRESS",
                            UserAttributes=attributes,
                        )

            def by_email_get(call: Call, pool: str, name: str = email) -> Callable[[], Any]:
                return lambda: call("AdminGetUser", UserPoolId=pool, Username=name)

            def list_first(call: Call, pool: str, flt: str | None) -> Callable[[], Any]:
                extra = {"Filter": flt} if flt else {}
                return lambda: call("ListUsers", UserPoolId=pool, Limit=60, **extra)

            def list_all(call: Call, pool: str, flt: str | None) -> Callable[[], Any]:
                extra = {"Filter": flt} if flt else {}

                def run() -> int:
                    pages, token = 0, None
                    while True:
                        more: dict[str, str] = {"PaginationToken": token} if token else {}
                        page = call("ListUsers", UserPoolId=pool, Limit=60, **extra, **more)
                        pages += 1
                        token = page.get("PaginationToken")
                        if not token:
                            return pages

                return run

            n = f"{size:,}"
            cases: list[tuple[str, dict[str, Callable[[], Any]], Any]] = [
                (
                    f"AdminGetUser by email @{n}",
                    {
                        "floor": by_email_get(boto_call(floor), email_pool),
                        "boto3": by_email_get(boto_call(client), email_pool),
                        "direct": by_email_get(mock.call, email_pool),
                    },
                    by_email_get(moto, moto_email) if moto else None,
                ),
                (
                    f"ListUsers first page @{n}",
                    {
                        "floor": list_first(boto_call(floor), pool_id, None),
                        "boto3": list_first(boto_call(client), pool_id, None),
                        "direct": list_first(mock.call, pool_id, None),
                    },
                    list_first(moto, moto_pool, None) if moto else None,
                ),
                (
                    f"ListUsers ^= first page @{n}",
                    {
                        "boto3": list_first(boto_call(client), pool_id, prefix),
                        "direct": list_first(mock.call, pool_id, prefix),
                    },
                    list_first(moto, moto_pool, prefix) if moto else None,
                ),
                (
                    f"ListUsers ^= all pages @{n}",
                    {
                        "boto3": list_all(boto_call(client), pool_id, prefix),
                        "direct": list_all(mock.call, pool_id, prefix),
                    },
                    list_all(moto, moto_pool, prefix) if moto else None,
                ),
            ]
            for label, funcs, moto_func in cases:
                if moto_func is not None:
                    funcs["moto"] = moto_func
                figures += measure(label, funcs, settings)
            # Full paging is O(n) by nature: one sample per round is plenty.
            label = f"ListUsers all pages @{n}"
            funcs = {
                "boto3": list_all(boto_call(client), pool_id, None),
                "direct": list_all(mock.call, pool_id, None),
            }
            if moto:
                funcs["moto"] = list_all(moto, moto_pool, None)
            figures += measure(label, funcs, settings, unit="ms")
            # Keep the paging figures honest: filtered requests were answered correctly.
            assert list_all(mock.call, pool_id, prefix)() == 2 or not settings.ours
        if settings.ours:
            figures.append(Figure(f"populate 2 x {n} users", "direct", fill, fill, fill, "s", 1))
    return figures


def auth(settings: Settings) -> list[Figure]:
    """InitiateAuth USER_PASSWORD_AUTH, a full SRP sign-in (pycognito), GetUser."""
    from pycognito.aws_srp import AWSSRP

    mock = CognitoMock()
    server_time = [0.0]
    handle = mock.handle_wire

    def timed_handle(*args: Any) -> Any:  # the server side of a boto3 call, for the SRP row
        start = time.perf_counter()
        try:
            return handle(*args)
        finally:
            server_time[0] += time.perf_counter() - start

    mock.handle_wire = timed_handle  # type: ignore[method-assign,assignment]
    client = mock.client()
    pool_id, app = setup_pool(mock.call)
    add_user(mock.call, pool_id, "alice", confirm=True)
    login: dict[str, Any] = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": app}
    params = {"USERNAME": "alice", "PASSWORD": PASSWORD}
    tokens = mock.call("InitiateAuth", AuthParameters=params, **login)["AuthenticationResult"]
    access = tokens["AccessToken"]
    auth_body = canned(mock, "InitiateAuth", {**login, "AuthParameters": params})
    bodies = {
        "InitiateAuth": auth_body,
        "GetUser": canned(mock, "GetUser", {"AccessToken": access}),
    }
    floor = floor_client(bodies)
    figures: list[Figure] = []

    class Direct:
        """What pycognito needs of a boto3 client, answered by `mock.call`."""

        def initiate_auth(self, **kw: Any) -> Any:
            return mock.call("InitiateAuth", **kw)

        def respond_to_auth_challenge(self, **kw: Any) -> Any:
            return mock.call("RespondToAuthChallenge", **kw)

    def srp(target: Any, pool: str, client_id: str) -> Callable[[], Any]:
        return lambda: AWSSRP("alice", PASSWORD, pool, client_id, client=target).authenticate_user()

    with contextlib.ExitStack() as stack:
        moto = stack.enter_context(moto_call()) if settings.with_moto else None
        if moto is not None:
            moto_pool, moto_app = setup_pool(moto)
            add_user(moto, moto_pool, "alice", confirm=True)
            moto_login = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": moto_app}
            moto_access = moto("InitiateAuth", **moto_login, AuthParameters=params)[
                "AuthenticationResult"
            ]["AccessToken"]

        def initiate(call: Call, how: dict[str, str]) -> Callable[[], Any]:
            return lambda: call("InitiateAuth", **how, AuthParameters=params)

        # The limit of a sign-in: botocore's own work (the floor) plus the two RS256 signatures
        # no implementation can skip, both run in the same rounds as the mock.
        sign = _signer(mock, pool_id, access)
        floor_initiate = initiate(boto_call(floor), login)

        def limit() -> None:
            floor_initiate()
            sign()
            sign()

        figures += measure("RS256 signature (a pool's key)", {"direct": sign}, settings)
        funcs = {
            "floor": limit,
            "boto3": initiate(boto_call(client), login),
            "direct": initiate(mock.call, login),
        }
        if moto is not None:
            funcs["moto"] = initiate(moto, moto_login)
        figures += measure(
            "InitiateAuth USER_PASSWORD_AUTH (floor: + 2 signatures)", funcs, settings
        )

        funcs = {
            "floor": lambda: boto_call(floor)("GetUser", AccessToken=access),
            "boto3": lambda: boto_call(client)("GetUser", AccessToken=access),
            "direct": lambda: mock.call("GetUser", AccessToken=access),
        }
        if moto is not None:
            funcs["moto"] = lambda: moto("GetUser", AccessToken=moto_access)
        figures += measure("GetUser", funcs, settings)

        funcs = {"boto3": srp(client, pool_id, app), "direct": srp(Direct(), pool_id, app)}
        if moto is not None:
            moto_srp = srp(stack.enter_context(_moto_client()), moto_pool, moto_app)
            try:
                moto_srp()
                funcs["moto"] = moto_srp
            except Exception as error:  # moto's SRP is not real SRP: pycognito may refuse it
                figures.append(
                    Figure("SRP sign-in (pycognito)", "moto", 0, 0, 0, "ms", 0, str(error))
                )
        figures += measure("SRP sign-in (pycognito)", funcs, settings, unit="ms")
        # Server side only: the time spent inside the mock during boto3 SRP sign-ins.
        run = srp(client, pool_id, app)
        samples = []
        for _ in range(settings.rounds):
            server_time[0] = 0.0
            run()
            samples.append(server_time[0] * 1e3)
        samples.sort()
        figures.append(
            Figure(
                "SRP sign-in, server side only",
                "direct",
                samples[len(samples) // 2],
                samples[0],
                samples[-1],
                "ms",
                1,
            )
        )
    return figures


def _signer(mock: CognitoMock, pool_id: str, token: str) -> Callable[[], Any]:
    """One RS256 signature of a token-sized input with the pool's own access-token key."""
    backend = mock.backend()
    key = pool_keys(backend, backend.pool(pool_id))[1].private_key
    signing_input = token.rsplit(".", 1)[0].encode("ascii")
    pkcs1, sha256 = padding.PKCS1v15(), hashes.SHA256()  # made once, as the mock makes them
    return lambda: key.sign(signing_input, pkcs1, sha256)


@contextlib.contextmanager
def _moto_client() -> Iterator[Any]:
    yield boto_client()  # created inside the already-active mock_aws


def validation(settings: Settings) -> list[Figure]:
    """Request and response validation alone (AdminGetUser, CreateUserPool)."""
    mock = CognitoMock()
    pool_id, _ = setup_pool(mock.call)
    add_user(mock.call, pool_id, "alice")
    from cognito_mock import dispatch

    request = {"UserPoolId": pool_id, "Username": "alice"}
    backend = mock.backend()
    result = dispatch.invoke(backend, "AdminGetUser", request)
    pool = dispatch.invoke(backend, "DescribeUserPool", {"UserPoolId": pool_id})
    figures = measure(
        "validate AdminGetUser request",
        {"direct": lambda: validate_request("AdminGetUser", request)},
        settings,
    )
    figures += measure(
        "validate AdminGetUser response",
        {"direct": lambda: validate_response("AdminGetUser", result)},
        settings,
    )
    figures += measure(
        "validate DescribeUserPool response",
        {"direct": lambda: validate_response("DescribeUserPool", pool)},
        settings,
    )
    return figures


WORKLOADS: dict[str, Callable[[Settings], list[Figure]]] = {
    "fixture": fixture,
    "calls": single_calls,
    "scaling": scaling,
    "auth": auth,
    "validation": validation,
}
