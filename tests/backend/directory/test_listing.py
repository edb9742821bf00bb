"""ListUsers: Limit, PaginationToken (exactly-once under churn), AttributesToGet and every error."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock
from cognito_mock.backend.directory import listing as user_list

INVALID = "InvalidParameterException"
BAD_TOKEN = "Invalid pagination token."
NO_ATTRIBUTE = "One or more requested attributes do not exist."


def create(mock: CognitoMock, pool_id: str, name: str, **attrs: str) -> None:
    mock.call(
        "AdminCreateUser", UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()],
    )  # fmt: skip


def populate(mock: CognitoMock, pool_id: str, count: int) -> list[str]:
    names = [f"u{i:05d}" for i in range(count)]
    for i, name in enumerate(names):
        create(mock, pool_id, name, email=f"{name}@example.com", given_name=f"G{i % 4}")
    return names


def error_of(client: Any, **kwargs: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as caught:
        client.list_users(**kwargs)
    err = caught.value.response["Error"]
    return err["Code"], err["Message"]


def names(page: dict[str, Any]) -> list[str]:
    return [u["Username"] for u in page["Users"]]


# ---------------------------------------------------------------------------------------------
# Limit and tokens


def test_every_user_exactly_once_in_creation_order(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    created = populate(mock, pool_id, 1100)
    for limit in (None, 0, 1, 7, 60):
        kwargs: dict[str, Any] = {"UserPoolId": pool_id}
        if limit is not None:
            kwargs["Limit"] = limit
        seen: list[str] = []
        sizes = []
        while True:
            page = client.list_users(**kwargs)
            seen += names(page)
            sizes.append(len(page["Users"]))
            if "PaginationToken" not in page:
                break
            kwargs["PaginationToken"] = page["PaginationToken"]
        assert seen == created
        per_page = limit or 60  # 0 or absent means the maximum
        assert sizes[:-1] == [per_page] * (len(sizes) - 1) and 0 < sizes[-1] <= per_page


def test_boto3_paginator_walks_the_pool(client: Any, mock: CognitoMock, pool_id: str) -> None:
    created = populate(mock, pool_id, 1000)
    pages = client.get_paginator("list_users").paginate(UserPoolId=pool_id, Filter='email ^= "u0"')
    assert [u["Username"] for page in pages for u in page["Users"]] == created


def test_last_page_has_no_token(client: Any, mock: CognitoMock, pool_id: str) -> None:
    empty = client.list_users(UserPoolId=pool_id)
    assert empty["Users"] == [] and "PaginationToken" not in empty
    populate(mock, pool_id, 120)
    first = client.list_users(UserPoolId=pool_id, Limit=60)
    second = client.list_users(
        UserPoolId=pool_id, Limit=60, PaginationToken=first["PaginationToken"]
    )
    assert len(second["Users"]) == 60 and "PaginationToken" not in second  # exactly full, no more
    exact = client.list_users(UserPoolId=pool_id, Filter='email = "u00007@example.com"', Limit=1)
    assert names(exact) == ["u00007"] and "PaginationToken" not in exact
    three = client.list_users(UserPoolId=pool_id, Filter='given_name = "G1"', Limit=29)
    assert "PaginationToken" in three  # 30 matches
    rest = client.list_users(
        UserPoolId=pool_id,
        Filter='given_name = "G1"',
        Limit=29,
        PaginationToken=three["PaginationToken"],
    )
    assert names(rest) == ["u00117"] and "PaginationToken" not in rest


def test_token_survives_a_different_limit(client: Any, mock: CognitoMock, pool_id: str) -> None:
    created = populate(mock, pool_id, 1000)
    first = client.list_users(UserPoolId=pool_id, Limit=10)
    second = client.list_users(
        UserPoolId=pool_id, Limit=50, PaginationToken=first["PaginationToken"]
    )
    assert names(first) + names(second) == created[:60]


def _walk_with_churn(client: Any, mock: CognitoMock, pool_id: str, flt: str | None) -> None:
    """Create and delete users between pages; users present throughout appear exactly once."""
    populate(mock, pool_id, 1000)
    kwargs: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 45}
    if flt:
        kwargs["Filter"] = flt
    seen: list[str] = []
    deleted: set[str] = set()
    added: set[str] = set()
    step = 0
    while True:
        page = client.list_users(**kwargs)
        seen += names(page)
        if "PaginationToken" not in page:
            break
        kwargs["PaginationToken"] = page["PaginationToken"]
        step += 1
        # Delete one user already listed and one not yet reached; add users that sort both
        # before and after the current position.
        for victim in (seen[len(seen) // 2], f"u{(step * 37 + 500) % 1000:05d}"):
            if victim not in deleted:
                mock.call("AdminDeleteUser", UserPoolId=pool_id, Username=victim)
                deleted.add(victim)
        for name in (f"a-new{step}", f"z-new{step}"):
            create(mock, pool_id, name, email=f"u0-{name}@example.com", given_name="G1")
            added.add(name)
    counts = Counter(seen)
    assert max(counts.values()) == 1, [n for n, c in counts.items() if c > 1]
    survivors = {f"u{i:05d}" for i in range(1000)} - deleted
    if flt == 'given_name = "G1"':
        survivors = {n for n in survivors if int(n[1:]) % 4 == 1}
    assert survivors <= set(seen)  # everyone present throughout
    assert set(seen) - survivors <= added | deleted  # nothing else


def test_exactly_once_under_churn_unfiltered(client: Any, mock: CognitoMock, pool_id: str) -> None:
    _walk_with_churn(client, mock, pool_id, None)


def test_exactly_once_under_churn_prefix(client: Any, mock: CognitoMock, pool_id: str) -> None:
    _walk_with_churn(client, mock, pool_id, 'email ^= "u0"')


def test_exactly_once_under_churn_equality(client: Any, mock: CognitoMock, pool_id: str) -> None:
    _walk_with_churn(client, mock, pool_id, 'given_name = "G1"')


@pytest.mark.parametrize("token", ["garbage", "x" * 40, "eyJhIjoxfQ", "WyJMaXN0R3JvdXBzIiwxXQ"])
def test_foreign_tokens_are_rejected(
    client: Any, mock: CognitoMock, pool_id: str, token: str
) -> None:
    populate(mock, pool_id, 5)
    assert error_of(client, UserPoolId=pool_id, PaginationToken=token) == (INVALID, BAD_TOKEN)


def test_token_from_another_filter_attribute_is_rejected(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    populate(mock, pool_id, 100)
    token = client.list_users(UserPoolId=pool_id, Limit=5)["PaginationToken"]
    assert error_of(client, UserPoolId=pool_id, Filter='email ^= "u"', PaginationToken=token) == (
        INVALID,
        BAD_TOKEN,
    )
    token = client.list_users(UserPoolId=pool_id, Filter='email ^= "u"', Limit=5)["PaginationToken"]
    assert error_of(client, UserPoolId=pool_id, PaginationToken=token) == (INVALID, BAD_TOKEN)
    ok = client.list_users(UserPoolId=pool_id, Filter='email ^= "u0000"', PaginationToken=token)
    assert names(ok) == [f"u{i:05d}" for i in range(5, 10)]


def test_limit_above_60_fails_validation(client: Any, pool_id: str) -> None:
    code, message = error_of(client, UserPoolId=pool_id, Limit=61)
    assert code == INVALID and "'limit'" in message and "60" in message


def test_unknown_pool(client: Any) -> None:
    assert error_of(client, UserPoolId="us-east-1_nothere") == (
        "ResourceNotFoundException",
        "User pool us-east-1_nothere does not exist.",
    )


# ---------------------------------------------------------------------------------------------
# AttributesToGet


def test_attributes_to_get_narrows_attributes_only(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    populate(mock, pool_id, 1000)
    full = client.list_users(UserPoolId=pool_id, Limit=3)["Users"]
    some = client.list_users(UserPoolId=pool_id, Limit=3, AttributesToGet=["given_name", "email"])[
        "Users"
    ]
    for whole, part in zip(full, some, strict=True):
        attrs = {a["Name"]: a["Value"] for a in whole["Attributes"]}
        assert part["Attributes"] == [
            {"Name": "given_name", "Value": attrs["given_name"]},
            {"Name": "email", "Value": attrs["email"]},
        ]
        assert {k: v for k, v in part.items() if k != "Attributes"} == {
            k: v for k, v in whole.items() if k != "Attributes"
        }
        assert {
            "Username",
            "UserCreateDate",
            "UserLastModifiedDate",
            "Enabled",
            "UserStatus",
        } <= set(part)
    once = client.list_users(UserPoolId=pool_id, Limit=1, AttributesToGet=["email", "email"])[
        "Users"
    ]
    assert [a["Name"] for a in once[0]["Attributes"]] == ["email"]
    none = client.list_users(UserPoolId=pool_id, Limit=2, AttributesToGet=[])["Users"]
    assert [u["Attributes"] for u in none] == [[], []]


def test_attributes_to_get_with_filter_and_missing_values(
    client: Any, mock: CognitoMock, pool_id: str
) -> None:
    populate(mock, pool_id, 1000)
    create(mock, pool_id, "nameless", email="nameless@example.com")
    # A returned user lacks given_name: the service refuses rather than return a partial answer.
    assert error_of(
        client, UserPoolId=pool_id, AttributesToGet=["given_name"], Filter='email ^= "name"'
    ) == (
        INVALID,
        NO_ATTRIBUTE,
    )
    # Pages whose users all have it are fine, including a filter that excludes the user without it.
    page = client.list_users(
        UserPoolId=pool_id, AttributesToGet=["given_name"], Filter='given_name ^= "G"'
    )
    assert len(page["Users"]) == 60
    assert error_of(client, UserPoolId=pool_id, AttributesToGet=["phone_number"], Limit=1) == (
        INVALID,
        NO_ATTRIBUTE,
    )


def test_attributes_to_get_errors(client: Any, mock: CognitoMock, pool_id: str) -> None:
    populate(mock, pool_id, 3)
    for names_ in (["sub"], ["email", "sub"]):
        assert error_of(client, UserPoolId=pool_id, AttributesToGet=names_) == (
            INVALID,
            "Input fails to satisfy the constraints.",
        )
    for names_ in (["nope"], ["custom:team"], ["email", "cognito:user_status"]):
        assert error_of(client, UserPoolId=pool_id, AttributesToGet=names_) == (
            INVALID,
            NO_ATTRIBUTE,
        )
    # Even with nobody to return, an attribute outside the schema is refused.
    assert error_of(client, UserPoolId=pool_id, AttributesToGet=["nope"], Filter='email = "x"') == (
        INVALID,
        NO_ATTRIBUTE,
    )


def test_attributes_to_get_custom_attribute(client: Any, mock: CognitoMock) -> None:
    pool_id = mock.call(
        "CreateUserPool", PoolName="c", Schema=[{"Name": "team", "AttributeDataType": "String"}]
    )["UserPool"]["Id"]
    for i in range(3):
        create(mock, pool_id, f"u{i}", **{"custom:team": f"t{i}"})
    users = client.list_users(UserPoolId=pool_id, AttributesToGet=["custom:team"])["Users"]
    assert [u["Attributes"] for u in users] == [
        [{"Name": "custom:team", "Value": f"t{i}"}] for i in range(3)
    ]


def test_failed_calls_change_nothing(client: Any, mock: CognitoMock, pool_id: str) -> None:
    populate(mock, pool_id, 70)
    before = client.list_users(UserPoolId=pool_id)
    error_of(client, UserPoolId=pool_id, Filter="bad")
    error_of(client, UserPoolId=pool_id, AttributesToGet=["sub"])
    after = client.list_users(UserPoolId=pool_id)
    assert (
        before["Users"] == after["Users"] and before["PaginationToken"] == after["PaginationToken"]
    )


def test_module_exports() -> None:
    assert set(user_list.__all__) <= set(dir(user_list))
    assert user_list.DEFAULT_LIMIT == 60
