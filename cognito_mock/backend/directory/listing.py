"""The ListUsers operation: filtering (via user_filters), AttributesToGet, Limit and PaginationToken.

- Limit 1-60 users per page; 0 or absent means 60 (the fact sheet leaves Limit=0 open).
- PaginationToken is opaque: it names the filtered attribute and the (folded value, seq) of the last
  user returned, so users created or deleted between pages never make a page repeat or skip a user
  that existed (unchanged) throughout. A token from another filter attribute, or not one of ours,
  fails with ``Invalid pagination token.``. A page is returned with a token only when at least one
  more match exists, so the last page never carries one.
- AttributesToGet narrows each user's `Attributes` to the listed names, in the order listed (the
  other UserType members are always present; ``[]`` returns no attributes). ``sub`` is rejected with
  ``Input fails to satisfy the constraints.`` (observed). A name outside the pool's schema, or one a
  returned user has no value for (the model: "Amazon Cognito returns an error if not all users in
  the results have set a value for the attribute you request"), fails with ``One or more requested
  attributes do not exist.`` (observed in aws-sdk-js issues 2570 and 3091). Only the users of the
  page are checked, which keeps a page O(page).
"""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.filters import ALL, parse_filter, search_index
from cognito_mock.backend.directory.users import user_type
from cognito_mock.backend.directory.views import checked_views
from cognito_mock.backend.kernel.paging import decode_token, encode_token
from cognito_mock.backend.kernel.records import User, UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import InvalidParameterException

__all__ = ["DEFAULT_LIMIT", "list_users"]

DEFAULT_LIMIT = 60
_TOKEN_KIND = "ListUsers"
_BAD_TOKEN = "Invalid pagination token."
_SUB_REQUESTED = "Input fails to satisfy the constraints."
_NO_SUCH_ATTRIBUTE = "One or more requested attributes do not exist."


def _attributes_to_get(pool: UserPool, names: list[str] | None) -> list[str] | None:
    """The de-duplicated names to return, checked against the pool's schema."""
    if names is None:
        return None
    if "sub" in names:
        raise InvalidParameterException(_SUB_REQUESTED)
    wanted = list(dict.fromkeys(names))
    known = {entry["Name"] for entry in pool.schema}
    if any(name not in known for name in wanted):
        raise InvalidParameterException(_NO_SUCH_ATTRIBUTE)
    return wanted


def _resume_after(
    backend: Backend, pool: UserPool, token: str | None, attribute: str
) -> tuple[str, int] | None:
    """The (key, seq) the token resumes after; the token must come from the same attribute."""
    if token is None:
        return None
    decoded = decode_token(backend, _TOKEN_KIND, pool.id, token)
    if (
        not isinstance(decoded, list)
        or len(decoded) != 3
        or decoded[0] != attribute
        or not isinstance(decoded[1], str)
        or not isinstance(decoded[2], int)
    ):
        raise InvalidParameterException(_BAD_TOKEN)
    return decoded[1], decoded[2]


@operation("ListUsers")
def list_users(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    flt = parse_filter(request.get("Filter"))
    wanted = _attributes_to_get(pool, request.get("AttributesToGet"))
    attribute = ALL if flt is None else flt.attribute
    after = _resume_after(backend, pool, request.get("PaginationToken"), attribute)
    limit = request.get("Limit") or DEFAULT_LIMIT
    page: list[User] = []
    last_key = ""
    more = False
    for key, user in search_index(pool.users).scan(flt, after):
        if len(page) == limit:
            more = True  # one match beyond the page: the caller needs a token
            break
        page.append(user)
        last_key = key
    if wanted:
        for user in page:
            if any(name not in user.attributes for name in wanted):
                raise InvalidParameterException(_NO_SUCH_ATTRIBUTE)
    users = (
        checked_views(pool.users, page) if wanted is None else [user_type(u, wanted) for u in page]
    )
    result: dict[str, Any] = {"Users": users}
    if more:
        result["PaginationToken"] = encode_token(
            backend, _TOKEN_KIND, pool.id, [attribute, last_key, page[-1].seq]
        )
    return result
