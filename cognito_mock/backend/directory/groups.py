"""User pool groups: CRUD, membership both ways, paged listings, and the group claims of tokens."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.directory.views import checked_views
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import Group, User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    GroupExistsException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)

__all__ = [
    "DEFAULT_LIMIT",
    "GROUP_NOT_FOUND",
    "MAX_GROUPS_PER_POOL",
    "MAX_GROUPS_PER_USER",
    "group_type",
    "groups_for_token",
    "require_group",
]

GROUP_NOT_FOUND = "Group not found."  # our choice: the service's text is not on record
DEFAULT_LIMIT = 60  # Limit 0 or absent; the model's maximum (fact sheet §8.2)
MAX_GROUPS_PER_USER = 100  # fact sheet §13
MAX_GROUPS_PER_POOL = 10_000  # fact sheet §13
TOO_MANY_GROUPS_FOR_USER = f"A user cannot be a member of more than {MAX_GROUPS_PER_USER} groups."
MAX_PRECEDENCE = 2**31 - 1  # stated in the Precedence documentation, not as a model constraint


def _exists_message(name: str) -> str:
    return f"A group with the name {name} already exists."  # fact sheet §7 (unverified)


def require_group(pool: UserPool, name: str) -> Group:
    """The group named exactly `name`.

    Group names are case-sensitive even in case-insensitive pools: `UsernameConfiguration` covers
    only usernames, preferred_username and email aliases.
    """
    group = pool.groups.get(name)
    if group is None:
        raise ResourceNotFoundException(GROUP_NOT_FOUND)
    return group


def group_type(group: Group) -> dict[str, Any]:
    """GroupType in wire form; optional members are omitted when unset."""
    view: dict[str, Any] = {"GroupName": group.name, "UserPoolId": group.pool_id}
    if group.description is not None:
        view["Description"] = group.description
    if group.role_arn is not None:
        view["RoleArn"] = group.role_arn
    if group.precedence is not None:
        view["Precedence"] = group.precedence
    view["LastModifiedDate"] = group.modified
    view["CreationDate"] = group.created
    return view


def _check_precedence(request: dict[str, Any]) -> None:
    value = request.get("Precedence")
    if value is not None and value > MAX_PRECEDENCE:
        raise InvalidParameterException(
            f"1 validation error detected: Value '{value}' at 'precedence' failed to satisfy "
            f"constraint: Member must have value less than or equal to {MAX_PRECEDENCE}"
        )


def _limit(request: dict[str, Any]) -> int:
    # Limit 0 is allowed by the model; we read it as "the default", like an absent Limit.
    return int(request.get("Limit") or DEFAULT_LIMIT)


def _precedence_key(group: Group) -> tuple[int, int, str]:
    """Lowest Precedence first, groups without one last; ties broken by name for determinism."""
    if group.precedence is None:
        return (1, 0, group.name)
    return (0, group.precedence, group.name)


def groups_for_token(pool: UserPool, user: User) -> tuple[list[str], list[str], str | None]:
    """(`cognito:groups`, `cognito:roles`, `cognito:preferred_role`) for the user's tokens.

    Groups come ordered by precedence; roles are the distinct RoleArns in that order. The preferred
    role is the RoleArn of the lowest-Precedence group that has one (groups without Precedence rank
    below every number); when several groups tie there with different roles it is None.
    """
    if not user.groups:  # most users: no group, nothing to sort
        return [], [], None
    groups = sorted((pool.groups[n] for n in user.groups if n in pool.groups), key=_precedence_key)
    names = [g.name for g in groups]
    roles: list[str] = []
    for group in groups:
        if group.role_arn is not None and group.role_arn not in roles:
            roles.append(group.role_arn)
    with_role = [g for g in groups if g.role_arn is not None]
    preferred: str | None = None
    if with_role:
        best = with_role[0].precedence
        tied = {g.role_arn for g in with_role if g.precedence == best}
        preferred = tied.pop() if len(tied) == 1 else None
    return names, roles, preferred


@operation("CreateGroup")
def create_group(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    name = request["GroupName"]
    _check_precedence(request)
    if name in pool.groups:
        raise GroupExistsException(_exists_message(name))
    if len(pool.groups) >= MAX_GROUPS_PER_POOL:
        raise LimitExceededException(
            f"A user pool cannot have more than {MAX_GROUPS_PER_POOL} groups."
        )
    now = backend.clock.now()
    group = Group(
        name=name,
        pool_id=pool.id,
        created=now,
        modified=now,
        description=request.get("Description"),
        precedence=request.get("Precedence"),
        role_arn=request.get("RoleArn"),
    )
    pool.groups[name] = group
    return {"Group": group_type(group)}


@operation("GetGroup")
def get_group(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return {"Group": group_type(require_group(pool, request["GroupName"]))}


@operation("UpdateGroup")
def update_group(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Change only the properties given ("updates any of the properties"); the rest are kept."""
    group = require_group(backend.pool(request["UserPoolId"]), request["GroupName"])
    _check_precedence(request)
    if "Description" in request:
        group.description = request["Description"]
    if "Precedence" in request:
        group.precedence = request["Precedence"]
    if "RoleArn" in request:
        group.role_arn = request["RoleArn"]
    group.modified = backend.clock.now()
    return {"Group": group_type(group)}


@operation("DeleteGroup")
def delete_group(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    group = require_group(pool, request["GroupName"])
    for username in group.members:
        member = pool.users.get(username)
        if member is not None:
            member.groups.discard(group.name)
    del pool.groups[group.name]
    return {}


@operation("ListGroups")
def list_groups(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Groups in code-point order of their names: a stable key that needs no extra bookkeeping."""
    pool = backend.pool(request["UserPoolId"])
    names = sorted(pool.groups)
    page, token = page_after(
        backend, "ListGroups", pool.id, names, names, _limit(request), request.get("NextToken")
    )
    result: dict[str, Any] = {"Groups": [group_type(pool.groups[n]) for n in page]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("AdminAddUserToGroup")
def admin_add_user_to_group(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Idempotent; membership is stored under the user's internal username."""
    pool = backend.pool(request["UserPoolId"])
    group = require_group(pool, request["GroupName"])
    user = require_user(pool, request["Username"])
    if group.name in user.groups:
        return {}
    if len(user.groups) >= MAX_GROUPS_PER_USER:
        # The model declares no LimitExceededException for this operation, so the quota is
        # reported as an invalid parameter (a declared error) rather than breaking the contract.
        raise InvalidParameterException(TOO_MANY_GROUPS_FOR_USER)
    group.members[user.username] = None
    user.groups.add(group.name)
    return {}


@operation("AdminRemoveUserFromGroup")
def admin_remove_user_from_group(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Removing a user who is not a member succeeds and changes nothing."""
    pool = backend.pool(request["UserPoolId"])
    group = require_group(pool, request["GroupName"])
    user = require_user(pool, request["Username"])
    group.members.pop(user.username, None)
    user.groups.discard(group.name)
    return {}


@operation("AdminListGroupsForUser")
def admin_list_groups_for_user(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """The user's groups in the same name order as ListGroups."""
    pool = backend.pool(request["UserPoolId"])
    user = require_user(pool, request["Username"])
    names = sorted(n for n in user.groups if n in pool.groups)
    page, token = page_after(
        backend, "AdminListGroupsForUser", f"{pool.id}/{user.sub}", names, names,
        _limit(request), request.get("NextToken"),
    )  # fmt: skip
    result: dict[str, Any] = {"Groups": [group_type(pool.groups[n]) for n in page]}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("ListUsersInGroup")
def list_users_in_group(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    """Members in user-creation order (`User.seq`, as ListUsers): stable and unique per pool."""
    pool = backend.pool(request["UserPoolId"])
    group = require_group(pool, request["GroupName"])
    members = [u for u in map(pool.users.get, group.members) if u is not None]
    members.sort(key=lambda u: u.seq)
    page, token = page_after(
        backend, "ListUsersInGroup", f"{pool.id}/{group.name}", [u.seq for u in members],
        members, _limit(request), request.get("NextToken"),
    )  # fmt: skip
    result: dict[str, Any] = {"Users": checked_views(pool.users, page)}
    if token is not None:
        result["NextToken"] = token
    return result
