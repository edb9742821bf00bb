"""Timing harness: side-by-side medians (min/max) per implementation, the floor client, the table."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from botocore.awsrequest import AWSResponse, HeadersDict

from cognito_mock import CognitoMock
from cognito_mock.transports.boto import _RawBody

__all__ = [
    "IMPLS",
    "Figure",
    "Settings",
    "boto_client",
    "canned",
    "floor_client",
    "measure",
    "paired_ratio",
    "render",
]

# Columns of the table, in order: the botocore floor, the mock through boto3, direct, and moto.
IMPLS = ("floor", "boto3", "direct", "moto")
TARGET = "AWSCognitoIdentityProviderService."


@dataclass
class Settings:
    rounds: int  # samples per figure (the median, min and max are over these)
    budget: float  # seconds each implementation runs per round (at least one call)
    sizes: tuple[int, ...]  # directory sizes for the scaling workloads
    moto_sizes: tuple[int, ...]  # sizes moto is populated to (it populates at ~1.5 ms a user)
    quick: bool
    impls: frozenset[str] = frozenset(IMPLS)  # which columns this process measures

    @property
    def with_moto(self) -> bool:
        return "moto" in self.impls

    @property
    def ours(self) -> bool:
        return bool(self.impls - {"moto"})


@dataclass
class Figure:
    workload: str
    impl: str
    median: float
    min: float
    max: float
    unit: str = "µs"
    calls: int = 0  # calls per sample
    note: str = ""
    samples: list[float] = field(default_factory=list)  # one per round, in round order

    def cell(self) -> str:
        return f"{_num(self.median)} ({_num(self.min)}-{_num(self.max)})"


@dataclass
class Row:
    workload: str
    figures: dict[str, Figure] = field(default_factory=dict)


def _num(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def measure(
    workload: str,
    funcs: dict[str, Callable[[], Any]],
    settings: Settings,
    *,
    unit: str = "µs",
    max_calls: int | None = None,
) -> list[Figure]:
    """Per-call time of each function, interleaved round by round so noise hits all alike."""
    scale = 1e6 if unit == "µs" else 1e3
    funcs = {name: func for name, func in funcs.items() if name in settings.impls}
    numbers: dict[str, int] = {}
    for name, func in funcs.items():  # warm up and calibrate the calls per sample
        start = time.perf_counter()
        func()
        once = max(time.perf_counter() - start, 1e-7)
        numbers[name] = max(1, int(settings.budget / once))
        if max_calls is not None:
            numbers[name] = min(numbers[name], max_calls)
    samples: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(settings.rounds):
        for name, func in funcs.items():
            number = numbers[name]
            start = time.perf_counter()
            for _ in range(number):
                func()
            samples[name].append((time.perf_counter() - start) / number * scale)
    return [
        Figure(
            workload,
            name,
            statistics.median(values),
            min(values),
            max(values),
            unit,
            numbers[name],
            samples=values,
        )
        for name, values in samples.items()
    ]


def paired_ratio(ours: Figure, base: Figure) -> float:
    """The median over rounds of ours / base, each round's pair measured back to back: a burst of
    noise from the machine lands on both sides of a pair, where it would move one median alone.
    Figures without per-round samples (another process's) fall back to the ratio of medians."""
    if len(ours.samples) == len(base.samples) > 0:
        return statistics.median(a / b for a, b in zip(ours.samples, base.samples, strict=True))
    return ours.median / base.median


# -- boto3 clients ----------------------------------------------------------------------------

_session: Any = None


def boto_client() -> Any:
    """A plain boto3 cognito-idp client from one shared session (as `mock.client()` makes them)."""
    global _session
    import boto3

    if _session is None:
        _session = boto3.session.Session()
    return _session.client(
        "cognito-idp",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def canned(mock: CognitoMock, operation: str, params: dict[str, Any]) -> bytes:
    """The mock's wire answer to one request: a valid response body for the floor to replay."""
    wire = mock.handle_wire(TARGET + operation, json.dumps(params).encode(), mock.region)
    assert wire.status == 200, wire.body
    return wire.body


def floor_client(bodies: dict[str, bytes], client: Any = None) -> Any:
    """A boto3 client answered by a no-op `before-send` handler replaying canned bodies."""
    client = client if client is not None else boto_client()
    headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-RequestId": "0"}
    by_target = {TARGET + op: body for op, body in bodies.items()}

    def on_before_send(request: Any, **_: Any) -> AWSResponse:
        target = request.headers["X-Amz-Target"]
        if isinstance(target, bytes):
            target = target.decode()
        body = by_target[target]
        return AWSResponse(request.url, 200, HeadersDict(headers), _RawBody(body))

    client.meta.events.register_first("before-send.cognito-identity-provider", on_before_send)
    return client


# -- the table --------------------------------------------------------------------------------


def _rows(figures: list[Figure]) -> Iterator[Row]:
    rows: dict[str, Row] = {}
    for figure in figures:
        rows.setdefault(figure.workload, Row(figure.workload)).figures[figure.impl] = figure
    yield from rows.values()


def render(figures: list[Figure]) -> str:
    """One table: a row per workload, a column per implementation, with the ratios."""
    header = [
        "workload",
        "unit",
        "floor",
        "mock via boto3",
        "/floor",
        "mock.call",
        "moto",
        "moto/mock",
    ]
    lines = []
    for row in _rows(figures):
        f = row.figures
        unit = next(iter(f.values())).unit
        ratio = (
            f"{paired_ratio(f['boto3'], f['floor']):.2f}x" if "boto3" in f and "floor" in f else ""
        )
        ours = f.get("boto3") or f.get("direct")
        moto_ratio = ""
        if "moto" in f and ours and f["moto"].median:
            times = f["moto"].median / ours.median
            moto_ratio = f"{times:.0f}x" if times >= 10 else f"{times:.1f}x"
        lines.append(
            [
                row.workload,
                unit,
                *(f[k].cell() if k in f else "-" for k in ("floor", "boto3")),
                ratio,
                f["direct"].cell() if "direct" in f else "-",
                f["moto"].cell() if "moto" in f else "-",
                moto_ratio,
            ]
        )
    widths = [max(len(str(x)) for x in col) for col in zip(header, *lines, strict=True)]
    out = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def as_json(figures: list[Figure], meta: dict[str, Any]) -> str:
    return json.dumps({"meta": meta, "figures": [asdict(f) for f in figures]}, indent=1)
