"""Valid and edge wire-form values of any model shape (`build`); imports `patterns` and `shapes`.

Strategies are built from `shapes/` once per (shape, mode) and cached. Strings come from
`patterns.pattern_strings` and map keys from the key pattern's whole language when it is small, so
lengths and sizes are part of the construction and nothing is filtered. Values are made by
composites, never by `.map()`: Hypothesis prints a mapped value as the call that made it
(`make((0, 1))`), and a failing example should show the value itself.
"""

from __future__ import annotations

import base64
from functools import cache
from typing import Any, Literal

from hypothesis import strategies as st

from cognito_mock.shapes import schema_document
from cognito_mock.strategies.examples import zero_blob
from cognito_mock.strategies.patterns import pattern_language, pattern_strings

__all__ = ["COLLECTION_SOFT", "EDGE_COLLECTION_CAP", "BuildMode", "build"]

BuildMode = Literal["valid", "edge"]

# Valid lists and maps hold at most this many entries above their minimum. Edge ones hold their
# minimum or their maximum (lists: a few drawn items cycled), or this many more when unbounded.
COLLECTION_SOFT = 3
EDGE_COLLECTION_CAP = 8
# Valid blobs hold at most this many bytes above their minimum.
_BLOB_SOFT = 48
_JAVA_INT = (-(2**31), 2**31 - 1)
_JAVA_LONG = (-(2**63), 2**63 - 1)
_LAST_TIMESTAMP = 4_102_444_800  # 2100-01-01


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


def _sizes(lo: int, hi: int | None, edge: bool) -> st.SearchStrategy[int]:
    """Collection sizes: `lo` or the top when `edge`, else `lo` to a few more; shrink to `lo`."""
    if edge:
        top = hi if hi is not None else lo + EDGE_COLLECTION_CAP
        return st.sampled_from(sorted({lo, top}))
    return st.integers(lo, lo + COLLECTION_SOFT if hi is None else min(hi, lo + COLLECTION_SOFT))


@st.composite
def _blobs(draw: Any, lo: int, hi: int | None, edge: bool) -> str:
    """Base64 text of `lo..hi` bytes (the model counts a blob's decoded bytes)."""
    if edge:
        # The longest blob is all zero bytes: one cached string, nothing drawn per byte.
        return zero_blob(draw(_sizes(lo, hi, edge=True)))
    top = lo + _BLOB_SOFT if hi is None else min(hi, lo + _BLOB_SOFT)
    return base64.b64encode(draw(st.binary(min_size=lo, max_size=top))).decode("ascii")


@st.composite
def _timestamps(draw: Any) -> float:
    return float(draw(st.integers(0, _LAST_TIMESTAMP)))


_JSON_LEAVES = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=8)


def _document() -> st.SearchStrategy[Any]:
    return st.recursive(
        _JSON_LEAVES,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=6,
    )


@cache
def _exactly(items: st.SearchStrategy[Any], size: int, unique: bool) -> st.SearchStrategy[Any]:
    return st.lists(items, min_size=size, max_size=size, unique=unique)


@st.composite
def _lists(draw: Any, items: st.SearchStrategy[Any], sizes: st.SearchStrategy[int]) -> list[Any]:
    """Lists of a drawn size; past EDGE_COLLECTION_CAP the drawn items repeat (a list of 125 costs
    eight items). Shrinks towards the smallest size."""
    size = draw(sizes)
    drawn = min(size, EDGE_COLLECTION_CAP)
    got = draw(_exactly(items, drawn, False)) if drawn else []
    return [got[i % drawn] for i in range(size)]


def _list(schema: dict[str, Any], mode: BuildMode) -> st.SearchStrategy[list[Any]]:
    items = build(_ref(schema["items"]), mode)
    lo, hi = schema.get("minItems", 0), schema.get("maxItems")
    if mode == "valid":
        top = lo + COLLECTION_SOFT if hi is None else min(hi, lo + COLLECTION_SOFT)
        return st.lists(items, min_size=lo, max_size=top)
    return _lists(items, _sizes(lo, hi, edge=True))


def _key_language(key_shape: str) -> tuple[str, ...] | None:
    """Every key a map may have, when there are few: an enum, or a small pattern language."""
    schema = _defs()[key_shape]
    if "enum" in schema:
        return tuple(schema["enum"])
    if "pattern" in schema:
        lo, hi = schema.get("minLength", 0), schema.get("maxLength")
        return pattern_language(schema["pattern"], lo, hi)
    return None


@st.composite
def _dicts(
    draw: Any,
    keys: st.SearchStrategy[Any],
    values: st.SearchStrategy[Any],
    sizes: st.SearchStrategy[int],
) -> dict[Any, Any]:
    """Maps of a drawn size with distinct keys; shrinks towards the smallest size, first keys."""
    chosen = draw(_exactly(keys, draw(sizes), True))
    return {key: draw(values) for key in chosen}


def _map(schema: dict[str, Any], mode: BuildMode) -> st.SearchStrategy[dict[str, Any]]:
    key_shape = _ref(schema["propertyNames"])
    values = build(_ref(schema["additionalProperties"]), mode)
    lo, hi = schema.get("minProperties", 0), schema.get("maxProperties")
    language = _key_language(key_shape)
    if language is not None:
        # A full map needs every key: `Level[1-4]` keys of a 4-entry map are those four, and
        # sampling them uniquely never runs out (drawing each from the key pattern would).
        hi = len(language) if hi is None else min(hi, len(language))
        return _dicts(st.sampled_from(language), values, _sizes(lo, hi, mode == "edge"))
    return _dicts(build(key_shape, mode), values, _sizes(lo, hi, mode == "edge"))


# Whether an optional member is present, drawn as an index so that it always shrinks to 0 (absent)
# whatever the bias: a structure first draws a bias, then each member's presence under it, so a
# failing example sheds optional members one by one. Valid structures hold each optional member
# half the time; edge ones hold almost none, almost all (often every one: the deepest nesting), or
# a mix.
# Presence is always an integer index (never a boolean choice): the shrinker then swaps one edge
# bias for another with the presence choices after it still parsing, and it drops members more
# reliably (with booleans, UpdateUserPoolDomain kept a CustomDomainConfig it did not need).
_SHARES = 256
_EVEN = st.sampled_from([False, True])
_VALID_BIAS = st.just(_EVEN)
_EDGE_BIAS = st.sampled_from(
    [
        st.sampled_from([False] * (_SHARES - 1) + [True]),  # few optional members
        st.sampled_from([False] + [True] * (_SHARES - 1)),  # most
        _EVEN,  # any mix
    ]
)


@st.composite
def _structures(
    draw: Any,
    members: tuple[tuple[str, st.SearchStrategy[Any], bool], ...],
    bias: st.SearchStrategy[st.SearchStrategy[bool]],
) -> dict[str, Any]:
    """Members in model order: required ones always, optional ones as their presence says."""
    presence = draw(bias)
    out = {}
    for name, values, required in members:
        if required or draw(presence):
            out[name] = draw(values)
    return out


def _structure(schema: dict[str, Any], mode: BuildMode) -> st.SearchStrategy[dict[str, Any]]:
    required = set(schema.get("required", ()))
    members = tuple(
        (name, build(_ref(ref), mode), name in required)
        for name, ref in schema["properties"].items()
    )
    return _structures(members, _VALID_BIAS if mode == "valid" else _EDGE_BIAS)


def _string(schema: dict[str, Any], mode: BuildMode) -> st.SearchStrategy[str]:
    edge = mode == "edge"
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if schema.get("x-aws-type") == "blob":
        return _blobs(schema.get("x-aws-min-bytes", 0), schema.get("x-aws-max-bytes"), edge)
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
        return _string(schema, mode)
    if kind == "integer":
        lo, hi = _int_bounds(shape, schema)
        return st.sampled_from(_edge_ints(lo, hi)) if edge else st.integers(lo, hi)
    if kind == "number":  # a timestamp: epoch seconds
        if edge:
            return st.sampled_from([0.0, 1_700_000_000.0, float(_LAST_TIMESTAMP)])
        return _timestamps()
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return _list(schema, mode)
    if "propertyNames" in schema:
        return _map(schema, mode)
    return _structure(schema, mode)
