"""`cognito-mock serve` as a real process: demo, seed files with fixed ids, issuer, logs, signals."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from cognito_mock import CognitoMock
from cognito_mock.errors import SeedError
from cognito_mock.seed import apply_seed, load_seed
from tests.helpers import needs

FIXED_POOL = "us-east-1_Fixed0001"
FIXED_CLIENT = "fixedclient0000000000000001"
SEED = {
    "pools": [
        {
            "id": FIXED_POOL,
            "name": "team",
            "settings": {"AutoVerifiedAttributes": ["email"]},
            "clients": [
                {"id": FIXED_CLIENT, "name": "web",
                 "settings": {"ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH",
                                                    "ALLOW_REFRESH_TOKEN_AUTH"]}},
                {"id": "fixedsecretclient", "name": "backend",
                 "secret": "fixedsecret0123456789abcdef0123456789"},
            ],
            "groups": [{"name": "admins", "description": "Admins", "precedence": 1}],
            "users": [
                {"username": "alice", "password": "Passw0rd!",
                 "attributes": {"email": "alice@example.com", "email_verified": "true"},
                 "groups": ["admins"]},
                {"username": "bob", "password": "Passw0rd!", "confirmed": False,
                 "attributes": {"email": "bob@example.com"}},
                {"username": "carol", "password": "Passw0rd!", "enabled": False},
            ],
        }
    ]
}  # fmt: skip


class Server:
    def __init__(self, process: subprocess.Popen[str], url: str, header: list[str], log: Path):
        self.process, self.url, self.header, self.log = process, url, header, log

    def client(self, region: str = "us-east-1") -> Any:
        return boto3.client(
            "cognito-idp", region_name=region, endpoint_url=self.url,
            aws_access_key_id="a", aws_secret_access_key="b",
        )  # fmt: skip

    def demo(self) -> dict[str, str]:
        """The `--demo` header's `key: value` lines (client_id, username, password, ...)."""
        return dict(line.strip().split(": ", 1) for line in self.header if ": " in line)

    def demo_sign_in(self) -> dict[str, Any]:
        """USER_PASSWORD_AUTH as the demo user: the AuthenticationResult."""
        demo = self.demo()
        return dict(self.client().initiate_auth(
            ClientId=demo["client_id"], AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": demo["username"], "PASSWORD": demo["password"]},
        )["AuthenticationResult"])  # fmt: skip

    def stop(self, sig: int = signal.SIGTERM) -> str:
        self.process.send_signal(sig)
        out, _ = self.process.communicate(timeout=15)
        return out


def start(tmp_path: Path, *args: str) -> Server:
    """Run `cognito-mock serve --port 0 ARGS` and wait for its listening line."""
    log = tmp_path / f"stderr-{len(list(tmp_path.glob('stderr-*')))}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "cognito_mock.cli", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=log.open("w"),
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    if "listening on" not in line:
        process.wait(timeout=15)
        raise AssertionError(f"server did not start: {line!r} {log.read_text()}")
    url = line.split("listening on ")[1].split()[0]
    header = []
    while not header or not header[-1].startswith("  ready"):
        header.append(process.stdout.readline().rstrip("\n"))
        assert header[-1] or process.poll() is None, log.read_text()
    return Server(process, url, header, log)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cognito_mock.cli", "serve", "--port", "0", *args],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(SEED))
    return path


@pytest.fixture
def stopped() -> Iterator[list[Server]]:
    servers: list[Server] = []
    yield servers
    for server in servers:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def test_demo_serves_boto3_and_stops_cleanly_on_sigterm(
    tmp_path: Path, stopped: list[Server]
) -> None:
    server = start(tmp_path, "--demo")
    stopped.append(server)
    demo = server.demo()
    remote = server.client()
    assert server.demo_sign_in()["TokenType"] == "Bearer"
    with pytest.raises(remote.exceptions.NotAuthorizedException) as caught:
        remote.initiate_auth(
            ClientId=demo["client_id"], AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": demo["username"], "PASSWORD": "wrong-Passw0rd"},
        )  # fmt: skip
    assert caught.value.response["Error"]["Message"] == "Incorrect username or password."
    # The demo client signs in on managed login too: its URL is printed.
    port = server.url.rsplit(":", 1)[-1]
    callback = f"http%3A%2F%2Flocalhost%3A{port}%2Fcallback"
    assert demo["login_url"] == (
        f"http://demo.localhost:{port}/login?client_id={demo['client_id']}&response_type=code"
        f"&scope=openid+email&redirect_uri={callback}"
    )
    out = server.stop(signal.SIGTERM)
    assert server.process.returncode == 0
    assert "cognito-mock stopped" in out
    log = server.log.read_text()
    # One line per call: operation, status, duration.
    assert "InitiateAuth 200 " in log
    assert "InitiateAuth 400 " in log
    assert "Traceback" not in log


def test_sigint_stops_cleanly_and_quiet_log_level(tmp_path: Path, stopped: list[Server]) -> None:
    server = start(tmp_path, "--log-level", "warning")
    stopped.append(server)
    server.client().list_user_pools(MaxResults=5)
    assert "cognito-mock stopped" in server.stop(signal.SIGINT)
    assert server.process.returncode == 0
    assert "ListUserPools" not in server.log.read_text()


def test_seed_file_creates_fixed_ids_and_issuer_server(
    tmp_path: Path, seed_file: Path, stopped: list[Server]
) -> None:
    server = start(tmp_path, "--seed", str(seed_file), "--issuer", "server")
    stopped.append(server)
    remote = server.client()
    assert remote.describe_user_pool(UserPoolId=FIXED_POOL)["UserPool"]["Name"] == "team"
    client = remote.describe_user_pool_client(UserPoolId=FIXED_POOL, ClientId=FIXED_CLIENT)
    assert client["UserPoolClient"]["ClientName"] == "web"
    tokens = remote.initiate_auth(
        ClientId=FIXED_CLIENT, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Passw0rd!"},
    )["AuthenticationResult"]  # fmt: skip
    discovery_url = f"{server.url}/{FIXED_POOL}/.well-known/openid-configuration"
    with urllib.request.urlopen(discovery_url, timeout=10) as response:
        discovery = json.loads(response.read())
    assert discovery["issuer"] == f"{server.url}/{FIXED_POOL}"
    import jwt

    # Verified by PyJWT against the keys the discovery document points to, not only decoded.
    with urllib.request.urlopen(discovery["jwks_uri"], timeout=10) as response:
        keys = jwt.PyJWKSet.from_dict(json.loads(response.read()))
    kid = jwt.get_unverified_header(tokens["IdToken"])["kid"]
    claims = jwt.decode(tokens["IdToken"], keys[kid].key, algorithms=["RS256"],
                        audience=FIXED_CLIENT, issuer=discovery["issuer"])  # fmt: skip
    assert claims["iss"] == discovery["issuer"]
    assert claims["cognito:groups"] == ["admins"]
    server.stop()


def test_seed_in_process_statuses_secrets_and_groups(seed_file: Path) -> None:
    mock = CognitoMock()
    summary = apply_seed(mock, load_seed(seed_file))
    assert summary[0].startswith(f"pool {FIXED_POOL} (team): 2 client(s)")
    users = {u["Username"]: u for u in mock.call("ListUsers", UserPoolId=FIXED_POOL)["Users"]}
    assert users["alice"]["UserStatus"] == "CONFIRMED"
    assert users["bob"]["UserStatus"] == "UNCONFIRMED"
    assert users["carol"]["Enabled"] is False
    secret = mock.call(
        "DescribeUserPoolClient", UserPoolId=FIXED_POOL, ClientId="fixedsecretclient"
    )["UserPoolClient"]["ClientSecret"]
    assert secret == "fixedsecret0123456789abcdef0123456789"
    members = mock.call("ListUsersInGroup", UserPoolId=FIXED_POOL, GroupName="admins")["Users"]
    assert [u["Username"] for u in members] == ["alice"]
    # The next pool gets a generated id again.
    other = mock.call("CreateUserPool", PoolName="other")["UserPool"]["Id"]
    assert other != FIXED_POOL and other.startswith("us-east-1_")
    with pytest.raises(SeedError, match="pool us-east-1_Fixed0001 already exists"):
        apply_seed(mock, load_seed(seed_file))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ('{"pools": [{"name": "p", "colour": 1}]}', "pools[0]: unknown key(s) ['colour']"),
        ('{"pools": [{"id": "bad id", "name": "p"}]}', "is not <region>_<alphanumerics>"),
        ('{"pools": [{"name": "p", "users": [{"password": "x"}]}]}', "'username' must be"),
        (
            '{"pools": [{"id": "us-east-1_A", "name": "p"}, {"id": "us-east-1_A", "name": "q"}]}',
            "declared twice",
        ),
        (
            '{"pools": [{"name": "p", "users": [{"username": "u", "password": "short"}]}]}',
            "pools[0].users[0]: AdminSetUserPassword failed: InvalidPasswordException",
        ),
    ],
)
def test_bad_seed_files_give_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "seed.json"
    path.write_text(content)
    with pytest.raises(SeedError) as caught:
        apply_seed(CognitoMock(), load_seed(path))
    assert message in str(caught.value)


def test_yaml_seed_when_pyyaml_is_installed(tmp_path: Path) -> None:
    needs("yaml", "YAML seed files need PyYAML")
    path = tmp_path / "seed.yaml"
    path.write_text("pools:\n  - id: us-east-1_Yaml1\n    name: y\n")
    apply_seed(mock := CognitoMock(), load_seed(path))
    assert mock.call("DescribeUserPool", UserPoolId="us-east-1_Yaml1")["UserPool"]["Name"] == "y"


def test_cli_rejects_a_bad_seed_and_a_foreign_state_file(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text('{"pools": 3}')
    result = run("--seed", str(seed))
    assert result.returncode == 2
    assert "cognito-mock: error:" in result.stderr and "pools: expected a list" in result.stderr
    state = tmp_path / "state.db"
    state.write_bytes(b"not a database at all")
    result = run("--state", str(state))
    assert result.returncode == 2
    assert "is not a cognito-mock state file" in result.stderr
    assert state.read_bytes() == b"not a database at all"


def test_state_survives_a_clean_restart_and_seed_is_not_reapplied(
    tmp_path: Path, seed_file: Path, stopped: list[Server]
) -> None:
    state = str(tmp_path / "state.db")
    first = start(tmp_path, "--state", state, "--seed", str(seed_file))
    stopped.append(first)
    first.client().admin_create_user(UserPoolId=FIXED_POOL, Username="dave")
    first.stop()
    second = start(tmp_path, "--state", state, "--seed", str(seed_file))
    stopped.append(second)
    assert "  seed: skipped (the state file already holds state)" in second.header
    names = {u["Username"] for u in second.client().list_users(UserPoolId=FIXED_POOL)["Users"]}
    assert names == {"alice", "bob", "carol", "dave"}
    second.stop()


def _revoke(url: str, client_id: str, token: str) -> int:
    body = f"client_id={client_id}&token={token}".encode()
    request = urllib.request.Request(
        url + "/oauth2/revoke", data=body, method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as answer:
        return int(answer.status)


@pytest.mark.parametrize("load", [0, 3])  # with nothing and with other calls journaled after it
def test_an_oauth2_revocation_survives_sigkill(
    tmp_path: Path, stopped: list[Server], load: int
) -> None:
    """POST /oauth2/revoke is journaled like RevokeToken: after `kill -9` and a restart the
    refresh token stays revoked (it used to bypass the journal: the restart then refused to
    start with "replay diverged" or came back with the token working again)."""
    state = str(tmp_path / "state.db")
    first = start(tmp_path, "--demo", "--state", state)
    stopped.append(first)
    demo = first.demo()
    remote = first.client()
    signed_in = first.demo_sign_in()
    assert _revoke(first.url, demo["client_id"], signed_in["RefreshToken"]) == 200
    for _ in range(load):  # later writes replay after the revocation
        remote.admin_create_user(UserPoolId=demo["user_pool_id"], Username=f"u{_}")
    refresh = {"REFRESH_TOKEN": signed_in["RefreshToken"]}
    with pytest.raises(remote.exceptions.NotAuthorizedException):
        remote.initiate_auth(
            ClientId=demo["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh
        )
    first.stop(signal.SIGKILL)
    second = start(tmp_path, "--demo", "--state", state)
    stopped.append(second)
    again = second.client()
    with pytest.raises(again.exceptions.NotAuthorizedException) as caught:
        again.initiate_auth(
            ClientId=demo["client_id"], AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=refresh
        )
    assert caught.value.response["Error"]["Message"] == "Refresh Token has been revoked"
    users = {u["Username"] for u in again.list_users(UserPoolId=demo["user_pool_id"])["Users"]}
    assert {f"u{i}" for i in range(load)} <= users
    second.stop()


def _readme_bash(heading: str) -> str:
    """The ```bash block under README's `heading`."""
    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = text.split(f"### {heading}\n", 1)[1]
    return section.split("```bash\n", 1)[1].split("```", 1)[0]


def test_readme_control_api_curl_examples_run_as_written(
    tmp_path: Path, stopped: list[Server]
) -> None:
    if shutil.which("curl") is None:
        if os.environ.get("CI"):
            pytest.fail("needs curl (README's control API examples)")
        pytest.skip("needs curl (README's control API examples)")
    server = start(tmp_path)
    stopped.append(server)
    assert (
        f"  control API: {server.url}/_cognito-mock/ (--no-control turns it off)" in server.header
    )
    script = _readme_bash("Control API").replace("http://127.0.0.1:9229", server.url)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    answers, rest, decoder = [], result.stdout.strip(), json.JSONDecoder()
    while rest:  # curl prints the answers back to back
        answer, end = decoder.raw_decode(rest)
        answers.append(answer)
        rest = rest[end:].strip()
    assert answers[0] == {"reset": True, "seed": None}
    assert answers[-1]["UserStatus"] == "CONFIRMED"  # signed up, confirmed with the outbox's code
    clocks = [a for a in answers if "movable" in a]
    assert clocks[1]["epoch"] >= clocks[0]["epoch"] + 3601
    assert clocks[2]["iso"].startswith("2030-01-01T00:00:0")
    remote = server.client()
    assert remote.describe_user_pool(UserPoolId="us-east-1_Example1")["UserPool"]["Name"] == (
        "example"
    )
    server.stop()


def test_no_control_turns_the_control_api_off(tmp_path: Path, stopped: list[Server]) -> None:
    server = start(tmp_path, "--no-control")
    stopped.append(server)
    assert not any("control API" in line for line in server.header)
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(f"{server.url}/_cognito-mock/clock", timeout=10)
    assert caught.value.code == 404
    assert json.load(caught.value)["__type"] == "UnknownOperationException"
    server.stop()


def test_the_served_clock_moves_through_the_control_api(
    tmp_path: Path, stopped: list[Server]
) -> None:
    server = start(tmp_path, "--demo")
    stopped.append(server)
    demo = server.demo()
    remote = server.client()
    token = server.demo_sign_in()["AccessToken"]
    assert remote.get_user(AccessToken=token)["Username"] == demo["username"]
    request = urllib.request.Request(
        f"{server.url}/_cognito-mock/clock/advance", data=b'{"seconds": 3601}', method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert json.load(answer)["movable"] is True
    with pytest.raises(remote.exceptions.NotAuthorizedException) as caught:
        remote.get_user(AccessToken=token)
    assert caught.value.response["Error"]["Message"] == "Access Token has expired"
    server.stop()
