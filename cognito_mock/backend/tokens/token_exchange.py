"""The token-exchange grant of `/oauth2/token` (RFC 8693): GetDerivedToken spoken as an OAuth form,
with the form's token-type URNs and the OAuth error codes."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.derived import FLOW_NOT_ENABLED, NO_SCOPE, derive
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    OAuthError,
    ServiceError,
    UserNotFoundException,
)
from cognito_mock.validation import validate_request

__all__ = ["GRANT", "exchange"]

GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
_TYPE_PREFIX = "urn:ietf:params:oauth:token-type:"
# RFC 8693 §3 token-type identifiers <-> GetDerivedToken's TokenType values.
_TYPES = {
    _TYPE_PREFIX + "access_token": "ACCESS_TOKEN",
    _TYPE_PREFIX + "id_token": "ID_TOKEN",
    _TYPE_PREFIX + "saml2": "SAML2",
}
_URNS = {kind: urn for urn, kind in _TYPES.items()}
# Form members that stand for one GetDerivedToken member each (provider names are Cognito's own).
_PLAIN = {
    "subject_token": "SubjectToken",
    "actor_token": "ActorToken",
    "subject_token_provider_name": "SubjectTokenProviderName",
    "actor_token_provider_name": "ActorTokenProviderName",
}


def _token_type(form: dict[str, str], name: str, *, requested: bool = False) -> str | None:
    given = form.get(name)
    if given is None:
        return None
    kind = _TYPES.get(given)
    if kind is None or (requested and kind == "SAML2"):
        raise OAuthError("invalid_request")
    return kind


def _request(client: AppClient, form: dict[str, str]) -> dict[str, Any]:
    """The GetDerivedToken request the form stands for; `invalid_request` when it cannot."""
    request: dict[str, Any] = {"ClientId": client.client_id}
    for member, key in _PLAIN.items():
        if form.get(member):
            request[key] = form[member]
    subject_type = _token_type(form, "subject_token_type")
    if "SubjectToken" not in request or subject_type is None:
        raise OAuthError("invalid_request")
    request["SubjectTokenType"] = subject_type
    for member, key in (("actor_token_type", "ActorTokenType"),
                        ("requested_token_type", "RequestedTokenType")):  # fmt: skip
        kind = _token_type(form, member, requested=key == "RequestedTokenType")
        if kind is not None:
            request[key] = kind
    if form.get("scope", "").strip():
        request["Scopes"] = form["scope"].split()
    for member, key in (("audience", "Audiences"), ("resource", "Resources")):
        if form.get(member):
            request[key] = [form[member]]
    try:  # the API's own checks (lengths, patterns, encodable text) before anything reads it
        return dict(validate_request("GetDerivedToken", request))
    except ServiceError:
        raise OAuthError("invalid_request") from None


def _oauth_error(error: ServiceError) -> OAuthError:
    """GetDerivedToken's refusals as the token endpoint's error codes."""
    if isinstance(error, (NotAuthorizedException, UserNotFoundException)):
        return OAuthError("invalid_grant")  # the subject or actor token is not a live one
    message = str(error.message or "")
    if isinstance(error, InvalidParameterException):
        if message.endswith(FLOW_NOT_ENABLED.format("")):
            return OAuthError("unauthorized_client")  # no ALLOW_TOKEN_EXCHANGE_* flow
        if message.startswith(NO_SCOPE.split("{", 1)[0]):
            return OAuthError("invalid_scope")
    return OAuthError("invalid_request")


def exchange(
    backend: Backend, pool: UserPool, client: AppClient, form: dict[str, str]
) -> dict[str, Any]:
    """The token endpoint's JSON answer for an authenticated `client`; raises OAuthError."""
    try:
        result = derive(backend, pool, client, _request(client, form))
    except ServiceError as error:
        raise _oauth_error(error) from None
    payload: dict[str, Any] = {
        "access_token": result["IssuedToken"],  # RFC 8693 names the issued token so, whatever it is
        "issued_token_type": _URNS[result["IssuedTokenType"]],
        "token_type": result["TokenType"],
    }
    if "ExpiresIn" in result:
        payload["expires_in"] = result["ExpiresIn"]
    if result.get("Scopes"):
        payload["scope"] = " ".join(result["Scopes"])
    return payload
