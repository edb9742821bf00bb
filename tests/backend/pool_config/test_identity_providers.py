"""Identity providers (CRUD, filled-in details, identifiers) and linking users to external identities."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import ManualClock
from cognito_mock.backend.directory.identity_links import identities_claim

GOOGLE = {"client_id": "g-id", "client_secret": "g-secret", "authorize_scopes": "openid email"}
OIDC = {
    "client_id": "o-id",
    "client_secret": "o-secret",
    "authorize_scopes": "openid",
    "oidc_issuer": "https://idp.example.com",
    "attributes_request_method": "GET",
}


def _error(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def test_google_gets_the_service_endpoints_and_username_mapping(client: Any, pool_id: str) -> None:
    created = client.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails=GOOGLE,
        AttributeMapping={"email": "email"},
    )["IdentityProvider"]
    details = created["ProviderDetails"]
    assert details["authorize_url"] == "https://accounts.google.com/o/oauth2/v2/auth"
    assert details["token_url"] == "https://www.googleapis.com/oauth2/v4/token"
    assert details["oidc_issuer"] == "https://accounts.google.com"
    assert details["client_secret"] == "g-secret"
    assert created["AttributeMapping"] == {"email": "email", "username": "sub"}
    described = client.describe_identity_provider(UserPoolId=pool_id, ProviderName="Google")
    assert described["IdentityProvider"] == created


def test_apple_private_key_is_never_shown_but_kept(client: Any, pool_id: str) -> None:
    details = {
        "client_id": "com.example",
        "team_id": "T",
        "key_id": "K",
        "private_key": "secret-key",
        "authorize_scopes": "email name",
    }
    created = client.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="SignInWithApple",
        ProviderType="SignInWithApple",
        ProviderDetails=details,
    )["IdentityProvider"]
    assert "private_key" not in created["ProviderDetails"]
    shown = created["ProviderDetails"]
    # An update sending back what Describe showed keeps the key (it could not be sent back).
    updated = client.update_identity_provider(
        UserPoolId=pool_id,
        ProviderName="SignInWithApple",
        ProviderDetails={**shown, "team_id": "T2"},
    )["IdentityProvider"]
    assert updated["ProviderDetails"]["team_id"] == "T2"
    assert "private_key" not in updated["ProviderDetails"]


@pytest.mark.parametrize(
    ("name", "kind", "details", "code", "message"),
    [
        (
            "MyGoogle",
            "Google",
            GOOGLE,
            "InvalidParameterException",
            "The provider name of a Google identity provider must be Google.",
        ),
        (
            "Corp",
            "OIDC",
            {k: v for k, v in OIDC.items() if k != "oidc_issuer"},
            "InvalidParameterException",
            "The oidc_issuer field is required in ProviderDetails for OIDC identity providers.",
        ),
        (
            "Corp",
            "OIDC",
            {**OIDC, "attributes_request_method": "PUT"},
            "InvalidParameterException",
            "attributes_request_method must be GET or POST.",
        ),
        (
            "Saml",
            "SAML",
            {"IDPSignout": "true"},
            "InvalidParameterException",
            "Exactly one of MetadataURL and MetadataFile is required in ProviderDetails for SAML "
            "identity providers.",
        ),
        (
            "Cognito",
            "OIDC",
            OIDC,
            "InvalidParameterException",
            "The provider name Cognito is reserved.",
        ),
    ],
)
def test_bad_providers_are_refused(
    client: Any, pool_id: str, name: str, kind: str, details: Any, code: str, message: str
) -> None:
    with pytest.raises(ClientError) as caught:
        client.create_identity_provider(
            UserPoolId=pool_id, ProviderName=name, ProviderType=kind, ProviderDetails=details
        )
    assert _error(caught) == (code, message)
    assert client.list_identity_providers(UserPoolId=pool_id)["Providers"] == []


def test_duplicates_and_identifiers(client: Any, pool_id: str) -> None:
    client.create_identity_provider(
        UserPoolId=pool_id,
        ProviderName="Corp",
        ProviderType="OIDC",
        ProviderDetails=OIDC,
        IdpIdentifiers=["corp.example.com"],
    )
    with pytest.raises(ClientError) as caught:
        client.create_identity_provider(
            UserPoolId=pool_id, ProviderName="Corp", ProviderType="OIDC", ProviderDetails=OIDC
        )
    assert _error(caught) == (
        "DuplicateProviderException",
        "A provider with the name Corp already exists in this user pool.",
    )
    with pytest.raises(ClientError) as caught:
        client.create_identity_provider(
            UserPoolId=pool_id,
            ProviderName="Other",
            ProviderType="OIDC",
            ProviderDetails=OIDC,
            IdpIdentifiers=["corp.example.com"],
        )
    assert _error(caught) == (
        "InvalidParameterException",
        "Duplicate IdP identifier corp.example.com: identifiers must be unique within a user pool.",
    )
    found = client.get_identity_provider_by_identifier(
        UserPoolId=pool_id, IdpIdentifier="corp.example.com"
    )["IdentityProvider"]
    assert found["ProviderName"] == "Corp"
    # Moving the identifier frees the old one.
    client.update_identity_provider(UserPoolId=pool_id, ProviderName="Corp", IdpIdentifiers=["c2"])
    with pytest.raises(ClientError) as caught:
        client.get_identity_provider_by_identifier(
            UserPoolId=pool_id, IdpIdentifier="corp.example.com"
        )
    assert _error(caught) == (
        "ResourceNotFoundException",
        "Identity provider with identifier corp.example.com does not exist.",
    )


def test_clients_offer_only_existing_providers(client: Any, pool_id: str) -> None:
    def make() -> Any:
        return client.create_user_pool_client(
            UserPoolId=pool_id, ClientName="web", SupportedIdentityProviders=["COGNITO", "Corp"]
        )

    with pytest.raises(ClientError) as caught:
        make()
    assert _error(caught) == (
        "InvalidParameterException",
        f"The provider Corp does not exist for User Pool {pool_id}",
    )
    client.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Corp", ProviderType="OIDC", ProviderDetails=OIDC
    )
    client_id = make()["UserPoolClient"]["ClientId"]
    client.delete_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    shown = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert shown["UserPoolClient"]["SupportedIdentityProviders"] == ["COGNITO"]
    with pytest.raises(ClientError) as caught:
        client.describe_identity_provider(UserPoolId=pool_id, ProviderName="Corp")
    assert _error(caught) == ("ResourceNotFoundException", "Identity provider Corp does not exist.")


def test_list_pages_and_update_timestamps(client: Any, pool_id: str, clock: ManualClock) -> None:
    for name in ["b", "a", "c"]:
        client.create_identity_provider(
            UserPoolId=pool_id, ProviderName=f"Idp{name}", ProviderType="OIDC", ProviderDetails=OIDC
        )
    first = client.list_identity_providers(UserPoolId=pool_id, MaxResults=2)
    assert [p["ProviderName"] for p in first["Providers"]] == ["Idpa", "Idpb"]
    rest = client.list_identity_providers(
        UserPoolId=pool_id, MaxResults=2, NextToken=first["NextToken"]
    )
    assert [p["ProviderName"] for p in rest["Providers"]] == ["Idpc"]
    assert "NextToken" not in rest
    clock.advance(60)
    updated = client.update_identity_provider(
        UserPoolId=pool_id, ProviderName="Idpa", AttributeMapping={"email": "mail"}
    )["IdentityProvider"]
    assert updated["LastModifiedDate"] > updated["CreationDate"]
    assert updated["AttributeMapping"] == {"email": "mail", "username": "sub"}
    with pytest.raises(ClientError) as caught:
        client.update_identity_provider(
            UserPoolId=pool_id, ProviderName="Idpa", AttributeMapping={"custom:nope": "x"}
        )
    assert _error(caught) == (
        "InvalidParameterException",
        "Invalid attribute mapping: the attribute custom:nope does not exist in the user pool "
        "schema.",
    )


# ----------------------------------------------------------------------------- linking


def _google(client: Any, pool_id: str) -> None:
    client.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )


def _link(
    client: Any, pool_id: str, username: str, subject: str, attr: str = "Cognito_Subject"
) -> Any:
    return client.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": username},
        SourceUser={
            "ProviderName": "Google",
            "ProviderAttributeName": attr,
            "ProviderAttributeValue": subject,
        },
    )


def _identities(client: Any, pool_id: str, username: str) -> list[dict[str, Any]]:
    attributes = client.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
    raw = {a["Name"]: a["Value"] for a in attributes}.get("identities")
    return json.loads(raw) if raw else []


def test_link_and_disable(client: Any, pool_id: str, clock: ManualClock) -> None:
    _google(client, pool_id)
    client.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    _link(client, pool_id, "alice", "1234567890")
    identities = _identities(client, pool_id, "alice")
    assert identities == [
        {
            "userId": "1234567890",
            "providerName": "Google",
            "providerType": "Google",
            "issuer": None,
            "primary": False,
            "dateCreated": int(clock.now() * 1000),
        }
    ]
    claim = identities_claim(json.dumps(identities))
    assert claim[0]["primary"] == "false"
    assert claim[0]["dateCreated"] == str(int(clock.now() * 1000))
    # Linking again to the same user changes nothing; to another user is refused.
    _link(client, pool_id, "alice", "1234567890")
    assert len(_identities(client, pool_id, "alice")) == 1
    client.admin_create_user(UserPoolId=pool_id, Username="bob", MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as caught:
        _link(client, pool_id, "bob", "1234567890")
    assert _error(caught) == (
        "AliasExistsException",
        "The source user is already linked to another user.",
    )
    client.admin_disable_provider_for_user(
        UserPoolId=pool_id,
        User={
            "ProviderName": "Google",
            "ProviderAttributeName": "Cognito_Subject",
            "ProviderAttributeValue": "1234567890",
        },
    )
    assert _identities(client, pool_id, "alice") == []
    _link(client, pool_id, "bob", "1234567890")  # free again
    assert [i["userId"] for i in _identities(client, pool_id, "bob")] == ["1234567890"]


def test_link_rules(client: Any, pool_id: str) -> None:
    client.admin_create_user(UserPoolId=pool_id, Username="alice", MessageAction="SUPPRESS")
    with pytest.raises(ClientError) as caught:
        _link(client, pool_id, "alice", "1")
    assert _error(caught) == (
        "InvalidParameterException",
        f"The provider Google does not exist for User Pool {pool_id}",
    )
    _google(client, pool_id)
    with pytest.raises(ClientError) as caught:
        _link(client, pool_id, "alice", "1", attr="email")
    assert _error(caught) == (
        "InvalidParameterException",
        "ProviderAttributeName must be Cognito_Subject for social identity providers.",
    )
    with pytest.raises(ClientError) as caught:
        _link(client, pool_id, "nobody", "1")
    assert _error(caught) == ("UserNotFoundException", "User does not exist.")
    for subject in "12345":
        _link(client, pool_id, "alice", subject)
    with pytest.raises(ClientError) as caught:
        _link(client, pool_id, "alice", "6")
    assert _error(caught) == (
        "LimitExceededException",
        "A user can be linked to at most 5 identities.",
    )
    assert len(_identities(client, pool_id, "alice")) == 5


def test_disable_unknown_identity(client: Any, pool_id: str) -> None:
    _google(client, pool_id)
    with pytest.raises(ClientError) as caught:
        client.admin_disable_provider_for_user(
            UserPoolId=pool_id,
            User={
                "ProviderName": "Google",
                "ProviderAttributeName": "Cognito_Subject",
                "ProviderAttributeValue": "never-linked",
            },
        )
    assert _error(caught) == ("UserNotFoundException", "User does not exist.")


def test_linked_identities_reach_the_id_token_as_an_array(
    mock: Any, client: Any, clock: Any
) -> None:
    import jwt

    pool_id = client.create_user_pool(PoolName="links")["UserPool"]["Id"]
    client.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Google", ProviderType="Google",
        ProviderDetails={"client_id": "c", "client_secret": "s", "authorize_scopes": "openid"},
    )  # fmt: skip
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    client.admin_create_user(UserPoolId=pool_id, Username="ann", MessageAction="SUPPRESS")
    client.admin_set_user_password(
        UserPoolId=pool_id, Username="ann", Password="Passw0rd!x", Permanent=True
    )
    client.admin_link_provider_for_user(
        UserPoolId=pool_id,
        DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "ann"},
        SourceUser={"ProviderName": "Google", "ProviderAttributeName": "Cognito_Subject",
                    "ProviderAttributeValue": "g-123"},
    )  # fmt: skip
    tokens = client.admin_initiate_auth(
        UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": "Passw0rd!x"},
    )["AuthenticationResult"]  # fmt: skip
    claims = jwt.decode(tokens["IdToken"], options={"verify_signature": False})
    assert isinstance(claims["identities"], list)
    identity = claims["identities"][0]
    assert identity["userId"] == "g-123" and identity["providerName"] == "Google"
    assert identity["primary"] in ("true", "false") and identity["dateCreated"].isdigit()
