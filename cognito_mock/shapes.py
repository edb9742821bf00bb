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
    "AMENDED_FLOWS",
    "AMENDED_FLOW_LIST",
    "CLIENT_TOKEN_FLOW",
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


# Shapes the model lacks, each the target of an override that `validation/compiled.py` declares
# where the service accepts more than its own model says. They join `$defs` under names the model
# never uses (a `+` in the name); `shapes/` itself stays exactly what the codegen writes.
CLIENT_TOKEN_FLOW = "ALLOW_CLIENT_TOKEN_AUTH"
AMENDED_FLOWS = "ExplicitAuthFlowsType+ClientToken"
AMENDED_FLOW_LIST = "ExplicitAuthFlowsListType+ClientToken"


def _amended(defs: dict[str, Any]) -> dict[str, Any]:
    """GetClientToken's documentation requires the client flow ALLOW_CLIENT_TOKEN_AUTH, which the
    1.44.8 model's ExplicitAuthFlowsType enum lacks."""
    flows = dict(defs["ExplicitAuthFlowsType"])
    flows["enum"] = [*flows["enum"], CLIENT_TOKEN_FLOW]
    flow_list = {**defs["ExplicitAuthFlowsListType"], "items": {"$ref": f"#/$defs/{AMENDED_FLOWS}"}}
    return {AMENDED_FLOWS: flows, AMENDED_FLOW_LIST: flow_list}


@cache
def schema_document() -> dict[str, Any]:
    """The generated JSON Schema document, with the amended shapes added to `$defs`."""
    data: dict[str, Any] = json.loads((shapes_dir() / index()["schema_file"]).read_text("ascii"))
    data["$defs"].update(_amended(data["$defs"]))
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
