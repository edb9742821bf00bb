"""The strategies package imports in one direction: no cycle between its modules, and no import
hidden in a function except optional third-party modules (faker)."""

from __future__ import annotations

import ast
from pathlib import Path

import cognito_mock.strategies as strategies
from cognito_mock.strategies import from_operation, from_shape, inference

PACKAGE = Path(strategies.__file__).parent
PREFIX = "cognito_mock.strategies."
OPTIONAL = {"faker"}  # only the people strategies need it, so it is imported on first use


def _trees() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text()) for p in sorted(PACKAGE.glob("*.py"))}


def _sibling_imports(tree: ast.Module) -> set[str]:
    """The package's modules that a module imports."""
    return {
        node.module.removeprefix(PREFIX)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX)
    }


def test_no_function_imports_anything_but_optional_third_party_modules() -> None:
    hidden = []
    for name, tree in _trees().items():
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Import):
                    roots = {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom):
                    roots = {(node.module or "").split(".")[0]}
                else:
                    continue
                if not roots <= OPTIONAL:
                    hidden.append(f"{name}.{func.name}: {ast.unparse(node)}")
    assert hidden == []


def test_modules_import_each_other_without_a_cycle() -> None:
    graph = {name: _sibling_imports(tree) for name, tree in _trees().items()}
    assert graph["inference"] >= {"valid", "invalid"}
    assert "inference" not in graph["invalid"] | graph["valid"]
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join((*path, name))
        if name in done:
            return
        for imported in graph.get(name, ()):
            visit(imported, (*path, name))
        done.add(name)

    for name in graph:
        visit(name, ())
    assert {"valid", "invalid", "inference", "patterns"} <= done
    assert not (PACKAGE / "requests.py").exists()  # renamed valid.py


def test_the_public_entry_points_stay_where_users_import_them() -> None:
    assert from_operation is inference.from_operation
    assert {"from_operation", "from_shape", "Mode", "InvalidRequest"} <= set(strategies.__all__)
    assert from_shape.__module__ == "cognito_mock.strategies.inference"
