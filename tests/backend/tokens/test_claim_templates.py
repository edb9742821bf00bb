"""Token payloads from templates: equal to encoding the claims, remade when the user's state moves."""

from __future__ import annotations

import pickle
import uuid

import jwt as pyjwt
from hypothesis import given
from hypothesis import strategies as st

from cognito_mock import CognitoMock, compact_json
from cognito_mock.backend.kernel.records import AppClient
from cognito_mock.backend.kernel.user_record import User
from cognito_mock.backend.tokens.claim_templates import SLOTS, TemplateCache, template_of
from cognito_mock.backend.tokens.issue import _claims
from cognito_mock.backend.tokens.store import TokenStore, token_store
from tests.helpers import PASSWORD, confirmed_user

# Per-issue values as issue_tokens makes them: uuids and whole seconds.
uuids = st.uuids(version=4).map(str)
seconds = st.integers(min_value=0, max_value=2**40)
per_issue = st.fixed_dictionaries(
    {
        "origin_jti": uuids,
        "event_id": uuids,
        "id_jti": uuids,
        "access_jti": uuids,
        "auth_time": seconds,
        "iat": seconds,
        "id_exp": seconds,
        "access_exp": seconds,
    }
)
# Any text json has to escape, and `%`, which the templates must not read as a placeholder.
texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from('%"\\\x00'), max_size=12)
names = st.sampled_from(
    [
        "email",
        "email_verified",
        "name",
        "address",
        "updated_at",
        "phone_number_verified",
        "custom:a%s",
        "custom:%(iat)s",
        "dev:x",
        "locale",
    ]
)
group_lists = st.lists(texts, max_size=3)


@given(
    attributes=st.dictionaries(names, texts, max_size=6),
    groups=st.tuples(group_lists, group_lists, st.none() | texts),
    readable=st.none() | st.lists(names, max_size=4),
    username=texts.filter(bool),
    iss=texts,
    with_origin=st.booleans(),
    values=per_issue,
)
def test_a_filled_template_is_the_encoded_claims(
    attributes, groups, readable, username, iss, with_origin, values
):
    sub = str(uuid.uuid4())
    user = User(username, sub, {"sub": sub, **attributes}, "CONFIRMED", 0.0, 0.0, seq=1)
    settings = {"ReadAttributes": readable} if readable is not None else {}
    client = AppClient("client", "pool", 0.0, 0.0, settings)
    made = _claims(None, client, user, groups, iss, with_origin, SLOTS)  # type: ignore[arg-type]
    filled = _claims(None, client, user, groups, iss, with_origin, values)  # type: ignore[arg-type]
    for template, claims in zip(made, filled, strict=True):
        assert template_of(template) % values == compact_json.dumps(claims)


def test_a_template_without_slots_is_the_encoding_with_percent_signs():
    claims = {"a": "100%", "%(iat)s": [1, "%"], "b": {"c": None}}
    assert template_of(claims) % {} == compact_json.dumps(claims)


def claims(token: str) -> dict:
    return pyjwt.decode(token, options={"verify_signature": False})


def sign_in(mock: CognitoMock, client_id: str, username: str = "alice") -> dict:
    return mock.call(
        "InitiateAuth", ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip


PER_ISSUE = {"origin_jti", "event_id", "jti", "auth_time", "iat", "exp"}


def test_each_change_to_the_users_state_shows_in_the_next_tokens():
    mock = CognitoMock()
    pool_id, client_id = confirmed_user(mock)
    first = claims(sign_in(mock, client_id)["IdToken"])
    assert "name" not in first and "cognito:groups" not in first
    mock.call(
        "AdminUpdateUserAttributes", UserPoolId=pool_id, Username="alice",
        UserAttributes=[{"Name": "name", "Value": 'Al "100%"'}],
    )  # fmt: skip
    assert claims(sign_in(mock, client_id)["IdToken"])["name"] == 'Al "100%"'
    mock.call("CreateGroup", UserPoolId=pool_id, GroupName="staff")
    mock.call("AdminAddUserToGroup", UserPoolId=pool_id, Username="alice", GroupName="staff")
    tokens = sign_in(mock, client_id)
    assert claims(tokens["IdToken"])["cognito:groups"] == ["staff"]
    assert claims(tokens["AccessToken"])["cognito:groups"] == ["staff"]
    flows = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    mock.call(
        "UpdateUserPoolClient", UserPoolId=pool_id, ClientId=client_id,
        ExplicitAuthFlows=flows, ReadAttributes=["email"],
    )  # fmt: skip
    id_claims = claims(sign_in(mock, client_id)["IdToken"])
    assert "name" not in id_claims and "origin_jti" in id_claims
    mock.call(
        "UpdateUserPoolClient", UserPoolId=pool_id, ClientId=client_id,
        ExplicitAuthFlows=flows, ReadAttributes=["email"], EnableTokenRevocation=False,
    )  # fmt: skip
    tokens = sign_in(mock, client_id)
    assert "origin_jti" not in claims(tokens["IdToken"])
    assert "origin_jti" not in claims(tokens["AccessToken"])
    mock.call("AdminRemoveUserFromGroup", UserPoolId=pool_id, Username="alice", GroupName="staff")
    assert "cognito:groups" not in claims(sign_in(mock, client_id)["AccessToken"])


def test_the_templated_tokens_equal_those_a_pre_token_trigger_leaves_unchanged():
    """A PreTokenGeneration trigger that changes nothing takes the claims-dict path: the
    templated tokens of another pool must match it claim for claim, in the same order."""
    made = {}
    for with_trigger in (False, True):
        mock = CognitoMock()
        pool_id, client_id = confirmed_user(mock)
        if with_trigger:
            mock.triggers.register("PreTokenGeneration", lambda event: event)
            arn = "arn:aws:lambda:us-east-1:123456789012:function:t"
            mock.call(
                "UpdateUserPool", UserPoolId=pool_id, LambdaConfig={"PreTokenGeneration": arn}
            )
        mock.call(
            "AdminUpdateUserAttributes", UserPoolId=pool_id, Username="alice",
            UserAttributes=[{"Name": "email", "Value": "a@example.com"},
                            {"Name": "email_verified", "Value": "true"},
                            {"Name": "address", "Value": "1 Main St"}],
        )  # fmt: skip
        mock.call("CreateGroup", UserPoolId=pool_id, GroupName="g", Precedence=2,
                  RoleArn="arn:aws:iam::123456789012:role/r")  # fmt: skip
        mock.call("AdminAddUserToGroup", UserPoolId=pool_id, Username="alice", GroupName="g")
        tokens = sign_in(mock, client_id)
        cache = token_store(mock.backend().pool(pool_id)).templates
        assert len(cache) == (0 if with_trigger else 1)
        made[with_trigger] = [claims(tokens[kind]) for kind in ("IdToken", "AccessToken")]
    for templated, plain in zip(made[False], made[True], strict=True):
        assert list(templated) == list(plain)
        differ = {k for k in templated if templated[k] != plain[k]}
        assert differ <= PER_ISSUE | {"sub", "iss", "aud", "client_id"}


def test_the_cache_is_bounded_and_never_pickled():
    cache = TemplateCache()
    for seq in range(TemplateCache.LIMIT):
        cache.put(("c", seq), (seq,), "{}", "{}")
    assert cache.get(("c", 7), (7,)) == ("{}", "{}")
    assert cache.get(("c", 7), (8,)) is None  # another state: not this template
    cache.put(("c", -1), (0,), "{}", "{}")
    assert len(cache) == 1 and cache.get(("c", 7), (7,)) is None
    assert len(pickle.loads(pickle.dumps(cache))) == 0


def test_a_token_store_pickled_before_the_templates_existed_still_signs_in():
    mock = CognitoMock()
    pool_id, client_id = confirmed_user(mock)
    pool = mock.backend().pool(pool_id)
    old = {name: value for name, value in vars(token_store(pool)).items() if name != "templates"}
    restored = TokenStore.__new__(TokenStore)
    restored.__setstate__(old)  # what unpickling such a state file does
    pool.tokens = restored
    first = sign_in(mock, client_id)
    assert claims(first["IdToken"])["cognito:username"] == "alice" and len(restored.templates) == 1
    assert len(pickle.loads(pickle.dumps(restored)).templates) == 0
