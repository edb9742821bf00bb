"""User views checked against the model once per user state (issue 16): UserType for listings,
the attribute lists of GetUser and AdminGetUser.

Every page is built fresh from the user records (no caller ever holds an object the mock reuses);
what is kept is the proof: `UserDirectory.checked[seq]` holds the state (`_state`) of the user
whose view last passed the model's UserType check (and, once a transport encoded the view, its
JSON). A view is checked again only when its user's state differs from the proof's: any write
that touches the directory drops the proof, and a write that forgot to touch still changes the
state, so the view is checked anyway. A page whose every view is proven is a `CheckedList`, whose
items the response check then skips (it still checks the envelope).

Attribute lists work alike: `UserDirectory.attributes_checked[seq]` proves the attribute state
(names and packed values) in which every attribute of the user passed AttributeType's check, so any
of them, for any client's readable set, is proven while the state is equal; the JSON of the whole
list is kept on that proof once a transport wrote it.
"""

from __future__ import annotations

from typing import Any

from cognito_mock.backend.directory.users import attribute_items, user_type
from cognito_mock.backend.kernel.records import User, UserDirectory
from cognito_mock.validation.compiled import ENCODED_ONLY, CheckedList, Proof, compiled

__all__ = ["MAX_PROOFS", "checked_attributes", "checked_views"]

MAX_PROOFS = 4096  # proofs kept per pool (~150 bytes each); the oldest go first
_SHAPE = "UserType"


def _state(user: User) -> tuple[Any, ...]:
    """Everything `user_type(user)` reads: equal states make equal views."""
    mfa = user._mfa
    options = None if mfa is None or not mfa.options else [dict(o) for o in mfa.options]
    return (
        user.username, user._shape, user._packed, user.created, user.modified, user.enabled,
        user.status, options,
    )  # fmt: skip


def checked_views(directory: UserDirectory, users: list[User]) -> list[Any]:
    """Fresh UserType views of `users`: a CheckedList when each passed the check, now or in an
    equal state before; else a plain list (the response check then words what is wrong).

    For an answer that only the wire encoder reads (`ENCODED_ONLY`), a user whose proof for an
    equal state already holds the view's JSON gets the proof in its view's place: the encoder
    splices the JSON, and building a view only to throw it away was half of a page's cost."""
    check = compiled(_SHAPE, True)
    encoded_only = ENCODED_ONLY.get()
    proofs = directory.checked
    views: list[Any] = []
    page_proofs: list[Proof] = []
    for user in users:
        state = _state(user)
        proof = proofs.get(user.seq)
        if encoded_only and proof is not None and proof.wire is not None and proof.state == state:
            views.append(proof)
            page_proofs.append(proof)
            continue
        view = user_type(user)
        views.append(view)
        if proof is None or proof.state != state:
            if not check(view):  # never proven: plain views, which the response check reports
                return [user_type(other) for other in users]
            if len(proofs) >= MAX_PROOFS:
                proofs.popitem(last=False)  # the oldest (O(1): an OrderedDict)
            proof = proofs[user.seq] = Proof(state)
        page_proofs.append(proof)
    return CheckedList(_SHAPE, views, page_proofs)


def checked_attributes(
    directory: UserDirectory, user: User, attributes: list[dict[str, str]] | None
) -> list[dict[str, str]]:
    """`attributes` (fresh AttributeType items of `user`'s, in the user's order; None for all of
    them) as a CheckedList when every attribute of the user, in its current state, passed the
    check; else as they are (the response check then words what is wrong). When they are all of
    the user's attributes the list carries the proof, where a transport keeps its JSON (an equal
    state, an equal list); in an answer only the encoder reads (`ENCODED_ONLY`) an empty list
    carrying a proof that holds that JSON stands in for them, and no item is built."""
    state = (user._shape, user._packed)
    proofs = directory.attributes_checked
    proof = proofs.get(user.seq)
    if proof is None or proof.state != state:
        check = compiled("AttributeType", True)
        if not all(check(item) for item in attribute_items(user)):
            return attribute_items(user) if attributes is None else attributes
        if len(proofs) >= MAX_PROOFS:
            proofs.popitem(last=False)
        proof = proofs[user.seq] = Proof(state)
    if attributes is None:
        if proof.wire is not None and ENCODED_ONLY.get():
            return CheckedList("AttributeType", [], whole=proof)
        attributes = attribute_items(user)
    complete = len(attributes) == len(user._shape.names)  # a subset in order, or all of them
    return CheckedList("AttributeType", attributes, whole=proof if complete else None)
