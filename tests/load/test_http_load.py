"""8 concurrent boto3 clients, 5,000 mixed calls over HTTP: no lost or duplicated users, no 5xx;
and `kill -9` mid-load with `--state` loses no acknowledged write."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock
from tests.helpers import PASSWORD

pytestmark = pytest.mark.load

CLIENTS = 8
CALLS = 5_000
# No retries: a 5xx or a dropped connection must show up as a failure, not be papered over.
CONFIG = Config(retries={"total_max_attempts": 1, "mode": "standard"}, max_pool_connections=4)


def remote(url: str) -> Any:
    return boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url=url, config=CONFIG,
        aws_access_key_id="a", aws_secret_access_key="b",
    )  # fmt: skip


def test_eight_clients_five_thousand_mixed_calls() -> None:
    mock = CognitoMock()  # validate=True: a response outside the model is a 500, counted below
    pool_id = mock.call("CreateUserPool", PoolName="load")["UserPool"]["Id"]
    client_id = mock.call(
        "CreateUserPoolClient", UserPoolId=pool_id, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                           "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    for i in range(CLIENTS):
        mock.call("AdminCreateUser", UserPoolId=pool_id, Username=f"seed{i}",
                  MessageAction="SUPPRESS")  # fmt: skip
        mock.call("AdminSetUserPassword", UserPoolId=pool_id, Username=f"seed{i}",
                  Password=PASSWORD, Permanent=True)  # fmt: skip
    created: list[str] = []  # usernames whose creation was acknowledged
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    lock = threading.Lock()

    def worker(n: int, url: str) -> None:
        aws = remote(url)
        mine: list[str] = []
        for i in range(CALLS // CLIENTS):
            kind = i % 4
            try:
                if kind == 0:
                    name = f"su-{n}-{i}"
                    aws.sign_up(ClientId=client_id, Username=name, Password=PASSWORD)
                    mine.append(name)
                elif kind == 1:
                    name = f"ac-{n}-{i}"
                    aws.admin_create_user(UserPoolId=pool_id, Username=name,
                                          MessageAction="SUPPRESS")  # fmt: skip
                    mine.append(name)
                elif kind == 2:
                    result = aws.initiate_auth(
                        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                        AuthParameters={"USERNAME": f"seed{n}", "PASSWORD": PASSWORD},
                    )  # fmt: skip
                    assert result["AuthenticationResult"]["AccessToken"]
                else:
                    page = aws.list_users(UserPoolId=pool_id, Limit=10)
                    assert len(page["Users"]) <= 10
                status = 200
            except ClientError as error:
                status = error.response["ResponseMetadata"]["HTTPStatusCode"]
                with lock:
                    failures.append(f"{error.response['Error']}")
            except Exception as error:  # a dropped connection, an unparseable answer
                status = 0
                with lock:
                    failures.append(repr(error))
            with lock:
                statuses[status] += 1
        with lock:
            created.extend(mine)

    started = time.perf_counter()
    with mock.serve() as url:
        threads = [threading.Thread(target=worker, args=(n, url)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - started
    print(f"\n{CALLS} calls from {CLIENTS} clients in {elapsed:.1f}s "
          f"({CALLS / elapsed:.0f}/s): {dict(statuses)}")  # fmt: skip
    assert failures == []
    assert statuses == Counter({200: CALLS})
    listed: list[str] = []
    token = None
    while True:
        page = mock.call(
            "ListUsers", UserPoolId=pool_id, **({"PaginationToken": token} if token else {})
        )
        listed.extend(u["Username"] for u in page["Users"])
        token = page.get("PaginationToken")
        if not token:
            break
    assert len(listed) == len(set(listed))  # nothing duplicated
    assert set(listed) == set(created) | {f"seed{i}" for i in range(CLIENTS)}  # nothing lost
    assert len(created) == CLIENTS * sum(1 for i in range(CALLS // CLIENTS) if i % 4 < 2)


def _start(state: Path, log: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "cognito_mock.cli", "serve", "--port", "0", "--state", str(state),
         "--log-level", "warning"],
        stdout=subprocess.PIPE, stderr=log.open("a"), text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "listening on" in line, log.read_text()
    while not process.stdout.readline().startswith("  ready"):
        assert process.poll() is None, log.read_text()
    return process, line.split("listening on ")[1].split()[0]


def test_kill_9_mid_load_loses_no_acknowledged_write(tmp_path: Path) -> None:
    state, log = tmp_path / "state.db", tmp_path / "server.log"
    process, url = _start(state, log)
    try:
        aws = remote(url)
        pool_id = aws.create_user_pool(PoolName="durable")["UserPool"]["Id"]
        client_id = aws.create_user_pool_client(
            UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
        aws.admin_create_user(UserPoolId=pool_id, Username="keeper", MessageAction="SUPPRESS")
        aws.admin_set_user_password(UserPoolId=pool_id, Username="keeper", Password=PASSWORD,
                                    Permanent=True)  # fmt: skip
        token = aws.initiate_auth(
            ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "keeper", "PASSWORD": PASSWORD},
        )["AuthenticationResult"]["AccessToken"]  # fmt: skip
        acknowledged: set[str] = set()
        attempted: set[str] = set()
        lock = threading.Lock()
        stop = threading.Event()

        def worker(n: int) -> None:
            client = remote(url)
            i = 0
            while not stop.is_set():
                name = f"w{n}-{i}"
                i += 1
                with lock:
                    attempted.add(name)
                try:
                    client.admin_create_user(UserPoolId=pool_id, Username=name,
                                             MessageAction="SUPPRESS")  # fmt: skip
                except Exception:  # the kill: connection refused or reset
                    return
                with lock:
                    acknowledged.add(name)

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while len(acknowledged) < 400 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)  # mid-load: requests are in flight
        process.wait(timeout=10)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert len(acknowledged) >= 400
    process, url = _start(state, log)
    try:
        aws = remote(url)
        present: set[str] = set()
        paginator = aws.get_paginator("list_users")
        for page in paginator.paginate(UserPoolId=pool_id):
            present.update(u["Username"] for u in page["Users"])
        assert acknowledged <= present  # no acknowledged write lost
        assert present - {"keeper"} <= attempted  # and nothing invented
        # A token issued before the crash still verifies: the signing keys were saved.
        assert aws.get_user(AccessToken=token)["Username"] == "keeper"
        print(f"\nkill -9 after {len(acknowledged)} acknowledged creates; "
              f"{len(present) - 1} present after restart")  # fmt: skip
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=15)
    assert process.returncode == 0
