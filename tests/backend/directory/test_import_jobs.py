"""CSV user import: header, job lifecycle, the import (RESET_REQUIRED users), per-row failures."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from cognito_mock import CognitoMock, ManualClock

ROLE = "arn:aws:iam::123456789012:role/CognitoImport"


def _error(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def _job(client: Any, pool_id: str, name: str = "batch") -> dict[str, Any]:
    made = client.create_user_import_job(
        JobName=name, UserPoolId=pool_id, CloudWatchLogsRoleArn=ROLE
    )
    job: dict[str, Any] = made["UserImportJob"]
    return job


def _csv(header: list[str], *rows: dict[str, str]) -> str:
    lines = [",".join(header)]
    lines += [",".join(row.get(name, "") for name in header) for row in rows]
    return "\n".join(lines) + "\n"


def test_csv_header_follows_the_schema(client: Any) -> None:
    pool_id = client.create_user_pool(
        PoolName="p", Schema=[{"Name": "team", "AttributeDataType": "String"}]
    )["UserPool"]["Id"]
    got = client.get_csv_header(UserPoolId=pool_id)
    assert got["UserPoolId"] == pool_id
    header = got["CSVHeader"]
    assert header[:3] == ["name", "given_name", "family_name"]
    assert "sub" not in header
    assert header[-3:] == ["custom:team", "cognito:mfa_enabled", "cognito:username"]
    assert header.index("email_verified") == header.index("email") + 1


def test_job_lifecycle_imports_reset_required_users(
    mock: CognitoMock, client: Any, pool_id: str, clock: ManualClock
) -> None:
    job = _job(client, pool_id)
    assert job["Status"] == "Created"
    assert job["JobId"].startswith("import-")
    assert job["PreSignedUrl"].startswith("https://")
    assert job["ImportedUsers"] == job["FailedUsers"] == job["SkippedUsers"] == 0
    header = client.get_csv_header(UserPoolId=pool_id)["CSVHeader"]
    text = _csv(
        header,
        {"cognito:username": "ann", "email": "ann@example.com", "email_verified": "true",
         "cognito:mfa_enabled": "false", "given_name": "Ann"},
        {"cognito:username": "bob", "phone_number": "+15555550100", "phone_number_verified": "true",
         "cognito:mfa_enabled": "true"},
    )  # fmt: skip
    mock.upload_import_csv(job["PreSignedUrl"], text)  # by URL, as a PUT would
    clock.advance(5)
    started = client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] == "Succeeded"
    assert started["ImportedUsers"] == 2 and started["FailedUsers"] == 0
    assert started["StartDate"] > started["CreationDate"]
    assert started["CompletionMessage"] == "Import_job_completed"
    ann = client.admin_get_user(UserPoolId=pool_id, Username="ann")
    assert ann["UserStatus"] == "RESET_REQUIRED"
    attributes = {a["Name"]: a["Value"] for a in ann["UserAttributes"]}
    assert attributes["email"] == "ann@example.com" and attributes["given_name"] == "Ann"
    # Imported users have no password: signing in asks for a reset.
    app = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="a", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    with pytest.raises(ClientError) as excinfo:
        client.admin_initiate_auth(
            UserPoolId=pool_id, ClientId=app, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "ann", "PASSWORD": "Whatever1!"},
        )  # fmt: skip
    assert _error(excinfo) == (
        "PasswordResetRequiredException",
        "Password reset required for the user",
    )
    described = client.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert described["UserImportJob"] == started
    # A finished job neither starts again nor stops.
    with pytest.raises(ClientError) as excinfo:
        client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert _error(excinfo) == (
        "InvalidParameterException",
        f"Import job {job['JobId']} is Succeeded; only a job in Created status can start.",
    )
    with pytest.raises(ClientError) as excinfo:
        client.stop_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert _error(excinfo) == (
        "InvalidParameterException",
        f"Import job {job['JobId']} is Succeeded; only a Pending or InProgress job can stop.",
    )


def test_rows_that_break_rules_fail_alone(mock: CognitoMock, client: Any, pool_id: str) -> None:
    client.admin_create_user(UserPoolId=pool_id, Username="taken", MessageAction="SUPPRESS")
    job = _job(client, pool_id)
    header = ["cognito:username", "cognito:mfa_enabled", "email", "email_verified", "phone_number"]
    ok = {"cognito:mfa_enabled": "false", "email": "x@example.com", "email_verified": "true"}
    text = _csv(
        header,
        {**ok, "cognito:username": "good"},
        {**ok, "cognito:username": "taken"},  # exists
        {**ok, "cognito:username": "unverified", "email_verified": "false"},
        {**ok, "cognito:username": "bademail", "email": "not-an-email"},
        {**ok, "cognito:username": "mfa", "cognito:mfa_enabled": "true"},  # no phone
        {**ok, "cognito:username": ""},
    )
    mock.upload_import_csv(job["JobId"], text)
    done = client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert (done["Status"], done["ImportedUsers"], done["FailedUsers"]) == ("Succeeded", 1, 5)
    users = {u["Username"] for u in client.list_users(UserPoolId=pool_id)["Users"]}
    assert users == {"taken", "good"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "CSV_file_is_empty"),
        ("cognito:username,email\nann,a@example.com\n",
         "CSV_header_must_include_cognito_username_and_cognito_mfa_enabled"),
        ("cognito:username,cognito:mfa_enabled,shoe_size\nann,false,9\n",
         "CSV_header_has_unknown_or_repeated_columns"),
    ],
)  # fmt: skip
def test_unusable_files_fail_the_job(
    mock: CognitoMock, client: Any, pool_id: str, text: str, message: str
) -> None:
    job = _job(client, pool_id)
    mock.upload_import_csv(job["JobId"], text)
    done = client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"]
    assert (done["Status"], done["CompletionMessage"], done["ImportedUsers"]) == (
        "Failed",
        message,
        0,
    )
    assert client.list_users(UserPoolId=pool_id)["Users"] == []


def test_start_needs_an_upload_and_jobs_expire(
    mock: CognitoMock, client: Any, pool_id: str, clock: ManualClock
) -> None:
    job = _job(client, pool_id)
    with pytest.raises(ClientError) as excinfo:
        client.start_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert _error(excinfo) == (
        "PreconditionNotMetException",
        f"No CSV file has been uploaded to the pre-signed URL of import job {job['JobId']}.",
    )
    assert (
        client.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])["UserImportJob"][
            "Status"
        ]
        == "Created"
    )
    clock.advance(24 * 3600)
    described = client.describe_user_import_job(UserPoolId=pool_id, JobId=job["JobId"])
    assert described["UserImportJob"]["Status"] == "Expired"
    with pytest.raises(ValueError, match="uploads closed"):
        mock.upload_import_csv(job["JobId"], "cognito:username\n")
    with pytest.raises(LookupError, match="no import job 'import-nothing'"):
        mock.upload_import_csv("import-nothing", "x")


def test_list_pages_and_unknown_job(client: Any, pool_id: str, clock: ManualClock) -> None:
    assert "UserImportJobs" not in client.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)
    ids = []
    for n in range(3):
        ids.append(_job(client, pool_id, f"job {n}")["JobId"])
        clock.advance(1)
    first = client.list_user_import_jobs(UserPoolId=pool_id, MaxResults=2)
    assert [j["JobId"] for j in first["UserImportJobs"]] == ids[:2]
    second = client.list_user_import_jobs(
        UserPoolId=pool_id, MaxResults=2, PaginationToken=first["PaginationToken"]
    )
    assert [j["JobId"] for j in second["UserImportJobs"]] == ids[2:]
    assert "PaginationToken" not in second
    with pytest.raises(ClientError) as excinfo:
        client.describe_user_import_job(UserPoolId=pool_id, JobId="import-missing")
    assert _error(excinfo) == (
        "ResourceNotFoundException",
        "Import job import-missing does not exist.",
    )


def test_role_must_be_an_iam_role(client: Any, pool_id: str) -> None:
    arn = "arn:aws:s3:us-east-1:123456789012:bucket/x"
    with pytest.raises(ClientError) as excinfo:
        client.create_user_import_job(JobName="j", UserPoolId=pool_id, CloudWatchLogsRoleArn=arn)
    assert _error(excinfo) == (
        "InvalidParameterException",
        f"CloudWatchLogsRoleArn {arn} is not an IAM role ARN.",
    )
    assert "UserImportJobs" not in client.list_user_import_jobs(UserPoolId=pool_id, MaxResults=10)
