"""Questions about what happens, answered rather than treated as a search.

"what happens at the first appointment", "do i need my gp to refer me", "i want to stop
drinking today but i get the shakes": each has a short, honest answer (`answer_for`, plain
and tested), then an offer to find a service or talk to a person. It never asks "Where are
you?" first: the person asked a question, not for a place.

These overlap with "will my gp find out" and "is it private" - questions about what happens
when you go to a service - so they are one intent, `ask_confidentiality`, and its action
(`actions/young_people.py`) answers from here when the words ask one of these, and about
confidentiality and its limits otherwise.
"""
from __future__ import annotations

import re
from typing import Optional

FIRST_APPOINTMENT = (
    "At a first appointment a worker talks with you about what you use, how much and how often, your health, "
    "and what you want to change. It usually takes about an hour. You don't have to stop first, and you can "
    "bring someone with you. Ask them anything you're unsure about.")
REFERRAL = (
    "Usually not. Most drug and alcohol services take self-referrals: you can ring them or walk in yourself. "
    "Your GP can refer you too, if you'd rather.")
WITHDRAWAL = (
    "Please don't stop drinking suddenly on your own if you get the shakes: stopping can cause fits. Talk to "
    "your GP, an alcohol service or NHS 111 (ring 111) today. They can help you cut down safely or arrange a "
    "detox with medical support.")
COST = "Drug and alcohol services in England are free to use."
BUTTONS = [{"title": "Find a service near me", "payload": '/find_service{"need": "treatment"}'},
           {"title": "Talk to a person", "payload": "/ask_human"}]

_ANSWERS = [
    (re.compile(r"\b(shakes?|shaking|fits?|seizures?|withdraw\w*|dts|rattl\w*|sweats)\b", re.I), WITHDRAWAL),
    (re.compile(r"\b(refer\w*|gp letter|doctors? letter|go through (my|the|a) (gp|doctor)|need (my|a|the) (gp|doctor)|"
                r"self.?refer\w*|walk in|just turn up)\b", re.I), REFERRAL),
    (re.compile(r"\b(cost|costs|pay|free|charge|money)\b", re.I), COST),
]


_CONFIDENTIALITY = re.compile(r"\b(find out|finds out|be told|get told|tell|told|know|knowing|record|confidential\w*|"
                              r"private|privacy|anonymous|share)\b", re.I)
_FIRST_VISIT = re.compile(r"\b(first (appointment|visit|time)|assessment|what happens|what will they|expect|judge|"
                          r"meetings|key ?worker|drug test|bring someone|sober|stop using before|detox at home)\b", re.I)


def answer_for(text: str) -> Optional[str]:
    """The answer to a "what happens" question, or None when it asks about confidentiality."""
    text = text or ""
    for pattern, answer in _ANSWERS:
        if pattern.search(text):
            return answer
    if _FIRST_VISIT.search(text) or not _CONFIDENTIALITY.search(text):
        return FIRST_APPOINTMENT
    return None


# A parent afraid that asking for help means losing their children (issue 20, need 8). Said as
# "will social services take my kids", "scared theyll take my baby off me", "child protection".
_CHILD = r"(kids?|kiddies|kiddos?|children|childrens|child|baby|babies|bairns?|little ones?|son|sons|daughters?|unborn)"
_CHILDREN_FEAR = re.compile(
    r"\b(take|takes|taking|took|taken|lose|losing|lost|remove|removed|removing|put)\b[^.?!]{0,25}\b" + _CHILD + r"\b"
    r"|\b" + _CHILD + r"\b[^.?!]{0,25}\b(taken|took|removed|put) (off|away|from|into care|in care)\b"
    r"|\b(child protection|into care|in to care|taken away from me|child in need plan|cp plan)\b", re.I)
_SOCIAL_SERVICES = re.compile(r"\b(social services|the social|social ?workers?|soc services|socials|safeguarding|ss)\b", re.I)
_CHILD_WORD = re.compile(r"\b" + _CHILD + r"\b", re.I)


def about_children(text: str) -> bool:
    """True when the question is a parent's fear that social services will take their children."""
    text = (text or "").replace("’", "'")
    return bool(_CHILDREN_FEAR.search(text) or (_SOCIAL_SERVICES.search(text) and _CHILD_WORD.search(text)))
