"""Hostile requests for the hostile-input suite: a model-valid request with real ids, then one to
three places in it replaced by something an attacker or a fuzzer would send (unpaired surrogates,
NUL, emoji, 1 MB strings, deep nesting, wrong JSON types, floats for integers, forged tokens), and
a populated mock for them to hit."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from hypothesis import strategies as st

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.kernel.registry import registered
from cognito_mock.shapes import operation, schema_document
from cognito_mock.strategies import from_operation
from tests.helpers import PASSWORD

__all__ = [
    "IMPLEMENTED", "World", "Worlds", "hostile_requests", "make_world", "nested", "to_json",
]  # fmt: skip

NOW = 1_790_000_000.0
FLOWS = [
    "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_AUTH",
]  # fmt: skip
MEGABYTE = "x" * 1_000_000


def nested(depth: int, leaf: Any = "x", *, maps: bool = False) -> Any:
    value = leaf
    for _ in range(depth):
        value = {"a": value} if maps else [value]
    return value


def _b64(data: Any) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class World:
    """A mock with a pool of everything, and the real values requests may name."""

    mock: CognitoMock
    real: dict[str, str]
    forged_tokens: list[str]


def _tokens_of(mock: CognitoMock, pool: str, client: str, user: str) -> dict[str, str]:
    result = mock.call(
        "AdminInitiateAuth", UserPoolId=pool, ClientId=client,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": user, "PASSWORD": PASSWORD},
    )  # fmt: skip
    return dict(result["AuthenticationResult"])


def _populate(mock: CognitoMock) -> dict[str, str]:
    pool = mock.call(
        "CreateUserPool", PoolName="hostile", AliasAttributes=["email", "preferred_username"],
        AutoVerifiedAttributes=["email"], MfaConfiguration="OPTIONAL",
        Schema=[{"Name": "team", "AttributeDataType": "String"},
                {"Name": "level", "AttributeDataType": "Number"}],
    )["UserPool"]["Id"]  # fmt: skip
    mock.call("SetUserPoolMfaConfig", UserPoolId=pool, MfaConfiguration="OPTIONAL",
              SoftwareTokenMfaConfiguration={"Enabled": True})  # fmt: skip
    client = mock.call("CreateUserPoolClient", UserPoolId=pool, ClientName="app",
                       ExplicitAuthFlows=FLOWS)["UserPoolClient"]["ClientId"]  # fmt: skip
    secret = mock.call("CreateUserPoolClient", UserPoolId=pool, ClientName="server",
                       GenerateSecret=True, ExplicitAuthFlows=FLOWS)["UserPoolClient"]  # fmt: skip
    mock.call("CreateGroup", UserPoolId=pool, GroupName="staff")
    for name in ("alice", "bob"):
        mock.call(
            "AdminCreateUser", UserPoolId=pool, Username=name, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"},
                            {"Name": "email_verified", "Value": "true"},
                            {"Name": "custom:team", "Value": "red"}],
        )  # fmt: skip
        mock.call("AdminSetUserPassword", UserPoolId=pool, Username=name, Password=PASSWORD,
                  Permanent=True)  # fmt: skip
        mock.call("AdminAddUserToGroup", UserPoolId=pool, Username=name, GroupName="staff")
    mock.call("AdminCreateUser", UserPoolId=pool, Username="carol", TemporaryPassword=PASSWORD,
              MessageAction="SUPPRESS")  # fmt: skip
    session = mock.call(
        "InitiateAuth", ClientId=client, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD},
    )["Session"]  # fmt: skip
    tokens = _tokens_of(mock, pool, client, "alice")
    return {
        "UserPoolId": pool, "ClientId": client, "Username": "alice", "GroupName": "staff",
        "AccessToken": tokens["AccessToken"], "RefreshToken": tokens["RefreshToken"],
        "Token": tokens["RefreshToken"], "Session": session, "ClientSecret": secret["ClientSecret"],
        "IdToken": tokens["IdToken"],
    }  # fmt: skip


class Worlds:
    """One world shared by many tests, made again when a request deleted its pool."""

    def __init__(self) -> None:
        self._world: World | None = None

    def get(self) -> World:
        world = self._world
        if world is None or world.real["UserPoolId"] not in world.mock.backend().pools:
            world = self._world = make_world()
        return world


def make_world(seed: int = 11) -> World:
    """The world, and tokens forged from it and from another mock with the same seed."""
    mock = CognitoMock(clock=ManualClock(NOW), seed=seed)
    mock.triggers.missing = "skip"  # requests may configure triggers no test registered
    real = _populate(mock)
    twin = CognitoMock(clock=ManualClock(NOW), seed=seed)
    twin_real = _populate(twin)  # same ids, other keys: its tokens must never work here
    head, body, signature = real["AccessToken"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    forged = [
        twin_real["AccessToken"],
        twin_real["RefreshToken"],
        f"{head}.{_b64({**claims, 'username': 'bob', 'sub': 'x'})}.{signature}",
        f"{_b64({'alg': 'none', 'kid': 'x'})}.{body}.",
        f"{_b64({'alg': 'HS256', 'kid': json.loads(base64.urlsafe_b64decode(head + '=='))['kid']})}"
        f".{body}.{signature}",
        f"{_b64(nested(900))}.{body}.{signature}",
        f"{head}.{_b64(b'not json')}.{signature}",
        real["AccessToken"][:-4] + "AAAA",
        "a.b.c.d.e",
        ".".join(["A" * 5000] * 3),
    ]
    return World(mock, real, forged)


# ----------------------------------------------------------------------------- hostile values

_STRINGS = [
    "\ud800", "a\udfffb", "\udbff\ud800", "\x00", "nul\x00inside", "\U0001f600" * 20, "\u202e",
    "\r\n\t", " ", "", "\ufeff", "\u0661\u0662\u0663\u0664\u0665\u0666", "é" * 5000, "Ⅻ",
    '{"__type": "x"}', "' OR 1=1 --", "../../etc/passwd", "%s%n{0}", "<script>", "\\u0000",
    "a" * 129, "us-east-1_\ud800", MEGABYTE,
]  # fmt: skip
_NUMBERS = [5.0, 5.5, -0.0, 1e308, float("inf"), float("nan"), 10**30, -1, 0, 2**31, 2**63, True]


def _wrong_types() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.booleans(),
        st.none(),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        st.builds(nested, st.sampled_from([64, 65, 450, 5000]), maps=st.booleans()),
    )


def hostile_values(tokens: list[str]) -> st.SearchStrategy[Any]:
    """Values that replace one place of a request; shrink towards the first hostile string."""
    return st.one_of(
        st.sampled_from(_STRINGS),
        st.text(max_size=20),
        _wrong_types(),
        st.sampled_from(_NUMBERS),
        st.sampled_from(tokens),
    )


# ----------------------------------------------------------------------------- requests


def _sites(value: Any, path: tuple[Any, ...] = (), depth: int = 0) -> list[tuple[Any, ...]]:
    """Every place in `value` (members, items, map values) down to a small depth."""
    out = [path]
    if depth >= 4:
        return out
    if isinstance(value, dict):
        for key, item in value.items():
            out += _sites(item, (*path, key), depth + 1)
        out.append((*path, "UnknownMember"))  # a member the model lacks
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _sites(item, (*path, index), depth + 1)
    return out


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, list):
        copy = list(value)
        copy[head] = _replace(value[head], rest, new)
        return copy
    return {**value, head: _replace(value.get(head), rest, new)}


@cache
def _valid(op: str) -> st.SearchStrategy[Any]:
    return from_operation(op)


@st.composite
def hostile_requests(draw: Any, op: str, world: World) -> Any:
    """A request for `op`: valid, with real ids where it names them, then made hostile."""
    request = dict(draw(_valid(op)))
    members = _member_names(operation(op).input)
    for name, value in world.real.items():
        if name in members and draw(st.booleans()):
            request[name] = value
    for _ in range(draw(st.integers(1, 3))):
        sites = _sites(request)
        site = sites[draw(st.integers(0, len(sites) - 1))]
        request = _replace(request, site, draw(hostile_values(world.forged_tokens)))
    return request


@cache
def _member_names(shape: str) -> frozenset[str]:
    return frozenset(schema_document()["$defs"][shape].get("properties", {}))


IMPLEMENTED = frozenset(registered())


def to_json(value: Any) -> str:
    """JSON text of `value` without recursion (json.dumps gives up on deep nesting); NaN and
    infinities as the non-standard literals json.dumps writes, surrogates as escapes."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item.text)
        elif isinstance(item, dict):
            parts: list[Any] = [_Raw("{")]
            for index, (key, member) in enumerate(item.items()):
                parts += [_Raw(("," if index else "") + json.dumps(str(key)) + ":"), member]
            stack += reversed([*parts, _Raw("}")])
        elif isinstance(item, (list, tuple)):
            parts = [_Raw("[")]
            for index, member in enumerate(item):
                parts += [_Raw(",") if index else _Raw(""), member]
            stack += reversed([*parts, _Raw("]")])
        else:
            out.append(json.dumps(item))
    return "".join(out)


@dataclass(frozen=True)
class _Raw:
    text: str
