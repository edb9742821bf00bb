"""How near any handler can come to issue 16's limits, and where a sign-in's time goes.

`python -m benchmarks` measures InitiateAuth through boto3 against the *limit* (botocore's floor,
a canned body, plus two RS256 signatures with the pool's key) and GetUser against the floor. This
script puts stand-in handlers beside the mock, each round running every variant back to back
(ratios: the median of the rounds' ratios to the first row):
- **ideal**: a handler that only signs twice (or does nothing, for GetUser) and answers the
  canned body, through the mock's own `before-send` glue;
- **essential**: a sign-in with nothing but what USER_PASSWORD_AUTH cannot do without — decode,
  the request's check, the client and user lookups, the password step, issuing the tokens
  (claims, ids, both signatures, refresh token, records), the answer's check, encoding — and
  none of the dispatch, triggers, flow routing or sign-in pipeline around them: a lower bound
  for any restructuring of the sign-in (a "fused path") that keeps the service's rules;
- **mock**: the mock as it is.

Then it splits each sign-in into RSA signatures, the handler's other work and botocore's part
(timed inside the same loop), times the handler's other work alone (signing stubbed out, no
botocore between calls), and shows the cold start: the same stubbed handler's first and second
runs right after two signatures, against runs that follow each other.
Run: `python -m benchmarks.limits [--rounds N] [--json]`. Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import timeit
from collections.abc import Callable
from typing import Any

from benchmarks.harness import canned, floor_client
from benchmarks.workloads import PASSWORD, _signer, add_user, setup_pool
from cognito_mock import CognitoMock, dispatch
from cognito_mock.backend.auth.first_factor import check_password
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.pool_config.client_rules import client_by_id
from cognito_mock.backend.tokens.issue import issue_tokens
from cognito_mock.backend.tokens.store import pool_keys
from cognito_mock.transports import fragments, wire

TARGET = "AWSCognitoIdentityProviderService."
Handler = Callable[[str | None, bytes | None, str], wire.WireResponse]


class Stopwatch:
    """Seconds spent in wrapped callables, by name, since the last `reset`."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def reset(self) -> None:
        self.spent = dict.fromkeys(self.spent, 0.0)

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        self.spent.setdefault(name, 0.0)

        def timed(*args: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*args)
            finally:
                self.spent[name] += time.perf_counter() - start

        return timed


class _TimedKey:
    """A private key whose `sign` the stopwatch times (the real key does the work)."""

    def __init__(self, key: Any, sign: Callable[..., bytes]) -> None:
        self._key, self.sign = key, sign

    def __getattr__(self, name: str) -> Any:
        return getattr(self._key, name)


class _StubKey:
    def sign(self, *_: Any) -> bytes:
        return bytes(256)


def _signing_pool(stub: bool = False) -> tuple[CognitoMock, str, dict[str, Any]]:
    """A mock with a pool, a client and a confirmed user; the sign-in request; keys stubbed
    out (tokens with zero signatures) if `stub`."""
    mock = CognitoMock()
    pool_id, app = setup_pool(mock.call)
    add_user(mock.call, pool_id, "alice", confirm=True)
    request = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": app,
        "AuthParameters": {"USERNAME": "alice", "PASSWORD": PASSWORD},
    }
    mock.call("InitiateAuth", **request)
    if stub:
        backend = mock.backend()
        for key in pool_keys(backend, backend.pool(pool_id)):
            object.__setattr__(key, "private_key", _StubKey())
    return mock, pool_id, request


def _client_for(handle: Handler) -> Any:
    """A boto3 client of a fresh mock whose wire handler is `handle` (a client keeps the
    handler it was made with)."""
    stand_in = CognitoMock()
    stand_in.handle_wire = handle  # type: ignore[method-assign]
    return stand_in.client()


def _essential_sign_in(mock: CognitoMock) -> Handler:
    check_in, check_out = dispatch._checks("InitiateAuth")

    def handle(target: str | None, body: bytes | None, region: str) -> wire.WireResponse:
        request_id = mock._request_id()
        _, params = wire.decode_request(target, body)
        backend = mock.backend(region)
        with backend.lock:
            if not check_in(params):
                raise AssertionError(params)
            pool, client = client_by_id(backend, params["ClientId"])
            auth = params["AuthParameters"]
            user = find_user(pool, auth["USERNAME"])
            if user is None:
                raise AssertionError(auth)
            check_password(backend, client, user, auth["PASSWORD"])
            tokens = issue_tokens(backend, pool, client, user)
            result = {"ChallengeParameters": {}, "AuthenticationResult": tokens}
            if not check_out(result):
                raise AssertionError(result)
        return fragments.encode_result(result, request_id)

    return handle


def _rounds(
    variants: dict[str, Callable[[], Any]],
    rounds: int,
    number: int,
    watch: Stopwatch | None = None,
) -> dict[str, dict[str, list[float]]]:
    """Per round, µs per call of each variant (`total`) and of each stopwatch entry."""
    for func in variants.values():
        for _ in range(max(3, number // 10)):
            func()
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in variants}
    for _ in range(rounds):
        for name, func in variants.items():
            if watch is not None:
                watch.reset()
            start = time.perf_counter()
            for _ in range(number):
                func()
            total = time.perf_counter() - start
            samples[name].setdefault("total", []).append(total / number * 1e6)
            for entry, spent in (watch.spent if watch else {}).items():
                samples[name].setdefault(entry, []).append(spent / number * 1e6)
    return samples


def _paired(samples: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    base = next(iter(samples.values()))["total"]
    return {
        name: {
            "µs": round(statistics.median(entries["total"]), 1),
            "ratio": round(
                statistics.median(a / b for a, b in zip(entries["total"], base, strict=True)), 3
            ),
        }
        for name, entries in samples.items()
    }


def _alone(func: Callable[[], Any], number: int) -> float:
    return round(min(timeit.repeat(func, number=number, repeat=7)) / number * 1e6, 1)


def sign_in(rounds: int) -> dict[str, Any]:
    mock, pool_id, request = _signing_pool()
    backend = mock.backend()
    keys = pool_keys(backend, backend.pool(pool_id))
    access = mock.call("InitiateAuth", **request)["AuthenticationResult"]["AccessToken"]
    body = canned(mock, "InitiateAuth", request)
    floor = floor_client({"InitiateAuth": body})
    watch = Stopwatch()
    real_keys = [key.private_key for key in keys]
    for key in keys:  # every signature, the mock's and the limit's, goes through the stopwatch
        timed = _TimedKey(key.private_key, watch.wrap("signatures", key.private_key.sign))
        object.__setattr__(key, "private_key", timed)
    sign = _signer(mock, pool_id, access)
    mock.handle_wire = watch.wrap("handler", mock.handle_wire)  # type: ignore[method-assign]
    client = mock.client()

    def ideal(*_: Any) -> wire.WireResponse:
        sign()
        sign()
        return wire.WireResponse(200, body, wire.result_headers("0"))

    def limit() -> None:
        floor.initiate_auth(**request)
        sign()
        sign()

    ideal_client = _client_for(watch.wrap("handler", ideal))
    essential = _client_for(watch.wrap("handler", _essential_sign_in(mock)))
    samples = _rounds(
        {
            "limit": limit,
            "ideal": lambda: ideal_client.initiate_auth(**request),
            "essential": lambda: essential.initiate_auth(**request),
            "mock": lambda: client.initiate_auth(**request),
        },
        rounds,
        150,
        watch,
    )
    parts = {}
    for name, entries in samples.items():
        total, signatures = (statistics.median(entries[k]) for k in ("total", "signatures"))
        handler = max(statistics.median(entries["handler"]), signatures)
        parts[name] = {
            "RSA signatures": round(signatures, 1),
            "handler, signatures aside": round(handler - signatures, 1),
            "botocore and glue": round(total - handler, 1),
        }
    for key, real in zip(keys, real_keys, strict=True):
        object.__setattr__(key, "private_key", real)
    return {"through boto3": _paired(samples), "where the time goes (µs)": parts}


def handler_alone() -> dict[str, Any]:
    """The sign-in handler with signing stubbed out: in a loop of its own, and right after two
    real signatures (first and second run)."""
    stub, _, request = _signing_pool(stub=True)
    real, real_pool, real_request = _signing_pool()
    token = real.call("InitiateAuth", **real_request)["AuthenticationResult"]["AccessToken"]
    sign = _signer(real, real_pool, token)
    body = json.dumps(request).encode()

    def handle() -> None:
        stub.handle_wire(TARGET + "InitiateAuth", body, "us-east-1")

    after: list[list[float]] = [[], []]
    clock = time.perf_counter
    for _ in range(300):
        sign()
        sign()
        marks = [clock()]
        for _ in range(2):
            handle()
            marks.append(clock())
        for run in range(2):
            after[run].append((marks[run + 1] - marks[run]) * 1e6)
    return {
        "in a loop of its own": _alone(handle, 300),
        "first run after two signatures": round(statistics.median(after[0]), 1),
        "second run after two signatures": round(statistics.median(after[1]), 1),
    }


def get_user(rounds: int) -> dict[str, Any]:
    mock, _, request = _signing_pool()
    access = mock.call("InitiateAuth", **request)["AuthenticationResult"]["AccessToken"]
    body = canned(mock, "GetUser", {"AccessToken": access})
    floor = floor_client({"GetUser": body})
    watch = Stopwatch()
    plain = mock.handle_wire
    mock.handle_wire = watch.wrap("handler", plain)  # type: ignore[method-assign]
    client = mock.client()
    ideal = _client_for(lambda *_: wire.WireResponse(200, body, wire.result_headers("0")))
    samples = _rounds(
        {
            "floor": lambda: floor.get_user(AccessToken=access),
            "ideal": lambda: ideal.get_user(AccessToken=access),
            "mock": lambda: client.get_user(AccessToken=access),
        },
        rounds,
        600,
        watch,
    )
    wire_body = json.dumps({"AccessToken": access}).encode()
    return {
        "through boto3": _paired(samples),
        "handler (µs)": {
            "inside the boto3 loop": round(statistics.median(samples["mock"]["handler"]), 1),
            "in a loop of its own": _alone(
                lambda: plain(TARGET + "GetUser", wire_body, "us-east-1"), 3000
            ),
        },
    }


def main(rounds: int) -> dict[str, Any]:
    return {
        "InitiateAuth": {
            **sign_in(rounds),
            "the handler, signing stubbed (µs)": handler_alone(),
        },
        "GetUser": get_user(rounds),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    report = main(args.rounds)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        for section, parts in report.items():
            print(section)
            for part, rows in parts.items():
                print(f"  {part}")
                for name, row in rows.items():
                    if isinstance(row, dict):
                        row = "  ".join(f"{key} {value}" for key, value in row.items())
                    print(f"    {name:32s} {row}")
