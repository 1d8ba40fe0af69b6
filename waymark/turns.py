"""One turn at a time on a process's event loop, in the order the messages arrived.

A turn is almost all CPU work on the event loop (understanding, dialogue policies, building
the replies), with a few waits in between (a custom action or a handover check in a worker
thread). Left to asyncio, every message that arrives starts at once, and the turns under way
take the loop in small slices at each of those waits, so each of them finishes late: with ten
turns under way, a "thanks" that needs 5 ms of work waits behind slices of all ten. Run one
after another, the first turns finish at once and only the last waits for all of them.

Measured with benchmarks/conversations.py on the 2-core machine (`waymark serve --workers 2`,
50 people, four runs each on a freshly started server): p95 per turn 121-184 ms with turns
interleaved, 95-117 ms taken in order.

A turn that waits on something outside the loop steps aside (`stepping_aside`, `in_thread`),
so a turn waiting for SQLite's write lock or a remote action server holds up nobody; when
its wait is over it goes before turns that have not started yet. So does a message the
crisis patterns caught: crisis replies come first. The gate is kept per event loop, so one
Assistant can serve several loops (tests start an app per loop).

With several worker processes on one port (`waymark serve --workers N`), a person's browser
keeps its connection to whichever worker first accepted it, so one worker could queue turns
while the other sat idle. A worker with other turns still to finish answers with
`Connection: close` (channels/rest.py): the browser's next message opens a new connection,
and a free worker is the one that accepts it.
"""
from __future__ import annotations

import asyncio
import contextvars
import weakref
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable, Optional, TypeVar

T = TypeVar("T")


class _Lane:
    """The gate of one event loop: whether a turn has it, and who waits. Turns coming back
    from a wait, and crisis messages, wait ahead of turns that have not started."""

    def __init__(self) -> None:
        self.busy = False
        self.turns = 0  # under way, in a wait or waiting to start
        self.ahead: deque[asyncio.Future] = deque()
        self.behind: deque[asyncio.Future] = deque()

    async def enter(self, ahead: bool) -> None:
        if not self.busy:
            self.busy = True
            return
        queue = self.ahead if ahead else self.behind
        waiter = asyncio.get_running_loop().create_future()
        queue.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.leave()  # it was handed to us just as we were cancelled: pass it on
            else:
                queue.remove(waiter)
            raise

    def leave(self) -> None:
        """Hand the loop straight to the next turn, so nobody can slip in between."""
        for queue in (self.ahead, self.behind):
            while queue:
                waiter = queue.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    return
        self.busy = False


class _Turn:
    def __init__(self, lane: _Lane) -> None:
        self.lane, self.inside = lane, False


_current: contextvars.ContextVar[Optional[_Turn]] = contextvars.ContextVar("waymark_turn", default=None)


class TurnGate:
    """Lets one turn at a time run on each event loop, first come first served."""

    def __init__(self) -> None:
        self._lanes: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Lane]" = weakref.WeakKeyDictionary()

    def under_way(self) -> int:
        """How many turns this event loop has to finish: running, in a wait, or waiting to start."""
        lane = self._lanes.get(asyncio.get_running_loop())
        return 0 if lane is None else lane.turns

    @asynccontextmanager
    async def turn(self, urgent: bool = False) -> AsyncIterator[None]:
        """Hold the loop for one turn; an urgent one (a crisis) goes before those waiting."""
        loop = asyncio.get_running_loop()
        lane = self._lanes.get(loop)
        if lane is None:
            lane = self._lanes[loop] = _Lane()
        turn = _Turn(lane)
        lane.turns += 1
        try:
            await lane.enter(ahead=urgent)
            turn.inside = True
            token = _current.set(turn)
            try:
                yield
            finally:
                _current.reset(token)
                if turn.inside:
                    turn.inside = False
                    lane.leave()
        finally:
            lane.turns -= 1


@asynccontextmanager
async def stepping_aside() -> AsyncIterator[None]:
    """Around a wait on something outside the loop: other turns run meanwhile. Does nothing
    outside a turn."""
    turn = _current.get()
    if turn is None or not turn.inside:
        yield
        return
    turn.inside = False
    turn.lane.leave()
    try:
        yield
    finally:
        await turn.lane.enter(ahead=True)
        turn.inside = True


async def in_thread(func: Callable[..., T], *args: object) -> T:
    """Run blocking work (a database call, a custom action) in a worker thread, letting other
    turns use the loop until it is done."""
    async with stepping_aside():
        return await asyncio.to_thread(func, *args)
