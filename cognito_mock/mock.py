"""`CognitoMock`, the façade: state per (account, region), `call()`, boto3 clients and interception."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, partial
from typing import Any
from urllib.parse import urlencode

from cognito_mock import control as control_api
from cognito_mock import dispatch, routing
from cognito_mock.backend.directory import import_jobs
from cognito_mock.backend.hooks.triggers import Triggers
from cognito_mock.backend.hosted import router as hosted
from cognito_mock.backend.hosted.pages import PageRequest, PageResponse
from cognito_mock.backend.kernel.outbox import Outbox
from cognito_mock.backend.kernel.state import Backend, Services
from cognito_mock.backend.pool_config.domains import domain_base_url
from cognito_mock.backend.tokens import oauth2
from cognito_mock.backend.tokens import store as tokens
from cognito_mock.clock import Clock, SystemClock
from cognito_mock.errors import OAuthError, ServiceError
from cognito_mock.faults import Faults
from cognito_mock.ids import Ids, UuidSequence
from cognito_mock.shapes import operation as operation_spec
from cognito_mock.transports import boto, fragments, native, wire
from cognito_mock.transports import oauth2 as oauth2_transport

__all__ = ["DEFAULT_ACCOUNT_ID", "DEFAULT_REGION", "CognitoMock"]

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT_ID = "123456789012"

_SESSION: Any = None
_SESSION_LOCK = threading.Lock()


class CognitoMock:
    """An in-memory Cognito user-pool service; every way in shares one request path."""

    def __init__(
        self,
        *,
        region: str = DEFAULT_REGION,
        account_id: str = DEFAULT_ACCOUNT_ID,
        clock: Clock | None = None,
        seed: int | str | None = None,
        validate: bool = True,
    ) -> None:
        self.region = region
        self.account_id = account_id
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.ids = Ids(seed)
        # Request ids have their own stream, so a seeded mock draws the same pool/user ids whether
        # it is called through boto3 (which gets a request id per call) or through `call`.
        self._request_id = UuidSequence(Ids(None if seed is None else f"{seed}/request-ids"))
        self.seed = seed
        self.validate = validate
        # Injected errors and latency (`mock.faults.fail("AdminGetUser", times=2)`); see faults.py.
        self.faults = Faults(seed)
        self._lock = threading.RLock()
        self._backends: dict[tuple[str, str], Backend] = {}
        self.services = Services(outbox=Outbox(), triggers=Triggers())
        self.public_url: str | None = None
        self._domain_app: Any = None  # `domain_app`: managed login, served (transports/domain.py)

    def __repr__(self) -> str:
        return f"CognitoMock(region={self.region!r}, account_id={self.account_id!r})"

    # -- state --------------------------------------------------------------------------------

    def backend(self, region: str | None = None, account_id: str | None = None) -> Backend:
        """The state of one (account, region), created on first use."""
        key = (account_id or self.account_id, region or self.region)
        found = self._backends.get(key)
        if found is None:
            with self._lock:
                found = self._backends.setdefault(
                    key,
                    Backend(
                        account_id=key[0],
                        region=key[1],
                        clock=self.clock,
                        ids=self.ids,
                        lock=self._lock,
                        services=self.services,
                        regions=partial(self._region_backend, key[0]),
                    ),
                )
        return found

    def _region_backend(self, account_id: str, region: str) -> Backend:
        return self.backend(region, account_id)

    def reset(self, *, seed: int | str | None = None, clock: Clock | None = None) -> None:
        """Forget every pool, user, message and fault, as a fresh mock would, but keep serving:
        the public URL and issuer setting survive. `seed` reseeds ids and faults; `clock` replaces
        the clock (the current one is kept by default)."""
        with self._lock:
            self._backends.clear()
            old = self.services
            old.outbox.clear()  # the same object, so references taken before stay live
            self.services = Services(
                outbox=old.outbox, triggers=Triggers(), issuer_base=old.issuer_base
            )
            # What an unregistered trigger does is a setting of the mock, not state.
            self.services.triggers.missing = old.triggers.missing
            self.ids = Ids(seed)
            self._request_id = UuidSequence(Ids(None if seed is None else f"{seed}/request-ids"))
            self.seed = seed
            self.faults.reset(seed)
            if clock is not None:
                self.clock = clock

    @property
    def outbox(self) -> Outbox:
        """Every email and SMS the service would have sent, oldest first."""
        return self.services.outbox

    @property
    def triggers(self) -> Triggers:
        """Lambda triggers as Python callables: `mock.triggers.register("PreSignUp", func)` or
        `@mock.triggers.on("PreSignUp")`; `reset()` forgets them. See backend/hooks/triggers.py."""
        return self.services.triggers

    # -- the Python way in ---------------------------------------------------------------------

    def call(
        self,
        operation: str,
        params: dict[str, Any] | None = None,
        *,
        region: str | None = None,
        account_id: str | None = None,
        **members: Any,
    ) -> dict[str, Any]:
        """Run `operation` with boto3-style params (datetimes, bytes); return boto3-style results.

        Service errors raise the `cognito_mock.errors` class named by their AWS code.
        """
        request = {**(params or {}), **members}
        to_wire, from_wire = _converters(operation)
        if to_wire is not None:
            request = to_wire(request)
        result = dispatch.invoke(
            self.backend(region, account_id),
            operation,
            request,
            validate=self.validate,
            fault=self.faults,
        )
        if from_wire is not None:
            result = from_wire(result)
        return result

    # -- the wire way in (boto3, HTTP) ----------------------------------------------------------

    def handle_wire(
        self, target: str | None, body: bytes | None, region: str | None = None
    ) -> wire.WireResponse:
        """One JSON 1.1 request in, one JSON 1.1 response out (service errors as error bodies).
        `region` is a signed request's; None routes by the resource named (`routing.py`)."""
        request_id = self._request_id()
        try:
            operation, params = wire.decode_request(target, body)
            backend = self.backend(region) if region else routing.route(self, params)
            result = dispatch.invoke(  # encoded_only: the answer goes only to the encoder below
                backend, operation, params, validate=self.validate, fault=self.faults, encoded_only=True
            )  # fmt: skip
        except (ServiceError, wire.WireError) as error:
            return wire.encode_error(error, request_id)
        return fragments.encode_result(result, request_id)  # wire.encode_result, JSON reused

    def client(self, region_name: str | None = None, **kwargs: Any) -> Any:
        """A real boto3 `cognito-idp` client whose requests this mock answers (no sockets)."""
        import boto3

        region = region_name or self.region
        kwargs.setdefault("aws_access_key_id", "testing")
        kwargs.setdefault("aws_secret_access_key", "testing")
        with _SESSION_LOCK:
            # One shared session: it caches the loaded service model, making a client ~10x cheaper.
            global _SESSION
            if _SESSION is None:
                _SESSION = boto3.session.Session()
            client = _SESSION.client("cognito-idp", region_name=region, **kwargs)
        client.meta.events.register_first(
            "before-send.cognito-identity-provider", boto.before_send(self.handle_wire, region)
        )
        # The process's one set of exception classes, so `pytest.raises(client.exceptions.X)`
        # catches what any other boto3 client raises (botocore makes classes per session).
        client._exceptions = boto.shared_exceptions(
            client._exceptions_factory, client.meta.service_model
        )
        return client

    # -- user import ---------------------------------------------------------------------------

    def upload_import_csv(
        self, job: str, text: str, *, region: str | None = None, account_id: str | None = None
    ) -> None:
        """Put `text` (the CSV) where import job `job` (its JobId or PreSignedUrl) reads it, as an
        HTTP PUT to the pre-signed URL would; StartUserImportJob then imports it."""
        with self._lock:
            import_jobs.upload_csv(self.backend(region, account_id), job, text)

    # -- tokens ----------------------------------------------------------------------------------

    def jwks(
        self, pool_id: str, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, Any]:
        """The pool's `/.well-known/jwks.json` document (ID-token and access-token keys)."""
        backend = self.backend(region, account_id)
        with self._lock:
            return tokens.jwks(backend, backend.pool(pool_id))

    def issuer(
        self, pool_id: str, *, region: str | None = None, account_id: str | None = None
    ) -> str:
        """The `iss` of the pool's tokens (`https://cognito-idp.<region>.amazonaws.com/<poolId>`)."""
        backend = self.backend(region, account_id)
        return tokens.issuer(backend, backend.pool(pool_id))

    def openid_configuration(
        self, pool_id: str, *, region: str | None = None, account_id: str | None = None
    ) -> dict[str, Any]:
        """The pool's OIDC discovery document; URLs point at the HTTP endpoint when serving."""
        issuer = self.issuer(pool_id, region=region, account_id=account_id)
        base = self.public_url or issuer.rsplit("/", 1)[0]
        # Browsers go to the domain; servers to the served URL (only browsers resolve *.localhost).
        domain = self.domain_url(pool_id, region=region, account_id=account_id) or base
        api = self.public_url or domain
        return {
            "authorization_endpoint": f"{domain}/oauth2/authorize",
            "id_token_signing_alg_values_supported": ["RS256"],
            "issuer": issuer,
            "jwks_uri": f"{base}/{pool_id}/.well-known/jwks.json",
            "response_types_supported": ["code", "token"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
            "subject_types_supported": ["public"],
            "token_endpoint": f"{api}/oauth2/token",
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "userinfo_endpoint": f"{api}/oauth2/userInfo",
        }

    # -- managed login (user pool domains) -----------------------------------------------------

    def domain_url(
        self, pool_id: str, *, region: str | None = None, account_id: str | None = None
    ) -> str | None:
        """Where the pool's domain answers (`http://<prefix>.localhost:<port>` while served,
        else the service's domain), None without one (`domains.domain_base_url`)."""
        backend = self.backend(region, account_id)
        return domain_base_url(backend, backend.pool(pool_id), self.public_url)

    def handle_hosted(self, request: PageRequest) -> PageResponse:
        """One browser request to a user pool domain (its pages, `/oauth2/authorize`,
        `/oauth2/idpresponse`, `/logout`): the pool's backend, the mock's lock, the fault hook."""
        owner = self.domain_owner(request.domain) or ("", "", "")
        backend = self.backend(owner[1], owner[0]) if owner[0] else None
        pool = backend.pools.get(owner[2]) if backend is not None else None
        if backend is None or pool is None:
            return hosted.unknown_domain()
        with backend.lock:
            return hosted.answer(backend, pool, request, self.faults)

    @property
    def domain_app(self) -> Any:
        """The ASGI app of this mock's user pool domains (`web.DomainApp`, managed login), which
        `serve()` answers them with; made on first use. Assign another ASGI app to replace it."""
        if self._domain_app is None:
            from cognito_mock.web import DomainApp  # the web framework only when served

            self._domain_app = DomainApp(self)
        return self._domain_app

    @domain_app.setter
    def domain_app(self, app: Any) -> None:
        self._domain_app = app

    # -- OAuth2 endpoints without HTTP ---------------------------------------------------------

    def handle_oauth2(
        self,
        endpoint: str,
        form: dict[str, str],
        basic: tuple[str, str] | None = None,
        bearer: str | None = None,
        *,
        region: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One parsed request to an OAuth2 endpoint (`/oauth2/token`, `/oauth2/revoke`,
        `/oauth2/userInfo`): the HTTP status, headers and body. It takes the same way in as the
        JSON operations: the region's backend (without `region`, the backend of the client or
        token, `routing.py`), the mock's lock and the fault hook."""
        form, basic, bearer = oauth2_transport.as_sent(form, basic, bearer)
        backend = (
            self.backend(region) if region else routing.route_oauth2(self, form, basic, bearer)
        )
        try:
            with backend.lock:
                self.faults(endpoint, form)
                return oauth2.answer(backend, endpoint, form, basic, bearer)
        except OAuthError as error:
            return error.answer()

    def _oauth2_json(self, endpoint: str, form: dict[str, str], authorization: str | None,
                     region: str | None) -> dict[str, Any]:  # fmt: skip
        try:
            request = oauth2_transport.parse(
                endpoint, "POST", urlencode(form, errors="replace").encode(), oauth2_transport.FORM_TYPE,
                authorization,
            )  # fmt: skip
        except OAuthError as error:
            return {"error": error.error}
        _, _, body = self.handle_oauth2(
            endpoint, request.form, request.basic, request.bearer, region=region
        )
        return dict(json.loads(body)) if body else {}

    def oauth2_token(
        self, form: dict[str, str], authorization: str | None = None, *, region: str | None = None
    ) -> dict[str, Any]:
        """`POST /oauth2/token` in-process: the JSON answer, or `{"error": code}` on refusal."""
        return self._oauth2_json("/oauth2/token", form, authorization, region)

    def oauth2_revoke(
        self, form: dict[str, str], authorization: str | None = None, *, region: str | None = None
    ) -> dict[str, Any]:
        """`POST /oauth2/revoke` in-process: `{}` on success, or `{"error": code}` on refusal."""
        return self._oauth2_json("/oauth2/revoke", form, authorization, region)

    def oauth2_user_info(self, access_token: str, *, region: str | None = None) -> dict[str, Any]:
        """`GET /oauth2/userInfo` in-process: the claims, or `{"error": code}` on refusal."""
        return self._oauth2_json("/oauth2/userInfo", {}, f"Bearer {access_token}", region)

    # -- the HTTP way in -------------------------------------------------------------------------

    def set_public_url(self, url: str | None, *, issuer: str = "aws") -> None:
        """Where this mock is served. With `issuer="server"` tokens carry `iss=<url>/<poolId>`;
        the default `"aws"` keeps the service's `https://cognito-idp.<region>.amazonaws.com/...`."""
        if issuer not in ("aws", "server"):
            raise ValueError("issuer must be 'aws' or 'server'")
        self.public_url = url.rstrip("/") if url else None
        self.services.issuer_base = self.public_url if issuer == "server" else None

    @contextmanager
    def serve(
        self, host: str = "127.0.0.1", port: int = 0, *, issuer: str = "aws", control: bool = True
    ) -> Iterator[str]:
        """Serve this mock over HTTP in a background thread (a free port by default) and yield its
        URL; starting and stopping take milliseconds. A bug met while answering (a 500) is raised
        here when the block ends, unless the block raised first."""
        from cognito_mock.transports.http import start_server  # uvicorn only when serving

        server = start_server(self, host, port, control=control)
        self.set_public_url(server.url, issuer=issuer)
        try:
            yield server.url
        finally:
            server.stop()
            self.set_public_url(None)
        if server.errors:
            raise server.errors[0]

    def control(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run a control API operation (`control.OPERATIONS`: "reset", "outbox", "clock.advance",
        ...) with JSON parameters; what `/_cognito-mock/...` answers. WireError for bad input."""
        with self._lock:
            return control_api.control(self, name, params)

    def domain_owner(self, domain: str) -> tuple[str, str, str] | None:
        """(account, region, pool id) of a user pool domain (prefix or custom domain), or None."""
        return self.services.domain_index.get(domain)

    def intercept(self) -> boto.Interception:
        """Route every botocore cognito-idp client here, including ones made before; a context
        manager and a decorator."""
        return boto.Interception(self.handle_wire, self.region)


@cache  # consulted on every call(): build the set once
def _known() -> frozenset[str]:
    from cognito_mock.shapes import index

    return frozenset(index()["operations"])


@cache  # looked up on every call(): resolve the operation's converters once
def _converters(operation: str) -> tuple[native.Convert | None, native.Convert | None]:
    """The operation's (to-wire, from-wire) converters; None where nothing needs converting."""
    if operation not in _known():
        return None, None
    spec = operation_spec(operation)
    to_wire = native.to_wire_converter(spec.input)
    from_wire = native.from_wire_converter(spec.output) if spec.output is not None else None
    return to_wire, from_wire
