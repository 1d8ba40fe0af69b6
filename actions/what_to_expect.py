"""Questions about what happens, answered rather than treated as a search.

"what happens at the first appointment", "do i need my gp to refer me", "will my gp find
out", "i want to stop drinking today but i get the shakes": each has a short, honest answer
(`answer_for`, plain and tested), then an offer to find a service or talk to a person. It
never asks "Where are you?" first: the person asked a question, not for a place.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import latest_text

FIRST_APPOINTMENT = (
    "At a first appointment a worker talks with you about what you use, how much and how often, your health, "
    "and what you want to change. It usually takes about an hour. You don't have to stop first, and you can "
    "bring someone with you. Ask them anything you're unsure about.")
REFERRAL = (
    "Usually not. Most drug and alcohol services take self-referrals: you can ring them or walk in yourself. "
    "Your GP can refer you too, if you'd rather.")
GP_FINDS_OUT = (
    "What you tell a drug or alcohol service is kept confidential. They may ask if they can tell your GP "
    "(for example about a prescription), and you can ask them not to. The limits are a serious risk to you or "
    "someone else, a child's safety, and court or probation orders. Ask the service to explain its rules at the start.")
WITHDRAWAL = (
    "Please don't stop drinking suddenly on your own if you get the shakes: stopping can cause fits. Talk to "
    "your GP, an alcohol service or NHS 111 (ring 111) today. They can help you cut down safely or arrange a "
    "detox with medical support.")
COST = "Drug and alcohol services in England are free to use."
BUTTONS = [{"title": "Find a service near me", "payload": '/find_service{"need": "treatment"}'},
           {"title": "Talk to a person", "payload": "/ask_human"}]

_ANSWERS = [
    (re.compile(r"\b(shakes?|shaking|fits?|seizures?|withdraw\w*|dts|rattl\w*|sweats)\b", re.I), WITHDRAWAL),
    (re.compile(r"\b(find out|finds out|be told|get told|tell (my|the) (gp|doctor|boss|work|family|mum|dad|parents)|"
                r"know about|on my record|record|confidential|private|share)\b", re.I), GP_FINDS_OUT),
    (re.compile(r"\b(refer\w*|gp letter|doctors? letter|go through (my|the|a) (gp|doctor)|need (my|a|the) (gp|doctor)|"
                r"self.?refer\w*|walk in|just turn up)\b", re.I), REFERRAL),
    (re.compile(r"\b(cost|costs|pay|free|charge|money)\b", re.I), COST),
]


def answer_for(text: str) -> str:
    for pattern, answer in _ANSWERS:
        if pattern.search(text or ""):
            return answer
    return FIRST_APPOINTMENT


class ActionWhatToExpect(Action):
    def name(self) -> Text:
        return "action_what_to_expect"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=answer_for(latest_text(tracker)), buttons=BUTTONS)
        return []
