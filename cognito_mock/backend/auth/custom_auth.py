"""CUSTOM_AUTH: InitiateAuth runs DefineAuthChallenge (and CreateAuthChallenge); answering
CUSTOM_CHALLENGE runs VerifyAuthChallengeResponse, then Define again, until it issues tokens or
fails the sign-in."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.auth.first_factor import (
    INCORRECT,
    check_hash,
    check_state,
    require_params,
)
from cognito_mock.backend.auth.pipeline import Answer, challenge, finish_sign_in
from cognito_mock.backend.directory.users import find_user
from cognito_mock.backend.hooks.events import pre_authentication
from cognito_mock.backend.hooks.triggers import (
    INVALID_JSON,
    check_fields,
    configured,
    invoke,
    string_map,
    user_attributes,
)
from cognito_mock.backend.kernel.challenge_sessions import (
    SESSION_INVALID,
    open_session,
    session_owner,
    take_session,
)
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import hides_user_existence
from cognito_mock.errors import (
    InvalidLambdaResponseException,
    InvalidParameterException,
    NotAuthorizedException,
    UserNotFoundException,
)

__all__ = ["NOT_CONFIGURED", "start_custom_auth"]

NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."
CUSTOM = "CUSTOM_CHALLENGE"
_SOURCE = "{}_Authentication"


def _base_request(user: User | None, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "userAttributes": user_attributes(user) if user is not None else {},
        "session": [dict(entry) for entry in history],
        "userNotFound": user is None,
    }


def _define(
    backend: Backend, pool: UserPool, user: User | None, name: str, history: list[dict[str, Any]]
) -> dict[str, Any]:
    response = invoke(
        backend, pool, "DefineAuthChallenge", _SOURCE.format("DefineAuthChallenge"),
        user_name=user.username if user is not None else name,
        request=_base_request(user, history),
        response={"challengeName": None, "issueTokens": False, "failAuthentication": False},
    )  # fmt: skip
    if response is None:
        raise InvalidParameterException(NOT_CONFIGURED)
    check_fields(
        response,
        {"challengeName": (str,), "issueTokens": (bool,), "failAuthentication": (bool,)},
    )
    return response


def _next_step(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    user: User | None,
    name: str,
    history: list[dict[str, Any]],
    params: dict[str, str],
) -> dict[str, Any]:
    """Ask Define what comes next: tokens, failure, or a new CUSTOM_CHALLENGE from Create."""
    decision = _define(backend, pool, user, name, history)
    if decision.get("failAuthentication"):
        raise NotAuthorizedException(INCORRECT)
    if decision.get("issueTokens"):
        if user is None:  # a simulated user never signs in
            raise NotAuthorizedException(INCORRECT)
        return finish_sign_in(backend, pool, client, user, params=params)
    if decision.get("challengeName") != CUSTOM:
        # Only CUSTOM_CHALLENGE is supported here (no SRP_A / PASSWORD_VERIFIER within custom auth).
        raise InvalidLambdaResponseException(INVALID_JSON)
    request = {**_base_request(user, history), "challengeName": CUSTOM}
    created = invoke(
        backend, pool, "CreateAuthChallenge", _SOURCE.format("CreateAuthChallenge"),
        user_name=user.username if user is not None else name, request=request,
        response={"publicChallengeParameters": None, "privateChallengeParameters": None,
                  "challengeMetadata": None},
    )  # fmt: skip
    if created is None:
        raise InvalidParameterException(NOT_CONFIGURED)
    check_fields(created, {"challengeMetadata": (str,)})
    public = string_map(created.get("publicChallengeParameters"))
    private = string_map(created.get("privateChallengeParameters"))
    public.setdefault("USERNAME", user.username if user is not None else name)
    session = open_session(
        backend, pool, client, CUSTOM, user.username if user is not None else "",
        custom={"history": history, "private": private, "given": name,
                "metadata": created.get("challengeMetadata")},
    )  # fmt: skip
    return {"ChallengeName": CUSTOM, "Session": session, "ChallengeParameters": public}


def start_custom_auth(
    backend: Backend, pool: UserPool, client: AppClient, params: dict[str, str], *, admin: bool
) -> dict[str, Any]:
    """InitiateAuth / AdminInitiateAuth with AuthFlow CUSTOM_AUTH (the flow is already allowed)."""
    if configured(pool, "DefineAuthChallenge") is None:
        raise InvalidParameterException(NOT_CONFIGURED)
    require_params(params, "USERNAME")
    name = params["USERNAME"]
    check_hash(client, params, name, admin=admin)
    user = find_user(pool, name)
    hidden = hides_user_existence(client)
    if user is None and not hidden:
        raise UserNotFoundException("User does not exist.")
    pre_authentication(backend, pool, user, name, hidden=hidden)
    if user is not None:
        check_state(client, user, password_ok=True)
    return _next_step(backend, pool, client, user, name, [], params)


@challenge(CUSTOM)
def _custom_challenge(answer: Answer) -> dict[str, Any]:
    backend, pool, client = answer.backend, answer.pool, answer.client
    session = take_session(backend, pool, client, answer.session, {CUSTOM})
    responses = answer.responses
    require_params(responses, "USERNAME", "ANSWER")
    state = session.data["custom"]
    user = session_owner(pool, session)
    if session.username and user is None:
        raise UserNotFoundException("User does not exist.")
    named = find_user(pool, responses["USERNAME"])
    if (user is not None and named is not user) or (user is None and named is not None):
        raise NotAuthorizedException(SESSION_INVALID)
    check_hash(client, responses, user.username if user else state["given"], admin=answer.admin)
    if user is not None:
        check_state(client, user, password_ok=True)
    request = {
        **_base_request(user, state["history"]),
        "privateChallengeParameters": dict(state["private"]),
        "challengeAnswer": responses["ANSWER"],
    }
    request.pop("session")
    verified = invoke(
        backend, pool, "VerifyAuthChallengeResponse",
        _SOURCE.format("VerifyAuthChallengeResponse"),
        user_name=user.username if user is not None else state["given"],
        request=request, response={"answerCorrect": False},
    )  # fmt: skip
    if verified is None:
        raise InvalidParameterException(NOT_CONFIGURED)
    check_fields(verified, {"answerCorrect": (bool,)})
    session.used = True
    history = [
        *state["history"],
        {"challengeName": CUSTOM, "challengeResult": bool(verified.get("answerCorrect")),
         "challengeMetadata": state["metadata"]},
    ]  # fmt: skip
    return _next_step(backend, pool, client, user, state["given"], history, responses)
