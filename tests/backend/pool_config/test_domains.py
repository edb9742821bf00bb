"""User pool domains: prefix and custom domains, mock-wide uniqueness, describe, update, delete."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def test_prefix_domain_is_described_and_shown_on_the_pool(client: Any, pool_id: str) -> None:
    created = client.create_user_pool_domain(Domain="my-app", UserPoolId=pool_id)
    assert created["ManagedLoginVersion"] == 1
    assert "CloudFrontDomain" not in created
    description = client.describe_user_pool_domain(Domain="my-app")["DomainDescription"]
    assert description["UserPoolId"] == pool_id
    assert description["Domain"] == "my-app"
    assert description["Status"] == "ACTIVE"
    assert "CustomDomainConfig" not in description
    assert description["AWSAccountId"].isdigit()
    pool = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["Domain"] == "my-app"
    assert "CustomDomain" not in pool


def test_unknown_domain_describes_as_empty(client: Any) -> None:
    assert client.describe_user_pool_domain(Domain="nobody-here")["DomainDescription"] == {}
    assert client.describe_user_pool_domain(Domain="auth.nobody.example")["DomainDescription"] == {}


def test_custom_domain_returns_cloudfront_and_shows_as_custom(client: Any, pool_id: str) -> None:
    created = client.create_user_pool_domain(
        Domain="auth.example.com",
        UserPoolId=pool_id,
        CustomDomainConfig={"CertificateArn": CERT},
        ManagedLoginVersion=2,
    )
    assert created["CloudFrontDomain"].endswith(".cloudfront.net")
    assert created["ManagedLoginVersion"] == 2
    description = client.describe_user_pool_domain(Domain="auth.example.com")["DomainDescription"]
    assert description["CustomDomainConfig"] == {"CertificateArn": CERT}
    assert description["CloudFrontDistribution"] == created["CloudFrontDomain"]
    pool = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert pool["CustomDomain"] == "auth.example.com"
    assert "Domain" not in pool
    # One prefix and one custom domain may live side by side.
    client.create_user_pool_domain(Domain="side-by-side", UserPoolId=pool_id)
    pool = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert (pool["Domain"], pool["CustomDomain"]) == ("side-by-side", "auth.example.com")


@pytest.mark.parametrize(
    ("domain", "config", "message"),
    [
        (
            "auth",
            {"CertificateArn": CERT},
            "Custom domain is not a valid subdomain: Was not able to resolve the root domain, "
            "please ensure an A record exists for the root domain.",
        ),
        (
            "auth.example.com",
            {"CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc"},
            "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, "
            "or doesn't include a valid certificate chain.",
        ),
        ("my-cognito-app", None, "Domain cannot contain reserved word: cognito"),
    ],
)
def test_bad_domains_are_refused(
    client: Any, pool_id: str, domain: str, config: dict[str, str] | None, message: str
) -> None:
    extra = {"CustomDomainConfig": config} if config else {}
    with pytest.raises(ClientError) as caught:
        client.create_user_pool_domain(Domain=domain, UserPoolId=pool_id, **extra)
    assert _error(caught) == ("InvalidParameterException", message)
    assert client.describe_user_pool_domain(Domain=domain)["DomainDescription"] == {}


PATTERN = r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$"


@pytest.mark.parametrize(
    ("domain", "count", "constraints"),
    [
        ("My_App", 1, [f"Member must satisfy regular expression pattern: {PATTERN}"]),
        ("a.b", 1, [f"Member must satisfy regular expression pattern: {PATTERN}"]),
        ("-edge", 1, [f"Member must satisfy regular expression pattern: {PATTERN}"]),
        (
            "x" * 64,
            2,
            [
                "Member must have length less than or equal to 63",
                f"Member must satisfy regular expression pattern: {PATTERN}",
            ],
        ),
    ],
)
def test_malformed_names_get_the_model_message(
    client: Any, pool_id: str, domain: str, count: int, constraints: list[str]
) -> None:
    errors = "error" if count == 1 else "errors"
    expected = f"{count} validation {errors} detected: " + "; ".join(
        f"Value '{domain}' at 'domain' failed to satisfy constraint: {c}" for c in constraints
    )
    with pytest.raises(ClientError) as caught:
        client.create_user_pool_domain(Domain=domain, UserPoolId=pool_id)
    assert _error(caught) == ("InvalidParameterException", expected)
    with pytest.raises(ClientError) as caught:
        client.describe_user_pool_domain(Domain=domain)
    assert _error(caught) == ("InvalidParameterException", expected)


def test_prefixes_are_unique_across_pools_regions_and_accounts(mock: CognitoMock) -> None:
    first = mock.call("CreateUserPool", PoolName="a")["UserPool"]["Id"]
    mock.call("CreateUserPoolDomain", Domain="shared-name", UserPoolId=first)
    elsewhere = mock.client(region_name="eu-west-1")
    other = elsewhere.create_user_pool(PoolName="b")["UserPool"]["Id"]
    with pytest.raises(ClientError) as caught:
        elsewhere.create_user_pool_domain(Domain="shared-name", UserPoolId=other)
    assert _error(caught) == (
        "InvalidParameterException",
        "Domain already associated with another user pool.",
    )
    # Another region does not see the first region's domain.
    assert elsewhere.describe_user_pool_domain(Domain="shared-name")["DomainDescription"] == {}


def test_one_prefix_domain_per_pool(client: Any, pool_id: str) -> None:
    client.create_user_pool_domain(Domain="first-one", UserPoolId=pool_id)
    with pytest.raises(ClientError) as caught:
        client.create_user_pool_domain(Domain="second-one", UserPoolId=pool_id)
    assert _error(caught) == (
        "InvalidParameterException",
        "User pool already has a domain configured.",
    )
    assert client.describe_user_pool_domain(Domain="second-one")["DomainDescription"] == {}


def test_update_changes_version_and_certificate(client: Any, pool_id: str) -> None:
    client.create_user_pool_domain(
        Domain="login.example.org", UserPoolId=pool_id, CustomDomainConfig={"CertificateArn": CERT}
    )
    new_cert = CERT.replace("5555", "6666")
    updated = client.update_user_pool_domain(
        Domain="login.example.org",
        UserPoolId=pool_id,
        ManagedLoginVersion=2,
        CustomDomainConfig={"CertificateArn": new_cert},
    )
    assert updated["ManagedLoginVersion"] == 2
    assert updated["CloudFrontDomain"].endswith(".cloudfront.net")
    description = client.describe_user_pool_domain(Domain="login.example.org")["DomainDescription"]
    assert description["ManagedLoginVersion"] == 2
    assert description["CustomDomainConfig"]["CertificateArn"] == new_cert


def test_update_rules(client: Any, pool_id: str) -> None:
    client.create_user_pool_domain(Domain="plain-prefix", UserPoolId=pool_id)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"Domain": "not-mine"}, "No such domain or user pool exists."),
        (
            {"Domain": "plain-prefix", "CustomDomainConfig": {"CertificateArn": CERT}},
            "CustomDomainConfig can only be updated for a custom domain.",
        ),
        (
            {"Domain": "plain-prefix", "ManagedLoginVersion": 3},
            "Invalid ManagedLoginVersion 3: the version must be 1 (hosted UI classic) or 2 "
            "(managed login).",
        ),
    ]
    for params, message in cases:
        with pytest.raises(ClientError) as caught:
            client.update_user_pool_domain(UserPoolId=pool_id, **params)
        assert _error(caught) == ("InvalidParameterException", message)
    description = client.describe_user_pool_domain(Domain="plain-prefix")["DomainDescription"]
    assert description["ManagedLoginVersion"] == 1


def test_managed_login_needs_a_paid_tier(client: Any) -> None:
    lite = client.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    with pytest.raises(ClientError) as caught:
        client.create_user_pool_domain(Domain="lite-pool", UserPoolId=lite, ManagedLoginVersion=2)
    assert _error(caught) == (
        "FeatureUnavailableInTierException",
        "Managed login requires the Essentials tier or higher.",
    )
    client.create_user_pool_domain(Domain="lite-pool", UserPoolId=lite, ManagedLoginVersion=1)


def test_delete_frees_the_name_and_the_pool(client: Any, pool_id: str) -> None:
    client.create_user_pool_domain(Domain="going-away", UserPoolId=pool_id)
    with pytest.raises(ClientError) as caught:
        client.delete_user_pool(UserPoolId=pool_id)
    assert _error(caught) == (
        "InvalidParameterException",
        "User pool cannot be deleted. It has a domain configured that should be deleted first.",
    )
    with pytest.raises(ClientError) as caught:
        client.delete_user_pool_domain(Domain="someone-else", UserPoolId=pool_id)
    assert _error(caught) == ("InvalidParameterException", "No such domain or user pool exists.")
    client.delete_user_pool_domain(Domain="going-away", UserPoolId=pool_id)
    assert client.describe_user_pool_domain(Domain="going-away")["DomainDescription"] == {}
    assert "Domain" not in client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    other = client.create_user_pool(PoolName="next")["UserPool"]["Id"]
    client.create_user_pool_domain(Domain="going-away", UserPoolId=other)
    client.delete_user_pool(UserPoolId=pool_id)


def test_unknown_pool(client: Any) -> None:
    with pytest.raises(ClientError) as caught:
        client.create_user_pool_domain(Domain="orphan", UserPoolId="us-east-1_missing00")
    assert _error(caught) == (
        "ResourceNotFoundException",
        "User pool us-east-1_missing00 does not exist.",
    )
