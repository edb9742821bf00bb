"""Token payloads from templates: a user's claims encoded once per state, per-issue values filled in.

A sign-in's two payloads differ from the previous sign-in's only in the token ids, event id and
times; encoding every claim again was a fifth of a sign-in's instructions (issue 16). A template
is `compact_json.dumps` of the very claims dict `issue.py` builds, made with `Slot` markers where
the per-issue values go, so filling it in gives the same text as encoding the filled dict (a
differential test holds them equal for any attributes, groups and settings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cognito_mock import compact_json

__all__ = ["SLOTS", "Slot", "TemplateCache", "template_of"]


class Slot:
    """Marks where a per-issue value goes in a claims dict made for a template. `quoted`: a
    string the mock made itself (uuids), written between quotes as it is (json escapes none of
    its characters); otherwise an integer."""

    __slots__ = ("name", "quoted")

    def __init__(self, name: str, quoted: bool) -> None:
        self.name = name
        self.quoted = quoted

    def __repr__(self) -> str:
        return f"Slot({self.name!r})"


# Every per-issue value of a native sign-in's tokens, by the name templates refer to it.
SLOTS: Mapping[str, Any] = {
    name: Slot(name, quoted)
    for name, quoted in (
        ("origin_jti", True), ("event_id", True), ("id_jti", True), ("access_jti", True),
        ("auth_time", False), ("iat", False), ("id_exp", False), ("access_exp", False),
    )
}  # fmt: skip


def template_of(claims: Mapping[str, Any]) -> str:
    """`compact_json.dumps(claims)` as a %-format template: each `Slot` value is `%(name)s`
    (between quotes when quoted), every other `%` doubled. Fill with `template % values`."""
    pairs = []
    for key, value in claims.items():
        # A dict encodes as its pairs joined by commas: each pair encoded alone is the same text.
        head = compact_json.dumps(key).replace("%", "%%") + ":"
        if isinstance(value, Slot):
            pairs.append(f'{head}"%({value.name})s"' if value.quoted else f"{head}%({value.name})s")
        else:
            pairs.append(head + compact_json.dumps(value).replace("%", "%%"))
    return "{" + ",".join(pairs) + "}"


class TemplateCache:
    """(client id, user seq) -> (the state the templates were made for, ID template, access
    template). Bounded: emptied when full. A template is used only for an equal state, so no
    write anywhere has to remember to drop one."""

    LIMIT = 4096

    __slots__ = ("_entries",)

    def __init__(self) -> None:
        self._entries: dict[tuple[str, int], tuple[tuple[Any, ...], str, str]] = {}

    def get(self, key: tuple[str, int], state: tuple[Any, ...]) -> tuple[str, str] | None:
        found = self._entries.get(key)
        if found is None or found[0] != state:
            return None
        return found[1], found[2]

    def put(self, key: tuple[str, int], state: tuple[Any, ...], id_text: str, access: str) -> None:
        if len(self._entries) >= self.LIMIT:
            self._entries.clear()
        self._entries[key] = (state, id_text, access)

    def __len__(self) -> int:
        return len(self._entries)

    def __reduce__(self) -> tuple[type[TemplateCache], tuple[()]]:
        return TemplateCache, ()  # derived data: a snapshot keeps none of it
