"""pytest plugin (entry point `pytest11`): `cognito_*` fixtures, the `cognito` marker, `--cognito-mock-*`.

Imports only pytest at load time; the mock, botocore and boto3 are imported when a fixture runs.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import pytest

from cognito_mock.factories import DEFAULT_PASSWORD  # light: no botocore, no mock
from cognito_mock.plugin_config import MARKER_KEYS, CognitoMockConfig, session_config

if TYPE_CHECKING:
    from cognito_mock.backend.kernel.outbox import Outbox
    from cognito_mock.clock import Clock, ProcessClock
    from cognito_mock.factories import UserFactory, UserPoolFactory
    from cognito_mock.mock import CognitoMock
    from cognito_mock.transports.http import CognitoHTTPServer

__all__ = [
    "DEFAULT_PASSWORD",
    "CognitoMockConfig",
    "CognitoMockTeardownWarning",
    "CognitoServer",
    "cognito_client",
    "cognito_clock",
    "cognito_mock",
    "cognito_mock_config",
    "cognito_mock_factory",
    "cognito_outbox",
    "cognito_server",
    "cognito_server_session",
    "cognito_user",
    "cognito_user_pool",
]

_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


class CognitoMockTeardownWarning(UserWarning):
    """A cognito-mock teardown problem reported as a warning because the test had already failed."""


# -- configuration ----------------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cognito-mock", "cognito-mock (in-memory Amazon Cognito user pools)")
    group.addoption("--cognito-mock-region", default=None, help="region of cognito_mock")
    group.addoption("--cognito-mock-account-id", default=None, help="account id of cognito_mock")
    group.addoption(
        "--cognito-mock-seed",
        default=None,
        help="seed of every cognito_mock ('random' for OS randomness; default: one per test id)",
    )
    group.addoption(
        "--cognito-mock-no-validate",
        action="store_true",
        default=False,
        help="turn off the model checks of requests and responses",
    )
    parser.addini("cognito_mock_region", "region of cognito_mock", default="")
    parser.addini("cognito_mock_account_id", "account id of cognito_mock", default="")
    parser.addini("cognito_mock_seed", "seed of cognito_mock ('random': OS)", default="")
    parser.addini("cognito_mock_validate", "check requests/responses", type="bool", default=True)


_REGION_SET = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "cognito(region=None, account_id=None, validate=None, seed=None): configure the "
        "cognito_mock fixture for this test (overrides --cognito-mock-* and ini options)",
    )
    # Applications often make `boto3.client("cognito-idp")` at import, which needs a region while
    # pytest collects, before any fixture runs: give the mock's region when none is configured.
    if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")):
        os.environ["AWS_DEFAULT_REGION"] = session_config(config)[0].region
        config.stash[_REGION_SET] = True


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.stash.get(_REGION_SET, False):
        os.environ.pop("AWS_DEFAULT_REGION", None)


def pytest_report_header(config: pytest.Config) -> str:
    base, per_test = session_config(config)
    seed = "per test" if per_test else base.seed
    return f"cognito-mock: region={base.region} validate={base.validate} seed={seed}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Kept so teardown can tell whether the test already failed (and then not add its own error).
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


@pytest.fixture
def cognito_mock_config(request: pytest.FixtureRequest) -> CognitoMockConfig:
    """The settings of this test's mock: `@pytest.mark.cognito(...)` > command line > ini > defaults.

    Override it in a conftest to configure every mock below that directory."""
    base, per_test = session_config(request.config)
    given: dict[str, Any] = {}
    for marker in request.node.iter_markers("cognito"):  # closest first: a test beats its class
        if marker.args:
            raise pytest.UsageError("@pytest.mark.cognito takes keyword arguments only")
        unknown = set(marker.kwargs) - set(MARKER_KEYS)
        if unknown:
            raise pytest.UsageError(
                f"@pytest.mark.cognito got unknown {', '.join(sorted(unknown))}; "
                f"known: {', '.join(MARKER_KEYS)}"
            )
        for key, value in marker.kwargs.items():
            given.setdefault(key, value)
    if per_test and "seed" not in given:
        given["seed"] = request.node.nodeid  # reproducible, and different for every test
    return replace(base, **given)


# -- the mock ---------------------------------------------------------------------------------------


@pytest.fixture
def cognito_clock() -> ProcessClock:
    """The clock the mock reads: the process clock (so freezegun and time-machine move it) plus
    whatever the test advanced; `advance()` instead of sleeping, `pin()` to stop it."""
    from cognito_mock.clock import ProcessClock

    return ProcessClock()


@pytest.fixture
def cognito_mock(
    request: pytest.FixtureRequest,
    cognito_mock_config: CognitoMockConfig,
    cognito_clock: Clock,
) -> Iterator[CognitoMock]:
    """A fresh CognitoMock on `cognito_clock`, every botocore cognito-idp client routed to it and
    dummy AWS credentials in the environment; all restored afterwards."""
    from cognito_mock.mock import CognitoMock

    config = cognito_mock_config
    with _dummy_aws_environment(config.region):
        mock = CognitoMock(
            region=config.region,
            account_id=config.account_id,
            clock=cognito_clock,
            seed=config.seed,
            validate=config.validate,
        )
        interception = mock.intercept()
        interception.__enter__()
        # boto3's default session caches the credentials it resolves: each test gets a new one
        # (made on first use), and later tests must not inherit it with the dummy credentials.
        boto3 = sys.modules.get("boto3")
        default_session = getattr(boto3, "DEFAULT_SESSION", None)
        if boto3 is not None:
            setattr(boto3, "DEFAULT_SESSION", None)  # noqa: B010  (mypy: untyped module)
        try:
            yield mock
        finally:
            boto3 = sys.modules.get("boto3")
            if boto3 is not None:
                setattr(boto3, "DEFAULT_SESSION", default_session)  # noqa: B010  (mypy: untyped module)
        _guarded(request, "cognito_mock", lambda: interception.__exit__(None, None, None))


@contextmanager
def _dummy_aws_environment(region: str) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as env:
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
            env.setenv(name, "testing")  # never real credentials, whatever the shell has
        env.setenv("AWS_DEFAULT_REGION", region)
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
            env.delenv(name, raising=False)  # a named profile would outrank nothing, or not exist
        yield


@pytest.fixture(scope="session")
def cognito_mock_factory(
    pytestconfig: pytest.Config,
) -> Callable[..., AbstractContextManager[CognitoMock]]:
    """`with cognito_mock_factory() as mock:` — a fresh CognitoMock (intercepting every botocore
    cognito-idp client, dummy credentials) for as long as the block runs. Session-scoped, so a
    Hypothesis test can make one per example: function-scoped fixtures live for the whole test,
    which is why Hypothesis refuses them (its `function_scoped_fixture` health check)."""
    from cognito_mock.clock import ProcessClock
    from cognito_mock.mock import CognitoMock

    base, _ = session_config(pytestconfig)

    @contextmanager
    def fresh(**kwargs: Any) -> Iterator[CognitoMock]:
        settings: dict[str, Any] = {
            "region": base.region, "account_id": base.account_id, "validate": base.validate,
            "clock": ProcessClock(), **kwargs,
        }  # fmt: skip
        mock = CognitoMock(**settings)
        with _dummy_aws_environment(mock.region), mock.intercept():
            yield mock

    return fresh


@pytest.fixture
def cognito_client(cognito_mock: CognitoMock) -> Any:
    """A boto3 cognito-idp client answered by `cognito_mock`."""
    return cognito_mock.client()


@pytest.fixture
def cognito_outbox(cognito_mock: CognitoMock) -> Outbox:
    """Every email and SMS `cognito_mock` would have sent (codes, temporary passwords)."""
    return cognito_mock.outbox


def _guarded(request: pytest.FixtureRequest, what: str, teardown: Callable[[], None]) -> None:
    """Run `teardown`; if the test already failed, a teardown error becomes a warning instead of
    a second error that buries the real one."""
    try:
        teardown()
    except Exception as error:
        reports = request.node.stash.get(_REPORTS, {})
        if not any(report.failed for report in reports.values()):
            raise
        warnings.warn(
            f"{what} teardown failed after the test had failed: {error!r}",
            CognitoMockTeardownWarning,
            stacklevel=1,
        )


@pytest.fixture
def cognito_user_pool(cognito_mock: CognitoMock) -> UserPoolFactory:
    """A factory of pools with an app client; see `cognito_mock.factories.UserPoolFactory`."""
    from cognito_mock.factories import UserPoolFactory

    return UserPoolFactory(cognito_mock)


@pytest.fixture
def cognito_user(cognito_user_pool: UserPoolFactory) -> UserFactory:
    """A factory of confirmed users with known passwords; see `cognito_mock.factories.UserFactory`."""
    from cognito_mock.factories import UserFactory

    return UserFactory(cognito_user_pool)


# -- the HTTP endpoint ------------------------------------------------------------------------------


@dataclass
class CognitoServer:
    """The HTTP endpoint serving this test's `cognito_mock`: `url`, `mock`, and the errors (bugs,
    answered as 500s) met while answering; they fail the test at teardown."""

    url: str
    mock: CognitoMock
    server: CognitoHTTPServer = field(repr=False)

    @property
    def errors(self) -> list[BaseException]:
        return self.server.errors

    def client(self, region_name: str | None = None, **kwargs: Any) -> Any:
        """A boto3 cognito-idp client that talks to this endpoint over HTTP, even while
        `cognito_mock` intercepts other clients."""
        import boto3

        kwargs.setdefault("aws_access_key_id", "testing")
        kwargs.setdefault("aws_secret_access_key", "testing")
        client = boto3.session.Session().client(
            "cognito-idp",
            region_name=region_name or self.mock.region,
            endpoint_url=self.url,
            **kwargs,
        )
        # `mock.intercept()` (active while `cognito_mock` is) answers every endpoint whose prefix
        # is cognito-idp in process; this client must reach the server, over the socket.
        client._endpoint._endpoint_prefix = "cognito-idp-over-http"
        return client


@pytest.fixture(scope="session")
def cognito_server_session() -> Iterator[CognitoHTTPServer]:
    """One HTTP server per session (per xdist worker) on a free 127.0.0.1 port; `cognito_server`
    points it at each test's mock, so the URL stays the same for the whole session."""
    from cognito_mock.transports.http import start_server

    server = start_server(None, "127.0.0.1", 0)  # no mock between tests: 503 JSON
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def cognito_server(
    request: pytest.FixtureRequest,
    cognito_server_session: CognitoHTTPServer,
    cognito_mock: CognitoMock,
) -> Iterator[CognitoServer]:
    """This test's `cognito_mock` over HTTP (the session's server): one Cognito per test, so
    pools made by the factories or `cognito_client` are served too. Errors raised while serving
    (a bug answered as 500) fail the test at teardown."""
    server = cognito_server_session
    server.front.target = cognito_mock
    server.errors.clear()
    cognito_mock.set_public_url(server.url)
    try:
        yield CognitoServer(url=server.url, mock=cognito_mock, server=server)
    finally:
        server.front.target = None
        cognito_mock.set_public_url(None)

    def check() -> None:
        found, server.errors[:] = list(server.errors), []
        if found:
            raise found[0]

    _guarded(request, "cognito_server", check)
