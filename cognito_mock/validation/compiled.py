"""Fast yes/no validators compiled from `shapes/` once per shape: the hot path of every call.

Each shape becomes one generated Python function in which scalar members are checked inline (no
call per member), so a valid value costs a dict lookup and a comparison or two per member. When a
validator says no, the slower `deserialize` and `explain` walkers word the reasons. Verdicts must
equal jsonschema's on the same schemas (a differential test holds them together) for values in the
deserializer's canonical form, plus the blob byte bounds that JSON Schema cannot state
(`validation/blobs.py`); beyond jsonschema they also say no to what the deserializer converts or
refuses (a float for an integer, an unpaired surrogate, a timestamp outside years 1-9999, a
document too deep), so such a value always takes the slow path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from functools import cache
from typing import Any

from cognito_mock.minted import ALPHABET, is_minted
from cognito_mock.shapes import AMENDED_FLOW_LIST, schema_document
from cognito_mock.validation.blobs import decoded_size
from cognito_mock.validation.deserialize import TIMESTAMP_RANGE, document_ok

__all__ = [
    "ENCODED_ONLY",
    "REQUEST_OVERRIDES",
    "RESPONSE_OVERRIDES",
    "Check",
    "CheckedList",
    "Proof",
    "compiled",
    "member_shape",
]

Check = Callable[[Any], bool]

# Where the real service answers outside its own model, responses are checked against the shape it
# really uses. SchemaAttributeType.Name is CustomAttributeNameType (max 20) in the model, yet
# DescribeUserPool returns `phone_number_verified` (21) and `dev:custom:<name>` (up to 31) there:
# names of AttributeNameType (max 32).
RESPONSE_OVERRIDES = {
    ("SchemaAttributeType", "Name"): "AttributeNameType",
    # DomainType only allows a prefix (no dots), yet custom domains are FQDNs (`auth.example.com`)
    # and CloudFront distributions are `d111111abcdef8.cloudfront.net`.
    ("CreateUserPoolDomainResponse", "CloudFrontDomain"): "StringType",
    ("UpdateUserPoolDomainResponse", "CloudFrontDomain"): "StringType",
    ("DomainDescriptionType", "Domain"): "StringType",
    ("UserPoolType", "CustomDomain"): "StringType",
    # GetClientToken needs a client whose only flow is ALLOW_CLIENT_TOKEN_AUTH, a value the model's
    # ExplicitAuthFlowsType enum lacks (see REQUEST_OVERRIDES): clients show it where they have it.
    ("UserPoolClientType", "ExplicitAuthFlows"): AMENDED_FLOW_LIST,
}
# Request members the service checks itself instead of by the model. The domain operations take
# custom domains (FQDNs) that DomainType's pattern refuses; `backend/pool_config/domains.py`
# applies DomainType to everything that is not a custom domain, with the model's own wording.
REQUEST_OVERRIDES = {
    ("CreateUserPoolDomainRequest", "Domain"): "StringType",
    ("DescribeUserPoolDomainRequest", "Domain"): "StringType",
    ("UpdateUserPoolDomainRequest", "Domain"): "StringType",
    ("DeleteUserPoolDomainRequest", "Domain"): "StringType",
    # GetClientToken's documentation requires ALLOW_CLIENT_TOKEN_AUTH as a client's only flow; the
    # 1.44.8 model's ExplicitAuthFlowsType lacks it. These accept the model's values and it
    # (`shapes.AMENDED_FLOW_LIST`); `pool_config/clients.py` applies the service's rules for it.
    ("CreateUserPoolClientRequest", "ExplicitAuthFlows"): AMENDED_FLOW_LIST,
    ("UpdateUserPoolClientRequest", "ExplicitAuthFlows"): AMENDED_FLOW_LIST,
}


def _ref_name(ref: dict[str, str]) -> str:
    return ref["$ref"].rsplit("/", 1)[-1]


def member_shape(shape: str, member: str, ref: dict[str, str], response: bool) -> str:
    """The shape a structure member is checked against (the model's unless overridden above)."""
    override = (RESPONSE_OVERRIDES if response else REQUEST_OVERRIDES).get((shape, member))
    if override:
        return override
    return _ref_name(ref)


class _Source:
    """Accumulates the constants a generated function refers to."""

    def __init__(self) -> None:
        self.env: dict[str, Any] = {"_MISSING": _MISSING}

    def const(self, value: Any) -> str:
        name = f"_k{len(self.env)}"
        self.env[name] = value
        return name


_MISSING = object()
_SURROGATE = re.compile("[\ud800-\udfff]").search


def _length(schema: dict[str, Any], size: str, lo_key: str, hi_key: str) -> list[str]:
    """Bound checks of `size`, an expression (`len(x)`, or a blob's decoded size)."""
    out = []
    if schema.get(lo_key, 0) > 0:
        out.append(f"{size} >= {schema[lo_key]}")
    if hi_key in schema:
        out.append(f"{size} <= {schema[hi_key]}")
    return out


# `^(?:[class]+)(?![\s\S])`: one character class, repeated (the shape of most patterns).
_CLASS_ONLY = re.compile(r"\^\(\?:\[((?:\\.|[^\]\\])+)\]\+\)\(\?!\[\\s\\S\]\)")
_LONG = 48  # below this the regex is as quick as the byte test


class _Passed:
    """The long values that passed one class's byte test, remembered by value (bounded): a
    token sent again (GetUser after GetUser) is one dictionary lookup, not a scan of its ~1,000
    bytes. Its hash is no extra work: the handler looks the same string up by value anyway."""

    LIMIT = 256

    __slots__ = ("allowed", "get", "values")

    def __init__(self, allowed: bytes) -> None:
        self.allowed = allowed
        self.values: dict[str, bool] = {}
        self.get = self.values.get

    def scan(self, value: str) -> bool:
        if value.encode().translate(None, self.allowed):
            return False  # a byte outside the class: the regex has the last word
        if len(self.values) >= self.LIMIT:
            self.values.clear()
        self.values[value] = True
        return True


def _pattern_term(pattern: str, var: str, src: _Source) -> str:
    """`var` matches `pattern`. A long ASCII value of a one-class pattern (a token: ~1,000
    characters) is tested by deleting the class's ASCII bytes, ~4x quicker than the regex, and
    remembered once it passed (`_Passed`); a value that test refuses still goes to the regex, so
    the verdict is always the regex's."""
    search = src.const(re.compile(pattern).search)
    regex = f"{search}({var}) is not None"
    found = _CLASS_ONLY.fullmatch(pattern)
    if found is None:
        return regex
    member = re.compile(f"[{found.group(1)}]").fullmatch
    passed = _Passed(bytes(b for b in range(128) if member(chr(b))))
    quick = f"({src.const(passed.get)}({var}) or {src.const(passed.scan)}({var}))"
    if ALPHABET.issubset(chr(b) for b in passed.allowed):
        # A token the mock minted (`minted.py`) is made of these characters by construction.
        quick = f"({src.const(is_minted)}({var}) or {quick})"
    return f"(({var}.isascii() and len({var}) > {_LONG} and {quick}) or {regex})"


def _inline(shape: str, var: str, src: _Source, response: bool) -> str:
    """A boolean expression checking `var` against `shape` (a call for non-scalar shapes)."""
    schema = schema_document()["$defs"][shape]
    kind = schema.get("type")
    if kind is None:  # a document: any JSON value, bounded in depth
        return f"{src.const(document_ok)}({var})"
    if kind == "string":
        terms = [f"type({var}) is str"]
        # Well-formed Unicode only: ASCII (almost every string) is one cheap test.
        terms.append(f"({var}.isascii() or {src.const(_SURROGATE)}({var}) is None)")
        if "enum" in schema:
            terms.append(f"{var} in {src.const(frozenset(schema['enum']))}")
        terms += _length(schema, f"len({var})", "minLength", "maxLength")
        if schema.get("x-aws-type") == "blob":
            terms += _length(
                schema, f"{src.const(decoded_size)}({var})", "x-aws-min-bytes", "x-aws-max-bytes"
            )
        if "pattern" in schema:
            terms.append(_pattern_term(schema["pattern"], var, src))
        return "(" + " and ".join(terms) + ")"
    if kind == "integer":
        # JSON Schema's "integer" also admits 3.0; here it takes the slow path, where the
        # deserializer truncates it to an int as the service does, so handlers only see ints.
        terms = [f"type({var}) is int"]
        if "minimum" in schema:
            terms.append(f"{var} >= {schema['minimum']}")
        if "maximum" in schema:
            terms.append(f"{var} <= {schema['maximum']}")
        return "(" + " and ".join(terms) + ")"
    if kind == "number":  # timestamps; the range also says no to NaN and infinities
        low, high = TIMESTAMP_RANGE
        return f"((type({var}) is int or type({var}) is float) and {low} <= {var} <= {high})"
    if kind == "boolean":
        return f"({var} is True or {var} is False)"
    return f"{src.const(compiled(shape, response))}({var})"


class CheckedList(list[Any]):
    """A response list whose items were each checked against `shape` (response form) by the
    code that made it, and are fresh objects no one else holds (`backend/directory/views.py`).

    A response check accepts it after checking only its length: the items' proof is their maker's.
    Requests never honour it, and another shape's list is checked like any list (the slow path).
    `proofs` are the items' own proofs (same order); `whole` a proof of the list as a whole (its
    `wire` then the whole list's JSON), where its maker keeps one.
    """

    __slots__ = ("proofs", "shape", "whole")

    def __init__(
        self,
        shape: str,
        items: list[Any],
        proofs: list[Proof] | None = None,
        whole: Proof | None = None,
    ) -> None:
        super().__init__(items)
        self.shape = shape
        self.whole = whole
        self.proofs = proofs  # each item's proof, where its maker keeps them (same order)


# True while an answer goes only to the wire encoder (`dispatch.invoke(..., encoded_only=True)`,
# what `CognitoMock.handle_wire` does). A maker of a CheckedList may then put an item's `Proof` in
# the item's place when the proof already holds the item's JSON: the response check skips a
# CheckedList's items and `transports/fragments.py` splices the proof's JSON, so no one reads it.
# Every `dispatch.invoke` sets it to its own value: a call nested in another never inherits it.
ENCODED_ONLY: ContextVar[bool] = ContextVar("cognito_mock_encoded_only", default=False)


class Proof:
    """That an item made from `state` passed its shape's check; `wire` is the item's encoding,
    filled in by the transport that first encodes it (`transports/fragments.py`). Its maker
    hands out the same proof only for an equal state, which makes an equal item."""

    __slots__ = ("state", "wire")

    def __init__(self, state: Any) -> None:
        self.state = state
        self.wire: bytes | None = None


def _array_source(schema: dict[str, Any], src: _Source, response: bool) -> list[str]:
    item_shape = _ref_name(schema["items"])
    item = _inline(item_shape, "v", src, response)
    size = _length(schema, "len(x)", "minItems", "maxItems")
    lines = ["    if type(x) is not list:"]
    if response:  # items checked when made (CheckedList): the list's own bounds remain
        lines += [
            f"        if type(x) is {src.const(CheckedList)} and x.shape == {item_shape!r}:",
            f"            return {' and '.join(size) or 'True'}",
        ]
    lines.append("        return False")
    if size:
        lines.append(f"    if not ({' and '.join(size)}): return False")
    lines += ["    for v in x:", f"        if not {item}: return False", "    return True"]
    return lines


def _map_source(schema: dict[str, Any], src: _Source, response: bool) -> list[str]:
    key = _inline(_ref_name(schema["propertyNames"]), "k", src, response)
    value = _inline(_ref_name(schema["additionalProperties"]), "v", src, response)
    size = _length(schema, "len(x)", "minProperties", "maxProperties")
    lines = ["    if type(x) is not dict: return False"]
    if size:
        lines.append(f"    if not ({' and '.join(size)}): return False")
    lines += [
        "    for k, v in x.items():",
        f"        if not ({key} and {value}): return False",
        "    return True",
    ]
    return lines


def _structure_source(
    shape: str, schema: dict[str, Any], src: _Source, response: bool
) -> list[str]:
    required = set(schema.get("required", ()))
    lines = ["    if type(x) is not dict: return False", "    get = x.get", "    n = 0"]
    for name, ref in schema["properties"].items():
        check = _inline(member_shape(shape, name, ref, response), "v", src, response)
        lines.append(f"    v = get({name!r}, _MISSING)")
        if name in required:
            lines += ["    if v is _MISSING: return False", f"    if not {check}: return False"]
            lines.append("    n += 1")
        else:
            lines += ["    if v is not _MISSING:", f"        if not {check}: return False"]
            lines.append("        n += 1")
    lines.append("    return n == len(x)")  # anything uncounted is a member the model lacks
    return lines


@cache
def compiled(shape: str, response: bool = False) -> Check:
    """The yes/no validator of one model shape (wire form); `response` applies RESPONSE_OVERRIDES."""
    schema = schema_document()["$defs"][shape]
    kind = schema.get("type")
    src = _Source()
    if kind == "array":
        body = _array_source(schema, src, response)
    elif kind == "object" and "propertyNames" in schema:
        body = _map_source(schema, src, response)
    elif kind == "object":
        body = _structure_source(shape, schema, src, response)
    else:
        body = [f"    return {_inline(shape, 'x', src, response)}"]
    code = "def check(x):\n" + "\n".join(body) + "\n"
    exec(compile(code, f"<validator {shape}>", "exec"), src.env)
    check: Check = src.env["check"]
    return check
