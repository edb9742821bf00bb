"""Terms documents: one per client and name, links per language, updates, listing, deletion."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import ManualClock

LINKS = {
    "cognito:default": "https://example.com/terms",
    "cognito:spanish": "https://example.com/es",
}


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def app(client: Any, pool_id: str) -> str:
    made = client.create_user_pool_client(UserPoolId=pool_id, ClientName="web")
    return str(made["UserPoolClient"]["ClientId"])


def _create(
    client: Any, pool_id: str, app: str, name: str = "terms-of-use", **extra: Any
) -> dict[str, Any]:
    made = client.create_terms(
        UserPoolId=pool_id, ClientId=app, TermsName=name, TermsSource="LINK",
        Enforcement="NONE", **{"Links": LINKS, **extra},
    )  # fmt: skip
    terms: dict[str, Any] = made["Terms"]
    return terms


def test_create_describe_by_id_and_client(client: Any, pool_id: str, app: str) -> None:
    terms = _create(client, pool_id, app)
    assert terms["Links"] == LINKS and terms["ClientId"] == app
    assert client.describe_terms(UserPoolId=pool_id, TermsId=terms["TermsId"])["Terms"] == terms
    by_client = client.describe_terms_by_client(
        UserPoolId=pool_id, ClientId=app, TermsName="terms-of-use"
    )
    assert by_client["Terms"] == terms
    with pytest.raises(ClientError) as excinfo:
        client.describe_terms_by_client(
            UserPoolId=pool_id, ClientId=app, TermsName="privacy-policy"
        )
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        f"Terms privacy-policy do not exist for app client {app}.",
    )


def test_one_document_per_client_and_name(client: Any, pool_id: str, app: str) -> None:
    _create(client, pool_id, app)
    with pytest.raises(ClientError) as excinfo:
        _create(client, pool_id, app)
    assert _error(excinfo) == (
        "TermsExistsException",
        f"Terms with name terms-of-use already exist for app client {app}.",
    )
    privacy = _create(client, pool_id, app, "privacy-policy")
    # Renaming onto an existing name is refused too, and changes nothing.
    with pytest.raises(ClientError) as excinfo:
        client.update_terms(
            UserPoolId=pool_id, TermsId=privacy["TermsId"], TermsName="terms-of-use"
        )
    assert _error(excinfo)[0] == "TermsExistsException"
    got = client.describe_terms(UserPoolId=pool_id, TermsId=privacy["TermsId"])["Terms"]
    assert got["TermsName"] == "privacy-policy"


def test_update_keeps_what_it_does_not_name(
    client: Any, pool_id: str, app: str, clock: ManualClock
) -> None:
    terms = _create(client, pool_id, app)
    clock.advance(30)
    new_links = {"cognito:default": "https://example.com/v2"}
    updated = client.update_terms(UserPoolId=pool_id, TermsId=terms["TermsId"], Links=new_links)[
        "Terms"
    ]
    assert updated["Links"] == new_links and updated["TermsName"] == "terms-of-use"
    assert updated["CreationDate"] == terms["CreationDate"]
    assert updated["LastModifiedDate"] > terms["LastModifiedDate"]


@pytest.mark.parametrize(
    ("links", "message"),
    [
        (
            {"cognito:english": "ftp://example.com/terms"},
            "Invalid URL for cognito:english: links must be HTTPS URLs.",
        ),
        (
            {"cognito:default": "http://example.com"},
            "Invalid URL for cognito:default: links must be HTTPS URLs.",
        ),
    ],
)
def test_links_are_checked(
    client: Any, pool_id: str, app: str, links: dict[str, str], message: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        _create(client, pool_id, app, Links=links)
    assert _error(excinfo) == ("InvalidParameterException", message)
    assert client.list_terms(UserPoolId=pool_id)["Terms"] == []


def test_link_languages_are_the_model_s(client: Any, pool_id: str, app: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        _create(client, pool_id, app, Links={"english": "https://example.com"})
    code, message = _error(excinfo)
    assert code == "InvalidParameterException"
    assert message.startswith("1 validation error detected: Value 'english' at 'links.english'")


def test_links_are_required(client: Any, pool_id: str, app: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_terms(
            UserPoolId=pool_id,
            ClientId=app,
            TermsName="terms-of-use",
            TermsSource="LINK",
            Enforcement="NONE",
        )
    assert _error(excinfo) == (
        "InvalidParameterException",
        "Links must contain at least one link when TermsSource is LINK.",
    )


def test_list_pages_and_delete(client: Any, pool_id: str, app: str, clock: ManualClock) -> None:
    first = _create(client, pool_id, app)
    clock.advance(1)
    second = _create(client, pool_id, app, "privacy-policy")
    page = client.list_terms(UserPoolId=pool_id, MaxResults=1)
    assert [t["TermsId"] for t in page["Terms"]] == [first["TermsId"]]
    rest = client.list_terms(UserPoolId=pool_id, MaxResults=1, NextToken=page["NextToken"])
    assert [t["TermsId"] for t in rest["Terms"]] == [second["TermsId"]]
    assert set(rest["Terms"][0]) == {
        "TermsId",
        "TermsName",
        "Enforcement",
        "CreationDate",
        "LastModifiedDate",
    }
    client.delete_terms(UserPoolId=pool_id, TermsId=first["TermsId"])
    with pytest.raises(ClientError) as excinfo:
        client.delete_terms(UserPoolId=pool_id, TermsId=first["TermsId"])
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        f"Terms {first['TermsId']} does not exist.",
    )
    assert [t["TermsId"] for t in client.list_terms(UserPoolId=pool_id)["Terms"]] == [
        second["TermsId"]
    ]


def test_unknown_client(client: Any, pool_id: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        _create(client, pool_id, "nosuchclient")
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
    )
