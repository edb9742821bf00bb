"""`cognito-mock serve --seed FILE`: pools, app clients, groups and users with fixed ids, from JSON or YAML.

Everything is created through the ordinary operations (so every setting is checked as the service
would check it); only the generated ids are replaced, by handing the chosen id to the one `Ids`
draw the create operation makes (`_fixed`).

    {"pools": [{"id": "us-east-1_Example1", "name": "example",
                "settings": {"AutoVerifiedAttributes": ["email"]},
                "clients": [{"id": "exampleclient0000000000001", "name": "web",
                             "secret": "optional-fixed-secret",
                             "settings": {"ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH",
                                                                "ALLOW_REFRESH_TOKEN_AUTH"]}}],
                "groups": [{"name": "admins", "description": "...", "precedence": 1}],
                "users": [{"username": "alice", "password": "Passw0rd!",
                           "attributes": {"email": "alice@example.com", "email_verified": "true"},
                           "confirmed": true, "enabled": true, "groups": ["admins"]}]}]}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cognito_mock.backend.crypto.secret_hash import secret_hash
from cognito_mock.errors import SeedError, ServiceError

if TYPE_CHECKING:
    from cognito_mock.ids import Ids
    from cognito_mock.mock import CognitoMock

__all__ = ["SeedError", "apply_seed", "check_seed", "load_seed", "seed_conflicts"]

_POOL_KEYS = {"id", "name", "settings", "clients", "groups", "users"}
_CLIENT_KEYS = {"id", "name", "secret", "generate_secret", "settings"}
_GROUP_KEYS = {"name", "description", "precedence", "role_arn"}
_USER_KEYS = {"username", "password", "attributes", "confirmed", "enabled", "groups"}
_POOL_ID = re.compile(r"([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9a-zA-Z]+")
_CLIENT_ID = re.compile(r"[\w+]{1,128}")


def load_seed(path: str | Path) -> dict[str, Any]:
    """Parse a seed file (JSON; YAML when PyYAML is installed) and check its structure."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SeedError(f"cannot read seed file {path}: {error.strerror or error}") from None
    data: Any
    if path.suffix.lower() in (".yaml", ".yml"):
        data = _yaml(path, text)
    else:
        try:
            data = json.loads(text)
        except ValueError as error:
            if path.suffix.lower() == ".json":
                raise SeedError(f"{path} is not valid JSON: {error}") from None
            data = _yaml(path, text)
    _check(path, data)
    return data


def _yaml(path: Path, text: str) -> Any:
    try:
        import yaml
    except ImportError:
        raise SeedError(
            f"{path}: YAML seed files need PyYAML (pip install pyyaml); or write it as JSON"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SeedError(f"{path} is not valid YAML: {error}") from None


def _fail(path: Path, where: str, problem: str) -> SeedError:
    return SeedError(f"{path}: {where}: {problem}")


def _keys(path: Path, where: str, item: Any, allowed: set[str], required: str) -> None:
    if not isinstance(item, dict):
        raise _fail(path, where, "expected an object")
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise _fail(path, where, f"unknown key(s) {unknown}; expected some of {sorted(allowed)}")
    if not isinstance(item.get(required), str) or not item[required]:
        raise _fail(path, where, f"'{required}' must be a non-empty string")


def _list(path: Path, where: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _fail(path, where, "expected a list")
    return value


def _check(path: Path, data: Any) -> None:
    if not isinstance(data, dict) or set(data) - {"pools"}:
        raise SeedError(f"{path}: expected an object with a 'pools' list")
    pool_ids: set[str] = set()
    client_ids: set[str] = set()
    for p, pool in enumerate(_list(path, "pools", data.get("pools"))):
        where = f"pools[{p}]"
        _keys(path, where, pool, _POOL_KEYS, "name")
        if "id" in pool:
            if not isinstance(pool["id"], str) or not _POOL_ID.fullmatch(pool["id"]):
                raise _fail(path, where, f"id {pool['id']!r} is not <region>_<alphanumerics>")
            if pool["id"] in pool_ids:
                raise _fail(path, where, f"pool id {pool['id']} is declared twice")
            pool_ids.add(pool["id"])
        if not isinstance(pool.get("settings", {}), dict):
            raise _fail(path, f"{where}.settings", "expected an object")
        for c, client in enumerate(_list(path, f"{where}.clients", pool.get("clients"))):
            cwhere = f"{where}.clients[{c}]"
            _keys(path, cwhere, client, _CLIENT_KEYS, "name")
            if "id" in client:
                if not isinstance(client["id"], str) or not _CLIENT_ID.fullmatch(client["id"]):
                    raise _fail(path, cwhere, f"id {client['id']!r} must match [\\w+]{{1,128}}")
                if client["id"] in client_ids:
                    raise _fail(path, cwhere, f"client id {client['id']} is declared twice")
                client_ids.add(client["id"])
        for g, group in enumerate(_list(path, f"{where}.groups", pool.get("groups"))):
            _keys(path, f"{where}.groups[{g}]", group, _GROUP_KEYS, "name")
        for u, user in enumerate(_list(path, f"{where}.users", pool.get("users"))):
            uwhere = f"{where}.users[{u}]"
            _keys(path, uwhere, user, _USER_KEYS, "username")
            attributes = user.get("attributes", {})
            if not isinstance(attributes, dict) or not all(
                isinstance(v, str) for v in attributes.values()
            ):
                raise _fail(path, f"{uwhere}.attributes", "expected an object of strings")
            if user.get("confirmed") is False and not pool.get("clients"):
                raise _fail(
                    path, uwhere, "unconfirmed users sign up through the pool's first client"
                )


def check_seed(data: Any, source: str = "seed") -> None:
    """SeedError unless `data` is a well-formed seed document (as `load_seed` checks a file)."""
    _check(Path(source), data)


def seed_conflicts(mock: CognitoMock, data: dict[str, Any]) -> str | None:
    """What in a checked seed document already exists in `mock` (a pool or client id), or None."""
    for p, pool in enumerate(data.get("pools") or []):
        fixed_id = pool.get("id")
        if fixed_id and fixed_id in mock.backend(fixed_id.split("_", 1)[0]).pools:
            return f"pools[{p}]: pool {fixed_id} already exists"
        for c, client in enumerate(pool.get("clients") or []):
            if client.get("id") and client["id"] in mock.services.client_index:
                return f"pools[{p}].clients[{c}]: app client {client['id']} already exists"
    return None


@contextmanager
def _fixed(ids: Ids, method: str, value: str | None) -> Iterator[None]:
    """Make the next `ids.<method>()` draw return `value` (no change when None)."""
    if value is None:
        yield
        return
    original = getattr(type(ids), method)
    pending = [value]

    def draw(*args: Any) -> str:
        return pending.pop() if pending else original(ids, *args)

    setattr(ids, method, draw)
    try:
        yield
    finally:
        delattr(ids, method)


def apply_seed(mock: CognitoMock, data: dict[str, Any], source: str = "seed") -> list[str]:
    """Create what `data` (from `load_seed`) declares; returns one summary line per pool."""
    summary: list[str] = []
    for p, pool in enumerate(data.get("pools") or []):
        where = f"pools[{p}]"
        try:
            summary.append(_seed_pool(mock, pool, where))
        except SeedError as error:
            raise SeedError(f"{source}: {error}") from None
    return summary


def _call(mock: CognitoMock, region: str, where: str, operation: str, **params: Any) -> Any:
    try:
        return mock.call(operation, region=region, **params)
    except ServiceError as error:
        raise SeedError(f"{where}: {operation} failed: {error.code}: {error.message}") from None


def _seed_pool(mock: CognitoMock, pool: dict[str, Any], where: str) -> str:
    fixed_id = pool.get("id")
    region = fixed_id.split("_", 1)[0] if fixed_id else mock.region
    backend = mock.backend(region)
    if fixed_id and fixed_id in backend.pools:
        raise SeedError(f"{where}: pool {fixed_id} already exists")
    with _fixed(backend.ids, "user_pool_id", fixed_id):
        created = _call(
            mock, region, where, "CreateUserPool", PoolName=pool["name"], **pool.get("settings", {})
        )
    pool_id = created["UserPool"]["Id"]
    clients: list[tuple[str, str | None]] = []
    for c, client in enumerate(pool.get("clients") or []):
        cwhere = f"{where}.clients[{c}]"
        if client.get("id") and client["id"] in backend.services.client_index:
            raise SeedError(f"{cwhere}: app client {client['id']} already exists")
        params = dict(client.get("settings", {}))
        if client.get("secret") is not None:
            params["ClientSecret"] = client["secret"]
        elif client.get("generate_secret"):
            params["GenerateSecret"] = True
        with _fixed(backend.ids, "client_id", client.get("id")):
            made = _call(
                mock, region, cwhere, "CreateUserPoolClient",
                UserPoolId=pool_id, ClientName=client["name"], **params,
            )["UserPoolClient"]  # fmt: skip
        clients.append((made["ClientId"], made.get("ClientSecret")))
    for g, group in enumerate(pool.get("groups") or []):
        params = {"Description": group.get("description"), "Precedence": group.get("precedence"),
                  "RoleArn": group.get("role_arn")}  # fmt: skip
        _call(
            mock, region, f"{where}.groups[{g}]", "CreateGroup", UserPoolId=pool_id,
            GroupName=group["name"], **{k: v for k, v in params.items() if v is not None},
        )  # fmt: skip
    for u, user in enumerate(pool.get("users") or []):
        _seed_user(mock, region, pool_id, clients, user, f"{where}.users[{u}]")
    return (
        f"pool {pool_id} ({pool['name']}): {len(clients)} client(s) "
        f"{', '.join(c for c, _ in clients) or '-'}; {len(pool.get('users') or [])} user(s)"
    )


def _seed_user(
    mock: CognitoMock,
    region: str,
    pool_id: str,
    clients: list[tuple[str, str | None]],
    user: dict[str, Any],
    where: str,
) -> None:
    username = user["username"]
    attributes = [{"Name": k, "Value": v} for k, v in (user.get("attributes") or {}).items()]
    password = user.get("password")
    if user.get("confirmed", True) is False:
        client_id, secret = clients[0]
        params: dict[str, Any] = {"UserAttributes": attributes}
        if secret:
            params["SecretHash"] = secret_hash(secret, username, client_id)
        _call(mock, region, where, "SignUp", ClientId=client_id, Username=username,
              Password=password or "", **params)  # fmt: skip
    else:
        _call(mock, region, where, "AdminCreateUser", UserPoolId=pool_id, Username=username,
              MessageAction="SUPPRESS", UserAttributes=attributes)  # fmt: skip
        if password is not None:
            _call(mock, region, where, "AdminSetUserPassword", UserPoolId=pool_id,
                  Username=username, Password=password, Permanent=True)  # fmt: skip
    if user.get("enabled", True) is False:
        _call(mock, region, where, "AdminDisableUser", UserPoolId=pool_id, Username=username)
    for group in user.get("groups") or []:
        _call(mock, region, where, "AdminAddUserToGroup", UserPoolId=pool_id,
              Username=username, GroupName=group)  # fmt: skip
