"""Every module says what it owns (a docstring) and lists its public names in `__all__`, all real;
the package's own surface is importable without botocore until used."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

import cognito_mock

# Packages whose only job is to group modules, and script entry points, export nothing.
NO_EXPORTS = {
    "cognito_mock.backend",
    "cognito_mock.backend.auth",
    "cognito_mock.codegen.__main__",
    "cognito_mock.transports",
}
MODULES = sorted(
    info.name for info in pkgutil.walk_packages(cognito_mock.__path__, "cognito_mock.")
)


@pytest.mark.parametrize("name", MODULES)
def test_module_has_a_docstring_and_a_true_all(name: str) -> None:
    module = importlib.import_module(name)
    assert (module.__doc__ or "").strip(), f"{name} has no module docstring"
    if name in NO_EXPORTS or (
        name.startswith("cognito_mock.backend.") and hasattr(module, "__path__")
    ):
        return  # the backend's layer packages only group their modules
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
    for public in exported:
        assert hasattr(module, public), f"{name}.__all__ names {public!r}, which does not exist"


def test_top_level_names() -> None:
    assert {"CognitoMock", "ManualClock", "ContractViolation", "ServiceError"} <= set(
        cognito_mock.__all__
    )
    for name in cognito_mock.__all__:
        assert getattr(cognito_mock, name) is not None


def test_importing_the_package_does_not_import_botocore() -> None:
    code = "import sys, cognito_mock; print('botocore' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
