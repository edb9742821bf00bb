"""The request path's pool-wide hooks: finding a request's pool (by id, client, access token or
session), arming and disarming guards, and one registration per name."""

from __future__ import annotations

from typing import Any

import pytest

from cognito_mock.backend.kernel import guards


def test_request_pool_by_each_member(mock, pool_id, app, make_user, sign_in, client):
    backend = mock.backend()
    pool = backend.pools[pool_id]
    make_user()
    token = sign_in(app)["AccessToken"]
    assert guards.request_pool(backend, {"UserPoolId": pool_id}) is pool
    assert guards.request_pool(backend, {"ClientId": app}) is pool
    assert guards.request_pool(backend, {"AccessToken": token}) is pool
    for nothing in ({"AccessToken": "garbage"}, {"ClientId": "unknown"}, {"Session": "x" * 30}, {}):
        assert guards.request_pool(backend, nothing) is None
    # A session is looked up only in pools that have a guard armed.
    challenge = client.initiate_auth(ClientId=app, AuthFlow="USER_AUTH",
                                     AuthParameters={"USERNAME": "alice"})  # fmt: skip
    assert guards.request_pool(backend, {"Session": challenge["Session"]}) is None
    guards.arm(backend, pool, "replica")
    assert guards.request_pool(backend, {"Session": challenge["Session"]}) is pool
    assert guards.armed(backend, pool, "replica")
    guards.disarm(backend, pool, "replica")
    assert not guards.armed(backend, pool, "replica") and backend.services.guarded == {}


def test_token_claims_never_raise():
    for token in (None, 3, "", "a.b", "a.b.c", "e30.e30.x", "W10.W10.x", "." * 3):
        header, payload = guards.token_claims(token)
        assert isinstance(header, dict) and isinstance(payload, dict)
    assert guards.token_claims("eyJhIjoxfQ.eyJzdWIiOiJ4In0.sig") == ({"a": 1}, {"sub": "x"})


def test_one_registration_per_name():
    with pytest.raises(ValueError, match="already registered"):
        guards.guard("replica")(lambda *args: None)
    with pytest.raises(ValueError, match="already has a recorder"):
        guards.recorder("AdminSetUserPassword")(lambda *args: None)


def test_a_guard_runs_only_for_its_pool(mock, pool_id, client, fails):
    other = client.create_user_pool(PoolName="other")["UserPool"]["Id"]
    seen: list[Any] = []
    guards._GUARDS["probe"] = lambda backend, pool, op, request: seen.append((pool.id, op))
    try:
        guards.arm(mock.backend(), mock.backend().pools[pool_id], "probe")
        client.describe_user_pool(UserPoolId=other)
        client.describe_user_pool(UserPoolId=pool_id)
        assert seen == [(pool_id, "DescribeUserPool")]
    finally:
        del guards._GUARDS["probe"]
        guards.disarm(mock.backend(), mock.backend().pools[pool_id], "probe")
