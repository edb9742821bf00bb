"""SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)), checked for secret clients."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cognito_mock.backend.kernel.records import AppClient
from cognito_mock.errors import NotAuthorizedException

__all__ = ["check_secret_hash", "secret_hash"]


def secret_hash(secret: str, username: str, client_id: str) -> str:
    digest = hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def check_secret_hash(
    client: AppClient, usernames: str | list[str], given: str | None, *, auth_flow: bool = False
) -> None:
    """Raise NotAuthorizedException unless `given` is right for one of `usernames` (or the
    client has no secret). Any of the client's secrets is accepted (secret rotation)."""
    secrets = client.secret_values()
    if not secrets:
        return
    if not given:
        if auth_flow:
            raise NotAuthorizedException(
                f"Client {client.client_id} is configured with secret but SECRET_HASH was not received"
            )
        raise NotAuthorizedException(f"Unable to verify secret hash for client {client.client_id}")
    names = [usernames] if isinstance(usernames, str) else usernames
    for secret in secrets:
        for name in names:
            if hmac.compare_digest(secret_hash(secret, name, client.client_id), given):
                return
    raise NotAuthorizedException(f"SecretHash does not match for the client: {client.client_id}")
