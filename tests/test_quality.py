"""The code keeps its shape: lint-clean, formatted, type-checked, within the layer contracts of
docs/architecture.md, no deferred imports in the backend, small modules, every registry complete.
(ruff, mypy and import-linter run as part of the suite, so CI enforces them with the same command.)"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import cognito_mock.backend.handlers  # noqa: F401  (registers every handler, step and challenge)
from cognito_mock.backend.auth.pipeline import STEP_ORDER, registered_steps
from cognito_mock.backend.hooks.triggers import TRIGGERS
from cognito_mock.backend.kernel.registry import handler, registered
from cognito_mock.shapes import schema_document

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cognito_mock"
MAX_LINES = 400  # hand-written modules; split by concern beyond this
# Optional third-party speed-ups may be imported where they are used, guarded by ImportError.
OPTIONAL_IMPORTS = frozenset({"gmpy2"})


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    "command",
    [("ruff", "check", "."), ("ruff", "format", "--check", ".")],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff(command: tuple[str, ...]) -> None:
    result = _run(*command)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = _run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts() -> None:
    """The layers of docs/architecture.md, as import-linter contracts in pyproject.toml."""
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _function_level_imports(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] not in OPTIONAL_IMPORTS for name in names):
                found.append(f"{path.relative_to(root)}:{node.lineno} imports {', '.join(names)}")
    return found


def test_no_imports_inside_functions_in_the_backend() -> None:
    """A deferred import that breaks a cycle means a function is in the wrong place: move it."""
    found = []
    for path in sorted((PACKAGE / "backend").rglob("*.py")):
        found += _function_level_imports(path)
    assert found == []


def test_the_function_level_import_check_can_fail(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    import gmpy2\n    from cognito_mock import errors\n")
    assert _function_level_imports(probe, tmp_path) == ["probe.py:3 imports cognito_mock"]


def test_modules_stay_small() -> None:
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_every_sign_in_step_is_registered_in_order() -> None:
    assert registered_steps() == list(STEP_ORDER)


def test_triggers_are_the_lambda_config_keys_that_invoke_a_lambda() -> None:
    """Every LambdaConfig member is either a trigger this mock invokes or listed here as not."""
    members = set(schema_document()["$defs"]["LambdaConfigType"]["properties"])
    not_invoked = {
        "KMSKeyID",  # a key, not a function
        "PreTokenGenerationConfig",  # the versioned form of PreTokenGeneration (invoked as it)
        "CustomEmailSender",  # custom senders get KMS-encrypted codes: not simulated
        "CustomSMSSender",
        "InboundFederation",  # the inbound federation Lambda: not simulated
    }
    assert set(TRIGGERS) | not_invoked == members
    assert not set(TRIGGERS) & not_invoked


def test_a_handler_never_calls_another_handler() -> None:
    """Logic two operations share is a plain function in the lowest package that needs it."""
    handlers = {(h.__module__, h.__name__) for h in map(handler, registered()) if h is not None}
    names_by_module: dict[str, set[str]] = {}
    for module, name in handlers:
        names_by_module.setdefault(module, set()).add(name)
    found = []
    for path in sorted((PACKAGE / "backend").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in names_by_module:
                found += [f"{module} imports {node.module}.{alias.name}" for alias in node.names
                          if alias.name in names_by_module[node.module]]  # fmt: skip
            local = names_by_module.get(module, set())
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in local:
                found.append(f"{module} calls its handler {node.func.id}")  # type: ignore[attr-defined]
    assert found == []
