"""The outbox: every email and SMS the service would send, rendered from the pool's templates.

Tests read `mock.outbox` to find codes and temporary passwords. Also masks destinations the way
CodeDeliveryDetails shows them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Message", "Outbox", "code_delivery", "mask_destination"]


@dataclass(frozen=True)
class Message:
    """One message the service would have sent."""

    to: str  # email address or phone number
    medium: str  # "EMAIL" or "SMS"
    body: str
    subject: str | None  # emails only
    code: str | None  # the code or temporary password the message carries
    operation: str  # the operation that sent it, e.g. "SignUp"
    pool_id: str
    username: str
    # "confirm_sign_up", "forgot_password", "verify_attribute", "invitation", "mfa", "sign_in"
    purpose: str
    attribute: str | None = None
    sent_at: float = 0.0


@dataclass
class Outbox:
    """Messages in the order they were sent; thread-safe."""

    messages: list[Message] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def append(self, message: Message) -> None:
        with self._lock:
            self.messages.append(message)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def __len__(self) -> int:
        return len(self.messages)

    def __iter__(self) -> Any:
        return iter(list(self.messages))

    def __getitem__(self, index: int) -> Message:
        return self.messages[index]

    def to(self, recipient: str) -> list[Message]:
        """Every message sent to an email address or phone number."""
        return [m for m in self.messages if m.to == recipient]

    def last(self, recipient: str | None = None, *, purpose: str | None = None) -> Message:
        """The newest message (to `recipient`, for `purpose`); LookupError if there is none."""
        for message in reversed(self.messages):
            if (recipient is None or message.to == recipient) and (
                purpose is None or message.purpose == purpose
            ):
                return message
        raise LookupError(f"no message to {recipient or 'anyone'} for {purpose or 'any purpose'}")

    def last_code(self, recipient: str | None = None, *, purpose: str | None = None) -> str:
        code = self.last(recipient, purpose=purpose).code
        if code is None:
            raise LookupError("the last message carries no code")
        return code


def mask_destination(medium: str, value: str) -> str:
    """`s***@g***` for emails, `+********4114` for phone numbers."""
    if medium == "EMAIL":
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    return "+" + "*" * max(len(value) - 5, 0) + value[-4:]


def code_delivery(attribute: str, value: str) -> dict[str, str]:
    """CodeDeliveryDetailsType for a code sent to `attribute` (`email` / `phone_number`)."""
    medium = "EMAIL" if attribute == "email" else "SMS"
    return {
        "Destination": mask_destination(medium, value),
        "DeliveryMedium": medium,
        "AttributeName": attribute,
    }
