"""GetDerivedToken: OAuth 2.0 Token Exchange (RFC 8693). A subject token of this pool in, a token
for the requesting client out: scopes narrowed, bound to one audience or resource server, with an
`act` claim naming the actor when an actor token is given (delegation)."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.crypto import jwt
from cognito_mock.backend.crypto.equal import same
from cognito_mock.backend.directory.groups import groups_for_token
from cognito_mock.backend.hooks.pre_token import customize_claims
from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import (
    allowed_flows,
    client_by_id,
    token_validity_seconds,
)
from cognito_mock.backend.pool_config.resource_servers import resource_server_records
from cognito_mock.backend.tokens.issue import id_token_claims
from cognito_mock.backend.tokens.presented import Presented, present
from cognito_mock.backend.tokens.store import (
    Origin,
    issuer,
    password_stamp,
    pool_keys,
    token_store,
)
from cognito_mock.errors import InvalidParameterException, NotAuthorizedException

__all__ = [
    "ACT_NEEDS_TYPE",
    "BOTH_TARGETS",
    "FLOW_NOT_ENABLED",
    "NO_SCOPE",
    "TOKEN_SOURCE",
    "derive",
]

# PreTokenGeneration's triggerSource for exchanged tokens (the service's name is unpublished).
TOKEN_SOURCE = "TokenGeneration_TokenExchange"
IMPERSONATION = "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
DELEGATION = "ALLOW_TOKEN_EXCHANGE_DELEGATION"
# Unpublished texts, worded like the service's neighbouring refusals.
FLOW_NOT_ENABLED = "{} flow not enabled for this client"
NO_SECRET = "Client {} is configured with secret but ClientSecret was not received"
WRONG_SECRET = "ClientSecret does not match for the client: {}"
ACT_NEEDS_TYPE = "ActorTokenType is required when ActorToken is provided."
TYPE_NEEDS_ACT = "ActorToken is required when ActorTokenType is provided."
BOTH_TARGETS = "Audiences and Resources cannot be specified in the same request."
NO_RESOURCE = "Invalid resource requested: {}"
NO_SCOPE = "None of the requested scopes can be granted: {}"
MACHINE_ID_TOKEN = "An ID token cannot be issued for a client credentials SubjectToken."


def _authenticate(client: AppClient, given: str | None) -> None:
    secrets = client.secret_values()
    if not secrets:
        return  # a public client proves itself by its id alone
    if not given:
        raise NotAuthorizedException(NO_SECRET.format(client.client_id))
    if not any(same(s, given) for s in secrets):
        raise NotAuthorizedException(WRONG_SECRET.format(client.client_id))


def _target(pool: UserPool, request: dict[str, Any]) -> str | None:
    """The one audience or resource server the token is bound to, if the request names one."""
    audiences = request.get("Audiences") or []
    resources = request.get("Resources") or []
    if audiences and resources:
        raise InvalidParameterException(BOTH_TARGETS)
    if resources:
        if resources[0] not in resource_server_records(pool):
            raise InvalidParameterException(NO_RESOURCE.format(resources[0]))
        return str(resources[0])
    return str(audiences[0]) if audiences else None


def _scopes(client: AppClient, subject: Presented, requested: list[str] | None) -> list[str]:
    """Requested ∩ the subject token's ∩ the client's; none requested: the subject's own."""
    own = subject.scopes
    if not requested:
        return list(own or [])
    allowed = set(client.settings.get("AllowedOAuthScopes") or [])
    if own is not None and subject.user is not None:
        allowed.add("aws.cognito.signin.user.admin")  # what every native sign-in grants
    granted = [s for s in dict.fromkeys(requested) if s in allowed and (own is None or s in own)]
    if not granted:
        raise InvalidParameterException(NO_SCOPE.format(" ".join(requested)))
    return granted


def _act(actor: Presented | None, subject: Presented) -> dict[str, Any] | None:
    """RFC 8693 §4.1: the actor's `sub`, with any earlier actor of the subject token nested."""
    if actor is None:
        return None
    act: dict[str, Any] = {"sub": str(actor.claims.get("sub"))}
    client_id = actor.claims.get("client_id") or actor.claims.get("aud")
    if client_id:
        act["client_id"] = str(client_id)
    prior = subject.claims.get("act")
    if isinstance(prior, dict):
        act["act"] = prior
    return act


def _origin(backend: Backend, client: AppClient, subject: Presented) -> Origin | None:
    """The sign-in the issued token belongs to, so revoking it (or a global sign-out) ends it."""
    user = subject.user
    if user is None or subject.origin is not None:
        return subject.origin
    return Origin(  # an ID-token subject: a new origin under the user's current generation
        origin_jti=backend.ids.uuid4(), sub=user.sub, user_seq=user.seq,
        client_id=client.client_id,
        auth_time=int(subject.claims.get("auth_time", backend.clock.now())),
        generation=user.token_generation, password_stamp=password_stamp(user),
        created=backend.clock.now(),
    )  # fmt: skip


def _user_claims(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    subject: Presented,
    origin: Origin | None,
    times: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(ID claims, access claims) about the subject's user, as a sign-in would issue them."""
    user = subject.user
    assert user is not None
    iss = issuer(backend, pool)
    groups = groups_for_token(pool, user)[0]
    access: dict[str, Any] = {"sub": user.sub, **({"cognito:groups": groups} if groups else {})}
    access.update({"iss": iss, "client_id": client.client_id})
    ids = id_token_claims(pool, client, user)
    ids.update({"iss": iss, "cognito:username": user.username})
    if origin is not None:
        access["origin_jti"] = ids["origin_jti"] = origin.origin_jti
    auth_time = int(subject.claims.get("auth_time", times["iat"]))  # the original sign-in
    ids.update({"aud": client.client_id, "token_use": "id", "auth_time": auth_time, **times})
    ids["jti"] = backend.ids.uuid4()
    access.update({"token_use": "access", "auth_time": auth_time, **times})
    access.update({"jti": backend.ids.uuid4(), "username": user.username})
    return ids, access


def _issue(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    subject: Presented,
    kind: str,
    scopes: list[str],
    bound: tuple[str | None, dict[str, Any] | None],
) -> tuple[str, int, list[str]]:
    """(signed token, seconds it is valid, scopes granted) for `kind`, bound to the audience and
    actor in `bound`. A user's tokens pass through PreTokenGeneration; a machine's do not."""
    iat = int(backend.clock.now())
    validity = token_validity_seconds(client)["access" if kind == "ACCESS_TOKEN" else "id"]
    exp = min(iat + validity, int(subject.claims.get("exp", iat + validity)))  # never outlive it
    times: dict[str, Any] = {"event_id": backend.ids.uuid4(), "exp": exp, "iat": iat}
    origin = _origin(backend, client, subject)
    if subject.user is None:  # a machine subject: the client-credentials claims, re-scoped
        ids: dict[str, Any] = {}
        access = {k: v for k, v in subject.claims.items() if k not in ("act", "aud")}
        access.update({**times, "client_id": client.client_id, "jti": backend.ids.uuid4()})
        access["scope"] = " ".join(scopes)
    else:
        ids, access = _user_claims(backend, pool, client, subject, origin, times)
        access["scope"] = " ".join(scopes)
        customize_claims(backend, pool, subject.user, TOKEN_SOURCE, ids, access)
    target, act = bound
    for claims in (access, ids):
        if target is not None:
            claims["aud"] = target
        if act is not None:
            claims["act"] = act
    id_key, access_key = pool_keys(backend, pool)
    if kind == "ID_TOKEN":
        return jwt.encode(ids, id_key), exp - iat, []
    if not access.get("scope"):
        access.pop("scope", None)
    store = token_store(pool)
    if origin is not None:
        store.access[str(access["jti"])] = origin  # usable (and revocable) like its subject
    else:
        store.machine[str(access["jti"])] = client.client_id
    granted = str(access.get("scope", "")).split()
    return jwt.encode(access, access_key), exp - iat, granted


@operation("GetDerivedToken")
@with_caller  # PreTokenGeneration events carry the requesting client as callerContext.clientId
def get_derived_token(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = client_by_id(backend, request["ClientId"])
    _authenticate(client, request.get("ClientSecret"))
    return derive(backend, pool, client, request)


def derive(
    backend: Backend, pool: UserPool, client: AppClient, request: dict[str, Any]
) -> dict[str, Any]:
    """GetDerivedToken's answer for an authenticated `client` (also the token-exchange grant of
    `/oauth2/token`, tokens/token_exchange.py)."""
    actor_token, actor_type = request.get("ActorToken"), request.get("ActorTokenType")
    if actor_token is not None and actor_type is None:
        raise InvalidParameterException(ACT_NEEDS_TYPE)
    if actor_type is not None and actor_token is None:
        raise InvalidParameterException(TYPE_NEEDS_ACT)
    flow = DELEGATION if actor_token is not None else IMPERSONATION
    if flow not in allowed_flows(client):
        raise InvalidParameterException(FLOW_NOT_ENABLED.format(flow))
    target = _target(pool, request)
    subject = present(
        backend, pool, "SubjectToken", request["SubjectToken"], request["SubjectTokenType"],
        request.get("SubjectTokenProviderName"),
    )  # fmt: skip
    actor = None
    if actor_token is not None:
        actor = present(
            backend, pool, "ActorToken", actor_token, str(actor_type),
            request.get("ActorTokenProviderName"),
        )  # fmt: skip
    kind = request.get("RequestedTokenType", "ACCESS_TOKEN")
    if kind == "ID_TOKEN" and subject.user is None:
        raise InvalidParameterException(MACHINE_ID_TOKEN)
    scopes = _scopes(client, subject, request.get("Scopes"))
    bound = (target, _act(actor, subject))
    token, expires, granted = _issue(backend, pool, client, subject, kind, scopes, bound)
    result: dict[str, Any] = {
        "IssuedToken": token,
        "IssuedTokenType": kind,
        # RFC 8693 §2.2.1: N_A when the issued token is not an access token.
        "TokenType": "Bearer" if kind == "ACCESS_TOKEN" else "N_A",
        "ExpiresIn": expires,
    }
    if granted:
        result["Scopes"] = granted
    return result
