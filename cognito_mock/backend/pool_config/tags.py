"""Tags on user pools (the only taggable resource): TagResource, UntagResource, ListTagsForResource."""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.backend.pool_config.replicas import region_arn
from cognito_mock.errors import InvalidParameterException, ResourceNotFoundException

__all__: list[str] = []

MAX_TAGS = 50  # per resource, the AWS-wide tagging limit


def _tags_of(backend: Backend, arn: str) -> dict[str, str]:
    """The tags of the pool the ARN names, or of its replica in the ARN's Region (a replica keeps
    its own tags)."""
    pool_id = arn.rsplit("/", 1)[-1] if ":userpool/" in arn else ""
    pool = backend.pools.get(pool_id)
    if pool is not None and pool.arn == arn:
        return pool.tags
    replication = pool.replication if pool is not None else None
    for region, replica in replication.replicas.items() if replication else ():
        if pool is not None and region_arn(pool, region) == arn:
            return replica.tags
    raise ResourceNotFoundException(f"The resource {arn} does not exist.")


@operation("TagResource")
def tag_resource(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    tags = _tags_of(backend, request["ResourceArn"])
    merged = {**tags, **request["Tags"]}
    if len(merged) > MAX_TAGS:
        raise InvalidParameterException(
            f"A resource can have at most {MAX_TAGS} tags; this request would leave {len(merged)}."
        )
    tags.update(request["Tags"])
    return {}


@operation("UntagResource")
def untag_resource(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    tags = _tags_of(backend, request["ResourceArn"])
    for key in request["TagKeys"]:
        tags.pop(key, None)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    return {"Tags": dict(_tags_of(backend, request["ResourceArn"]))}
