"""Reminders by text: "remind me on Tuesday at 10" is stored and sent at that time, UK time.

Requests are recognised here, in the channel layer, by a small deterministic parser (the
dialogue model is not involved). Understood: a day ("today", "tomorrow", a weekday, "next
Tuesday"), a time ("10", "10am", "10:30", "2pm", "noon"), and optionally what it is for
("remind me to ring the hub on Tuesday at 10"). A bare hour from 1 to 6 means the afternoon
(nobody wants a reminder at 2 in the morning); a day with no time means 10am.

Reminders are rows in `sms_reminder`; a loop started with the app polls the table and moves
due ones into the outbox, so they survive restarts. "cancel reminder" cancels them.
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Optional
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from channels import sms_text
from channels.models import Reminder, to_naive_utc

if TYPE_CHECKING:  # pragma: no cover
    from channels.twilio_common import TwilioChannels

log = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")
DEFAULT_TIME = time(10, 0)
MAX_SCHEDULED_PER_PERSON = 5

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
_REMIND = re.compile(r"\bremind\s+me\b", re.IGNORECASE)
_CANCEL = re.compile(
    r"^\s*(?:please\s+)?(?:cancel|stop|delete|remove|scrap)\s+(?:the\s+|my\s+|that\s+|all\s+)*reminders?\b"
    r"|^\s*(?:no\s+more\s+)?reminders?\s+(?:off|cancel(?:led)?)\b|^\s*cancel\s*$",
    re.IGNORECASE,
)
_DAY = re.compile(r"\b(?:(next)\s+|on\s+)?(today|tonight|tomorrow|" + "|".join(sorted(WEEKDAYS, key=len, reverse=True))
                  + r")\b", re.IGNORECASE)
_TIME = re.compile(
    r"\b(?:(?P<at>at|for|@)\s*)?(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\b\.?)?"
    r"|\b(?P<noon>noon|midday)\b",
    re.IGNORECASE,
)
_PURPOSE = re.compile(r"\bremind\s+me\s+(?:to|about)\s+(?P<what>.+?)(?=\s+(?:on|at|next|this|by)\b|\s+(?:today|tomorrow|"
                      r"tonight)\b|[.!?]?\s*$)", re.IGNORECASE)


@dataclass(frozen=True)
class ReminderRequest:
    due: Optional[datetime]  # aware, Europe/London; None when no day or time was understood
    purpose: str = ""
    assumed_time: bool = False


def is_cancel_request(text: str) -> bool:
    return bool(_CANCEL.search(text))


def _time_of(text: str) -> Optional[time]:
    for match in _TIME.finditer(text):
        if match.group("noon"):
            return time(12, 0)
        hour, minute, ampm = int(match.group("hour")), match.group("minute"), match.group("ampm")
        if not (match.group("at") or minute or ampm):
            continue  # a bare number ("the 5 of us") is not a time
        minute_value = int(minute) if minute else 0
        if minute_value > 59:
            continue
        if ampm:
            if not 1 <= hour <= 12:
                continue
            pm = ampm.lower().startswith("p")
            hour = (hour % 12) + (12 if pm else 0)
        elif 1 <= hour <= 6:
            hour += 12
        if hour > 23:
            continue
        return time(hour, minute_value)
    return None


def parse_reminder(text: str, now: datetime) -> Optional[ReminderRequest]:
    """A reminder request in `text`, or None if it is not one. `now` is any aware datetime."""
    if not _REMIND.search(text):
        return None
    now = now.astimezone(LONDON)
    purpose_match = _PURPOSE.search(text)
    purpose = purpose_match.group("what").strip() if purpose_match else ""
    scan = text[:purpose_match.start("what")] + text[purpose_match.end("what"):] if purpose_match else text
    day_match = _DAY.search(scan)
    at = _time_of(scan)
    if day_match is None and at is None:
        return ReminderRequest(due=None, purpose=purpose)
    assumed = at is None
    at = at or DEFAULT_TIME
    today = now.date()
    if day_match is None:
        day = today if datetime.combine(today, at, tzinfo=LONDON) > now else today + timedelta(days=1)
    else:
        word = day_match.group(2).lower()
        if word in ("today", "tonight"):
            day = today
            if word == "tonight" and assumed:
                at = time(19, 0)
        elif word == "tomorrow":
            day = today + timedelta(days=1)
        else:
            ahead = (WEEKDAYS[word] - today.weekday()) % 7
            if ahead == 0 and (day_match.group(1) or datetime.combine(today, at, tzinfo=LONDON) <= now):
                ahead = 7
            day = today + timedelta(days=ahead)
    return ReminderRequest(due=datetime.combine(day, at, tzinfo=LONDON), purpose=purpose, assumed_time=assumed)


def spoken_time(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if moment.hour == 12 and moment.minute == 0:
        return "12 noon"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def describe(moment: datetime, now: datetime) -> str:
    moment, now = moment.astimezone(LONDON), now.astimezone(LONDON)
    day: date = moment.date()
    full = f"{moment.strftime('%A')} {day.day} {moment.strftime('%B')}"
    if day == now.date():
        when = "today"
    elif day == now.date() + timedelta(days=1):
        when = f"tomorrow ({full})"
    else:
        when = f"on {full}"
    return f"{when} at {spoken_time(moment)}"


def reminder_text(purpose: str) -> str:
    if purpose:
        return f"This is the reminder you asked for: {purpose.rstrip('.')}."
    return "This is the reminder you asked for. Reply if you'd like help finding a service again."


class Reminders:
    def __init__(self, channels: "TwilioChannels"):
        self.channels = channels

    def schedule(self, person_hash: str, number: str, request: ReminderRequest) -> str:
        """Store the reminder; return the confirmation to send."""
        now = self.channels.now()
        if request.due is None:
            return ("When should I remind you? For example: remind me on Tuesday at 10am, "
                    "or remind me tomorrow at 2pm.")
        if request.due <= now:
            return "That time has already passed. When should I remind you? For example: remind me tomorrow at 10am."
        with self.channels.session() as session:
            scheduled = session.execute(
                select(Reminder.id).where(Reminder.person_hash == person_hash, Reminder.status == "scheduled")
            ).all()
            if len(scheduled) >= MAX_SCHEDULED_PER_PERSON:
                return (f"You already have {len(scheduled)} reminders set, which is as many as I can keep. "
                        "Reply CANCEL REMINDER to clear them.")
            session.add(Reminder(person_hash=person_hash, to_encrypted=self.channels.identity.encrypt(number),
                                 due_at=to_naive_utc(request.due), body=reminder_text(request.purpose),
                                 status="scheduled", created_at=to_naive_utc(now)))
            session.commit()
        when = describe(request.due, now)
        extra = " (you didn't say a time, so I picked 10am)" if request.assumed_time and request.due.hour == 10 else ""
        return f"OK, I'll text you a reminder {when}{extra}, UK time. To cancel it, reply CANCEL REMINDER."

    def cancel(self, person_hash: str) -> int:
        with self.channels.session() as session:
            count = session.execute(
                update(Reminder).where(Reminder.person_hash == person_hash, Reminder.status == "scheduled")
                .values(status="cancelled", to_encrypted=None)
            ).rowcount or 0
            session.commit()
        return count

    def _queue_due(self) -> int:
        """Move every due reminder into the outbox, in one transaction per reminder."""
        now = to_naive_utc(self.channels.now())
        queued = 0
        with self.channels.session() as session:
            due = session.execute(
                select(Reminder).where(Reminder.status == "scheduled", Reminder.due_at <= now).order_by(Reminder.due_at)
            ).scalars().all()
            for reminder in due:
                # Read before the UPDATE below, which also wipes these attributes in the session.
                token, body, person = reminder.to_encrypted or "", reminder.body, reminder.person_hash
                claimed = session.execute(
                    update(Reminder).where(Reminder.id == reminder.id, Reminder.status == "scheduled")
                    .values(status="sent", to_encrypted=None)
                ).rowcount
                if claimed != 1:  # another instance took it
                    session.rollback()
                    continue
                if not token:
                    session.commit()
                    continue
                bodies, _ = sms_text.format_replies([body])
                self.channels.outbox.enqueue(session, person, bodies, to_encrypted=token, kind="reminder")
                session.commit()
                queued += 1
        return queued

    async def send_due(self) -> int:
        queued = await asyncio.to_thread(self._queue_due)
        if queued:
            log.info("Queued %d reminder(s) to send", queued)
            self.channels.outbox.wake()
        return queued

    async def run_forever(self) -> None:
        while True:
            try:
                await self.send_due()
            except Exception:  # noqa: BLE001 - keep polling after a database hiccup
                log.exception("Reminder pass failed; trying again shortly")
            await asyncio.sleep(self.channels.poll_seconds)
