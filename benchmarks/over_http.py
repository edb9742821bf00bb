"""Requests per second over HTTP keep-alive: AdminGetUser and InitiateAuth, 1 and 4 client threads,
for `cognito-mock serve` and (when moto with its server extra is installed) moto's server.

Each server runs in its own process, so the clients (raw `http.client`, pre-encoded bodies) do not
share its interpreter lock. Run from the repository root: `python benchmarks/over_http.py
[--seconds 3]` or `python -m benchmarks.over_http`. Not part of the tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from typing import Any

import boto3

PASSWORD = "Passw0rd!x"
TARGET = "AWSCognitoIdentityProviderService."
# Moto routes by the signature's credential scope; neither server checks the signature itself.
AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/cognito-idp/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=0"
)
_MOTO = """
import sys, time
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=int(sys.argv[1]), verbose=False)
server.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_cognito_mock() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cognito_mock.cli", "serve", "--port", "0", "--log-level", "error"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().split("listening on ")[1].split()[0]
    while not process.stdout.readline().startswith("  ready"):
        pass
    return process, url


def start_moto() -> tuple[subprocess.Popen[str], str] | None:
    try:
        import flask  # noqa: F401  (the server extra)
        import moto.server  # noqa: F401
    except ImportError:
        return None
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", _MOTO, str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # werkzeug logs every request
        text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()
    return process, f"http://127.0.0.1:{port}"


def prepare(url: str) -> dict[str, bytes]:
    """A pool, a client and a confirmed user; the two request bodies the benchmark repeats."""
    aws = boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url=url,
        aws_access_key_id="a", aws_secret_access_key="b",
    )  # fmt: skip
    pool_id = aws.create_user_pool(PoolName="bench")["UserPool"]["Id"]
    client_id = aws.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                                 "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    aws.admin_create_user(UserPoolId=pool_id, Username="bench", MessageAction="SUPPRESS")
    aws.admin_set_user_password(
        UserPoolId=pool_id, Username="bench", Password=PASSWORD, Permanent=True
    )
    get = {"UserPoolId": pool_id, "Username": "bench"}
    auth = {
        "ClientId": client_id,
        "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "bench", "PASSWORD": PASSWORD},
    }
    return {"AdminGetUser": json.dumps(get).encode(), "InitiateAuth": json.dumps(auth).encode()}


def rate(url: str, operation: str, body: bytes, threads: int, seconds: float) -> float:
    host, port = url.removeprefix("http://").split(":")
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": TARGET + operation,
        "Authorization": AUTHORIZATION,
        "X-Amz-Date": "20240101T000000Z",
    }
    counts = [0] * threads
    errors: list[str] = []
    deadline = time.perf_counter() + seconds

    def run(n: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        while time.perf_counter() < deadline:
            conn.request("POST", "/", body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                errors.append(f"{response.status} {data[:200]!r}")
                return
            counts[n] += 1
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise RuntimeError(f"{operation} failed: {errors[0]}")
    return sum(counts) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args(argv)
    servers: list[tuple[str, tuple[subprocess.Popen[str], str] | None]] = [
        ("cognito-mock", start_cognito_mock()),
        ("moto server", start_moto()),
    ]
    results: dict[tuple[str, str, int], Any] = {}
    try:
        for name, started in servers:
            if started is None:
                continue
            bodies = prepare(started[1])
            for operation, body in bodies.items():
                for threads in (1, 4):
                    try:
                        results[(name, operation, threads)] = rate(
                            started[1], operation, body, threads, args.seconds
                        )
                    except RuntimeError as error:
                        results[(name, operation, threads)] = str(error)[:40]
    finally:
        for _, started in servers:
            if started is not None:
                started[0].terminate()
                started[0].wait(timeout=15)
    names = [name for name, started in servers if started is not None]
    print(f"requests/second over HTTP keep-alive ({args.seconds:g} s per cell)")
    print(f"{'operation':<14}{'threads':>8}" + "".join(f"{n:>16}" for n in names))
    for operation in ("AdminGetUser", "InitiateAuth"):
        for threads in (1, 4):
            cells = []
            for name in names:
                value = results.get((name, operation, threads))
                cells.append(f"{value:>16.0f}" if isinstance(value, float) else f"{value!s:>16}")
            print(f"{operation:<14}{threads:>8}" + "".join(cells))
    if "moto server" not in names:
        print("(moto server not installed: pip install 'moto[server]')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
