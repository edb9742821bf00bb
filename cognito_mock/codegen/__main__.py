"""`python -m cognito_mock.codegen [target]`: regenerate `shapes/` (default: next to the package)."""

from __future__ import annotations

import sys
from pathlib import Path

from cognito_mock.codegen import write

if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2] / "shapes"
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else default):
        print(path)
