"""Tags on user pools (the only taggable resource): TagResource, UntagResource, ListTagsForResource."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import InvalidParameterException, ResourceNotFoundException

__all__: list[str] = []

MAX_TAGS = 50  # per resource, the AWS-wide tagging limit


def _pool_by_arn(backend: Backend, arn: str) -> UserPool:
    pool_id = arn.rsplit("/", 1)[-1] if ":userpool/" in arn else ""
    pool = backend.pools.get(pool_id)
    if pool is None or pool.arn != arn:
        raise ResourceNotFoundException(f"The resource {arn} does not exist.")
    return pool


@operation("TagResource")
def tag_resource(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = _pool_by_arn(backend, request["ResourceArn"])
    merged = {**pool.tags, **request["Tags"]}
    if len(merged) > MAX_TAGS:
        raise InvalidParameterException(
            f"A resource can have at most {MAX_TAGS} tags; this request would leave {len(merged)}."
        )
    pool.tags = merged
    return {}


@operation("UntagResource")
def untag_resource(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = _pool_by_arn(backend, request["ResourceArn"])
    for key in request["TagKeys"]:
        pool.tags.pop(key, None)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": dict(_pool_by_arn(backend, request["ResourceArn"]).tags)}
