"""The control API's operations (`/_cognito-mock/...` over HTTP, `mock.control(name, params)` in
process): reset, outbox, clock, faults, seed and webhook triggers, JSON values in and out.

Bad input raises `WireError` with an AWS-style code (`InvalidParameterException`, 400;
`ResourceNotFoundException`, 404), so every client gets `{"__type", "message"}` back.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cognito_mock.backend.hooks.triggers import TRIGGERS
from cognito_mock.backend.kernel.outbox import Message
from cognito_mock.errors import FaultConfigurationError, SeedError, WireError
from cognito_mock.faults import Fault
from cognito_mock.seed import apply_seed, check_seed, seed_conflicts
from cognito_mock.transports.webhook import DEFAULT_TIMEOUT, WebhookTrigger

if TYPE_CHECKING:
    from cognito_mock.mock import CognitoMock

__all__ = ["OPERATIONS", "STATE_CHANGING", "control"]

Operation = Callable[["CognitoMock", dict[str, Any]], dict[str, Any]]

_INVALID = "InvalidParameterException"
_FILTERS = ("destination", "pool_id", "kind", "medium", "username", "since")
# Operations that change what the mock holds, not only how it answers: `--state` journals these.
STATE_CHANGING = frozenset({"reset", "seed", "clock.advance", "clock.set"})


def _invalid(message: str) -> WireError:
    return WireError(_INVALID, message, 400)


def _only(params: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        expected = ", ".join(allowed) if allowed else "nothing"
        raise _invalid(f"Unknown parameter(s) {', '.join(unknown)}; expected {expected}.")


def _number(params: dict[str, Any], name: str, *, required: bool = True) -> float | None:
    value = params.get(name)
    if value is None and not required:
        return None
    if isinstance(value, str):  # query strings carry numbers as text
        with contextlib.suppress(ValueError):
            value = float(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise _invalid(f"{name} must be a number, got {value!r}.")
    return float(value)


def _string(params: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    value = params.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise _invalid(f"{name} must be a non-empty string, got {value!r}.")
    return value


# -- reset -----------------------------------------------------------------------------------------


def _reset(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ("seed",))
    seed = params.get("seed")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, str))):
        raise _invalid(f"seed must be an integer or a string, got {seed!r}.")
    mock.reset(seed=seed)
    return {"reset": True, "seed": seed}


# -- outbox ----------------------------------------------------------------------------------------


def message_view(message: Message) -> dict[str, Any]:
    """A message as the control API shows it."""
    return {
        "destination": message.to, "medium": message.medium, "kind": message.purpose,
        "code": message.code, "subject": message.subject, "body": message.body,
        "operation": message.operation, "pool_id": message.pool_id,
        "username": message.username, "attribute": message.attribute, "sent_at": message.sent_at,
    }  # fmt: skip


def _matching(mock: CognitoMock, params: dict[str, Any]) -> list[Message]:
    _only(params, _FILTERS)
    wanted = {name: _string(params, name) for name in _FILTERS if name != "since"}
    since = _number(params, "since", required=False)
    medium = wanted["medium"].upper() if wanted["medium"] else None
    return [
        m
        for m in mock.outbox
        if (wanted["destination"] is None or m.to == wanted["destination"])
        and (wanted["pool_id"] is None or m.pool_id == wanted["pool_id"])
        and (wanted["kind"] is None or m.purpose == wanted["kind"])
        and (medium is None or m.medium == medium)
        and (wanted["username"] is None or m.username == wanted["username"])
        and (since is None or m.sent_at >= since)
    ]


def _outbox(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    return {"messages": [message_view(m) for m in _matching(mock, params)]}


def _outbox_last(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    found = _matching(mock, params)
    if not found:
        described = ", ".join(f"{k}={v}" for k, v in sorted(params.items())) or "any filter"
        raise WireError("ResourceNotFoundException", f"No message matches {described}.", 404)
    return message_view(found[-1])


# -- clock -----------------------------------------------------------------------------------------


def _clock_view(mock: CognitoMock) -> dict[str, Any]:
    clock = mock.clock
    return {
        "epoch": clock.now(),
        "iso": clock.datetime().isoformat().replace("+00:00", "Z"),
        "movable": callable(getattr(clock, "advance", None)),
    }


def _movable(mock: CognitoMock, method: str) -> Callable[[float], Any]:
    found = getattr(mock.clock, method, None)
    if not callable(found):
        raise _invalid(f"This mock's clock ({mock.clock!r}) cannot be moved.")
    return found


def _clock(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ())
    return _clock_view(mock)


def _clock_advance(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ("seconds",))
    seconds = _number(params, "seconds")
    assert seconds is not None
    if seconds < 0:
        raise _invalid(
            f"seconds must not be negative (a clock only moves forward), got {seconds:g}."
        )
    _movable(mock, "advance")(seconds)
    return _clock_view(mock)


def _clock_set(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ("epoch",))
    epoch = _number(params, "epoch")
    assert epoch is not None
    if not 0 <= epoch < 253402300800:  # year 10000: datetime's end
        raise _invalid(f"epoch must be seconds since 1970 before the year 10000, got {epoch:g}.")
    _movable(mock, "set")(epoch)
    return _clock_view(mock)


# -- faults ----------------------------------------------------------------------------------------


def _fault_view(fault: Fault) -> dict[str, Any]:
    error = (
        fault.error if isinstance(fault.error, str) or fault.error is None else fault.error.__name__
    )
    return {
        "operations": sorted(fault.operations), "error": error, "message": fault.message or None,
        "latency": fault.seconds or None, "times": fault.times, "probability": fault.probability,
        "matched": fault.matched, "fired": fault.fired, "active": fault.active,
    }  # fmt: skip


def _faults(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ())
    injected = [{"operation": i.operation, "error": i.error, "latency": i.seconds or None}
                for i in mock.faults.injected]  # fmt: skip
    return {"faults": [_fault_view(f) for f in mock.faults], "injected": injected}


def _fault_add(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ("operation", "error", "message", "times", "probability", "when", "fields",
                   "latency"))  # fmt: skip
    operation = params.get("operation")
    if isinstance(operation, list) and all(isinstance(o, str) for o in operation):
        operations: str | list[str] = list(operation)
    else:
        operations = _string(params, "operation", required=True) or ""
    when = params.get("when")
    if when is not None and not isinstance(when, dict):
        raise _invalid("when must be an object of request members to match.")
    fields = params.get("fields") or {}
    if not isinstance(fields, dict):
        raise _invalid("fields must be an object of extra error members.")
    times, probability = params.get("times"), params.get("probability")
    try:
        if params.get("latency") is not None:
            if "error" in params:
                raise _invalid("A fault is either an error or a latency, not both.")
            latency = _number(params, "latency") or 0.0
            fault = mock.faults.delay(operations, latency, sleep=True, times=times,
                                      probability=probability, when=when)  # fmt: skip
        else:
            error = _string(params, "error") or "TooManyRequestsException"
            fault = mock.faults.fail(operations, error, _string(params, "message"), times=times,
                                     probability=probability, when=when, **fields)  # fmt: skip
    except (FaultConfigurationError, TypeError) as problem:
        raise _invalid(str(problem)) from None
    return {"fault": _fault_view(fault)}


def _faults_clear(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ("operation",))
    mock.faults.clear(_string(params, "operation"))
    return {"faults": []}


# -- seed ------------------------------------------------------------------------------------------


def _seed(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    """Create what a seed document declares, all of it or (on any error) none of it."""
    try:
        check_seed(params, "seed")
        conflict = seed_conflicts(mock, params)
        if conflict:
            raise SeedError(f"seed: {conflict}")
        # A dry run on a scratch mock finds every service error before the real one changes.
        scratch = type(mock)(region=mock.region, account_id=mock.account_id)
        scratch.triggers.missing = "skip"
        apply_seed(scratch, params, "seed")
        return {"seeded": apply_seed(mock, params, "seed")}
    except SeedError as error:
        raise _invalid(str(error)) from None


# -- triggers --------------------------------------------------------------------------------------


def _trigger_target(params: dict[str, Any]) -> tuple[str, str | None]:
    name = _string(params, "name", required=True) or ""
    arn, pool_id = _string(params, "arn"), _string(params, "pool_id")
    if name not in TRIGGERS and not name.startswith("arn:"):
        raise _invalid(
            f"{name} is not a trigger; triggers: {', '.join(TRIGGERS)} (or a Lambda ARN)."
        )
    if arn is not None:
        if not arn.startswith("arn:"):
            raise _invalid(f"arn must be a Lambda ARN, got {arn!r}.")
        if pool_id is not None:
            raise _invalid("A trigger is registered for a Lambda ARN or a pool, not both.")
        return arn, None
    return name, pool_id


def _trigger_put(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ("name", "url", "pool_id", "arn", "timeout"))
    key, pool_id = _trigger_target(params)
    timeout = _number(params, "timeout", required=False)
    try:
        hook = WebhookTrigger(params.get("url"), DEFAULT_TIMEOUT if timeout is None else timeout)  # type: ignore[arg-type]
    except ValueError as problem:
        raise _invalid(f"{problem}.") from None
    mock.triggers.register(key, hook, pool_id=pool_id)
    return {"trigger": key, "pool_id": pool_id, "url": hook.url, "timeout": hook.timeout}


def _trigger_delete(mock: CognitoMock, params: dict[str, Any]) -> dict[str, Any]:
    _only(params, ("name", "pool_id", "arn"))
    key, pool_id = _trigger_target(params)
    mock.triggers.unregister(key, pool_id=pool_id)
    return {"trigger": key, "pool_id": pool_id, "deleted": True}


OPERATIONS: dict[str, Operation] = {
    "reset": _reset,
    "outbox": _outbox,
    "outbox.last": _outbox_last,
    "clock": _clock,
    "clock.advance": _clock_advance,
    "clock.set": _clock_set,
    "faults": _faults,
    "faults.add": _fault_add,
    "faults.clear": _faults_clear,
    "seed": _seed,
    "triggers.put": _trigger_put,
    "triggers.delete": _trigger_delete,
}


def control(mock: CognitoMock, name: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run control operation `name` with JSON `params`; its JSON answer."""
    operation = OPERATIONS.get(name)
    if operation is None:
        raise WireError("UnknownOperationException", f"No control operation {name!r}.", 404)
    return operation(mock, params)
