"""The sign-in pipeline: the steps between a proven first factor and the tokens (in STEP_ORDER),
the challenge registry RespondToAuthChallenge dispatches on, and the finish (tokens)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.kernel.challenge_sessions import open_session
from cognito_mock.backend.kernel.records import AppClient, User, UserPool
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.tokens.issue import issue_tokens

__all__ = [
    "STEP_ORDER",
    "Answer",
    "ChallengeHandler",
    "SignIn",
    "SignInStep",
    "challenge",
    "challenge_handler",
    "finish_sign_in",
    "registered_steps",
    "sign_in_step",
]


@dataclass
class SignIn:
    """One sign-in after its first factor is proven, as the steps that follow see it.

    `done` names the steps already satisfied; `params` are the AuthParameters/ChallengeResponses
    of the call being answered (DEVICE_KEY, ...); `data` travels with every challenge session of
    this sign-in, so a later step can read what an earlier one recorded.
    """

    backend: Backend
    pool: UserPool
    client: AppClient
    user: User
    done: set[str] = field(default_factory=set)
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    def challenge(self, name: str, parameters: dict[str, str]) -> dict[str, Any]:
        """Answer with challenge `name`; its session remembers this sign-in's progress."""
        session = open_session(
            self.backend, self.pool, self.client, name, self.user.username,
            done=sorted(self.done), sign_in=dict(self.data),
        )  # fmt: skip
        return {"ChallengeName": name, "Session": session, "ChallengeParameters": parameters}


# A step returns a challenge response to stop the sign-in there, or None to go on.
SignInStep = Callable[[SignIn], "dict[str, Any] | None"]
# The steps between the first factor and the tokens, in the order they run. Each is registered
# by the module that implements it (auth/steps/, auth/auth_events.py) with `@sign_in_step(name)`.
STEP_ORDER = ("new_password", "device", "mfa", "post_authentication", "auth_event")
_STEPS: dict[str, SignInStep] = {}


def sign_in_step(name: str) -> Callable[[SignInStep], SignInStep]:
    """Register the step `name` (one of STEP_ORDER); a name registered twice fails at import."""
    if name not in STEP_ORDER:
        raise ValueError(f"sign-in step {name!r} is not in STEP_ORDER {STEP_ORDER}")
    if name in _STEPS:
        raise ValueError(f"sign-in step {name!r} is already registered")

    def register(step: SignInStep) -> SignInStep:
        _STEPS[name] = step
        return step

    return register


def registered_steps() -> list[str]:
    """The names of the registered steps, in STEP_ORDER."""
    return [name for name in STEP_ORDER if name in _STEPS]


def _token_source(sign_in: SignIn) -> str:
    """PreTokenGeneration's triggerSource for tokens issued at the end of this sign-in."""
    given = sign_in.data.get("token_source")
    if given:
        return str(given)
    if "NEW_PASSWORD" in sign_in.params:
        return "TokenGeneration_NewPasswordChallenge"
    return "TokenGeneration_Authentication"


def finish_sign_in(
    backend: Backend,
    pool: UserPool,
    client: AppClient,
    user: User,
    *,
    done: Iterable[str] = (),
    params: dict[str, str] | None = None,
    data: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """After the first factor: run the registered steps (new password, devices, MFA, ...) not yet
    `done`; the first that asks for a challenge ends the call, else tokens are issued."""
    sign_in = SignIn(backend, pool, client, user, set(done), dict(params or {}), dict(data or {}))
    for name in STEP_ORDER:
        if name in sign_in.done:
            continue
        answer = _STEPS[name](sign_in)
        if answer is not None:
            return answer
        sign_in.done.add(name)
    if sign_in.data.get("hosted"):
        # Managed login (backend/hosted/) turns a finished sign-in into its session cookie and
        # an authorization code: the tokens come later, from /oauth2/token.
        return {"ChallengeParameters": {}, "SignedIn": user.username}
    # The device step (backend/auth/steps/device.py) leaves the tracked device key in `data`,
    # and NewDeviceMetadata when it registered a new device for this sign-in.
    result = issue_tokens(
        backend, pool, client, user, device_key=sign_in.data.get("device_key"),
        source=_token_source(sign_in),
    )  # fmt: skip
    if sign_in.data.get("new_device"):
        result["NewDeviceMetadata"] = dict(sign_in.data["new_device"])
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


# ----------------------------------------------------------------------------- challenges


class Answer:
    """One challenge response being handled: where it came from and what it carries."""

    def __init__(
        self,
        backend: Backend,
        pool: UserPool,
        client: AppClient,
        name: str,
        responses: dict[str, str],
        session: str | None,
        admin: bool,
    ) -> None:
        self.backend = backend
        self.pool = pool
        self.client = client
        self.name = name
        self.responses = responses
        self.session = session
        self.admin = admin


ChallengeHandler = Callable[[Answer], dict[str, Any]]
_CHALLENGES: dict[str, ChallengeHandler] = {}


def challenge(*names: str) -> Callable[[ChallengeHandler], ChallengeHandler]:
    """Register the handler of one or more ChallengeNames (MFA, devices, ... add theirs)."""

    def register(func: ChallengeHandler) -> ChallengeHandler:
        for name in names:
            if name in _CHALLENGES:
                raise ValueError(f"challenge {name} already has a handler")
            _CHALLENGES[name] = func
        return func

    return register


def challenge_handler(name: str) -> ChallengeHandler | None:
    """The handler registered for ChallengeName `name`, if any."""
    return _CHALLENGES.get(name)
