"""The user-pool attribute schema: standard attributes, custom and developer-only attributes."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.errors import InvalidParameterException

__all__ = [
    "BAD_DATA_TYPE",
    "MAX_STRING_LENGTH",
    "STANDARD_ATTRIBUTES",
    "VERIFIABLE",
    "VERIFIED_FLAG",
    "build_schema",
    "check_attributes",
    "checked_constraints",
    "custom_attribute",
    "is_standard",
    "looks_like_email",
    "looks_like_phone",
    "missing_required",
    "schema_problems",
]

_TEXT = ["name", "given_name", "family_name", "middle_name", "nickname", "preferred_username",
         "profile", "picture", "website", "email", "gender", "zoneinfo", "locale",
         "phone_number", "address"]  # fmt: skip


def _string(name: str, lo: str = "0", hi: str = "2048", mutable: bool = True, required: bool = False
            ) -> dict[str, Any]:  # fmt: skip
    return {"Name": name, "AttributeDataType": "String", "DeveloperOnlyAttribute": False,
            "Mutable": mutable, "Required": required,
            "StringAttributeConstraints": {"MinLength": lo, "MaxLength": hi}}  # fmt: skip


def _boolean(name: str) -> dict[str, Any]:
    return {"Name": name, "AttributeDataType": "Boolean", "DeveloperOnlyAttribute": False,
            "Mutable": True, "Required": False}  # fmt: skip


# The order DescribeUserPool reports them in (fact sheet section 9.1).
STANDARD_ATTRIBUTES: list[dict[str, Any]] = [
    _string("sub", lo="1", mutable=False, required=True),
    *[_string(n) for n in _TEXT[:10]],
    _boolean("email_verified"),
    _string("gender"),
    _string("birthdate", lo="10", hi="10"),
    _string("zoneinfo"),
    _string("locale"),
    _string("phone_number"),
    _boolean("phone_number_verified"),
    _string("address"),
    {"Name": "updated_at", "AttributeDataType": "Number", "DeveloperOnlyAttribute": False,
     "Mutable": True, "Required": False, "NumberAttributeConstraints": {"MinValue": "0"}},
]  # fmt: skip
_STANDARD_BY_NAME = {a["Name"]: a for a in STANDARD_ATTRIBUTES}


# The service's refusal of a schema entry with no (or another) data type: published for a custom
# attribute without one and for a standard attribute changed after creation.
BAD_DATA_TYPE = (
    "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
)
MAX_STRING_LENGTH = 2048  # the longest value any attribute may hold (AttributeValueType)
_WHOLE = re.compile(r"-?[0-9]{1,18}")


def _bound(name: str, kind: str, field: str, value: Any, *, low: int | None) -> int | None:
    """A constraint bound (a string of digits in the model) as an int; None when absent."""
    if value is None:
        return None
    if not isinstance(value, str) or not _WHOLE.fullmatch(value):
        raise InvalidParameterException(
            f"Invalid {kind} for attribute {name}: {field} must be a whole number."
        )
    number = int(value)
    if low is not None and not low <= number <= MAX_STRING_LENGTH:
        raise InvalidParameterException(
            f"Invalid {kind} for attribute {name}: {field} must be from {low} to "
            f"{MAX_STRING_LENGTH}."
        )
    return number


def checked_constraints(name: str, spec: dict[str, Any], data_type: str) -> dict[str, str] | None:
    """The entry's constraints for `data_type` as the service keeps them, after its checks
    (the values are later read as numbers, so a bad one must never be stored)."""
    if data_type == "String":
        kind, low_key, high_key, low = "StringAttributeConstraints", "MinLength", "MaxLength", 0
    elif data_type == "Number":
        kind, low_key, high_key, low = "NumberAttributeConstraints", "MinValue", "MaxValue", None
    else:
        return None
    given = dict(spec.get(kind) or {})
    lowest = _bound(name, kind, low_key, given.get(low_key), low=low)
    highest = _bound(name, kind, high_key, given.get(high_key), low=low)
    if lowest is not None and highest is not None and lowest > highest:
        raise InvalidParameterException(
            f"Invalid {kind} for attribute {name}: {low_key} must not be greater than {high_key}."
        )
    return given


def custom_attribute(spec: dict[str, Any]) -> dict[str, Any]:
    """The stored schema entry for a custom attribute request (`custom:` / `dev:custom:` name)."""
    if not spec.get("Name"):  # optional in the model, needed by the service
        raise InvalidParameterException("Attribute name must not be null.")
    kind = spec.get("AttributeDataType")
    if kind is None:  # optional in the model, needed by the service for a new attribute
        raise InvalidParameterException(BAD_DATA_TYPE)
    if spec.get("Required"):
        raise InvalidParameterException("Required custom attributes are not supported currently.")
    developer = bool(spec.get("DeveloperOnlyAttribute", False))
    name = ("dev:custom:" if developer else "custom:") + spec["Name"]
    entry: dict[str, Any] = {
        "Name": name,
        "AttributeDataType": kind,
        "DeveloperOnlyAttribute": developer,
        "Mutable": bool(spec.get("Mutable", True)),
        "Required": False,
    }
    constraints = checked_constraints(name, spec, kind)
    if constraints is not None:
        entry[f"{kind}AttributeConstraints"] = constraints
    return entry


def build_schema(requested: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pool's full schema: standard attributes (with requested overrides) then custom ones."""
    schema = clone(STANDARD_ATTRIBUTES)
    by_name = {a["Name"]: a for a in schema}
    custom: list[dict[str, Any]] = []
    seen: set[str] = set()
    for spec in requested:
        name = spec.get("Name")
        if not name:  # optional in the model, needed by the service
            raise InvalidParameterException("Attribute name must not be null.")
        if name in seen:
            raise InvalidParameterException(f"Duplicate attribute name: {name}")
        seen.add(name)
        standard = by_name.get(name)
        if standard is None:
            custom.append(custom_attribute(spec))
            continue
        if name == "sub":
            raise InvalidParameterException("sub attribute cannot be modified.")
        if (
            spec.get("AttributeDataType", standard["AttributeDataType"])
            != standard["AttributeDataType"]
        ):
            raise InvalidParameterException(BAD_DATA_TYPE)  # a standard attribute keeps its type
        for key in ("Required", "Mutable"):
            if key in spec:
                standard[key] = bool(spec[key])
        if spec.get("StringAttributeConstraints") and "StringAttributeConstraints" in standard:
            merged = {
                **standard["StringAttributeConstraints"],
                **spec["StringAttributeConstraints"],
            }
            standard["StringAttributeConstraints"] = checked_constraints(
                name, {"StringAttributeConstraints": merged}, "String"
            )
    if len(custom) > 50:
        raise InvalidParameterException("A user pool can have at most 50 custom attributes.")
    return schema + custom


def is_standard(name: str) -> bool:
    return name in _STANDARD_BY_NAME


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+[0-9]{5,15}$")
_SCHEMA_ERROR = "Attributes did not conform to the schema: "
VERIFIABLE = ("email", "phone_number")
VERIFIED_FLAG = {"email": "email_verified", "phone_number": "phone_number_verified"}


def looks_like_email(value: str) -> bool:
    return _EMAIL.match(value) is not None


def looks_like_phone(value: str) -> bool:
    return _PHONE.match(value) is not None


def _check_value(entry: dict[str, Any], name: str, value: str) -> str | None:
    """The schema complaint about one value, or None when it fits."""
    kind = entry.get("AttributeDataType", "String")
    if kind == "String":
        limits = entry.get("StringAttributeConstraints") or {}
        if "MaxLength" in limits and len(value) > int(limits["MaxLength"]):
            return f"{name}: String must be no longer than {limits['MaxLength']} characters"
        if "MinLength" in limits and len(value) < int(limits["MinLength"]) and value:
            return f"{name}: String must be no shorter than {limits['MinLength']} characters"
    elif kind == "Number":
        try:
            number = int(value)
        except ValueError:
            return f"{name}: Number must be a valid integer"
        limits = entry.get("NumberAttributeConstraints") or {}
        if "MinValue" in limits and number < int(limits["MinValue"]):
            return f"{name}: Number must be greater than or equal to {limits['MinValue']}"
        if "MaxValue" in limits and number > int(limits["MaxValue"]):
            return f"{name}: Number must be less than or equal to {limits['MaxValue']}"
    elif kind == "Boolean" and value.lower() not in ("true", "false"):
        return f"{name}: Attribute value must be true or false"
    elif kind == "DateTime" and not value:
        return f"{name}: DateTime must not be empty"
    return None


def schema_problems(problems: list[str], *, creating: bool) -> str:
    """The service's text for attribute problems, one per line (each ending in a newline):
    `Attributes did not conform to the schema: <name>: <problem>` when a user is created,
    `user.<name>: <problem>` when one is updated (both as published responses show them)."""
    if creating:
        return _SCHEMA_ERROR + "".join(f"{problem}\n" for problem in problems)
    return "".join(f"user.{problem}\n" for problem in problems)


# A rule per schema entry: (entry, data type, (min, max) length for a String else None, Mutable).
_Rule = tuple[dict[str, Any], str, "tuple[int, int] | None", bool]
# schema list -> (that list, its length then, its rules by name). The list is held, so its id is
# not reused while cached; a schema only ever grows (AddCustomAttributes), so the length says
# when to compile again. Bounded: emptied when full.
_RULES: dict[int, tuple[list[dict[str, Any]], int, dict[str, _Rule]]] = {}


def _rules(schema: list[dict[str, Any]]) -> dict[str, _Rule]:
    found = _RULES.get(id(schema))
    if found is not None and found[0] is schema and found[1] == len(schema):
        return found[2]
    rules: dict[str, _Rule] = {}
    for entry in schema:
        kind = entry.get("AttributeDataType", "String")
        bounds = None
        if kind == "String":
            limits = entry.get("StringAttributeConstraints") or {}
            # Not numbers: every value takes `_check_value`'s path, as before.
            with contextlib.suppress(AttributeError, TypeError, ValueError):
                bounds = (int(limits.get("MinLength", 0)), int(limits.get("MaxLength", 1 << 62)))
        rules[entry["Name"]] = (entry, kind, bounds, bool(entry.get("Mutable", True)))
    if len(_RULES) >= 256:
        _RULES.clear()
    _RULES[id(schema)] = (schema, len(schema), rules)
    return rules


def check_attributes(
    schema: list[dict[str, Any]],
    attributes: list[dict[str, Any]],
    *,
    developer: bool,
    creating: bool,
) -> dict[str, str]:
    """Validate a request's `[{Name, Value}]` against the pool schema; return them as a dict,
    Boolean values lower-cased (the service compares them case-insensitively).

    `developer` is true for IAM (Admin*) calls, which may write `dev:` attributes; `creating` allows
    writing immutable attributes.
    """
    rules = _rules(schema)
    values: dict[str, str] = {}
    problems: list[str] = []
    for item in attributes:
        name = item["Name"]
        value = item.get("Value")
        if value is None:
            raise InvalidParameterException(f"Attribute value for {name} must not be null")
        rule = rules.get(name)
        if rule is None or name == "sub" or (name.startswith("dev:") and not developer):
            problems.append(f"{name}: Attribute does not exist in the schema.")
            continue
        entry, kind, bounds, mutable = rule
        if not creating and not mutable:
            problems.append(f"{name}: Attribute cannot be updated.")
            continue
        # A String within its lengths (an empty one is never too short) needs no other look.
        if bounds is None or not (
            len(value) <= bounds[1] and (len(value) >= bounds[0] or not value)
        ):
            complaint = _check_value(entry, name, value)
            if complaint:
                problems.append(complaint)
                continue
        if name == "email" and value and not looks_like_email(value):
            raise InvalidParameterException("Invalid email address format.")
        if name == "phone_number" and value and not looks_like_phone(value):
            raise InvalidParameterException("Invalid phone number format.")
        if kind == "Boolean":
            value = value.lower()
        values[name] = value
    if problems:
        raise InvalidParameterException(schema_problems(problems, creating=creating))
    return values


def missing_required(schema: list[dict[str, Any]], values: dict[str, str]) -> None:
    """Raise the service's error if a required attribute has no value."""
    missing = [
        a["Name"]
        for a in schema
        if a.get("Required") and a["Name"] != "sub" and not values.get(a["Name"])
    ]
    if missing:
        problems = [f"{name}: The attribute is required" for name in missing]
        raise InvalidParameterException(schema_problems(problems, creating=True))
