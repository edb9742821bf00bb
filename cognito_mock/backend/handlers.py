"""Imports every backend module so each registers its handlers (`@operation`), sign-in steps
(`@sign_in_step`) and challenges (`@challenge`); a new module needs no edit here."""

from __future__ import annotations

import importlib
import pkgutil

import cognito_mock.backend as _package

__all__: list[str] = []

for _info in pkgutil.walk_packages(_package.__path__, _package.__name__ + "."):
    importlib.import_module(_info.name)
