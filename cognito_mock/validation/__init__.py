"""Request, response and error checks against the API model, with the service's wording.

A request that does not deserialize into the model's types raises `SerializationException`; one that
breaks a constraint raises `InvalidParameterException`; responses or errors outside the model raise
`ContractViolation` (a bug in the fake). Yes/no checks are compiled once per shape and cached.
"""

from __future__ import annotations

from typing import Any

from cognito_mock.errors import ContractViolation, InvalidParameterException, ServiceError
from cognito_mock.shapes import operation
from cognito_mock.validation.compiled import compiled
from cognito_mock.validation.deserialize import deserialize
from cognito_mock.validation.explain import Violation, explain
from cognito_mock.validation.messages import json_path, render_value, service_message

__all__ = [
    "UNDECLARED_ERRORS",
    "request_violations",
    "validate_error",
    "validate_request",
    "validate_response",
]

# Errors the service sends although the operation's error list omits them, each documented by the
# model's own text: AdminCreateUser's ForceAliasCreation says "the API throws an AliasExistsException
# error if the alias already exists".
UNDECLARED_ERRORS = frozenset({("AdminCreateUser", "AliasExistsException")})


def request_violations(operation_name: str, params: Any) -> list[Violation]:
    """Every reason `params` breaks the operation's input shape (empty when valid)."""
    spec = operation(operation_name)
    if compiled(spec.input)(params):
        return []
    return explain(spec.input, params)


def validate_request(operation_name: str, params: Any) -> Any:
    """`params` as the operation reads them (deserialized: nulls dropped, fractional integers
    truncated), or `SerializationException` / `InvalidParameterException` worded as the service
    words them."""
    spec = operation(operation_name)
    check = compiled(spec.input)
    if check(params):
        return params
    params = deserialize(spec.input, params)
    if check(params):
        return params
    violations = explain(spec.input, params)
    if not violations:  # the two engines disagree: our bug, not the caller's
        raise ContractViolation(operation_name, "request validators disagree on " + repr(params))
    raise InvalidParameterException(service_message(violations))


def _contract_detail(kind: str, violations: list[Violation]) -> str:
    lines = []
    for v in violations:
        shown = "<sensitive>" if v.sensitive else repr(v.value)
        lines.append(f"{json_path(v.path)}: {v.constraint} (got {shown})")
    return f"{kind} outside the model:\n  " + "\n  ".join(lines)


def validate_response(operation_name: str, result: Any) -> None:
    """Raise `ContractViolation` if a handler's wire-form result breaks the output shape."""
    spec = operation(operation_name)
    if spec.output is None:
        if result:
            raise ContractViolation(
                operation_name, f"the model declares no output but the fake returned {result!r}"
            )
        return
    if compiled(spec.output, True)(result):
        return
    violations = explain(spec.output, result, response=True) or [
        Violation((), "validators disagree", result, False)
    ]
    raise ContractViolation(operation_name, _contract_detail("response", violations))


def validate_error(operation_name: str, error: ServiceError) -> None:
    """Raise `ContractViolation` unless the operation declares `error` and its body fits the shape."""
    spec = operation(operation_name)
    if error.code not in spec.errors and (operation_name, error.code) not in UNDECLARED_ERRORS:
        raise ContractViolation(
            operation_name,
            f"raised {error.code} ({render_value(error.message)!r}), which the operation does not "
            f"declare; declared: {', '.join(sorted(spec.errors))}",
        ) from error
    body = {k: v for k, v in error.to_wire().items() if k != "__type"}
    violations = explain(error.code, body)
    if violations:
        raise ContractViolation(operation_name, _contract_detail(f"{error.code} body", violations))
