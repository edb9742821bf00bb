"""ids.py: version-4 UUIDs as the standard library makes them, OS bytes read ahead but never
shared with a forked child, and seeded streams that stay put."""

from __future__ import annotations

import os
import random
import threading
import uuid

import pytest

from cognito_mock.ids import Ids, UuidSequence


def test_uuid4_is_the_standard_form_of_the_same_bytes():
    ours, reference = Ids(7), Ids(7)
    for _ in range(2000):
        text = ours.uuid4()
        assert text == str(uuid.UUID(bytes=reference.token_bytes(16), version=4))
        assert uuid.UUID(text).version == 4 and uuid.UUID(text).variant == uuid.RFC_4122


def test_a_batch_of_uuids_is_the_same_as_drawing_them_one_by_one():
    """A sign-in draws its three or four token ids at once; seeded values must not move."""
    for seed in range(20):
        one_by_one, batched = Ids(seed), Ids(seed)
        for count in (1, 3, 4):
            expected = [one_by_one.uuid4() for _ in range(count)]
            assert batched.uuid4s(count) == expected
    unseeded = Ids().uuid4s(4)
    assert len(set(unseeded)) == 4
    assert all(uuid.UUID(text).version == 4 and str(uuid.UUID(text)) == text for text in unseeded)


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


def test_request_id_sequences_are_distinct_version_4_uuids():
    sequence = UuidSequence(Ids())
    seen = [sequence() for _ in range(5000)]
    assert len(set(seen)) == 5000
    for text in seen[:50] + seen[-50:]:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122
    # Two mocks never start in the same place; a seeded one replays.
    assert UuidSequence(Ids())() != UuidSequence(Ids())()
    first, second = UuidSequence(Ids(3)), UuidSequence(Ids(3))
    assert [first() for _ in range(3)] == [second() for _ in range(3)]


def test_request_ids_wrap_within_the_uuid_and_stay_distinct_across_threads():
    sequence = UuidSequence(Ids(1))
    sequence._counter = iter(range(2**48 - 2, 2**48 + 2))  # type: ignore[assignment]
    wrapped = [sequence() for _ in range(4)]
    assert [text[24:] for text in wrapped] == [
        "fffffffffffe",
        "ffffffffffff",
        "0" * 12,
        "0" * 11 + "1",
    ]
    assert all(uuid.UUID(text).version == 4 for text in wrapped)
    shared, got = UuidSequence(Ids()), []
    workers = [threading.Thread(target=lambda: got.extend(shared() for _ in range(2000)))
               for _ in range(4)]  # fmt: skip
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(set(got)) == 8000
