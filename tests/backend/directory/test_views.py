"""Checked views (directory/views.py): a listing, GetUser or AdminGetUser re-checks only users
whose state changed, shows every change at once, never shares objects with callers or between
pools, and a view that breaks the model still fails the call."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cognito_mock import CognitoMock
from cognito_mock.backend.directory.users import user_type
from cognito_mock.backend.directory.views import MAX_PROOFS, checked_attributes, checked_views
from cognito_mock.errors import ContractViolation
from cognito_mock.transports import fragments
from cognito_mock.transports.wire import encode_result
from cognito_mock.validation.compiled import ENCODED_ONLY, CheckedList, Proof, compiled
from tests.helpers import ALL_FLOWS, PASSWORD, add_client, record


def create(call: Any, pool_id: str, username: str, **attrs: str) -> None:
    call(
        "AdminCreateUser", UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS",
        UserAttributes=[{"Name": k, "Value": v} for k, v in attrs.items()],
    )  # fmt: skip


def listed(client: Any, pool_id: str) -> dict[str, dict[str, Any]]:
    """ListUsers' first page through boto3, by username."""
    return {u["Username"]: u for u in client.list_users(UserPoolId=pool_id)["Users"]}


def attrs(user: dict[str, Any]) -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user["Attributes"]}


@pytest.fixture
def two(mock: CognitoMock, client: Any, pool_id: str) -> str:
    create(mock.call, pool_id, "ann", email="ann@example.com", name="Ann")
    create(mock.call, pool_id, "bob", email="bob@example.com", name="Bob")
    listed(client, pool_id)  # both views checked and proven
    assert set(mock.backend().pools[pool_id].users.checked) == {0, 1}
    return pool_id


def test_a_proven_page_is_a_checked_list_the_response_check_accepts(
    mock: CognitoMock, two: str
) -> None:
    users = mock.backend().pools[two].users
    page = checked_views(users, list(users))
    assert type(page) is CheckedList and page.shape == "UserType"
    assert compiled("ListUsersResponse", True)({"Users": page})
    # Fresh objects on every page: nothing a caller holds is reused.
    again = checked_views(users, list(users))
    assert again == page and again[0] is not page[0]
    assert again[0]["Attributes"] is not page[0]["Attributes"]


def test_an_attribute_update_shows_on_the_next_page(client: Any, two: str) -> None:
    client.admin_update_user_attributes(
        UserPoolId=two, Username="ann", UserAttributes=[{"Name": "name", "Value": "Annie"}]
    )
    page = listed(client, two)
    assert attrs(page["ann"])["name"] == "Annie" and attrs(page["bob"])["name"] == "Bob"
    client.admin_delete_user_attributes(UserPoolId=two, Username="ann", UserAttributeNames=["name"])
    assert "name" not in attrs(listed(client, two)["ann"])


def test_enable_disable_and_status_show_on_the_next_page(
    client: Any, mock: CognitoMock, two: str
) -> None:
    client.admin_disable_user(UserPoolId=two, Username="bob")
    assert listed(client, two)["bob"]["Enabled"] is False
    client.admin_enable_user(UserPoolId=two, Username="bob")
    assert listed(client, two)["bob"]["Enabled"] is True
    before = listed(client, two)["ann"]
    assert before["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    mock.clock.advance(60)
    client.admin_set_user_password(
        UserPoolId=two, Username="ann", Password=PASSWORD, Permanent=True
    )
    after = listed(client, two)["ann"]
    assert after["UserStatus"] == "CONFIRMED"
    assert after["UserLastModifiedDate"] >= before["UserLastModifiedDate"]


def test_mfa_options_show_on_the_next_page(client: Any, two: str) -> None:
    client.admin_update_user_attributes(
        UserPoolId=two, Username="ann",
        UserAttributes=[{"Name": "phone_number", "Value": "+15555550100"}],
    )  # fmt: skip
    assert "MFAOptions" not in listed(client, two)["ann"]
    options = [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]
    client.admin_set_user_settings(UserPoolId=two, Username="ann", MFAOptions=options)
    assert listed(client, two)["ann"]["MFAOptions"] == options


def test_list_users_in_group_sees_the_same_changes(client: Any, two: str) -> None:
    client.create_group(UserPoolId=two, GroupName="g")
    client.admin_add_user_to_group(UserPoolId=two, Username="ann", GroupName="g")
    client.admin_update_user_attributes(
        UserPoolId=two, Username="ann", UserAttributes=[{"Name": "name", "Value": "Grouped"}]
    )
    members = client.list_users_in_group(UserPoolId=two, GroupName="g")["Users"]
    assert [attrs(u)["name"] for u in members] == ["Grouped"]
    assert attrs(listed(client, two)["ann"])["name"] == "Grouped"


def test_a_write_that_forgets_to_touch_is_still_seen(
    client: Any, mock: CognitoMock, two: str
) -> None:
    """The proof holds only for the state it was made for, not until the next touch()."""
    user = record(mock, two, "ann")
    user.attributes["name"] = "Changed behind its back"  # no touch()
    assert attrs(listed(client, two)["ann"])["name"] == "Changed behind its back"


def test_a_view_breaking_the_model_fails_the_call_even_after_it_was_proven(
    client: Any, mock: CognitoMock, two: str
) -> None:
    user = record(mock, two, "bob")
    user.status = "NOT_A_STATUS"  # a corrupt record, changed without touch()
    with pytest.raises(ContractViolation, match="ListUsers"):
        mock.call("ListUsers", UserPoolId=two)
    mock.call("CreateGroup", UserPoolId=two, GroupName="g")
    mock.call("AdminAddUserToGroup", UserPoolId=two, Username="ann", GroupName="g")
    mock.call("ListUsersInGroup", UserPoolId=two, GroupName="g")  # ann alone: fine
    mock.call("AdminAddUserToGroup", UserPoolId=two, Username="bob", GroupName="g")
    with pytest.raises(ContractViolation, match="ListUsersInGroup"):
        mock.call("ListUsersInGroup", UserPoolId=two, GroupName="g")
    # The corrupt state was never proven (bob's proof, if kept, is of his state before).
    proof = mock.backend().pools[two].users.checked.get(1)
    assert proof is None or "NOT_A_STATUS" not in proof.state


def test_with_validation_off_a_bad_view_is_answered_whole(mock: CognitoMock, two: str) -> None:
    record(mock, two, "ann").status = "NOT_A_STATUS"
    mock.validate = False
    users = mock.call("ListUsers", UserPoolId=two)["Users"]
    assert [(u["Username"], u["UserStatus"]) for u in users] == [
        ("ann", "NOT_A_STATUS"),
        ("bob", "FORCE_CHANGE_PASSWORD"),
    ]


def test_a_caller_mutating_a_response_cannot_change_the_next_one(
    mock: CognitoMock, two: str
) -> None:
    first = mock.call("ListUsers", UserPoolId=two)["Users"]
    first[0]["Attributes"][0]["Value"] = "forged"
    first[0]["Attributes"].append({"Name": "bogus", "Value": "x"})
    first[0]["Enabled"] = "yes"
    again = mock.call("ListUsers", UserPoolId=two)["Users"]
    assert again[0]["Enabled"] is True
    assert {a["Name"] for a in again[0]["Attributes"]} == {"sub", "email", "name"}
    assert "forged" not in {a["Value"] for a in again[0]["Attributes"]}


def test_views_never_cross_pools_or_mocks(mock: CognitoMock, client: Any, pool_id: str) -> None:
    other_pool = mock.call("CreateUserPool", PoolName="other")["UserPool"]["Id"]
    other_mock = CognitoMock(seed=1234)
    third_pool = other_mock.call("CreateUserPool", PoolName="p")["UserPool"]["Id"]
    # The same username at the same creation order (seq 0) in three places.
    create(mock.call, pool_id, "ann", name="first")
    create(mock.call, other_pool, "ann", name="second")
    create(other_mock.call, third_pool, "ann", name="third")
    for _ in range(2):  # the second round answers from proofs
        assert attrs(listed(client, pool_id)["ann"])["name"] == "first"
        assert attrs(listed(client, other_pool)["ann"])["name"] == "second"
        third = other_mock.call("ListUsers", UserPoolId=third_pool)["Users"]
        assert attrs(third[0])["name"] == "third"


def test_the_shortcut_needs_the_right_shape_and_a_response() -> None:
    bad = [{"GroupName": 1}]  # not a UserType, nor a GroupType
    assert not compiled("UsersListType", True)(CheckedList("GroupType", bad))
    assert compiled("UsersListType", True)(CheckedList("UserType", []))
    # Requests never trust it: a request's list is checked item by item.
    entries = CheckedList("AttributeType", [{"Name": 5}])
    assert not compiled("AttributeListType", False)(entries)


def test_proofs_are_bounded_and_dropped_by_touch(mock: CognitoMock, pool_id: str) -> None:
    users = mock.backend().pools[pool_id].users
    validate, mock.validate = mock.validate, False  # a quick fill
    for i in range(MAX_PROOFS + 5):
        create(mock.call, pool_id, f"u{i}")
    mock.validate = validate
    checked_views(users, list(users))
    assert len(users.checked) == MAX_PROOFS
    user = next(iter(users))
    checked_views(users, [user])
    users.touch(user)
    assert user.seq not in users.checked
    users.touch()
    assert users.checked == {}


def test_reused_json_is_byte_for_byte_what_encoding_gives(mock: CognitoMock, two: str) -> None:
    """transports/fragments.py splices the JSON kept on proofs: the same bytes, token included."""
    target = "AWSCognitoIdentityProviderService.ListUsers"
    body = json.dumps({"UserPoolId": two, "Limit": 1}).encode()
    first = mock.handle_wire(target, body, "us-east-1").body
    users = mock.backend().pools[two].users
    assert users.checked[0].wire is not None  # ann's JSON kept
    again = mock.handle_wire(target, body, "us-east-1").body
    plain = {"Users": [user_type(record(mock, two, "ann"))], **{
        k: v for k, v in json.loads(again).items() if k != "Users"
    }}  # fmt: skip
    assert "PaginationToken" in plain
    assert json.loads(again) == json.loads(first) == json.loads(encode_result(plain, "x").body)
    assert again.startswith(b'{"Users":[{"Username":"ann",') and again.count(b'"Username"') == 1
    # A change makes new JSON: the old bytes are never served for the new state.
    mock.call("AdminDisableUser", UserPoolId=two, Username="ann")
    assert b'"Enabled":false' in mock.handle_wire(target, body, "us-east-1").body


def test_an_encoded_only_page_stands_proofs_with_kept_json_in_for_views(
    mock: CognitoMock, two: str
) -> None:
    """For an answer only the wire encoder reads, a user whose proof (of an equal state) already
    holds the view's JSON is not built again; everywhere else pages are fresh views."""
    target = "AWSCognitoIdentityProviderService.ListUsers"
    body = json.dumps({"UserPoolId": two}).encode()
    mock.handle_wire(target, body, "us-east-1")  # both users' JSON kept on their proofs
    users = mock.backend().pools[two].users
    mark = ENCODED_ONLY.set(True)
    try:
        page = checked_views(users, list(users))
    finally:
        ENCODED_ONLY.reset(mark)
    assert type(page) is CheckedList and all(type(item) is Proof for item in page)
    assert page.proofs == list(page)
    assert compiled("ListUsersResponse", True)({"Users": page})
    # Outside an encoded-only answer (mock.call, or another thread's call) views are fresh dicts.
    assert all(type(item) is dict for item in checked_views(users, list(users)))
    assert all(type(u) is dict for u in mock.call("ListUsers", UserPoolId=two)["Users"])
    # A changed user gets a fresh view (its proof's state differs), the other keeps its proof.
    record(mock, two, "bob").status = "RESET_REQUIRED"  # behind the mock's back: no touch()
    mark = ENCODED_ONLY.set(True)
    try:
        page = checked_views(users, list(users))
    finally:
        ENCODED_ONLY.reset(mark)
    assert type(page[0]) is Proof and page[1]["UserStatus"] == "RESET_REQUIRED"
    assert (
        json.loads(mock.handle_wire(target, body, "us-east-1").body)["Users"][1]["UserStatus"]
        == "RESET_REQUIRED"
    )


def test_over_the_wire_a_view_breaking_the_model_still_fails_after_its_json_was_kept(
    mock: CognitoMock, two: str
) -> None:
    target = "AWSCognitoIdentityProviderService.ListUsers"
    body = json.dumps({"UserPoolId": two}).encode()
    mock.handle_wire(target, body, "us-east-1")
    mock.handle_wire(target, body, "us-east-1")  # answered from kept JSON
    record(mock, two, "bob").status = "NOT_A_STATUS"
    with pytest.raises(ContractViolation, match="ListUsers"):
        mock.handle_wire(target, body, "us-east-1")
    assert ENCODED_ONLY.get() is False  # reset on the way out, error or not


def test_the_encoders_fallback_writes_the_json_a_stand_in_proof_kept(
    mock: CognitoMock, two: str
) -> None:
    """Were a maker to put Users after another member, the encoder could not splice: it decodes
    each stand-in proof's JSON back and encodes the whole answer, with the same bytes."""
    target = "AWSCognitoIdentityProviderService.ListUsers"
    mock.handle_wire(target, json.dumps({"UserPoolId": two}).encode(), "us-east-1")
    users = mock.backend().pools[two].users
    ann = record(mock, two, "ann")
    proof = users.checked[ann.seq]
    stand_in = CheckedList("UserType", [proof], [proof])
    answer = fragments.encode_result({"PaginationToken": "t", "Users": stand_in}, "rid").body
    plain = encode_result({"PaginationToken": "t", "Users": [user_type(ann)]}, "rid").body
    assert answer == plain


# -- attribute lists (GetUser, AdminGetUser) ---------------------------------------------------


def _signed_in(mock: CognitoMock, client: Any, pool_id: str, name: str) -> str:
    app = add_client(client, pool_id, ExplicitAuthFlows=ALL_FLOWS)
    mock.call("AdminSetUserPassword", UserPoolId=pool_id, Username=name, Password=PASSWORD,
              Permanent=True)  # fmt: skip
    return str(
        client.initiate_auth(
            ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]["AccessToken"]
    )  # fmt: skip


def test_attribute_lists_are_proven_once_per_state_and_show_every_change(
    mock: CognitoMock, client: Any, two: str
) -> None:
    users = mock.backend().pools[two].users
    token = _signed_in(mock, client, two, "ann")
    answer = mock.call("AdminGetUser", UserPoolId=two, Username="ann")
    assert type(answer["UserAttributes"]) is CheckedList
    assert users.attributes_checked[0].state == (record(mock, two, "ann")._shape,
                                           record(mock, two, "ann")._packed)  # fmt: skip
    assert type(mock.call("GetUser", AccessToken=token)["UserAttributes"]) is CheckedList
    client.update_user_attributes(
        AccessToken=token, UserAttributes=[{"Name": "name", "Value": "Annie"}]
    )
    assert 0 not in users.attributes_checked  # touch() dropped the proof
    got = client.get_user(AccessToken=token)["UserAttributes"]
    assert {a["Name"]: a["Value"] for a in got}["name"] == "Annie"
    record(mock, two, "ann").attributes["name"] = "Behind its back"  # no touch()
    got = client.admin_get_user(UserPoolId=two, Username="ann")["UserAttributes"]
    assert {a["Name"]: a["Value"] for a in got}["name"] == "Behind its back"


def test_an_attribute_breaking_the_model_fails_get_user_even_after_it_was_proven(
    mock: CognitoMock, client: Any, two: str
) -> None:
    token = _signed_in(mock, client, two, "ann")
    mock.call("GetUser", AccessToken=token)  # proven
    record(mock, two, "ann").attributes["name"] = "x" * 2049  # over AttributeValueType's 2,048
    with pytest.raises(ContractViolation, match="GetUser"):
        mock.call("GetUser", AccessToken=token)
    with pytest.raises(ContractViolation, match="AdminGetUser"):
        mock.call("AdminGetUser", UserPoolId=two, Username="ann")
    # The corrupt state was never proven (ann's proof, if kept, is of her state before).
    kept = mock.backend().pools[two].users.attributes_checked.get(0)
    assert kept is None or "x" * 2049 not in kept.state[1]


def test_attribute_proofs_are_bounded_and_dropped_by_touch(mock: CognitoMock, pool_id: str) -> None:
    users = mock.backend().pools[pool_id].users
    validate, mock.validate = mock.validate, False  # a quick fill
    for i in range(MAX_PROOFS + 5):
        create(mock.call, pool_id, f"u{i}", name="n")
    mock.validate = validate
    for i in range(MAX_PROOFS + 5):
        mock.call("AdminGetUser", UserPoolId=pool_id, Username=f"u{i}")
    assert len(users.attributes_checked) == MAX_PROOFS
    users.touch()
    assert users.attributes_checked == {}


def test_attribute_list_json_is_reused_byte_for_byte(
    mock: CognitoMock, client: Any, two: str
) -> None:
    target = "AWSCognitoIdentityProviderService.AdminGetUser"
    body = json.dumps({"UserPoolId": two, "Username": "ann"}).encode()

    def plain() -> bytes:
        answer = mock.call("AdminGetUser", UserPoolId=two, Username="ann")
        return encode_result(client_form(answer), "x").body

    first = mock.handle_wire(target, body, "us-east-1").body
    proof = mock.backend().pools[two].users.attributes_checked[0]
    assert proof.wire is not None and proof.wire in first  # the whole list's JSON, kept
    again = mock.handle_wire(target, body, "us-east-1").body
    assert again == first == plain()
    client.admin_update_user_attributes(
        UserPoolId=two, Username="ann", UserAttributes=[{"Name": "name", "Value": 'A "quoted" é'}]
    )
    changed = mock.handle_wire(target, body, "us-east-1").body
    assert changed == plain() and '"A \\"quoted\\" é"'.encode() in changed
    # A client reading some attributes gets a subset: encoded as usual, never the kept list.
    app = add_client(client, two, ExplicitAuthFlows=ALL_FLOWS, ReadAttributes=["email"])
    mock.call("AdminSetUserPassword", UserPoolId=two, Username="ann", Password=PASSWORD,
              Permanent=True)  # fmt: skip
    token = client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["AccessToken"]  # fmt: skip
    got = json.loads(
        mock.handle_wire(
            "AWSCognitoIdentityProviderService.GetUser",
            json.dumps({"AccessToken": token}).encode(),
            "us-east-1",
        ).body
    )
    assert {a["Name"] for a in got["UserAttributes"]} == {"sub", "email"}


def client_form(answer: dict[str, Any]) -> dict[str, Any]:
    """`mock.call`'s answer back in wire form (datetimes as epoch seconds)."""
    return {k: v.timestamp() if hasattr(v, "timestamp") else v for k, v in answer.items()}


def test_an_encoded_only_get_user_answers_the_kept_list_without_building_it(
    mock: CognitoMock, client: Any, two: str
) -> None:
    """Over the wire, GetUser for a client reading every attribute splices the whole list's kept
    JSON without building its items; a change shows on the next call; `mock.call` and a client
    reading a subset always get real items."""
    token = _signed_in(mock, client, two, "ann")
    target = "AWSCognitoIdentityProviderService.GetUser"
    body = json.dumps({"AccessToken": token}).encode()

    def plain() -> bytes:
        return encode_result(mock.call("GetUser", AccessToken=token), "x").body

    first = mock.handle_wire(target, body, "us-east-1").body  # builds the list, keeps its JSON
    users = mock.backend().pools[two].users
    ann = record(mock, two, "ann")
    mark = ENCODED_ONLY.set(True)
    try:
        stand_in = checked_attributes(users, ann, None)
    finally:
        ENCODED_ONLY.reset(mark)
    assert type(stand_in) is CheckedList and stand_in == [] and stand_in.whole is not None
    assert compiled("GetUserResponse", True)({"Username": "ann", "UserAttributes": stand_in})
    assert (
        checked_attributes(users, ann, None)
        == mock.call("GetUser", AccessToken=token)["UserAttributes"]
    )  # outside an encoded-only answer: the real items
    again = mock.handle_wire(target, body, "us-east-1").body
    assert again == first == plain()
    ann.attributes["name"] = "Changed behind its back"  # no touch(): the state differs anyway
    changed = mock.handle_wire(target, body, "us-east-1").body
    assert changed == plain() and b"Changed behind its back" in changed


def test_a_trigger_calling_the_mock_inside_a_wire_request_gets_real_items(
    mock: CognitoMock, client: Any, two: str
) -> None:
    """Stand-ins are for the outer answer's encoder only: a Lambda trigger that calls `mock.call`
    while a boto3 sign-in runs gets ListUsers views and GetUser attributes as dicts."""
    token = _signed_in(mock, client, two, "ann")
    app = add_client(client, two, ExplicitAuthFlows=ALL_FLOWS)
    client.list_users(UserPoolId=two)
    client.get_user(AccessToken=token)  # both lists' JSON kept on their proofs
    seen: list[Any] = []

    @mock.triggers.on("PostAuthentication")
    def post_authentication(event: dict[str, Any]) -> dict[str, Any]:
        seen.append(mock.call("ListUsers", UserPoolId=two)["Users"])
        seen.append(mock.call("GetUser", AccessToken=token)["UserAttributes"])
        return event

    arn = "arn:aws:lambda:us-east-1:123456789012:function:post-authentication"
    client.update_user_pool(UserPoolId=two, LambdaConfig={"PostAuthentication": arn})
    client.initiate_auth(
        ClientId=app, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": PASSWORD},
    )  # fmt: skip
    users, attributes = seen
    assert [u["Username"] for u in users] == ["ann", "bob"]
    assert all(type(u) is dict for u in users)
    assert attributes and all(type(a) is dict and "Name" in a for a in attributes)
    assert ENCODED_ONLY.get() is False
