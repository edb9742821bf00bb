"""Third-party identity providers of a pool (SAML, OIDC, social): checks, the details the service
fills in, IdP identifiers, and the IdP CRUD handlers.

`pool.identity_providers` maps provider name -> stored IdentityProviderType (wire form,
secrets included): the form `clients.py` checks SupportedIdentityProviders against.
"""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    DuplicateProviderException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)

__all__ = ["SOCIAL_TYPES", "identity_providers", "provider_view", "require_provider"]

MAX_PROVIDERS = 300  # per pool (quota)
SOCIAL_TYPES = ("Facebook", "Google", "LoginWithAmazon", "SignInWithApple")
# ProviderDetails keys a create or update request must carry, per provider type.
_REQUIRED = {
    "Google": ("client_id", "client_secret", "authorize_scopes"),
    "Facebook": ("client_id", "client_secret", "authorize_scopes"),
    "LoginWithAmazon": ("client_id", "client_secret", "authorize_scopes"),
    "SignInWithApple": ("client_id", "team_id", "key_id", "private_key", "authorize_scopes"),
    "OIDC": ("client_id", "authorize_scopes", "oidc_issuer", "attributes_request_method"),
    "SAML": (),
}
# Details the service never returns (the Sign in with Apple signing key).
_HIDDEN = ("private_key",)
# The IdP claim the service maps to `username` when the request maps nothing to it.
_USERNAME_CLAIM = {
    "Google": "sub",
    "Facebook": "id",
    "LoginWithAmazon": "user_id",
    "SignInWithApple": "sub",
    "OIDC": "sub",
}
_FACEBOOK_VERSION = "v17.0"


def _filled_details(kind: str, given: dict[str, str]) -> dict[str, str]:
    """ProviderDetails as DescribeIdentityProvider shows them: the endpoints the service adds for
    social providers (the values the API reference lists), then the request's own keys."""
    if kind == "Google":
        extra = {
            "attributes_url": "https://people.googleapis.com/v1/people/me?personFields=",
            "attributes_url_add_attributes": "true",
            "authorize_url": "https://accounts.google.com/o/oauth2/v2/auth",
            "oidc_issuer": "https://accounts.google.com",
            "token_request_method": "POST",
            "token_url": "https://www.googleapis.com/oauth2/v4/token",
        }
    elif kind == "Facebook":
        version = given.get("api_version", _FACEBOOK_VERSION)
        extra = {
            "attributes_url": f"https://graph.facebook.com/{version}/me?fields=",
            "attributes_url_add_attributes": "true",
            "authorize_url": f"https://www.facebook.com/{version}/dialog/oauth",
            "token_request_method": "GET",
            "token_url": f"https://graph.facebook.com/{version}/oauth/access_token",
        }
    elif kind == "LoginWithAmazon":
        extra = {
            "attributes_url": "https://api.amazon.com/user/profile",
            "attributes_url_add_attributes": "false",
            "authorize_url": "https://www.amazon.com/ap/oa",
            "token_request_method": "POST",
            "token_url": "https://api.amazon.com/auth/o2/token",
        }
    elif kind == "SignInWithApple":
        extra = {
            "attributes_url_add_attributes": "false",
            "authorize_url": "https://appleid.apple.com/auth/authorize",
            "oidc_issuer": "https://appleid.apple.com",
            "token_request_method": "POST",
            "token_url": "https://appleid.apple.com/auth/token",
        }
    elif kind == "OIDC":
        extra = {"attributes_url_add_attributes": "false"}
    else:
        extra = {}
    return dict(sorted({**extra, **given}.items()))


# ----------------------------------------------------------------------------- lookups for others


def identity_providers(pool: UserPool) -> dict[str, dict[str, Any]]:
    """Provider name -> stored IdentityProviderType (secrets included)."""
    return pool.identity_providers


def _identifiers(pool: UserPool) -> dict[str, str]:
    """IdP identifier -> provider name: identifiers are unique within a pool."""
    return pool.idp_identifiers


def require_provider(pool: UserPool, name: str) -> dict[str, Any]:
    found = identity_providers(pool).get(name)
    if found is None:
        raise ResourceNotFoundException(f"Identity provider {name} does not exist.")
    return found


def provider_view(provider: dict[str, Any]) -> dict[str, Any]:
    """IdentityProviderType as Create/Describe/Update return it (hidden details left out)."""
    view = clone(provider)
    for key in _HIDDEN:
        view["ProviderDetails"].pop(key, None)
    return view


# ----------------------------------------------------------------------------- checks


def _check_details(kind: str, details: dict[str, str]) -> None:
    for key in _REQUIRED[kind]:
        if not details.get(key):
            raise InvalidParameterException(
                f"The {key} field is required in ProviderDetails for {kind} identity providers."
            )
    if kind == "OIDC" and details["attributes_request_method"] not in ("GET", "POST"):
        raise InvalidParameterException("attributes_request_method must be GET or POST.")
    if kind == "SAML" and ("MetadataURL" in details) == ("MetadataFile" in details):
        raise InvalidParameterException(
            "Exactly one of MetadataURL and MetadataFile is required in ProviderDetails for SAML "
            "identity providers."
        )


def _attribute_mapping(pool: UserPool, kind: str, given: dict[str, str]) -> dict[str, str]:
    for attribute in given:
        if attribute != "username" and pool.schema_attribute(attribute) is None:
            raise InvalidParameterException(
                f"Invalid attribute mapping: the attribute {attribute} does not exist in the user "
                "pool schema."
            )
    mapping = dict(given)
    claim = _USERNAME_CLAIM.get(kind)
    if claim is not None and "username" not in mapping:
        mapping["username"] = claim
    return mapping


def _check_identifiers(pool: UserPool, name: str, identifiers: list[str]) -> None:
    seen: set[str] = set()
    taken = _identifiers(pool)
    for identifier in identifiers:
        owner = taken.get(identifier)
        if identifier in seen or (owner is not None and owner != name):
            raise InvalidParameterException(
                f"Duplicate IdP identifier {identifier}: identifiers must be unique within a user "
                "pool."
            )
        seen.add(identifier)


def _check_acr(kind: str, request: dict[str, Any]) -> None:
    if request.get("AcrMapping") and kind != "OIDC":
        raise InvalidParameterException("AcrMapping is only supported for OIDC identity providers.")


def _set_identifiers(pool: UserPool, provider: dict[str, Any], identifiers: list[str]) -> None:
    index = _identifiers(pool)
    for old in provider.get("IdpIdentifiers", []):
        index.pop(old, None)
    provider["IdpIdentifiers"] = list(identifiers)
    for identifier in identifiers:
        index[identifier] = provider["ProviderName"]


# ----------------------------------------------------------------------------- handlers


@operation("CreateIdentityProvider")
def create_identity_provider(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    name, kind = request["ProviderName"], request["ProviderType"]
    if name.lower() == "cognito":
        raise InvalidParameterException(f"The provider name {name} is reserved.")
    if kind in SOCIAL_TYPES and name != kind:
        raise InvalidParameterException(
            f"The provider name of a {kind} identity provider must be {kind}."
        )
    details = dict(request["ProviderDetails"])
    _check_details(kind, details)
    mapping = _attribute_mapping(pool, kind, request.get("AttributeMapping", {}))
    identifiers = request.get("IdpIdentifiers", [])
    _check_identifiers(pool, name, identifiers)
    _check_acr(kind, request)
    providers = identity_providers(pool)
    if name in providers:
        raise DuplicateProviderException(
            f"A provider with the name {name} already exists in this user pool."
        )
    if len(providers) >= MAX_PROVIDERS:
        raise LimitExceededException(
            f"The user pool already has the maximum of {MAX_PROVIDERS} identity providers."
        )
    now = backend.clock.now()
    provider: dict[str, Any] = {
        "UserPoolId": pool.id,
        "ProviderName": name,
        "ProviderType": kind,
        "ProviderDetails": _filled_details(kind, details),
        "AttributeMapping": mapping,
    }
    _set_identifiers(pool, provider, identifiers)
    if request.get("AcrMapping"):
        provider["AcrMapping"] = dict(request["AcrMapping"])
    provider["LastModifiedDate"] = now
    provider["CreationDate"] = now
    providers[name] = provider
    return {"IdentityProvider": provider_view(provider)}


@operation("DescribeIdentityProvider")
def describe_identity_provider(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return {"IdentityProvider": provider_view(require_provider(pool, request["ProviderName"]))}


@operation("UpdateIdentityProvider")
def update_identity_provider(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    provider = require_provider(pool, request["ProviderName"])
    kind = provider["ProviderType"]
    details = None
    if "ProviderDetails" in request:
        # Given details replace the old ones, except secrets Describe never shows (a caller could
        # not send them back).
        details = dict(request["ProviderDetails"])
        for key in _HIDDEN:
            if key not in details and key in provider["ProviderDetails"]:
                details[key] = provider["ProviderDetails"][key]
        _check_details(kind, details)
    mapping = None
    if "AttributeMapping" in request:
        mapping = _attribute_mapping(pool, kind, request["AttributeMapping"])
    identifiers = request.get("IdpIdentifiers")
    if identifiers is not None:
        _check_identifiers(pool, provider["ProviderName"], identifiers)
    _check_acr(kind, request)
    if details is not None:
        provider["ProviderDetails"] = _filled_details(kind, details)
    if mapping is not None:
        provider["AttributeMapping"] = mapping
    if identifiers is not None:
        _set_identifiers(pool, provider, identifiers)
    if "AcrMapping" in request:
        provider.pop("AcrMapping", None)
        if request["AcrMapping"]:
            provider["AcrMapping"] = dict(request["AcrMapping"])
    provider["LastModifiedDate"] = backend.clock.now()
    return {"IdentityProvider": provider_view(provider)}


@operation("DeleteIdentityProvider")
def delete_identity_provider(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    provider = require_provider(pool, request["ProviderName"])
    name = provider["ProviderName"]
    _set_identifiers(pool, provider, [])
    del identity_providers(pool)[name]
    # App clients stop offering the provider, so their settings stay valid for later updates.
    for client in pool.clients.values():
        supported = client.settings.get("SupportedIdentityProviders")
        if supported and name in supported:
            client.settings["SupportedIdentityProviders"] = [p for p in supported if p != name]
    return {}


@operation("ListIdentityProviders")
def list_identity_providers(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    providers = sorted(identity_providers(pool).values(), key=lambda p: p["ProviderName"])
    keys = [p["ProviderName"] for p in providers]
    # At most 50 per page (the response's list limit), whatever MaxResults (0-60) asks for.
    limit = min(request.get("MaxResults") or 50, 50)
    page, token = page_after(
        backend, "providers", pool.id, keys, providers, limit, request.get("NextToken")
    )
    result: dict[str, Any] = {
        "Providers": [
            {
                "ProviderName": p["ProviderName"],
                "ProviderType": p["ProviderType"],
                "LastModifiedDate": p["LastModifiedDate"],
                "CreationDate": p["CreationDate"],
            }
            for p in page
        ]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("GetIdentityProviderByIdentifier")
def get_identity_provider_by_identifier(
    backend: Backend, request: dict[str, Any]
) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    identifier = request["IdpIdentifier"]
    name = _identifiers(pool).get(identifier)
    provider = identity_providers(pool).get(name) if name is not None else None
    if provider is None:
        raise ResourceNotFoundException(
            f"Identity provider with identifier {identifier} does not exist."
        )
    return {"IdentityProvider": provider_view(provider)}
