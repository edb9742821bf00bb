"""Loading the plugin (as every pytest run does) imports nothing heavy."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(output.splitlines()[-1]))


def test_importing_the_plugin_imports_no_mock_boto_or_hypothesis() -> None:
    modules = loaded_after("import cognito_mock.pytest_plugin")
    assert "cognito_mock.pytest_plugin" in modules
    heavy = {"cognito_mock.mock", "cognito_mock.dispatch", "boto3", "botocore", "hypothesis"}
    assert not heavy & modules
    assert not {m for m in modules if m.startswith(("boto3.", "botocore.", "hypothesis."))}


def test_the_check_can_fail() -> None:
    assert "cognito_mock.mock" in loaded_after(
        "import cognito_mock.pytest_plugin, cognito_mock.mock"
    )
    assert "boto3" in loaded_after("from cognito_mock import CognitoMock; CognitoMock().client()")


def test_package_names_still_resolve_lazily() -> None:
    import cognito_mock

    assert cognito_mock.CognitoMock.__module__ == "cognito_mock.mock"
    assert set(cognito_mock.__all__) <= set(dir(cognito_mock))
    try:
        cognito_mock.NoSuchThing  # noqa: B018  (the attribute access is the test)
    except AttributeError as error:
        assert "NoSuchThing" in str(error)
    else:
        raise AssertionError("expected AttributeError")
