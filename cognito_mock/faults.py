"""Fault injection (`mock.faults`): declared errors and latency on chosen calls.

A `Faults` registry is the `FaultHook` `dispatch.invoke` runs after request validation and before
the handler, under the mock's lock; the OAuth2 endpoints (`"/oauth2/token"`, ...) run it too.
Faults are checked against the API model when configured, so a resilience test can never make an
operation fail in a way the real service cannot: an operation only with an error it declares, an
OAuth2 endpoint only with an `error` code it can answer.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cognito_mock import errors
from cognito_mock.errors import (
    DOMAIN_ENDPOINTS,
    OAUTH2_ENDPOINTS,
    FaultConfigurationError,
    OAuthError,
    ServiceError,
)
from cognito_mock.shapes import index
from cognito_mock.shapes import operation as operation_spec

__all__ = ["Fault", "FaultConfigurationError", "Faults", "Injected", "Matcher"]  # error re-exported

# A dict of request members that must all be present with equal values (nested dicts match as
# subsets too), or a predicate over the wire-form request.
Matcher = Mapping[str, Any] | Callable[[dict[str, Any]], bool]

# Endpoints of a user pool domain answer OAuth2 `error` codes instead of declared errors.
_ENDPOINTS = {**OAUTH2_ENDPOINTS, **DOMAIN_ENDPOINTS}

# Texts the service is known to send for these codes; anything else says where it came from.
_DEFAULT_MESSAGES = {
    "TooManyRequestsException": "Rate exceeded",
    "InternalErrorException": "Internal server error.",
    "LimitExceededException": "Limit exceeded",
}


@dataclass(frozen=True)
class Injected:
    """One fault that fired: an error raised or a latency added."""

    operation: str
    error: str | None  # the AWS error code (or OAuth2 `error`), for error faults
    seconds: float  # the latency added, for latency faults (0.0 otherwise)


@dataclass(eq=False)
class Fault:
    """One configured fault; `matched` counts calls it applied to, `fired` the times it acted."""

    operations: frozenset[str]
    error: type[ServiceError] | str | None  # a ServiceError class, or an OAuth2 `error` code
    message: str
    fields: dict[str, Any]
    seconds: float
    sleep: Callable[[float], None] | None
    times: int | None
    probability: float | None
    when: Matcher | None
    matched: int = 0
    fired: int = 0
    _owner: Faults | None = field(default=None, repr=False)

    @property
    def remaining(self) -> int | None:
        """How many more times it may fire (None: unlimited)."""
        return None if self.times is None else max(self.times - self.fired, 0)

    @property
    def active(self) -> bool:
        return self.remaining != 0 and self._owner is not None

    def cancel(self) -> None:
        """Remove this fault; calls after this are unaffected."""
        if self._owner is not None:
            self._owner._remove(self)

    def applies_to(self, operation: str, request: dict[str, Any]) -> bool:
        if operation not in self.operations or not self.active:
            return False
        if self.when is None:
            return True
        if callable(self.when):
            return bool(self.when(request))
        return _contains(request, self.when)


class Faults:
    """The faults of one mock. Probabilities draw from a generator seeded by the mock's seed."""

    def __init__(self, seed: int | str | None = None) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.injected: list[Injected] = []
        self.reseed(seed)

    def reseed(self, seed: int | str | None) -> None:
        # Separate from the mock's id stream: adding a fault must not change the ids a test sees.
        self._random = random.SystemRandom() if seed is None else random.Random(f"faults:{seed}")

    def __repr__(self) -> str:
        return f"Faults({len(self._faults)} configured, {len(self.injected)} injected)"

    def __len__(self) -> int:
        return len(self._faults)

    def __iter__(self) -> Any:
        return iter(list(self._faults))

    # -- configuration ----------------------------------------------------------------------------

    def fail(
        self,
        operation: str | Iterable[str],
        error: str | type[ServiceError] = "TooManyRequestsException",
        message: str | None = None,
        *,
        times: int | None = None,
        probability: float | None = None,
        when: Matcher | None = None,
        **fields: Any,
    ) -> Fault:
        """Make `operation` (a name or several) raise `error`, which each of them must declare.

        `times=N` fails the next N matching calls only; `probability=p` fails each matching call
        with chance p (seeded, so a run replays); `when` restricts it to matching requests.
        Without `times` the fault stays until cancelled or cleared. `fields` are extra modelled
        members of the error body (e.g. `reasonCode`).
        """
        names = _operations(operation)
        endpoints = sorted(n for n in names if n in _ENDPOINTS)
        if endpoints:
            if len(endpoints) != len(names) or not isinstance(error, str):
                raise FaultConfigurationError(
                    "an OAuth2 endpoint fault takes the endpoint(s) alone and an OAuth2 error code"
                )
            for name in endpoints:
                if error not in _ENDPOINTS[name]:
                    raise FaultConfigurationError(
                        f"{name} cannot answer error={error!r}; it answers: "
                        f"{', '.join(_ENDPOINTS[name])}"
                    )
            limits = _limits(times, probability)
            return self._add(Fault(names, error, "", {}, 0.0, None, *limits, when))
        cls = _error_class(error)
        for name in sorted(names):
            declared = operation_spec(name).errors
            if cls.__name__ not in declared:
                raise FaultConfigurationError(
                    f"{name} does not declare {cls.__name__}, so the service cannot return it; "
                    f"{name} declares: {', '.join(sorted(declared))}"
                )
        text = message if message is not None else _default_message(cls.__name__)
        return self._add(
            Fault(names, cls, text, dict(fields), 0.0, None, *_limits(times, probability), when)
        )

    def delay(
        self,
        operation: str | Iterable[str],
        seconds: float,
        *,
        sleep: bool | Callable[[float], None] = False,
        times: int | None = None,
        probability: float | None = None,
        when: Matcher | None = None,
    ) -> Fault:
        """Add `seconds` of latency to matching calls: recorded in `injected`, and slept only with
        `sleep=True` (or handed to a callable such as `clock.advance`). A real sleep holds the mock's
        lock, so concurrent calls wait too."""
        if seconds < 0:
            raise FaultConfigurationError(f"latency must not be negative, got {seconds!r}")
        sleeper = time.sleep if sleep is True else (sleep or None)
        return self._add(
            Fault(
                _operations(operation),
                None,
                "",
                {},
                float(seconds),
                sleeper,
                *_limits(times, probability),
                when,
            )
        )

    def clear(self, operation: str | None = None) -> None:
        """Remove every fault (or those of one operation); the `injected` record is kept."""
        with self._lock:
            keep = (
                []
                if operation is None
                else [f for f in self._faults if operation not in f.operations]
            )
            for fault in self._faults:
                if fault not in keep:
                    fault._owner = None
            self._faults = keep

    def reset(self, seed: int | str | None = None) -> None:
        """Remove every fault, forget what was injected and reseed."""
        self.clear()
        self.injected.clear()
        self.reseed(seed)

    def total_latency(self, operation: str | None = None) -> float:
        """Seconds of latency injected so far (into one operation, or all)."""
        return sum(i.seconds for i in self.injected if operation in (None, i.operation))

    # -- the hook ---------------------------------------------------------------------------------

    def __call__(self, operation: str, request: dict[str, Any]) -> None:
        """`dispatch.FaultHook`: add the latencies that apply, then raise the first error that fires."""
        if not self._faults:
            return
        with self._lock:
            pending: list[Fault] = []
            raised: Exception | None = None
            for fault in self._faults:
                if not fault.applies_to(operation, request):
                    continue
                fault.matched += 1
                if fault.probability is not None and self._random.random() >= fault.probability:
                    continue
                if fault.error is None:
                    fault.fired += 1
                    self.injected.append(Injected(operation, None, fault.seconds))
                    pending.append(fault)
                elif raised is None:
                    fault.fired += 1
                    if isinstance(fault.error, str):  # an OAuth2 endpoint's `error` code
                        self.injected.append(Injected(operation, fault.error, 0.0))
                        status = 401 if fault.error in ("invalid_client", "invalid_token") else 400
                        raised = OAuthError(fault.error, status)
                    else:
                        self.injected.append(Injected(operation, fault.error.__name__, 0.0))
                        raised = fault.error(fault.message, **fault.fields)
        for fault in pending:  # sleep outside our own lock so configuration never waits on it
            if fault.sleep is not None and fault.seconds:
                fault.sleep(fault.seconds)
        if raised is not None:
            raise raised

    # -- internals --------------------------------------------------------------------------------

    def _add(self, fault: Fault) -> Fault:
        with self._lock:
            fault._owner = self
            self._faults.append(fault)
        return fault

    def _remove(self, fault: Fault) -> None:
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)
            fault._owner = None


def _operations(operation: str | Iterable[str]) -> frozenset[str]:
    names = frozenset([operation] if isinstance(operation, str) else operation)
    if not names:
        raise FaultConfigurationError("a fault needs at least one operation")
    known = index()["operations"]
    unknown = sorted(n for n in names if n not in known and n not in _ENDPOINTS)
    if unknown:
        raise FaultConfigurationError(
            f"{', '.join(map(repr, unknown))} is not an operation of the cognito-idp model"
        )
    return names


def _error_class(error: str | type[ServiceError]) -> type[ServiceError]:
    if isinstance(error, type) and issubclass(error, ServiceError) and error is not ServiceError:
        return error
    found = getattr(errors, error, None) if isinstance(error, str) else None
    if not (isinstance(found, type) and issubclass(found, ServiceError)) or found is ServiceError:
        raise FaultConfigurationError(
            f"{error!r} is not a Cognito error code (see cognito_mock.errors)"
        )
    return found


def _limits(times: int | None, probability: float | None) -> tuple[int | None, float | None]:
    if times is not None and (isinstance(times, bool) or times < 1):
        raise FaultConfigurationError(f"times must be a positive integer, got {times!r}")
    if probability is not None and not 0.0 <= probability <= 1.0:
        raise FaultConfigurationError(f"probability must be within [0, 1], got {probability!r}")
    return times, probability


def _default_message(code: str) -> str:
    return _DEFAULT_MESSAGES.get(code, f"{code} injected by cognito-mock")


def _contains(request: Any, expected: Any) -> bool:
    """Whether `expected` is a subset of `request`: dicts by key, everything else by equality."""
    if isinstance(expected, Mapping):
        return isinstance(request, Mapping) and all(
            key in request and _contains(request[key], value) for key, value in expected.items()
        )
    return bool(request == expected)
