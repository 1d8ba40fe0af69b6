"""Turns take the event loop one at a time, in the order people wrote (waymark.turns).

What a person notices: when many people write at once, the first to write is answered first
instead of everyone being answered late together; a crisis message is answered before the
ordinary messages waiting; and a turn waiting on the database or an action server never
holds anybody else up. With several workers, a busy one sends the next message elsewhere.
"""
from __future__ import annotations

import asyncio
import threading
import uuid

import httpx
import pytest

from waymark.app import create_app
from waymark.turns import TurnGate, in_thread, stepping_aside


async def a_turn(gate: TurnGate, name: str, log: list[str], steps: int = 3, urgent: bool = False) -> None:
    """A turn of several pieces of work on the loop, with chances for others to run between."""
    async with gate.turn(urgent=urgent):
        for step in range(steps):
            log.append(f"{name}{step}")
            await asyncio.sleep(0)


async def test_turns_run_whole_and_in_the_order_they_arrived():
    gate, log = TurnGate(), []
    await asyncio.gather(*(a_turn(gate, name, log) for name in "abc"))
    assert log == ["a0", "a1", "a2", "b0", "b1", "b2", "c0", "c1", "c2"]


async def test_a_crisis_goes_before_the_turns_already_waiting():
    gate, log = TurnGate(), []
    first = asyncio.create_task(a_turn(gate, "a", log))
    await asyncio.sleep(0)  # a is under way
    waiting = [asyncio.create_task(a_turn(gate, name, log)) for name in "bc"]
    crisis = asyncio.create_task(a_turn(gate, "!", log, urgent=True))
    await asyncio.gather(first, *waiting, crisis)
    assert [entry[0] for entry in log[::3]] == ["a", "!", "b", "c"]


async def test_a_turn_waiting_in_a_thread_lets_the_others_run_then_comes_back_first():
    gate, log = TurnGate(), []
    release = threading.Event()

    async def waits_on_the_database() -> None:
        async with gate.turn():
            log.append("slow: asked the database")
            await in_thread(release.wait, 10)
            log.append("slow: answered")

    async def quick(name: str) -> None:
        async with gate.turn():
            log.append(name)
            if name == "quick1":
                release.set()  # the database answers while quick1 has the loop
                await asyncio.sleep(0.05)

    slow = asyncio.create_task(waits_on_the_database())
    await asyncio.sleep(0.01)
    await asyncio.gather(quick("quick1"), quick("quick2"), quick("quick3"), slow)
    # quick1 ran while slow waited; slow, whose wait ended meanwhile, went before quick2.
    assert log == ["slow: asked the database", "quick1", "slow: answered", "quick2", "quick3"]


async def test_a_turn_given_up_while_waiting_does_not_block_the_next():
    gate, log = TurnGate(), []
    holder_may_finish = asyncio.Event()

    async def holder() -> None:
        async with gate.turn():
            log.append("holder")
            await holder_may_finish.wait()

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    abandoned = asyncio.create_task(a_turn(gate, "gone", log))
    later = asyncio.create_task(a_turn(gate, "later", log, steps=1))
    await asyncio.sleep(0)
    abandoned.cancel()  # e.g. the person's request timed out while queued
    holder_may_finish.set()
    await asyncio.wait_for(asyncio.gather(first, later), timeout=5)
    assert abandoned.cancelled()
    assert log == ["holder", "later0"]


async def test_stepping_aside_outside_a_turn_does_nothing():
    async with stepping_aside():
        pass
    assert await in_thread(sum, [1, 2, 3]) == 6


def test_one_gate_serves_several_event_loops_at_once():
    """Tests and tools run an app per event loop with one shared assistant."""
    gate = TurnGate()
    logs: list[list[str]] = [[], []]
    both_inside = threading.Barrier(2, timeout=10)

    async def on_its_own_loop(log: list[str]) -> None:
        async with gate.turn():
            await asyncio.to_thread(both_inside.wait)  # both loops hold a turn at the same time
            log.append("done")

    threads = [threading.Thread(target=asyncio.run, args=(on_its_own_loop(log),)) for log in logs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    assert logs == [["done"], ["done"]]


@pytest.mark.parametrize("workers, told_to_reconnect", [(2, ["close", "keep-alive"]), (1, ["keep-alive", "keep-alive"])])
async def test_a_busy_worker_sends_the_next_message_to_another(settings, assistant, workers, told_to_reconnect):
    """Several workers share one port, and a browser keeps its connection to one of them. A
    worker with other turns still to finish tells the browser to reconnect, so the next
    message goes to whichever worker is free; a single process never needs to."""
    app = create_app(settings.with_changes(workers=workers), assistant)
    holding, release = asyncio.Event(), asyncio.Event()

    async def someone_elses_long_turn() -> None:
        async with assistant.turns.turn():
            holding.set()
            await release.wait()

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://waymark") as chat:
        other = asyncio.create_task(someone_elses_long_turn())
        await holding.wait()
        sent = [asyncio.create_task(chat.post("/webhooks/rest/webhook", json={"sender": uuid.uuid4().hex,
                                                                              "message": "hello"}))
                for _ in range(2)]
        while assistant.turns.under_way() < 3:  # both messages wait behind the long turn
            await asyncio.sleep(0.01)
        release.set()
        answers = [await message for message in sent]
        await other

    assert all(answer.status_code == 200 and answer.json() for answer in answers)
    # Whichever finished first still had the other to finish; the last had nobody left.
    assert sorted(answer.headers.get("connection", "keep-alive") for answer in answers) == told_to_reconnect
