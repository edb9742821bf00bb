"""GetDerivedToken (RFC 8693 token exchange) through boto3: impersonation and delegation (`act`),
audience and resource binding, scope narrowing, ID tokens, Pre token generation, and every refusal;
issued tokens verified by PyJWT against the pool's JWKS."""

from __future__ import annotations

import json
from typing import Any

import jwt as pyjwt
import pytest

from cognito_mock import CognitoMock
from cognito_mock.backend.tokens import derived, presented
from tests.helpers import PASSWORD

EXCHANGE = ["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_TOKEN_EXCHANGE_DELEGATION"]
ARN = "arn:aws:lambda:us-east-1:123456789012:function:pre-token"


def verified(mock: CognitoMock, pool_id: str, token: str, **checks: Any) -> dict[str, Any]:
    jwks = pyjwt.PyJWKSet.from_dict(mock.jwks(pool_id))
    key = jwks[pyjwt.get_unverified_header(token)["kid"]].key
    return pyjwt.decode(
        token, key, algorithms=["RS256"], issuer=mock.issuer(pool_id), leeway=10**10,
        options={"verify_aud": "audience" in checks}, **checks,
    )  # fmt: skip


@pytest.fixture
def world(client: Any, pool_id: str, make_client: Any, make_user: Any) -> dict[str, Any]:
    """A web client alice signs in with, a service client that exchanges, an M2M client (actor)."""
    client.create_resource_server(
        UserPoolId=pool_id, Identifier="orders", Name="orders",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "read"}],
    )  # fmt: skip
    web = make_client(ClientName="web")["ClientId"]
    service = make_client(ClientName="svc", ExplicitAuthFlows=EXCHANGE,
                          AllowedOAuthScopes=["orders/read"])  # fmt: skip
    agent = make_client(ClientName="agent", GenerateSecret=True,
                        ExplicitAuthFlows=["ALLOW_CLIENT_TOKEN_AUTH"],
                        AllowedOAuthScopes=["orders/read"])  # fmt: skip
    make_user()
    tokens = client.initiate_auth(
        ClientId=web, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip
    actor = client.get_client_token(ClientId=agent["ClientId"], Secret=agent["ClientSecret"])
    return {
        "web": web, "service": service["ClientId"], "agent": agent["ClientId"], "tokens": tokens,
        "actor": actor["ClientAuthenticationResult"]["AccessToken"],
    }  # fmt: skip


def exchange(client: Any, world: dict[str, Any], **members: Any) -> dict[str, Any]:
    members.setdefault("ClientId", world["service"])
    members.setdefault("SubjectToken", world["tokens"]["AccessToken"])
    members.setdefault("SubjectTokenType", "ACCESS_TOKEN")
    return dict(client.get_derived_token(**members))


def test_impersonation_looks_like_the_user(client, mock, pool_id, world):
    answer = exchange(client, world, Audiences=["payments"])
    assert answer["IssuedTokenType"] == "ACCESS_TOKEN" and answer["TokenType"] == "Bearer"
    assert answer["ExpiresIn"] == 3600 and answer["Scopes"] == ["aws.cognito.signin.user.admin"]
    claims = verified(mock, pool_id, answer["IssuedToken"], audience="payments")
    subject = verified(mock, pool_id, world["tokens"]["AccessToken"])
    assert claims["sub"] == subject["sub"] and claims["username"] == "alice"
    assert claims["client_id"] == world["service"] and claims["token_use"] == "access"
    assert (
        claims["origin_jti"] == subject["origin_jti"]
        and claims["auth_time"] == subject["auth_time"]
    )
    assert "act" not in claims and claims["jti"] != subject["jti"]
    # An ordinary pool access token: the user's own APIs accept it.
    assert client.get_user(AccessToken=answer["IssuedToken"])["Username"] == "alice"


def test_delegation_names_the_actor(client, mock, pool_id, world):
    answer = exchange(client, world, ActorToken=world["actor"], ActorTokenType="ACCESS_TOKEN",
                      Resources=["orders"])  # fmt: skip
    claims = verified(mock, pool_id, answer["IssuedToken"], audience="orders")
    assert claims["act"] == {"sub": world["agent"], "client_id": world["agent"]}
    assert claims["username"] == "alice"
    # A second hop nests the first actor (RFC 8693 section 4.1).
    again = exchange(client, world, SubjectToken=answer["IssuedToken"], ActorToken=world["actor"],
                     ActorTokenType="ACCESS_TOKEN")  # fmt: skip
    nested = verified(mock, pool_id, again["IssuedToken"])
    assert nested["act"] == {**claims["act"], "act": claims["act"]}


def test_scopes_are_the_intersection(client, mock, pool_id, world, make_client):
    agent = exchange(client, world, SubjectToken=world["actor"])  # a machine subject
    assert agent["Scopes"] == ["orders/read"]
    claims = verified(mock, pool_id, agent["IssuedToken"])
    assert claims["sub"] == world["agent"] and claims["client_id"] == world["service"]
    narrowed = exchange(client, world, Scopes=["aws.cognito.signin.user.admin", "orders/read"])
    assert narrowed["Scopes"] == ["aws.cognito.signin.user.admin"]  # the subject had no orders/read


def test_id_token(client, mock, pool_id, world):
    answer = exchange(client, world, SubjectToken=world["tokens"]["IdToken"],
                      SubjectTokenType="ID_TOKEN", RequestedTokenType="ID_TOKEN")  # fmt: skip
    assert answer["IssuedTokenType"] == "ID_TOKEN" and answer["TokenType"] == "N_A"
    assert "Scopes" not in answer
    claims = verified(mock, pool_id, answer["IssuedToken"], audience=world["service"])
    assert claims["token_use"] == "id" and claims["cognito:username"] == "alice"
    assert claims["email"] == "alice@example.com"


def test_never_outlives_its_subject(client, mock, pool_id, world, clock):
    clock.advance(minutes=50)
    answer = exchange(client, world)
    assert answer["ExpiresIn"] == 600
    claims = verified(mock, pool_id, answer["IssuedToken"])
    assert claims["exp"] == verified(mock, pool_id, world["tokens"]["AccessToken"])["exp"]


def test_pre_token_generation_runs(client, mock, pool_id, world):
    client.update_user_pool(
        UserPoolId=pool_id,
        LambdaConfig={"PreTokenGenerationConfig": {"LambdaArn": ARN, "LambdaVersion": "V2_0"}},
    )
    events = []

    def add_claim(event: dict[str, Any]) -> dict[str, Any]:
        events.append(event)
        event["response"]["claimsAndScopeOverrideDetails"] = {
            "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "acme"}}
        }
        return event

    mock.triggers.register("PreTokenGeneration", add_claim)
    answer = exchange(client, world)
    assert verified(mock, pool_id, answer["IssuedToken"])["tenant"] == "acme"
    assert events[-1]["triggerSource"] == derived.TOKEN_SOURCE == "TokenGeneration_TokenExchange"
    assert events[-1]["callerContext"]["clientId"] == world["service"]


def test_revoking_the_subject_revokes_the_derived_token(client, world, fails):
    answer = exchange(client, world)
    client.global_sign_out(AccessToken=world["tokens"]["AccessToken"])
    fails(client.get_user, "NotAuthorizedException", "Access Token has been revoked",
          AccessToken=answer["IssuedToken"])  # fmt: skip
    fails(exchange, "NotAuthorizedException", "SubjectToken has been revoked",
          client=client, world=world)  # fmt: skip


# --- refusals -----------------------------------------------------------------------------------


def test_each_mode_needs_its_flow(client, world, make_client, fails):
    world["service"] = make_client(ClientName="imp", ExplicitAuthFlows=EXCHANGE[:1])["ClientId"]
    fails(exchange, "InvalidParameterException",
          "ALLOW_TOKEN_EXCHANGE_DELEGATION flow not enabled for this client", client=client,
          world=world, ActorToken=world["actor"], ActorTokenType="ACCESS_TOKEN")  # fmt: skip
    world["service"] = make_client(ClientName="del", ExplicitAuthFlows=EXCHANGE[1:])["ClientId"]
    fails(exchange, "InvalidParameterException",
          "ALLOW_TOKEN_EXCHANGE_IMPERSONATION flow not enabled for this client", client=client,
          world=world)  # fmt: skip


def test_client_secret(client, world, make_client, fails):
    made = make_client(ClientName="conf", GenerateSecret=True, ExplicitAuthFlows=EXCHANGE)
    world["service"] = made["ClientId"]
    fails(exchange, "NotAuthorizedException", derived.NO_SECRET.format(made["ClientId"]),
          client=client, world=world)  # fmt: skip
    fails(exchange, "NotAuthorizedException", derived.WRONG_SECRET.format(made["ClientId"]),
          client=client, world=world, ClientSecret="x" * 30)  # fmt: skip
    assert exchange(client, world, ClientSecret=made["ClientSecret"])["IssuedToken"]


def test_actor_members_go_together(client, world, fails):
    fails(exchange, "InvalidParameterException", derived.ACT_NEEDS_TYPE, client=client,
          world=world, ActorToken=world["actor"])  # fmt: skip
    fails(exchange, "InvalidParameterException", derived.TYPE_NEEDS_ACT, client=client,
          world=world, ActorTokenType="ACCESS_TOKEN")  # fmt: skip


def test_targets(client, world, fails):
    fails(exchange, "InvalidParameterException", derived.BOTH_TARGETS, client=client,
          world=world, Audiences=["a"], Resources=["orders"])  # fmt: skip
    fails(exchange, "InvalidParameterException", "Invalid resource requested: billing",
          client=client, world=world, Resources=["billing"])  # fmt: skip


def test_bad_subject_tokens(client, world, fails, clock):
    tokens = world["tokens"]
    for token, kind in (
        (tokens["IdToken"], "ACCESS_TOKEN"),
        (tokens["AccessToken"], "ID_TOKEN"),
        (tokens["AccessToken"][:-4] + "AAAA", "ACCESS_TOKEN"),
        ("abc", "ID_TOKEN"),
    ):
        fails(exchange, "NotAuthorizedException", "Invalid SubjectToken", client=client,
              world=world, SubjectToken=token, SubjectTokenType=kind)  # fmt: skip
    fails(exchange, "NotAuthorizedException", "Invalid ActorToken", client=client, world=world,
          ActorToken="abc", ActorTokenType="ACCESS_TOKEN")  # fmt: skip
    clock.advance(hours=2)
    fails(exchange, "NotAuthorizedException", "SubjectToken has expired", client=client,
          world=world)  # fmt: skip


def test_another_pools_token(client, mock, world, fails):
    other = mock.call("CreateUserPool", PoolName="other")["UserPool"]["Id"]
    app = mock.call("CreateUserPoolClient", UserPoolId=other, ClientName="w",
                    ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"])["UserPoolClient"]  # fmt: skip
    mock.call("AdminCreateUser", UserPoolId=other, Username="zed", MessageAction="SUPPRESS")
    mock.call("AdminSetUserPassword", UserPoolId=other, Username="zed", Password=PASSWORD,
              Permanent=True)  # fmt: skip
    token = mock.call("AdminInitiateAuth", UserPoolId=other, ClientId=app["ClientId"],
                      AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                      AuthParameters={"USERNAME": "zed", "PASSWORD": PASSWORD})  # fmt: skip
    fails(exchange, "NotAuthorizedException", "Invalid SubjectToken", client=client, world=world,
          SubjectToken=token["AuthenticationResult"]["AccessToken"])  # fmt: skip


def test_subject_user_deleted_or_disabled(client, pool_id, world, fails):
    client.admin_disable_user(UserPoolId=pool_id, Username="alice")
    fails(exchange, "NotAuthorizedException", "User is disabled.", client=client, world=world,
          SubjectToken=world["tokens"]["IdToken"], SubjectTokenType="ID_TOKEN")  # fmt: skip
    client.admin_delete_user(UserPoolId=pool_id, Username="alice")
    fails(exchange, "UserNotFoundException", "User does not exist.", client=client, world=world,
          SubjectToken=world["tokens"]["IdToken"], SubjectTokenType="ID_TOKEN")  # fmt: skip


def test_third_party_tokens(client, pool_id, world, fails):
    fails(exchange, "InvalidParameterException",
          "SubjectTokenProviderName is required for a SAML2 SubjectToken.", client=client,
          world=world, SubjectTokenType="SAML2")  # fmt: skip
    fails(exchange, "InvalidParameterException", "Identity provider Okta does not exist.",
          client=client, world=world, SubjectTokenProviderName="Okta")  # fmt: skip
    client.create_identity_provider(
        UserPoolId=pool_id, ProviderName="Okta", ProviderType="OIDC",
        ProviderDetails={"client_id": "c", "client_secret": "s", "authorize_scopes": "openid",
                         "oidc_issuer": "https://okta.example.com", "attributes_request_method": "GET"},
    )  # fmt: skip
    fails(exchange, "NotAuthorizedException", presented.THIRD_PARTY.format("SubjectToken", "Okta"),
          client=client, world=world, SubjectTokenProviderName="Okta")  # fmt: skip


def test_no_scope_can_be_granted_and_machine_id_tokens(client, world, fails):
    fails(exchange, "InvalidParameterException", derived.NO_SCOPE.format("orders/read"),
          client=client, world=world, Scopes=["orders/read"])  # fmt: skip
    fails(exchange, "InvalidParameterException", derived.MACHINE_ID_TOKEN, client=client,
          world=world, SubjectToken=world["actor"], RequestedTokenType="ID_TOKEN")  # fmt: skip


def test_lite_pools_have_no_token_exchange(client, fails):
    lite = client.create_user_pool(PoolName="lite", UserPoolTier="LITE")["UserPool"]["Id"]
    fails(client.create_user_pool_client, "FeatureUnavailableInTierException",
          "ALLOW_TOKEN_EXCHANGE_IMPERSONATION requires the Essentials tier or higher.",
          UserPoolId=lite, ClientName="x", ExplicitAuthFlows=EXCHANGE)  # fmt: skip


# --- the token-exchange grant of /oauth2/token --------------------------------------------------

GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS = "urn:ietf:params:oauth:token-type:access_token"
ID = "urn:ietf:params:oauth:token-type:id_token"


def grant_form(world: dict[str, Any], **extra: str) -> dict[str, str]:
    form = {"grant_type": GRANT, "client_id": world["service"],
            "subject_token": world["tokens"]["AccessToken"], "subject_token_type": ACCESS}  # fmt: skip
    form.update(extra)
    return {k: v for k, v in form.items() if v is not None}


def test_token_exchange_grant_over_http(mock, pool_id, world):
    """An RFC 8693 request from httpx to the served endpoint: delegation with `act`, the audience
    bound, the scope narrowed; the issued token verified by PyJWT."""
    import httpx

    with mock.serve() as url:
        answer = httpx.post(f"{url}/oauth2/token", data=grant_form(
            world, actor_token=world["actor"], actor_token_type=ACCESS, audience="orders-api",
            scope="aws.cognito.signin.user.admin orders/read",  # the subject has only the first
        ))  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    body = answer.json()
    assert body["issued_token_type"] == ACCESS and body["token_type"] == "Bearer"
    assert body["scope"] == "aws.cognito.signin.user.admin" and body["expires_in"] > 0
    claims = verified(mock, pool_id, body["access_token"], audience="orders-api")
    assert claims["username"] == "alice" and claims["client_id"] == world["service"]
    assert claims["act"]["client_id"] == world["agent"]


def test_token_exchange_grant_id_token(mock, pool_id, world):
    body = mock.oauth2_token(grant_form(world, requested_token_type=ID))
    assert body["issued_token_type"] == ID and body["token_type"] == "N_A"
    assert verified(mock, pool_id, body["access_token"])["token_use"] == "id"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"subject_token": None}, "invalid_request"),
        ({"subject_token_type": "urn:example:jwt"}, "invalid_request"),
        ({"requested_token_type": "urn:ietf:params:oauth:token-type:saml2"}, "invalid_request"),
        ({"actor_token": "x"}, "invalid_request"),  # an actor without its type
        ({"subject_token": "not.a.token"}, "invalid_grant"),
        ({"scope": "nothing/here"}, "invalid_scope"),
        ({"audience": "a", "resource": "orders"}, "invalid_request"),
    ],
)
def test_token_exchange_grant_refusals(mock, world, change, error):
    assert mock.oauth2_token(grant_form(world, **change)) == {"error": error}


def test_token_exchange_grant_needs_the_flow_and_the_secret(mock, world, make_client):
    web = {"client_id": world["web"]}  # a client without ALLOW_TOKEN_EXCHANGE_*
    assert mock.oauth2_token(grant_form(world, **web)) == {"error": "unauthorized_client"}
    secret = make_client(ClientName="s", GenerateSecret=True, ExplicitAuthFlows=EXCHANGE)
    form = grant_form(world, client_id=secret["ClientId"])
    assert mock.oauth2_token(form) == {"error": "invalid_client"}
    form["client_secret"] = secret["ClientSecret"]
    assert mock.oauth2_token(form)["issued_token_type"] == ACCESS


@pytest.mark.parametrize(
    "change",
    [
        {"audience": "a" * 5000},  # longer than the API allows
        {"subject_token": "\ud800"},
        {"resource": "\ud800x"},
    ],
)
def test_token_exchange_grant_refuses_what_the_api_refuses(mock, world, change):
    """The form is held to GetDerivedToken's model; text no wire can carry never crashes it."""
    assert mock.oauth2_token(grant_form(world, **change)) == {"error": "invalid_request"}


def test_in_process_oauth2_calls_never_crash_on_unsendable_text(mock, world):
    """`handle_oauth2` is public: a form, Basic pair or bearer with an unpaired surrogate is
    read as the HTTP front would read it (the surrogate as "?"), never a UnicodeEncodeError."""
    status, _, body = mock.handle_oauth2(
        "/oauth2/token", {"grant_type": "refresh_token", "refresh_token": "\ud800"},
        ("\ud800", "secret"),
    )  # fmt: skip
    assert (status, json.loads(body)) == (401, {"error": "invalid_client"})
    status, _, _ = mock.handle_oauth2("/oauth2/userInfo", {}, None, "\ud800")
    assert status == 401
    assert mock.oauth2_token({"grant_type": "\ud800"}) == {"error": "invalid_client"}
