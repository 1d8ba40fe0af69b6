"""One person's messages are handled one at a time, even when several instances share the
conversation locks in Redis and all change the same queue at the same moment."""
from __future__ import annotations

import asyncio
import socket
import threading
import uuid

import pytest
from support import running_in_ci

from waymark.assistant import lock_store_for

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_url() -> str:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if running_in_ci():
            pytest.fail("Redis must answer on 127.0.0.1:6379 in CI")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return REDIS


def test_instances_taking_turns_on_one_conversation_never_overlap_or_lose_a_turn(redis_url):
    conversation = f"lock-{uuid.uuid4().hex[:8]}"
    stores = [lock_store_for(redis_url) for _ in range(4)]  # four instances, one Redis
    inside, most_inside, handled = [0], [0], []
    guard = threading.Lock()

    async def handle_messages(store, instance: int) -> None:
        for turn in range(15):
            async with store.lock(conversation, lock_lifetime=30, wait_time_in_seconds=0.005):
                with guard:
                    inside[0] += 1
                    most_inside[0] = max(most_inside[0], inside[0])
                await asyncio.sleep(0.002)  # the turn's work
                with guard:
                    inside[0] -= 1
                    handled.append((instance, turn))

    threads = [threading.Thread(target=lambda s=s, i=i: asyncio.run(handle_messages(s, i)))
               for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a message waited for a turn that never came"
    assert most_inside[0] == 1, "two messages of one conversation were handled at once"
    assert len(handled) == 4 * 15
    # Nothing left behind for the person's next message to wait on.
    assert stores[0].get_lock(conversation) is None
