"""Sign-in through a third-party identity provider (OIDC, and social types the same way): the
redirect to its authorize endpoint, then `/oauth2/idpresponse`: the code exchanged at its token
endpoint, the ID token verified against its JWKS (signature, iss, aud, exp, nonce), its user
info read, and the pool user it maps to signed in.

Outbound calls are never made here: an answer lists the calls it needs (`PageResponse.fetch`),
the web front makes them (only to URLs the provider's ProviderDetails name or its issuer's
discovery document gives) and asks again with their answers (`PageRequest.upstream`)."""

from __future__ import annotations

import json
from typing import Any

from cognito_mock.backend.crypto.jwks_verify import verify_rs256
from cognito_mock.backend.hosted.authorize import AuthorizeRequest, parse_authorize, to_app
from cognito_mock.backend.hosted.federated_users import federated_user
from cognito_mock.backend.hosted.pages import (
    Fetch,
    Fetched,
    PageResponse,
    Respond,
    add_query,
    redirect,
)
from cognito_mock.backend.hosted.state import (
    FEDERATION_SECONDS,
    FederationRound,
    hosted_state,
    new_token,
)
from cognito_mock.backend.hosted.visit import Visit
from cognito_mock.errors import ServiceError

__all__ = ["idp_response", "start_federation"]

_SKEW = 300.0  # how far an IdP's clock may stray from the mock's
_WITH_ID_TOKEN = ("OIDC", "Google", "SignInWithApple")
_DISCOVERED = {
    "authorize_url": "authorization_endpoint", "token_url": "token_endpoint",
    "jwks_uri": "jwks_uri", "attributes_url": "userinfo_endpoint",
}  # fmt: skip
NOT_SUPPORTED = "SAML identity providers are not supported by cognito-mock."


def _json(fetched: Fetched) -> Any:
    try:
        return json.loads(fetched.body)
    except (ValueError, UnicodeDecodeError):
        return None


def _endpoints(visit: Visit, auth: AuthorizeRequest, provider: dict[str, Any]) -> dict[str, str]:
    """authorize_url, token_url, jwks_uri, attributes_url: from ProviderDetails, the rest from
    the issuer's discovery document (fetched first)."""
    details = provider["ProviderDetails"]
    found = {key: details[key] for key in _DISCOVERED if details.get(key)}
    wanted = ("authorize_url", "token_url") + (
        ("jwks_uri",) if provider["ProviderType"] in _WITH_ID_TOKEN else ()
    )
    if all(key in found for key in wanted) or not details.get("oidc_issuer"):
        return found
    fetched = visit.request.upstream.get("discovery")
    if fetched is None:
        url = details["oidc_issuer"].rstrip("/") + "/.well-known/openid-configuration"
        raise Respond(PageResponse(200, fetch=[Fetch("discovery", "GET", url)]))
    document = _json(fetched) if fetched.status == 200 else None
    if not isinstance(document, dict):
        raise _failed(auth, f"{provider['ProviderName']} Error - {fetched.status} error getting "
                            "the OpenID configuration")  # fmt: skip
    for key, member in _DISCOVERED.items():
        if key not in found and isinstance(document.get(member), str):
            found[key] = document[member]
    return found


def _failed(auth: AuthorizeRequest, description: str) -> Respond:
    return to_app(auth.redirect_uri, "invalid_request", auth.state, description)


def start_federation(visit: Visit, auth: AuthorizeRequest) -> PageResponse:
    """302 to the provider's authorize endpoint; the round is remembered for 5 minutes."""
    provider = visit.pool.identity_providers[str(auth.provider)]
    if provider["ProviderType"] == "SAML":
        return visit.page("error", auth, status=400, message=NOT_SUPPORTED)
    endpoints = _endpoints(visit, auth, provider)
    if "authorize_url" not in endpoints:
        raise _failed(auth, f"{provider['ProviderName']} has no authorize endpoint")
    details = provider["ProviderDetails"]
    state, nonce = new_token(visit.backend), new_token(visit.backend)
    callback = visit.request.base_url.rstrip("/") + "/oauth2/idpresponse"
    hosted_state(visit.pool).federation[state] = FederationRound(
        client_id=auth.client_id, provider=provider["ProviderName"], query=dict(auth.query),
        nonce=nonce, callback=callback, expires=visit.now() + FEDERATION_SECONDS,
    )  # fmt: skip
    params = {
        "client_id": details.get("client_id"), "redirect_uri": callback, "response_type": "code",
        "scope": details.get("authorize_scopes"), "state": state,
        "nonce": nonce if provider["ProviderType"] in _WITH_ID_TOKEN else None,
    }  # fmt: skip
    return redirect(add_query(endpoints["authorize_url"], params))


def _token_call(provider: dict[str, Any], url: str, code: str, callback: str) -> Fetch:
    details = provider["ProviderDetails"]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": callback,
            "client_id": details.get("client_id", "")}  # fmt: skip
    if details.get("client_secret"):
        form["client_secret"] = details["client_secret"]  # client_secret_post
    if details.get("token_request_method") == "GET":
        return Fetch("token", "GET", add_query(url, dict(form)))
    return Fetch("token", "POST", url, form=form)


def _token_answer(auth: AuthorizeRequest, name: str, fetched: Fetched) -> dict[str, Any]:
    if fetched.error == "timeout":
        raise _failed(auth, "Timeout occurred in calling IdP token endpoint")
    if fetched.error is not None:
        raise _failed(auth, "Connection reset")
    answer = _json(fetched) if fetched.status == 200 else None
    if not isinstance(answer, dict) or not isinstance(answer.get("access_token"), str):
        raise _failed(auth, f"{name} Error - {fetched.status} error getting token")
    return answer


def _id_claims(
    visit: Visit, auth: AuthorizeRequest, provider: dict[str, Any], tokens: dict[str, Any],
    fetched: Fetched, nonce: str,
) -> dict[str, Any]:  # fmt: skip
    """The ID token's claims, verified against the provider's JWKS and this round."""
    name, details = provider["ProviderName"], provider["ProviderDetails"]
    if fetched.error == "timeout":
        raise _failed(auth, "Timeout in calling jwks uri")
    jwks = _json(fetched) if fetched.status == 200 else None
    if jwks is None:
        raise _failed(auth, f"{name} Error - {fetched.status} error getting the jwks")
    claims = verify_rs256(str(tokens.get("id_token", "")), jwks)
    audience = claims.get("aud") if claims else None
    audiences = audience if isinstance(audience, list) else [audience]
    issuer = details.get("oidc_issuer")
    if (
        claims is None
        or (issuer and str(claims.get("iss", "")).rstrip("/") != issuer.rstrip("/"))
        or details.get("client_id") not in audiences
        or not isinstance(claims.get("exp"), (int, float))
        or claims["exp"] + _SKEW < visit.now()
        or claims.get("nonce") != nonce
    ):
        raise _failed(auth, f"{name} Error - invalid id_token")
    return claims


def idp_response(visit: Visit) -> PageResponse:
    """GET /oauth2/idpresponse: the provider's answer, turned into the app's code."""
    rounds = hosted_state(visit.pool).federation
    found = rounds.get(visit.query.get("state", ""))
    if found is None:
        return visit.error_page(400, "invalid_request")
    auth = parse_authorize(visit.pool, found.query)
    if visit.now() > found.expires:
        del rounds[visit.query["state"]]
        return visit.page("login", auth, status=400, error="Something went wrong",
                          action=visit.url("/login", auth))  # fmt: skip
    provider = visit.pool.identity_providers.get(found.provider)
    if provider is None or "error" in visit.query or not visit.query.get("code"):
        del rounds[visit.query["state"]]
        error = visit.query.get("error_description") or visit.query.get("error") or "no code"
        raise _failed(auth, f"{found.provider} Error - {error}")
    endpoints = _endpoints(visit, auth, provider)
    upstream = visit.request.upstream
    with_id = provider["ProviderType"] in _WITH_ID_TOKEN
    if "token" not in upstream:
        calls = [_token_call(provider, endpoints.get("token_url", ""), visit.query["code"],
                             found.callback)]  # fmt: skip
        if with_id and "jwks_uri" in endpoints:
            calls.append(Fetch("jwks", "GET", endpoints["jwks_uri"]))
        return PageResponse(200, fetch=calls)
    tokens = _token_answer(auth, provider["ProviderName"], upstream["token"])
    claims: dict[str, Any] = {}
    if with_id:
        claims = _id_claims(visit, auth, provider, tokens, upstream.get("jwks", Fetched(0, b"")),
                            found.nonce)  # fmt: skip
    if "attributes_url" in endpoints:
        info = upstream.get("userinfo")
        if info is None:
            method = provider["ProviderDetails"].get("attributes_request_method", "GET")
            headers = {"Authorization": f"Bearer {tokens['access_token']}"}
            return PageResponse(200, fetch=[Fetch("userinfo", method, endpoints["attributes_url"],
                                                  form={} if method == "POST" else None,
                                                  headers=headers)])  # fmt: skip
        profile = _json(info) if info.status == 200 else None
        if not isinstance(profile, dict) or (
            with_id and profile.get("sub", claims["sub"]) != claims["sub"]
        ):
            raise _failed(
                auth, f"{provider['ProviderName']} Error - {info.status} error getting user info"
            )
        claims = {**profile, **claims}
    del rounds[visit.query["state"]]
    try:
        user = federated_user(visit.backend, visit.pool, provider, claims)
    except ServiceError as error:
        raise _failed(auth, error.message) from None
    return visit.finish(auth, user, provider=provider["ProviderName"])
