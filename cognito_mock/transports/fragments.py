"""Wire answers built from JSON already written, or from bytes that need no escaping: ListUsers
pages of proven views, GetUser's and AdminGetUser's proven attribute lists, and the tokens of an
AuthenticationResult.

A `CheckedList` of proven items (`backend/directory/views.py`) carries each item's `Proof`; the
first time an item is encoded its JSON is kept on the proof, and a later page with the same proof
(the same user in an equal state, so an equal view) splices those bytes in instead of encoding
the view again. Encoding a 60-user page was ~0.4 ms, more than the rest of the mock's work on it.
A user's whole attribute list, proven for the user's state, keeps its JSON the same way. In an
answer only this module reads (`compiled.ENCODED_ONLY`), a proof that holds its JSON may stand in
its view's place: nothing is built only to be thrown away.

A sign-in answer is three ~1,000-character tokens (a challenge, a long Session), which json
escapes character by character (~2 µs each); a string of printable ASCII without `"` or `\\` is
its own JSON, so its bytes go in as they are (a token the mock minted is known to be one without
a scan: `cognito_mock/minted.py`). Everything else is `wire.encode_result` as it is,
and the bytes are the same.
"""

from __future__ import annotations

import json
import math
from typing import Any

from cognito_mock.minted import is_minted
from cognito_mock.transports import wire
from cognito_mock.validation.compiled import CheckedList, Proof

__all__ = ["encode_result"]

_OPEN = b'{"Users":['
# Bytes json writes unchanged (ensure_ascii off): printable ASCII and DEL, but for `"` and `\`.
_VERBATIM = bytes(b for b in range(0x20, 0x80) if b not in b'"\\')


def encode_result(result: dict[str, Any], request_id: str) -> wire.WireResponse:
    """`wire.encode_result(result, request_id)`, with proven `Users` items' JSON reused and
    an AuthenticationResult's tokens and a Session copied."""
    if type(result.get("AuthenticationResult")) is dict or "Session" in result:
        body = _signed_in(result) or _object(result, "AuthenticationResult")
        return wire.WireResponse(200, body, wire.result_headers(request_id))
    attributes = result.get("UserAttributes")
    if type(attributes) is CheckedList and attributes.whole is not None:  # GetUser, AdminGetUser
        return wire.WireResponse(200, _object(result, None), wire.result_headers(request_id))
    users = result.get("Users")
    if type(users) is not CheckedList or users.proofs is None:
        return wire.encode_result(result, request_id)
    answer = wire.encode_result({**result, "Users": []}, request_id)
    if next(iter(result)) != "Users" or not answer.body.startswith(_OPEN + b"]"):
        # Every maker puts Users first and this is the encoder's own form: a safety net only.
        return wire.encode_result({**result, "Users": _materialized(users)}, request_id)
    parts = []
    for item, proof in zip(users, users.proofs, strict=True):
        if proof.wire is None:
            proof.wire = wire.encode_result(item, request_id).body
        parts.append(proof.wire)
    answer.body = _OPEN + b",".join(parts) + answer.body[len(_OPEN) :]
    return answer


# A finished sign-in as the pipeline answers it, member by member (`_signed_in`).
_SIGNED_IN = ("ChallengeParameters", "AuthenticationResult")
_TOKENS = ("AccessToken", "ExpiresIn", "TokenType", "RefreshToken", "IdToken")


def _signed_in(result: dict[str, Any]) -> bytes | None:
    """The usual sign-in answer (no challenge parameters; three minted tokens, ExpiresIn and
    Bearer, in that order) written in one step; None for any other answer. `_object` writes
    the same bytes member by member, a fifth of a sign-in's own work over the wire (issue 16)."""
    if tuple(result) != _SIGNED_IN:
        return None
    tokens = result["AuthenticationResult"]  # a dict: `encode_result` came here for it
    if tuple(tokens) != _TOKENS:
        return None
    parameters = result["ChallengeParameters"]
    if type(parameters) is not dict or parameters:
        return None
    access, expires, refresh, id_token = (
        tokens["AccessToken"], tokens["ExpiresIn"], tokens["RefreshToken"], tokens["IdToken"],
    )  # fmt: skip
    if not (
        type(expires) is int
        and tokens["TokenType"] == "Bearer"
        and is_minted(access)
        and is_minted(refresh)
        and is_minted(id_token)
    ):
        return None
    return (
        f'{{"ChallengeParameters":{{}},"AuthenticationResult":{{"AccessToken":"{access}",'
        f'"ExpiresIn":{expires},"TokenType":"Bearer","RefreshToken":"{refresh}",'
        f'"IdToken":"{id_token}"}}}}'
    ).encode("ascii")


def _materialized(users: CheckedList) -> list[Any]:
    """The items of an encoded-only list (`compiled.ENCODED_ONLY`: a proof holding its item's
    JSON may stand in the item's place) as the values that JSON stands for."""
    return [
        json.loads(item.wire) if type(item) is Proof and item.wire is not None else item
        for item in users
    ]


def _object(value: dict[str, Any], nested: str | None) -> bytes:
    """`wire.encode_json(value)`, with strings that need no escaping copied as they are (also
    in the member `nested`, one level down)."""
    parts = []
    for name, member in value.items():
        key = _NAMES.get(name) or _name(name)
        kind = type(member)
        if kind is str and member.isascii():
            raw = member.encode()
            # A minted token is base64url and dots (`minted.py`): no need to scan it again.
            if is_minted(member) or not raw.translate(None, _VERBATIM):
                parts.append(key + b'"' + raw + b'"')
                continue
        if kind is int:
            parts.append(key + str(member).encode())
        elif member is True or member is False:
            parts.append(key + (b"true" if member else b"false"))
        elif kind is float and math.isfinite(member):
            parts.append(key + float.__repr__(member).encode())  # what json writes
        elif kind is CheckedList and member.whole is not None:
            proof = member.whole
            if proof.wire is None:
                proof.wire = wire.encode_json(member)
            parts.append(key + proof.wire)
        elif kind is dict and not member:
            parts.append(key + b"{}")
        elif name == nested and kind is dict:
            parts.append(key + _object(member, None))
        else:
            parts.append(key + wire.encode_json(member))
    return b"{" + b",".join(parts) + b"}"


_NAMES: dict[str, bytes] = {}  # `"name":` of the model's member names met here


def _name(name: str) -> bytes:
    encoded = wire.encode_json(name) + b":"
    if len(_NAMES) < 256:  # member names are few; never let odd keys grow it
        _NAMES[name] = encoded
    return encoded
