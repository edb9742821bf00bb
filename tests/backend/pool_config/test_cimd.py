"""CIMD policies: create/describe/update/delete/list, URL pattern matching, the metadata URL cache."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock, ManualClock
from cognito_mock.backend.pool_config.cimd import (
    cache_metadata_document,
    policy_accepts,
    require_policy,
)
from cognito_mock.errors import InvalidParameterException

PATTERNS = ["https://apps.example.com/*", "https://tools.example.org/client.json"]


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def app(client: Any, pool_id: str) -> str:
    made = client.create_user_pool_client(UserPoolId=pool_id, ClientName="web")
    return str(made["UserPoolClient"]["ClientId"])


def _create(client: Any, pool_id: str, app: str, **extra: Any) -> dict[str, Any]:
    made = client.create_cimd_policy(
        UserPoolId=pool_id,
        ClientId=app,
        **{"PolicyName": "agents", "URLPatterns": PATTERNS, **extra},
    )
    policy: dict[str, Any] = made["CIMDPolicy"]
    return policy


def _cache(mock: CognitoMock, pool_id: str, policy_id: str, url: str) -> None:
    with mock.backend().lock:
        cache_metadata_document(mock.backend(), pool_id, policy_id, url)


def test_create_and_describe(client: Any, pool_id: str, app: str, clock: ManualClock) -> None:
    policy = _create(client, pool_id, app, CacheDuration=172_800)
    assert policy["UserPoolId"] == pool_id
    assert policy["ClientId"] == app
    assert policy["PolicyName"] == "agents"
    assert policy["CacheDuration"] == 172_800
    assert policy["URLPatterns"] == PATTERNS
    assert policy["CreationDate"].timestamp() == clock.now()
    described = client.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"])
    assert described["CIMDPolicy"] == policy
    assert "CacheDuration" not in _create(client, pool_id, app)


def test_create_needs_existing_pool_and_client(client: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as missing:
        _create(client, pool_id, "nosuchclient")
    assert _error(missing) == (
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
    )
    with pytest.raises(ClientError) as no_pool:
        _create(client, "us-east-1_nothere", "abc")
    assert _error(no_pool) == (
        "ResourceNotFoundException",
        "User pool us-east-1_nothere does not exist.",
    )
    assert client.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"] == []


def test_duplicate_patterns_are_rejected(client: Any, pool_id: str, app: str) -> None:
    with pytest.raises(ClientError) as dup:
        _create(client, pool_id, app, URLPatterns=[PATTERNS[0], PATTERNS[0]])
    assert _error(dup) == (
        "InvalidParameterException",
        "URLPatterns must not contain duplicate patterns.",
    )


def test_update_changes_settings_and_keeps_omitted_ones(
    client: Any, pool_id: str, app: str, clock: ManualClock
) -> None:
    policy = _create(client, pool_id, app, CacheDuration=90_000)
    other = client.create_user_pool_client(UserPoolId=pool_id, ClientName="cli")
    other_id = other["UserPoolClient"]["ClientId"]
    clock.advance(60)
    updated = client.update_cimd_policy(
        UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"], ClientId=other_id,
        URLPatterns=["https://new.example.com/*"],
    )["CIMDPolicy"]  # fmt: skip
    assert updated["ClientId"] == other_id
    assert updated["URLPatterns"] == ["https://new.example.com/*"]
    assert updated["PolicyName"] == "agents"
    assert updated["CacheDuration"] == 90_000
    assert updated["LastModifiedDate"].timestamp() == clock.now()
    assert updated["CreationDate"] == policy["CreationDate"]
    with pytest.raises(ClientError) as bad_client:
        client.update_cimd_policy(
            UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"], ClientId="gone",
            URLPatterns=PATTERNS, PolicyName="renamed",
        )  # fmt: skip
    assert _error(bad_client) == (
        "ResourceNotFoundException",
        "User pool client gone does not exist.",
    )
    again = client.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"])
    assert again["CIMDPolicy"] == updated  # the failed update changed nothing


def test_client_id_is_omitted_after_the_client_is_deleted(
    client: Any, pool_id: str, app: str
) -> None:
    policy = _create(client, pool_id, app)
    client.delete_user_pool_client(UserPoolId=pool_id, ClientId=app)
    described = client.describe_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy["CIMDPolicyId"])
    assert "ClientId" not in described["CIMDPolicy"]
    listed = client.list_cimd_policies(UserPoolId=pool_id)["CIMDPolicies"]
    assert "ClientId" not in listed[0]


def test_delete_and_unknown_policy(client: Any, pool_id: str, app: str) -> None:
    policy_id = _create(client, pool_id, app)["CIMDPolicyId"]
    client.delete_cimd_policy(UserPoolId=pool_id, CIMDPolicyId=policy_id)
    for call in (client.describe_cimd_policy, client.delete_cimd_policy):
        with pytest.raises(ClientError) as gone:
            call(UserPoolId=pool_id, CIMDPolicyId=policy_id)
        assert _error(gone) == (
            "ResourceNotFoundException",
            f"CIMD policy {policy_id} does not exist.",
        )


def test_list_pages_in_creation_order(
    client: Any, pool_id: str, app: str, clock: ManualClock
) -> None:
    made = []
    for _ in range(5):
        made.append(_create(client, pool_id, app)["CIMDPolicyId"])
        clock.advance(1)
    seen: list[str] = []
    token: str | None = None
    while True:
        page = client.list_cimd_policies(
            UserPoolId=pool_id, MaxResults=2, **({"NextToken": token} if token else {})
        )
        assert len(page["CIMDPolicies"]) <= 2
        seen += [p["CIMDPolicyId"] for p in page["CIMDPolicies"]]
        assert "URLPatterns" not in page["CIMDPolicies"][0]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == made


def test_patterns_match_with_wildcards(
    mock: CognitoMock, client: Any, pool_id: str, app: str
) -> None:
    policy_id = _create(client, pool_id, app)["CIMDPolicyId"]
    policy = require_policy(mock.backend().pool(pool_id), policy_id)
    assert policy_accepts(policy, "https://apps.example.com/a/client.json")
    assert policy_accepts(policy, "https://tools.example.org/client.json")
    assert not policy_accepts(policy, "https://tools.example.org/client.jsonx")
    assert not policy_accepts(policy, "https://evil.example.net/apps.example.com/x")


def test_cached_urls_are_listed_refreshed_invalidated_and_expire(
    mock: CognitoMock, client: Any, pool_id: str, app: str, clock: ManualClock
) -> None:
    policy_id = _create(client, pool_id, app, CacheDuration=100_000)["CIMDPolicyId"]
    url = "https://apps.example.com/bot/client.json"
    assert (
        client.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)[
            "ClientMetadataURLs"
        ]
        == []
    )
    with pytest.raises(ClientError) as not_cached:
        client.update_client_metadata_url_state(
            UserPoolId=pool_id, CIMDPolicyId=policy_id, URL=url, Action="REFRESH"
        )
    assert _error(not_cached) == (
        "CachedCIMDURLDoesNotExistException",
        f"No cached client metadata document exists for URL {url}.",
    )
    start = clock.now()
    _cache(mock, pool_id, policy_id, url)
    listed = client.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)
    entry = listed["ClientMetadataURLs"][0]
    assert entry["URL"] == url
    assert entry["CachedDate"].timestamp() == start
    assert entry["ExpirationDate"].timestamp() == start + 100_000

    clock.advance(500)
    client.update_client_metadata_url_state(
        UserPoolId=pool_id, CIMDPolicyId=policy_id, URL=url, Action="REFRESH"
    )
    entry = client.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)[
        "ClientMetadataURLs"
    ][0]
    assert entry["CachedDate"].timestamp() == start + 500
    assert entry["ExpirationDate"].timestamp() == start + 100_500

    client.update_client_metadata_url_state(
        UserPoolId=pool_id, CIMDPolicyId=policy_id, URL=url, Action="INVALIDATE"
    )
    assert (
        client.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)[
            "ClientMetadataURLs"
        ]
        == []
    )

    _cache(mock, pool_id, policy_id, url)
    clock.advance(100_000)
    assert (
        client.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)[
            "ClientMetadataURLs"
        ]
        == []
    )


def test_cache_accepts_only_matching_urls_and_updates_drop_stale_ones(
    mock: CognitoMock, client: Any, pool_id: str, app: str
) -> None:
    policy_id = _create(client, pool_id, app)["CIMDPolicyId"]
    with pytest.raises(InvalidParameterException, match="does not match the CIMD policy"):
        _cache(mock, pool_id, policy_id, "https://other.example.com/c.json")
    _cache(mock, pool_id, policy_id, "https://apps.example.com/x.json")
    _cache(mock, pool_id, policy_id, "https://tools.example.org/client.json")
    client.update_cimd_policy(
        UserPoolId=pool_id,
        CIMDPolicyId=policy_id,
        ClientId=app,
        URLPatterns=["https://apps.example.com/*"],
    )
    listed = client.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId=policy_id)
    assert [u["URL"] for u in listed["ClientMetadataURLs"]] == ["https://apps.example.com/x.json"]
    with pytest.raises(ClientError) as unknown:
        client.list_client_metadata_urls(UserPoolId=pool_id, CIMDPolicyId="abc123")
    assert _error(unknown) == ("ResourceNotFoundException", "CIMD policy abc123 does not exist.")
