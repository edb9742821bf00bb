"""Blob members (base64 text on the wire): their size in bytes, and how the service prints them.

The model bounds a blob's decoded bytes (`x-aws-min-bytes` / `x-aws-max-bytes` in `shapes/`), and
the service's message shows the value as Java's `ByteBuffer.toString()`, never the bytes. Imports
nothing from the package.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ByteBuffer", "decoded_size"]


def decoded_size(text: str) -> int:
    """How many bytes base64 `text` decodes to, from its length and padding alone.

    Exact for well-formed base64, padded or not; O(1), so a megabyte of text costs nothing on the
    validators' hot path.
    """
    padding = 2 if text.endswith("==") else 1 if text.endswith("=") else 0
    return max(0, len(text) * 3 // 4 - padding)


@dataclass(frozen=True)
class ByteBuffer:
    """A blob as the service's validation message shows it (the bytes are never echoed)."""

    size: int

    def __str__(self) -> str:
        return f"java.nio.HeapByteBuffer[pos=0 lim={self.size} cap={self.size}]"
