"""compact_json.dumps writes what json.dumps with the service's options writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cognito_mock import compact_json

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(JSON)
def test_dumps_is_json_dumps_with_the_service_options(value: Any) -> None:
    expected = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    assert compact_json.dumps(value) == expected


def test_what_json_cannot_write_is_a_type_error_naming_the_type() -> None:
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        compact_json.dumps({"a": [{1, 2}]})
