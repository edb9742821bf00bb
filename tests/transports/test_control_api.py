"""The control API (`/_cognito-mock/`), driven as any language's suite would drive it: plain
HTTP requests with JSON bodies (urllib here), and Lambda triggers served as webhooks by the test."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.transports.http import CognitoHTTPServer, start_server
from tests.helpers import PASSWORD, fails

Answer = tuple[int, dict[str, Any]]


def call(url: str, method: str, path: str, body: Any = None, *, raw: bytes | None = None) -> Answer:
    """One control request: (status, JSON answer); errors come back as their JSON too."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(f"{url}/_cognito-mock/{path}", data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        answer = json.load(error)
        assert error.headers["x-amzn-ErrorType"] == f"{answer['__type']}:"
        return error.code, answer


@pytest.fixture
def url(server: CognitoHTTPServer) -> str:
    return server.url


@pytest.fixture
def pool(client: Any) -> tuple[str, str]:
    pool_id = client.create_user_pool(
        PoolName="control", AutoVerifiedAttributes=["email"],
        LambdaConfig={"PreSignUp": "arn:aws:lambda:us-east-1:123456789012:function:pre"},
    )["UserPool"]["Id"]  # fmt: skip
    client_id = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                                 "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    return pool_id, client_id


def sign_up(client: Any, client_id: str, name: str, email: str) -> None:
    client.sign_up(ClientId=client_id, Username=name, Password=PASSWORD,
                   UserAttributes=[{"Name": "email", "Value": email}])  # fmt: skip


@pytest.fixture
def no_triggers(mock: CognitoMock) -> None:
    mock.triggers.missing = "skip"  # a served mock's setting: the pool's PreSignUp is not called


# -- outbox ------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_triggers")
def test_outbox_filters_and_last(url: str, client: Any, pool: tuple[str, str]) -> None:
    pool_id, client_id = pool
    sign_up(client, client_id, "ann", "ann@example.com")
    sign_up(client, client_id, "bob", "bob@example.com")
    client.resend_confirmation_code(ClientId=client_id, Username="ann")
    status, answer = call(url, "GET", "outbox")
    assert status == 200
    assert [m["destination"] for m in answer["messages"]] == [
        "ann@example.com", "bob@example.com", "ann@example.com"]  # fmt: skip
    first = answer["messages"][0]
    assert first["kind"] == "confirm_sign_up" and first["medium"] == "EMAIL"
    assert first["pool_id"] == pool_id and first["username"] == "ann"
    assert first["code"] in first["body"] and len(first["code"]) == 6
    status, answer = call(url, "GET", "outbox?destination=ann@example.com&kind=confirm_sign_up")
    assert len(answer["messages"]) == 2
    status, last = call(url, "GET", "outbox/last?destination=ann@example.com")
    assert last == answer["messages"][-1]
    # the code confirms the sign-up: what a suite in another language does with it
    client.confirm_sign_up(ClientId=client_id, Username="ann", ConfirmationCode=last["code"])
    assert client.admin_get_user(UserPoolId=pool_id, Username="ann")["UserStatus"] == "CONFIRMED"
    later = answer["messages"][-1]["sent_at"] + 0.001
    assert call(url, "GET", f"outbox?since={later}")[1] == {"messages": []}
    assert len(call(url, "GET", "outbox?medium=email&pool_id=" + pool_id)[1]["messages"]) == 3
    assert call(url, "GET", "outbox?medium=SMS")[1] == {"messages": []}


def test_outbox_errors(url: str) -> None:
    assert call(url, "GET", "outbox/last?destination=nobody@example.com") == (404, {
        "__type": "ResourceNotFoundException",
        "message": "No message matches destination=nobody@example.com."})  # fmt: skip
    assert call(url, "GET", "outbox?to=x") == (400, {
        "__type": "InvalidParameterException",
        "message": "Unknown parameter(s) to; expected destination, pool_id, kind, medium, "
                   "username, since."})  # fmt: skip
    assert call(url, "GET", "outbox?since=yesterday")[1]["message"] == (
        "since must be a number, got 'yesterday'."
    )


# -- clock -------------------------------------------------------------------------------------------


def test_clock_get_advance_set(url: str, clock: ManualClock) -> None:
    status, answer = call(url, "GET", "clock")
    assert (status, answer) == (200, {"epoch": 1_790_000_000.0, "iso": "2026-09-21T14:13:20Z",
                                      "movable": True})  # fmt: skip
    assert call(url, "POST", "clock/advance", {"seconds": 3600})[1]["epoch"] == 1_790_003_600.0
    assert clock.now() == 1_790_003_600.0
    assert call(url, "POST", "clock/set", {"epoch": 1_800_000_000})[1]["iso"] == (
        "2027-01-15T08:00:00Z"
    )
    assert clock.now() == 1_800_000_000.0
    for path, body, message in [
        ("clock/advance", {"seconds": -1}, "seconds must not be negative (a clock only moves "
                                           "forward), got -1."),
        ("clock/advance", {"seconds": "soon"}, "seconds must be a number, got 'soon'."),
        ("clock/advance", {}, "seconds must be a number, got None."),
        ("clock/advance", {"seconds": 1, "minutes": 2}, "Unknown parameter(s) minutes; expected "
                                                        "seconds."),
        ("clock/set", {"epoch": True}, "epoch must be a number, got True."),
        ("clock/set", {"epoch": 1e20}, "epoch must be seconds since 1970 before the year 10000, "
                                       "got 1e+20."),
    ]:  # fmt: skip
        assert call(url, "POST", path, body) == (400, {"__type": "InvalidParameterException",
                                                       "message": message}), path  # fmt: skip
    assert clock.now() == 1_800_000_000.0  # refused requests changed nothing


def test_access_token_expires_when_the_clock_is_advanced(
    url: str, client: Any, mock: CognitoMock
) -> None:
    pool_id = client.create_user_pool(PoolName="p")["UserPool"]["Id"]
    client_id = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    client.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    client.admin_set_user_password(UserPoolId=pool_id, Username="ann", Password=PASSWORD,
                                   Permanent=True)  # fmt: skip
    token = client.initiate_auth(
        ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]  # fmt: skip
    assert client.get_user(AccessToken=token)["Username"] == "ann"
    call(url, "POST", "clock/advance", {"seconds": 3601})
    fails(client.get_user, "NotAuthorizedException", "Access Token has expired", AccessToken=token)


def test_a_clock_that_cannot_move_says_so() -> None:
    from cognito_mock.clock import SystemClock

    with CognitoMock(clock=SystemClock()).serve() as served:
        assert call(served, "GET", "clock")[1]["movable"] is False
        assert call(served, "POST", "clock/advance", {"seconds": 1}) == (400, {
            "__type": "InvalidParameterException",
            "message": "This mock's clock (SystemClock()) cannot be moved."})  # fmt: skip


# -- reset, faults, seed -------------------------------------------------------------------------------


def test_reset_forgets_everything_but_keeps_serving(
    url: str, client: Any, mock: CognitoMock, pool: tuple[str, str]
) -> None:
    mock.triggers.missing = "skip"
    sign_up(client, pool[1], "ann", "ann@example.com")
    assert call(url, "POST", "reset", {"seed": 7}) == (200, {"reset": True, "seed": 7})
    assert client.list_user_pools(MaxResults=10)["UserPools"] == []
    assert len(mock.outbox) == 0 and mock.seed == 7
    assert mock.triggers.missing == "skip"  # a setting, not state
    assert mock.public_url == url
    assert call(url, "POST", "reset")[0] == 200  # no body at all
    assert call(url, "POST", "reset", {"seed": [1]})[1]["message"] == (
        "seed must be an integer or a string, got [1]."
    )


def test_faults_add_list_clear(url: str, client: Any) -> None:
    status, answer = call(url, "POST", "faults", {"operation": "ListUserPools", "times": 1})
    assert status == 200
    assert answer["fault"] == {
        "operations": ["ListUserPools"], "error": "TooManyRequestsException",
        "message": "Rate exceeded", "latency": None, "times": 1, "probability": None,
        "matched": 0, "fired": 0, "active": True}  # fmt: skip
    fails(client.list_user_pools, "TooManyRequestsException", "Rate exceeded", MaxResults=1)
    assert client.list_user_pools(MaxResults=1)["UserPools"] == []  # times=1: used up
    call(url, "POST", "faults", {"operation": ["DescribeUserPool"], "error": "InternalErrorException",
                                 "message": "down", "when": {"UserPoolId": "us-east-1_Match1"}})  # fmt: skip
    fails(
        client.describe_user_pool, "InternalErrorException", "down", UserPoolId="us-east-1_Match1"
    )
    fails(client.describe_user_pool, "ResourceNotFoundException",
          "User pool us-east-1_Other1 does not exist.", UserPoolId="us-east-1_Other1")  # fmt: skip
    listed = call(url, "GET", "faults")[1]
    assert [f["fired"] for f in listed["faults"]] == [1, 1]
    assert [i["error"] for i in listed["injected"]] == ["TooManyRequestsException",
                                                        "InternalErrorException"]  # fmt: skip
    assert call(url, "DELETE", "faults") == (200, {"faults": []})
    fails(client.describe_user_pool, "ResourceNotFoundException",
          "User pool us-east-1_Match1 does not exist.", UserPoolId="us-east-1_Match1")  # fmt: skip


def test_faults_refuse_what_the_service_cannot_do(url: str) -> None:
    status, answer = call(url, "POST", "faults", {"operation": "ListUserPools",
                                                  "error": "UserNotFoundException"})  # fmt: skip
    assert status == 400 and answer["__type"] == "InvalidParameterException"
    assert answer["message"].startswith(
        "ListUserPools does not declare UserNotFoundException, so the service cannot return it"
    )
    assert call(url, "POST", "faults", {"operation": "Nope"})[1]["message"] == (
        "'Nope' is not an operation of the cognito-idp model"
    )
    assert call(url, "POST", "faults", {"operation": "ListUserPools", "times": 0})[1][
        "message"
    ] == ("times must be a positive integer, got 0")
    assert call(url, "POST", "faults", {"operation": "ListUserPools", "when": "x"})[1][
        "message"] == "when must be an object of request members to match."  # fmt: skip
    assert call(url, "GET", "faults")[1]["faults"] == []


def test_seed_at_run_time_all_or_nothing(url: str, client: Any) -> None:
    document = {"pools": [{"id": "us-east-1_Seeded1", "name": "seeded",
                           "clients": [{"id": "seededclient1", "name": "web"}],
                           "users": [{"username": "ann", "password": PASSWORD}]}]}  # fmt: skip
    status, answer = call(url, "POST", "seed", document)
    assert (status, answer) == (200, {"seeded": [
        "pool us-east-1_Seeded1 (seeded): 1 client(s) seededclient1; 1 user(s)"]})  # fmt: skip
    got = client.admin_get_user(UserPoolId="us-east-1_Seeded1", Username="ann")
    assert got["UserStatus"] == "CONFIRMED"
    # Again: the pool exists, so nothing at all is created
    status, answer = call(url, "POST", "seed", document)
    assert (status, answer["message"]) == (
        400,
        "seed: pools[0]: pool us-east-1_Seeded1 already exists",
    )
    # A later entry the service refuses: the earlier one is not created either
    bad = {"pools": [{"id": "us-east-1_Fresh1", "name": "fresh"},
                     {"name": "broken", "settings": {"MfaConfiguration": "SOMETIMES"}}]}  # fmt: skip
    status, answer = call(url, "POST", "seed", bad)
    assert status == 400 and answer["message"].startswith(
        "seed: pools[1]: CreateUserPool failed: InvalidParameterException:"
    )
    assert [p["Id"] for p in client.list_user_pools(MaxResults=10)["UserPools"]] == [
        "us-east-1_Seeded1"]  # fmt: skip
    assert call(url, "POST", "seed", {"users": []})[1]["message"] == (
        "seed: expected an object with a 'pools' list"
    )


# -- HTTP-level behaviour of the control API ----------------------------------------------------------


def test_bad_requests_to_the_control_api(url: str) -> None:
    assert call(url, "GET", "nothing") == (404, {
        "__type": "UnknownOperationException",
        "message": "The server did not understand the operation that was requested."})  # fmt: skip
    status, answer = call(url, "GET", "reset")
    assert (status, answer) == (405, {"__type": "MethodNotAllowedException",
                                      "message": "GET is not allowed on /_cognito-mock/reset; "
                                                 "use POST."})  # fmt: skip
    assert call(url, "POST", "clock/advance", raw=b"{oops")[1] == {
        "__type": "SerializationException", "message": "The body is not valid JSON."}  # fmt: skip
    assert call(url, "POST", "clock/advance", raw=b"[1]")[1]["message"] == (
        "The body must be a JSON object."
    )
    assert call(url, "POST", "clock/advance?seconds=1", {"seconds": 2})[1]["message"] == (
        "seconds given twice (path or query, and body)."
    )
    assert call(url, "POST", "clock/advance?seconds=2")[0] == 200  # the query alone is fine


def test_no_control_turns_it_off(mock: CognitoMock) -> None:
    with mock.serve(control=False) as served:
        status, answer = call(served, "GET", "clock")
        assert (status, answer["__type"]) == (404, "UnknownOperationException")


def test_in_process_control_is_the_same_operation(mock: CognitoMock) -> None:
    assert mock.control("clock", {})["epoch"] == 1_790_000_000.0
    from cognito_mock.errors import WireError

    with pytest.raises(WireError) as caught:
        mock.control("clock.rewind", {})
    assert (caught.value.status, caught.value.code) == (404, "UnknownOperationException")


# -- webhook triggers ------------------------------------------------------------------------------------


@pytest.fixture
def webhook() -> Iterator[Callable[[Callable[[dict[str, Any]], tuple[int, bytes]]], str]]:
    """`webhook(answer)`: a local URL whose POSTs are answered by `answer(event) -> (status, body)`."""
    servers: list[ThreadingHTTPServer] = []

    def serve(answer: Callable[[dict[str, Any]], tuple[int, bytes]]) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                event = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                status, body = answer(event)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the mock gave up waiting

            def log_message(self, *args: Any) -> None:
                pass

        made = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        made.daemon_threads = True
        threading.Thread(target=made.serve_forever, daemon=True).start()
        servers.append(made)
        return f"http://127.0.0.1:{made.server_address[1]}/hook"

    yield serve
    for made in servers:
        made.shutdown()
        made.server_close()


def test_a_webhook_pre_sign_up_trigger(
    url: str, client: Any, pool: tuple[str, str], webhook: Any, mock: CognitoMock
) -> None:
    pool_id, client_id = pool
    seen: list[dict[str, Any]] = []

    def answer(event: dict[str, Any]) -> tuple[int, bytes]:
        seen.append(event)
        if event["request"]["userAttributes"]["email"].endswith("@blocked.example"):
            return 400, json.dumps({"errorMessage": "blocked domain"}).encode()
        event["response"]["autoConfirmUser"] = True
        event["response"]["autoVerifyEmail"] = True
        return 200, json.dumps(event).encode()

    hook = webhook(answer)
    status, registered = call(url, "PUT", "triggers/PreSignUp", {"url": hook})
    assert (status, registered) == (200, {"trigger": "PreSignUp", "pool_id": None, "url": hook,
                                          "timeout": 5.0})  # fmt: skip
    sign_up(client, client_id, "ann", "ann@example.com")
    assert client.admin_get_user(UserPoolId=pool_id, Username="ann")["UserStatus"] == "CONFIRMED"
    assert seen[0]["triggerSource"] == "PreSignUp_SignUp"
    assert seen[0]["userPoolId"] == pool_id and seen[0]["callerContext"]["clientId"] == client_id
    fails(sign_up, "UserLambdaValidationException", "PreSignUp failed with error blocked domain.",
          client=client, client_id=client_id, name="eve", email="eve@blocked.example")  # fmt: skip
    assert call(url, "DELETE", "triggers/PreSignUp") == (200, {
        "trigger": "PreSignUp", "pool_id": None, "deleted": True})  # fmt: skip
    mock.triggers.missing = "skip"
    sign_up(client, client_id, "bob", "bob@example.com")  # no webhook: not called
    assert len(seen) == 2
    assert client.admin_get_user(UserPoolId=pool_id, Username="bob")["UserStatus"] == "UNCONFIRMED"


@pytest.mark.parametrize(
    ("answer", "code", "message"),
    [
        (lambda e: (500, b"it broke"), "UserLambdaValidationException",
         "PreSignUp failed with error it broke."),
        (lambda e: (502, b""), "UserLambdaValidationException", "PreSignUp failed with error HTTP 502."),
        (lambda e: (200, b"not json"), "InvalidLambdaResponseException",
         "Unrecognizable lambda output"),
        (lambda e: (200, b"[1, 2]"), "InvalidLambdaResponseException", "Unrecognizable lambda output"),
        (lambda e: (time.sleep(1.0), (200, b"{}"))[1], "UnexpectedLambdaException",
         "PreSignUp invocation failed due to error Socket timeout while invoking Lambda function."),
    ],
)  # fmt: skip
def test_webhook_failures_map_as_lambda_failures(
    url: str, client: Any, pool: tuple[str, str], webhook: Any, answer: Any, code: str,
    message: str,
) -> None:  # fmt: skip
    call(url, "PUT", "triggers/PreSignUp", {"url": webhook(answer), "timeout": 0.3})
    fails(sign_up, code, message, client=client, client_id=pool[1], name="ann",
          email="ann@example.com")  # fmt: skip
    fails(client.admin_get_user, "UserNotFoundException", "User does not exist.",
          UserPoolId=pool[0], Username="ann")  # fmt: skip


def test_an_unreachable_webhook_is_an_unexpected_lambda_exception(
    url: str, client: Any, pool: tuple[str, str]
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    call(url, "PUT", "triggers/PreSignUp", {"url": f"http://127.0.0.1:{port}/hook"})
    with pytest.raises(client.exceptions.UnexpectedLambdaException) as caught:
        sign_up(client, pool[1], "ann", "ann@example.com")
    assert caught.value.response["Error"]["Message"].startswith(
        f"PreSignUp invocation failed due to error the webhook http://127.0.0.1:{port}/hook could "
        "not be reached:"
    )


def test_webhooks_per_pool_and_per_arn(
    url: str, client: Any, pool: tuple[str, str], webhook: Any, mock: CognitoMock
) -> None:
    pool_id, client_id = pool
    calls: list[str] = []

    def named(name: str) -> Any:
        def answer(event: dict[str, Any]) -> tuple[int, bytes]:
            calls.append(name)
            return 200, json.dumps(event).encode()

        return answer

    arn = "arn:aws:lambda:us-east-1:123456789012:function:pre"
    call(url, "PUT", "triggers/PreSignUp", {"url": webhook(named("any pool"))})
    call(url, "PUT", "triggers/PreSignUp", {"url": webhook(named("this pool")), "pool_id": pool_id})
    sign_up(client, client_id, "ann", "ann@example.com")
    call(url, "PUT", "triggers/PreSignUp", {"url": webhook(named("the arn")), "arn": arn})
    sign_up(client, client_id, "bob", "bob@example.com")
    assert calls == ["this pool", "the arn"]
    call(url, "DELETE", f"triggers/{arn}")
    call(url, "DELETE", "triggers/PreSignUp?pool_id=" + pool_id)
    sign_up(client, client_id, "cy", "cy@example.com")
    assert calls[-1] == "any pool"


def test_webhook_registration_errors(url: str) -> None:
    for body, message in [
        ({}, "url must be a non-empty string."),
        ({"url": "ftp://x/y"}, "url must be an absolute http:// or https:// URL, got 'ftp://x/y'."),
        ({"url": "http://x/", "timeout": 0}, "timeout must be a positive number of seconds, got 0."),
        ({"url": "http://x/", "arn": "pre"}, "arn must be a Lambda ARN, got 'pre'."),
        ({"url": "http://x/", "arn": "arn:a", "pool_id": "us-east-1_a"},
         "A trigger is registered for a Lambda ARN or a pool, not both."),
        ({"url": "http://x/", "when": 1}, "Unknown parameter(s) when; expected name, url, "
                                          "pool_id, arn, timeout."),
    ]:  # fmt: skip
        assert call(url, "PUT", "triggers/PreSignUp", body) == (400, {
            "__type": "InvalidParameterException", "message": message}), body  # fmt: skip
    assert call(url, "PUT", "triggers/PostLunch", {"url": "http://x/"})[1]["message"].startswith(
        "PostLunch is not a trigger; triggers: PreSignUp, CustomMessage,"
    )
    assert call(url, "GET", "triggers/PreSignUp")[0] == 405


def test_a_served_mock_under_persistence_journals_seed_and_clock(tmp_path: Any) -> None:
    from cognito_mock.clock import ProcessClock
    from cognito_mock.persistence import Persistence
    from cognito_mock.recording import recording_mock

    path = str(tmp_path / "state.db")
    document = {"pools": [{"id": "us-east-1_Kept1", "name": "kept",
                           "users": [{"username": "ann", "password": PASSWORD}]}]}  # fmt: skip
    mock = recording_mock("us-east-1", clock=ProcessClock())
    persistence = Persistence(mock, path)
    with start_server(persistence) as served:
        assert call(served.url, "POST", "seed", document)[0] == 200
        epoch = call(served.url, "POST", "clock/advance", {"seconds": 86_400})[1]["epoch"]
        call(served.url, "GET", "outbox")  # reads are not journaled
    persistence._db.close()  # as `kill -9` leaves it: the seed replays from the journal
    again = recording_mock("us-east-1", clock=ProcessClock())
    restored = Persistence(again, path)
    try:
        got = again.call("AdminGetUser", UserPoolId="us-east-1_Kept1", Username="ann")
        assert got["UserStatus"] == "CONFIRMED"
        assert epoch <= again.clock.now() < epoch + 60  # a day ahead of the process clock still
        with start_server(restored) as served:
            assert call(served.url, "POST", "reset")[0] == 200
    finally:
        restored.close()
    third = recording_mock("us-east-1", clock=ProcessClock())
    final = Persistence(third, path)
    try:  # the reset survived the restart too
        assert third.call("ListUserPools", MaxResults=10)["UserPools"] == []
    finally:
        final.close()


def test_calls_that_ran_webhooks_survive_a_restart(tmp_path: Any, webhook: Any) -> None:
    """A webhook's answers are another program's: such calls are kept as snapshots, not replayed
    (a replay without the webhook would diverge and the state file would not open)."""
    from cognito_mock.clock import ProcessClock
    from cognito_mock.persistence import Persistence
    from cognito_mock.recording import recording_mock

    def confirm(event: dict[str, Any]) -> tuple[int, bytes]:
        event["response"]["autoConfirmUser"] = True
        return 200, json.dumps(event).encode()

    path = str(tmp_path / "state.db")
    mock = recording_mock("us-east-1", clock=ProcessClock())
    mock.triggers.missing = "skip"
    persistence = Persistence(mock, path)
    arn = "arn:aws:lambda:us-east-1:123456789012:function:pre"
    with start_server(persistence) as served:
        remote = mock.client()
        pool_id = remote.create_user_pool(PoolName="p", LambdaConfig={"PreSignUp": arn})[
            "UserPool"]["Id"]  # fmt: skip
        client_id = remote.create_user_pool_client(UserPoolId=pool_id, ClientName="c")[
            "UserPoolClient"]["ClientId"]  # fmt: skip
        call(served.url, "PUT", "triggers/PreSignUp", {"url": webhook(confirm)})
        status, _ = http_json(served.url, "SignUp", ClientId=client_id, Username="ann",
                              Password=PASSWORD)  # fmt: skip
        assert status == 200
        status, _ = http_json(served.url, "AdminCreateUser", UserPoolId=pool_id, Username="bob",
                              MessageAction="SUPPRESS")  # fmt: skip
        assert status == 200  # journaled after the snapshot, replayed on it
    persistence._db.close()  # as `kill -9` leaves it: no final snapshot, the journal replays
    again = recording_mock("us-east-1", clock=ProcessClock())
    again.triggers.missing = "skip"
    restored = Persistence(again, path)  # no webhook now: nothing to replay needs it
    try:
        users = again.call("ListUsers", UserPoolId=pool_id)["Users"]
        assert {(u["Username"], u["UserStatus"]) for u in users} == {
            ("ann", "CONFIRMED"), ("bob", "FORCE_CHANGE_PASSWORD")}  # fmt: skip
    finally:
        restored.close()


def http_json(url: str, operation: str, **params: Any) -> Answer:
    from tests.helpers import http_request

    response, data = http_request(
        url, "POST", "/", json.dumps(params),
        **{"Content-Type": "application/x-amz-json-1.1",
           "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}"},
    )  # fmt: skip
    return response.status, json.loads(data)
