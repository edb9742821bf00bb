"""Every boundary the strategies promise is reached, for every constrained shape of the model.

Each check is a `find()` over a fixed-seed sample (`derandomize`, generation only): within `DRAWS`
examples the boundary must turn up, and what turns up must pass the model. The expected bounds come
from the schema and from `re`'s own parser (`getwidth()`), never from the strategies' helpers.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from cognito_mock.shapes import operation, schema_document
from cognito_mock.strategies import Mode, from_operation, from_shape
from cognito_mock.strategies.valid import EDGE_COLLECTION_CAP
from cognito_mock.validation.compiled import compiled

DEFS = schema_document()["$defs"]
# A found maximum (a 1 MB asset, a map of 131,072-character keys) makes a large repr; expected.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")
DRAWS = 200
SAMPLE = settings(
    max_examples=DRAWS,
    database=None,
    derandomize=True,
    deadline=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _found(
    strategy: st.SearchStrategy[Any], wanted: Callable[[Any], bool], draws: int = DRAWS
) -> Any:
    """The first of `draws` fixed-seed examples with `wanted`, or a failure naming the miss."""
    try:
        return find(strategy, wanted, settings=settings(SAMPLE, max_examples=draws))
    except NoSuchExample:
        pytest.fail(f"not reached in {draws} draws of {strategy!r}")


def _ref(schema: dict[str, Any]) -> str:
    return str(schema["$ref"]).rsplit("/", 1)[-1]


def _shapes(test: Callable[[str, dict[str, Any]], bool]) -> list[str]:
    return [name for name, schema in DEFS.items() if test(name, schema)]


def _is_text(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "string" and "enum" not in schema and "x-aws-type" not in schema


def _length_bounds(schema: dict[str, Any]) -> tuple[int, int | None]:
    """What the model allows: the schema's bounds narrowed by what the pattern can match."""
    lo, hi = schema.get("minLength", 0), schema.get("maxLength")
    if "pattern" in schema:
        width_lo, width_hi = sre_parse.parse(schema["pattern"]).getwidth()
        lo = max(lo, width_lo)
        if width_hi < sre.MAXREPEAT:
            hi = width_hi if hi is None else min(hi, width_hi)
    return lo, hi


CONSTRAINED_STRINGS = _shapes(
    lambda _, s: _is_text(s) and ("maxLength" in s or "pattern" in s or "minLength" in s)
)


def test_the_model_has_the_shapes_these_tests_walk() -> None:
    assert len(CONSTRAINED_STRINGS) > 90
    assert "UserPoolIdType" in CONSTRAINED_STRINGS and "ArnType" in CONSTRAINED_STRINGS


@pytest.mark.parametrize("shape", CONSTRAINED_STRINGS)
def test_edge_strings_reach_their_shortest_and_longest_length(shape: str) -> None:
    lo, hi = _length_bounds(DEFS[shape])
    edge = from_shape(shape, mode="edge")
    shortest = _found(edge, lambda v: len(v) == lo)
    assert compiled(shape)(shortest), shortest
    if hi is not None:
        longest = _found(edge, lambda v: len(v) == hi)
        assert compiled(shape)(longest), longest[:80]


def test_a_user_pool_id_is_at_its_maximum_in_a_third_of_edge_examples() -> None:
    # `[\w-]+_[0-9a-zA-Z]+`, at most 55: the part after `_` must fill what the first leaves.
    seen: list[str] = []

    @settings(SAMPLE, max_examples=200)
    @given(from_shape("UserPoolIdType", mode="edge"))
    def collect(value: str) -> None:
        seen.append(value)

    collect()
    at_max = sum(len(v) == 55 for v in seen)
    assert at_max >= len(seen) // 4, (at_max, len(seen))
    assert all(compiled("UserPoolIdType")(v) for v in seen)


def _optional_groups(pattern: str) -> list[int]:
    """Capturing groups a match may leave out: under a repeat that allows 0, or in a branch."""
    found: list[int] = []

    def walk(parsed: Any, optional: bool) -> None:
        for op, av in parsed:
            if op is sre.SUBPATTERN:
                if av[0] is not None and optional:
                    found.append(av[0])
                walk(av[-1], optional)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                walk(av[2], optional or av[0] == 0)
            elif op is sre.BRANCH:
                for branch in av[1]:
                    walk(branch, True)

    walk(sre_parse.parse(pattern), False)
    return found


OPTIONAL_GROUPS = [
    pytest.param(name, group, id=f"{name}-{group}")
    for name, schema in DEFS.items()
    if _is_text(schema) and "pattern" in schema
    for group in _optional_groups(schema["pattern"])
]


def test_the_model_has_optional_groups() -> None:
    assert ("ArnType", 3) in [tuple(p.values) for p in OPTIONAL_GROUPS]  # the `:qualifier`
    assert len(OPTIONAL_GROUPS) >= 12


@pytest.mark.parametrize(("shape", "group"), OPTIONAL_GROUPS)
def test_valid_strings_have_every_optional_group_both_present_and_absent(
    shape: str, group: int
) -> None:
    # Absent or empty: a greedy `([x]*)?` matches the empty string rather than skip the group.
    search = re.compile(DEFS[shape]["pattern"]).search
    valid = from_shape(shape)

    def present(value: str) -> bool:
        match = search(value)
        assert match is not None, value
        return bool(match.group(group))

    _found(valid, present)
    _found(valid, lambda v: not present(v))


_ALTERNATIVES = re.compile(r"\(((?:[\w-]+\|)+[\w-]+)\)")
ALTERNATIVES = [
    pytest.param(name, choice, id=f"{name}-{choice}")
    for name, schema in DEFS.items()
    if _is_text(schema) and "pattern" in schema
    for group in _ALTERNATIVES.findall(schema["x-java-pattern"])
    for choice in group.split("|")
]


def test_the_model_has_alternatives() -> None:
    # AWS partitions of a secret ARN, `chinese-(simplified|traditional)`, session id prefixes,
    # terms names.
    assert len(ALTERNATIVES) == 9


@pytest.mark.parametrize(("shape", "choice"), ALTERNATIVES)
def test_valid_strings_take_every_branch_of_an_alternation(shape: str, choice: str) -> None:
    search = re.compile(DEFS[shape]["pattern"]).search

    def chose(value: str) -> bool:
        match = search(value)
        assert match is not None, value
        return choice in match.groups()

    _found(from_shape(shape), chose)


COLLECTIONS = _shapes(
    lambda _, s: s.get("type") == "array" or (s.get("type") == "object" and "propertyNames" in s)
)


def _size_bounds(schema: dict[str, Any]) -> tuple[int, int]:
    if schema.get("type") == "array":
        lo, hi = schema.get("minItems", 0), schema.get("maxItems")
    else:
        lo, hi = schema.get("minProperties", 0), schema.get("maxProperties")
        keys = DEFS[_ref(schema["propertyNames"])]
        if "enum" in keys:
            hi = len(keys["enum"]) if hi is None else min(hi, len(keys["enum"]))
    # Unbounded collections: edge examples hold a few entries above the minimum.
    return lo, lo + EDGE_COLLECTION_CAP if hi is None else hi


def test_the_model_has_bounded_maps_and_lists() -> None:
    bounded = [n for n in COLLECTIONS if "maxItems" in DEFS[n] or "maxProperties" in DEFS[n]]
    assert {"AcrConfigurationType", "LinksType", "SessionsListType"} <= set(bounded)
    assert len(bounded) >= 25


@pytest.mark.parametrize("shape", COLLECTIONS)
def test_edge_maps_and_lists_are_empty_and_full(shape: str) -> None:
    lo, hi = _size_bounds(DEFS[shape])
    edge = from_shape(shape, mode="edge")
    for size in (lo, hi):
        found = _found(edge, lambda v, n=size: len(v) == n)
        assert compiled(shape)(found)


def test_a_full_acr_configuration_holds_all_four_levels() -> None:
    full = _found(from_shape("AcrConfigurationType", mode="edge"), lambda v: len(v) == 4)
    assert sorted(full) == ["Level1", "Level2", "Level3", "Level4"]
    languages = _found(from_shape("LinksType", mode="edge"), lambda v: len(v) == 13)
    assert "cognito:chinese-traditional" in languages


INTEGERS = _shapes(lambda _, s: s.get("type") == "integer" and "maximum" in s)


@pytest.mark.parametrize("shape", INTEGERS)
def test_edge_integers_reach_both_bounds(shape: str) -> None:
    edge = from_shape(shape, mode="edge")
    for bound in (DEFS[shape].get("minimum", -(2**31)), DEFS[shape]["maximum"]):
        assert _found(edge, lambda v, b=bound: v == b) == bound


BLOBS = _shapes(lambda _, s: s.get("x-aws-type") == "blob")


@pytest.mark.parametrize("shape", BLOBS)
def test_blob_bounds_are_bytes_of_the_decoded_value(shape: str) -> None:
    most = DEFS[shape]["x-aws-max-bytes"]
    edge = from_shape(shape, mode="edge")
    longest = _found(edge, lambda v: len(base64.b64decode(v, validate=True)) == most)
    assert compiled(shape)(longest)
    assert _found(edge, lambda v: v == "") == ""

    @settings(SAMPLE, max_examples=30)
    @given(from_shape(shape))
    def check(value: str) -> None:
        assert len(base64.b64decode(value, validate=True)) <= most

    check()


def test_invalid_blobs_are_one_byte_too_long() -> None:
    case = _found(
        from_operation("SetUICustomization", mode="invalid"),
        lambda c: c.path == "imageFile" and "length" in c.constraint,
    )
    assert len(base64.b64decode(case.request["ImageFile"])) == 131_073
    assert case.constraint == "Member must have length less than or equal to 131072"
    assert "java.nio.HeapByteBuffer[pos=0 lim=131073 cap=131073]" in case.message


STRUCTURES = _shapes(
    lambda _, s: (
        s.get("type") == "object"
        and "properties" in s
        and not s.get("x-aws-exception")
        and set(s["properties"]) != set(s.get("required", ()))
    )
)


@pytest.mark.parametrize("shape", STRUCTURES)
def test_edge_structures_have_no_and_every_optional_member(shape: str) -> None:
    members, required = set(DEFS[shape]["properties"]), set(DEFS[shape].get("required", ()))
    edge = from_shape(shape, mode="edge")
    assert compiled(shape)(_found(edge, lambda v: set(v) == members))
    assert compiled(shape)(_found(edge, lambda v: set(v) == required))


@pytest.mark.parametrize("mode", ["valid", "edge"])
@pytest.mark.parametrize(
    ("op", "member"),
    [
        ("AdminCreateUser", "UserAttributes"),
        ("AdminInitiateAuth", "ClientMetadata"),
        ("UpdateUserPoolClient", "RefreshTokenValidity"),
        ("UpdateUserPoolDomain", "Routing"),
        ("ListUsers", "Limit"),
    ],
)
def test_requests_shrink_towards_the_fewest_optional_members(
    op: str, member: str, mode: Mode
) -> None:
    # Each optional member's presence shrinks to "absent" on its own (in edge mode whatever the
    # example's bias), so a failure needing one member shrinks to it and the required ones.
    smallest = find(
        from_operation(op, mode=mode),
        lambda r: member in r,
        settings=settings(database=None, derandomize=True),
    )
    assert set(smallest) == {member, *DEFS[operation(op).input]["required"]}
