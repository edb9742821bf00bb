"""Imports every backend module so each registers its handlers with `@operation`.

Discovery keeps concerns independent: a new handler module needs no edit here.
"""

from __future__ import annotations

import importlib
import pkgutil

import cognito_mock.backend as _package

__all__: list[str] = []

for _info in pkgutil.walk_packages(_package.__path__, _package.__name__ + "."):
    importlib.import_module(_info.name)
