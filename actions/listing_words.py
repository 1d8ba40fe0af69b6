"""What Waymark says to a follow-up on a listing: the address, the cost, the hours on a day,
what it offers, and the next options ("any others?"). Words only; the action picks."""
from __future__ import annotations

from datetime import date
from typing import Optional, Sequence

from directory import hours

FEATURE_WORDS = {"naloxone": "naloxone kits", "needle-exchange": "needle exchange (clean injecting kit)",
                 "women-only": "women-only sessions", "walk-in": "walk-in (no appointment)",
                 "self-referral": "self-referral (no GP letter needed)", "child-friendly": "a child-friendly space"}
FEATURE_CODES = {"naloxone": ("feature:naloxone-clients", "feature:naloxone-families", "need:naloxone"),
                 "needle-exchange": ("need:needle-exchange",), "women-only": ("feature:women-only",),
                 "walk-in": ("access:walk-in",), "self-referral": ("access:self-referral",),
                 "child-friendly": ("feature:child-friendly",)}
# What a search can be asked to have (issue 20 item 11), as said in a reply: "{name} is open in the evenings".
WANTED_WORDS = {"women-only": "women-only sessions", "child-friendly": "a child-friendly space",
                "walk-in": "walk-in (no appointment)", "self-referral": "self-referral (no GP letter needed)",
                "open-now": "open now", "evenings": "opening in the evening", "weekends": "opening at weekends"}
NO_MORE = "That's all I have near there. You can ask for a different kind of help, or talk to a person."


# "Any others?" when the only detox unit, rehab or release team near there has been given.
WAY_IN = {
    "detox": "That's the only detox unit I have near there. Your local drug and alcohol service can arrange one "
             "after an assessment:",
    "rehab": "That's the only rehab I have near there. Your local drug and alcohol service can refer you after an "
             "assessment:",
    "prison-release": "That's the only release team I have near there. The local drug and alcohol service can keep "
                      "a script going after release:",
}


def no_more_reply(given: list[str], line: Optional[str], number: Optional[str]) -> str:
    """"Any others?" when every place near there has been given: which ones they were (so the
    person knows nothing was held back), and a line to ring for more."""
    if not given:
        return NO_MORE
    names = given[0] if len(given) == 1 else ", ".join(given[:-1]) + f" and {given[-1]}"
    text = f"That's all I have near there: {names}."
    if line and number:
        text += f" For other options you can ring {line} on {number}, free and confidential, or talk to a person."
    else:
        text += " You can ask for a different kind of help, or talk to a person."
    return text


def address_reply(name: str, address: str, postcode: Optional[str]) -> str:
    """A place with a public address (a line, or a place that keeps it private, gets
    `journey_words.directions_reply`, which says which it is)."""
    return f"{name}: {address}" + ("" if not postcode or postcode in address else f", {postcode}") + "."


def cost_reply(name: str, fees: Optional[str], phone: Optional[str]) -> str:
    if fees:
        return f"{name}: {fees}"
    ring = f" Ring {phone} if you want to check." if phone else ""
    return (f"{name} doesn't list any charge. Drug and alcohol services paid for by the NHS or the council are "
            f"free to use.{ring}")


def day_reply(name: str, rows: Sequence, day: date, day_label: str, weekly: str) -> str:
    times = hours.times_on(rows, day)
    text = f"{name} is open on {day_label}, {times}." if times else f"{name} isn't open on {day_label}."
    return f"{text} Hours: {weekly}." if weekly and weekly != hours.ALWAYS_OPEN else text


def weekend_reply(name: str, rows: Sequence, saturday: date, weekly: str) -> str:
    sunday = date.fromordinal(saturday.toordinal() + 1)
    parts = [f"{label} {hours.times_on(rows, day) or 'closed'}" for day, label in ((saturday, "Saturday"),
                                                                                   (sunday, "Sunday"))]
    return f"{name} this weekend: {'; '.join(parts)}."


def feature_reply(name: str, feature: Optional[str], has: bool, phone: Optional[str]) -> str:
    if feature is None:
        return f"I'm not sure what you'd like to know about {name}. Ring {phone} and ask." if phone else \
            f"I'm not sure what you'd like to know about {name}."
    what = FEATURE_WORDS[feature]
    if has:
        return f"Yes, {name} lists {what}." + (f" Ring {phone} first to check." if phone else "")
    return f"{name} doesn't list {what}." + (f" Ring {phone} and ask, or ask me to find a place that does."
                                            if phone else " Ask me to find a place that does.")


def others_intro(count: int, more: int) -> str:
    text = "Here is another option." if count == 1 else f"Here are {count} more options."
    if more:
        text += f" I have {more} more after these: ask for others again to see them."
    return text


def other_line(name: str, far: str, phone: Optional[str], opening: str) -> str:
    return f"{name}, {far}. {opening}" + (f" Ring {phone}." if phone else "")


def wanted_reply(name: str, place: str, wanted: Sequence[str], met: Sequence[str]) -> Optional[str]:
    """What to say about the features a search asked for: which the place given has, and which no
    place near there lists (some do it without listing it, so: ring and ask)."""
    if not wanted:
        return None
    has = [WANTED_WORDS[w] for w in wanted if w in met]
    lacks = [WANTED_WORDS[w] for w in wanted if w not in met]
    parts = []
    if has:
        parts.append(f"{name} lists {_and(has)}." if has != ["open now"] else f"{name} is open now.")
    if lacks:
        parts.append(f"None of the places I have near {place} list {_and(lacks)}. Some do it without listing it, "
                     "so it's worth ringing to ask.")
    return " ".join(parts)


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
