"""Threat-protection user activity: recording auth events (sign-ins here; other concerns call
`record_auth_event`), AdminListUserAuthEvents and the two feedback operations."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.auth.pipeline import SignIn, sign_in_step
from cognito_mock.backend.crypto.equal import same
from cognito_mock.backend.directory.users import require_user
from cognito_mock.backend.kernel.jsontree import clone
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.risk import require_threat_protection, threat_protection_mode
from cognito_mock.errors import NotAuthorizedException, ResourceNotFoundException

__all__ = ["auth_events", "feedback_token", "record_auth_event"]

DEFAULT_PAGE = 60
_TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def auth_events(user: User) -> list[dict[str, Any]]:
    """The user's recorded events, oldest first (each with a private `_token` and `_seq`)."""
    return user.auth_events


def record_auth_event(
    backend: Backend,
    pool: UserPool,
    user: User,
    event_type: str,
    response: str,
    *,
    challenges: list[dict[str, str]] | None = None,
    context: dict[str, str] | None = None,
) -> dict[str, Any] | None:
    """Record one event (AuthEventType) while threat protection is on; None when it is off.

    `event_type` is SignIn, SignUp, ForgotPassword, PasswordChange or ResendCode; `response` is
    Pass, Fail or InProgress. The mock assesses no risk: every event is NoRisk.
    """
    if threat_protection_mode(pool) == "OFF":
        return None
    events = auth_events(user)
    event: dict[str, Any] = {
        "EventId": backend.ids.uuid4(),
        "EventType": event_type,
        "CreationDate": backend.clock.now(),
        "EventResponse": response,
        "EventRisk": {"RiskDecision": "NoRisk", "CompromisedCredentialsDetected": False},
        "ChallengeResponses": clone(challenges or []),
        "_token": backend.ids.choice_string(_TOKEN_ALPHABET, 64),
        "_seq": (events[-1]["_seq"] + 1) if events else 0,
    }
    if context:
        event["EventContextData"] = dict(context)
    events.append(event)
    return event


@sign_in_step("auth_event")
def _record_sign_in(sign_in: SignIn) -> dict[str, Any] | None:
    """A sign-in that reached its tokens is a passed SignIn event."""
    record_auth_event(
        sign_in.backend, sign_in.pool, sign_in.user, "SignIn", "Pass",
        challenges=[{"ChallengeName": "Password", "ChallengeResponse": "Success"}],
    )  # fmt: skip
    return None


def _event_view(event: dict[str, Any]) -> dict[str, Any]:
    return {k: clone(v) for k, v in event.items() if not k.startswith("_")}


def _find_event(user: User, event_id: str) -> dict[str, Any]:
    for event in auth_events(user):
        if event["EventId"] == event_id:
            return event
    raise ResourceNotFoundException(f"Auth event {event_id} does not exist.")


def feedback_token(backend: Backend, pool_id: str, username: str, event_id: str) -> str:
    """The FeedbackToken the service puts in an event's notification email links."""
    user = require_user(backend.pool(pool_id), username)
    return str(_find_event(user, event_id)["_token"])


def _give_feedback(backend: Backend, event: dict[str, Any], value: str, provider: str) -> None:
    event["EventFeedback"] = {
        "FeedbackValue": value,
        "Provider": provider,
        "FeedbackDate": backend.clock.now(),
    }


@operation("AdminListUserAuthEvents")
def admin_list_user_auth_events(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    require_threat_protection(pool)
    user = require_user(pool, request["Username"])
    newest_first = list(reversed(auth_events(user)))
    keys = [-e["_seq"] for e in newest_first]
    limit = request.get("MaxResults") or DEFAULT_PAGE
    page, token = page_after(
        backend, "auth_events", f"{pool.id}/{user.sub}", keys, newest_first, limit,
        request.get("NextToken"),
    )  # fmt: skip
    result: dict[str, Any] = {"AuthEvents": [_event_view(e) for e in page]}
    if token:
        result["NextToken"] = token
    return result


@operation("AdminUpdateAuthEventFeedback")
def admin_update_auth_event_feedback(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    require_threat_protection(pool)
    user = require_user(pool, request["Username"])
    event = _find_event(user, request["EventId"])
    _give_feedback(backend, event, request["FeedbackValue"], "Admin")
    return {}


@operation("UpdateAuthEventFeedback")
def update_auth_event_feedback(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    require_threat_protection(pool)
    user = require_user(pool, request["Username"])
    event = _find_event(user, request["EventId"])
    if not same(str(event["_token"]), request["FeedbackToken"]):
        raise NotAuthorizedException("Invalid feedback token.")
    _give_feedback(backend, event, request["FeedbackValue"], "User")
    return {}
