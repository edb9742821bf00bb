"""Semantically valid Cognito values: usernames, passwords for a policy, attributes for a schema, people.

Realistic text (emails, names, addresses) comes from faker seeded with a Hypothesis-drawn integer, so
every example replays and shrinks (towards what faker gives for seed 0). Imports `hypothesis`,
`faker` (lazily, on first draw) and the backend's attribute and password rules.
"""

from __future__ import annotations

import string
from functools import cache
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
    from faker import Faker

    return Faker(locale)


def _faked(method: str, locale_choices: tuple[str, ...] = ("en_US",)) -> st.SearchStrategy[str]:
    """`Faker(locale).<method>()` for a drawn locale and seed; shrinks towards locale 0, seed 0."""

    def make(args: tuple[int, int]) -> str:
        locale, seed = args
        fake = _faker(locale_choices[locale])
        fake.seed_instance(seed)
        return str(getattr(fake, method)())

    return st.tuples(st.integers(0, len(locale_choices) - 1), st.integers(0, 2**32 - 1)).map(make)


def emails() -> st.SearchStrategy[str]:
    """Realistic email addresses at reserved example domains; shrinks towards faker's seed-0 address."""
    return _faked("safe_email")


def phone_numbers() -> st.SearchStrategy[str]:
    """E.164 numbers (`+` country code and national number); shrinks towards `+12000000000`."""

    def make(args: tuple[int, int, str]) -> str:
        plan, first, rest = args
        code, size = _PHONE_PLANS[plan]
        return f"+{code}{first}{rest[: size - 1]}"

    digits = st.text(alphabet=string.digits, min_size=11, max_size=11)
    return st.tuples(st.integers(0, len(_PHONE_PLANS) - 1), st.integers(2, 9), digits).map(make)


def names(locales: tuple[str, ...] = FAKER_LOCALES) -> st.SearchStrategy[str]:
    """Full names in several scripts; shrinks towards faker's seed-0 name in the first locale."""
    return _faked("name", locales)


def addresses(locales: tuple[str, ...] = FAKER_LOCALES) -> st.SearchStrategy[str]:
    """Postal addresses (multi-line strings); shrinks towards faker's seed-0 address in en_US."""
    return _faked("address", locales)


def locales() -> st.SearchStrategy[str]:
    """BCP 47 tags such as `en-US` (the `locale` attribute's form); shrinks towards `en-US`."""
    return st.sampled_from([code.replace("_", "-") for code in FAKER_LOCALES])


def _cases(value: str) -> st.SearchStrategy[str]:
    flips = st.lists(st.booleans(), min_size=len(value), max_size=len(value))
    return flips.map(
        lambda f: "".join(c.swapcase() if b else c for c, b in zip(value, f, strict=True))
    )


def usernames(config: str = "plain") -> st.SearchStrategy[str]:
    """Usernames a pool with that username configuration accepts.

    `plain`: faker user names with a drawn suffix (never email- or phone-shaped, as alias pools
    require); `email` / `phone`: `emails()` / `phone_numbers()` (pools with UsernameAttributes);
    `case_insensitive`: plain names in mixed case. Shrinks towards faker's seed-0 user name.
    """

    def build() -> st.SearchStrategy[str]:
        if config not in USERNAME_CONFIGS:
            raise ValueError(f"config must be one of {', '.join(USERNAME_CONFIGS)}; got {config!r}")
        if config == "email":
            return emails()
        if config == "phone":
            return phone_numbers()
        plain = st.tuples(_faked("user_name"), st.integers(0, 9999)).map(
            lambda p: f"{p[0]}{p[1] or ''}"[:128]
        )
        return plain.flatmap(_cases) if config == "case_insensitive" else plain

    return st.deferred(build)


def _policy_value(policy: dict[str, Any], rule: str) -> bool:
    return bool(policy.get(_RULE_KEYS[rule], True))


def passwords(
    policy: dict[str, Any] | None = None, *, violate: str | None = None
) -> st.SearchStrategy[str]:
    """Passwords meeting a `PasswordPolicyType` (wire form; missing keys take the service defaults).

    With `violate` ("length", "uppercase", "lowercase", "numbers" or "symbols") the password breaks
    exactly that rule, which the policy must enforce; the service answers with
    `PASSWORD_RULES[violate]`. Shrinks towards the shortest password, its required classes first.
    """

    def build() -> st.SearchStrategy[str]:
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
        heads = st.tuples(*(st.sampled_from(_CLASSES[c]) for c in needed))
        tails = st.integers(low, high).flatmap(
            lambda size: st.text(
                alphabet=allowed, min_size=size - len(needed), max_size=size - len(needed)
            )
        )
        return st.tuples(heads, tails).flatmap(
            lambda parts: st.permutations(list("".join(parts[0]) + parts[1])).map("".join)
        )

    return st.deferred(build)


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
        return st.integers(0, 4_102_444_800).map(str)
    if name in _TEXT_VALUES:
        method, where = _TEXT_VALUES[name]
        return _faked(method, where)
    return None


def _custom_value(entry: dict[str, Any]) -> st.SearchStrategy[str]:
    kind = entry.get("AttributeDataType", "String")
    if kind == "Number":
        limits = entry.get("NumberAttributeConstraints") or {}
        lo = int(limits.get("MinValue", -(2**31)))
        return st.integers(lo, int(limits.get("MaxValue", max(lo, 0) + 10**6))).map(str)
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


def _value_for(entry: dict[str, Any]) -> st.SearchStrategy[str]:
    name = entry["Name"]
    if entry.get("AttributeDataType") == "Boolean":
        return st.sampled_from(["true", "false"])
    limits = entry.get("StringAttributeConstraints") or {}
    standard = _standard_value(name)
    if standard is None:
        return _custom_value(entry)
    hi = int(limits.get("MaxLength", 2048))
    return standard.map(lambda v: v[:hi])


def attributes(
    schema: list[dict[str, Any]] | None = None, *, developer: bool = False
) -> st.SearchStrategy[list[dict[str, str]]]:
    """`[{Name, Value}]` lists a pool with `schema` (DescribeUserPool's SchemaAttributes) accepts.

    Every required attribute is present; other writable ones are drawn. `sub` is never set, `dev:`
    attributes only with `developer=True`. Shrinks towards the required attributes alone.
    """

    def build() -> st.SearchStrategy[list[dict[str, str]]]:
        entries = STANDARD_ATTRIBUTES if schema is None else schema
        usable = [
            e
            for e in entries
            if e["Name"] != "sub" and (developer or not e["Name"].startswith("dev:"))
        ]
        must = {e["Name"]: _value_for(e) for e in usable if e.get("Required")}
        may = {e["Name"]: _value_for(e) for e in usable if not e.get("Required")}
        return st.fixed_dictionaries(must, optional=may).map(
            lambda values: [{"Name": k, "Value": v} for k, v in values.items()]
        )

    return st.deferred(build)


def register_types() -> None:
    """Let `st.from_type` build the NewTypes above (done when `cognito_mock.strategies` is imported)."""
    st.register_type_strategy(Email, emails())
    st.register_type_strategy(PhoneNumber, phone_numbers())
    st.register_type_strategy(Username, usernames())
    st.register_type_strategy(Password, passwords())
