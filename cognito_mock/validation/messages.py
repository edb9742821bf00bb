"""Wording of validation failures: the service's `InvalidParameterException` text and contract paths."""

from __future__ import annotations

import re
from typing import Any

from cognito_mock.validation.explain import MISSING, MapKey, Path, Violation

__all__ = ["ECHO_LIMIT", "aws_path", "json_path", "render_value", "service_message"]


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


# An echoed value is cut to this many characters (then `...`): a 1 MB value must not make a
# 1 MB error message. Above the longest common maximum (2,048), so a value one character too
# long for most members is still echoed whole.
ECHO_LIMIT = 4096
_MAX_NESTING = 16  # deeper containers print as `...`
_SURROGATE = re.compile("[\ud800-\udfff]")


def render_value(value: Any, limit: int = ECHO_LIMIT) -> str:
    """Java's toString of a deserialized value, as the service prints it: at most `limit`
    characters of it (then `...`), unpaired surrogates as `?` (as Java's UTF-8 encoder writes them)."""
    out: list[str] = []
    _render(value, out, [limit + 1], 0)
    text = "".join(out)
    if len(text) > limit:
        text = text[:limit] + "..."
    return _SURROGATE.sub("?", text)


def _render(value: Any, out: list[str], budget: list[int], depth: int) -> None:
    """Append `value`'s text to `out` until `budget[0]` characters are spent (no deeper)."""

    def emit(text: str) -> None:
        out.append(text[: max(budget[0], 0)])
        budget[0] -= len(text)

    if budget[0] <= 0:
        return
    if value is True or value is False:
        emit("true" if value else "false")
    elif isinstance(value, (list, tuple, dict)):
        if depth >= _MAX_NESTING:
            emit("...")
            return
        items = value.items() if isinstance(value, dict) else enumerate(value)
        emit("{" if isinstance(value, dict) else "[")
        for index, (key, item) in enumerate(items):
            if budget[0] <= 0:
                return
            if index:
                emit(", ")
            if isinstance(value, dict):
                emit(f"{str(key)[: max(budget[0], 0)]}=")
            _render(item, out, budget, depth + 1)
        emit("}" if isinstance(value, dict) else "]")
    elif isinstance(value, str):
        emit(value[: budget[0]])
    elif type(value) is int and value.bit_length() > 4096:
        emit("<a number of over 1,200 digits>")  # str() refuses ints this long
    else:
        emit(str(value)[: budget[0]])


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
