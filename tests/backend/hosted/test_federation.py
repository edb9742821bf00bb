"""OIDC federation followed for real, in-process: the identity provider is another pool of the
same mock, reached through the domain app's outbound transport (its discovery document, authorize
page, token endpoint, JWKS and userInfo). The federated user, `identities`, the provider group,
AdminLinkProviderForUser links and the IdP's refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from cognito_mock import CognitoMock
from cognito_mock.web import DomainApp
from tests.backend.hosted.conftest import CALLBACK, Site, authorize_query, oauth_client
from tests.helpers import PASSWORD, Agent


@dataclass
class Provider:
    pool_id: str
    client: dict[str, Any]


@pytest.fixture
def linked_app(mock: CognitoMock) -> DomainApp:
    app = DomainApp(mock)
    app.upstream = httpx.ASGITransport(app=app)  # outbound calls come back to this app
    return app


@pytest.fixture
def agent(linked_app: DomainApp, site: Site) -> Iterator[Agent]:
    made = Agent(linked_app, "shop.localhost")
    yield made
    made.close()


@pytest.fixture
def partner(mock: CognitoMock, client: Any, site: Site) -> Provider:
    """The IdP: another pool with a domain, a user, and a client for the shop's federation."""
    pool_id = client.create_user_pool(PoolName="partner")["UserPool"]["Id"]
    client.create_user_pool_domain(UserPoolId=pool_id, Domain="partner")
    made = oauth_client(
        client, pool_id, "shop-federation", GenerateSecret=True, AllowedOAuthScopes=["openid", "email"],
        CallbackURLs=["http://shop.localhost/oauth2/idpresponse"],
    )  # fmt: skip
    for name, email in (("pat", "pat@partner.example"), ("lee", "lee@partner.example")):
        client.admin_create_user(
            UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
        )  # fmt: skip
        client.admin_set_user_password(
            UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True
        )
    client.create_identity_provider(
        UserPoolId=site.pool_id, ProviderName="Partner", ProviderType="OIDC",
        ProviderDetails={
            "client_id": made["ClientId"], "client_secret": made["ClientSecret"],
            "authorize_scopes": "openid email", "oidc_issuer": mock.issuer(pool_id),
            "attributes_request_method": "GET",
        },
        AttributeMapping={"email": "email", "email_verified": "email_verified"},
    )  # fmt: skip
    client.update_user_pool_client(
        UserPoolId=site.pool_id, ClientId=site.web["ClientId"], ClientName="web",
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"], CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["COGNITO", "Partner"],
    )  # fmt: skip
    return Provider(pool_id, made)


def federated_sign_in(agent: Agent, site: Site, username: str, **params: str) -> httpx.Response:
    started = agent.get(
        "/oauth2/authorize", params=authorize_query(site.web, identity_provider="Partner", **params)
    )
    assert started.status_code == 302, started.text[:400]
    at_idp = urlsplit(started.headers["location"])
    assert (
        at_idp.netloc == "partner.auth.us-east-1.amazoncognito.com"
        and at_idp.path == "/oauth2/authorize"
    )
    sent = parse_qs(at_idp.query)
    assert sent["redirect_uri"] == ["http://shop.localhost/oauth2/idpresponse"]
    assert sent["scope"] == ["openid email"] and sent["nonce"] and sent["state"]
    page = agent.follow(agent.follow(started))
    back = agent.submit(page, "cognitoSignInForm", username=username, password=PASSWORD)
    assert back.status_code == 302 and back.headers["location"].startswith(
        "http://shop.localhost/oauth2/idpresponse?"
    )
    return agent.get(back.headers["location"])


def redeem(agent: Agent, site: Site, location: str) -> dict[str, Any]:
    code = parse_qs(urlsplit(location).query)["code"][0]
    answer = agent.post(
        "/oauth2/token", data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(site.web["ClientId"], site.web["ClientSecret"]),
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def test_sign_in_through_another_pool(
    mock: CognitoMock, client: Any, site: Site, partner: Provider, agent: Agent
) -> None:
    done = federated_sign_in(agent, site, "pat", state="s1")
    assert done.status_code == 302 and done.headers["location"].startswith(CALLBACK + "?"), (
        done.text[:500]
    )
    assert parse_qs(urlsplit(done.headers["location"]).query)["state"] == ["s1"]
    tokens = redeem(agent, site, done.headers["location"])
    idp_sub = client.admin_get_user(UserPoolId=partner.pool_id, Username="pat")["UserAttributes"][
        0
    ]["Value"]
    claims = claims_of(tokens["id_token"])
    assert claims["cognito:username"] == f"Partner_{idp_sub}"
    assert claims["email"] == "pat@partner.example" and claims["email_verified"] is True
    assert claims["cognito:groups"] == [f"{site.pool_id}_Partner"]
    (identity,) = claims["identities"]
    assert identity["userId"] == idp_sub and identity["providerName"] == "Partner"
    assert identity["providerType"] == "OIDC" and identity["issuer"] == mock.issuer(partner.pool_id)
    assert identity["primary"] == "true" and identity["dateCreated"].isdigit()
    user = client.admin_get_user(UserPoolId=site.pool_id, Username=f"Partner_{idp_sub}")
    assert user["UserStatus"] == "EXTERNAL_PROVIDER"
    assert (
        json.loads(next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "identities"))[
            0
        ]["primary"]
        is True
    )
    # The session cookie of the shop's domain now signs the user in silently.
    silent = agent.get("/oauth2/authorize", params=authorize_query(site.web))
    assert silent.headers["location"].startswith(CALLBACK + "?code=")


def test_linked_identity_signs_in_as_the_pool_user(
    client: Any, site: Site, partner: Provider, agent: Agent, alice: str
) -> None:
    lee = client.admin_get_user(UserPoolId=partner.pool_id, Username="lee")["UserAttributes"][0][
        "Value"
    ]
    client.admin_link_provider_for_user(
        UserPoolId=site.pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "alice"},
        SourceUser={"ProviderName": "Partner", "ProviderAttributeName": "Cognito_Subject",
                    "ProviderAttributeValue": lee},
    )  # fmt: skip
    done = federated_sign_in(agent, site, "lee")
    claims = claims_of(redeem(agent, site, done.headers["location"])["id_token"])
    assert claims["cognito:username"] == "alice"
    assert [i["userId"] for i in claims["identities"]] == [lee]


def test_idp_refusing_the_code_is_reported_to_the_app(
    client: Any, site: Site, partner: Provider, agent: Agent
) -> None:
    provider = client.describe_identity_provider(UserPoolId=site.pool_id, ProviderName="Partner")
    details = {**provider["IdentityProvider"]["ProviderDetails"], "client_secret": "not-the-secret"}
    client.update_identity_provider(
        UserPoolId=site.pool_id, ProviderName="Partner", ProviderDetails=details
    )
    done = federated_sign_in(agent, site, "pat", state="s2")
    assert parse_qs(urlsplit(done.headers["location"]).query) == {
        "error": ["invalid_request"],
        "error_description": ["Partner Error - 401 error getting token"],
        "state": ["s2"],
    }


def test_unreachable_idp_and_unknown_state(
    client: Any, site: Site, agent: Agent, linked_app: DomainApp
) -> None:
    client.create_identity_provider(
        UserPoolId=site.pool_id, ProviderName="Nowhere", ProviderType="OIDC",
        ProviderDetails={"client_id": "x", "authorize_scopes": "openid", "attributes_request_method": "GET",
                         "oidc_issuer": "https://idp.invalid"},
    )  # fmt: skip
    client.update_user_pool_client(
        UserPoolId=site.pool_id, ClientId=site.web["ClientId"], ClientName="web",
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"],
        CallbackURLs=[CALLBACK], SupportedIdentityProviders=["Nowhere"],
    )  # fmt: skip

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    linked_app.upstream = httpx.MockTransport(refuse)
    answer = agent.get(
        "/oauth2/authorize", params=authorize_query(site.web, identity_provider="Nowhere")
    )
    assert parse_qs(urlsplit(answer.headers["location"]).query)["error_description"] == [
        "Nowhere Error - 0 error getting the OpenID configuration"
    ]
    assert (
        agent.get("/oauth2/idpresponse", params={"state": "forged", "code": "x"}).status_code == 400
    )


def test_saml_is_not_supported(client: Any, site: Site, agent: Agent) -> None:
    client.create_identity_provider(
        UserPoolId=site.pool_id, ProviderName="Corp", ProviderType="SAML",
        ProviderDetails={"MetadataURL": "https://corp.example/metadata"},
    )  # fmt: skip
    client.update_user_pool_client(
        UserPoolId=site.pool_id, ClientId=site.web["ClientId"], ClientName="web",
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"],
        CallbackURLs=[CALLBACK], SupportedIdentityProviders=["Corp"],
    )  # fmt: skip
    answer = agent.get(
        "/oauth2/authorize", params=authorize_query(site.web, identity_provider="Corp")
    )
    assert answer.status_code == 400
    assert "SAML identity providers are not supported by cognito-mock." in answer.text


def test_a_social_provider_pointed_at_a_local_provider(
    mock: CognitoMock, client: Any, site: Site, partner: Provider, agent: Agent
) -> None:
    """A Google provider whose endpoints name the partner pool works the same way; its users are
    `google_<id>` (lowercase, as the service names them) of providerType Google."""
    idp = "https://partner.auth.us-east-1.amazoncognito.com"
    client.create_identity_provider(
        UserPoolId=site.pool_id, ProviderName="Google", ProviderType="Google",
        ProviderDetails={
            "client_id": partner.client["ClientId"], "client_secret": partner.client["ClientSecret"],
            "authorize_scopes": "openid email", "oidc_issuer": mock.issuer(partner.pool_id),
            "authorize_url": f"{idp}/oauth2/authorize", "token_url": f"{idp}/oauth2/token",
            "attributes_url": f"{idp}/oauth2/userInfo",
            "jwks_uri": f"{mock.issuer(partner.pool_id)}/.well-known/jwks.json",
        },
        AttributeMapping={"email": "email"},
    )  # fmt: skip
    client.update_user_pool_client(
        UserPoolId=site.pool_id, ClientId=site.web["ClientId"], ClientName="web",
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"],
        CallbackURLs=[CALLBACK], SupportedIdentityProviders=["Google"],
    )  # fmt: skip
    started = agent.get(
        "/oauth2/authorize", params=authorize_query(site.web, identity_provider="Google")
    )
    assert started.headers["location"].startswith(f"{idp}/oauth2/authorize?")
    page = agent.follow(agent.follow(started))
    back = agent.submit(page, "cognitoSignInForm", username="pat", password=PASSWORD)
    done = agent.get(back.headers["location"])
    claims = claims_of(redeem(agent, site, done.headers["location"])["id_token"])
    pat = client.admin_get_user(UserPoolId=partner.pool_id, Username="pat")["UserAttributes"][0][
        "Value"
    ]
    assert claims["cognito:username"] == f"google_{pat}"
    assert claims["identities"][0]["providerType"] == "Google"
    assert claims["identities"][0]["issuer"] is None
