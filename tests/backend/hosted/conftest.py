"""Fixtures of the managed-login tests: a pool with a domain and two OAuth clients, its users,
and an in-process browser (`tests.helpers.Agent`) on the domain's ASGI app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from cognito_mock import CognitoMock
from cognito_mock.web import DomainApp
from tests.helpers import PASSWORD, Agent

CALLBACK = "http://localhost:3000/callback"
SIGNED_OUT = "http://localhost:3000/signed-out"
SCOPES = ["openid", "email", "profile", "aws.cognito.signin.user.admin"]


@dataclass
class Site:
    pool_id: str
    domain: str
    web: dict[str, Any]  # a confidential client: code flow
    spa: dict[str, Any]  # a public client: code and implicit flows


def oauth_client(client: Any, pool_id: str, name: str, **settings: Any) -> dict[str, Any]:
    settings.setdefault("AllowedOAuthFlowsUserPoolClient", True)
    settings.setdefault("AllowedOAuthFlows", ["code"])
    settings.setdefault("AllowedOAuthScopes", SCOPES)
    settings.setdefault("CallbackURLs", [CALLBACK])
    settings.setdefault("LogoutURLs", [SIGNED_OUT])
    settings.setdefault("SupportedIdentityProviders", ["COGNITO"])
    made = client.create_user_pool_client(UserPoolId=pool_id, ClientName=name, **settings)
    return dict(made["UserPoolClient"])


@pytest.fixture
def site(client: Any) -> Site:
    pool_id = client.create_user_pool(
        PoolName="shop",
        AutoVerifiedAttributes=["email"],
        Schema=[
            {"Name": "email", "AttributeDataType": "String", "Required": True, "Mutable": True}
        ],
    )["UserPool"]["Id"]
    client.create_user_pool_domain(UserPoolId=pool_id, Domain="shop")
    web = oauth_client(client, pool_id, "web", GenerateSecret=True)
    spa = oauth_client(client, pool_id, "spa", AllowedOAuthFlows=["code", "implicit"])
    return Site(pool_id, "shop", web, spa)


@pytest.fixture
def alice(client: Any, site: Site) -> str:
    """A confirmed user with a verified email and PASSWORD."""
    client.admin_create_user(
        UserPoolId=site.pool_id, Username="alice", MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"},
                        {"Name": "email_verified", "Value": "true"},
                        {"Name": "name", "Value": "Alice"}],
    )  # fmt: skip
    client.admin_set_user_password(
        UserPoolId=site.pool_id, Username="alice", Password=PASSWORD, Permanent=True
    )
    return "alice"


@pytest.fixture
def domain_app(mock: CognitoMock) -> DomainApp:
    return DomainApp(mock)


@pytest.fixture
def browser(domain_app: DomainApp, site: Site) -> Iterator[Agent]:
    agent = Agent(domain_app, f"{site.domain}.localhost")
    yield agent
    agent.close()


def authorize_query(app: dict[str, Any], **params: str) -> dict[str, str]:
    query = {"client_id": app["ClientId"], "redirect_uri": CALLBACK, "response_type": "code"}
    query.update(params)
    return query
