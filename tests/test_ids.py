"""ids.py: version-4 UUIDs as the standard library makes them, OS bytes read ahead but never
shared with a forked child, and seeded streams that stay put."""

from __future__ import annotations

import os
import random
import uuid

import pytest

from cognito_mock.ids import Ids


def test_uuid4_is_the_standard_form_of_the_same_bytes():
    ours, reference = Ids(7), Ids(7)
    for _ in range(2000):
        text = ours.uuid4()
        assert text == str(uuid.UUID(bytes=reference.token_bytes(16), version=4))
        assert uuid.UUID(text).version == 4 and uuid.UUID(text).variant == uuid.RFC_4122


def test_unseeded_draws_never_repeat():
    ids = Ids()
    seen = {ids.uuid4() for _ in range(20_000)}
    assert len(seen) == 20_000
    assert len({ids.token_bytes(32) for _ in range(1000)}) == 1000


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_reuse_the_parents_read_ahead():
    ids = Ids()
    ids.token_bytes(1)  # the parent now holds read-ahead bytes
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report its next draw and leave at once
        os.write(write, ids.token_bytes(16))
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 16)
    assert child != ids.token_bytes(16)


def test_seeded_streams_do_not_move():
    """Replay tapes and seeded suites depend on the exact values: a seeded Ids draws what
    `random.Random(seed)` draws, through the read-ahead and the faster UUIDs alike."""
    reference = random.Random("replay")
    assert Ids("replay").uuid4() == str(uuid.UUID(bytes=reference.randbytes(16), version=4))
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    assert Ids(1).client_id() == "".join(random.Random(1).choices(alphabet, k=26))
    assert Ids(1).digits() == "".join(random.Random(1).choices("0123456789", k=6))
