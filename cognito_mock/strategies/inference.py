"""`from_shape` and `from_operation`: the model-driven strategies; imports `valid` and `invalid`.

Argument errors (an unknown shape, operation or mode) are raised when the strategy is first used.
"""

from __future__ import annotations

from typing import Any, Literal

from hypothesis import strategies as st

from cognito_mock.shapes import operation, schema_document
from cognito_mock.strategies.invalid import invalid_values
from cognito_mock.strategies.valid import build

__all__ = ["Mode", "from_operation", "from_shape"]

Mode = Literal["valid", "edge", "invalid"]
_MODES = ("valid", "edge", "invalid")


def _failing(message: str) -> st.SearchStrategy[Any]:
    """A strategy that raises `ValueError(message)` when first used (never at definition)."""

    def fail() -> st.SearchStrategy[Any]:
        raise ValueError(message)

    return st.deferred(fail)


def from_shape(name: str, *, mode: Mode = "valid") -> st.SearchStrategy[Any]:
    """Wire-form values of model shape `name` (JSON types; timestamps as epoch floats, blobs base64).

    `valid` values pass the model; they shrink towards the shape's smallest value (required members
    only, shortest strings, first enum value, lower bounds). `edge` values pass the model too and sit
    on its boundaries (shortest and longest strings, empty and full lists and maps, no or every
    optional member, bounds of numbers); they shrink towards the lower bounds and no optional
    member. `invalid` gives `InvalidRequest`s breaking exactly one constraint.
    """
    if name not in schema_document()["$defs"]:
        return _failing(f"{name!r} is not a shape of the cognito-idp model")
    if mode not in _MODES:
        return _failing(f"mode must be one of {', '.join(_MODES)}; got {mode!r}")
    if mode == "invalid":
        return invalid_values(name)
    return build(name, mode)


def from_operation(name: str, *, mode: Mode = "valid") -> st.SearchStrategy[Any]:
    """Requests (wire-form dicts) for operation `name`; see `from_shape` for the modes.

    With `mode="invalid"` each example is an `InvalidRequest(request, path, constraint, message)`.
    """
    try:
        spec = operation(name)
    except KeyError:
        return _failing(f"{name!r} is not an operation of the cognito-idp model")
    return from_shape(spec.input, mode=mode)
