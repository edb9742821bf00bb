"""Meta-tests of `from_operation` / `from_shape`: each mode's examples are what they claim to be."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

import cognito_mock.strategies as strategies
from cognito_mock.shapes import operation, operation_names, schema_document
from cognito_mock.strategies import InvalidRequest, from_operation, from_shape
from cognito_mock.validation import request_violations
from cognito_mock.validation.messages import aws_path

DEFS = schema_document()["$defs"]
EXAMPLES = max(5, settings.default.max_examples // 8)
META = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Reaching a boundary needs no shrinking; a fixed seed and no database keep CI runs alike.
SAMPLE = settings(max_examples=100, database=None, derandomize=True, phases=[Phase.generate])


@pytest.mark.parametrize("op", operation_names())
def test_valid_and_edge_examples_pass_the_model(op: str) -> None:
    @META
    @given(from_operation(op), from_operation(op, mode="edge"))
    def check(valid: dict[str, Any], edge: dict[str, Any]) -> None:
        assert request_violations(op, valid) == []
        assert request_violations(op, edge) == []

    check()


@pytest.mark.parametrize("op", operation_names())
def test_invalid_examples_break_exactly_the_labelled_constraint(op: str) -> None:
    @META
    @given(from_operation(op, mode="invalid"))
    def check(case: InvalidRequest) -> None:
        found = request_violations(op, case.request)
        assert len(found) == 1, found
        assert (aws_path(found[0].path), found[0].constraint) == (case.path, case.constraint)
        assert case.message.startswith("1 validation error detected: ")

    check()


@pytest.mark.parametrize(
    ("op", "kind"),
    [
        ("AdminGetUser", "Member must not be null"),
        ("AdminGetUser", "Member must satisfy regular expression pattern"),
        ("AdminGetUser", "Member must have length less than"),
        ("AdminGetUser", "Member must be a string"),
        ("VerifySoftwareToken", "Member must have length greater than"),
        ("AdminCreateUser", "Member must satisfy enum value set"),
        ("AdminCreateUser", "Member must be a list"),
        ("ListUsers", "Member must have value less than"),
        ("ListUsers", "Member must have value greater than"),
        ("CreateUserPool", "Member must be a structure"),
    ],
)
def test_invalid_mode_reaches_every_kind_of_constraint(op: str, kind: str) -> None:
    found = find(
        from_operation(op, mode="invalid"),
        lambda case: case.constraint.startswith(kind),
        settings=settings(max_examples=1000, database=None, phases=[Phase.generate]),
    )
    assert request_violations(op, found.request)[0].constraint == found.constraint


def test_edge_mode_reaches_both_length_bounds() -> None:
    # UsernameType is 1..128 characters.
    edge = from_shape("UsernameType", mode="edge")
    longest = find(edge, lambda v: len(v) == 128, settings=SAMPLE)
    shortest = find(edge, lambda v: len(v) == 1, settings=SAMPLE)
    assert (len(longest), len(shortest)) == (128, 1)
    unicode = find(edge, lambda v: any(ord(c) > 0xFFFF for c in v), settings=SAMPLE)
    assert request_violations("AdminGetUser", {"UserPoolId": "a_b", "Username": unicode}) == []


@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # every member at its longest
def test_edge_mode_fills_every_optional_member_and_every_enum_value() -> None:
    members = set(DEFS[operation("CreateUserPool").input]["properties"])
    edge = from_operation("CreateUserPool", mode="edge")
    full = find(edge, lambda r: set(r) == members, settings=SAMPLE)
    assert set(full) == members
    for value in DEFS["UserStatusType"]["enum"]:
        found = find(from_shape("UserStatusType", mode="edge"), lambda v, w=value: v == w)
        assert found == value


def test_valid_examples_shrink_towards_required_members() -> None:
    smallest = find(
        from_operation("CreateUserPool"),
        lambda r: True,
        settings=settings(database=None, derandomize=True),
    )
    assert set(smallest) == set(DEFS[operation("CreateUserPool").input]["required"])
    assert find(from_operation("ListUsers"), lambda r: "Limit" in r)["Limit"] == 0


def test_argument_errors_are_raised_on_use_not_at_creation() -> None:
    bad = [
        (from_operation("NoSuchOperation"), "'NoSuchOperation' is not an operation of the"),
        (from_shape("NoSuchShape"), "'NoSuchShape' is not a shape of the"),
        (from_operation("AdminGetUser", mode="bogus"), "mode must be one of valid, edge, invalid"),  # type: ignore[arg-type]
    ]
    for strategy, why in bad:
        with pytest.raises(ValueError, match=why):
            _draw_once(strategy)


def test_public_names() -> None:
    for name in strategies.__all__:
        assert hasattr(strategies, name), name
    assert {"from_operation", "from_shape", "InvalidRequest", "passwords", "usernames"} <= set(
        strategies.__all__
    )


def _draw_once(strategy: st.SearchStrategy[Any]) -> None:
    @settings(max_examples=1, database=None, deadline=None)
    @given(strategy)
    def use(value: Any) -> None:
        pass

    use()
