"""App clients: settings with the service's defaults and checks, secrets, and the client CRUD handlers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import AppClient, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import (
    LEGACY_FLOWS,
    UNIT_SECONDS,
    VALIDITY,
    client_index,
    require_client,
    validity_seconds,
)
from cognito_mock.backend.pool_config.resource_servers import custom_scopes
from cognito_mock.errors import (
    FeatureUnavailableInTierException,
    InvalidOAuthFlowException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
    ScopeDoesNotExistException,
)
from cognito_mock.shapes import CLIENT_TOKEN_FLOW

__all__ = ["client_view"]

# UserPoolClientType settings in the order the service lists them. Update replaces all of them:
# whatever the request omits returns to its default (the service's documented behaviour).
_SETTINGS = (
    "ClientName", "RefreshTokenValidity", "AccessTokenValidity", "IdTokenValidity",
    "TokenValidityUnits", "ReadAttributes", "WriteAttributes", "ExplicitAuthFlows",
    "SupportedIdentityProviders", "CallbackURLs", "LogoutURLs", "DefaultRedirectURI",
    "AllowedOAuthFlows", "AllowedOAuthScopes", "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration", "PreventUserExistenceErrors", "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData", "AuthSessionValidity", "RefreshTokenRotation",
)  # fmt: skip

# What a client shows when the request leaves these out. Real DescribeUserPoolClient captures show
# exactly these for a bare client: ExplicitAuthFlows and PreventUserExistenceErrors stay *absent*
# (their effective defaults live in `allowed_flows` / `hides_user_existence`), and so do
# AccessTokenValidity / IdTokenValidity: an absent value means the default of 60 minutes, which
# `token_validity_seconds` applies. TokenValidityUnits is always shown, `{}` unless given.
_DEFAULTS: dict[str, Any] = {
    "RefreshTokenValidity": 30,
    "TokenValidityUnits": {},
    "AllowedOAuthFlowsUserPoolClient": False,
    "EnableTokenRevocation": True,
    "EnablePropagateAdditionalUserContextData": False,
    "AuthSessionValidity": 3,
}

_STANDARD_SCOPES = frozenset(
    {"phone", "email", "openid", "profile", "aws.cognito.signin.user.admin"}
)
_OIDC_SCOPES = ("phone", "email", "profile")  # these need `openid` beside them
_UNWRITABLE = frozenset({"sub", "email_verified", "phone_number_verified"})
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_MAX_SECRETS = 2


# ----------------------------------------------------------------------------- settings checks


def _check_url(member: str, url: str) -> None:
    """Absolute, no fragment, HTTPS unless loopback HTTP; app schemes (myapp://x) are allowed."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    ok = bool(scheme) and "#" not in url and (bool(parts.netloc) or scheme not in ("http", "https"))
    if ok and scheme == "http":
        # `*.localhost` names are loopback too (RFC 6761): a served mock's user pool domains.
        host = parts.hostname or ""
        ok = host in _LOOPBACK or host.endswith(".localhost")
    if not ok:
        raise InvalidParameterException(
            f"Invalid {member}: {url}. URLs must be absolute, must not contain a fragment, and must "
            "use HTTPS except for http://localhost."
        )


def _check_attribute_lists(pool: UserPool, settings: dict[str, Any], verb: str) -> None:
    reads = settings.get("ReadAttributes", [])
    if any(pool.schema_attribute(name) is None for name in reads):
        raise InvalidParameterException(f"Invalid read attributes specified while {verb} a client")
    writes = settings.get("WriteAttributes", [])
    # Clients never write sub, developer-only attributes or the verification flags; and as every
    # client can write the pool's required attributes, a custom list must name them all.
    required = [a["Name"] for a in pool.schema if a.get("Required") and a["Name"] != "sub"]
    if writes and (
        any(name in _UNWRITABLE or name.startswith("dev:") for name in writes)
        or any(pool.schema_attribute(name) is None for name in writes)
        or any(name not in writes for name in required)
    ):
        raise InvalidParameterException(f"Invalid write attributes specified while {verb} a client")


def _check_validity(settings: dict[str, Any]) -> None:
    for token, (member, _, _, _, (low, high)) in VALIDITY.items():
        if settings.get(member) and not low <= validity_seconds(settings, token) <= high:
            raise InvalidParameterException("Invalid range for token validity.")


# Token exchange (GetDerivedToken) is an Essentials and Plus feature.
TOKEN_EXCHANGE_FLOWS = ("ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_TOKEN_EXCHANGE_DELEGATION")
CLIENT_TOKEN_ALONE = (
    "ExplicitAuthFlows cannot combine ALLOW_CLIENT_TOKEN_AUTH with other authentication flows: "
    "it must be the app client's only flow."
)
CLIENT_TOKEN_SECRET = (
    "ALLOW_CLIENT_TOKEN_AUTH can only be enabled for an app client that has a client secret."
)


def _check_flows(pool: UserPool, flows: list[str], has_secret: bool) -> None:
    if CLIENT_TOKEN_FLOW in flows:  # GetClientToken: machine clients only (see shapes.py)
        if len(set(flows)) > 1:
            raise InvalidParameterException(CLIENT_TOKEN_ALONE)
        if not has_secret:
            raise InvalidParameterException(CLIENT_TOKEN_SECRET)
    legacy = [f for f in flows if f in LEGACY_FLOWS]
    if legacy and len(legacy) != len(flows):
        raise InvalidParameterException(
            "ExplicitAuthFlows cannot combine the legacy values ADMIN_NO_SRP_AUTH, "
            "CUSTOM_AUTH_FLOW_ONLY and USER_PASSWORD_AUTH with values that begin with ALLOW_."
        )
    if pool.settings.get("UserPoolTier") == "LITE":
        for flow in ("ALLOW_USER_AUTH", *TOKEN_EXCHANGE_FLOWS):
            if flow in flows:
                raise FeatureUnavailableInTierException(
                    f"{flow} requires the Essentials tier or higher."
                )


def _check_oauth(pool: UserPool, settings: dict[str, Any], has_secret: bool) -> None:
    flows = settings.get("AllowedOAuthFlows", [])
    scopes = settings.get("AllowedOAuthScopes", [])
    if settings.get("AllowedOAuthFlowsUserPoolClient") and not (flows and scopes):
        raise InvalidParameterException(
            "AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is "
            "allowed to use OAuth flows."
        )
    if "client_credentials" in flows:
        if len(set(flows)) > 1:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected along with code flow or implicit flow."
            )
        if not has_secret:
            raise InvalidOAuthFlowException(
                "client_credentials flow can not be selected if client does not have a client secret."
            )
    custom = custom_scopes(pool)
    for scope in scopes:
        if scope not in _STANDARD_SCOPES and scope not in custom:
            raise ScopeDoesNotExistException(f"Invalid scope requested: {scope}")
    if "openid" not in scopes and any(s in scopes for s in _OIDC_SCOPES):
        raise InvalidParameterException(
            "The phone, email and profile scopes can only be allowed together with the openid scope."
        )
    callbacks = settings.get("CallbackURLs", [])
    for member, urls in (
        ("CallbackURLs", callbacks),
        ("LogoutURLs", settings.get("LogoutURLs", [])),
    ):
        for url in urls:
            _check_url(member, url)
    default = settings.get("DefaultRedirectURI")
    if default is not None:
        _check_url("DefaultRedirectURI", default)
        if default not in callbacks:
            raise InvalidParameterException("DefaultRedirectURI must be one of the CallbackURLs.")
    providers = pool.identity_providers
    for name in settings.get("SupportedIdentityProviders", []):
        if name != "COGNITO" and name not in providers:
            raise InvalidParameterException(
                f"The provider {name} does not exist for User Pool {pool.id}"
            )


def _settings(
    pool: UserPool, request: dict[str, Any], has_secret: bool, verb: str
) -> dict[str, Any]:
    """The client's full settings from a Create/Update request: checked, defaults filled in."""
    given = {k: clone(request[k]) for k in _SETTINGS if request.get(k) not in (None, [])}
    settings: dict[str, Any] = {}
    for key in _SETTINGS:  # the service's member order, defaults where the request is silent
        if key in given:
            settings[key] = given[key]
        elif key in _DEFAULTS:
            settings[key] = clone(_DEFAULTS[key])
    if settings["RefreshTokenValidity"] == 0:
        # 0 means "the default, 30 days", written in whatever unit the request chose.
        unit = settings["TokenValidityUnits"].get("RefreshToken", "days")
        settings["RefreshTokenValidity"] = 30 * 86400 // UNIT_SECONDS[unit]
    _check_validity(settings)
    _check_attribute_lists(pool, settings, verb)
    _check_flows(pool, settings.get("ExplicitAuthFlows", []), has_secret)
    _check_oauth(pool, settings, has_secret)
    if settings["EnablePropagateAdditionalUserContextData"] and not has_secret:
        raise InvalidParameterException(
            "EnablePropagateAdditionalUserContextData can only be activated for an app client "
            "that has a client secret."
        )
    return settings


# ----------------------------------------------------------------------------- views and secrets


def client_view(client: AppClient) -> dict[str, Any]:
    """UserPoolClientType as Create/Describe/UpdateUserPoolClient return it."""
    settings = clone(client.settings)
    view: dict[str, Any] = {
        "UserPoolId": client.pool_id,
        "ClientName": settings.pop("ClientName"),
        "ClientId": client.client_id,
    }
    if client.secret is not None:
        view["ClientSecret"] = client.secret
    view["LastModifiedDate"] = client.modified
    view["CreationDate"] = client.created
    view.update(settings)
    view["ClientType"] = "REGULAR"  # no dynamic client registration here
    return view


def _new_secret(backend: Backend, client: AppClient, value: str) -> dict[str, Any]:
    """A ClientSecretDescriptorType; its id is `<client-id>--<epoch-create-time in ms>`."""
    now = backend.clock.now()
    stamp = int(now * 1000)
    taken = {s["ClientSecretId"] for s in client.secrets}
    while f"{client.client_id}--{stamp}" in taken:  # two secrets in the same millisecond
        stamp += 1
    return {
        "ClientSecretId": f"{client.client_id}--{stamp}",
        "ClientSecretValue": value,
        "ClientSecretCreateDate": now,
    }


def _public_descriptor(secret: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in secret.items() if k != "ClientSecretValue"}


# ----------------------------------------------------------------------------- handlers


@operation("CreateUserPoolClient")
def create_user_pool_client(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    given_secret = request.get("ClientSecret")
    if request.get("GenerateSecret") and given_secret is not None:
        raise InvalidParameterException(
            "You cannot specify both GenerateSecret as true and a ClientSecret."
        )
    has_secret = bool(request.get("GenerateSecret")) or given_secret is not None
    settings = _settings(pool, request, has_secret, "creating")
    index = client_index(backend)
    client_id = backend.ids.client_id()
    while client_id in index:
        client_id = backend.ids.client_id()
    now = backend.clock.now()
    client = AppClient(
        client_id=client_id, pool_id=pool.id, created=now, modified=now, settings=settings
    )
    if has_secret:
        value = given_secret if given_secret is not None else backend.ids.client_secret()
        client.secrets.append(_new_secret(backend, client, value))
    pool.clients[client_id] = client
    index[client_id] = pool.id
    return {"UserPoolClient": client_view(client)}


@operation("DescribeUserPoolClient")
def describe_user_pool_client(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    client = require_client(backend, request["UserPoolId"], request["ClientId"])
    return {"UserPoolClient": client_view(client)}


@operation("UpdateUserPoolClient")
def update_user_pool_client(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client = require_client(backend, pool.id, request["ClientId"])
    # The name has no default: an update without one keeps it. Everything else is replaced.
    named = {**request, "ClientName": request.get("ClientName") or client.name}
    client.settings = _settings(pool, named, bool(client.secrets), "updating")
    client.modified = backend.clock.now()
    return {"UserPoolClient": client_view(client)}


@operation("DeleteUserPoolClient")
def delete_user_pool_client(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    client = require_client(backend, pool.id, request["ClientId"])
    del pool.clients[client.client_id]
    client_index(backend).pop(client.client_id, None)
    return {}


@operation("ListUserPoolClients")
def list_user_pool_clients(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    # Every client here is REGULAR; a DCR filter matches none of them.
    wanted = request.get("ClientType", "REGULAR") == "REGULAR"
    clients = (
        sorted(pool.clients.values(), key=lambda c: (c.created, c.client_id)) if wanted else []
    )
    keys = [[c.created, c.client_id] for c in clients]
    limit = request.get("MaxResults", 60)
    page, token = page_after(
        backend, "clients", pool.id, keys, clients, limit, request.get("NextToken")
    )
    result: dict[str, Any] = {
        "UserPoolClients": [
            {"ClientId": c.client_id, "UserPoolId": c.pool_id, "ClientName": c.name} for c in page
        ]
    }
    if token:
        result["NextToken"] = token
    return result


@operation("AddUserPoolClientSecret")
def add_user_pool_client_secret(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    client = require_client(backend, request["UserPoolId"], request["ClientId"])
    if not client.secrets:
        raise InvalidParameterException(
            f"App client {client.client_id} is a public client: secrets can only be added to an "
            "app client that has a client secret."
        )
    if len(client.secrets) >= _MAX_SECRETS:
        raise LimitExceededException(
            f"App client {client.client_id} already has the maximum of {_MAX_SECRETS} client secrets."
        )
    given = request.get("ClientSecret")
    secret = _new_secret(
        backend, client, given if given is not None else backend.ids.client_secret()
    )
    client.secrets.append(secret)
    # The value is shown only when Cognito generated it; a caller's own secret is never echoed.
    shown = dict(secret) if given is None else _public_descriptor(secret)
    return {"ClientSecretDescriptor": shown}


@operation("DeleteUserPoolClientSecret")
def delete_user_pool_client_secret(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    client = require_client(backend, request["UserPoolId"], request["ClientId"])
    secret_id = request["ClientSecretId"]
    found = [s for s in client.secrets if s["ClientSecretId"] == secret_id]
    if not found:
        raise ResourceNotFoundException(f"Client secret {secret_id} does not exist.")
    if len(client.secrets) == 1:
        raise InvalidParameterException(
            "The last remaining client secret of an app client cannot be deleted."
        )
    client.secrets.remove(found[0])
    return {}


@operation("ListUserPoolClientSecrets")
def list_user_pool_client_secrets(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    client = require_client(backend, request["UserPoolId"], request["ClientId"])
    # At most two secrets, all on one page; values are never listed.
    return {"ClientSecrets": [_public_descriptor(s) for s in client.secrets]}
