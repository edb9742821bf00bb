"""Users: lookup by username, alias or sub; creation rules; views; the admin create/get/delete ops."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cognito_mock.backend.kernel.attributes import (
    VERIFIED_FLAG,
    looks_like_email,
    looks_like_phone,
    missing_required,
)
from cognito_mock.backend.kernel.packed import pairs
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    AliasExistsException,
    InvalidParameterException,
    UsernameExistsException,
    UserNotFoundException,
)

__all__ = [
    "ALIAS_EXISTS",
    "attribute_items",
    "attribute_list",
    "create_user",
    "find_user",
    "index_aliases",
    "mfa_settings",
    "require_user",
    "user_type",
]

USER_NOT_FOUND = "User does not exist."
ALIAS_EXISTS = {
    "email": "An account with the email already exists.",
    "phone_number": "An account with the phone_number already exists.",
}


def find_user(pool: UserPool, name: str) -> User | None:
    """The user `name` designates: internal username, then an alias / username attribute, then sub."""
    users = pool.users
    user = users.get(name)
    if user is not None:
        return user
    for attribute in (*pool.username_attributes, *pool.alias_attributes):
        user = users.alias_owner(attribute, name)
        if user is not None:
            return user
    return users.by_sub.get(name)


def require_user(pool: UserPool, name: str) -> User:
    user = find_user(pool, name)
    if user is None:
        raise UserNotFoundException(USER_NOT_FOUND)
    return user


def attribute_list(
    attributes: Mapping[str, str], only: list[str] | None = None
) -> list[dict[str, str]]:
    if only is None:
        return [{"Name": k, "Value": v} for k, v in attributes.items()]
    return [{"Name": k, "Value": attributes[k]} for k in only if k in attributes]


def attribute_items(user: User) -> list[dict[str, str]]:
    """Every attribute of `user` as AttributeType items, straight from the packed values (no
    mapping view made: the hot path of GetUser, AdminGetUser and ListUsers)."""
    return [{"Name": name, "Value": value} for name, value in pairs(user)]


def mfa_settings(user: User) -> dict[str, Any]:
    """The user's MFA settings as AdminGetUser and GetUser report them (absent when unset):
    MFAOptions, UserMFASettingList, PreferredMfaSetting."""
    mfa = user._mfa  # read without creating it: most users never have MFA settings
    view: dict[str, Any] = {}
    if mfa is not None:
        if mfa.options:
            view["MFAOptions"] = list(mfa.options)
        if mfa.enabled:
            view["UserMFASettingList"] = list(mfa.enabled)
        if mfa.preferred:
            view["PreferredMfaSetting"] = mfa.preferred
    return view


def user_type(user: User, attributes_to_get: list[str] | None = None) -> dict[str, Any]:
    """UserType as AdminCreateUser and ListUsers return it."""
    if attributes_to_get is None:
        attributes = attribute_items(user)
    else:
        attributes = attribute_list(user.attributes, attributes_to_get)
    view: dict[str, Any] = {
        "Username": user.username,
        "Attributes": attributes,
        "UserCreateDate": user.created,
        "UserLastModifiedDate": user.modified,
        "Enabled": user.enabled,
        "UserStatus": user.status,
    }
    mfa = user._mfa
    if mfa is not None and mfa.options:
        view["MFAOptions"] = list(mfa.options)
    return view


def index_aliases(pool: UserPool, user: User, *, keep_others: bool = False) -> None:
    """Refresh the alias index for the user's current identifying attribute values.

    `keep_others`: an alias value another user holds stays theirs (a sign-up claims it only
    when it is confirmed)."""
    for attribute in pool.username_attributes:
        # Username attributes identify the user whether verified or not.
        pool.users.set_alias(user, attribute, user.attributes.get(attribute))
    for attribute in pool.alias_attributes:
        value = user.attributes.get(attribute)
        flag = VERIFIED_FLAG.get(attribute)
        if flag and user.attributes.get(flag) != "true":
            value = None  # email / phone aliases only work once verified
        owner = pool.users.alias_owner(attribute, value) if value and keep_others else None
        if owner is not None and owner.sub != user.sub:
            value = None
        pool.users.set_alias(user, attribute, value)
    pool.users.touch(user)  # callers re-index after attribute changes: ListUsers must see them


def claim_aliases(pool: UserPool, user: User, force: bool) -> None:
    """Before indexing: fail (or, with `force`, take over) verified aliases held by someone else."""
    for attribute in pool.alias_attributes:
        value = user.attributes.get(attribute)
        flag = VERIFIED_FLAG.get(attribute)
        if not value or (flag and user.attributes.get(flag) != "true"):
            continue
        owner = pool.users.alias_owner(attribute, value)
        if owner is None or owner.sub == user.sub:
            continue  # by sub: callers may pass a probe copy of the user that owns the alias
        if not force:
            raise AliasExistsException(
                ALIAS_EXISTS.get(attribute, f"An account with the {attribute} already exists.")
            )
        if flag:
            owner.attributes[flag] = "false"
        pool.users.set_alias(owner, attribute, None)


def _internal_username(
    backend: Backend, pool: UserPool, username: str, values: dict[str, str], sub: str
) -> str:
    """Apply the pool's username rules; fill the username attribute; return the internal name."""
    kinds = pool.username_attributes
    if kinds:
        if "email" in kinds and looks_like_email(username):
            values["email"] = username
        elif "phone_number" in kinds and looks_like_phone(username):
            values["phone_number"] = username
        else:
            wanted = " or ".join("an email" if k == "email" else "a phone number" for k in kinds)
            raise InvalidParameterException(f"Username should be {wanted}.")
        return sub
    aliases = pool.alias_attributes
    if "email" in aliases and looks_like_email(username):
        raise InvalidParameterException(
            "Username cannot be of email format, since user pool is configured for email alias."
        )
    if "phone_number" in aliases and looks_like_phone(username):
        raise InvalidParameterException(
            "Username cannot be of phone number format, since user pool is configured for phone "
            "number alias."
        )
    return username


def create_user(
    backend: Backend,
    pool: UserPool,
    username: str,
    values: dict[str, str],
    *,
    status: str,
    exists_message: str,
    now: float,
    force_alias: bool = False,
    defer_aliases: bool = False,
    require_attributes: bool = True,
    external: bool = False,
) -> User:
    """A new user under the pool's username and alias rules (nothing stored if a rule fails),
    created and last modified at `now` (one instant).

    `force_alias` takes verified aliases other users hold; `defer_aliases` leaves them with
    their holders, for the user to claim on confirmation (SignUp); otherwise a held alias is
    AliasExistsException. `require_attributes=False` lets required attributes be missing
    (AdminCreateUser: the user supplies them at the first sign-in, NEW_PASSWORD_REQUIRED).
    `external`: a federated user, whose username (`<Provider>_<id>`) follows no pool rule."""
    sub = backend.ids.sub()
    internal = username if external else _internal_username(backend, pool, username, values, sub)
    if pool.users.get(internal) is not None:
        raise UsernameExistsException(exists_message)
    for attribute in pool.username_attributes:
        value = values.get(attribute)
        if value and pool.users.alias_owner(attribute, value) is not None:
            raise UsernameExistsException(
                exists_message if exists_message != "User already exists"
                else f"An account with the given {attribute} already exists."
            )  # fmt: skip
    if require_attributes:
        missing_required(pool.schema, values)
    seq = pool.users.next_seq
    user = User(
        username=internal,
        sub=sub,
        attributes={"sub": sub, **values},
        status=status,
        created=now,
        modified=now,
        seq=seq,
    )
    if not defer_aliases:
        claim_aliases(pool, user, force_alias)
    pool.users.next_seq = seq + 1
    pool.users.add(user)
    index_aliases(pool, user, keep_others=defer_aliases)
    return user


def delete_user(pool: UserPool, user: User) -> None:
    """Remove the user and every trace of it (group memberships, aliases)."""
    for name in user.groups:
        group = pool.groups.get(name)
        if group is not None:
            group.members.pop(user.username, None)
    pool.users.remove(user)


# ----------------------------------------------------------------------------- password recovery

_MECHANISM = {"verified_phone_number": "phone_number", "verified_email": "email"}
# MFA that disqualifies a channel when AccountRecoverySetting is configured (model docs).
_MFA_BLOCKS = {"phone_number": "SMS_MFA", "email": "EMAIL_OTP"}


def recovery_order(pool: UserPool) -> tuple[list[str], bool]:
    """(attributes in priority order, whether AccountRecoverySetting is configured).

    `["admin_only"]` when self-service recovery is off. Without the setting the legacy rule
    applies: a verified phone first, then a verified email.
    """
    mechanisms = (pool.settings.get("AccountRecoverySetting") or {}).get("RecoveryMechanisms")
    if not mechanisms:
        return ["phone_number", "email"], False
    ordered = sorted(mechanisms, key=lambda m: m["Priority"])
    return [_MECHANISM.get(m["Name"], m["Name"]) for m in ordered], True


def recovery_attribute(pool: UserPool, user: User) -> str | None:
    """The verified attribute a reset code goes to, or None when the user has none usable."""
    order, configured = recovery_order(pool)
    enabled_mfa = user._mfa.enabled if user._mfa is not None else []
    for attribute in order:
        flag = VERIFIED_FLAG.get(attribute)
        if flag is None or not user.attributes.get(attribute):
            continue
        if user.attributes.get(flag) != "true":
            continue
        if configured and _MFA_BLOCKS[attribute] in enabled_mfa:
            continue
        return attribute
    return None
