"""CSV user import: GetCSVHeader, the job lifecycle (Create/Describe/List/Start/Stop) and the
import itself (the CSV arrives through `upload_csv`, the mock's stand-in for the pre-signed URL)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from cognito_mock.backend.directory.users import create_user
from cognito_mock.backend.kernel.attributes import VERIFIED_FLAG, check_attributes
from cognito_mock.backend.kernel.paging import page_after
from cognito_mock.backend.kernel.records import UserPool
from cognito_mock.backend.kernel.registry import operation
from cognito_mock.backend.kernel.state import Backend
from cognito_mock.errors import (
    InvalidParameterException,
    PreconditionNotMetException,
    ResourceNotFoundException,
    ServiceError,
)

__all__ = ["ImportJob", "csv_header", "upload_csv"]

USERNAME = "cognito:username"
MFA_ENABLED = "cognito:mfa_enabled"
EXPIRY = 24 * 3600.0  # a job not started within a day expires with its upload slot
MAX_PAGE = 50  # UserImportJobsListType holds at most 50 jobs
_ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class ImportJob:
    job_id: str
    name: str
    pool_id: str
    role_arn: str
    url: str
    created: float
    hashing: str | None = None
    status: str = "Created"
    started: float | None = None
    completed: float | None = None
    imported: int = 0
    skipped: int = 0
    failed: int = 0
    message: str | None = None
    csv_text: str | None = None
    # Per-row outcomes ("<line>: <username>: <reason>"): what the CloudWatch log would hold.
    failures: list[str] = field(default_factory=list)


def _jobs(pool: UserPool) -> dict[str, ImportJob]:
    return pool.import_jobs


def csv_header(pool: UserPool) -> list[str]:
    """Every attribute but `sub`, in schema order, then the two import-only columns."""
    return [a["Name"] for a in pool.schema if a["Name"] != "sub"] + [MFA_ENABLED, USERNAME]


def _expire(job: ImportJob, now: float) -> None:
    if job.status == "Created" and now - job.created >= EXPIRY:
        job.status = "Expired"
        job.csv_text = None


def _view(job: ImportJob) -> dict[str, Any]:
    view: dict[str, Any] = {
        "JobName": job.name,
        "JobId": job.job_id,
        "UserPoolId": job.pool_id,
        "PreSignedUrl": job.url,
        "CreationDate": job.created,
        "Status": job.status,
        "CloudWatchLogsRoleArn": job.role_arn,
        "ImportedUsers": job.imported,
        "SkippedUsers": job.skipped,
        "FailedUsers": job.failed,
    }
    if job.started is not None:
        view["StartDate"] = job.started
    if job.completed is not None:
        view["CompletionDate"] = job.completed
    if job.message:
        view["CompletionMessage"] = job.message
    if job.hashing:
        view["PasswordHashingAlgorithm"] = job.hashing
    return view


def _require_job(backend: Backend, pool: UserPool, job_id: str) -> ImportJob:
    job = _jobs(pool).get(job_id)
    if job is None:
        raise ResourceNotFoundException(f"Import job {job_id} does not exist.")
    _expire(job, backend.clock.now())
    return job


def upload_csv(backend: Backend, job_or_url: str, text: str) -> None:
    """Store the CSV for a job (named by JobId or by its PreSignedUrl), as an HTTP PUT would.

    Raises LookupError for an unknown job and ValueError once the job has left Created.
    """
    for pool in backend.pools.values():
        for job in _jobs(pool).values():
            if job_or_url in (job.job_id, job.url):
                _expire(job, backend.clock.now())
                if job.status != "Created":
                    raise ValueError(f"import job {job.job_id} is {job.status}: uploads closed")
                job.csv_text = text
                return
    raise LookupError(f"no import job {job_or_url!r} in {backend.account_id}/{backend.region}")


# ----------------------------------------------------------------------------- the import


def _check_header(pool: UserPool, header: list[str]) -> str | None:
    """The job-level CompletionMessage for a header the import cannot use, else None."""
    allowed = set(csv_header(pool))
    if any(name not in allowed for name in header) or len(set(header)) != len(header):
        return "CSV_header_has_unknown_or_repeated_columns"
    if USERNAME not in header or MFA_ENABLED not in header:
        return "CSV_header_must_include_cognito_username_and_cognito_mfa_enabled"
    return None


def _import_row(backend: Backend, pool: UserPool, row: dict[str, str]) -> None:
    """Create one user (RESET_REQUIRED); a ServiceError or ValueError marks the row failed."""
    username = (row.get(USERNAME) or "").strip()
    if not username:
        raise ValueError("cognito:username is empty")
    mfa = (row.get(MFA_ENABLED) or "false").strip().lower() or "false"
    if mfa not in ("true", "false"):
        raise ValueError("cognito:mfa_enabled must be true or false")
    given = [
        {"Name": k, "Value": v}
        for k, v in row.items()
        if k not in (USERNAME, MFA_ENABLED) and v not in (None, "")
    ]
    values = check_attributes(pool.schema, given, developer=True, creating=True)
    if mfa == "true" and not values.get("phone_number"):
        raise ValueError("cognito:mfa_enabled needs a phone_number")
    # Imported users have no password: they must reset it through a verified email or phone.
    if not any(values.get(a) and values.get(flag) == "true" for a, flag in VERIFIED_FLAG.items()):
        raise ValueError("email_verified or phone_number_verified must be true")
    create_user(
        backend, pool, username, values, status="RESET_REQUIRED",
        exists_message="User account already exists", now=backend.clock.now(),
    )  # fmt: skip


def _run(backend: Backend, pool: UserPool, job: ImportJob) -> None:
    text = job.csv_text or ""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    now = backend.clock.now()
    job.started = now
    job.completed = now
    if not rows:
        job.status, job.message = "Failed", "CSV_file_is_empty"
        return
    header = [name.strip() for name in rows[0]]
    problem = _check_header(pool, header)
    if problem:
        job.status, job.message = "Failed", problem
        return
    for line, cells in enumerate(rows[1:], start=2):
        row = dict(zip(header, cells, strict=False))
        try:
            if len(cells) != len(header):
                raise ValueError(f"expected {len(header)} columns, found {len(cells)}")
            _import_row(backend, pool, row)
        except (ServiceError, ValueError) as error:
            job.failed += 1
            reason = error.message if isinstance(error, ServiceError) else str(error)
            job.failures.append(f"{line}: {row.get(USERNAME, '')}: {reason}")
        else:
            job.imported += 1
    job.status, job.message = "Succeeded", "Import_job_completed"


# ----------------------------------------------------------------------------- handlers


@operation("GetCSVHeader")
def get_csv_header(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return {"UserPoolId": pool.id, "CSVHeader": csv_header(pool)}


@operation("CreateUserImportJob")
def create_user_import_job(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    role = request["CloudWatchLogsRoleArn"]
    parts = role.split(":")
    if len(parts) < 6 or parts[2] != "iam" or not parts[5].startswith("role/"):
        raise InvalidParameterException(f"CloudWatchLogsRoleArn {role} is not an IAM role ARN.")
    job_id = "import-" + backend.ids.choice_string(_ALNUM, 10)
    while job_id in _jobs(pool):
        job_id = "import-" + backend.ids.choice_string(_ALNUM, 10)
    signature = backend.ids.choice_string("0123456789abcdef", 64)
    url = (
        f"https://cognito-user-pool-import-jobs-{backend.region}.s3.{backend.region}.amazonaws.com/"
        f"{backend.account_id}/{pool.id}/{job_id}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Expires=86400&X-Amz-SignedHeaders=content-type%3Bx-amz-server-side-encryption"
        f"&X-Amz-Signature={signature}"
    )
    job = ImportJob(
        job_id=job_id, name=request["JobName"], pool_id=pool.id, role_arn=role, url=url,
        created=backend.clock.now(), hashing=request.get("PasswordHashingAlgorithm"),
    )  # fmt: skip
    _jobs(pool)[job_id] = job
    return {"UserImportJob": _view(job)}


@operation("DescribeUserImportJob")
def describe_user_import_job(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    return {"UserImportJob": _view(_require_job(backend, pool, request["JobId"]))}


@operation("ListUserImportJobs")
def list_user_import_jobs(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    now = backend.clock.now()
    jobs = sorted(_jobs(pool).values(), key=lambda j: (j.created, j.job_id))
    for job in jobs:
        _expire(job, now)
    keys = [[j.created, j.job_id] for j in jobs]
    limit = min(request["MaxResults"], MAX_PAGE)
    page, token = page_after(
        backend, "import_jobs", pool.id, keys, jobs, limit, request.get("PaginationToken")
    )
    result: dict[str, Any] = {}
    if page:  # the list shape holds at least one job: an empty answer leaves it out
        result["UserImportJobs"] = [_view(j) for j in page]
    if token:
        result["PaginationToken"] = token
    return result


@operation("StartUserImportJob")
def start_user_import_job(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    job = _require_job(backend, pool, request["JobId"])
    if job.status != "Created":
        raise InvalidParameterException(
            f"Import job {job.job_id} is {job.status}; only a job in Created status can start."
        )
    if job.csv_text is None:
        raise PreconditionNotMetException(
            f"No CSV file has been uploaded to the pre-signed URL of import job {job.job_id}."
        )
    # The mock imports at once: the job moves Pending -> InProgress -> Succeeded/Failed inside
    # this call, so the users exist when it returns.
    _run(backend, pool, job)
    job.csv_text = None
    return {"UserImportJob": _view(job)}


@operation("StopUserImportJob")
def stop_user_import_job(backend: Backend, request: dict[str, Any]) -> dict[str, Any]:
    pool = backend.pool(request["UserPoolId"])
    job = _require_job(backend, pool, request["JobId"])
    if job.status not in ("Pending", "InProgress"):
        raise InvalidParameterException(
            f"Import job {job.job_id} is {job.status}; only a Pending or InProgress job can stop."
        )
    job.status = "Stopped"
    job.completed = backend.clock.now()
    job.message = "Import_job_stopped"
    return {"UserImportJob": _view(job)}
