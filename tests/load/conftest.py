"""The bounded load tests: loopback only; marked `load` so they can be chosen or skipped (-m)."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "load: bounded HTTP load test (loopback, under ~60 s)")
