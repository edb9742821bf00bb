"""Lambda triggers as webhooks: a trigger function (for `mock.triggers`) that POSTs the event JSON
to a URL and returns the event the URL answers with.

The answer maps onto the outcomes of a Lambda invocation, so `hooks/triggers.invoke` applies the
service's error mapping unchanged:

- 2xx with a JSON object: the returned event (its `response` is then checked as usual);
- 2xx with anything else: not an event, so InvalidLambdaResponseException;
- any other status: the function failed, so UserLambdaValidationException with the message the
  body gives (`errorMessage`, as Lambda reports errors, or `message`, or the text itself);
- no answer within the timeout, or no connection at all: `LambdaTimeout`, so
  UnexpectedLambdaException.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from cognito_mock.errors import LambdaTimeout

__all__ = ["DEFAULT_TIMEOUT", "MAX_ANSWER", "WebhookError", "WebhookTrigger", "check_url"]

# The service waits 5 seconds for a trigger's Lambda before giving up.
DEFAULT_TIMEOUT = 5.0
MAX_ANSWER = 6 * 1024 * 1024  # a Lambda's synchronous response payload limit
_MESSAGE_LIMIT = 1000

# Webhooks are called while the mock answers a request; proxies from the environment would
# send a local test's webhook elsewhere.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class WebhookError(Exception):
    """The webhook answered with an error status: the trigger function failed."""


def check_url(url: Any) -> str:
    """`url` if it is an absolute http(s) URL; ValueError otherwise."""
    if not isinstance(url, str) or not url:
        raise ValueError("url must be a non-empty string")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"url must be an absolute http:// or https:// URL, got {url!r}")
    return url


def _failure_message(status: int, body: bytes) -> str:
    text = body[:MAX_ANSWER].decode("utf-8", "replace").strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        for key in ("errorMessage", "message", "Message"):
            if isinstance(parsed.get(key), str) and parsed[key]:
                return str(parsed[key])[:_MESSAGE_LIMIT]
    return text[:_MESSAGE_LIMIT] or f"HTTP {status}"


class WebhookTrigger:
    """A trigger function that calls `url`; register it with `mock.triggers.register(name, hook)`."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = check_url(url)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
            raise ValueError(
                f"timeout must be a positive number of seconds, got {timeout:g}"
                if isinstance(timeout, (int, float))
                else f"timeout must be a positive number of seconds, got {timeout!r}"
            )
        self.timeout = float(timeout)

    def __repr__(self) -> str:
        return f"WebhookTrigger({self.url!r}, timeout={self.timeout:g})"

    def __call__(self, event: dict[str, Any]) -> Any:
        data = json.dumps(event, separators=(",", ":")).encode()
        request = urllib.request.Request(
            self.url, data=data, method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "cognito-mock-webhook"},
        )  # fmt: skip
        try:
            with _OPENER.open(request, timeout=self.timeout) as answer:
                body = answer.read(MAX_ANSWER + 1)
        except urllib.error.HTTPError as error:
            body = error.read(MAX_ANSWER + 1) if error.fp is not None else b""
            raise WebhookError(_failure_message(error.code, body)) from None
        except TimeoutError:
            raise LambdaTimeout() from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, TimeoutError):
                raise LambdaTimeout() from None
            raise LambdaTimeout(f"the webhook {self.url} could not be reached: {reason}") from None
        if len(body) > MAX_ANSWER:
            return None  # not an event: InvalidLambdaResponseException
        try:
            return json.loads(body)
        except ValueError:
            return None  # not an event: InvalidLambdaResponseException
