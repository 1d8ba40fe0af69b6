"""The words the actions say, built from directory results. Plain functions, tested alone.

Short sentences, person-first, SMS-sized: the channel layer does the final formatting.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from directory import hours
from directory.search import ServiceMatch

KM_PER_MILE = 1.609344
NEED_WORDS = {
    "treatment": "drug and alcohol service",
    "needle-exchange": "needle exchange",
    "naloxone": "place to get naloxone",
    "family-support": "family support service",
    "carers-assessment": "carer's assessment service",
    "advocacy": "advocacy service",
    "housing": "housing service",
    "mental-health": "mental health service",
    "young-people": "young people's service",
    "mutual-aid": "support group",
    "pregnancy": "specialist midwife",
    "prison-release": "team for people leaving prison",
    "employment": "work and training service",
    "criminal-justice": "custody and courts team",
    "user-involvement": "user forum",
}


def miles(distance_km: float) -> str:
    value = distance_km / KM_PER_MILE
    if value < 0.1:
        return "less than 0.1 miles"
    return f"{value:.1f} miles" if value < 10 else f"{value:.0f} miles"


def how_far(match: ServiceMatch) -> str:
    """"1.2 miles away", or for a confidential place only its band ("within 5 miles")."""
    return match.distance_band or f"{miles(match.distance_km)} away"


def checked_on(day: date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def opening_line(match: ServiceMatch, now: datetime) -> str:
    if match.open_now:
        return "Open now."
    if match.next_opens is not None:
        return f"Closed now. Opens {hours.describe_time(match.next_opens, now)}."
    return "Ring to check when it is open."


def hours_sentence(summary: Optional[str]) -> str:
    """'Hours: Mon–Fri 9am–5pm.', or 'Open 24 hours, every day.' for a 24/7 service."""
    if not summary:
        return ""
    if summary == hours.ALWAYS_OPEN:
        return f"{summary[0].upper()}{summary[1:]}."
    return f"Hours: {summary}."


def how_to_get_in(match: ServiceMatch) -> str:
    if match.walk_in and match.phone:
        return f"Ring {match.phone} or just walk in."
    if match.walk_in:
        return "Just walk in."
    if match.self_referral and match.phone:
        return f"Ring {match.phone} to refer yourself."
    if match.phone:
        return f"Ring {match.phone}."
    return ""


def service_reply(match: ServiceMatch, place_label: str, now: datetime) -> str:
    """The one-message answer about the nearest service."""
    return " ".join(p for p in [f"Nearest to {place_label}: {match.name}, {how_far(match)}."] + _details(match, now) if p)


def about_reply(match: ServiceMatch, now: datetime) -> str:
    """A service asked about by name: the same details, without a distance."""
    return " ".join(p for p in [f"{match.name}."] + _details(match, now) if p)


def _details(match: ServiceMatch, now: datetime) -> list:
    parts = []
    if match.address:
        parts.append(match.address + ".")
    parts.append(opening_line(match, now))
    parts.append(how_to_get_in(match))
    parts.append(hours_sentence(match.hours))
    if match.stale and match.assured_date:
        parts.append(f"Last checked on {checked_on(match.assured_date)} — ring first.")
    elif match.stale:
        parts.append("Not checked recently — ring first.")
    elif match.assured_date:
        parts.append(f"Last checked {checked_on(match.assured_date)}.")
    if match.is_sample:
        parts.append("(Sample listing for the demo, not a real service.)")
    return parts


def alternatives_reply(others: list, best: ServiceMatch, now: datetime) -> str:
    """Other options, one short line each (an SMS reads them as lines). When the nearest is
    closed now and one of these is open, that one is first and is said to be open."""
    first_open = not best.open_now and others[0].open_now
    lead = "Open now nearby:" if first_open and len(others) == 1 else \
        "Open now, and other options:" if first_open else "Other options:"
    lines = [f"{m.name}, {how_far(m)}. {opening_line(m, now)}" + (f" Ring {m.phone}." if m.phone else "")
             for m in others]
    return "\n".join([lead] + lines)


def what_to_expect(match: ServiceMatch) -> Optional[str]:
    if not match.application_process:
        return None
    return f"What to expect: {match.application_process}"


NEED_WORDS.update({"money-advice": "money advice service", "bbv-testing": "place to get tested for hepatitis or HIV",
                   "domestic-abuse": "domestic abuse service"})  # issue 20, needs 4-6


def no_match_reply(need: Optional[str], place_label: str, line_name: Optional[str], line_number: Optional[str]) -> str:
    what = NEED_WORDS.get(need or "treatment", "service")
    article = "an" if what[0] in "aeiou" else "a"
    text = f"Sorry, I couldn't find {article} {what} near {place_label} in my directory."
    if line_name and line_number:
        text += f" You can ring {line_name} on {line_number} to talk it through."
    return text


def outside_area_reply(place: str, line_name: Optional[str], line_number: Optional[str]) -> str:
    """For a real place the directory has no services near yet: say so, and give a national line
    that can point them to their local service, so they leave with something to do."""
    text = f"I don't have any services near {place} in my directory yet, sorry."
    if line_name and line_number:
        text += (f" You can still get help there: ring {line_name} on {line_number}, free, and ask about your "
                 "local drug and alcohol service.")
    return text + " If you'd like me to look somewhere else, send that postcode or town."


def unknown_place_reply(text: str) -> str:
    return (
        f"Sorry, I don't know where \"{text}\" is. "
        "Could you send a postcode like LS1 4AP, or the name of a town?"
    )
