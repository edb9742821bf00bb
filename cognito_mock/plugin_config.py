"""The pytest plugin's settings: `CognitoMockConfig` and how the command line, ini options and
defaults combine (the `@pytest.mark.cognito` marker is applied per test by the plugin)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pytest

__all__ = ["MARKER_KEYS", "CognitoMockConfig", "session_config"]

MARKER_KEYS = ("region", "account_id", "validate", "seed")


@dataclass(frozen=True)
class CognitoMockConfig:
    """How `cognito_mock` is built; `seed=None` draws from the OS (ids and faults do not replay)."""

    region: str = "us-east-1"
    account_id: str = "123456789012"
    validate: bool = True
    seed: int | str | None = None


def _parse_seed(text: str | None) -> Any:
    if text is None or text == "":
        return None  # not given here: fall through to the next source
    if text.lower() in ("random", "none"):
        return "random"
    return int(text) if text.lstrip("-").isdigit() else text


def session_config(config: pytest.Config) -> tuple[CognitoMockConfig, bool]:
    """Command line over ini over defaults (the marker is applied per test); and whether the
    seed is left to be derived per test."""
    default = CognitoMockConfig()
    region = config.getoption("cognito_mock_region") or config.getini("cognito_mock_region")
    account = config.getoption("cognito_mock_account_id") or config.getini(
        "cognito_mock_account_id"
    )
    seed = _parse_seed(config.getoption("cognito_mock_seed"))
    if seed is None:
        seed = _parse_seed(config.getini("cognito_mock_seed"))
    no_validate = config.getoption("cognito_mock_no_validate")
    merged = replace(
        default,
        region=region or default.region,
        account_id=account or default.account_id,
        validate=False if no_validate else bool(config.getini("cognito_mock_validate")),
        seed=None if seed in (None, "random") else seed,
    )
    return merged, seed is None
