"""Semantically valid Cognito values: usernames, passwords for a policy, attributes for a schema, people.

Realistic text (emails, names, addresses) comes from faker seeded with a Hypothesis-drawn integer, so
every example replays and shrinks (towards what faker gives for seed 0). Every public strategy is a
composite: a failing example prints the value (`email='achang@example.org'`) and the strategy its
call (`passwords({'MinimumLength': 6})`). Imports `hypothesis`, `faker` (lazily, on first draw)
and the backend's attribute and password rules.
"""

from __future__ import annotations

import json
import string
from functools import cache, lru_cache
from typing import Any, NewType

from hypothesis import strategies as st

from cognito_mock.backend.directory.passwords import SYMBOLS
from cognito_mock.backend.kernel.attributes import STANDARD_ATTRIBUTES

__all__ = [
    "FAKER_LOCALES",
    "PASSWORD_RULES",
    "USERNAME_CONFIGS",
    "Email",
    "Password",
    "PhoneNumber",
    "Username",
    "addresses",
    "attributes",
    "emails",
    "locales",
    "names",
    "passwords",
    "phone_numbers",
    "register_types",
    "usernames",
]

Email = NewType("Email", str)
PhoneNumber = NewType("PhoneNumber", str)
Username = NewType("Username", str)
Password = NewType("Password", str)  # satisfies the default policy

USERNAME_CONFIGS = ("plain", "email", "phone", "case_insensitive")
# Rule -> the text after "Password did not conform with policy: " the service answers with.
PASSWORD_RULES = {
    "length": "Password not long enough",
    "uppercase": "Password must have uppercase characters",
    "lowercase": "Password must have lowercase characters",
    "numbers": "Password must have numeric characters",
    "symbols": "Password must have symbol characters",
}
_RULE_KEYS = {
    "uppercase": "RequireUppercase",
    "lowercase": "RequireLowercase",
    "numbers": "RequireNumbers",
    "symbols": "RequireSymbols",
}
# Symbols a password may carry: the service's list without the space (PasswordType is `[\S]+`).
_SYMBOLS = "".join(sorted(SYMBOLS - {" "}))
_CLASSES = {
    "uppercase": string.ascii_uppercase,
    "lowercase": string.ascii_lowercase,
    "numbers": string.digits,
    "symbols": _SYMBOLS,
}
FAKER_LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "pt_BR", "ja_JP", "zh_CN", "hi_IN")
# E.164 country codes with their national number lengths; shrinks towards the first (+1).
_PHONE_PLANS = (("1", 10), ("44", 10), ("49", 11), ("33", 9), ("91", 10), ("55", 11), ("81", 10))


@cache
def _faker(locale: str) -> Any:
    from faker import Faker  # optional: only the people strategies need it

    return Faker(locale)


@cache
def _below(size: int) -> st.SearchStrategy[int]:
    return st.integers(0, size - 1)


_SEEDS = st.integers(0, 2**32 - 1)
_FIRST_DIGITS = st.integers(2, 9)
_NATIONAL_DIGITS = st.text(alphabet=string.digits, min_size=11, max_size=11)
_LOCALE_TAGS = st.sampled_from([code.replace("_", "-") for code in FAKER_LOCALES])
_SUFFIXES = st.integers(0, 9999)


def _fake(draw: Any, method: str, locale_choices: tuple[str, ...]) -> str:
    """`Faker(locale).<method>()` for a drawn locale and seed; shrinks towards locale 0, seed 0."""
    fake = _faker(locale_choices[draw(_below(len(locale_choices)))])
    fake.seed_instance(draw(_SEEDS))
    return str(getattr(fake, method)())


@st.composite
def _faked(draw: Any, method: str, locale_choices: tuple[str, ...] = ("en_US",)) -> str:
    return _fake(draw, method, locale_choices)


@st.composite
def emails(draw: Any) -> str:
    """Realistic email addresses at reserved example domains; shrinks towards faker's seed-0 address."""
    return _fake(draw, "safe_email", ("en_US",))


@st.composite
def phone_numbers(draw: Any) -> str:
    """E.164 numbers (`+` country code and national number); shrinks towards `+12000000000`."""
    code, size = _PHONE_PLANS[draw(_below(len(_PHONE_PLANS)))]
    first = draw(_FIRST_DIGITS)
    return f"+{code}{first}{draw(_NATIONAL_DIGITS)[: size - 1]}"


@st.composite
def names(draw: Any, locales: tuple[str, ...] = FAKER_LOCALES) -> str:
    """Full names in several scripts; shrinks towards faker's seed-0 name in the first locale."""
    return _fake(draw, "name", locales)


@st.composite
def addresses(draw: Any, locales: tuple[str, ...] = FAKER_LOCALES) -> str:
    """Postal addresses (multi-line strings); shrinks towards faker's seed-0 address in en_US."""
    return _fake(draw, "address", locales)


@st.composite
def locales(draw: Any) -> str:
    """BCP 47 tags such as `en-US` (the `locale` attribute's form); shrinks towards `en-US`."""
    tag: str = draw(_LOCALE_TAGS)
    return tag


@cache
def _flips(size: int) -> st.SearchStrategy[list[bool]]:
    return st.lists(st.booleans(), min_size=size, max_size=size)


def _plain_username(draw: Any) -> str:
    suffix = draw(_SUFFIXES)
    return f"{_fake(draw, 'user_name', ('en_US',))}{suffix or ''}"[:128]


@st.composite
def usernames(draw: Any, config: str = "plain") -> str:
    """Usernames a pool with that username configuration accepts.

    `plain`: faker user names with a drawn suffix (never email- or phone-shaped, as alias pools
    require); `email` / `phone`: `emails()` / `phone_numbers()` (pools with UsernameAttributes);
    `case_insensitive`: plain names in mixed case. Shrinks towards faker's seed-0 user name.
    """
    if config not in USERNAME_CONFIGS:
        raise ValueError(f"config must be one of {', '.join(USERNAME_CONFIGS)}; got {config!r}")
    if config == "email":
        return _fake(draw, "safe_email", ("en_US",))
    if config == "phone":
        found: str = draw(phone_numbers())
        return found
    name = _plain_username(draw)
    if config == "case_insensitive":
        flips = draw(_flips(len(name)))
        name = "".join(c.swapcase() if flip else c for c, flip in zip(name, flips, strict=True))
    return name


def _policy_value(policy: dict[str, Any], rule: str) -> bool:
    return bool(policy.get(_RULE_KEYS[rule], True))


@cache
def _chars(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size)


@cache
def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(lo, hi)


@st.composite
def passwords(
    draw: Any, policy: dict[str, Any] | None = None, *, violate: str | None = None
) -> str:
    """Passwords meeting a `PasswordPolicyType` (wire form; missing keys take the service defaults).

    With `violate` ("length", "uppercase", "lowercase", "numbers" or "symbols") the password breaks
    exactly that rule, which the policy must enforce; the service answers with
    `PASSWORD_RULES[violate]`. Shrinks towards the shortest password, its required classes first.
    """
    rules = dict(policy or {})
    if violate is not None and violate not in PASSWORD_RULES:
        raise ValueError(f"violate must be one of {', '.join(PASSWORD_RULES)}; got {violate!r}")
    if violate in _RULE_KEYS and not _policy_value(rules, violate):
        raise ValueError(f"the policy does not require {violate}: nothing to violate")
    needed = [c for c in _CLASSES if _policy_value(rules, c) and c != violate]
    allowed = "".join(v for k, v in _CLASSES.items() if k != violate)
    minimum = int(rules.get("MinimumLength", 8))
    if violate == "length":
        if minimum - 1 < max(len(needed), 1):
            raise ValueError(f"no password shorter than {minimum} can hold {needed}")
        low, high = max(len(needed), 1), minimum - 1
    else:
        low = max(minimum, len(needed), 1)
        high = min(max(low + 8, 12), 256)
    heads = [draw(_chars(_CLASSES[c], 1)) for c in needed]
    tail = draw(_chars(allowed, draw(_ints(low, high)) - len(needed)))
    return "".join(draw(st.permutations([*heads, *tail])))


_TEXT_VALUES: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("name", FAKER_LOCALES),
    "given_name": ("first_name", FAKER_LOCALES),
    "family_name": ("last_name", FAKER_LOCALES),
    "middle_name": ("first_name", FAKER_LOCALES),
    "nickname": ("first_name", ("en_US",)),
    "profile": ("url", ("en_US",)),
    "picture": ("image_url", ("en_US",)),
    "website": ("url", ("en_US",)),
    "zoneinfo": ("timezone", ("en_US",)),
    "birthdate": ("date_of_birth", ("en_US",)),
}


@st.composite
def _numerals(draw: Any, lo: int, hi: int) -> str:
    return str(draw(_ints(lo, hi)))


def _standard_value(name: str) -> st.SearchStrategy[str] | None:
    if name == "email":
        return emails()
    if name == "phone_number":
        return phone_numbers()
    if name == "address":
        return addresses()
    if name == "locale":
        return locales()
    if name == "preferred_username":
        return usernames()
    if name == "gender":
        return st.sampled_from(["female", "male", "other"])
    if name == "updated_at":
        return _numerals(0, 4_102_444_800)
    if name in _TEXT_VALUES:
        method, where = _TEXT_VALUES[name]
        return _faked(method, where)
    return None


def _custom_value(entry: dict[str, Any]) -> st.SearchStrategy[str]:
    kind = entry.get("AttributeDataType", "String")
    if kind == "Number":
        limits = entry.get("NumberAttributeConstraints") or {}
        lo = int(limits.get("MinValue", -(2**31)))
        return _numerals(lo, int(limits.get("MaxValue", max(lo, 0) + 10**6)))
    if kind == "Boolean":
        return st.sampled_from(["true", "false"])
    if kind == "DateTime":
        return _faked("iso8601")
    limits = entry.get("StringAttributeConstraints") or {}
    lo = max(int(limits.get("MinLength", 0)), 1)
    hi = min(int(limits.get("MaxLength", 2048)), 2048)
    return st.text(
        alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")),
        min_size=min(lo, hi),
        max_size=min(hi, lo + 20),
    )


@st.composite
def _cut(draw: Any, values: st.SearchStrategy[str], most: int) -> str:
    value: str = draw(values)
    return value[:most]


def _value_for(entry: dict[str, Any]) -> st.SearchStrategy[str]:
    name = entry["Name"]
    if entry.get("AttributeDataType") == "Boolean":
        return st.sampled_from(["true", "false"])
    limits = entry.get("StringAttributeConstraints") or {}
    standard = _standard_value(name)
    if standard is None:
        return _custom_value(entry)
    return _cut(standard, int(limits.get("MaxLength", 2048)))


@lru_cache(maxsize=64)
def _attribute_values(schema_json: str, developer: bool) -> st.SearchStrategy[dict[str, str]]:
    """Name -> value for a schema (given as JSON, so that it can key this cache)."""
    entries = json.loads(schema_json) if schema_json else STANDARD_ATTRIBUTES
    usable = [
        e for e in entries if e["Name"] != "sub" and (developer or not e["Name"].startswith("dev:"))
    ]
    must = {e["Name"]: _value_for(e) for e in usable if e.get("Required")}
    may = {e["Name"]: _value_for(e) for e in usable if not e.get("Required")}
    return st.fixed_dictionaries(must, optional=may)


@st.composite
def attributes(
    draw: Any, schema: list[dict[str, Any]] | None = None, *, developer: bool = False
) -> list[dict[str, str]]:
    """`[{Name, Value}]` lists a pool with `schema` (DescribeUserPool's SchemaAttributes) accepts.

    Every required attribute is present; other writable ones are drawn. `sub` is never set, `dev:`
    attributes only with `developer=True`. Shrinks towards the required attributes alone.
    """
    key = "" if schema is None else json.dumps(schema, sort_keys=True, default=str)
    values: dict[str, str] = draw(_attribute_values(key, developer))
    return [{"Name": name, "Value": value} for name, value in values.items()]


def register_types() -> None:
    """Let `st.from_type` build the NewTypes above (done when `cognito_mock.strategies` is imported)."""
    st.register_type_strategy(Email, emails())
    st.register_type_strategy(PhoneNumber, phone_numbers())
    st.register_type_strategy(Username, usernames())
    st.register_type_strategy(Password, passwords())
