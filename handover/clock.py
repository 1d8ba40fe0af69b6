"""The handover's idea of now, in one place: naive UTC, as the tables store it.

Opening hours decide whether a helpline is open, so tests move this clock (monkeypatch
`handover.clock.utc_now`) to try evenings and weekends; the custom actions and the desk both
read it at call time.

Test-only: WAYMARK_HANDOVER_CLOCK (an ISO time, UTC unless it has an offset, e.g.
2026-11-25T11:00:00) stops this clock at that moment. It exists for tests whose app runs in
another thread or process (the browser tests), where monkeypatching can't reach. Never set
it in production: when it is unset, this is the real clock.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

PIN_VARIABLE = "WAYMARK_HANDOVER_CLOCK"  # test-only, see above


def utc_now() -> datetime:
    pinned = os.environ.get(PIN_VARIABLE)
    if pinned:
        return _pinned(pinned)
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _pinned(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{PIN_VARIABLE} must be an ISO time such as 2026-11-25T11:00:00, not {text!r}") from None
    return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment


def aware(moment: datetime) -> datetime:
    """A stored naive-UTC time as an aware one (for opening-hours arithmetic)."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
