"""The UserMigration trigger: a user this pool does not know is created from the trigger's answer
(at password sign-in and ForgotPassword)."""

from __future__ import annotations

from cognito_mock.backend.directory.passwords import set_password
from cognito_mock.backend.directory.users import create_user, find_user
from cognito_mock.backend.hooks.events import user_migration
from cognito_mock.backend.hooks.triggers import configured
from cognito_mock.backend.kernel.attributes import check_attributes
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import InvalidLambdaResponseException, ServiceError

__all__ = ["migrate_user"]


def migrate_user(
    backend: Backend, pool: UserPool, username: str, password: str | None
) -> User | None:
    """The user the pool's UserMigration trigger returns for unknown `username`, now created;
    None when the user exists or the pool has no migration trigger.

    `password` None is the ForgotPassword source: the user starts RESET_REQUIRED. Attributes
    the pool refuses make the answer invalid (InvalidLambdaResponseException naming why).
    """
    if find_user(pool, username) is not None or configured(pool, "UserMigration") is None:
        return None
    response = user_migration(backend, pool, username, password)
    if response is None:
        return None
    given = {k: v for k, v in response["userAttributes"].items() if k not in ("sub", "username")}
    status = response.get("finalUserStatus") or "RESET_REQUIRED"
    if password is None:
        status = "RESET_REQUIRED"
    now = backend.clock.now()
    try:
        values = check_attributes(
            pool.schema, [{"Name": k, "Value": v} for k, v in given.items()],
            developer=True, creating=True,
        )  # fmt: skip
        user = create_user(
            backend, pool, username, values, status=status,
            exists_message="User account already exists", now=now,
            force_alias=bool(response.get("forceAliasCreation")),
        )  # fmt: skip
    except ServiceError as error:
        raise InvalidLambdaResponseException(
            f"Invalid lambda function output : {error.message}"
        ) from None
    if password is not None:
        set_password(pool, user, password, now)
    return user
