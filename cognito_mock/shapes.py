"""The API model as generated into `shapes/`: the operation index and the JSON Schema document.

Found inside the installed wheel (`cognito_mock/_shapes`) or, in a checkout, next to the package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "OperationSpec",
    "index",
    "operation",
    "operation_names",
    "schema_document",
    "shapes_dir",
]


@dataclass(frozen=True)
class OperationSpec:
    name: str
    input: str
    output: str | None
    errors: frozenset[str]
    auth: str
    sensitive_input: tuple[str, ...]
    sensitive_output: tuple[str, ...]


@cache
def shapes_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "_shapes", here.parent / "shapes"):
        if (candidate / "index.json").is_file():
            return candidate
    raise FileNotFoundError("cognito-mock cannot find its shapes/ (index.json)")


@cache
def index() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shapes_dir() / "index.json").read_text("ascii"))
    return data


@cache
def schema_document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((shapes_dir() / index()["schema_file"]).read_text("ascii"))
    return data


@cache
def operation(name: str) -> OperationSpec:
    raw = index()["operations"][name]
    return OperationSpec(
        name=name,
        input=raw["input"],
        output=raw["output"],
        errors=frozenset(raw["errors"]),
        auth=raw["auth"],
        sensitive_input=tuple(raw["sensitive_input"]),
        sensitive_output=tuple(raw["sensitive_output"]),
    )


def operation_names() -> list[str]:
    return sorted(index()["operations"])
