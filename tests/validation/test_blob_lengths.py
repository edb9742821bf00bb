"""Blob bounds count decoded bytes: 131,072 bytes of ImageFile pass, 131,073 fail with the service's
text, whether the request is wire-form or sent by a real boto3 client (which base64-encodes it)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cognito_mock.errors import ContractViolation, InvalidParameterException
from cognito_mock.shapes import schema_document
from cognito_mock.validation import request_violations, validate_request, validate_response
from cognito_mock.validation.blobs import decoded_size

DEFS = schema_document()["$defs"]
MAX = 131_072  # ImageFileType: `max: 131072` bytes in the botocore model
TOO_LONG = (
    "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=131073 cap=131073]' at "
    "'imageFile' failed to satisfy constraint: Member must have length less than or equal to 131072"
)


def _request(size: int) -> dict[str, Any]:
    image = base64.b64encode(b"\x89" * size).decode("ascii")
    return {"UserPoolId": "us-east-1_abc", "ImageFile": image}


def test_the_schema_keeps_the_models_byte_bounds() -> None:
    image = DEFS["ImageFileType"]
    assert (image["x-aws-min-bytes"], image["x-aws-max-bytes"]) == (0, MAX)
    assert DEFS["AssetBytesType"]["x-aws-max-bytes"] == 1_000_000
    assert "maxLength" not in image  # a character bound could not tell 131,072 from 131,073


def test_the_largest_blob_passes_and_one_byte_more_fails() -> None:
    longest, too_long = _request(MAX), _request(MAX + 1)
    # Both encode to the same number of characters: only the bytes tell them apart.
    assert len(longest["ImageFile"]) == len(too_long["ImageFile"]) == 174_764
    validate_request("SetUICustomization", longest)
    assert request_violations("SetUICustomization", longest) == []
    with pytest.raises(InvalidParameterException) as caught:
        validate_request("SetUICustomization", too_long)
    assert caught.value.message == TOO_LONG


def test_a_boto3_client_sending_bytes_gets_the_same_answer(client: Any, pool_id: str) -> None:
    with pytest.raises(client.exceptions.InvalidParameterException) as caught:
        client.set_ui_customization(UserPoolId=pool_id, ImageFile=b"\x89" * (MAX + 1))
    assert caught.value.response["Error"]["Message"] == TOO_LONG.replace("us-east-1_abc", pool_id)


def test_a_response_blob_is_bounded_in_bytes_too() -> None:
    asset = {"Category": "FAVICON_ICO", "ColorMode": "LIGHT", "Extension": "ICO"}
    fits = {"ManagedLoginBranding": {"Assets": [{**asset, "Bytes": _b64(1_000_000)}]}}
    validate_response("DescribeManagedLoginBranding", fits)
    over = {"ManagedLoginBranding": {"Assets": [{**asset, "Bytes": _b64(1_000_001)}]}}
    with pytest.raises(ContractViolation) as caught:
        validate_response("DescribeManagedLoginBranding", over)
    wanted = "Member must have length less than or equal to 1000000 (got ByteBuffer(size=1000001))"
    assert "$.ManagedLoginBranding.Assets[0].Bytes: " + wanted in str(caught.value)


def _b64(size: int) -> str:
    return base64.b64encode(bytes(size)).decode("ascii")


@given(st.binary(max_size=300), st.booleans())
def test_decoded_size_is_what_base64_decodes_to(data: bytes, padded: bool) -> None:
    text = base64.b64encode(data).decode("ascii")
    if not padded:
        text = text.rstrip("=")
    assert decoded_size(text) == len(base64.b64decode(text + "=" * (-len(text) % 4))) == len(data)
