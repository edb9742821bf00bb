"""The single request path every transport shares: validate, run the handler, check the answer.

`invoke` holds the backend's lock for the whole call, so every transport is thread-safe and
handlers need no locking. Handlers raise only `ServiceError`s their operation declares, and see only
requests in the model's types (`validation.deserialize`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from cognito_mock.backend import handlers as _handlers  # noqa: F401  (registers every handler)
from cognito_mock.backend.kernel import guards
from cognito_mock.backend.kernel.registry import handler
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import OperationNotImplementedError, ServiceError, UnknownOperationError
from cognito_mock.shapes import index
from cognito_mock.shapes import operation as operation_spec
from cognito_mock.validation import validate_error, validate_request, validate_response
from cognito_mock.validation.compiled import ENCODED_ONLY, compiled

__all__ = ["FaultHook", "UnknownOperationError", "invoke"]

# Called before the handler with (operation, request); may raise a declared ServiceError or sleep.
FaultHook = Callable[[str, dict[str, Any]], None]


Check = Callable[[Any], bool]


@cache
def _checks(operation: str) -> tuple[Check, Check]:
    """The compiled yes/no request and response checks of `operation`, looked up once.

    A "no" falls through to `validate_request` / `validate_response`, which word the error.
    """
    spec = operation_spec(operation)
    check_out: Check = (
        (lambda result: not result) if spec.output is None else compiled(spec.output, True)
    )
    return compiled(spec.input), check_out


def invoke(
    backend: Backend,
    operation: str,
    request: dict[str, Any],
    *,
    validate: bool = True,
    fault: FaultHook | None = None,
    encoded_only: bool = False,
) -> dict[str, Any]:
    """Run one operation on wire-form `request`; return the wire-form result. `encoded_only`: the
    result goes only to `transports/fragments.encode_result` (see `compiled.ENCODED_ONLY`)."""
    if ENCODED_ONLY.get() is not encoded_only:
        # Set either way: a call made inside another (a Lambda trigger calling `mock.call` while
        # a wire request runs) must get real items, not stand-ins meant for the outer encoder.
        mark = ENCODED_ONLY.set(encoded_only)
        try:
            return _invoke(backend, operation, request, validate, fault)
        finally:
            ENCODED_ONLY.reset(mark)
    return _invoke(backend, operation, request, validate, fault)


def _invoke(
    backend: Backend,
    operation: str,
    request: dict[str, Any],
    validate: bool,
    fault: FaultHook | None,
) -> dict[str, Any]:
    if operation not in index()["operations"]:
        raise UnknownOperationError(operation)
    run = handler(operation)
    check_in, check_out = _checks(operation)
    with backend.lock:
        # The contract comes first, for every operation: a bad request is refused with the
        # service's SerializationException or InvalidParameterException even where no handler
        # answers it.
        if validate and not check_in(request):
            # Raises the service's error, or returns the request as deserialized (a float
            # for an integer truncated, nulls dropped): handlers see only canonical values.
            request = validate_request(operation, request)
        if run is None:
            raise OperationNotImplementedError(operation)
        try:
            # Pool-wide rules outside any one handler (replica roles, paused writes) and the
            # history point-in-time recovery reads; nothing for pools that use neither.
            guards.before(backend, operation, request)
            if fault is not None:
                fault(operation, request)
            result = run(backend, request)
        except ServiceError as error:
            if validate:
                validate_error(operation, error)
            raise
        if validate and not check_out(result):
            validate_response(operation, result)
        return result
