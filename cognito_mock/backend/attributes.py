"""The user-pool attribute schema: standard attributes, custom and developer-only attributes."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.jsontree import clone
from cognito_mock.errors import InvalidParameterException

__all__ = ["STANDARD_ATTRIBUTES", "build_schema", "custom_attribute"]

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


def custom_attribute(spec: dict[str, Any]) -> dict[str, Any]:
    """The stored schema entry for a custom attribute request (`custom:` / `dev:custom:` name)."""
    kind = spec.get("AttributeDataType", "String")
    if spec.get("Required"):
        raise InvalidParameterException("Required custom attributes are not supported currently.")
    developer = bool(spec.get("DeveloperOnlyAttribute", False))
    prefix = "dev:custom:" if developer else "custom:"
    entry: dict[str, Any] = {
        "Name": prefix + spec["Name"],
        "AttributeDataType": kind,
        "DeveloperOnlyAttribute": developer,
        "Mutable": bool(spec.get("Mutable", True)),
        "Required": False,
    }
    if kind == "String":
        entry["StringAttributeConstraints"] = dict(spec.get("StringAttributeConstraints") or {})
    elif kind == "Number":
        entry["NumberAttributeConstraints"] = dict(spec.get("NumberAttributeConstraints") or {})
    return entry


def build_schema(requested: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pool's full schema: standard attributes (with requested overrides) then custom ones."""
    schema = clone(STANDARD_ATTRIBUTES)
    by_name = {a["Name"]: a for a in schema}
    custom: list[dict[str, Any]] = []
    seen: set[str] = set()
    for spec in requested:
        name = spec["Name"]
        if name in seen:
            raise InvalidParameterException(f"Duplicate attribute name: {name}")
        seen.add(name)
        standard = by_name.get(name)
        if standard is None:
            custom.append(custom_attribute(spec))
            continue
        if name == "sub":
            raise InvalidParameterException("sub attribute cannot be modified.")
        for key in ("Required", "Mutable"):
            if key in spec:
                standard[key] = bool(spec[key])
        constraints = spec.get("StringAttributeConstraints")
        if constraints and "StringAttributeConstraints" in standard:
            standard["StringAttributeConstraints"].update(constraints)
    if len(custom) > 50:
        raise InvalidParameterException("A user pool can have at most 50 custom attributes.")
    return schema + custom


def is_standard(name: str) -> bool:
    return name in _STANDARD_BY_NAME
