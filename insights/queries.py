"""The report tables for commissioners, with small counts suppressed.

Every report is a `Report`: a title, columns and rows of plain values, ready for the page,
JSON and CSV alike. A count of people between 1 and the threshold (WAYMARK_REPORT_MIN_COUNT,
default 5) is never given out: its cell says "fewer than 5". When one part of a row is
hidden, the other parts of the same row are hidden too, so it cannot be worked out by
subtraction; the totals line adds up only what is shown.
"""
from __future__ import annotations

import logging
import math
import os
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy import MetaData, Table, func, inspect, select
from sqlalchemy.orm import Session

from directory import stale
from directory.hours import LONDON
from directory.taxonomy import NEEDS, SUBSTANCES
from insights.models import NOT_SAID, UNKNOWN, DemandCount
from insights.recording import uk_today

log = logging.getLogger(__name__)

DEFAULT_MIN_COUNT = 5
DEFAULT_DAYS = 91  # thirteen weeks
MAX_DAYS = 5 * 366
PERSONA_LABELS = {"self": "Themselves", "family": "Family or carer", "young-person": "Young person",
                  "professional": "Professional", UNKNOWN: "Not said"}
CHANNEL_LABELS = {"web": "Web chat", "sms": "Text message", "voice": "Phone call", "other": "Other"}
NEED_LABELS = {**NEEDS, "other": "Other"}
SUBSTANCE_LABELS = {**SUBSTANCES, NOT_SAID: "Not said"}
HANDOVER_TABLE = "handover"
# Joined the queue, nobody picked up, and then: the person left, said no after all, or it ran out.
LEFT_STATES = ("ended", "declined", "expired")


class ReportError(ValueError):
    """Bad report input (dates, report name), with a message fit to show the person."""


def min_count() -> int:
    """The threshold below which a count is hidden (WAYMARK_REPORT_MIN_COUNT, at least 2)."""
    raw = os.environ.get("WAYMARK_REPORT_MIN_COUNT", "").strip()
    if not raw:
        return DEFAULT_MIN_COUNT
    try:
        value = int(raw)
    except ValueError:
        log.warning("WAYMARK_REPORT_MIN_COUNT is not a whole number; using %d", DEFAULT_MIN_COUNT)
        return DEFAULT_MIN_COUNT
    return max(value, 2)


def fewer_than(k: int) -> str:
    return f"fewer than {k}"


# A figure of k or more, hidden only so that a small count next to it cannot be worked out.
HIDDEN = "hidden"


def is_hidden(value: Any) -> bool:
    return isinstance(value, str) and (value == HIDDEN or value.startswith("fewer than"))


def hide(value: Any, k: int) -> Any:
    """What a hidden figure says: "fewer than 5" when that is true, otherwise "hidden"."""
    if is_hidden(value):
        return value
    return fewer_than(k) if isinstance(value, int) and value < k else HIDDEN


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def utc_bounds(self) -> Tuple[datetime, datetime]:
        """UK midnight at the start and after the end, as naive UTC (how handovers are stored)."""
        def at(d: date) -> datetime:
            return datetime.combine(d, time(0), tzinfo=LONDON).astimezone(timezone.utc).replace(tzinfo=None)
        return at(self.start), at(self.end + timedelta(days=1))


FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)


def date_range(start: Optional[str] = None, end: Optional[str] = None, today: Optional[date] = None) -> DateRange:
    """Parse 'from' and 'to' (YYYY-MM-DD); by default the thirteen weeks up to today (UK)."""
    today = today or uk_today()

    def parse(text: Optional[str], name: str) -> Optional[date]:
        if text is None or not str(text).strip():
            return None
        try:
            day = date.fromisoformat(str(text).strip())
        except ValueError:
            raise ReportError(f"The '{name}' date must look like 2026-11-01.") from None
        if not FIRST_DAY <= day <= LAST_DAY:  # the year 1 or 9999 once overflowed the date sums (500)
            raise ReportError(f"The '{name}' date must be between {FIRST_DAY} and {LAST_DAY}.")
        return day

    last = parse(end, "to") or today
    first = parse(start, "from") or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ReportError("The 'from' date is after the 'to' date.")
    if (last - first).days > MAX_DAYS:
        raise ReportError("Ask for five years or less at a time.")
    return DateRange(first, last)


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text, count (people: suppressed), number, date


@dataclass
class Report:
    name: str
    title: str
    description: str
    columns: List[Column]
    rows: List[Dict[str, Any]] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    empty: str = "Nothing recorded in these dates."
    chart: Optional[Dict[str, Any]] = None  # {"x": column key, "series": [count column keys]}
    totals: bool = True

    def total_row(self) -> Optional[Dict[str, Any]]:
        """The sum of the shown figures in each count column (hidden cells count as nothing)."""
        counts = [c.key for c in self.columns if c.kind == "count"]
        if not self.totals or not self.rows or not counts:
            return None
        row: Dict[str, Any] = {c.key: "" for c in self.columns}
        row[self.columns[0].key] = "Total of the figures shown"
        for key in counts:
            row[key] = sum(r[key] for r in self.rows if isinstance(r.get(key), int))
        return row

    def as_dict(self, date_range: DateRange, k: int) -> Dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "description": self.description,
            "from": date_range.start.isoformat(), "to": date_range.end.isoformat(), "min_count": k,
            "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in self.columns],
            "rows": self.rows, "total": self.total_row(), "notes": self.notes, "empty": self.empty,
            "chart": self.chart,
        }


def suppress_row(row: Dict[str, Any], total_key: str, part_keys: Sequence[str], k: int) -> Dict[str, Any]:
    """Hide small counts in one row: a total and the parts it splits into.

    A total under k hides the whole row's counts. A part between 1 and k-1 is hidden, and
    then so are the other parts, since total minus the shown parts would give it away."""
    out = dict(row)
    total = row[total_key]
    if 0 < total < k:
        for key in (total_key, *part_keys):
            out[key] = hide(row[key], k)
        return out
    if any(0 < row[key] < k for key in part_keys):
        for key in part_keys:
            out[key] = hide(row[key], k)
    return out


def suppress(value: int, k: int) -> Any:
    return fewer_than(k) if 0 < value < k else value


def complement(rows: List[Dict[str, Any]], check: str, keys: Sequence[str], k: int) -> None:
    """Secondary suppression down a column: when exactly one row has `check` hidden, the rest
    of the column and its total would give it away, so hide `hide` in the row with the
    smallest shown `check` as well (its cells in `keys`)."""
    if sum(1 for r in rows if is_hidden(r[check])) != 1:
        return
    shown = [r for r in rows if isinstance(r[check], int)]
    if shown:
        victim = min(shown, key=lambda r: r[check])
        for key in keys:
            victim[key] = hide(victim[key], k)


def _shown_first(rows: List[Dict[str, Any]], key: str, *then: str) -> List[Dict[str, Any]]:
    """Largest shown counts first; hidden rows after, in name order (never by their true size)."""
    return sorted(rows, key=lambda r: (0, -r[key]) + tuple(str(r[t]) for t in then)
                  if isinstance(r[key], int) else (1, 0) + tuple(str(r[t]) for t in then))


# --- demand -----------------------------------------------------------------------------------

def _has_table(session: Session, name: str) -> bool:
    return inspect(session.connection()).has_table(name)


def _demand_sums(session: Session, dr: DateRange, *dims: str) -> List[Tuple]:
    """(dims..., requests) summed over the date range; empty when nothing was ever recorded."""
    if not _has_table(session, DemandCount.__tablename__):
        return []
    columns = [getattr(DemandCount, d) for d in dims]
    stmt = (select(*columns, func.sum(DemandCount.requests))
            .where(DemandCount.day >= dr.start, DemandCount.day <= dr.end)
            .group_by(*columns))
    return [tuple(r) for r in session.execute(stmt)]


def _area_need_rows(session: Session, dr: DateRange, k: int) -> List[Tuple[int, Dict[str, Any]]]:
    """(true unmet count, suppressed row) per area and need: one suppression for both the
    demand and the unmet-need tables, so one cannot be subtracted from the other."""
    cells: Dict[Tuple[str, str], Dict[str, int]] = {}
    for area, need, matched, n in _demand_sums(session, dr, "area", "need", "matched"):
        cell = cells.setdefault((area, need), {"found": 0, "unmet": 0})
        cell["found" if matched else "unmet"] += int(n)
    rows = [(c["unmet"], suppress_row({"area": area, "need": NEED_LABELS.get(need, need),
                                       "requests": c["found"] + c["unmet"], "found": c["found"],
                                       "unmet": c["unmet"]}, "requests", ("found", "unmet"), k))
            for (area, need), c in sorted(cells.items())]
    plain = [row for _, row in rows]
    complement(plain, "requests", ("requests", "found", "unmet"), k)
    complement(plain, "unmet", ("found", "unmet"), k)
    return rows


def demand_by_area(session: Session, dr: DateRange, k: int) -> Report:
    rows = [row for _, row in _area_need_rows(session, dr, k)]
    return Report(
        "demand", "What people asked for, by area and need",
        "Each time the assistant searched the directory for someone: the area (postcode district "
        "or town) and what they needed.",
        [Column("area", "Area"), Column("need", "Need"), Column("requests", "Requests", "count"),
         Column("found", "Something within reach", "count"), Column("unmet", "Nothing within reach", "count")],
        _shown_first(rows, "requests", "area", "need"),
        notes=[f"Counts from 1 to {k - 1} show as \"{fewer_than(k)}\". Figures next to them that would give "
               f"them away show as \"{HIDDEN}\"."],
    )


def unmet_need(session: Session, dr: DateRange, k: int) -> Report:
    rows = [{"area": row["area"], "need": row["need"], "unmet": row["unmet"]}
            for unmet, row in _area_need_rows(session, dr, k) if unmet or is_hidden(row["unmet"])]
    return Report(
        "unmet", "Unmet need: where the directory had nothing within reach",
        "Requests where no open service for that need was found near the person's area.",
        [Column("area", "Area"), Column("need", "Need"), Column("unmet", "Requests with nothing within reach", "count")],
        _shown_first(rows, "unmet", "area", "need"),
        empty="No unmet need recorded in these dates.",
        notes=["A gap here may be a missing listing rather than a missing service: check the directory first."],
    )


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weeks(dr: DateRange) -> List[date]:
    first, weeks = week_of(dr.start), []
    while first <= dr.end:
        weeks.append(first)
        first += timedelta(days=7)
    return weeks


def demand_by_week(session: Session, dr: DateRange, k: int) -> Report:
    weeks = {w: {"requests": 0, "unmet": 0} for w in _weeks(dr)}
    for day, matched, n in _demand_sums(session, dr, "day", "matched"):
        cell = weeks[week_of(day)]
        cell["requests"] += int(n)
        if not matched:
            cell["unmet"] += int(n)
    rows = []
    for week, c in sorted(weeks.items()):
        row = {"week": week.isoformat(), "requests": suppress(c["requests"], k), "unmet": suppress(c["unmet"], k)}
        if is_hidden(row["requests"]):
            row["unmet"] = hide(row["unmet"], k)
        rows.append(row)
    complement(rows, "requests", ("requests", "unmet"), k)
    complement(rows, "unmet", ("unmet",), k)
    has_any = any(c["requests"] for c in weeks.values())
    return Report(
        "weekly", "Requests per week",
        "All searches of the directory, week by week (weeks start on Monday), and how many found nothing.",
        [Column("week", "Week starting", "date"), Column("requests", "Requests", "count"),
         Column("unmet", "Nothing within reach", "count")],
        rows if has_any else [],
        chart={"x": "week", "series": ["requests", "unmet"]},
    )


def who_asked(session: Session, dr: DateRange, k: int) -> Report:
    rows: List[Dict[str, Any]] = []
    for dim, label, names in (("persona", "Who was asking", PERSONA_LABELS),
                              ("channel", "How they came in", CHANNEL_LABELS),
                              ("substance", "Substance mentioned", SUBSTANCE_LABELS)):
        part = [{"group": label, "value": names.get(value, value), "requests": suppress(int(n), k)}
                for value, n in _demand_sums(session, dr, dim) if n]
        complement(part, "requests", ("requests",), k)
        rows.extend(_shown_first(part, "requests", "value"))
    return Report(
        "askers", "Who asked, how, and about what",
        "The same requests, counted by who was asking, the channel, and the substance mentioned.",
        [Column("group", "Counted by"), Column("value", "Answer"), Column("requests", "Requests", "count")],
        rows, totals=False,
        notes=["Each grouping adds up to the same requests; no totals line, to avoid counting them three times."],
    )


# --- handovers --------------------------------------------------------------------------------

def _handover_rows(session: Session, dr: DateRange) -> Optional[List[Dict[str, Any]]]:
    """The handover table's rows created in the range, or None when there is no such table."""
    connection = session.connection()
    if not inspect(connection).has_table(HANDOVER_TABLE):
        return None
    table = Table(HANDOVER_TABLE, MetaData(), autoload_with=connection)
    wanted = ["created_at", "queued_at", "claimed_at", "status", "feedback"]
    columns = [table.c[name] for name in wanted if name in table.c]
    if "created_at" not in table.c:
        return None
    start, end = dr.utc_bounds()
    stmt = select(*columns).where(table.c.created_at >= start, table.c.created_at < end)
    return [dict(r._mapping) for r in connection.execute(stmt)]


def _uk_day(moment: datetime) -> date:
    return moment.replace(tzinfo=timezone.utc).astimezone(LONDON).date()


def _minutes(first: Optional[datetime], then: Optional[datetime]) -> Optional[float]:
    if first is None or then is None or then < first:
        return None
    return (then - first).total_seconds() / 60


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the value that `share` of the values are at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _handover_figures(rows: Iterable[Dict[str, Any]], k: int, label: str) -> Dict[str, Any]:
    """One line of the handover report. Counts under k say "fewer than 5"; a wait or a share
    worked out from fewer than k people says "hidden"."""
    rows = list(rows)
    waits = [w for w in (_minutes(r.get("queued_at"), r.get("claimed_at")) for r in rows) if w is not None]
    queued = sum(1 for r in rows if r.get("queued_at") is not None)
    lost = sum(1 for r in rows if r.get("queued_at") is not None and r.get("claimed_at") is None
               and r.get("status") in LEFT_STATES)
    yes = sum(1 for r in rows if r.get("feedback") == "yes")
    no = sum(1 for r in rows if r.get("feedback") == "no")
    figures: Dict[str, Any] = {
        "week": label, "handovers": len(rows), "queued": queued,
        "median_wait": round(statistics.median(waits), 1) if waits else None,
        "p90_wait": round(percentile(waits, 0.9), 1) if waits else None,
        "lost": lost, "lost_share": round(100 * lost / queued) if queued else None,
        "feedback_yes": yes, "feedback_no": no,
    }
    if 0 < len(rows) < k:  # a tiny week: give nothing about it
        return {key: (value if key == "week" or value is None else hide(value, k) if key in HANDOVER_COUNTS
                      else HIDDEN) for key, value in figures.items()}
    if 0 < len(waits) < k:
        figures["median_wait"] = figures["p90_wait"] = HIDDEN
    for key in ("queued", "lost", "feedback_yes", "feedback_no"):
        figures[key] = suppress(figures[key], k)
    return _hide_share(figures)


HANDOVER_COUNTS = ("handovers", "queued", "lost", "feedback_yes", "feedback_no")


def _hide_share(figures: Dict[str, Any]) -> Dict[str, Any]:
    """A share next to a hidden count (or of fewer than k) would give the count away."""
    if figures["lost_share"] is not None and (is_hidden(figures["queued"]) or is_hidden(figures["lost"])):
        figures["lost_share"] = HIDDEN
    return figures


def handovers(session: Session, dr: DateRange, k: int) -> Report:
    report = Report(
        "handovers", "Handovers to a person: how many, waits and outcomes",
        "Handovers started in these dates, by week. The wait is from joining the queue to a helpline "
        "worker picking up. \"Left or expired\" joined the queue but nobody picked up before they "
        "left or the offer ran out. Outcomes come from the question \"did you get what you needed?\".",
        [Column("week", "Week starting", "date"), Column("handovers", "Handovers", "count"),
         Column("queued", "Joined the queue", "count"), Column("median_wait", "Median wait (minutes)", "number"),
         Column("p90_wait", "9 in 10 waited at most (minutes)", "number"),
         Column("lost", "Left or expired before pickup", "count"), Column("lost_share", "Left or expired (%)", "number"),
         Column("feedback_yes", "Got what they needed: yes", "count"),
         Column("feedback_no", "Got what they needed: no", "count")],
        empty="No handovers recorded.", chart={"x": "week", "series": ["handovers", "lost"]},
    )
    rows = _handover_rows(session, dr)
    if not rows:
        return report
    by_week: Dict[date, List[Dict[str, Any]]] = {w: [] for w in _weeks(dr)}
    for row in rows:
        by_week.setdefault(week_of(_uk_day(row["created_at"])), []).append(row)
    report.rows = [_handover_figures(items, k, week.isoformat()) for week, items in sorted(by_week.items())]
    for check, keys in (("handovers", ("handovers",)), ("queued", ("queued",)), ("lost", ("lost",)),
                        ("feedback_yes", ("feedback_yes",)), ("feedback_no", ("feedback_no",))):
        complement(report.rows, check, keys, k)
    report.rows = [_hide_share(row) for row in report.rows]
    report.totals = False
    overall = _handover_figures(rows, k, "All these dates")
    report.rows.append(overall)
    report.notes = [f"Waits are given only when at least {k} people waited; shares only when at least "
                    f"{k} joined the queue.", "The last line is the whole date range.",
                    "Handovers are deleted with their conversation after the retention period "
                    "(WAYMARK_RETENTION_DAYS), so older weeks may be empty."]
    return report


# --- stale listings ---------------------------------------------------------------------------

def stale_by_owner(session: Session, dr: DateRange, k: int, days: int, today: Optional[date] = None) -> Report:
    today = today or uk_today()
    groups = stale.stale_listings(session, days, today)
    rows = [{"organisation": g.organization, "listings": len(g.listings),
             "oldest": min((s.assured_date for s in g.listings if s.assured_date), default=None),
             "never": sum(1 for s in g.listings if s.assured_date is None), "ask": g.ask or ""}
            for g in groups]
    for row in rows:
        row["oldest"] = row["oldest"].isoformat() if row["oldest"] else "never checked"
    return Report(
        "stale", f"Stale listings by owner (not checked for {days} days)",
        f"Live listings nobody has confirmed since {(today - timedelta(days=days)).isoformat()}, by the "
        "organisation that runs them, oldest first. This is today's picture, whatever the dates chosen.",
        [Column("organisation", "Organisation"), Column("listings", "Stale listings", "number"),
         Column("never", "Never checked", "number"), Column("oldest", "Oldest check", "date"),
         Column("ask", "Who to ask")],
        rows, empty=f"No stale listings: every live service was checked in the last {days} days.",
        notes=["Listings, not people: these counts are not hidden."],
    )


# --- all of them ------------------------------------------------------------------------------

REPORTS: Dict[str, Callable[..., Report]] = {
    "demand": demand_by_area,
    "unmet": unmet_need,
    "weekly": demand_by_week,
    "askers": who_asked,
    "handovers": handovers,
    "stale": stale_by_owner,
}


def build(session: Session, name: str, dr: DateRange, k: Optional[int] = None,
          stale_after_days: int = 90) -> Report:
    """One report by name; ReportError for a name we do not have."""
    if name not in REPORTS:
        raise ReportError(f"There is no report called '{name}'. Try one of: {', '.join(REPORTS)}.")
    k = k or min_count()
    if name == "stale":
        return stale_by_owner(session, dr, k, stale_after_days)
    return REPORTS[name](session, dr, k)
