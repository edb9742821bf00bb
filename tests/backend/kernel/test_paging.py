"""Page tokens are opaque and tamper-evident (issue 11, item 4): forged, altered or foreign tokens
(another pool's, another mock's, one from before `reset()`) are InvalidParameterException on every
List operation, never a crash or another list's page; real ones still page through everything."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.errors import InvalidParameterException

INVALID = "Invalid pagination token."


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


FORGED = [
    _b64(["pools", 5]),  # the old unsigned format: crashed ListUserPools with a TypeError
    _b64(["ListGroups", "g"]),
    "[" * 5000,
    _b64(json.loads("[" * 900 + "]" * 900)),  # crashed 13 List operations with RecursionError
    "x.y",
    ".",
    "a" * 10_000,
]


@pytest.fixture
def world(mock: CognitoMock, pool_id: str) -> dict[str, str]:
    """A pool with two of everything a List operation can page through."""
    for name in ("g1", "g2"):
        mock.call("CreateGroup", UserPoolId=pool_id, GroupName=name)
    for name in ("u1", "u2"):
        mock.call("AdminCreateUser", UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
        for group in ("g1", "g2"):
            mock.call("AdminAddUserToGroup", UserPoolId=pool_id, Username=name, GroupName=group)
    for name in ("c1", "c2"):
        mock.call("CreateUserPoolClient", UserPoolId=pool_id, ClientName=name)
    for name in ("r1", "r2"):
        mock.call("CreateResourceServer", UserPoolId=pool_id, Identifier=name, Name=name)
    for name in ("prov1", "prov2"):
        mock.call(
            "CreateIdentityProvider", UserPoolId=pool_id, ProviderName=name, ProviderType="OIDC",
            ProviderDetails={"client_id": "c", "client_secret": "s", "authorize_scopes": "openid",
                             "oidc_issuer": "https://issuer.example.com",
                             "attributes_request_method": "GET"},
        )  # fmt: skip
    for name in ("j1", "j2"):
        mock.call(
            "CreateUserImportJob", UserPoolId=pool_id, JobName=name,
            CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/import",
        )  # fmt: skip
    mock.call("CreateUserPool", PoolName="second")
    return {"pool": pool_id}


def _requests(pool: str) -> dict[str, tuple[dict[str, Any], str]]:
    """Each paging operation: a request with a page size of 1, and its token member."""
    return {
        "ListUserPools": ({"MaxResults": 1}, "NextToken"),
        "ListUserPoolClients": ({"UserPoolId": pool, "MaxResults": 1}, "NextToken"),
        "ListResourceServers": ({"UserPoolId": pool, "MaxResults": 1}, "NextToken"),
        "ListIdentityProviders": ({"UserPoolId": pool, "MaxResults": 1}, "NextToken"),
        "ListGroups": ({"UserPoolId": pool, "Limit": 1}, "NextToken"),
        "AdminListGroupsForUser": ({"UserPoolId": pool, "Username": "u1", "Limit": 1},
                                   "NextToken"),
        "ListUsersInGroup": ({"UserPoolId": pool, "GroupName": "g1", "Limit": 1}, "NextToken"),
        "ListUsers": ({"UserPoolId": pool, "Limit": 1}, "PaginationToken"),
        "ListUserImportJobs": ({"UserPoolId": pool, "MaxResults": 1}, "PaginationToken"),
    }  # fmt: skip


def _result_items(result: dict[str, Any]) -> list[Any]:
    lists = [v for v in result.values() if isinstance(v, list)]
    assert len(lists) == 1, result
    return lists[0]


def test_real_tokens_page_through_every_list(mock: CognitoMock, world: dict[str, str]) -> None:
    for operation, (request, member) in _requests(world["pool"]).items():
        seen, token = [], None
        while True:
            answer = mock.call(operation, **request, **({member: token} if token else {}))
            seen += _result_items(answer)
            token = answer.get(member)
            if token is None:
                break
        assert len(seen) == 2, operation


@pytest.mark.parametrize("forged", FORGED, ids=range(len(FORGED)))
def test_forged_tokens_are_refused_by_every_list(
    mock: CognitoMock, world: dict[str, str], forged: str
) -> None:
    # Regression: a forged token crashed 8 List operations with TypeError, 13 with RecursionError.
    for operation, (request, member) in _requests(world["pool"]).items():
        with pytest.raises(InvalidParameterException) as caught:
            mock.call(operation, **request, **{member: forged})
        assert caught.value.message == INVALID, operation


def test_an_altered_token_is_refused(mock: CognitoMock, world: dict[str, str]) -> None:
    token = mock.call("ListGroups", UserPoolId=world["pool"], Limit=1)["NextToken"]
    payload, mac = token.split(".")
    for altered in (_b64("g9") + "." + mac, payload + "." + mac[:-1] + "A", payload):
        with pytest.raises(InvalidParameterException, match="Invalid pagination token"):
            mock.call("ListGroups", UserPoolId=world["pool"], NextToken=altered)


def test_a_token_pages_only_the_list_it_came_from(mock: CognitoMock, world: dict[str, str]) -> None:
    pool = world["pool"]
    other = mock.call("CreateUserPool", PoolName="other")["UserPool"]["Id"]
    for name in ("g1", "g2"):
        mock.call("CreateGroup", UserPoolId=other, GroupName=name)
    token = mock.call("ListGroups", UserPoolId=pool, Limit=1)["NextToken"]
    with pytest.raises(InvalidParameterException, match="Invalid pagination token"):
        mock.call("ListGroups", UserPoolId=other, NextToken=token)  # another pool's list
    for_user = mock.call("AdminListGroupsForUser", UserPoolId=pool, Username="u1", Limit=1)
    with pytest.raises(InvalidParameterException, match="Invalid pagination token"):
        mock.call("AdminListGroupsForUser", UserPoolId=pool, Username="u2",
                  NextToken=for_user["NextToken"])  # fmt: skip
    with pytest.raises(InvalidParameterException, match="Invalid pagination token"):
        mock.call("ListUsersInGroup", UserPoolId=pool, GroupName="g1", NextToken=token)


def test_tokens_of_another_mock_or_from_before_reset_are_refused() -> None:
    def seeded() -> tuple[CognitoMock, str]:
        made = CognitoMock(clock=ManualClock(1_790_000_000.0), seed=7)
        pool = made.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
        for name in ("g1", "g2"):
            made.call("CreateGroup", UserPoolId=pool, GroupName=name)
        return made, pool

    first, pool = seeded()
    second, same_pool = seeded()
    assert pool == same_pool  # same seed, same ids
    token = first.call("ListGroups", UserPoolId=pool, Limit=1)["NextToken"]
    with pytest.raises(InvalidParameterException, match="Invalid pagination token"):
        second.call("ListGroups", UserPoolId=pool, NextToken=token)
    first.reset(seed=7)
    pool = first.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    first.call("CreateGroup", UserPoolId=pool, GroupName="g1")
    with pytest.raises(InvalidParameterException, match="Invalid pagination token"):
        first.call("ListGroups", UserPoolId=pool, NextToken=token)
