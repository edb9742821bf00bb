"""The compiled validators, the `explain` walker and jsonschema (the reference) agree on every verdict
for values in the deserializer's canonical form (no float for an integer, no infinite or far-off
timestamp: those take the deserializer's path, tested in test_deserialize.py)."""

from __future__ import annotations

import contextlib
import re
from functools import cache
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_mock.shapes import operation, operation_names, schema_document
from cognito_mock.strategies import minimal_value, pattern_breaker, string_example
from cognito_mock.validation.compiled import _CLASS_ONLY, REQUEST_OVERRIDES, _Passed, compiled
from cognito_mock.validation.explain import explain

DEFS = schema_document()["$defs"]
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.integers(-(10**6), 10**6).map(lambda whole: whole + 0.5),  # never an integer's value
    st.text(max_size=5),
)


def _request_defs() -> dict[str, Any]:
    """DEFS with the members the validators deliberately check against another shape."""
    defs = dict(DEFS)
    for (shape, member), target in REQUEST_OVERRIDES.items():
        properties = {**defs[shape]["properties"], member: {"$ref": f"#/$defs/{target}"}}
        defs[shape] = {**defs[shape], "properties": properties}
    return defs


@cache
def reference(shape: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{shape}", "$defs": _request_defs()})


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _strings(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    lo, hi = schema.get("minLength", 0), schema.get("maxLength")
    options: list[st.SearchStrategy[Any]] = [st.text(max_size=8)]
    if "enum" in schema:
        options.append(st.sampled_from(schema["enum"]))
    pattern = schema.get("pattern")
    for size in {lo, max(lo, 1), (hi or lo + 3), (hi or lo + 3) + 1}:
        with contextlib.suppress(ValueError):  # the pattern may not allow that length
            options.append(st.just(string_example(pattern, size, None)))
    if pattern:
        bad = pattern_breaker(pattern, lo, hi)
        if bad is not None:
            options.append(st.just(bad))
    return st.one_of(options)


def values(shape: str, depth: int = 0) -> st.SearchStrategy[Any]:
    """Mostly-valid values of `shape` with frequent, varied breakages."""
    schema = DEFS[shape]
    kind = schema.get("type")
    wrong = JSON_SCALARS if depth < 3 else st.none()
    if kind == "string":
        base: st.SearchStrategy[Any] = _strings(schema)
    elif kind == "integer":
        lo, hi = schema.get("minimum", -3), schema.get("maximum", 10**6)
        base = st.integers(lo - 2, hi + 2)
    elif kind == "number":
        base = st.one_of(st.integers(0, 2**31), st.floats(0, 2e9))
    elif kind == "boolean":
        base = st.booleans()
    elif kind == "array":
        hi = min(schema.get("maxItems", 3), 3) + 1
        base = st.lists(values(_ref(schema["items"]), depth + 1), max_size=hi)
    elif kind == "object" and "propertyNames" in schema:
        base = st.dictionaries(
            _strings(DEFS[_ref(schema["propertyNames"])]),
            values(_ref(schema["additionalProperties"]), depth + 1),
            max_size=2,
        )
    elif kind == "object":
        members = schema["properties"]
        required = schema.get("required", [])
        optional = [m for m in members if m not in required]
        base = st.fixed_dictionaries(
            {m: values(_ref(members[m]), depth + 1) for m in required if depth < 4},
            optional={m: values(_ref(members[m]), depth + 1) for m in optional[:6] if depth < 3},
        ) | st.just(minimal_value(shape))
    else:
        base = JSON_SCALARS
    return st.one_of(base, base, base, wrong) if depth else base


@pytest.mark.parametrize("op", operation_names())
@settings(max_examples=15)
@given(data=st.data())
def test_request_verdicts_agree_with_jsonschema(op: str, data: st.DataObject) -> None:
    shape = operation(op).input
    value = data.draw(values(shape))
    expected = reference(shape).is_valid(value)
    assert compiled(shape)(value) is expected
    assert (explain(shape, value) == []) is expected


@pytest.mark.parametrize("value", [1.0, 5.5, float("inf"), True, 2e20])
def test_only_canonical_values_pass_the_compiled_checks(value: float) -> None:
    # jsonschema calls 1.0 an integer and 2e20 a number; the service converts or refuses them
    # first, so the compiled checks send them to the deserializer.
    assert reference("ListUsersRequest").is_valid({"UserPoolId": "a_b", "Limit": 1.0})
    assert not compiled("ListUsersRequest")({"UserPoolId": "a_b", "Limit": value})
    assert not compiled("CreateUserImportJobRequest")(
        {"JobName": "j", "UserPoolId": "a_b", "CloudWatchLogsRoleArn": "arn:aws:iam::1:role/r",
         "Extra": value}
    )  # fmt: skip


@pytest.mark.parametrize(
    "shape", ["UserPoolType", "UserPoolClientType", "UserType", "AuthenticationResultType"]
)
@settings(max_examples=60)
@given(data=st.data())
def test_deep_shapes_agree_with_jsonschema(shape: str, data: st.DataObject) -> None:
    value = data.draw(values(shape))
    expected = reference(shape).is_valid(value)
    assert compiled(shape)(value) is expected
    assert (explain(shape, value) == []) is expected


def test_every_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema({"$defs": DEFS})


LONG_CLASS_SHAPES = [
    name
    for name, schema in DEFS.items()
    if schema.get("type") == "string"
    and _CLASS_ONLY.fullmatch(schema.get("pattern", ""))
    and schema.get("maxLength", 2048) > 48
]


@pytest.mark.parametrize("shape", LONG_CLASS_SHAPES)
@settings(max_examples=10)
@given(data=st.data())
def test_long_values_of_one_class_patterns_agree_with_jsonschema(
    shape: str, data: st.DataObject
) -> None:
    # Long ASCII values take the byte test (compiled._pattern_term), not the regex.
    schema = DEFS[shape]
    allowed = [chr(b) for b in range(128) if re.fullmatch(schema["pattern"], chr(b))]
    size = data.draw(st.integers(49, min(schema.get("maxLength", 2048), 2048)))
    text = "".join(data.draw(st.lists(st.sampled_from(allowed), min_size=size, max_size=size)))
    intruder = data.draw(st.sampled_from(['"', "\\", "\x00", " ", "~", "é", "\x7f", "a", "."]))
    at = data.draw(st.integers(0, size))
    # Twice each: the second check of a value that passed is a lookup (compiled._Passed).
    for value in (text, text[:at] + intruder + text[at:], text, text[:at] + intruder + text[at:]):
        assert compiled(shape)(value) is reference(shape).is_valid(value), value


def test_a_long_value_is_remembered_only_once_it_passed_and_the_memory_is_bounded() -> None:
    passed = _Passed(b"ab")
    assert passed.scan("ab" * 30) and passed.get("ab" * 30)
    assert not passed.scan("ab" * 30 + "c") and passed.get("ab" * 30 + "c") is None
    for n in range(_Passed.LIMIT):  # the last one finds it full: it starts again
        passed.scan("a" * (49 + n))
    assert len(passed.values) == 1 and passed.get("ab" * 30) is None
