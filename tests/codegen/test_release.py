"""The release artefacts: wheel and sdist build and pass `twine check`; a clean virtual environment
with only `pip install <wheel>` runs README's Quick start and its pytest example, and reports the
version the metadata declares."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def _python_block(containing: str) -> str:
    for block in re.findall(r"^```python\n(.*?)^```", README, re.S | re.M):
        if containing in block:
            return str(block)
    raise AssertionError(f"README has no Python block with {containing!r}")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", out, cwd=ROOT)
    return out


def test_twine_check_passes(dist: Path) -> None:
    files = sorted(dist.iterdir())
    assert {f.suffix for f in files} == {".whl", ".gz"}
    output = _run(sys.executable, "-m", "twine", "check", "--strict", *files, cwd=dist)
    assert output.count("PASSED") == 2


def test_a_clean_venv_runs_readmes_quick_start_and_plugin_example(
    dist: Path, tmp_path: Path
) -> None:
    (wheel,) = dist.glob("cognito_mock-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "PYTEST_", "VIRTUAL_ENV"))
    }
    _run(python, "-m", "pip", "install", "--quiet", wheel, cwd=tmp_path, env=clean)
    work = tmp_path / "work"
    work.mkdir()
    quick = work / "quick_start.py"
    quick.write_text(_python_block("mock.client()"), encoding="utf-8")
    printed = _run(python, quick, cwd=work, env=clean)
    assert re.search(r"us-east-1_\w+ arn:aws:cognito-idp:us-east-1:123456789012:userpool/", printed)
    assert "failed to satisfy" in printed
    example = work / "test_example.py"
    example.write_text(_python_block("def test_sign_in_with_boto3"), encoding="utf-8")
    output = _run(
        python, "-m", "pytest", "-q", "-p", "no:cacheprovider", example, cwd=work, env=clean
    )
    assert "1 passed" in output
    version = _run(
        python, "-c",
        "import cognito_mock, importlib.metadata as m; "
        "print(cognito_mock.__version__, m.version('cognito-mock'))",
        cwd=work, env=clean,
    ).split()  # fmt: skip
    assert version[0] == version[1]
