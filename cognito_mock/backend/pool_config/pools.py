"""User pools: the pool record, the defaults the service fills in, and the pool CRUD handlers."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.attributes import build_schema
from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import UserDirectory, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import InvalidParameterException

__all__ = ["pool_description", "pool_view"]

# Members of UserPoolType that are settings, in the order the request shapes list them. Everything
# UpdateUserPool omits among _UPDATABLE returns to its default (the service's documented behaviour).
_UPDATABLE = (
    "AccountRecoverySetting", "AcrConfiguration", "AdminCreateUserConfig", "AutoVerifiedAttributes",
    "DcrConfiguration", "DeletionProtection", "DeviceConfiguration", "EmailConfiguration",
    "EmailVerificationMessage", "EmailVerificationSubject", "IssuerConfiguration",
    "KeyConfiguration", "LambdaConfig", "MfaConfiguration", "Policies", "SmsAuthenticationMessage",
    "SmsConfiguration", "SmsVerificationMessage", "UserAttributeUpdateSettings", "UserPoolAddOns",
    "UserPoolTier", "VerificationMessageTemplate",
)  # fmt: skip
# Fixed at creation.
_IMMUTABLE = ("AliasAttributes", "UsernameAttributes", "UsernameConfiguration")

_DEFAULT_CODE_MESSAGE = "Your verification code is {####}. "
_DEFAULT_SUBJECT = "Your verification code"


def _defaults() -> dict[str, Any]:
    """Settings a pool has when the request leaves them out (as DescribeUserPool reports them)."""
    return {
        "Policies": {
            "PasswordPolicy": {
                "MinimumLength": 8,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
                "TemporaryPasswordValidityDays": 7,
            },
            "SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD"]},
        },
        "DeletionProtection": "INACTIVE",
        "LambdaConfig": {},
        "VerificationMessageTemplate": {"DefaultEmailOption": "CONFIRM_WITH_CODE"},
        "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": []},
        "MfaConfiguration": "OFF",
        "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
        "AdminCreateUserConfig": {
            "AllowAdminCreateUserOnly": False,
            "UnusedAccountValidityDays": 7,
        },
        "UserPoolTier": "ESSENTIALS",
    }


def _merge_defaults(settings: dict[str, Any]) -> dict[str, Any]:
    """Requested settings over the defaults, one level deep for the structured ones."""
    merged = _defaults()
    for key, value in settings.items():
        base = merged.get(key)
        if isinstance(base, dict) and isinstance(value, dict) and key != "LambdaConfig":
            merged[key] = {**base, **clone(value)}
        else:
            merged[key] = clone(value)
    policy = merged["Policies"]
    password = policy.get("PasswordPolicy", {})
    if password.get("TemporaryPasswordValidityDays") == 0:
        password["TemporaryPasswordValidityDays"] = 7  # 0 means "use the default"
    return merged


def _check_settings(settings: dict[str, Any]) -> None:
    """Cross-member rules the model cannot express."""
    if settings.get("AliasAttributes") and settings.get("UsernameAttributes"):
        raise InvalidParameterException(
            "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool."
        )
    verify = (settings.get("UserAttributeUpdateSettings") or {}).get(
        "AttributesRequireVerificationBeforeUpdate", []
    )
    auto = settings.get("AutoVerifiedAttributes") or []
    for name in verify:
        if name not in auto:
            raise InvalidParameterException(
                "The attributes in AttributesRequireVerificationBeforeUpdate must also be in "
                f"AutoVerifiedAttributes. Missing: {name}"
            )


def pool_view(pool: UserPool) -> dict[str, Any]:
    """UserPoolType as DescribeUserPool returns it."""
    view: dict[str, Any] = {
        "Id": pool.id,
        "Name": pool.name,
        **clone(pool.settings),
        "LastModifiedDate": pool.modified,
        "CreationDate": pool.created,
        "SchemaAttributes": clone(pool.schema),
        "EstimatedNumberOfUsers": len(pool.users),
        "Arn": pool.arn,
    }
    if pool.tags:
        view["UserPoolTags"] = dict(pool.tags)
    domain = pool.domain
    if domain:
        view["Domain"] = domain
    custom = pool.custom_domain
    if custom:
        view["CustomDomain"] = custom
    return view


def pool_description(pool: UserPool) -> dict[str, Any]:
    """UserPoolDescriptionType as ListUserPools returns it."""
    return {
        "Id": pool.id,
        "Name": pool.name,
        "LambdaConfig": clone(pool.settings.get("LambdaConfig", {})),
        "LastModifiedDate": pool.modified,
        "CreationDate": pool.created,
    }


@operation("CreateUserPool")
def create_user_pool(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    settings = {k: v for k, v in request.items() if k not in ("PoolName", "Schema", "UserPoolTags")}
    _check_settings(settings)
    schema = build_schema(request.get("Schema", []))
    pool_id = backend.ids.user_pool_id(backend.region)
    while pool_id in backend.pools:
        pool_id = backend.ids.user_pool_id(backend.region)
    now = backend.clock.now()
    pool = UserPool(
        id=pool_id,
        name=request["PoolName"],
        arn=f"arn:{backend.partition}:cognito-idp:{backend.region}:{backend.account_id}"
        f":userpool/{pool_id}",
        created=now,
        modified=now,
        settings=_merge_defaults(settings),
        schema=schema,
        tags=dict(request.get("UserPoolTags", {})),
        users=UserDirectory(
            case_sensitive=(request.get("UsernameConfiguration") or {}).get("CaseSensitive", True)
        ),
    )
    backend.pools[pool_id] = pool
    return {"UserPool": pool_view(pool)}


@operation("DescribeUserPool")
def describe_user_pool(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return {"UserPool": pool_view(backend.pool(request["UserPoolId"]))}


@operation("UpdateUserPool")
def update_user_pool(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    given = {k: v for k, v in request.items() if k in _UPDATABLE}
    _check_settings({**{k: pool.settings.get(k) for k in _IMMUTABLE}, **given})
    kept = {k: pool.settings[k] for k in _IMMUTABLE if k in pool.settings}
    pool.settings = {**_merge_defaults(given), **kept}
    if "PoolName" in request:
        pool.name = request["PoolName"]
    if "UserPoolTags" in request:
        pool.tags = dict(request["UserPoolTags"])
    pool.modified = backend.clock.now()
    return {}


@operation("DeleteUserPool")
def delete_user_pool(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    if pool.settings.get("DeletionProtection") == "ACTIVE":
        raise InvalidParameterException(
            "The user pool cannot be deleted because deletion protection is activated. "
            "Deletion protection must be inactivated first."
        )
    if pool.replication is not None:
        raise InvalidParameterException(
            "User pool cannot be deleted. It has replicas in other Regions that should be deleted "
            "first."
        )
    if pool.domain or pool.custom_domain:
        raise InvalidParameterException(
            "User pool cannot be deleted. It has a domain configured that should be deleted first."
        )
    del backend.pools[pool.id]
    return {}


@operation("ListUserPools")
def list_user_pools(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pools = sorted(backend.pools.values(), key=lambda p: (p.created, p.id))
    keys = [[p.created, p.id] for p in pools]
    page, token = page_after(keys, pools, request["MaxResults"], request.get("NextToken"), "pools")
    result: dict[str, Any] = {"UserPools": [pool_description(p) for p in page]}
    if token:
        result["NextToken"] = token
    return result
