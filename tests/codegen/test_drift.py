"""`shapes/` is exactly what the codegen makes from the pinned botocore, and is internally sound."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import botocore
import jsonschema
import pytest

from cognito_mock.codegen import PINNED_BOTOCORE, generate

SHAPES = Path(__file__).resolve().parents[2] / "shapes"

# Fact sheet section 0 (/work/shared/reference/cognito-behaviour.md, from the botocore 1.43 model):
# the operations botocore sends unsigned (model `authtype: none`).
FACT_SHEET_UNSIGNED = frozenset(
    {
        "AssociateSoftwareToken",
        "ChangePassword",
        "CompleteWebAuthnRegistration",
        "ConfirmDevice",
        "ConfirmForgotPassword",
        "ConfirmSignUp",
        "DeleteUser",
        "DeleteUserAttributes",
        "DeleteWebAuthnCredential",
        "ForgetDevice",
        "ForgotPassword",
        "GetDevice",
        "GetTokensFromRefreshToken",
        "GetUser",
        "GetUserAttributeVerificationCode",
        "GetUserAuthFactors",
        "GlobalSignOut",
        "InitiateAuth",
        "ListDevices",
        "ListWebAuthnCredentials",
        "ResendConfirmationCode",
        "RespondToAuthChallenge",
        "RevokeToken",
        "SetUserMFAPreference",
        "SetUserSettings",
        "SignUp",
        "StartWebAuthnRegistration",
        "UpdateAuthEventFeedback",
        "UpdateDeviceStatus",
        "UpdateUserAttributes",
        "VerifySoftwareToken",
        "VerifyUserAttribute",
    }
)
# Added to the model after the fact sheet was written; both are `authtype: none` in botocore 1.44.8.
NEWER_UNSIGNED = frozenset({"ListUserSessions", "RevokeUserSession"})


def _load(name: str) -> Any:
    return json.loads((SHAPES / name).read_text("ascii"))


@pytest.fixture(scope="module")
def index() -> dict[str, Any]:
    data: dict[str, Any] = _load("index.json")
    return data


@pytest.fixture(scope="module")
def defs(index: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = _load(index["schema_file"])["$defs"]
    return data


def _require_pinned_botocore() -> None:
    if botocore.__version__ != PINNED_BOTOCORE:
        pytest.skip(
            f"shapes/ comes from botocore {PINNED_BOTOCORE}; {botocore.__version__} is installed"
        )


def test_regenerating_reproduces_shapes_byte_for_byte(index: dict[str, Any]) -> None:
    _require_pinned_botocore()
    if unicodedata.unidata_version != index["unicode_version"]:
        pytest.skip(
            f"shapes/ expands \\p{{..}} from Unicode {index['unicode_version']}; "
            f"this Python has Unicode {unicodedata.unidata_version}"
        )
    generated = generate()
    on_disk = sorted(p.name for p in SHAPES.iterdir())
    assert sorted(generated) == on_disk
    for name, text in generated.items():
        assert text.encode("ascii") == (SHAPES / name).read_bytes(), (
            f"shapes/{name} is stale: run `python -m cognito_mock.codegen`"
        )


def test_every_model_shape_has_a_schema(defs: dict[str, Any]) -> None:
    _require_pinned_botocore()
    import botocore.loaders

    model = botocore.loaders.Loader().load_service_model("cognito-idp", "service-2", "2016-04-18")
    assert sorted(defs) == sorted(model["shapes"])
    patterned = {n for n, s in model["shapes"].items() if "pattern" in s}
    assert {n for n, s in defs.items() if "pattern" in s} == patterned
    assert all(defs[n]["x-java-pattern"] == model["shapes"][n]["pattern"] for n in patterned)


def test_index_lists_the_pinned_model(index: dict[str, Any]) -> None:
    assert index["botocore_version"] == PINNED_BOTOCORE
    assert len(index["operations"]) == 153
    assert len(index["errors"]) == 60
    assert index["target_prefix"] == "AWSCognitoIdentityProviderService"
    assert index["json_version"] == "1.1"


def test_error_statuses(index: dict[str, Any]) -> None:
    errors = index["errors"]
    assert errors["TooManyRequestsException"] == {"status": 429, "fault": False}
    assert errors["ForbiddenException"]["status"] == 403
    assert errors["UnauthorizedException"]["status"] == 401
    assert errors["InternalErrorException"] == {"status": 500, "fault": True}
    assert errors["UserNotFoundException"] == {"status": 400, "fault": False}


def test_schema_document_is_valid_draft_2020_12(index: dict[str, Any]) -> None:
    document = _load(index["schema_file"])
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(document)
    for name, schema in document["$defs"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
        if "pattern" in schema:
            assert re.compile(schema["pattern"]), name


def test_check_schema_rejects_a_pattern_re_cannot_compile() -> None:
    # Proves the check above exercises the `regex` format checker, not just the metaschema's shape.
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.Draft202012Validator.check_schema({"type": "string", "pattern": r"\p{L}+"})


def test_operation_shapes_exist(index: dict[str, Any], defs: dict[str, Any]) -> None:
    for name, op in index["operations"].items():
        assert defs[op["input"]]["type"] == "object", name
        if op["output"] is not None:
            assert op["output"] in defs, name
        for error in op["errors"]:
            assert error in index["errors"], (name, error)
            assert defs[error].get("x-aws-exception") is True, (name, error)


def test_unsigned_operations(index: dict[str, Any]) -> None:
    unsigned = {name for name, op in index["operations"].items() if op["auth"] == "none"}
    assert len(FACT_SHEET_UNSIGNED) == 32
    assert unsigned == FACT_SHEET_UNSIGNED | NEWER_UNSIGNED
    assert {op["auth"] for op in index["operations"].values()} == {"none", "v4"}


@pytest.mark.parametrize(
    ("operation", "side", "path"),
    [
        ("SignUp", "sensitive_input", "Password"),
        ("SignUp", "sensitive_input", "UserAttributes[].Value"),
        ("AdminCreateUser", "sensitive_input", "UserAttributes[].Value"),
        ("AdminCreateUser", "sensitive_input", "TemporaryPassword"),
        ("ChangePassword", "sensitive_input", "ProposedPassword"),
        ("InitiateAuth", "sensitive_input", "AuthParameters"),
        ("InitiateAuth", "sensitive_output", "AuthenticationResult.IdToken"),
        ("DescribeUserPoolClient", "sensitive_output", "UserPoolClient.ClientSecret"),
        ("GetUser", "sensitive_output", "UserAttributes[].Value"),
    ],
)
def test_sensitive_paths(index: dict[str, Any], operation: str, side: str, path: str) -> None:
    assert path in index["operations"][operation][side]


def test_non_sensitive_members_are_not_listed(index: dict[str, Any]) -> None:
    create_user = index["operations"]["AdminCreateUser"]
    assert "UserPoolId" not in create_user["sensitive_input"]
    assert "UserAttributes[].Name" not in create_user["sensitive_input"]
    assert index["operations"]["CreateUserPool"]["sensitive_input"] == []
