"""The operation registry: `@operation("AdminCreateUser")` binds a handler to its AWS name.

Lives in the backend layer so handler modules register themselves without importing upward;
`dispatch` reads it. A name outside the model, or registered twice, fails at import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cognito_mock.shapes import index

__all__ = ["Handler", "handler", "operation", "registered"]

Handler = Callable[[Any, dict[str, Any]], dict[str, Any]]

_HANDLERS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of operation `name`."""
    if name not in index()["operations"]:
        raise ValueError(f"{name!r} is not an operation of the cognito-idp model")
    if name in _HANDLERS:
        raise ValueError(f"{name} already has a handler: {_HANDLERS[name].__qualname__}")

    def register(func: Handler) -> Handler:
        _HANDLERS[name] = func
        return func

    return register


def handler(name: str) -> Handler | None:
    return _HANDLERS.get(name)


def registered() -> list[str]:
    """Names of every operation with a handler, sorted."""
    return sorted(_HANDLERS)
