"""`cognito-mock` command line: `serve` runs the HTTP endpoint (optionally with a demo pool)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from typing import Any

from cognito_mock.mock import DEFAULT_REGION, CognitoMock

__all__ = ["main"]

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "Demo-Passw0rd!"


def create_demo(mock: CognitoMock) -> dict[str, str]:
    """A pool, a public app client allowing password and SRP sign-in, and a confirmed user."""
    pool_id = mock.call("CreateUserPool", PoolName="demo", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
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


def _serve(args: argparse.Namespace) -> int:
    from cognito_mock.transports.http import CognitoHTTPServer

    logging.basicConfig(
        level=getattr(logging, args.log_level.upper()), format="%(asctime)s %(message)s"
    )
    mock = CognitoMock(region=args.region)
    server = CognitoHTTPServer((args.host, args.port), mock)
    mock.set_public_url(server.url)
    print(f"cognito-mock listening on {server.url} (region {args.region})", flush=True)
    if args.demo:
        demo = create_demo(mock)
        for key, value in demo.items():
            print(f"  {key}: {value}", flush=True)
        print(
            f"  try: aws cognito-idp initiate-auth --endpoint-url {server.url} "
            f"--region {args.region} --auth-flow USER_PASSWORD_AUTH --client-id "
            f"{demo['client_id']} --auth-parameters USERNAME={demo['username']},"
            f"PASSWORD='{demo['password']}'",
            flush=True,
        )

    def stop(*_: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    finally:
        server.server_close()
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
    serve.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    args = parser.parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    return 2  # pragma: no cover - argparse rejects other commands


if __name__ == "__main__":
    sys.exit(main())
