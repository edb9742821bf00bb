"""RespondToAuthChallenge and AdminRespondToAuthChallenge: PASSWORD_VERIFIER (SRP proof),
NEW_PASSWORD_REQUIRED and SELECT_CHALLENGE; other concerns add challenges via `challenge()`."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.auth.first_factor import (
    INCORRECT,
    available_challenges,
    check_hash,
    check_lockout,
    check_state,
    password_sign_in,
    record_failure,
    record_success,
    require_params,
    srp_challenge,
)
from cognito_mock.backend.auth.passwordless import PASSWORDLESS, start_passwordless
from cognito_mock.backend.auth.pipeline import Answer, challenge, challenge_handler, finish_sign_in
from cognito_mock.backend.crypto import srp
from cognito_mock.backend.directory.attribute_updates import check_identifiers
from cognito_mock.backend.directory.passwords import check_password, set_password
from cognito_mock.backend.directory.users import find_user, index_aliases
from cognito_mock.backend.hooks.triggers import with_caller
from cognito_mock.backend.kernel.attributes import VERIFIED_FLAG, check_attributes
from cognito_mock.backend.kernel.challenge_sessions import (
    SESSION_INVALID,
    AuthSession,
    consume_srp,
    proof_holds,
    proof_timestamp,
    session_owner,
    srp_owner,
    take_session,
    take_srp,
)
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.client_rules import client_by_id, require_client
from cognito_mock.errors import (
    InvalidParameterException,
    NotAuthorizedException,
    UserNotFoundException,
)

__all__: list[str] = []


def _session_user(answer: Answer, session: AuthSession) -> User:
    """The user a session belongs to, who must be the one USERNAME names."""
    user = session_owner(answer.pool, session)
    if user is None:
        raise UserNotFoundException("User does not exist.")
    if find_user(answer.pool, answer.responses["USERNAME"]) is not user:
        raise NotAuthorizedException(SESSION_INVALID)
    return user


@challenge("PASSWORD_VERIFIER")
def _password_verifier(answer: Answer) -> dict[str, Any]:
    responses = answer.responses
    require_params(
        responses,
        "USERNAME",
        "PASSWORD_CLAIM_SECRET_BLOCK",
        "TIMESTAMP",
        "PASSWORD_CLAIM_SIGNATURE",
    )
    backend, pool, client = answer.backend, answer.pool, answer.client
    block = responses["PASSWORD_CLAIM_SECRET_BLOCK"]
    session = None
    if answer.session:  # choice-based SRP carries a session; USER_SRP_AUTH does not
        session = take_session(backend, pool, client, answer.session, {"PASSWORD_VERIFIER"})
        if session.data.get("secret_block") != block:
            raise NotAuthorizedException(INCORRECT)
    pending = take_srp(backend, pool, client, block)
    # SECRET_HASH over the internal username the challenge named (USER_ID_FOR_SRP).
    check_hash(client, responses, pending.username or responses["USERNAME"], admin=answer.admin)
    stamp = responses["TIMESTAMP"]
    proof_timestamp(stamp)  # an unparsable TIMESTAMP is a parameter error, before anything else
    user = srp_owner(pool, pending)
    named = find_user(pool, responses["USERNAME"])
    if user is None or named is not user:
        consume_srp(pool, block)
        raise NotAuthorizedException(INCORRECT)
    check_state(client, user, password_ok=False)
    check_lockout(backend, user)
    consume_srp(pool, block)  # one proof per round, right or wrong
    if session is not None:
        session.used = True
    proven = proof_holds(
        pending,
        srp.pool_name_for_srp(pool.id),
        pending.user_id_for_srp,
        block,
        stamp,
        responses["PASSWORD_CLAIM_SIGNATURE"],
        backend.clock.now(),
    )
    if not proven:
        raise record_failure(backend, user)
    record_success(user)
    check_state(client, user, password_ok=True)
    return finish_sign_in(backend, pool, client, user, params=responses)


@challenge("NEW_PASSWORD_REQUIRED")
def _new_password(answer: Answer) -> dict[str, Any]:
    backend, pool, client = answer.backend, answer.pool, answer.client
    session = take_session(backend, pool, client, answer.session, {"NEW_PASSWORD_REQUIRED"})
    responses = answer.responses
    require_params(responses, "USERNAME", "NEW_PASSWORD")
    user = _session_user(answer, session)
    check_hash(client, responses, user.username, admin=answer.admin)
    if not user.enabled:
        raise NotAuthorizedException("User is disabled.")
    if user.status != "FORCE_CHANGE_PASSWORD":
        raise NotAuthorizedException(SESSION_INVALID)
    prefix = "userAttributes."
    items = [
        {"Name": key[len(prefix) :], "Value": value}
        for key, value in responses.items()
        if key.startswith(prefix)
    ]
    writable = client.settings.get("WriteAttributes")
    if writable and any(item["Name"] not in writable for item in items):
        raise NotAuthorizedException("A client attempted to write unauthorized attribute")
    values = check_attributes(pool.schema, items, developer=False, creating=False)
    required = [a["Name"] for a in pool.schema if a.get("Required") and a["Name"] != "sub"]
    for name in required:
        current = user.attributes.get(name)
        if current and name in values and values[name] != current:
            raise InvalidParameterException(f"Cannot modify an already provided {name}")
    merged = {**user.attributes, **values}
    for name in required:
        if not merged.get(name):
            raise InvalidParameterException(f"Invalid attributes given, {name} is missing")
    check_password(pool, responses["NEW_PASSWORD"], user)
    # Checked; now change the user.
    updated = dict(user.attributes)
    for name, value in values.items():
        flag = VERIFIED_FLAG.get(name)
        if flag and user.attributes.get(name) != value and flag not in values:
            updated[flag] = "false"
        updated[name] = value
    # A username attribute or verified alias another user holds is refused before any change.
    check_identifiers(pool, user.copy(updated))
    now = backend.clock.now()
    user.attributes = updated
    index_aliases(pool, user)
    set_password(pool, user, responses["NEW_PASSWORD"], now)
    user.status = "CONFIRMED"
    user.modified = now
    pool.users.touch(user)  # keeps ListUsers' search indexes current
    session.used = True
    record_success(user)
    return finish_sign_in(
        backend, pool, client, user,
        done={*session.data.get("done", ()), "new_password"},
        params=responses, data=session.data.get("sign_in"),
    )  # fmt: skip


@challenge("SELECT_CHALLENGE", "PASSWORD", "PASSWORD_SRP")
def _select(answer: Answer) -> dict[str, Any]:
    """Choice-based sign-in: ANSWER picks a first factor (ChallengeName PASSWORD or PASSWORD_SRP
    does too); passwordless ones continue in auth/passwordless.py."""
    backend, pool, client = answer.backend, answer.pool, answer.client
    session = take_session(backend, pool, client, answer.session, {"SELECT_CHALLENGE"})
    responses = answer.responses
    choice = answer.name if answer.name != "SELECT_CHALLENGE" else responses.get("ANSWER")
    if not choice:
        require_params(responses, "ANSWER")
    require_params(responses, "USERNAME")
    user = session_owner(pool, session)
    given = str(session.data.get("given", ""))
    if user is not None and find_user(pool, responses["USERNAME"]) is not user:
        raise NotAuthorizedException(SESSION_INVALID)
    check_hash(client, responses, user.username if user else given, admin=answer.admin)
    if choice not in available_challenges(backend, pool, user):
        raise InvalidParameterException(f"The challenge {choice} is not available for this user.")
    if choice in PASSWORDLESS:  # a code is sent, or the passkey options come back
        operation = "AdminRespondToAuthChallenge" if answer.admin else "RespondToAuthChallenge"
        result = start_passwordless(backend, pool, client, user, given, choice, operation=operation)
    elif choice == "PASSWORD":
        require_params(responses, "PASSWORD")
        result = password_sign_in(backend, pool, client, user, responses["PASSWORD"], responses)
    else:
        require_params(responses, "SRP_A")
        result = srp_challenge(
            backend, pool, client, user, given, responses["SRP_A"], with_session=True
        )
    session.used = True
    return result


def _respond(
    backend: Backend, pool: UserPool, client: AppClient, request: dict[str, Any], admin: bool
) -> dict[str, Any]:
    name = request["ChallengeName"]
    handler = challenge_handler(name)
    if handler is None:
        raise NotAuthorizedException(SESSION_INVALID)
    responses = dict(request.get("ChallengeResponses") or {})
    answer = Answer(backend, pool, client, name, responses, request.get("Session"), admin)
    return handler(answer)


@operation("RespondToAuthChallenge")
@with_caller
def respond_to_auth_challenge(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool, client = client_by_id(backend, request["ClientId"])
    return _respond(backend, pool, client, request, admin=False)


@operation("AdminRespondToAuthChallenge")
@with_caller
def admin_respond_to_auth_challenge(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    client = require_client(backend, request["UserPoolId"], request["ClientId"])
    return _respond(backend, backend.pool(request["UserPoolId"]), client, request, admin=True)
