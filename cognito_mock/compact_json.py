"""Compact JSON text (`,` and `:` separators, non-ASCII as is), from one encoder built once.

`json.JSONEncoder.encode` builds a new C encoder on every call; that setup was a third of encoding
a token's claims or a small response. Here the C encoder is made once and called directly.
"""

from __future__ import annotations

import json
from json import encoder as _json_encoder
from typing import Any

__all__ = ["dumps"]

_FALLBACK = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_make = getattr(_json_encoder, "c_make_encoder", None)
# (markers, default, string encoder, indent, key separator, item separator, sort_keys, skipkeys,
# allow_nan): no circular-reference markers (our values are trees), the same `default` (a
# TypeError naming the type), and everything else as `_FALLBACK` has it.
_C_ENCODE = (
    _make(None, _FALLBACK.default, _json_encoder.encode_basestring, None, ":", ",",
          False, False, True)
    if _make is not None
    else None
)  # fmt: skip


def dumps(value: Any) -> str:
    """`json.dumps(value, separators=(",", ":"), ensure_ascii=False)`, quicker."""
    if _C_ENCODE is None:  # pragma: no cover - a Python without json's C accelerator
        return _FALLBACK.encode(value)
    return "".join(_C_ENCODE(value, 0))
