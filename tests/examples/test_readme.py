"""Every Python block of README.md runs as written: a block defining `test_*` functions runs under
pytest (with the plugin, as a user's test module), any other block as a script. A snippet can
never rot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _blocks() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        heading = re.findall(r"^#+ (.+)$", text[: match.start()], re.M)
        line = text.count("\n", 0, match.start()) + 1
        name = f"{(heading or ['top'])[-1]} (line {line})".replace(" ", "-")
        found.append((name, match.group(1)))
    return found


BLOCKS = _blocks()


def test_readme_has_python_blocks() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("code", [code for _, code in BLOCKS], ids=[name for name, _ in BLOCKS])
def test_readme_block_runs(code: str, tmp_path: Path) -> None:
    if re.search(r"^def test_", code, re.M):
        module = tmp_path / "test_readme_block.py"
        module.write_text(code, encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(module)]
    else:
        script = tmp_path / "readme_block.py"
        script.write_text(code, encoding="utf-8")
        command = [sys.executable, str(script)]
    result = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={k: v for k, v in __import__("os").environ.items() if not k.startswith("PYTEST_")},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
