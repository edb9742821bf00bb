"""Hostile input on the wire (issue 11): every operation through a boto3 client (`mock.client()`,
botocore's own checks off so the hostile values are sent) and over HTTP (`mock.serve()`, plain
well-formed POSTs with hostile JSON bodies, and hostile bytes). Every answer is a success or a
JSON error with an AWS code and a 4xx status: never a 5xx, never a dropped connection."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cognito_mock.shapes import operation_names
from tests.hostile.hostile import IMPLEMENTED, World, Worlds, hostile_requests, make_world, to_json
from tests.hostile.test_in_process import allowed, still_serves

TARGET = "AWSCognitoIdentityProviderService."
# A sixth of the profile's examples per operation and way in: `ci` runs 6, `dev` 16.
WIRE = settings(
    max_examples=max(4, settings.default.max_examples // 6),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# ----------------------------------------------------------------------------- boto3


def _method(client: Any, op: str) -> Any:
    names = {api: method for method, api in client.meta.method_to_api_mapping.items()}
    return getattr(client, names[op])


# Not implemented yet (issue 14): they raise OperationNotImplementedError, which the HTTP server
# answers with a loud 500 by design; in-process they are covered by test_in_process.py.
WIRE_OPERATIONS = [op for op in operation_names() if op in IMPLEMENTED]


@pytest.fixture(scope="module")
def worlds() -> Worlds:
    return Worlds()


@pytest.mark.parametrize("op", WIRE_OPERATIONS)
def test_hostile_requests_through_boto3(worlds: Worlds, op: str) -> None:
    @WIRE
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        world = worlds.get()
        request = data.draw(hostile_requests(op, world), "request")
        assume(isinstance(request, dict) and all(isinstance(k, str) for k in request))
        seen: list[int] = []
        answer = world.mock.handle_wire

        def counted(target: str | None, body: bytes | None, region: str) -> Any:
            seen.append(1)
            return answer(target, body, region)

        world.mock.handle_wire = counted  # type: ignore[method-assign]
        client = world.mock.client(
            config=Config(parameter_validation=False, retries={"total_max_attempts": 1})
        )
        try:
            _method(client, op)(**request)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] < 500, error.response
            assert allowed(op, code), (code, error.response["Error"].get("Message"))
        except Exception:
            # botocore could not even serialize it (a str for a blob, ...): nothing was sent.
            if seen:
                raise
        finally:
            del world.mock.handle_wire
        still_serves(world)

    check()


# ----------------------------------------------------------------------------- HTTP


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[World, str]]:
    world = make_world()
    with world.mock.serve() as url:
        yield world, url


def post(url: str, target: str | None, body: bytes) -> tuple[int, bytes]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=60)
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if target is not None:
        headers["X-Amz-Target"] = target
    conn.request("POST", "/", body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def _aws_error(status: int, data: bytes) -> None:
    assert status < 500, data[:500]
    if status != 200:
        error = json.loads(data)
        assert error["__type"], error


@pytest.mark.parametrize("op", WIRE_OPERATIONS)
def test_hostile_json_over_http(served: tuple[World, str], op: str) -> None:
    world, url = served

    @WIRE
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        request = data.draw(hostile_requests(op, world), "request")
        status, body = post(url, TARGET + op, to_json(request).encode("utf-8", "surrogatepass"))
        _aws_error(status, body)
        if status != 200:
            assert allowed(op, json.loads(body)["__type"])

    check()


HOSTILE_BODIES = [
    b"", b"{", b"null", b'"x"', b"[]", b"1", b"{} trailing", b"{\"a\":1,}", b"\xff\xfe\x00{",
    b'{"UserPoolId": "\xed\xa0\x80"}', b'{"UserPoolId": "\\ud800"}', b'{"Limit": 1e400}',
    b'{"Limit": NaN}', b'{"Limit": ' + b"9" * 5000 + b"}", b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000, b"\xef\xbb\xbf{}", '{"x": 1}'.encode("utf-16"),
    b'{"UserPoolId": "a", "UserPoolId": 7}', b'{"\x00": "\x00"}',
]  # fmt: skip


@pytest.mark.parametrize("body", HOSTILE_BODIES, ids=range(len(HOSTILE_BODIES)))
@pytest.mark.parametrize("op", ["ListUsers", "InitiateAuth", "AdminCreateUser", "GetUser"])
def test_hostile_bytes_over_http(served: tuple[World, str], op: str, body: bytes) -> None:
    world, url = served
    for target in (TARGET + op, None, TARGET + "Nope", "x" * 10_000):
        _aws_error(*post(url, target, body))
    still_serves(world)
