"""Waymark's one clock. Every part that asks "what time is it" asks here: the SMS outbox and
reminders, handover timeouts and callbacks, opening hours, retention and purge, the insights
day and token expiry.

Why one clock: with two, a test (or an operator's dry run) that moves one of them leaves the
other on the wall clock. That is how a reminder set for "Tuesday at 10" by an app whose clock
said Monday was sent at once by another app instance on the same database whose clock said
Tuesday evening. In production this is the wall clock, read in Europe/London where a local
time is wanted.

Times come in three shapes, each with its own function:
* `now()`: aware, Europe/London (opening hours, "tomorrow", reminders, the insights day);
* `utc_now()`: naive UTC, as the tables store times (SQLite has no time zones);
* `timestamp()`: seconds since the epoch, as Rasa's events carry them (retention).

Tests move the clock with `freeze(moment)` (stopped there), `travel(moment)` (set there, and
running on from it), `advance(delta)` and `reset()`. The clock is one per process, so every app
instance a test starts reads the same time. A test whose app runs in another process sets
`WAYMARK_CLOCK` (an ISO time, UTC unless it has an offset): the clock is then stopped at that
moment. Never set it in production.

This module imports nothing of Waymark's, so any layer may use it.
"""
from __future__ import annotations

import os
import threading
from datetime import date, datetime, timedelta, timezone
from typing import Optional
from zoneinfo import ZoneInfo

__all__ = ["LONDON", "PIN_VARIABLE", "now", "utc_now", "today", "timestamp", "to_naive_utc", "as_utc",
           "freeze", "travel", "advance", "reset"]

LONDON = ZoneInfo("Europe/London")
PIN_VARIABLE = "WAYMARK_CLOCK"  # test-only, see above
# Test-only: seconds added to the wall clock in this process and every process it starts, so a
# whole test run can live at another date (`tests/run_calendar.py`). Unset in production.
OFFSET_VARIABLE = "WAYMARK_CLOCK_OFFSET_SECONDS"

_lock = threading.Lock()
_frozen: Optional[datetime] = None  # aware UTC, when stopped
_offset = timedelta(0)  # added to the wall clock when running


def _wall() -> datetime:
    shifted = os.environ.get(OFFSET_VARIABLE)
    now = datetime.now(timezone.utc)
    return now + timedelta(seconds=float(shifted)) if shifted else now


def _current_utc() -> datetime:
    """Aware UTC: the pinned moment, the stopped moment, or the wall clock plus the offset."""
    pinned = os.environ.get(PIN_VARIABLE)
    if pinned:
        return _parse(pinned)
    frozen, offset = _frozen, _offset
    if frozen is not None:
        return frozen
    return _wall() + offset


def now() -> datetime:
    """The current time, aware, in Europe/London."""
    return _current_utc().astimezone(LONDON)


def utc_now() -> datetime:
    """The current time as naive UTC, the way the tables store it."""
    return _current_utc().replace(tzinfo=None)


def today() -> date:
    """Today's date in the UK."""
    return now().date()


def timestamp() -> float:
    """Seconds since the epoch (Rasa's event timestamps are these)."""
    return _current_utc().timestamp()


def to_naive_utc(moment: datetime) -> datetime:
    """Any datetime as naive UTC (a naive one is taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def as_utc(moment: datetime) -> datetime:
    """A moment as aware UTC; a naive one is taken to be UTC, as the tables store times."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


# --- for tests ----------------------------------------------------------------------------


def freeze(moment: datetime) -> None:
    """Stop the clock at `moment` (naive means UTC)."""
    global _frozen
    with _lock:
        _frozen = as_utc(moment)


def travel(moment: datetime) -> None:
    """Set the clock to `moment` and let it run on from there (naive means UTC)."""
    global _frozen, _offset
    with _lock:
        _frozen = None
        _offset = as_utc(moment) - _wall()


def advance(delta: timedelta) -> None:
    """Move the clock on by `delta`, stopped or running."""
    global _frozen, _offset
    with _lock:
        if _frozen is not None:
            _frozen = _frozen + delta
        else:
            _offset = _offset + delta


def reset() -> None:
    """Back to the wall clock."""
    global _frozen, _offset
    with _lock:
        _frozen, _offset = None, timedelta(0)


def _parse(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{PIN_VARIABLE} must be an ISO time such as 2026-11-25T11:00:00, not {text!r}") from None
    return as_utc(moment)
