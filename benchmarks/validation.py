"""Median microseconds to validate requests and a DescribeUserPool response (compiled vs jsonschema).

Run: `python benchmarks/validation.py` (or `python -m benchmarks.validation`).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import jsonschema

from cognito_mock import CognitoMock
from cognito_mock.shapes import operation, schema_document
from cognito_mock.validation import validate_request, validate_response


def median_us(
    func: Callable[[], Any], rounds: int = 7, number: int = 2000
) -> tuple[float, float, float]:
    """(median, min, max) microseconds per call over `rounds` batches of `number` calls."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(number):
            func()
        samples.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(samples), min(samples), max(samples)


def main() -> None:
    mock = CognitoMock()
    pool_id = mock.call("CreateUserPool", PoolName="bench")["UserPool"]["Id"]
    describe = mock.backend().pools[pool_id]
    from cognito_mock.backend.pool_config.pools import pool_view

    response = {"UserPool": pool_view(describe)}
    cases: list[tuple[str, str, Any, bool]] = [
        ("AdminGetUser request", "AdminGetUser", {"UserPoolId": pool_id, "Username": "bob"}, False),
        (
            "AdminCreateUser request",
            "AdminCreateUser",
            {
                "UserPoolId": pool_id,
                "Username": "bob",
                "UserAttributes": [
                    {"Name": "email", "Value": "bob@example.com"},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": "name", "Value": "Bob"},
                ],
                "MessageAction": "SUPPRESS",
                "TemporaryPassword": "Passw0rd!",
            },
            False,
        ),
        (
            "CreateUserPool request",
            "CreateUserPool",
            {
                "PoolName": "bench",
                "Policies": {"PasswordPolicy": {"MinimumLength": 10, "RequireSymbols": False}},
                "AutoVerifiedAttributes": ["email"],
                "UsernameAttributes": ["email"],
                "Schema": [{"Name": "team", "AttributeDataType": "String"}],
            },
            False,
        ),
        ("DescribeUserPool response", "DescribeUserPool", response, True),
    ]
    defs = schema_document()["$defs"]
    print(f"{'validation':<28}{'compiled µs (min-max)':>26}{'jsonschema µs':>16}{'ratio':>8}")
    for label, op, value, is_response in cases:
        spec = operation(op)
        shape = spec.output if is_response else spec.input
        reference = jsonschema.Draft202012Validator({"$ref": f"#/$defs/{shape}", "$defs": defs})
        if is_response:
            fast = median_us(lambda op=op, value=value: validate_response(op, value))
        else:
            fast = median_us(lambda op=op, value=value: validate_request(op, value))
        slow = median_us(lambda r=reference, v=value: r.is_valid(v), rounds=3, number=200)
        print(
            f"{label:<28}{fast[0]:>10.2f} ({fast[1]:.2f}-{fast[2]:.2f}){slow[0]:>16.1f}"
            f"{slow[0] / fast[0]:>7.0f}x"
        )


if __name__ == "__main__":
    main()
