"""The built wheel ships `shapes/` as `cognito_mock/_shapes`, `py.typed`, and no codegen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from cognito_mock.shapes import operation_names, shapes_dir
import cognito_mock.shapes as module
print(json.dumps({"dir": str(shapes_dir()), "module": module.__file__, "operations": len(operation_names())}))
"""


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_wheel_contents_and_installed_shapes(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    # An isolated build (hatchling fetched from the package index) is what users' tools do.
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), cwd=ROOT)
    (wheel,) = dist.glob("cognito_mock-*.whl")

    names = set(zipfile.ZipFile(wheel).namelist())
    assert "cognito_mock/_shapes/index.json" in names
    assert "cognito_mock/_shapes/cognito-idp.schema.json" in names
    assert "cognito_mock/py.typed" in names
    assert "cognito_mock/shapes.py" in names
    assert [n for n in names if n.startswith("cognito_mock/codegen/")] == []
    assert [n for n in names if n.startswith("shapes/")] == []

    site = tmp_path / "site"
    _run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--no-deps",
        "--target",
        str(site),
        str(wheel),
        cwd=tmp_path,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(site)
    probe = json.loads(_run(sys.executable, "-c", PROBE, cwd=tmp_path, env=env))
    assert Path(probe["module"]).is_relative_to(site.resolve())
    assert Path(probe["dir"]).is_relative_to(site.resolve())
    assert Path(probe["dir"]) == (site / "cognito_mock" / "_shapes").resolve()
    assert probe["operations"] == 153
