"""Crisis replies: the reviewed wording, kept in this one place.

Rules for anyone editing the wording (tests check the measurable ones):

* The first message leads with the action ("Call 999 now ...") and its first words never
  name drugs, overdose or suicide: it may show on a locked phone screen.
* Plain English, short sentences, Flesch reading ease of 60 or more per message,
  at most 300 characters per message (fits SMS well), person-first, no judgement.
* Helpline numbers come from the service directory: the app passes them in ``lines``.
  If one is missing, the verified default below is used, so a line is never left out.
  999 is fixed.
* The facts behind the overdose advice are in DESIGN.md ("Facts the assistant relies on").
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Mapping, Union

from safety.triage import CrisisType

__all__ = ["DEFAULT_LINES", "crisis_reply"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DefaultLine:
    name: str
    number: str
    verified: str  # ISO date the number was last checked by a person


VERIFIED = "2026-11-23"

# Used only when the directory did not supply the line. Check again before any deployment.
DEFAULT_LINES: Mapping[str, DefaultLine] = {
    "samaritans": DefaultLine("Samaritans", "116 123", VERIFIED),
    "shout": DefaultLine("Shout (text SHOUT to this number)", "85258", VERIFIED),
    "childline": DefaultLine("Childline", "0800 1111", VERIFIED),
    "domestic_abuse": DefaultLine("National Domestic Abuse Helpline", "0808 2000 247", VERIFIED),
    "nhs111": DefaultLine("NHS 111", "111", VERIFIED),
    "nspcc": DefaultLine("NSPCC helpline", "0808 800 5000", VERIFIED),
}

# Messages in the order they are sent. {key} is filled from `lines`, else DEFAULT_LINES.
_WORDING: Mapping[CrisisType, tuple[str, ...]] = {
    CrisisType.OVERDOSE: (
        "Call 999 now. Tell them what was taken, if you know. "
        "If they are breathing, roll them on their side in the recovery position.",
        "If they are not breathing, the 999 call handler will talk you through CPR. "
        "Do what they say.",
        "If it could be opioids, like heroin or methadone, and you have naloxone, give it now. "
        "It does no harm if it was not an opioid.",
        "Stay with them until help comes. Naloxone wears off sooner than many opioids. "
        "They can slip back, so they still need the ambulance.",
        "If this is about you, call 999 now. Try not to be alone. Unlock the door if you can.",
    ),
    CrisisType.SUICIDE: (
        "Call 999 now if you are in danger or have hurt yourself. "
        "You can call Samaritans free on {samaritans}, day or night.",
        "If talking is hard, text SHOUT to {shout}. It is free and open all the time. "
        "These lines can help if you are worried about someone else, too.",
        "If you are not in danger right now but need help soon, call NHS {nhs111}.",
        "Thank you for telling me. Are you safe right now? "
        "I am an automated helper, but I can put you in touch with a person if you want.",
    ),
    CrisisType.CHILD_AT_RISK: (
        "Call 999 now if a child is in danger. "
        "If a child may have swallowed drugs or medicine, call 999 even if they seem fine.",
        "Children and young people can talk to Childline for free on {childline}.",
        "If you are an adult worried about a child, call the NSPCC helpline free on {nspcc}. "
        "You do not need proof to ask for help. Just tell them what you know. "
        "I can also help you find local support for the family.",
    ),
    CrisisType.DOMESTIC_ABUSE: (
        "Call 999 now if you are in danger.",
        "You can call the National Domestic Abuse Helpline free on {domestic_abuse}, "
        "day or night. They will listen and believe you. You do not have to prove anything.",
        "If someone may check your phone, you can delete this chat. "
        "I can also help you find support near you.",
    ),
    CrisisType.GENERAL: (
        "Call 999 now if you or anyone else is in danger.",
        "You can call Samaritans free on {samaritans}, day or night. "
        "For urgent medical help that is not an emergency, call NHS {nhs111}.",
        "Thank you for telling me. Are you safe right now? "
        "I am an automated helper, but I can put you in touch with a person if you want.",
    ),
}


class _Lines(dict):
    """Fills {key} from the directory's numbers, falling back to the verified default."""

    def __init__(self, given: Mapping[str, str] | None):
        super().__init__()
        self._given = given or {}

    def __missing__(self, key: str) -> str:
        value = None
        try:
            value = self._given.get(key)
        except Exception:  # a broken mapping must never stop a crisis reply
            log.warning("crisis lines mapping failed for %r; using the default", key)
        if value is not None and str(value).strip():
            return str(value).strip()
        default = DEFAULT_LINES.get(key)
        if default is None:  # a template names a key we have no default for: a bug
            log.error("no default crisis line for %r", key)
            return "999"
        log.info("crisis line %r not supplied; using default verified %s", key, default.verified)
        return default.number


def crisis_reply(
    crisis_type: Union[CrisisType, str], lines: Mapping[str, str] | None = None
) -> list[str]:
    """The messages to send, in order, for a crisis. Never raises.

    `lines` maps "samaritans", "shout", "childline", "domestic_abuse", "nhs111" and "nspcc" to the
    numbers in the service directory; any that are missing use the verified defaults.
    """
    try:
        kind = CrisisType(crisis_type)
    except ValueError:
        log.error("unknown crisis type %r; sending the general emergency reply", crisis_type)
        return ["Call 999 now if anyone is in danger."]
    values = _Lines(lines)
    return [template.format_map(values) for template in _WORDING[kind]]
