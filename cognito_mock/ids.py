"""The only source of randomness: identifiers in the service's formats, codes, salts and secrets.

Seedable so a test run replays exactly; unseeded instances draw from the OS. A few values must
differ between two mocks even with the same seed (signing keys, the key that signs page tokens):
they come from `unseeded` and `unseeded_bytes`, which ignore the seed and leave the seeded stream
untouched, so seeded ids stay the same with or without them.
"""

from __future__ import annotations

import itertools
import os
import random
import secrets
import threading
from collections.abc import Callable
from typing import TypeVar

__all__ = ["Ids", "UuidSequence"]

T = TypeVar("T")

_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
# RFC 4122 version 4: the 13th hex digit is 4; the 17th keeps its low two bits under the variant
# bits 10 (8, 9, a or b).
_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


class _ReadAhead(threading.local):
    """OS random bytes read ahead in chunks: a system call per value (~2 µs) was a tenth of an
    unseeded sign-in. One buffer per thread, dropped in a forked child (pytest-xdist workers,
    served mocks), so no two draws anywhere ever hand out the same bytes."""

    def __init__(self) -> None:
        self.data = b""
        self.at = 0
        self.generation = -1


_READ_AHEAD = _ReadAhead()
_CHUNK = 4096
_forks = [0]  # bumped in every forked child: its inherited buffers are the parent's bytes
os.register_at_fork(after_in_child=lambda: _forks.__setitem__(0, _forks[0] + 1))


def _os_bytes(n: int) -> bytes:
    buffer = _READ_AHEAD
    at = buffer.at
    if at + n > len(buffer.data) or buffer.generation != _forks[0]:
        buffer.data = secrets.token_bytes(max(_CHUNK, n))
        buffer.generation = _forks[0]
        at = 0
    buffer.at = at + n
    return buffer.data[at : at + n]


def _os_choices(alphabet: str, length: int) -> str:
    """`length` uniform picks from `alphabet` (at most 256 symbols) out of one OS read, where
    SystemRandom.choices makes a system call per character (most of an unseeded pool's ids)."""
    size = len(alphabet)
    usable = 256 - 256 % size  # bytes at or above this would favour the first symbols
    out: list[str] = []
    while len(out) < length:
        for byte in _os_bytes(length + 8):
            if byte < usable:
                out.append(alphabet[byte % size])
                if len(out) == length:
                    break
    return "".join(out)


class Ids:
    """Random values for one mock; `seed` makes every value reproducible."""

    def __init__(self, seed: int | str | None = None) -> None:
        self._random: random.Random = random.SystemRandom() if seed is None else random.Random(seed)
        self._unseeded = seed is None

    def unseeded_bytes(self, n: int) -> bytes:
        """`n` bytes from the OS, whatever the seed."""
        return secrets.token_bytes(n)

    def unseeded(self, make: Callable[[], T]) -> T:
        """`make()`, a value drawn from the OS whatever the seed (an RSA key); a method so a
        recording mock can put the value on its replay tape like every other draw."""
        return make()

    def token_bytes(self, n: int) -> bytes:
        if self._unseeded:
            return _os_bytes(n)
        return self._random.randbytes(n)

    def choice_string(self, alphabet: str, length: int) -> str:
        if self._unseeded:
            return _os_choices(alphabet, length)
        return "".join(self._random.choices(alphabet, k=length))

    def uuid4(self) -> str:
        """A version-4 UUID string, the same as `str(uuid.UUID(bytes=..., version=4))` for the
        same 16 bytes, in a sixth of the time."""
        h = self.token_bytes(16).hex()
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"

    def uuid4s(self, count: int) -> list[str]:
        """`count` calls of `uuid4` from one draw (a sign-in's three or four token ids): the
        same strings, as 16-byte draws of a seeded stream concatenate to one longer draw."""
        h = self.token_bytes(16 * count).hex()
        return [
            f"{h[at : at + 8]}-{h[at + 8 : at + 12]}-4{h[at + 13 : at + 16]}-"
            f"{_VARIANT[h[at + 16]]}{h[at + 17 : at + 20]}-{h[at + 20 : at + 32]}"
            for at in range(0, 32 * count, 32)
        ]

    def user_pool_id(self, region: str) -> str:
        """`<region>_<9 alphanumerics>`, as in `us-east-1_Zi0dYW1fC`."""
        return f"{region}_{self.choice_string(_ALNUM, 9)}"

    def client_id(self) -> str:
        """26 lowercase alphanumerics."""
        return self.choice_string(_LOWER_ALNUM, 26)

    def client_secret(self) -> str:
        """51 lowercase alphanumerics (observed secrets are 49-52 characters)."""
        return self.choice_string(_LOWER_ALNUM, 51)

    def sub(self) -> str:
        return self.uuid4()

    def digits(self, length: int = 6) -> str:
        return self.choice_string("0123456789", length)

    def device_key(self, region: str) -> str:
        return f"{region}_{self.uuid4()}"

    def device_group_key(self) -> str:
        return "-" + self.choice_string(_B64URL, 8)

    def randbelow(self, n: int) -> int:
        return self._random.randrange(n)

    def shuffle(self, items: list[str]) -> None:
        self._random.shuffle(items)


class UuidSequence:
    """Distinct version-4 UUID strings from one draw: the first is random, each next one adds
    one to its last 48 bits. For request ids, which must differ, not be unguessable; a draw per
    call was ~1.5 µs of every wire call. Thread-safe (`itertools.count` is atomic)."""

    def __init__(self, ids: Ids) -> None:
        first = ids.uuid4()
        self._prefix = first[:24]  # `xxxxxxxx-xxxx-4xxx-yxxx-`
        self._counter = itertools.count(int(first[24:], 16))

    def __call__(self) -> str:
        return f"{self._prefix}{next(self._counter) & 0xFFFFFFFFFFFF:012x}"
