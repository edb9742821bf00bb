"""Renders and sends the messages the service sends (codes, invitations) into the mock's outbox."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.hooks.events import custom_message
from cognito_mock.backend.kernel.outbox import Message, Outbox, code_delivery
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.state import Backend

__all__ = ["outbox_of", "send_code", "send_invitation", "verification_target"]

_CODE = "Your verification code is {####}. "
_CODE_SUBJECT = "Your verification code"
_INVITE = "Your username is {username} and temporary password is {####}. "
_INVITE_SUBJECT = "Your temporary password"
_MFA = "Your authentication code is {####}. "


def outbox_of(backend: Backend) -> Outbox:
    outbox: Outbox = backend.services.outbox
    return outbox


def verification_target(pool: UserPool, user: User) -> str | None:
    """Where a sign-up code goes: among AutoVerifiedAttributes the user has, phone wins."""
    for attribute in ("phone_number", "email"):
        if attribute in pool.auto_verified and user.attributes.get(attribute):
            return attribute
    return None


def _templates(pool: UserPool, purpose: str) -> tuple[str, str, str]:
    """(email body, email subject, sms body) for `purpose`."""
    s = pool.settings
    if purpose == "invitation":
        invite = (s.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
        return (
            invite.get("EmailMessage", _INVITE),
            invite.get("EmailSubject", _INVITE_SUBJECT),
            invite.get("SMSMessage", _INVITE),
        )
    if purpose == "mfa":
        sms = s.get("SmsAuthenticationMessage", _MFA)
        return sms, "Your authentication code", sms
    template = s.get("VerificationMessageTemplate") or {}
    return (
        template.get("EmailMessage") or s.get("EmailVerificationMessage") or _CODE,
        template.get("EmailSubject") or s.get("EmailVerificationSubject") or _CODE_SUBJECT,
        template.get("SmsMessage") or s.get("SmsVerificationMessage") or _CODE,
    )


def _deliver(
    backend: Backend, pool: UserPool, user: User, attribute: str, destination: str, **fields: Any
) -> None:
    medium = "EMAIL" if attribute == "email" else "SMS"
    email, subject, sms = _templates(pool, fields["purpose"])
    # The CustomMessage trigger's texts (if the pool has one) replace the templates.
    custom = custom_message(backend, pool, user, fields["purpose"], fields["operation"])
    email = custom.get("emailMessage", email)
    subject = custom.get("emailSubject", subject)
    sms = custom.get("smsMessage", sms)
    body = (email if medium == "EMAIL" else sms).replace("{####}", fields["code"] or "")
    body = body.replace("{username}", user.username)
    outbox_of(backend).append(
        Message(
            to=destination,
            medium=medium,
            body=body,
            subject=subject if medium == "EMAIL" else None,
            pool_id=pool.id,
            username=user.username,
            attribute=attribute,
            sent_at=backend.clock.now(),
            **fields,
        )
    )


def send_code(
    backend: Backend,
    pool: UserPool,
    user: User,
    attribute: str,
    code: str,
    *,
    purpose: str,
    operation: str,
    destination: str | None = None,
) -> dict[str, str]:
    """Send `code` to the user's `attribute` (or `destination`); return CodeDeliveryDetails."""
    to = destination if destination is not None else user.attributes[attribute]
    _deliver(backend, pool, user, attribute, to, purpose=purpose, code=code, operation=operation)
    return code_delivery(attribute, to)


def send_invitation(
    backend: Backend, pool: UserPool, user: User, password: str, mediums: list[str], operation: str
) -> None:
    """The welcome message with the temporary password, to each requested medium the user has."""
    for medium in mediums:
        attribute = "email" if medium == "EMAIL" else "phone_number"
        to = user.attributes.get(attribute)
        if to:
            _deliver(
                backend, pool, user, attribute, to,
                purpose="invitation", code=password, operation=operation,
            )  # fmt: skip
