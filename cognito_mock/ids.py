"""The only source of randomness: identifiers in the service's formats, codes, salts and secrets.

Seedable so a test run replays exactly; unseeded instances draw from the OS. A few values must
differ between two mocks even with the same seed (signing keys, the key that signs page tokens):
they come from `unseeded` and `unseeded_bytes`, which ignore the seed and leave the seeded stream
untouched, so seeded ids stay the same with or without them.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable
from typing import TypeVar

__all__ = ["Ids"]

T = TypeVar("T")

_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789"
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _os_choices(alphabet: str, length: int) -> str:
    """`length` uniform picks from `alphabet` (at most 256 symbols) out of one OS read, where
    SystemRandom.choices makes a system call per character (most of an unseeded pool's ids)."""
    size = len(alphabet)
    usable = 256 - 256 % size  # bytes at or above this would favour the first symbols
    out: list[str] = []
    while len(out) < length:
        for byte in secrets.token_bytes(length + 8):
            if byte < usable:
                out.append(alphabet[byte % size])
                if len(out) == length:
                    break
    return "".join(out)


class Ids:
    """Random values for one mock; `seed` makes every value reproducible."""

    def __init__(self, seed: int | str | None = None) -> None:
        self._random: random.Random = random.SystemRandom() if seed is None else random.Random(seed)

    def unseeded_bytes(self, n: int) -> bytes:
        """`n` bytes from the OS, whatever the seed."""
        return secrets.token_bytes(n)

    def unseeded(self, make: Callable[[], T]) -> T:
        """`make()`, a value drawn from the OS whatever the seed (an RSA key); a method so a
        recording mock can put the value on its replay tape like every other draw."""
        return make()

    def token_bytes(self, n: int) -> bytes:
        if isinstance(self._random, random.SystemRandom):
            return secrets.token_bytes(n)
        return self._random.randbytes(n)

    def choice_string(self, alphabet: str, length: int) -> str:
        if isinstance(self._random, random.SystemRandom):
            return _os_choices(alphabet, length)
        return "".join(self._random.choices(alphabet, k=length))

    def uuid4(self) -> str:
        return str(uuid.UUID(bytes=self.token_bytes(16), version=4))

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
