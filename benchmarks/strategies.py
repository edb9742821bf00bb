"""How long the Hypothesis strategies take: 100 valid examples of each of the 153 operations (the
figure README quotes). Run on demand: `python benchmarks/strategies.py [examples]`."""

from __future__ import annotations

import sys
import time
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

from cognito_mock.shapes import operation_names
from cognito_mock.strategies import from_operation


def draw_every_operation(examples: int) -> float:
    """Seconds to draw `examples` valid requests of every operation."""
    start = time.perf_counter()
    for op in operation_names():

        @settings(
            max_examples=examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(from_operation(op))
        def draw(request: dict[str, Any]) -> None:
            pass

        draw()
    return time.perf_counter() - start


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    seconds = draw_every_operation(count)
    print(f"{len(operation_names())} operations x {count} valid examples: {seconds:.1f} s")
