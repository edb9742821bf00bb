"""Changing a user's attributes under the pool's rules: verification flags and codes, values
awaiting verification, aliases and username attributes that must stay unique, deletions."""

from __future__ import annotations

from cognito_mock.backend.directory.users import ALIAS_EXISTS, claim_aliases, index_aliases
from cognito_mock.backend.hooks.messages import send_code
from cognito_mock.backend.kernel.attributes import VERIFIABLE, VERIFIED_FLAG
from cognito_mock.backend.kernel.codes import issue_code
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import AliasExistsException, InvalidParameterException

__all__ = ["apply_attribute_update", "check_identifiers", "delete_attributes"]


def check_identifiers(pool: UserPool, probe: User) -> None:
    """Raise AliasExistsException if `probe` (a user with prospective attributes) would take a
    username attribute or a verified alias value another user holds. Changes nothing."""
    for attribute in pool.username_attributes:
        # Username attributes are unique whether verified or not.
        value = probe.attributes.get(attribute)
        owner = pool.users.alias_owner(attribute, value) if value else None
        if owner is not None and owner.sub != probe.sub:  # by sub: the probe is a copy
            raise AliasExistsException(ALIAS_EXISTS[attribute])
    claim_aliases(pool, probe, force=False)


def apply_attribute_update(
    backend: Backend,
    pool: UserPool,
    user: User,
    values: dict[str, str],
    *,
    operation_name: str,
) -> list[dict[str, str]]:
    """Apply validated attribute values with the verification rules; return CodeDeliveryDetails
    for every code sent. Raises before changing anything if an alias is taken."""
    must_verify_first = (pool.settings.get("UserAttributeUpdateSettings") or {}).get(
        "AttributesRequireVerificationBeforeUpdate", []
    )
    updated = dict(user.attributes)
    pending: dict[str, str] = {}
    to_verify: list[str] = []
    for name, value in values.items():
        if value == "":
            # The documented way to delete an attribute is to send it with a blank value.
            entry = pool.schema_attribute(name) or {}
            if entry.get("Required"):
                raise InvalidParameterException(
                    f"Invalid user attributes: {name}: Required attribute cannot be deleted."
                )
            updated.pop(name, None)
            if name in VERIFIED_FLAG:
                updated.pop(VERIFIED_FLAG[name], None)
            continue
        updated[name] = value
        if name in VERIFIABLE and value != user.attributes.get(name):
            flag = VERIFIED_FLAG[name]
            if values.get(flag) == "true":
                continue  # the caller verified it in the same request
            if name in must_verify_first and user.attributes.get(name):
                # The old value stays in force until the new one is verified.
                updated[name] = user.attributes[name]
                pending[name] = value
            else:
                updated[flag] = "false"
            if name in pool.auto_verified and value:
                to_verify.append(name)
    for name in VERIFIABLE:
        if updated.get(VERIFIED_FLAG[name]) == "true" and not updated.get(name):
            raise InvalidParameterException(
                f"{VERIFIED_FLAG[name]} cannot be set to true without a value for {name}."
            )
    probe = user.copy(updated)
    check_identifiers(pool, probe)  # raises AliasExistsException before any change
    now = backend.clock.now()
    user.attributes = updated
    user.pending.update(pending)
    user.modified = now
    index_aliases(pool, user)
    deliveries = []
    for name in to_verify:
        code = issue_code(user, "verify_attribute", backend.ids, now, attribute=name)
        destination = pending.get(name, user.attributes.get(name))
        delivery = send_code(
            backend, pool, user, name, code,
            purpose="verify_attribute", operation=operation_name, destination=destination,
        )  # fmt: skip
        deliveries.append(delivery)
    return deliveries


def delete_attributes(backend: Backend, pool: UserPool, user: User, names: list[str]) -> None:
    """Remove the named attributes (with their verification flags and pending values); raises
    before changing anything if one is unknown, required or immutable."""
    for name in names:
        entry = pool.schema_attribute(name)
        if entry is None or name == "sub":
            raise InvalidParameterException(
                f"Invalid user attributes: {name}: Attribute does not exist in the schema."
            )
        if entry.get("Required"):
            raise InvalidParameterException(
                f"Invalid user attributes: {name}: Required attribute cannot be deleted."
            )
        if not entry.get("Mutable", True):
            raise InvalidParameterException(
                f"Invalid user attributes: {name}: Attribute cannot be updated."
            )
    for name in names:
        user.attributes.pop(name, None)
        if name in VERIFIED_FLAG:
            user.attributes.pop(VERIFIED_FLAG[name], None)
            user.pending.pop(name, None)
    user.modified = backend.clock.now()
    index_aliases(pool, user)
