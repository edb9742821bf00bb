"""Managed login's HTML: the Jinja2 environment (autoescaping on) and the page templates."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

__all__ = ["render_page"]

# Pages every template may expect, with what each needs when the backend sent nothing.
_DEFAULTS: dict[str, Any] = {
    "custom_css": "",
    "logo": None,
    "pool_name": "",
    "client_name": "",
    "error": None,
    "message": None,
    "query": {},
    "hidden": {},
    "providers": [],
    "native": True,
    "signup": True,
    "root": "",
}


def _relative(url: str) -> str:
    """A URL of the domain's own pages, relative to the page's <base> (the front's mount)."""
    return url[1:] if url.startswith("/") and not url.startswith("//") else url


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("cognito_mock.web", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["rel"] = _relative
    return environment


def render_page(name: str, context: dict[str, Any], root: str = "") -> str:
    """The HTML of page `name` (a template of cognito_mock/web/templates) with `context`;
    `root`: where the domain is mounted (its pages' links are relative to it)."""
    page = _environment().get_template(f"{name}.html")
    return page.render({**_DEFAULTS, **context, "root": root})
