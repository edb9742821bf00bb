"""Groups: CRUD, membership both ways, paging, failed calls leave state alone, token group claims."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.directory import groups as groups_module
from cognito_mock.backend.directory.groups import groups_for_token
from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.kernel.records import UserPool

ROLE_A = "arn:aws:iam::123456789012:role/role-a"
ROLE_B = "arn:aws:iam::123456789012:role/role-b"
ROLE_C = "arn:aws:iam::123456789012:role/role-c"


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def _add_user(client: Any, pool_id: str, username: str, **extra: Any) -> None:
    client.admin_create_user(
        UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS", **extra
    )


def _pool(mock: CognitoMock, pool_id: str) -> UserPool:
    return mock.backend().pool(pool_id)


def _group_names(groups: list[dict[str, Any]]) -> list[str]:
    return [g["GroupName"] for g in groups]


def _pages(call: Callable[..., dict[str, Any]], key: str, **kwargs: Any) -> Iterator[list[Any]]:
    token: str | None = None
    while True:
        result = call(**kwargs, **({"NextToken": token} if token else {}))
        yield result[key]
        token = result.get("NextToken")
        if token is None:
            return


def _members(client: Any, pool_id: str, group: str) -> list[str]:
    return [
        u["Username"]
        for page in _pages(client.list_users_in_group, "Users", UserPoolId=pool_id, GroupName=group)
        for u in page
    ]


def _groups_of(client: Any, pool_id: str, username: str) -> list[str]:
    return [
        g["GroupName"]
        for page in _pages(
            client.admin_list_groups_for_user, "Groups", UserPoolId=pool_id, Username=username
        )
        for g in page
    ]


# --- CRUD -----------------------------------------------------------------------------------------


def test_create_get_round_trip(client: Any, pool_id: str, clock: ManualClock) -> None:
    created = client.create_group(
        UserPoolId=pool_id, GroupName="admins", Description="The admins", RoleArn=ROLE_A,
        Precedence=0,
    )["Group"]  # fmt: skip
    assert created["GroupName"] == "admins"
    assert created["UserPoolId"] == pool_id
    assert created["Description"] == "The admins"
    assert created["RoleArn"] == ROLE_A
    assert created["Precedence"] == 0
    assert created["CreationDate"] == created["LastModifiedDate"] == clock.datetime()
    assert client.get_group(UserPoolId=pool_id, GroupName="admins")["Group"] == created


def test_create_minimal_omits_unset_members(client: Any, pool_id: str) -> None:
    group = client.create_group(UserPoolId=pool_id, GroupName="plain")["Group"]
    assert {"Description", "RoleArn", "Precedence"}.isdisjoint(group)


def test_duplicate_name_is_rejected_and_keeps_the_original(client: Any, pool_id: str) -> None:
    client.create_group(UserPoolId=pool_id, GroupName="dup", Description="first")
    with pytest.raises(client.exceptions.GroupExistsException) as excinfo:
        client.create_group(UserPoolId=pool_id, GroupName="dup", Description="second")
    assert _error(excinfo) == ("GroupExistsException", "A group with the name dup already exists.")
    group = client.get_group(UserPoolId=pool_id, GroupName="dup")["Group"]
    assert group["Description"] == "first"


def test_group_names_are_case_sensitive_even_in_case_insensitive_pools(client: Any) -> None:
    pool_id = client.create_user_pool(
        PoolName="ci", UsernameConfiguration={"CaseSensitive": False}
    )["UserPool"]["Id"]
    client.create_group(UserPoolId=pool_id, GroupName="Admins")
    client.create_group(UserPoolId=pool_id, GroupName="admins")  # a different group
    assert _group_names(client.list_groups(UserPoolId=pool_id)["Groups"]) == ["Admins", "admins"]
    with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
        client.get_group(UserPoolId=pool_id, GroupName="ADMINS")
    assert caught.value.response["Error"]["Message"] == "Group not found."


def test_unknown_group_and_pool(client: Any, pool_id: str) -> None:
    calls: list[Callable[[], Any]] = [
        lambda: client.get_group(UserPoolId=pool_id, GroupName="nope"),
        lambda: client.update_group(UserPoolId=pool_id, GroupName="nope", Description="x"),
        lambda: client.delete_group(UserPoolId=pool_id, GroupName="nope"),
        lambda: client.list_users_in_group(UserPoolId=pool_id, GroupName="nope"),
    ]
    for call in calls:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            call()
        assert _error(excinfo) == ("ResourceNotFoundException", "Group not found.")
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.create_group(UserPoolId="us-east-1_Missing1", GroupName="g")
    assert _error(excinfo)[1] == "User pool us-east-1_Missing1 does not exist."


def test_update_changes_only_given_members(client: Any, pool_id: str, clock: ManualClock) -> None:
    created = client.create_group(
        UserPoolId=pool_id, GroupName="g", Description="d", RoleArn=ROLE_A, Precedence=5
    )["Group"]
    clock.advance(60)
    updated = client.update_group(UserPoolId=pool_id, GroupName="g", Precedence=1)["Group"]
    assert updated["Precedence"] == 1
    assert updated["Description"] == "d"
    assert updated["RoleArn"] == ROLE_A
    assert updated["CreationDate"] == created["CreationDate"]
    assert updated["LastModifiedDate"] == clock.datetime() != created["LastModifiedDate"]
    clock.advance(60)
    updated = client.update_group(UserPoolId=pool_id, GroupName="g", RoleArn=ROLE_B)["Group"]
    assert (updated["RoleArn"], updated["Precedence"], updated["Description"]) == (ROLE_B, 1, "d")
    assert client.get_group(UserPoolId=pool_id, GroupName="g")["Group"] == updated


def test_precedence_above_int32_is_rejected(client: Any, pool_id: str) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.create_group(UserPoolId=pool_id, GroupName="g", Precedence=2**31)
    assert "Member must have value less than or equal to 2147483647" in _error(excinfo)[1]
    assert client.list_groups(UserPoolId=pool_id)["Groups"] == []
    client.create_group(UserPoolId=pool_id, GroupName="g", Precedence=2**31 - 1)
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.update_group(UserPoolId=pool_id, GroupName="g", Precedence=2**31, Description="x")
    assert caught.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '2147483648' at 'precedence' failed to satisfy "
        "constraint: Member must have value less than or equal to 2147483647"
    )
    group = client.get_group(UserPoolId=pool_id, GroupName="g")["Group"]
    assert group["Precedence"] == 2**31 - 1 and "Description" not in group


def test_pool_group_quota(mock: CognitoMock, client: Any, pool_id: str, monkeypatch: Any) -> None:
    monkeypatch.setattr(groups_module, "MAX_GROUPS_PER_POOL", 3)
    for name in ("a", "b", "c"):
        client.create_group(UserPoolId=pool_id, GroupName=name)
    # botocore retries LimitExceededException with back-off sleeps; one attempt keeps tests fast.
    once = mock.client(config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(once.exceptions.LimitExceededException) as excinfo:
        once.create_group(UserPoolId=pool_id, GroupName="d")
    assert _error(excinfo) == (
        "LimitExceededException",
        "A user pool cannot have more than 3 groups.",
    )
    assert sorted(_pool(mock, pool_id).groups) == ["a", "b", "c"]


# --- membership -----------------------------------------------------------------------------------


def test_membership_both_ways(mock: CognitoMock, client: Any, pool_id: str) -> None:
    for name in ("alice", "bob"):
        _add_user(client, pool_id, name)
    for group in ("g1", "g2"):
        client.create_group(UserPoolId=pool_id, GroupName=group)
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="g1")
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="alice", GroupName="g2")
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="bob", GroupName="g1")
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="bob", GroupName="g1")  # again
    assert _members(client, pool_id, "g1") == ["alice", "bob"]
    assert _members(client, pool_id, "g2") == ["alice"]
    assert _groups_of(client, pool_id, "alice") == ["g1", "g2"]
    assert _groups_of(client, pool_id, "bob") == ["g1"]

    client.admin_remove_user_from_group(UserPoolId=pool_id, Username="alice", GroupName="g1")
    assert _members(client, pool_id, "g1") == ["bob"]
    assert _groups_of(client, pool_id, "alice") == ["g2"]
    # Removing a non-member is a no-op, not an error.
    client.admin_remove_user_from_group(UserPoolId=pool_id, Username="alice", GroupName="g1")
    assert _members(client, pool_id, "g1") == ["bob"]

    client.delete_group(UserPoolId=pool_id, GroupName="g2")
    assert _groups_of(client, pool_id, "alice") == []
    assert require_user(_pool(mock, pool_id), "alice").groups == set()
    # A new group under the old name starts empty.
    client.create_group(UserPoolId=pool_id, GroupName="g2")
    assert _members(client, pool_id, "g2") == []

    client.admin_delete_user(UserPoolId=pool_id, Username="bob")
    assert _members(client, pool_id, "g1") == []
    assert _pool(mock, pool_id).groups["g1"].members == {}


def test_users_in_group_are_user_types(client: Any, pool_id: str) -> None:
    _add_user(client, pool_id, "carol", UserAttributes=[{"Name": "name", "Value": "Carol"}])
    client.create_group(UserPoolId=pool_id, GroupName="g")
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="carol", GroupName="g")
    (listed,) = client.list_users_in_group(UserPoolId=pool_id, GroupName="g")["Users"]
    fetched = client.admin_get_user(UserPoolId=pool_id, Username="carol")
    assert listed["Username"] == "carol"
    assert listed["Attributes"] == fetched["UserAttributes"]
    assert listed["UserStatus"] == "FORCE_CHANGE_PASSWORD" and listed["Enabled"] is True


def test_members_are_found_by_alias_or_sub_and_stored_by_username(
    mock: CognitoMock, client: Any
) -> None:
    pool_id = client.create_user_pool(PoolName="emails", UsernameAttributes=["email"])["UserPool"][
        "Id"
    ]
    user = client.admin_create_user(
        UserPoolId=pool_id, Username="dan@example.com", MessageAction="SUPPRESS"
    )["User"]
    internal = user["Username"]  # the sub in a UsernameAttributes pool
    client.create_group(UserPoolId=pool_id, GroupName="g")
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="dan@example.com", GroupName="g")
    assert list(_pool(mock, pool_id).groups["g"].members) == [internal]
    assert _members(client, pool_id, "g") == [internal]
    assert _groups_of(client, pool_id, internal) == ["g"]
    client.admin_remove_user_from_group(UserPoolId=pool_id, Username=internal, GroupName="g")
    assert _groups_of(client, pool_id, "dan@example.com") == []


def test_unknown_user_or_group_in_membership_calls(
    mock: CognitoMock, client: Any, pool_id: str
) -> None:
    _add_user(client, pool_id, "erin")
    client.create_group(UserPoolId=pool_id, GroupName="g")
    for call in (client.admin_add_user_to_group, client.admin_remove_user_from_group):
        with pytest.raises(client.exceptions.UserNotFoundException) as excinfo:
            call(UserPoolId=pool_id, Username="ghost", GroupName="g")
        assert _error(excinfo) == ("UserNotFoundException", "User does not exist.")
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            call(UserPoolId=pool_id, Username="erin", GroupName="nope")
        assert _error(excinfo) == ("ResourceNotFoundException", "Group not found.")
    with pytest.raises(client.exceptions.UserNotFoundException) as caught:
        client.admin_list_groups_for_user(UserPoolId=pool_id, Username="ghost")
    assert caught.value.response["Error"]["Message"] == "User does not exist."
    assert _members(client, pool_id, "g") == []
    assert require_user(_pool(mock, pool_id), "erin").groups == set()


def test_groups_per_user_quota(mock: CognitoMock, client: Any, pool_id: str) -> None:
    _add_user(client, pool_id, "frank")
    names = [f"g{i:03d}" for i in range(101)]
    for name in names:
        client.create_group(UserPoolId=pool_id, GroupName=name)
    for name in names[:100]:
        client.admin_add_user_to_group(UserPoolId=pool_id, Username="frank", GroupName=name)
    # Re-adding an existing membership at the quota is still fine (idempotent).
    client.admin_add_user_to_group(UserPoolId=pool_id, Username="frank", GroupName=names[0])
    with pytest.raises(client.exceptions.InvalidParameterException) as excinfo:
        client.admin_add_user_to_group(UserPoolId=pool_id, Username="frank", GroupName=names[100])
    assert _error(excinfo) == (
        "InvalidParameterException",
        "A user cannot be a member of more than 100 groups.",
    )
    assert _members(client, pool_id, names[100]) == []
    assert len(_groups_of(client, pool_id, "frank")) == 100


# --- paging ---------------------------------------------------------------------------------------


def test_list_groups_paging_every_item_once_with_inserts(client: Any, pool_id: str) -> None:
    names = [f"grp-{i:03d}" for i in range(130)]
    for name in reversed(names):  # listed by name, not by creation
        client.create_group(UserPoolId=pool_id, GroupName=name)
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        kwargs: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 7}
        if token:
            kwargs["NextToken"] = token
        result = client.list_groups(**kwargs)
        assert len(result["Groups"]) <= 7
        seen += _group_names(result["Groups"])
        # Groups created between pages (before and after the cursor) never disturb the rest.
        client.create_group(UserPoolId=pool_id, GroupName=f"aaa-new-{pages}")
        client.create_group(UserPoolId=pool_id, GroupName=f"zzz-new-{pages}")
        pages += 1
        token = result.get("NextToken")
        if token is None:
            break
    original = [n for n in seen if n.startswith("grp-")]
    assert original == names
    assert len(seen) == len(set(seen))
    assert pages >= 130 // 7


def test_list_groups_limit_zero_means_default(client: Any, pool_id: str) -> None:
    for i in range(61):
        client.create_group(UserPoolId=pool_id, GroupName=f"g{i:02d}")
    for limit in ({"Limit": 0}, {}):
        first = client.list_groups(UserPoolId=pool_id, **limit)
        assert len(first["Groups"]) == 60 and "NextToken" in first
        rest = client.list_groups(UserPoolId=pool_id, NextToken=first["NextToken"], **limit)
        assert _group_names(rest["Groups"]) == ["g60"] and "NextToken" not in rest


def test_list_users_in_group_paging_with_changes(client: Any, pool_id: str) -> None:
    client.create_group(UserPoolId=pool_id, GroupName="big")
    # Created in reverse name order: the listing follows creation, not names.
    names = [f"user{i:03d}" for i in reversed(range(130))]
    for name in names:
        _add_user(client, pool_id, name)
        client.admin_add_user_to_group(UserPoolId=pool_id, Username=name, GroupName="big")
    seen: list[str] = []
    token: str | None = None
    extra = 0
    while True:
        kwargs: dict[str, Any] = {"UserPoolId": pool_id, "GroupName": "big", "Limit": 9}
        if token:
            kwargs["NextToken"] = token
        result = client.list_users_in_group(**kwargs)
        assert len(result["Users"]) <= 9
        seen += [u["Username"] for u in result["Users"]]
        _add_user(client, pool_id, f"late{extra}")
        client.admin_add_user_to_group(UserPoolId=pool_id, Username=f"late{extra}", GroupName="big")
        extra += 1
        token = result.get("NextToken")
        if token is None:
            break
    assert [n for n in seen if n.startswith("user")] == names
    # Members added after the cursor show up later in the same walk (all but the last one).
    assert [n for n in seen if n.startswith("late")] == [f"late{i}" for i in range(extra - 1)]
    assert len(seen) == len(set(seen))


def test_admin_list_groups_for_user_paging(client: Any, pool_id: str) -> None:
    _add_user(client, pool_id, "gina")
    names = [f"team-{i:02d}" for i in range(95)]
    for name in reversed(names):  # creation order differs from listing order
        client.create_group(UserPoolId=pool_id, GroupName=name)
        client.admin_add_user_to_group(UserPoolId=pool_id, Username="gina", GroupName=name)
    pages = list(
        _pages(
            client.admin_list_groups_for_user, "Groups", UserPoolId=pool_id, Username="gina",
            Limit=10,
        )
    )  # fmt: skip
    assert [len(p) for p in pages] == [10] * 9 + [5]
    assert [g["GroupName"] for p in pages for g in p] == names


def test_bad_pagination_token(client: Any, pool_id: str) -> None:
    _add_user(client, pool_id, "hank")
    client.create_group(UserPoolId=pool_id, GroupName="g")
    calls: list[Callable[..., Any]] = [
        lambda t: client.list_groups(UserPoolId=pool_id, NextToken=t),
        lambda t: client.list_users_in_group(UserPoolId=pool_id, GroupName="g", NextToken=t),
        lambda t: client.admin_list_groups_for_user(
            UserPoolId=pool_id, Username="hank", NextToken=t
        ),
    ]
    for call in calls:
        with pytest.raises(client.exceptions.InvalidParameterException) as caught:
            call("not-a-token")
        assert caught.value.response["Error"]["Message"] == "Invalid pagination token."


# --- token claims ---------------------------------------------------------------------------------


def _setup_claims(
    mock: CognitoMock, pool_id: str, groups: dict[str, tuple[int | None, str | None]]
) -> tuple[list[str], list[str], str | None]:
    _add_user(mock.client(), pool_id, "ivy")
    for name, (precedence, role) in groups.items():
        request: dict[str, Any] = {"UserPoolId": pool_id, "GroupName": name}
        if precedence is not None:
            request["Precedence"] = precedence
        if role is not None:
            request["RoleArn"] = role
        mock.call("CreateGroup", **request)
        mock.call("AdminAddUserToGroup", UserPoolId=pool_id, Username="ivy", GroupName=name)
    pool = _pool(mock, pool_id)
    return groups_for_token(pool, require_user(pool, "ivy"))


def test_claims_order_roles_and_preferred_role(mock: CognitoMock, pool_id: str) -> None:
    names, roles, preferred = _setup_claims(
        mock, pool_id,
        {"none": (None, ROLE_C), "low": (1, None), "mid": (5, ROLE_B), "high": (10, ROLE_A)},
    )  # fmt: skip
    assert names == ["low", "mid", "high", "none"]
    assert roles == [ROLE_B, ROLE_A, ROLE_C]
    assert preferred == ROLE_B  # lowest precedence among groups that have a role


def test_claims_tie_with_different_roles_has_no_preferred_role(
    mock: CognitoMock, pool_id: str
) -> None:
    names, roles, preferred = _setup_claims(
        mock, pool_id, {"b": (2, ROLE_B), "a": (2, ROLE_A), "c": (3, ROLE_C)}
    )
    assert names == ["a", "b", "c"]
    assert roles == [ROLE_A, ROLE_B, ROLE_C]
    assert preferred is None


def test_claims_tie_with_same_role_keeps_it(mock: CognitoMock, pool_id: str) -> None:
    names, roles, preferred = _setup_claims(
        mock, pool_id, {"a": (2, ROLE_A), "b": (2, ROLE_A), "c": (3, ROLE_B)}
    )
    assert names == ["a", "b", "c"]
    assert roles == [ROLE_A, ROLE_B]
    assert preferred == ROLE_A


def test_claims_without_precedence_or_roles(mock: CognitoMock, pool_id: str) -> None:
    assert _setup_claims(mock, pool_id, {}) == ([], [], None)


def test_claims_only_unranked_roles(mock: CognitoMock, pool_id: str) -> None:
    _, roles, preferred = _setup_claims(mock, pool_id, {"x": (None, ROLE_A), "y": (None, ROLE_B)})
    assert roles == [ROLE_A, ROLE_B] and preferred is None


def test_claims_follow_updates_and_deletes(mock: CognitoMock, pool_id: str) -> None:
    _setup_claims(mock, pool_id, {"a": (1, ROLE_A), "b": (2, ROLE_B)})
    mock.call("UpdateGroup", UserPoolId=pool_id, GroupName="b", Precedence=0)
    pool = _pool(mock, pool_id)
    assert groups_for_token(pool, require_user(pool, "ivy")) == (
        ["b", "a"],
        [ROLE_B, ROLE_A],
        ROLE_B,
    )
    mock.call("DeleteGroup", UserPoolId=pool_id, GroupName="b")
    assert groups_for_token(pool, require_user(pool, "ivy")) == (["a"], [ROLE_A], ROLE_A)
