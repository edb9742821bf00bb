"""docs/operations.md lists every model operation and where it is implemented; it must match the
registry (regenerate with `COGNITO_MOCK_WRITE_DOCS=1 python -m pytest tests/test_operations_doc.py`)."""

from __future__ import annotations

import os
from pathlib import Path

import cognito_mock.dispatch  # noqa: F401  (registers every handler)
from cognito_mock.backend.kernel.registry import handler, registered
from cognito_mock.shapes import index, operation, operation_names

DOC = Path(__file__).resolve().parents[1] / "docs" / "operations.md"


def render() -> str:
    names = operation_names()
    lines = [
        "# Operations",
        "",
        f"Generated from `shapes/index.json` (botocore {index()['botocore_version']}) and the handler",
        "registry; `tests/test_operations_doc.py` fails when this file and the code disagree.",
        "",
        f"**{len(registered())} of {len(names)} operations are implemented.** Every request is",
        "validated against the model first; an operation without a handler would then raise",
        "`OperationNotImplementedError` naming it (in-process) or answer HTTP 500 with that text",
        "(over HTTP) — never an empty success.",
        "",
        "| Operation | Signed | Implemented in |",
        "|---|---|---|",
    ]
    for name in names:
        found = handler(name)
        where = f"`{found.__module__}`" if found is not None else "not yet"
        signed = "no" if operation(name).auth == "none" else "yes"
        lines.append(f"| {name} | {signed} | {where} |")
    return "\n".join(lines) + "\n"


def test_operations_doc_matches_the_registry() -> None:
    expected = render()
    if os.environ.get("COGNITO_MOCK_WRITE_DOCS"):
        DOC.write_text(expected, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == expected, (
        "docs/operations.md is stale: set COGNITO_MOCK_WRITE_DOCS=1 and run this test"
    )
