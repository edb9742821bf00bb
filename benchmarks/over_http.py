"""Requests per second over HTTP keep-alive: AdminGetUser and InitiateAuth, 1 and 4 client threads,
for `cognito-mock serve`, beside the floor of its server (the same server, `transports/server.py`
on uvicorn's protocol, answering a canned response: what no mock can beat), hypercorn's floor (the
alternative considered; with `pip install hypercorn`) and moto's server (with `moto[server]`).

Each server runs in its own process, so the clients (raw `http.client` on one persistent
connection per thread, pre-encoded bodies) do not share its interpreter lock. Run from the
repository root: `python benchmarks/over_http.py [--seconds 1] [--rounds 5]` or `python -m
benchmarks.over_http`; `--serve-floor` and `--serve-hypercorn` run one floor server (internal).
Also measures `mock.serve()` start + stop. Not part of the tests.
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
# What the floors answer: the size of a real AdminGetUser answer.
_CANNED = json.dumps(
    {"Username": "bench", "UserAttributes": [{"Name": "sub", "Value": "0" * 36}],
     "UserCreateDate": 1.7e9, "UserLastModifiedDate": 1.7e9, "Enabled": True,
     "UserStatus": "CONFIRMED"}
).encode()  # fmt: skip


async def _canned(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": [
        (b"content-type", b"application/x-amz-json-1.1"),
        (b"content-length", str(len(_CANNED)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": _CANNED})


def _serve_floor(kind: str) -> None:
    """Serve `_canned` on a free port with cognito-mock's server or hypercorn; print the URL."""
    if kind == "cognito-mock":
        from cognito_mock.transports.server import HTTPServer

        server = HTTPServer(_canned).start()
        print(server.url, flush=True)
        threading.Event().wait()
    import asyncio

    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    port = free_port()
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.accesslog = config.errorlog = None
    print(f"http://127.0.0.1:{port}", flush=True)
    asyncio.run(serve(_canned, config))  # type: ignore[arg-type]


def start_floor(kind: str) -> tuple[subprocess.Popen[str], str] | None:
    if kind == "hypercorn":
        try:
            import hypercorn  # noqa: F401
        except ImportError:
            return None
    flag = "--serve-floor" if kind == "cognito-mock" else "--serve-hypercorn"
    process = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.over_http", flag], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if kind == "hypercorn":
        time.sleep(0.5)  # hypercorn binds after printing
    return process, url


def serve_cycle(rounds: int = 50) -> list[float]:
    """Milliseconds of `mock.serve()` start + stop, with one request in between."""
    import urllib.request

    from cognito_mock import CognitoMock

    mock = CognitoMock()
    with mock.serve():
        pass  # imports
    took = []
    for _ in range(rounds):
        started = time.perf_counter()
        with mock.serve() as url:
            urllib.request.urlopen(f"{url}/_cognito-mock/clock").read()
        took.append((time.perf_counter() - started) * 1000)
    return sorted(took)


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
    parser.add_argument("--seconds", type=float, default=1.0, help="per cell and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--serve-floor", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-hypercorn", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_floor or args.serve_hypercorn:
        _serve_floor("cognito-mock" if args.serve_floor else "hypercorn")
        return 0
    cycle = serve_cycle()
    print(f"mock.serve() start + one request + stop: median {cycle[len(cycle) // 2]:.1f} ms, "
          f"max {cycle[-1]:.1f} ms ({len(cycle)} rounds)")  # fmt: skip
    servers: list[tuple[str, tuple[subprocess.Popen[str], str] | None]] = [
        ("server floor", start_floor("cognito-mock")),
        ("cognito-mock", start_cognito_mock()),
        ("hypercorn floor", start_floor("hypercorn")),
        ("moto server", start_moto()),
    ]
    results: dict[tuple[str, str, int], Any] = {}
    samples: dict[tuple[str, str, int], list[float]] = {}
    try:
        prepared = {
            name: {"AdminGetUser": b"{}", "InitiateAuth": b"{}"}
            if name.endswith("floor")
            else prepare(started[1])
            for name, started in servers
            if started is not None
        }
        # Rounds interleave the servers, so every column of a row shares the machine's noise;
        # a cell is the median of its rounds.
        for _ in range(args.rounds):
            for operation in ("AdminGetUser", "InitiateAuth"):
                for threads in (1, 4):
                    for name, started in servers:
                        if started is None or isinstance(
                            results.get((name, operation, threads)), str
                        ):
                            continue
                        body = prepared[name][operation]
                        try:
                            took = rate(started[1], operation, body, threads, args.seconds)
                        except RuntimeError as error:
                            results[(name, operation, threads)] = str(error)[:40]
                            continue
                        samples.setdefault((name, operation, threads), []).append(took)
        for key, values in samples.items():
            results.setdefault(key, sorted(values)[len(values) // 2])
    finally:
        for _, started in servers:
            if started is not None:
                started[0].terminate()
                started[0].wait(timeout=15)
    names = [name for name, started in servers if started is not None]
    print(f"requests/second over HTTP keep-alive (median of {args.rounds} interleaved rounds of "
          f"{args.seconds:g} s; a floor answers a canned response)")  # fmt: skip
    print(f"{'operation':<14}{'threads':>8}" + "".join(f"{n:>17}" for n in names))
    for operation in ("AdminGetUser", "InitiateAuth"):
        for threads in (1, 4):
            cells = []
            for name in names:
                value = results.get((name, operation, threads))
                cells.append(f"{value:>17.0f}" if isinstance(value, float) else f"{value!s:>17}")
            print(f"{operation:<14}{threads:>8}" + "".join(cells))
    if "moto server" not in names:
        print("(moto server not installed: pip install 'moto[server]')")
    if "hypercorn floor" not in names:
        print("(hypercorn not installed: pip install hypercorn)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
