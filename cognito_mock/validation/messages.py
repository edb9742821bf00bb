"""Wording of validation failures: the service's `InvalidParameterException` text and contract paths."""

from __future__ import annotations

from typing import Any

from cognito_mock.validation.explain import MISSING, MapKey, Path, Violation

__all__ = ["aws_path", "json_path", "render_value", "service_message"]


def aws_path(path: Path) -> str:
    """The service's member path: camelCase names, 1-based `n.member` for list items."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"{part + 1}.member")
        elif isinstance(part, MapKey):
            parts.append(part)
        else:
            parts.append(part[:1].lower() + part[1:])
    return ".".join(parts)


def json_path(path: Path) -> str:
    """`$.UserPool.SchemaAttributes[3].Name` for contract-violation reports."""
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def render_value(value: Any) -> str:
    """Java's toString of a deserialized value, as the service prints it."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(render_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={render_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def _describe(v: Violation) -> str:
    where = aws_path(v.path)
    if v.value is MISSING:
        subject = f"Value null at '{where}'"
    elif v.sensitive:
        subject = f"Value at '{where}'"
    else:
        subject = f"Value '{render_value(v.value)}' at '{where}'"
    return f"{subject} failed to satisfy constraint: {v.constraint}"


def service_message(violations: list[Violation]) -> str:
    """`1 validation error detected: Value '…' at 'userPoolId' failed to satisfy constraint: …`."""
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(_describe(v) for v in violations)
