"""`cognito-mock` command line: `serve` runs the HTTP endpoint (demo pool, seed file, saved state)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from urllib.parse import urlencode

from cognito_mock.mock import DEFAULT_REGION, CognitoMock

__all__ = ["main"]

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "Demo-Passw0rd!"
DEMO_DOMAIN = "demo"
DEMO_CALLBACK = "http://localhost:9229/callback"


def demo_login_url(mock: CognitoMock, demo: dict[str, str]) -> str | None:
    """The managed-login URL of the demo client (None for a demo made before it had one)."""
    pool = mock.backend().pools.get(demo["user_pool_id"])
    client = pool.clients.get(demo["client_id"]) if pool is not None else None
    callbacks = (client.settings.get("CallbackURLs") or []) if client is not None else []
    base = mock.domain_url(demo["user_pool_id"])
    if not callbacks or base is None:
        return None
    query = urlencode({"client_id": demo["client_id"], "response_type": "code",
                       "scope": "openid email", "redirect_uri": callbacks[0]})  # fmt: skip
    return f"{base}/login?{query}"


def create_demo(mock: CognitoMock, callback: str = DEMO_CALLBACK) -> dict[str, str]:
    """A pool with the domain `demo`, a public app client allowing password and SRP sign-in and
    the code flow to `callback` (managed login), and a confirmed user."""
    pool_id = mock.call("CreateUserPool", PoolName="demo", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    mock.call("CreateUserPoolDomain", UserPoolId=pool_id, Domain=DEMO_DOMAIN)
    client_id = mock.call(
        "CreateUserPoolClient",
        UserPoolId=pool_id,
        ClientName="demo-app",
        ExplicitAuthFlows=[
            "ALLOW_USER_PASSWORD_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH",
            "ALLOW_REFRESH_TOKEN_AUTH",
        ],
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile", "aws.cognito.signin.user.admin"],
        CallbackURLs=[callback],
        SupportedIdentityProviders=["COGNITO"],
    )["UserPoolClient"]["ClientId"]
    mock.call(
        "AdminCreateUser",
        UserPoolId=pool_id,
        Username=DEMO_USERNAME,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "demo@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    mock.call(
        "AdminSetUserPassword",
        UserPoolId=pool_id,
        Username=DEMO_USERNAME,
        Password=DEMO_PASSWORD,
        Permanent=True,
    )
    return {
        "user_pool_id": pool_id,
        "client_id": client_id,
        "username": DEMO_USERNAME,
        "password": DEMO_PASSWORD,
    }


def _find_demo(mock: CognitoMock) -> dict[str, str] | None:
    """The demo pool of a restored state, if it has one."""
    for pool in mock.backend().pools.values():
        if pool.name == "demo":
            for client in pool.clients.values():
                if client.settings.get("ClientName") == "demo-app":
                    return {
                        "user_pool_id": pool.id,
                        "client_id": client.client_id,
                        "username": DEMO_USERNAME,
                        "password": DEMO_PASSWORD,
                    }
    return None


def _serve(args: argparse.Namespace) -> int:
    from cognito_mock.clock import ProcessClock
    from cognito_mock.errors import SeedError, StateFileError
    from cognito_mock.persistence import Persistence
    from cognito_mock.recording import recording_mock
    from cognito_mock.seed import apply_seed, load_seed
    from cognito_mock.transports.http import CognitoHTTPServer

    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()), format="%(asctime)s %(message)s"
    )
    # The process's time plus what the control API advanced or set (`/_cognito-mock/clock/...`).
    clock = ProcessClock()
    persistence: Persistence | None = None
    try:
        seed = load_seed(args.seed) if args.seed else None
        if args.state:
            mock = recording_mock(args.region, clock=clock)
            persistence = Persistence(mock, args.state)
        else:
            mock = CognitoMock(region=args.region, clock=clock)
    except (SeedError, StateFileError) as error:
        print(f"cognito-mock: error: {error}", file=sys.stderr, flush=True)
        return 2
    # A served mock has no Python functions to run for LambdaConfig triggers: skip them rather
    # than answer 500 (the in-process default raises, so a test notices a missing registration).
    # Webhooks registered through the control API do run.
    mock.triggers.missing = "skip"
    fresh = persistence is None or not persistence.restored
    try:
        server = CognitoHTTPServer(
            persistence or mock, args.host, args.port, control=not args.no_control
        )
    except OSError as error:
        print(f"cognito-mock: error: cannot listen on {args.host}:{args.port}: {error}",
              file=sys.stderr, flush=True)  # fmt: skip
        if persistence is not None:
            persistence.close()
        return 2
    mock.set_public_url(server.url, issuer=args.issuer)
    print(f"cognito-mock listening on {server.url} (region {args.region})", flush=True)
    if persistence is not None:
        state = "restored" if persistence.restored else "new"
        print(f"  state: {args.state} ({state})", flush=True)
    if seed is not None:
        if fresh:
            try:
                for line in apply_seed(mock, seed, args.seed):
                    print(f"  seeded {line}", flush=True)
            except SeedError as error:
                print(f"cognito-mock: error: {error}", file=sys.stderr, flush=True)
                server.stop()
                return 2
        else:
            print("  seed: skipped (the state file already holds state)", flush=True)
    if args.demo:
        callback = f"http://localhost:{server.url.rsplit(':', 1)[-1]}/callback"
        demo = (None if fresh else _find_demo(mock)) or create_demo(mock, callback)
        for key, value in demo.items():
            print(f"  {key}: {value}", flush=True)
        login = demo_login_url(mock, demo)
        if login is not None:
            # The browser comes back to the callback with ?code=...; redeem it at /oauth2/token.
            print(f"  login_url: {login}", flush=True)
        print(
            f"  try: aws cognito-idp initiate-auth --endpoint-url {server.url} "
            f"--region {args.region} --auth-flow USER_PASSWORD_AUTH --client-id "
            f"{demo['client_id']} --auth-parameters USERNAME={demo['username']},"
            f"PASSWORD='{demo['password']}'",
            flush=True,
        )
    if persistence is not None:
        persistence.checkpoint()  # seed and demo were made directly, not through the journal
    if not args.no_control:
        print(f"  control API: {server.url}/_cognito-mock/ (--no-control turns it off)", flush=True)

    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    server.start()
    print("  ready (Ctrl-C to stop)", flush=True)
    try:
        while not stopping.wait(3600):
            pass
    finally:
        server.stop()
        if persistence is not None:
            persistence.close()
    print("cognito-mock stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cognito-mock", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP endpoint")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=9229)
    serve.add_argument("--region", default=DEFAULT_REGION)
    serve.add_argument("--demo", action="store_true", help="create a demo pool, client and user")
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="one line per call (operation, status, duration) is logged at info; 5xx at error",
    )
    serve.add_argument(
        "--issuer",
        default="aws",
        choices=["aws", "server"],
        help="token iss: aws = https://cognito-idp.<region>.amazonaws.com/<poolId> (default), "
        "server = <this server's URL>/<poolId>",
    )
    serve.add_argument("--state", metavar="PATH", help="keep state in this SQLite file")
    serve.add_argument(
        "--no-control",
        action="store_true",
        help="turn off the control API (/_cognito-mock/: reset, outbox, clock, faults, seed, "
        "webhook triggers)",
    )
    serve.add_argument(
        "--seed", metavar="FILE", help="create the pools, clients, groups and users it declares"
    )
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    return 2  # pragma: no cover - argparse rejects other commands


if __name__ == "__main__":
    sys.exit(main())
