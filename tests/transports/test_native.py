"""Python-native values (datetimes, bytes) cross to the wire form and back."""

from __future__ import annotations

from datetime import datetime, timezone

from cognito_mock.transports.native import from_wire, to_wire


def test_timestamps_become_epoch_seconds_and_back() -> None:
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    wire = to_wire("UserPoolDescriptionType", {"Id": "x", "CreationDate": when})
    assert wire == {"Id": "x", "CreationDate": when.timestamp()}
    back = from_wire("UserPoolDescriptionType", wire)
    assert back["CreationDate"] == when and back["CreationDate"].tzinfo is not None


def test_naive_datetimes_are_utc() -> None:
    wire = to_wire("UserPoolDescriptionType", {"CreationDate": datetime(1970, 1, 1, 0, 1)})
    assert wire["CreationDate"] == 60.0


def test_blobs_become_base64_and_back() -> None:
    wire = to_wire("SetUICustomizationRequest", {"ImageFile": b"\x89PNG"})
    assert wire["ImageFile"] == "iVBORw=="
    assert from_wire("SetUICustomizationRequest", wire)["ImageFile"] == b"\x89PNG"


def test_shapes_without_timestamps_or_blobs_pass_through_untouched() -> None:
    request = {"UserPoolId": "us-east-1_a", "Username": "bob"}
    assert to_wire("AdminGetUserRequest", request) is request


def test_nested_lists_are_converted() -> None:
    when = datetime(2026, 1, 2, tzinfo=timezone.utc)
    wire = {"UserPools": [{"Id": "a", "CreationDate": when.timestamp()}]}
    assert from_wire("ListUserPoolsResponse", wire)["UserPools"][0]["CreationDate"] == when
