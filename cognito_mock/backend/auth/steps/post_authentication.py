"""Sign-in step "post_authentication": the PostAuthentication trigger, once every factor is proven."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.auth.pipeline import SignIn, sign_in_step
from cognito_mock.backend.hooks.events import post_authentication

__all__: list[str] = []


@sign_in_step("post_authentication")
def _post_authentication(sign_in: SignIn) -> dict[str, Any] | None:
    """The PostAuthentication trigger, once the user has proven every factor."""
    new_device = bool(sign_in.data.get("new_device"))
    post_authentication(sign_in.backend, sign_in.pool, sign_in.user, new_device=new_device)
    return None
