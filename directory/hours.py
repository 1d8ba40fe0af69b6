"""Opening hours: is a service open at a given moment, and when does it next open?

Hours are wall-clock times in Europe/London, so British Summer Time is handled by doing all
the arithmetic in local time. A row with closes_at earlier than opens_at runs past midnight
(e.g. a night shelter 20:00–08:00). Dated rows (valid_from/valid_to) replace the weekly
pattern on those days; a dated row without opens_at means closed all day (bank holidays).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, Optional, Sequence
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Opening:
    """One span of opening on one calendar day (closes may be on the next day)."""

    opens: datetime
    closes: datetime


def _is_dated(row) -> bool:
    return row.valid_from is not None or row.valid_to is not None


def _covers(row, day: date) -> bool:
    return (row.valid_from is None or row.valid_from <= day) and (
        row.valid_to is None or day <= row.valid_to
    )


def _rows_for_day(rows: Sequence, day: date) -> list:
    """The rows that decide opening on `day`: dated overrides win over the weekly pattern."""
    dated = [r for r in rows if _is_dated(r) and _covers(r, day)]
    if dated:
        return [r for r in dated if r.opens_at is not None and _on_weekday(r, day, default=True)]
    return [r for r in rows if not _is_dated(r) and r.opens_at is not None and _on_weekday(r, day)]


def _on_weekday(row, day: date, default: bool = False) -> bool:
    if not row.byday:
        return default or (row.freq or "").upper() == "DAILY"
    days = {d.strip().upper()[-2:] for d in row.byday.split(",")}
    return DAY_CODES[day.weekday()] in days


def openings_on(rows: Sequence, day: date) -> list[Opening]:
    spans = []
    for row in _rows_for_day(rows, day):
        opens = datetime.combine(day, row.opens_at, tzinfo=LONDON)
        closes_t: time = row.closes_at or time(23, 59, 59)
        closes_day = day + timedelta(days=1) if closes_t <= row.opens_at else day
        spans.append(Opening(opens, datetime.combine(closes_day, closes_t, tzinfo=LONDON)))
    return sorted(spans, key=lambda s: s.opens)


def times_on(rows: Sequence, day: date) -> str:
    """The day's opening times as people read them ("9am–12pm, 5pm–8pm"); "" when closed."""
    return ", ".join(f"{_clock(s.opens.time())}–{_clock(s.closes.time())}" for s in openings_on(rows, day))


EVENING = time(18, 0)  # open in the evening: closes at 6pm or later on some day


def opens_evenings(rows: Sequence) -> bool:
    return any(row.opens_at is not None and (row.closes_at is None or row.closes_at >= EVENING
                                             or row.closes_at <= row.opens_at) for row in rows)


def opens_weekends(rows: Sequence, today: date) -> bool:
    """Open on a Saturday or Sunday in the fortnight from `today` (weekly rows and dated ones)."""
    days = (today + timedelta(days=n) for n in range(14))
    return any(openings_on(rows, day) for day in days if day.weekday() >= 5)


def is_open(rows: Sequence, at: datetime) -> bool:
    local = at.astimezone(LONDON)
    # Yesterday's span may run past midnight into today.
    for day in (local.date() - timedelta(days=1), local.date()):
        for span in openings_on(rows, day):
            if span.opens <= local < span.closes:
                return True
    return False


def next_opening(rows: Sequence, after: datetime, horizon_days: int = 14) -> Optional[datetime]:
    local = after.astimezone(LONDON)
    for offset in range(horizon_days + 1):
        for span in openings_on(rows, local.date() + timedelta(days=offset)):
            if span.opens > local:
                return span.opens
    return None


def describe_time(moment: datetime, now: datetime) -> str:
    """'today at 9am', 'tomorrow at 10:30am', 'Monday at 9am'."""
    moment, now = moment.astimezone(LONDON), now.astimezone(LONDON)
    clock = moment.strftime("%I:%M%p").lstrip("0").replace(":00", "").lower()
    days = (moment.date() - now.date()).days
    if days == 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    if days < 7:
        return f"{DAY_NAMES[moment.weekday()]} at {clock}"
    return f"{moment.strftime('%A %d %B').replace(' 0', ' ')} at {clock}"


ALWAYS_OPEN = "open 24 hours, every day"
ALL_DAY = "24 hours"


def _all_day(opens: time, closes: Optional[time]) -> bool:
    """A span that covers the whole day: 00:00–00:00 (how a 24/7 listing is stored), any
    opens == closes, or midnight to the last minute of the day (or no closing time)."""
    if closes is None or closes >= time(23, 59):
        return opens == time(0, 0)
    return opens == closes


def weekly_summary(rows: Iterable) -> str:
    """'Mon–Fri 9am–5pm; Sat 10am–1pm' from the weekly rows (dated overrides left out).
    A service open round the clock all week is 'open 24 hours, every day' (never
    'Mon–Sun 12am–12am'); round the clock on some days is 'Mon–Fri 24 hours'."""
    by_hours: dict[tuple, list[int]] = {}
    for row in rows:
        if _is_dated(row) or row.opens_at is None or not row.byday:
            continue
        key = (None, None) if _all_day(row.opens_at, row.closes_at) else (row.opens_at, row.closes_at)
        for code in row.byday.split(","):
            code = code.strip().upper()[-2:]
            if code in DAY_CODES:
                by_hours.setdefault(key, []).append(DAY_CODES.index(code))
    if set(by_hours.get((None, None), [])) == set(range(7)):
        return ALWAYS_OPEN
    parts = []
    for (opens, closes), days in sorted(by_hours.items(), key=lambda kv: min(kv[1])):
        when = ALL_DAY if opens is None else f"{_clock(opens)}–{_clock(closes)}"
        parts.append(f"{_day_ranges(sorted(set(days)))} {when}")
    return "; ".join(parts)


def _clock(value: Optional[time]) -> str:
    if value is None:
        return "late"
    text = value.strftime("%I:%M%p").lstrip("0").lower()
    return text.replace(":00", "")


def _day_ranges(days: list[int]) -> str:
    short = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    groups, start = [], days[0]
    for prev, cur in zip(days, days[1:] + [None]):
        if cur is None or cur != prev + 1:
            groups.append(short[start] if start == prev else f"{short[start]}–{short[prev]}")
            start = cur
    return ", ".join(groups)
