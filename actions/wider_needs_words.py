"""Reply texts for issue 20's needs 4-7: money and getting there, blood-borne virus testing and
vaccination, domestic abuse outside a crisis, and cuckooing.

Channel-free plain text that reads aloud as well as it reads on a phone: no lists, no brackets,
no links. Facts follow the design notes (DESIGN.md, "Facts the assistant relies on"). National
numbers come from the directory (passed in), never from this file; 999 and 101 are the
emergency and police non-emergency numbers themselves.
"""
from __future__ import annotations

from typing import Optional

from understanding import wider_topics as topics

MONEY, BBV, ABUSE = topics.MONEY, topics.BBV, topics.ABUSE

# Said once, before the first listing for the need.
INTRO = {
    MONEY: ("Money worries can get in the way of everything. A free advice service can help with benefits, "
            "debts, food and childcare, and with the cost of getting to appointments."),
    BBV: ("Testing for hepatitis B, hepatitis C and HIV is free and confidential. Drug services, needle "
          "exchanges, sexual health clinics and GPs can test you, and you can ask for the hepatitis B jab. "
          "Hepatitis C can be cured with tablets."),
    ABUSE: ("You don't have to be in danger right now to get support. A local domestic abuse service can help "
            "you plan to stay safe and work out what you want to do. Using drugs or alcohol shouldn't stop you "
            "getting help. If someone might check your phone, you can delete these messages."),
}

# Said after the listing: what is worth knowing once you have a place to ring.
MONEY_WORTH_ASKING = ("Worth knowing: many drug and alcohol services can help with the cost of getting to "
                      "appointments, or can phone you instead of you going in. It's worth asking them.")
BBV_ELSEWHERE = ("If this place doesn't suit you, your GP, a sexual health clinic, your drug service or a needle "
                 "exchange can test you too.")

# When nothing local matches: the honest next step (domestic abuse also gets the national line).
NO_LOCAL = {
    MONEY: ("Your local drug and alcohol service or the council may know who gives free money advice near you, "
            "so it's worth asking them. Many services can also help with the cost of getting to appointments, "
            "or can phone you instead of you going in."),
    BBV: "Your GP, a sexual health clinic, your drug service or a needle exchange can test you.",
}

# The national line a search for this need offers when nothing local matches (directory ids).
NEED_HELPLINE = {ABUSE: "national-domestic-abuse"}


def abuse_line(name: str, number: str, always_open: bool) -> str:
    """The National Domestic Abuse Helpline, with its number and hours from the directory."""
    when = ", day or night," if always_open else ""
    return f"You can also call the {name} free on {number}{when} to talk it through."


def after_listing(need: str, abuse_helpline: Optional[tuple[str, str, bool]] = None) -> Optional[str]:
    """What to add after the listing for this need, or None."""
    if need == MONEY:
        return MONEY_WORTH_ASKING
    if need == BBV:
        return BBV_ELSEWHERE
    if need == ABUSE and abuse_helpline:
        return abuse_line(*abuse_helpline)
    return None


CUCKOOING = ("If people have taken over a home to deal drugs from it, that's called cuckooing. It isn't the "
             "fault of the person who lives there, and help is there. If anyone is in danger now, call 999. "
             "Otherwise call the police on 101.")


def cuckooing_reply(crimestoppers_number: Optional[str]) -> str:
    """Police, Crimestoppers (its number from the directory; named without one) and the council."""
    anonymous = (f"To report it without giving your name, call Crimestoppers on {crimestoppers_number}."
                 if crimestoppers_number else "To report it without giving your name, call Crimestoppers.")
    return (f"{CUCKOOING} {anonymous} The council's housing or antisocial behaviour team can help with "
            "the home too, so ring the council and ask for them.")
