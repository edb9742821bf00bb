"""State files: journal and replay reproduce ids, times and token keys; bad files are refused untouched."""

from __future__ import annotations

import json
import pickle
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from cognito_mock.errors import StateFileError
from cognito_mock.persistence import Persistence
from cognito_mock.recording import UNSEEDED, recording_mock
from tests.helpers import PASSWORD

TARGET = "AWSCognitoIdentityProviderService."


def call(app: Any, operation: str, **params: Any) -> tuple[int, dict[str, Any]]:
    response = app.handle_wire(TARGET + operation, json.dumps(params).encode(), "us-east-1")
    return response.status, json.loads(response.body)


def ok(app: Any, operation: str, **params: Any) -> dict[str, Any]:
    status, body = call(app, operation, **params)
    assert status == 200, body
    return body


def open_state(path: Path, **kwargs: Any) -> Persistence:
    return Persistence(recording_mock("us-east-1"), str(path), **kwargs)


def journal_rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT COUNT(*) FROM journal").fetchone()[0])


def make_pool(app: Any, **settings: Any) -> tuple[str, str]:
    pool_id = ok(app, "CreateUserPool", PoolName="p", **settings)["UserPool"]["Id"]
    client_id = ok(
        app, "CreateUserPoolClient", UserPoolId=pool_id, ClientName="c",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    return pool_id, client_id


def add_user(app: Any, pool_id: str, name: str) -> None:
    ok(app, "AdminCreateUser", UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS")
    ok(app, "AdminSetUserPassword", UserPoolId=pool_id, Username=name, Password=PASSWORD,
       Permanent=True)  # fmt: skip


def sign_in(app: Any, client_id: str, name: str) -> dict[str, Any]:
    return ok(
        app, "InitiateAuth", ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
    )["AuthenticationResult"]  # fmt: skip


def test_a_restart_replays_ids_times_and_tokens(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    live = open_state(path)
    assert live.restored is False
    pool_id, client_id = make_pool(live)
    add_user(live, pool_id, "ann")
    tokens = sign_in(live, client_id, "ann")
    before = ok(live, "AdminGetUser", UserPoolId=pool_id, Username="ann")
    # No close(): as after kill -9. The pool's keys come back from the journal's tapes.
    again = open_state(path)
    assert again.restored is True
    assert ok(again, "AdminGetUser", UserPoolId=pool_id, Username="ann") == before
    assert ok(again, "GetUser", AccessToken=tokens["AccessToken"])["Username"] == "ann"
    refreshed = ok(
        again, "InitiateAuth", ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]  # fmt: skip
    assert refreshed["AccessToken"] != tokens["AccessToken"]
    # Same keys, so the JWKS a client cached before the restart still holds the kid.
    assert again.jwks(pool_id) == live.jwks(pool_id)
    status, body = call(again, "AdminGetUser", UserPoolId=pool_id, Username="nobody")
    assert (status, body["__type"]) == (400, "UserNotFoundException")


def test_keys_come_from_the_journal_not_from_the_process(tmp_path: Path) -> None:
    """The check above could not pass by accident: without the keys on the journal's tapes
    replay would draw new ones, so it refuses to go on."""
    path = tmp_path / "state.db"
    live = open_state(path)
    pool_id, client_id = make_pool(live)
    add_user(live, pool_id, "ann")
    sign_in(live, client_id, "ann")
    with sqlite3.connect(path) as db:
        for seq, blob in db.execute("SELECT seq, entry FROM journal").fetchall():
            kind, region, payload, tape, status = pickle.loads(blob)
            kept = [item for item in tape if item[0] != UNSEEDED]
            entry = pickle.dumps((kind, region, payload, kept, status))
            db.execute("UPDATE journal SET entry = ? WHERE seq = ?", (entry, seq))
    with pytest.raises(StateFileError, match="replay diverged"):
        open_state(path)


def test_keys_are_the_pools_own_across_a_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    live = open_state(path)
    pool_id, client_id = make_pool(live)
    add_user(live, pool_id, "ann")
    tokens = sign_in(live, client_id, "ann")
    live.checkpoint()  # the keys now live in the snapshot's pickle (as PEM)
    assert journal_rows(path) == 0
    again = open_state(path)
    assert again.jwks(pool_id) == live.jwks(pool_id)
    assert ok(again, "GetUser", AccessToken=tokens["AccessToken"])["Username"] == "ann"


def test_reads_are_not_journaled_and_failed_writes_are(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    live = open_state(path)
    pool_id, _ = make_pool(live)
    assert journal_rows(path) == 2
    ok(live, "DescribeUserPool", UserPoolId=pool_id)
    ok(live, "ListUsers", UserPoolId=pool_id)
    assert journal_rows(path) == 2
    # A failed sign-in changes state (failed attempts count), so every write is journaled.
    assert call(live, "AdminDeleteUser", UserPoolId=pool_id, Username="nobody")[0] == 400
    assert journal_rows(path) == 3


def test_keys_made_by_a_discovery_read_replay_in_order(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    live = open_state(path)
    first, _ = make_pool(live)
    second, client_id = make_pool(live)
    published = live.jwks(first)  # a GET of jwks.json makes the first pool's keys
    add_user(live, second, "bob")
    tokens = sign_in(live, client_id, "bob")
    again = open_state(path)
    assert again.jwks(first) == published
    assert ok(again, "GetUser", AccessToken=tokens["AccessToken"])["Username"] == "bob"


def test_compaction_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    live = open_state(path, compact_every=5)
    pool_id, client_id = make_pool(live, AutoVerifiedAttributes=["email"])
    for name in ("a", "b", "c", "d"):
        add_user(live, pool_id, name)
    ok(live, "SignUp", ClientId=client_id, Username="e", Password=PASSWORD,
       UserAttributes=[{"Name": "email", "Value": "e@example.com"}])  # fmt: skip
    assert journal_rows(path) < 5
    code = live.mock.outbox.last_code("e@example.com")
    again = open_state(path)
    names = {u["Username"] for u in ok(again, "ListUsers", UserPoolId=pool_id)["Users"]}
    assert names == {"a", "b", "c", "d", "e"}
    # The outbox (it holds a lock) is saved too: the confirmation code is still there.
    assert again.mock.outbox.last_code("e@example.com") == code
    again.close()
    assert journal_rows(path) == 0
    assert open_state(path).restored is True


def test_a_non_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my precious notes\n")
    with pytest.raises(StateFileError, match="is not a cognito-mock state file"):
        open_state(path)
    assert path.read_bytes() == b"my precious notes\n"


def test_a_foreign_sqlite_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE things (x)")
    content = path.read_bytes()
    with pytest.raises(StateFileError, match="SQLite database but not a cognito-mock state"):
        open_state(path)
    assert path.read_bytes() == content
    assert not (tmp_path / "other.db-wal").exists()


def test_a_corrupt_journal_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    live = open_state(path)
    make_pool(live)
    live.close()
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO journal (entry) VALUES (x'00ff00')")
    content = path.read_bytes()
    with pytest.raises(StateFileError, match="corrupt"):
        open_state(path)
    assert path.read_bytes() == content


def test_a_truncated_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    live = open_state(path)
    make_pool(live)
    live.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50)
    with pytest.raises(StateFileError):
        open_state(path)


def test_persistence_needs_a_recording_mock(tmp_path: Path) -> None:
    from cognito_mock import CognitoMock

    with pytest.raises(TypeError, match="recording_mock"):
        Persistence(CognitoMock(), str(tmp_path / "s.db"))
