"""The Node suite (`tests/node/cognito.test.mjs`, the AWS SDK for JavaScript v3) against a served
mock: a suite in another language tests sign-up, codes, time and a webhook trigger through the
control API. `.ci/run` installs its packages (`npm ci`); without node or them the test fails under
CI and is skipped locally with the reason."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from cognito_mock import CognitoMock
from cognito_mock.clock import ProcessClock

HERE = Path(__file__).resolve().parent
SDK = HERE / "node_modules" / "@aws-sdk" / "client-cognito-identity-provider"


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (.ci/run installs it)")
    pytest.skip(reason)


def test_the_node_suite_passes_against_a_served_mock() -> None:
    node = shutil.which("node")
    if node is None:
        _missing("needs node (Node.js 18 or later)")
    if not SDK.is_dir():
        _missing("needs the Node suite's packages: run `npm ci` in tests/node")
    mock = CognitoMock(clock=ProcessClock())  # what `cognito-mock serve` uses: it can move
    mock.triggers.missing = "skip"  # as served: a LambdaConfig without a webhook is skipped
    with mock.serve() as url:
        result = subprocess.run(
            [str(node), "--test", "--test-reporter=tap", "cognito.test.mjs"],
            cwd=HERE, env={**os.environ, "COGNITO_MOCK_URL": url, "NO_COLOR": "1"},
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert "# pass 2" in output and "# fail 0" in output, output[-6000:]
    # What the suite did went through this very mock
    assert [m.to for m in mock.outbox] == ["ann@example.com"]
    assert mock.triggers.events[0]["triggerSource"] == "PreSignUp_SignUp"
