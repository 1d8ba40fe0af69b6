"""Journey: waiting and staying in. "They said a month wait" gets things to do in the
meantime (a drop-in, peer support, someone to talk to now) and an offer of a reminder;
"I've relapsed" gets a warm way back in, never judgement."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

import timekeeping
from actions import journey_words as words
from actions.common import latest_text
from actions.find_service import requested_before_latest_message
from directory import geo, hours, search
from directory.models import Service
from waymark.settings import get_settings

ONLINE_LINE = "national-frank"
REMINDER_INTENT = "EXTERNAL_appointment_reminder"
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def interim_options(session: Session, place: geo.Place, now: datetime) -> List[str]:
    """Numbered things to do while waiting, all from the directory."""
    options: List[str] = []
    stale = get_settings().stale_after_days
    base = dict(latitude=place.latitude, longitude=place.longitude, limit=1)
    drop_in = search.search(session, search.SearchQuery(need="treatment", walk_in=True, audience="adult", **base),
                            now=now, stale_after_days=stale)
    if drop_in:
        m = drop_in[0]
        options.append(words.waiting_option("Drop in", m.name, m.phone, f"{_when(m, now)} No appointment needed."))
    peer = search.search(session, search.SearchQuery(need="mutual-aid", **base), now=now, stale_after_days=stale)
    if peer:
        m = peer[0]
        options.append(words.waiting_option("Peer support", m.name, m.phone, _when(m, now)))
    line = session.get(Service, ONLINE_LINE)
    if line is not None and line.status == "active" and line.phones:
        notes = next((s.notes for s in line.schedules if s.notes), None)
        options.append(words.online_option(line.name, line.phones[0].number, notes))
    return [f"{i}. {text}" for i, text in enumerate(options, 1)]


def _when(match: search.ServiceMatch, now: datetime) -> str:
    if match.open_now:
        return "Open now."
    if match.next_opens is not None:
        return f"Next open {hours.describe_time(match.next_opens, now)}."
    return ""


class ActionWaitingIntro(Action):
    def name(self) -> Text:
        return "action_waiting_intro"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=words.WAITING_INTRO)
        return []


def waiting_reply(dispatcher: CollectingDispatcher, session: Session, place: geo.Place, now: datetime) -> None:
    for option in interim_options(session, place, now):
        dispatcher.utter_message(text=option)
    dispatcher.utter_message(text=words.REMINDER_OFFER, buttons=words.buttons(
        [("Yes, remind me", "/request_reminder"), ("No thanks", "/decline_reminder")]))


class ActionRelapse(Action):
    def name(self) -> Text:
        return "action_relapse"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=words.RELAPSE)
        if tracker.get_slot("substance") in ("opioids", None):
            dispatcher.utter_message(text=words.RELAPSE_NALOXONE)
        else:
            dispatcher.utter_message(text=words.RELAPSE_USE_LESS)
        return [SlotSet("need", "treatment")]


class ActionDeclineReminder(Action):
    def name(self) -> Text:
        return "action_decline_reminder"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=words.REMINDER_NO)
        return []


def parse_day(text: str, today: date) -> Optional[date]:
    """'tomorrow', 'tuesday', 'next tues', '14 march', '14th of mar', '14/3' -> a date after today."""
    t = (text or "").lower()
    if "today" in t:
        return today
    if "tomorrow" in t or "tmrw" in t or "tomoz" in t:
        return today + timedelta(days=1)
    m = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([a-z]{3})[a-z]*\b", t)
    if m and m.group(2) in MONTHS:
        return _future(today, int(m.group(1)), MONTHS.index(m.group(2)) + 1)
    m = re.search(r"\b([a-z]{3})[a-z]* (\d{1,2})(?:st|nd|rd|th)?\b", t)
    if m and m.group(1) in MONTHS:
        return _future(today, int(m.group(2)), MONTHS.index(m.group(1)) + 1)
    m = re.search(r"\b(\d{1,2})/(\d{1,2})\b", t)
    if m:
        return _future(today, int(m.group(1)), int(m.group(2)))
    for word in re.findall(r"[a-z]+", t):
        if word[:3] in WEEKDAYS and (len(word) <= 5 or word.endswith("day")) and word not in ("month", "monster"):
            ahead = (WEEKDAYS.index(word[:3]) - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    return None


def _future(today: date, day: int, month: int) -> Optional[date]:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


def reminder_time(appointment: date, now: datetime) -> datetime:
    """10am the day before, else 6pm the day before, else in a minute (never in the past)."""
    for clock in (time(10, 0), time(18, 0)):
        wanted = datetime.combine(appointment - timedelta(days=1), clock, tzinfo=hours.LONDON)
        if wanted > now:
            return wanted
    return now + timedelta(minutes=1)


class ValidateReminderForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_reminder_form"

    async def extract_appointment_date(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> Dict[Text, Any]:
        if requested_before_latest_message(tracker) != "appointment_date":
            return {}
        text = latest_text(tracker)
        return {"appointment_date": text} if text and not text.startswith("/") else {}

    def validate_appointment_date(self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[Text, Any]:
        day = parse_day(str(slot_value or ""), timekeeping.now().date())
        if day is None:
            dispatcher.utter_message(text=words.REMINDER_UNSURE)
            return {"appointment_date": None}
        return {"appointment_date": day.isoformat()}


class ActionSetReminder(Action):
    def name(self) -> Text:
        return "action_set_reminder"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        now = timekeeping.now()
        try:
            appointment = date.fromisoformat(tracker.get_slot("appointment_date") or "")
        except ValueError:
            dispatcher.utter_message(text=words.REMINDER_UNSURE)
            return [SlotSet("appointment_date", None)]
        at = reminder_time(appointment, now)
        dispatcher.utter_message(text=words.reminder_set(hours.describe_time(at, now)))
        return [ReminderScheduled(REMINDER_INTENT, trigger_date_time=at, name="appointment",
                                  kill_on_user_message=False)]


class ActionAppointmentReminder(Action):
    def name(self) -> Text:
        return "action_appointment_reminder"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        now = timekeeping.now()
        try:
            appointment = date.fromisoformat(tracker.get_slot("appointment_date") or "")
        except ValueError:
            appointment = now.date() + timedelta(days=1)
        dispatcher.utter_message(text=words.reminder_message(day_words(appointment, now.date())))
        return [SlotSet("appointment_date", None)]


def day_words(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return "on " + day.strftime("%A %d %B").replace(" 0", " ")
