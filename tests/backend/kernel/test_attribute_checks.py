"""Attribute checks against a pool schema: the compiled rules answer as checking each value did."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cognito_mock.backend.kernel import attributes as module
from cognito_mock.backend.kernel.attributes import build_schema, check_attributes, schema_problems
from cognito_mock.errors import InvalidParameterException

SCHEMA = build_schema(
    [
        {
            "Name": "code",
            "AttributeDataType": "String",
            "Mutable": False,
            "StringAttributeConstraints": {"MinLength": "3", "MaxLength": "5"},
        },
        {
            "Name": "age",
            "AttributeDataType": "Number",
            "NumberAttributeConstraints": {"MinValue": "1", "MaxValue": "99"},
        },
        {"Name": "vip", "AttributeDataType": "Boolean"},
        {"Name": "open", "AttributeDataType": "String"},
    ]
)
NAMES = ["custom:code", "custom:age", "custom:vip", "custom:open", "name", "email", "sub",
         "dev:custom:x", "nope", "email_verified", "updated_at"]  # fmt: skip


def reference(schema: list[dict[str, Any]], items: list[dict[str, Any]], developer: bool,
              creating: bool) -> dict[str, str]:  # fmt: skip
    """The check as it was written before its rules were compiled: every value to _check_value."""
    by_name = {entry["Name"]: entry for entry in schema}
    values: dict[str, str] = {}
    problems: list[str] = []
    for item in items:
        name, value = item["Name"], item.get("Value")
        if value is None:
            raise InvalidParameterException(f"Attribute value for {name} must not be null")
        entry = by_name.get(name)
        if entry is None or name == "sub" or (name.startswith("dev:") and not developer):
            problems.append(f"{name}: Attribute does not exist in the schema.")
            continue
        if not creating and not entry.get("Mutable", True):
            problems.append(f"{name}: Attribute cannot be updated.")
            continue
        complaint = module._check_value(entry, name, value)
        if complaint:
            problems.append(complaint)
            continue
        if name == "email" and value and not module.looks_like_email(value):
            raise InvalidParameterException("Invalid email address format.")
        if entry.get("AttributeDataType") == "Boolean":
            value = value.lower()
        values[name] = value
    if problems:
        raise InvalidParameterException(schema_problems(problems, creating=creating))
    return values


def outcome(check: Any, *args: Any) -> Any:
    try:
        return check(*args)
    except InvalidParameterException as error:
        return ("error", str(error))


values = st.one_of(
    st.text(max_size=8), st.sampled_from(["", "TRUE", "false", "0", "100", "x@y.zz"]),
    st.text(min_size=2040, max_size=2060, alphabet="ab"),
)  # fmt: skip


@given(
    items=st.lists(st.fixed_dictionaries({"Name": st.sampled_from(NAMES), "Value": values})),
    developer=st.booleans(),
    creating=st.booleans(),
)
def test_the_compiled_rules_answer_as_the_value_by_value_check(items, developer, creating):
    def compiled(*args: Any) -> dict[str, str]:
        return check_attributes(*args[:2], developer=args[2], creating=args[3])

    got = outcome(compiled, SCHEMA, items, developer, creating)
    assert got == outcome(reference, SCHEMA, items, developer, creating)


def test_lengths_and_their_messages():
    def check(value: str) -> dict[str, str]:
        return check_attributes(
            SCHEMA, [{"Name": "custom:code", "Value": value}], developer=False, creating=True
        )

    assert check("abcd") == {"custom:code": "abcd"} and check("") == {"custom:code": ""}
    with pytest.raises(InvalidParameterException, match="custom:code: String must be no shorter"):
        check("ab")
    with pytest.raises(InvalidParameterException, match="custom:code: String must be no longer"):
        check("abcdef")


def test_a_schema_that_grows_is_compiled_again():
    schema = build_schema([])
    item = [{"Name": "custom:late", "Value": "v"}]
    with pytest.raises(InvalidParameterException, match="does not exist in the schema"):
        check_attributes(schema, item, developer=False, creating=True)
    schema.extend(build_schema([{"Name": "late", "AttributeDataType": "String"}])[-1:])
    assert check_attributes(schema, item, developer=False, creating=True) == {"custom:late": "v"}


def test_booleans_numbers_and_immutables():
    def check(name: str, value: str, creating: bool = True) -> dict[str, str]:
        return check_attributes(
            SCHEMA, [{"Name": name, "Value": value}], developer=False, creating=creating
        )

    assert check("custom:vip", "TRUE") == {"custom:vip": "true"}  # compared case-insensitively
    with pytest.raises(InvalidParameterException, match="must be true or false"):
        check("custom:vip", "yes")
    assert check("custom:age", "42") == {"custom:age": "42"}
    with pytest.raises(InvalidParameterException, match="less than or equal to 99"):
        check("custom:age", "100")
    with pytest.raises(InvalidParameterException, match="custom:code: Attribute cannot be updated"):
        check("custom:code", "abcd", creating=False)
