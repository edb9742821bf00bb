"""The PreTokenGeneration trigger (V1_0 ID-token claims; V2_0/V3_0 ID and access claims and scopes)
applied to the claims of tokens about to be signed."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.hooks.triggers import (
    INVALID_JSON,
    configured,
    invoke,
    token_version,
    user_attributes,
)
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import InvalidLambdaResponseException

__all__ = ["RESTRICTED_CLAIMS", "customize_claims"]

# Claims a pre-token trigger cannot add, change or suppress (fact sheet section 11.3); `dev:`
# claims too. Group claims change only through groupOverrideDetails, scopes only through
# scopesToAdd / scopesToSuppress.
RESTRICTED_CLAIMS = frozenset(
    {"acr", "amr", "aud", "at_hash", "auth_time", "azp", "cognito:username", "exp", "iat",
     "identities", "iss", "jti", "nbf", "nonce", "origin_jti", "sub", "token_use",
     "cognito:groups", "cognito:roles", "cognito:preferred_role", "scope"}
)  # fmt: skip


def _restricted(name: str) -> bool:
    return name in RESTRICTED_CLAIMS or name.startswith("dev:")


def _section(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidLambdaResponseException(INVALID_JSON)
    return value


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidLambdaResponseException(INVALID_JSON)
    return list(value)


def _apply_claims(claims: dict[str, Any], section: dict[str, Any], *, strings: bool) -> None:
    add = _section(section.get("claimsToAddOrOverride"))
    if strings and not all(isinstance(v, str) for v in add.values()):
        raise InvalidLambdaResponseException(INVALID_JSON)  # V1 takes a string map
    suppress = _names(section.get("claimsToSuppress"))
    for name, value in add.items():
        if not _restricted(name):
            claims[name] = value
    for name in suppress:
        if not _restricted(name):
            claims.pop(name, None)


def _apply_groups(
    section: dict[str, Any], id_claims: dict[str, Any], access: dict[str, Any]
) -> None:
    if "groupsToOverride" in section and section["groupsToOverride"] is not None:
        groups = _names(section["groupsToOverride"])
        for claims in (id_claims, access):
            if groups:
                claims["cognito:groups"] = groups
            else:
                claims.pop("cognito:groups", None)
    if "iamRolesToOverride" in section and section["iamRolesToOverride"] is not None:
        roles = _names(section["iamRolesToOverride"])
        if roles:
            id_claims["cognito:roles"] = roles
        else:
            id_claims.pop("cognito:roles", None)
    preferred = section.get("preferredRole")
    if preferred is not None:
        if not isinstance(preferred, str):
            raise InvalidLambdaResponseException(INVALID_JSON)
        id_claims["cognito:preferred_role"] = preferred


def _apply_scopes(access: dict[str, Any], section: dict[str, Any]) -> None:
    scopes = str(access.get("scope", "")).split()
    for scope in _names(section.get("scopesToAdd")):
        if scope not in scopes:
            scopes.append(scope)
    suppressed = set(_names(section.get("scopesToSuppress")))
    scopes = [scope for scope in scopes if scope not in suppressed]
    if scopes:
        access["scope"] = " ".join(scopes)
    else:
        access.pop("scope", None)


def customize_claims(
    backend: Backend,
    pool: UserPool,
    user: User,
    source: str,
    id_claims: dict[str, Any],
    access_claims: dict[str, Any],
) -> None:
    """Run the pool's PreTokenGeneration trigger (if any) and apply its answer to the claims."""
    if configured(pool, "PreTokenGeneration") is None:
        return
    version = token_version(pool)
    request: dict[str, Any] = {
        "userAttributes": user_attributes(user),
        "groupConfiguration": {
            "groupsToOverride": list(id_claims.get("cognito:groups") or []),
            "iamRolesToOverride": list(id_claims.get("cognito:roles") or []),
            "preferredRole": id_claims.get("cognito:preferred_role"),
        },
    }
    if version != "1":
        request["scopes"] = str(access_claims.get("scope", "")).split()
    key = "claimsOverrideDetails" if version == "1" else "claimsAndScopeOverrideDetails"
    response = invoke(
        backend, pool, "PreTokenGeneration", source, user_name=user.username,
        request=request, response={key: None},
    )  # fmt: skip
    if response is None:
        return
    details = _section(response.get(key))
    if version == "1":
        _apply_claims(id_claims, details, strings=True)
    else:
        _apply_claims(id_claims, _section(details.get("idTokenGeneration")), strings=False)
        access = _section(details.get("accessTokenGeneration"))
        _apply_claims(access_claims, access, strings=False)
        _apply_scopes(access_claims, access)
    _apply_groups(_section(details.get("groupOverrideDetails")), id_claims, access_claims)
