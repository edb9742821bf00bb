"""What managed login exchanges with its web front: a parsed request in, an answer out (a page
to render with its data, or a redirect, with cookies), and the outbound calls federation needs.

Plain values only: HTML, HTTP parsing and the outbound HTTP client live in `cognito_mock.web`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

__all__ = [
    "Cookie",
    "Fetch",
    "Fetched",
    "PageRequest",
    "PageResponse",
    "Respond",
    "add_query",
    "page",
    "redirect",
]


@dataclass(frozen=True)
class Fetched:
    """The answer of one outbound call (`status` 0: it failed, `error` says how)."""

    status: int
    body: bytes
    error: str | None = None  # "timeout" or "connection"


@dataclass(frozen=True)
class Fetch:
    """An outbound HTTP call the front makes before asking again (federation)."""

    key: str  # "discovery", "token", "jwks", "userinfo"
    method: str
    url: str
    form: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PageRequest:
    """One browser request to a user pool domain."""

    domain: str  # the prefix or custom domain the request was addressed to
    base_url: str  # where that domain is served (`http://<prefix>.localhost:<port>`)
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    upstream: dict[str, Fetched] = field(default_factory=dict)  # Fetch.key -> its answer


@dataclass(frozen=True)
class Cookie:
    name: str
    value: str
    max_age: int | None = None  # 0 deletes it; None: a browser-session cookie
    http_only: bool = True


@dataclass
class PageResponse:
    """A page (`page`: template name, `context`: its data), a redirect (`location`), or a request
    for outbound calls (`fetch`) after which the same request comes back with their answers."""

    status: int
    page: str | None = None
    context: dict[str, Any] = field(default_factory=dict)
    location: str | None = None
    cookies: list[Cookie] = field(default_factory=list)
    fetch: list[Fetch] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


class Respond(Exception):
    """Stop handling and answer `response` (error pages, error redirects)."""

    def __init__(self, response: PageResponse) -> None:
        super().__init__(response.page or response.location)
        self.response = response


def page(name: str, status: int = 200, **context: Any) -> PageResponse:
    return PageResponse(status, page=name, context=context)


def redirect(location: str, *cookies: Cookie) -> PageResponse:
    # Every 302 of the service's authorize flow carries nosniff (fact sheet 2, 1.6).
    return PageResponse(
        302, location=location, cookies=list(cookies), headers={"X-Content-Type-Options": "nosniff"}
    )


def add_query(url: str, params: Mapping[str, str | None], *, fragment: bool = False) -> str:
    """`url` with `params` (None values left out) added to its query, or as its fragment."""
    items = {k: v for k, v in params.items() if v is not None}
    parts = urlsplit(url)
    if fragment:
        return urlunsplit(parts._replace(fragment=urlencode(items)))
    query = "&".join(p for p in (parts.query, urlencode(items)) if p)
    return urlunsplit(parts._replace(query=query))
