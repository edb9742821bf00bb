"""ListUsers filters: grammar, every searchable attribute and operator, case rules, errors, a property."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.directory import filters as user_filters
from cognito_mock.backend.directory.filters import Filter, parse_filter
from cognito_mock.errors import InvalidParameterException
from tests.helpers import PASSWORD

SEARCHABLE = [
    "username", "email", "phone_number", "name", "given_name", "family_name",
    "preferred_username", "cognito:user_status", "status", "sub",
]  # fmt: skip
GIVEN = ["Ann", "ann", "Anna", "Bob", "Bobby", "Zoë", 'O"Neil', "Back\\slash", "Cy"]
FAMILY = ["Reddy", "reddy", "Smith", "Smythe", "Ng"]
DOMAINS = ["example.com", "Example.COM", "test.org"]
PARSE = "Error while parsing filter."


# ---------------------------------------------------------------------------------------------
# An independent reference: a linear scan over what the test itself recorded about each user.


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def folds(attribute: str, case_insensitive_pool: bool) -> bool:
    if attribute == "cognito:user_status":
        return True
    return case_insensitive_pool and attribute in ("username", "email", "preferred_username")


def raw(user: dict[str, Any], attribute: str) -> str | None:
    if attribute == "username":
        return str(user["username"])
    if attribute == "cognito:user_status":
        return str(user["status"])
    if attribute == "status":
        return "Enabled" if user["enabled"] else "Disabled"
    return user["attrs"].get(attribute)


def reference(
    model: list[dict[str, Any]], attribute: str, prefix: bool, value: str, ci_pool: bool
) -> list[str]:
    """Usernames matching, ordered by (compared value, creation order)."""
    norm = str.lower if folds(attribute, ci_pool) else str
    wanted = norm(value)
    hits = []
    for position, user in enumerate(model):
        have = raw(user, attribute)
        if have is None:
            continue
        if (norm(have).startswith(wanted)) if prefix else (norm(have) == wanted):
            hits.append((norm(have), position, user["username"]))
    return [name for _, _, name in sorted(hits)]


def list_all(client: Any, pool_id: str, flt: str | None, limit: int | None = None) -> list[str]:
    names: list[str] = []
    kwargs: dict[str, Any] = {"UserPoolId": pool_id}
    if flt is not None:
        kwargs["Filter"] = flt
    if limit is not None:
        kwargs["Limit"] = limit
    while True:
        page = client.list_users(**kwargs)
        names += [u["Username"] for u in page["Users"]]
        if "PaginationToken" not in page:
            return names
        kwargs["PaginationToken"] = page["PaginationToken"]


def error_of(client: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        client.list_users(**kwargs)
    err = caught.value.response["Error"]
    return err["Code"], err["Message"]


# ---------------------------------------------------------------------------------------------
# A 1,200-user population per pool kind, built once for the read-only tests.


def populate(mock: CognitoMock, pool_id: str, count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    model = []
    for i in range(count):
        given_name = rng.choice(GIVEN)
        family = rng.choice(FAMILY)
        attrs: dict[str, str] = {"given_name": given_name}
        if i % 10:
            local = given_name.lower() if i % 3 else given_name
            attrs["email"] = f"{local}.{i}@{rng.choice(DOMAINS)}"
        if i % 3 == 0:
            attrs["phone_number"] = f"+1312555{i:04d}"
        elif i % 3 == 1:
            attrs["phone_number"] = f"+44207{i:06d}"
        if i % 4:
            attrs["family_name"] = family
            attrs["name"] = f"{given_name} {family}"
        if i % 2:
            attrs["preferred_username"] = f"{rng.choice(['Pref', 'pref', 'PREF'])}{i % 50}"
        username = f"{'User' if i % 2 else 'user'}{i:04d}"
        created = mock.call(
            "AdminCreateUser", UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()],
        )["User"]  # fmt: skip
        sub = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
        user = {"username": username, "attrs": {**attrs, "sub": sub}, "enabled": True,
                "status": "FORCE_CHANGE_PASSWORD"}  # fmt: skip
        if i % 7 == 0:
            mock.call("AdminDisableUser", UserPoolId=pool_id, Username=username)
            user["enabled"] = False
        if i % 5 == 0:
            mock.call("AdminSetUserPassword", UserPoolId=pool_id, Username=username,
                      Password=PASSWORD, Permanent=True)  # fmt: skip
            user["status"] = "CONFIRMED"
        model.append(user)
    return model


class World:
    def __init__(self) -> None:
        self.mock = CognitoMock(clock=ManualClock(1_790_000_000.0), seed=99)
        self.client = self.mock.client()
        self.cs_pool = self.mock.call("CreateUserPool", PoolName="cs")["UserPool"]["Id"]
        self.ci_pool = self.mock.call(
            "CreateUserPool", PoolName="ci", UsernameConfiguration={"CaseSensitive": False}
        )["UserPool"]["Id"]
        self.cs = populate(self.mock, self.cs_pool, 1200, seed=1)
        self.ci = populate(self.mock, self.ci_pool, 1000, seed=2)


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    yield World()


def probes(model: list[dict[str, Any]], attribute: str) -> list[tuple[bool, str]]:
    """(prefix?, value) pairs worth asking: whole values, their prefixes and case variants."""
    values = sorted({v for u in model if (v := raw(u, attribute)) is not None})
    picked = values[:: max(1, len(values) // 4)][:4]
    found: list[tuple[bool, str]] = [(False, "no-such-value"), (True, "zz-no-such")]
    for value in picked:
        found += [(False, value), (True, value), (True, value[: max(1, len(value) // 2)])]
        found += [(False, value.upper()), (True, value[:3].swapcase())]
    return found


# ---------------------------------------------------------------------------------------------
# Grammar (unit level)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ('family_name = "Reddy"', Filter("family_name", False, "Reddy")),
        ('phone_number ^= "+1312"', Filter("phone_number", True, "+1312")),
        ('email="a@b.c"', Filter("email", False, "a@b.c")),
        ('email^="a"', Filter("email", True, "a")),
        ('  name   ^=   "Ann B"  ', Filter("name", True, "Ann B")),
        ('given_name = "O\\"Neil"', Filter("given_name", False, 'O"Neil')),
        ('given_name = "Back\\\\slash"', Filter("given_name", False, "Back\\slash")),
        ('given_name = ""', Filter("given_name", False, "")),
        ('cognito:user_status = "confirmed"', Filter("cognito:user_status", False, "confirmed")),
        ('sub = "x = \\"y\\" ^= z"', Filter("sub", False, 'x = "y" ^= z')),
    ],
)
def test_parse_accepts_one_clause(text: str, parsed: Filter) -> None:
    assert parse_filter(text) == parsed


@pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
def test_parse_empty_means_everyone(text: str | None) -> None:
    assert parse_filter(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "email",
        'email "a"',
        'email == "a"',
        'email ^ = "a"',
        'email != "a"',
        'email > "a"',
        "email = a",
        "email = 'a'",
        'email = "a',
        'email = "a"b',
        'email = "a" "b"',
        'email = "a\\nb"',
        'email = "a\\"',
        '= "a"',
        '"email" = "a"',
        'email = "a" and name = "b"',
        'email = "a", name = "b"',
        'email = "a"; x',
        'e mail = "a"',
        'email\\ = "a"',
        'email ~= "a"',
    ],
)
def test_parse_rejects_malformed(text: str) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        parse_filter(text)
    assert caught.value.message == PARSE


@pytest.mark.parametrize(
    "name", ["custom:team", "locale", "Email", "USERNAME", "email_verified", "cognito:username",
             "dev:custom:x", "user_status", "enabled", "address"],
)  # fmt: skip
def test_parse_rejects_unsearchable(name: str) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        parse_filter(f'{name} = "x"')
    assert caught.value.message == f"Invalid search attribute: {name}"


def test_searchable_set_is_the_documented_one() -> None:
    assert set(SEARCHABLE) == user_filters.SEARCHABLE
    assert set(user_filters.__all__) <= set(dir(user_filters))


# ---------------------------------------------------------------------------------------------
# Through boto3, against the reference, on 1,200 / 1,000 users


@pytest.mark.parametrize("attribute", SEARCHABLE)
def test_every_attribute_and_operator_case_sensitive_pool(world: World, attribute: str) -> None:
    for prefix, value in probes(world.cs, attribute):
        flt = f"{attribute} {'^=' if prefix else '='} {quote(value)}"
        assert list_all(world.client, world.cs_pool, flt) == reference(
            world.cs, attribute, prefix, value, ci_pool=False
        ), flt


@pytest.mark.parametrize("attribute", SEARCHABLE)
def test_every_attribute_and_operator_case_insensitive_pool(world: World, attribute: str) -> None:
    for prefix, value in probes(world.ci, attribute):
        flt = f"{attribute} {'^=' if prefix else '='} {quote(value)}"
        assert list_all(world.client, world.ci_pool, flt) == reference(
            world.ci, attribute, prefix, value, ci_pool=True
        ), flt


def test_known_counts_pin_the_reference(world: World) -> None:
    """Counts computed from the population rules directly, so a wrong reference cannot hide."""
    c, pool = world.client, world.cs_pool
    assert len(list_all(c, pool, 'status = "Disabled"')) == len(range(0, 1200, 7))
    assert len(list_all(c, pool, 'status = "Enabled"')) == 1200 - len(range(0, 1200, 7))
    assert list_all(c, pool, 'status = "enabled"') == []  # case-sensitive
    assert len(list_all(c, pool, 'status ^= "Dis"')) == len(range(0, 1200, 7))
    confirmed = len(range(0, 1200, 5))
    assert len(list_all(c, pool, 'cognito:user_status = "CONFIRMED"')) == confirmed
    assert len(list_all(c, pool, 'cognito:user_status = "confirmed"')) == confirmed
    assert len(list_all(c, pool, 'cognito:user_status ^= "force_"')) == 1200 - confirmed
    assert len(list_all(c, pool, 'phone_number ^= "+1312"')) == len(range(0, 1200, 3))
    assert len(list_all(c, pool, 'phone_number ^= "+44"')) == len(range(1, 1200, 3))
    assert len(list_all(c, pool, 'email ^= ""')) == 1200 - len(range(0, 1200, 10))
    assert list_all(c, pool, 'username = "user0002"') == ["user0002"]
    assert list_all(c, pool, 'username = "User0002"') == []  # case-sensitive pool
    assert list_all(c, pool, 'username = "User0003"') == ["User0003"]
    assert len(list_all(c, pool, 'username ^= "user"')) == 600
    assert len(list_all(c, pool, None)) == 1200


def test_case_insensitive_pool_folds_username_email_preferred_username_only(world: World) -> None:
    c, pool = world.client, world.ci_pool
    assert list_all(c, pool, 'username = "USER0002"') == ["user0002"]
    assert len(list_all(c, pool, 'username ^= "USER"')) == 1000
    with_email = [u for u in world.ci if "email" in u["attrs"]]
    email = with_email[3]["attrs"]["email"]
    assert list_all(c, pool, f"email = {quote(email.upper())}") == [with_email[3]["username"]]
    prefs = [u for u in world.ci if "preferred_username" in u["attrs"]]
    assert len(list_all(c, pool, 'preferred_username ^= "pref"')) == len(prefs)
    # Other attributes stay exact even here.
    anns = [u["username"] for u in world.ci if u["attrs"]["given_name"] == "Ann"]
    assert sorted(list_all(c, pool, 'given_name = "Ann"')) == sorted(anns)
    assert not set(list_all(c, pool, 'given_name = "ann"')) & set(anns)
    # And the case-sensitive pool does not fold email.
    cs_email = next(u for u in world.cs if "email" in u["attrs"])["attrs"]["email"]
    assert list_all(world.client, world.cs_pool, f"email = {quote(cs_email.upper())}") == []


def test_quotes_and_backslashes_in_values(world: World) -> None:
    c, pool = world.client, world.cs_pool
    oneils = [u["username"] for u in world.cs if u["attrs"]["given_name"] == 'O"Neil']
    slashes = [u["username"] for u in world.cs if u["attrs"]["given_name"] == "Back\\slash"]
    assert oneils and slashes
    assert sorted(list_all(c, pool, 'given_name = "O\\"Neil"')) == sorted(oneils)
    assert sorted(list_all(c, pool, 'given_name ^= "O\\""')) == sorted(oneils)
    assert sorted(list_all(c, pool, 'given_name = "Back\\\\slash"')) == sorted(slashes)
    assert sorted(list_all(c, pool, 'given_name ^= "Back\\\\"')) == sorted(slashes)
    assert error_of(c, UserPoolId=pool, Filter='given_name = "O"Neil"') == (
        "InvalidParameterException",
        PARSE,
    )
    assert error_of(c, UserPoolId=pool, Filter='given_name = "Back\\slash"') == (
        "InvalidParameterException",
        PARSE,
    )


def test_whitespace_variants_agree(world: World) -> None:
    c, pool = world.client, world.cs_pool
    base = list_all(c, pool, 'family_name ^= "Sm"')
    assert base
    for text in ['family_name^="Sm"', '  family_name   ^=   "Sm"  ', '\tfamily_name ^=\t"Sm"\n']:
        assert list_all(c, pool, text) == base


def test_results_are_sorted_by_the_filtered_value(world: World) -> None:
    page = world.client.list_users(UserPoolId=world.cs_pool, Filter='email ^= "b"')["Users"]
    emails = [next(a["Value"] for a in u["Attributes"] if a["Name"] == "email") for u in page]
    assert len(emails) == 60 and emails == sorted(emails)


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        ('custom:team = "x"', "Invalid search attribute: custom:team"),
        ('locale ^= "en"', "Invalid search attribute: locale"),
        ('Email = "x"', "Invalid search attribute: Email"),
        ('email == "x"', PARSE),
        ("email = x", PARSE),
        ('email = "x" and name = "y"', PARSE),
        ("email", PARSE),
        ('email = "x', PARSE),
    ],
)
def test_filter_errors_through_boto3(world: World, flt: str, message: str) -> None:
    assert error_of(world.client, UserPoolId=world.cs_pool, Filter=flt) == (
        "InvalidParameterException",
        message,
    )


def test_empty_filter_lists_everyone(client: Any, mock: CognitoMock, pool_id: str) -> None:
    for name in ("b", "a", "c"):
        mock.call("AdminCreateUser", UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    assert list_all(client, pool_id, "") == ["b", "a", "c"]  # creation order
    assert list_all(client, pool_id, "  ") == ["b", "a", "c"]


def test_changes_are_seen_by_the_next_search(client: Any, mock: CognitoMock, pool_id: str) -> None:
    for i in range(1000):
        mock.call("AdminCreateUser", UserPoolId=pool_id, Username=f"u{i:04d}",
                  MessageAction="SUPPRESS",
                  UserAttributes=[{"Name": "given_name", "Value": f"G{i % 10}"}])  # fmt: skip
    assert len(list_all(client, pool_id, 'given_name = "G3"')) == 100
    assert list_all(client, pool_id, 'given_name = "New"') == []
    mock.call("AdminUpdateUserAttributes", UserPoolId=pool_id, Username="u0003",
              UserAttributes=[{"Name": "given_name", "Value": "New"}])  # fmt: skip
    mock.call("AdminDeleteUser", UserPoolId=pool_id, Username="u0013")
    mock.call("AdminDeleteUserAttributes", UserPoolId=pool_id, Username="u0023",
              UserAttributeNames=["given_name"])  # fmt: skip
    mock.call("AdminDisableUser", UserPoolId=pool_id, Username="u0033")
    mock.call("AdminSetUserPassword", UserPoolId=pool_id, Username="u0043", Password=PASSWORD,
              Permanent=True)  # fmt: skip
    g3 = list_all(client, pool_id, 'given_name = "G3"')
    assert len(g3) == 97 and not {"u0003", "u0013", "u0023"} & set(g3)
    assert list_all(client, pool_id, 'given_name = "New"') == ["u0003"]
    assert list_all(client, pool_id, 'status = "Disabled"') == ["u0033"]
    assert list_all(client, pool_id, 'cognito:user_status = "Confirmed"') == ["u0043"]
    mock.call("AdminEnableUser", UserPoolId=pool_id, Username="u0033")
    assert list_all(client, pool_id, 'status = "Disabled"') == []
    assert len(list_all(client, pool_id, 'status = "Enabled"')) == 999


# ---------------------------------------------------------------------------------------------
# Property: any population, any filter, any page size == the brute-force reference

_ALPHABET = 'aAb"\\'
_values = st.text(_ALPHABET, max_size=4)
_user = st.fixed_dictionaries(
    {"name": _values, "given": st.one_of(st.none(), _values), "email": st.one_of(st.none(), _values),
     "pref": st.one_of(st.none(), _values), "disabled": st.booleans(), "confirmed": st.booleans()}
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    users=st.lists(_user, max_size=14),
    ci_pool=st.booleans(),
    queries=st.lists(
        st.tuples(
            st.booleans(),
            _values,
            st.sampled_from(["as is", "taken", "swapcase"]),
            st.integers(min_value=0),
        ),
        min_size=len(SEARCHABLE),
        max_size=len(SEARCHABLE),
    ),
    limit=st.integers(min_value=0, max_value=6),
)
def test_filter_matches_brute_force(
    world: World, users: list[dict[str, Any]], ci_pool: bool,
    queries: list[tuple[bool, str, str, int]], limit: int,
) -> None:  # fmt: skip
    """Every searchable attribute is queried against the same population, with a value drawn
    freely, taken (whole or a prefix) from a user, or taken and then case-swapped."""
    mock = world.mock  # a fresh pool per example; one client for all (clients are slow to make)
    config: dict[str, Any] = {"UsernameConfiguration": {"CaseSensitive": not ci_pool}}
    pool_id = mock.call("CreateUserPool", PoolName="p", **config)["UserPool"]["Id"]
    model: list[dict[str, Any]] = []
    taken: set[str] = set()
    for n, spec in enumerate(users):
        username = f"{spec['name']}{n}"
        if (username.lower() if ci_pool else username) in taken:
            continue
        taken.add(username.lower() if ci_pool else username)
        phone = None if spec["given"] is None else f"+1{n:06d}"
        email = None if spec["email"] is None else f"e{spec['email']}@x.y"
        attrs = {"given_name": spec["given"], "email": email, "preferred_username": spec["pref"],
                 "family_name": spec["pref"], "name": spec["given"], "phone_number": phone}  # fmt: skip
        attrs = {k: v for k, v in attrs.items() if isinstance(v, str)}
        created = mock.call(
            "AdminCreateUser", UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()],
        )["User"]  # fmt: skip
        attrs["sub"] = next(a["Value"] for a in created["Attributes"] if a["Name"] == "sub")
        if spec["disabled"]:
            mock.call("AdminDisableUser", UserPoolId=pool_id, Username=username)
        if spec["confirmed"]:
            mock.call("AdminSetUserPassword", UserPoolId=pool_id, Username=username,
                      Password=PASSWORD, Permanent=True)  # fmt: skip
        model.append({"username": username, "attrs": attrs, "enabled": not spec["disabled"],
                      "status": "CONFIRMED" if spec["confirmed"] else "FORCE_CHANGE_PASSWORD"})  # fmt: skip
    for attribute, (prefix, value, how, pick) in zip(SEARCHABLE, queries, strict=True):
        existing = [v for u in model if (v := raw(u, attribute)) is not None]
        if existing and how != "as is":
            value = existing[pick % len(existing)]
            value = value[: pick % (len(value) + 1)] if prefix else value
            value = value.swapcase() if how == "swapcase" else value
        flt = f"{attribute} {'^=' if prefix else '='} {quote(value)}"
        got = list_all(world.client, pool_id, flt, limit=limit)
        assert got == reference(model, attribute, prefix, value, ci_pool), flt


def test_a_copied_directory_does_not_reuse_its_originals_index(
    mock: CognitoMock, pool_id: str
) -> None:
    for name in ("a", "b"):
        mock.call("AdminCreateUser", UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    pool = mock.backend().pool(pool_id)
    index = user_filters.search_index(pool.users)
    assert [u.username for _, u in index.scan(None)] == ["a", "b"]
    twin = copy.copy(pool.users)
    twin.by_name = {k: v for k, v in pool.users.by_name.items() if k == "a"}
    twin.by_sub = {u.sub: u for u in twin.by_name.values()}
    assert twin.index_cache is index
    assert [u.username for _, u in user_filters.search_index(twin).scan(None)] == ["a"]


@pytest.mark.parametrize("case_sensitive", [True, False])
def test_indexes_built_in_runs_order_like_one_sort(
    monkeypatch: pytest.MonkeyPatch, case_sensitive: bool
) -> None:
    """Indexes sort in runs of `_RUN` keys merged (issue 16: no key string per user at the
    peak); the order is the one sort's, (folded value, creation order), before and after changes
    refile users (unfolded packed values are filed by reference)."""
    monkeypatch.setattr(user_filters, "_RUN", 7)
    mock = CognitoMock(seed=5)
    pool_id = mock.call(
        "CreateUserPool", PoolName="p", UsernameConfiguration={"CaseSensitive": case_sensitive}
    )["UserPool"]["Id"]
    rng = random.Random(3)
    emails: dict[str, str] = {}
    for i in range(60):
        email = f"{rng.choice(['a', 'B', 'c', 'b'])}{rng.randrange(5)}@example.com"
        emails[f"u{i:02d}"] = email
        mock.call(
            "AdminCreateUser", UserPoolId=pool_id, Username=f"u{i:02d}", MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": "N"}],
        )  # fmt: skip

    def listed(flt: str) -> list[str]:
        users, token = [], None
        while True:
            more = {"PaginationToken": token} if token else {}
            page = mock.call("ListUsers", UserPoolId=pool_id, Filter=flt, Limit=9, **more)
            users += [u["Username"] for u in page["Users"]]
            token = page.get("PaginationToken")
            if not token:
                return users

    def expected() -> list[str]:
        fold = (lambda v: v) if case_sensitive else str.lower
        return sorted(emails, key=lambda name: (fold(emails[name]), name))

    assert listed('email ^= ""') == expected()
    for name in ("u03", "u41", "u59"):  # refiled one by one, incrementally
        emails[name] = "b2@example.com"
        mock.call(
            "AdminUpdateUserAttributes", UserPoolId=pool_id, Username=name,
            UserAttributes=[{"Name": "email", "Value": emails[name]}],
        )  # fmt: skip
    mock.call("AdminDeleteUser", UserPoolId=pool_id, Username="u10")
    del emails["u10"]
    assert listed('email ^= ""') == expected()
    exact = "b2@example.com" if case_sensitive else "B2@EXAMPLE.com"
    assert listed(f'email = "{exact}"') == [
        n for n in expected() if emails[n].lower() == "b2@example.com"
        and (not case_sensitive or emails[n] == "b2@example.com")
    ]  # fmt: skip
