"""Valid and edge wire-form values of any model shape (`build`); imports `patterns` and `shapes`.

Strategies are built from `shapes/` once per (shape, mode) and cached; strings come from
`patterns.pattern_strings`, so lengths are part of the construction and nothing is filtered.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any, Literal

from hypothesis import strategies as st

from cognito_mock.shapes import schema_document
from cognito_mock.strategies.patterns import pattern_strings

__all__ = ["EDGE_COLLECTION_CAP", "BuildMode", "build"]

BuildMode = Literal["valid", "edge"]

# Valid lists and maps hold at most this many entries above their minimum; edge ones are drawn at
# their minimum or their maximum (filled by cycling a few drawn items), or this many when unbounded.
COLLECTION_SOFT = 3
EDGE_COLLECTION_CAP = 8
_JAVA_INT = (-(2**31), 2**31 - 1)
_JAVA_LONG = (-(2**63), 2**63 - 1)


def _defs() -> dict[str, Any]:
    defs: dict[str, Any] = schema_document()["$defs"]
    return defs


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _int_bounds(shape: str, schema: dict[str, Any]) -> tuple[int, int]:
    lo, hi = _JAVA_LONG if "Long" in shape else _JAVA_INT
    return schema.get("minimum", lo), schema.get("maximum", hi)


def _edge_ints(lo: int, hi: int) -> list[int]:
    return sorted({v for v in (lo, lo + 1, hi - 1, hi, 0) if lo <= v <= hi})


def _blob(schema: dict[str, Any], edge: bool) -> st.SearchStrategy[str]:
    """Base64 text (the wire form of a blob) within the shape's length bounds."""
    top = schema.get("maxLength")
    most = (top // 4) * 3 if top is not None else 48
    if edge and top is not None:
        # The longest blob, all zero bytes: one string, nothing drawn per byte.
        return st.sampled_from(["", "A" * ((top // 4) * 4)])
    data = st.binary(max_size=min(most, 48))
    return data.map(lambda b: base64.b64encode(b).decode("ascii"))


_JSON_LEAVES = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=8)


def _document() -> st.SearchStrategy[Any]:
    return st.recursive(
        _JSON_LEAVES,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=6,
    )


def _cycled(items: st.SearchStrategy[Any], size: int) -> st.SearchStrategy[list[Any]]:
    """Lists of exactly `size` items, drawing at most EDGE_COLLECTION_CAP and repeating them."""
    drawn = min(size, EDGE_COLLECTION_CAP)
    if drawn == 0:
        return st.just([])
    return st.lists(items, min_size=drawn, max_size=drawn).map(
        lambda got: [got[i % drawn] for i in range(size)]
    )


def _list(schema: dict[str, Any], edge: bool) -> st.SearchStrategy[list[Any]]:
    items = build(_ref(schema["items"]), "edge" if edge else "valid")
    lo, hi = schema.get("minItems", 0), schema.get("maxItems")
    if not edge:
        top = lo + COLLECTION_SOFT if hi is None else min(hi, lo + COLLECTION_SOFT)
        return st.lists(items, min_size=lo, max_size=top)
    top = hi if hi is not None else lo + EDGE_COLLECTION_CAP
    return st.sampled_from(sorted({lo, top})).flatmap(lambda size: _cycled(items, size))


def _map(schema: dict[str, Any], edge: bool) -> st.SearchStrategy[dict[str, Any]]:
    mode: BuildMode = "edge" if edge else "valid"
    keys = build(_ref(schema["propertyNames"]), mode)
    values = build(_ref(schema["additionalProperties"]), mode)
    lo, hi = schema.get("minProperties", 0), schema.get("maxProperties")
    key_schema = _defs()[_ref(schema["propertyNames"])]
    if "enum" in key_schema:
        hi = len(key_schema["enum"]) if hi is None else min(hi, len(key_schema["enum"]))
    if not edge:
        top = lo + COLLECTION_SOFT if hi is None else min(hi, lo + COLLECTION_SOFT)
        return st.dictionaries(keys, values, min_size=lo, max_size=top)
    top = min(hi if hi is not None else lo + EDGE_COLLECTION_CAP, lo + 2 * EDGE_COLLECTION_CAP)
    return st.sampled_from(sorted({lo, top})).flatmap(
        lambda size: st.dictionaries(keys, values, min_size=size, max_size=size)
    )


def _structure(schema: dict[str, Any], edge: bool) -> st.SearchStrategy[dict[str, Any]]:
    mode: BuildMode = "edge" if edge else "valid"
    required = set(schema.get("required", ()))
    members = {name: _ref(ref) for name, ref in schema["properties"].items()}
    must = {n: build(s, mode) for n, s in members.items() if n in required}
    may = {n: build(s, mode) for n, s in members.items() if n not in required}
    some = st.fixed_dictionaries(must, optional=may)
    if not edge or not may:
        return some
    # Edges: every optional member present (the deepest nesting), none, or any mix.
    return st.one_of(st.fixed_dictionaries({**must, **may}), st.fixed_dictionaries(must), some)


def _string(schema: dict[str, Any], edge: bool) -> st.SearchStrategy[str]:
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if schema.get("x-aws-type") == "blob":
        return _blob(schema, edge)
    return pattern_strings(
        schema.get("pattern"), schema.get("minLength", 0), schema.get("maxLength"), edge=edge
    )


@cache
def build(shape: str, mode: BuildMode) -> st.SearchStrategy[Any]:
    """Values of `shape` that pass the model: `valid` ones, or `edge` ones on its boundaries."""
    schema = _defs()[shape]
    kind = schema.get("type")
    edge = mode == "edge"
    if kind is None:
        return _document()
    if kind == "string":
        return _string(schema, edge)
    if kind == "integer":
        lo, hi = _int_bounds(shape, schema)
        return st.sampled_from(_edge_ints(lo, hi)) if edge else st.integers(lo, hi)
    if kind == "number":  # a timestamp: epoch seconds
        if edge:
            return st.sampled_from([0.0, 1_700_000_000.0, 4_102_444_800.0])
        return st.integers(0, 4_102_444_800).map(float)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return _list(schema, edge)
    if "propertyNames" in schema:
        return _map(schema, edge)
    return _structure(schema, edge)
