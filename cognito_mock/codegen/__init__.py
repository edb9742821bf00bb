"""Dev-only generator of `shapes/` from the pinned botocore model (`python -m cognito_mock.codegen`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["PINNED_BOTOCORE", "generate", "render", "write"]

PINNED_BOTOCORE = "1.44.8"


def render(data: Any) -> str:
    """The byte-stable text form of a generated file."""
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=True) + "\n"


def generate() -> dict[str, str]:
    """File name -> text for every file of `shapes/`, from the installed botocore."""
    import botocore
    import botocore.loaders

    from cognito_mock.codegen.schemas import API_VERSION, INDEX_FILE, SCHEMA_FILE, SERVICE, build

    if botocore.__version__ != PINNED_BOTOCORE:
        raise RuntimeError(
            f"shapes/ is generated from botocore {PINNED_BOTOCORE}; "
            f"{botocore.__version__} is installed (pip install botocore=={PINNED_BOTOCORE})"
        )
    model = botocore.loaders.Loader().load_service_model(SERVICE, "service-2", API_VERSION)
    document, index = build(model, botocore.__version__)
    return {SCHEMA_FILE: render(document), INDEX_FILE: render(index)}


def write(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate().items():
        path = target / name
        path.write_text(text, encoding="ascii")
        written.append(path)
    return written
