"""Run the benchmarks of issue 7 and print one table: `python -m benchmarks [--quick] [--json]`.

moto's figures come from a child process of the same run, workload by workload: importing moto
registers its botocore handlers in every client (about +2 ms per client and more per call), which
would inflate the floor and the mock's boto3 figures if they shared a process.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # `python benchmarks/run.py`: make the package importable, and
    # drop benchmarks/ itself from the path, where http.py would shadow the standard library.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
    sys.path.insert(0, str(ROOT))

from benchmarks.harness import Figure, Settings, as_json, render  # noqa: E402
from benchmarks.memory import memory  # noqa: E402
from benchmarks.workloads import WORKLOADS, moto_available  # noqa: E402

__all__ = ["main"]

ALL = {**WORKLOADS, "memory": memory}
OURS = frozenset({"floor", "boto3", "direct"})


def settings_for(quick: bool, impls: frozenset[str]) -> Settings:
    if quick:
        return Settings(rounds=5, budget=0.04, sizes=(1_000, 10_000), moto_sizes=(1_000,),
                        quick=True, impls=impls)  # fmt: skip
    return Settings(rounds=9, budget=0.15, sizes=(1_000, 10_000, 100_000),
                    moto_sizes=(1_000, 10_000), quick=False, impls=impls)  # fmt: skip


def moto_figures(name: str, quick: bool) -> list[Figure]:
    """One workload's moto column, measured by a child process (see the module docstring)."""
    command = [sys.executable, "-m", "benchmarks.run", "--moto-child", "--only", name]
    out = subprocess.run(
        [*command, *(["--quick"] if quick else [])],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        print(f"moto {name} failed:\n{out.stderr[-2000:]}", file=sys.stderr)
        return []
    return [Figure(**f) for f in json.loads(out.stdout)["figures"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, up to 10,000 users")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument(
        "--only", action="append", choices=sorted(ALL), help="run only this workload (repeatable)"
    )
    parser.add_argument("--no-moto", action="store_true", help="skip moto even if installed")
    parser.add_argument("--moto-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    with_moto = moto_available() and not args.no_moto
    impls = frozenset({"moto"}) if args.moto_child else OURS
    settings = settings_for(args.quick, impls)
    started = time.perf_counter()
    figures: list[Figure] = []
    for name in args.only or list(ALL):
        if not args.json:
            print(f"… {name}", file=sys.stderr, flush=True)
        figures += ALL[name](settings)
        if with_moto and not args.moto_child:
            figures += moto_figures(name, args.quick)
    elapsed = time.perf_counter() - started
    meta = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "quick": settings.quick,
        "moto": with_moto,
        "seconds": round(elapsed, 1),
    }
    if args.json or args.moto_child:
        print(as_json(figures, meta))
    else:
        print(render(figures))
        where = (
            "in a child process" if with_moto else "skipped" if args.no_moto else "not installed"
        )
        print(f"\nmedian (min-max) over {settings.rounds} interleaved rounds; /floor is the median "
              f"of the rounds' ratios (each round runs both back to back); "
              f"{elapsed:.0f} s in all; moto {where}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
