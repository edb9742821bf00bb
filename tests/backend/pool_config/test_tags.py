"""Tags on user pools through boto3, including limits and unknown ARNs."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def arn(client: Any) -> str:
    return str(client.create_user_pool(PoolName="t", UserPoolTags={"team": "a"})["UserPool"]["Arn"])


def test_tag_untag_and_list(client: Any, arn: str) -> None:
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "a"}
    client.tag_resource(ResourceArn=arn, Tags={"env": "test", "team": "b"})
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"team": "b", "env": "test"}
    client.untag_resource(ResourceArn=arn, TagKeys=["team", "absent"])
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"env": "test"}
    pool_id = arn.rsplit("/", 1)[-1]
    assert client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTags"] == {
        "env": "test"
    }


def test_at_most_fifty_tags(client: Any, arn: str) -> None:
    client.tag_resource(ResourceArn=arn, Tags={f"k{i}": "v" for i in range(49)})
    with pytest.raises(client.exceptions.InvalidParameterException, match="at most 50 tags"):
        client.tag_resource(ResourceArn=arn, Tags={"x": "1", "y": "2"})
    assert len(client.list_tags_for_resource(ResourceArn=arn)["Tags"]) == 50 - 0  # unchanged
    client.tag_resource(ResourceArn=arn, Tags={"k0": "replaced"})  # replacing adds nothing


def test_unknown_arns_are_not_found(client: Any, arn: str) -> None:
    missing = arn.rsplit("/", 1)[0] + "/us-east-1_missing00"
    for call in (
        lambda: client.list_tags_for_resource(ResourceArn=missing),
        lambda: client.tag_resource(ResourceArn=missing, Tags={"a": "b"}),
        lambda: client.untag_resource(ResourceArn=missing, TagKeys=["a"]),
    ):
        with pytest.raises(client.exceptions.ResourceNotFoundException) as caught:
            call()
        assert (
            caught.value.response["Error"]["Message"] == f"The resource {missing} does not exist."
        )


def test_tag_values_are_validated(client: Any, arn: str) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException, match=r"tags\.k"):
        client.tag_resource(ResourceArn=arn, Tags={"k": "v" * 257})
