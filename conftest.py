"""Repository-wide pytest configuration: Hypothesis profiles (`ci` for CI, `dev` for local work)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# No test may ever reach for real credentials: botocore's chain would otherwise ask the EC2 instance
# metadata service (a link-local address) when a test runs without credentials on purpose.
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
