"""Peak RSS per user: each measurement in a fresh interpreter so nothing else inflates the peak."""

from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
from pathlib import Path

from benchmarks.harness import Figure, Settings

__all__ = ["memory"]

ROOT = Path(__file__).resolve().parent.parent


def _status_kib(field: str) -> int:
    """A /proc/self/status figure (VmRSS: now, VmHWM: peak) in KiB; ru_maxrss elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def _now_kib() -> int:
    gc.collect()
    return _status_kib("VmRSS")


def _peak_kib() -> int:
    return _status_kib("VmHWM")


def child(impl: str, count: int) -> None:
    """Populate one pool with `count` five-attribute users; print (peak RSS - RSS before) per user."""
    from benchmarks.workloads import five_attributes, moto_call, populate, setup_pool

    if impl == "direct":
        from cognito_mock import CognitoMock

        mock = CognitoMock()
        pool_id, _ = setup_pool(mock.call)
        populate(mock, pool_id, 10, start=count)  # warm every code path before the baseline
        mock.call("ListUsers", UserPoolId=pool_id, Filter='email ^= "user"')
        before = _now_kib()
        populate(mock, pool_id, count)
        # The search index is part of the per-user cost: build it.
        mock.call("ListUsers", UserPoolId=pool_id, Filter='email ^= "user"')
    else:
        with moto_call() as call:
            pool_id, _ = setup_pool(call)
            before = _now_kib()
            for i in range(count):
                call(
                    "AdminCreateUser",
                    UserPoolId=pool_id,
                    Username=f"user{i:06d}",
                    MessageAction="SUPPRESS",
                    UserAttributes=five_attributes(i),
                )
    print(json.dumps((_peak_kib() - before) * 1024 / count))


def memory(settings: Settings) -> list[Figure]:
    """Peak RSS bytes per user (the mock at the largest size; moto at its largest size)."""
    figures = []
    runs = [("direct", max(settings.sizes))] if settings.ours else []
    if settings.with_moto:
        runs.append(("moto", max(settings.moto_sizes)))
    for impl, count in runs:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.memory", impl, str(count)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        per_user = float(out.stdout.strip().splitlines()[-1])
        label = f"peak RSS per user @{count:,} (5 attrs)"
        figures.append(Figure(label, impl, per_user, per_user, per_user, "B", 1))
    return figures


if __name__ == "__main__":
    child(sys.argv[1], int(sys.argv[2]))
