"""Server side of Cognito's SRP-6a variant and its TIMESTAMP format; pure math, no state."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from cognito_mock.backend.crypto.equal import same

__all__ = [
    "G",
    "K",
    "N",
    "ServerChallenge",
    "canonical_timestamp_matches",
    "format_timestamp",
    "new_salt",
    "parse_timestamp",
    "password_verifier",
    "pool_name_for_srp",
    "powmod",
    "pure_powmod",
    "start_challenge",
    "verifier_from_device_config",
]

# RFC 3526 group 15 (3072-bit MODP), the group every Cognito SRP client hard-codes.
N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
G = 2

try:  # optional: GMP's modular exponentiation is ~10x faster on 3072-bit numbers
    import gmpy2 as _gmpy2
except ImportError:  # pragma: no cover - depends on the environment
    _gmpy2 = None


def pure_powmod(base: int, exponent: int, modulus: int) -> int:
    return pow(base, exponent, modulus)


def powmod(base: int, exponent: int, modulus: int) -> int:
    """`pow(base, exponent, modulus)`, through gmpy2 when it is installed (same result, faster).

    The 3072-bit exponentiations are nearly all of an SRP sign-in's server cost.
    """
    if _gmpy2 is None:
        return pow(base, exponent, modulus)
    return int(_gmpy2.powmod(base, exponent, modulus))


_INFO = b"Caldera Derived Key\x01"  # HKDF info plus the single-block counter byte
# 256-bit private exponent b (RFC 5054's minimum): a quarter of the cost of a 1024-bit one,
# and this is a test double, so the pow() is what a suite pays for on every sign-in.
_B_BYTES = 32
_SALT_BYTES = 16  # observed SALT values are 32 hex characters
_HEX = re.compile(r"[0-9a-fA-F]+")


def _pad_hex(value: int | str) -> str:
    """Cognito's padHex: even length; a leading 00 when the top nibble would read as negative."""
    text = value if isinstance(value, str) else format(value, "x")
    if len(text) % 2:
        return "0" + text
    if text and text[0] in "89abcdefABCDEF":
        return "00" + text
    return text


def _hex_hash(hex_text: str) -> str:
    """SHA-256 over the bytes a hex string spells, as 64 lowercase hex characters."""
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


# k = H(padHex(N) || padHex(g)); computed once because every challenge needs it.
K = int(_hex_hash(_pad_hex(N) + _pad_hex(G)), 16)


def pool_name_for_srp(user_pool_id: str) -> str:
    """The part of a pool id after the first `_`, which clients mix into x and the signature."""
    return user_pool_id.split("_", 1)[1]


def new_salt(random_bytes: Callable[[int], bytes]) -> str:
    """A 16-byte salt as 32 lowercase hex characters whose first byte is never zero.

    Clients disagree on a salt with a leading zero byte: amazon-cognito-identity-js pads the
    *number* (dropping the zero byte), pycognito pads the *string*. Avoiding such salts keeps
    every client computing the same x.
    """
    while True:
        raw = random_bytes(_SALT_BYTES)
        if raw[0]:
            return raw.hex()


def _x(pool_name: str, user_id: str, password: str, salt_hex: str) -> int:
    inner = hashlib.sha256(f"{pool_name}{user_id}:{password}".encode()).hexdigest()
    return int(_hex_hash(_pad_hex(salt_hex) + inner), 16)


def password_verifier(pool_name: str, user_id: str, password: str, salt_hex: str) -> int:
    """v = g^x mod N; for device SRP pass the DeviceGroupKey and DeviceKey as pool name and user."""
    return powmod(G, _x(pool_name, user_id, password, salt_hex), N)


def verifier_from_device_config(password_verifier_b64: str, salt_b64: str) -> tuple[int, str]:
    """Decode ConfirmDevice's DeviceSecretVerifierConfig into (v, salt hex).

    The salt hex is what DEVICE_PASSWORD_VERIFIER later sends back as SALT; clients built it
    with padHex, so its hex is already in the form they will pad again to the same string.
    Raises ValueError on malformed base64 or an empty verifier.
    """
    try:
        verifier = base64.b64decode(password_verifier_b64, validate=True)
        salt = base64.b64decode(salt_b64, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"DeviceSecretVerifierConfig is not base64: {exc}") from None
    if not verifier or not salt:
        raise ValueError("DeviceSecretVerifierConfig has an empty PasswordVerifier or Salt")
    return int.from_bytes(verifier, "big"), salt.hex()


@dataclass(frozen=True)
class ServerChallenge:
    """One PASSWORD_VERIFIER round: the public B sent out and the session key it agreed on."""

    srp_a: int = field(repr=False)
    srp_b: int = field(repr=False)
    key: bytes = field(repr=False)  # 16-byte HKDF output; off repr so logs never show it

    @property
    def srp_b_hex(self) -> str:
        """B as SRP_B carries it: lowercase hex without padding."""
        return format(self.srp_b, "x")

    def expected_signature(
        self, pool_name: str, user_id: str, secret_block_b64: str, timestamp: str
    ) -> bytes:
        """HMAC-SHA256(key, poolName || userId || secretBlock bytes || TIMESTAMP).

        Raises ValueError when the secret block is not base64.
        """
        block = base64.b64decode(secret_block_b64, validate=True)
        message = pool_name.encode() + user_id.encode() + block + timestamp.encode()
        return hmac.new(self.key, message, hashlib.sha256).digest()

    def verify(
        self,
        pool_name: str,
        user_id: str,
        secret_block_b64: str,
        timestamp: str,
        signature_b64: str,
    ) -> bool:
        """True when PASSWORD_CLAIM_SIGNATURE matches; any malformed input is simply False."""
        try:
            claimed = base64.b64decode(signature_b64, validate=True)
            expected = self.expected_signature(pool_name, user_id, secret_block_b64, timestamp)
        except (ValueError, UnicodeError):  # binascii.Error is a ValueError; lone surrogates
            return False
        return same(claimed, expected)


def start_challenge(
    srp_a_hex: str, verifier: int, random_bytes: Callable[[int], bytes]
) -> ServerChallenge:
    """Check the client's A, draw b, and derive B and the shared key.

    Raises ValueError when SRP_A is not hex or A ≡ 0 (mod N); the caller maps that to
    InvalidParameterException. The key is derived here, not at verify time, so the
    challenge is a plain immutable record the session can hold.
    """
    # Checked by pattern because int(..., 16) also takes "0x", signs, "_" and whitespace.
    if not isinstance(srp_a_hex, str) or not _HEX.fullmatch(srp_a_hex):
        raise ValueError("SRP_A is not a hexadecimal number")
    srp_a = int(srp_a_hex, 16)
    if srp_a % N == 0:
        raise ValueError("SRP_A is 0 modulo N")
    while True:
        b = int.from_bytes(random_bytes(_B_BYTES), "big") % N
        srp_b = (K * verifier + powmod(G, b, N)) % N
        # Clients abort on B ≡ 0 (mod N), and b = 0 would make B a function of v alone.
        if b and srp_b:
            break
    u = int(_hex_hash(_pad_hex(srp_a) + _pad_hex(srp_b)), 16)
    # A client aborts on u == 0, so the key then is never checked; any value will do.
    secret = powmod(srp_a * powmod(verifier, u, N) % N, b, N)
    prk = hmac.new(bytes.fromhex(_pad_hex(u)), bytes.fromhex(_pad_hex(secret)), hashlib.sha256)
    key = hmac.new(prk.digest(), _INFO, hashlib.sha256).digest()[:16]
    return ServerChallenge(srp_a=srp_a, srp_b=srp_b, key=key)


# --- TIMESTAMP ------------------------------------------------------------------------------

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_FULL_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip

# The service's error text quotes a Java SimpleDateFormat pattern, so we assume its lenient
# parsing with Locale.ENGLISH: names in any case, short or long, one- or two-digit numbers and
# a zone name or offset (a common subset). Anything else is the InvalidParameterException case.
_TIMESTAMP = re.compile(
    r"(?P<dow>[A-Za-z]{3,9}) (?P<mon>[A-Za-z]{3,9}) (?P<day>\d{1,2}) "
    r"(?P<h>\d{1,2}):(?P<m>\d{1,2}):(?P<s>\d{1,2}) "
    r"(?P<zone>UTC|GMT|UT|Z|(?:GMT|UTC)?[+-]\d{2}:?\d{2}) (?P<year>\d{4})",
    re.ASCII,
)


def format_timestamp(epoch_seconds: float) -> str:
    """`EEE MMM d HH:mm:ss UTC yyyy`, English, day unpadded: `Fri Nov 6 05:07:09 UTC 2026`."""
    # Built by hand, not strftime, whose %a/%b follow the process locale.
    # Floor first: fromtimestamp rounds microseconds and could carry into the next second.
    t = datetime.fromtimestamp(math.floor(epoch_seconds), tz=timezone.utc)
    return (
        f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day} "
        f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} UTC {t.year}"
    )


def _name_index(text: str, short: tuple[str, ...], full: tuple[str, ...]) -> int | None:
    lowered = text.lower()
    for i, (s, f) in enumerate(zip(short, full, strict=True)):
        if lowered in (s.lower(), f):
            return i
    return None


def _zone_offset(zone: str) -> timedelta:
    if zone in ("UTC", "GMT", "UT", "Z"):
        return timedelta(0)
    digits = zone.lstrip("GMTUC").replace(":", "")
    sign = -1 if digits[0] == "-" else 1
    return sign * timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))


def parse_timestamp(text: str) -> float | None:
    """Epoch seconds for a TIMESTAMP in the service's format family, or None if it is not one.

    Lenient like the service: out-of-range fields roll over (`Feb 30` is `Mar 2`) and the
    weekday is read but not checked; `canonical_timestamp_matches` catches those.
    """
    if not isinstance(text, str):
        return None
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return None
    if _name_index(match["dow"], _DAYS, _FULL_DAYS) is None:
        return None
    month = _name_index(match["mon"], _MONTHS, _FULL_MONTHS)
    if month is None:
        return None
    year = int(match["year"])
    if year < 1:
        return None
    try:
        start = datetime(year, month + 1, 1, tzinfo=timezone.utc)
        when = start + timedelta(
            days=int(match["day"]) - 1,
            hours=int(match["h"]),
            minutes=int(match["m"]),
            seconds=int(match["s"]),
        )
        when -= _zone_offset(match["zone"])
    except OverflowError:  # rolled past year 9999 or before year 1
        return None
    return when.timestamp()


def canonical_timestamp_matches(text: str) -> bool:
    """True only when `text` is exactly how the service renders the instant it parses to.

    A zero-padded day, a wrong weekday, another zone or a rolled-over date all parse but
    fail here; the service then answers NotAuthorizedException "Incorrect username or password.".
    """
    parsed = parse_timestamp(text)
    return parsed is not None and format_timestamp(parsed) == text
