"""Journeys with a short, honest introduction before the local search: housing and sleeping
rough, leaving prison, pregnancy, mental health, work after treatment, advocacy, having a
say, families, young people and custody referrals. The introduction depends on the need;
`action_find_service` then finds the nearest place."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import journey_words as words
from actions import risk_words
from actions.carers import kinship_in_conversation
from actions.common import latest_text
from actions.context import PRO, persona_of
from actions.find_service import need_of
from understanding import risky_moments


class ActionJourneyIntro(Action):
    def name(self) -> Text:
        return "action_journey_intro"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        need = need_of(tracker)
        intro = words.WIDER_INTRO.get(need)
        if need == "family-support" and kinship_in_conversation(tracker):
            intro = words.KINSHIP_CARER  # bringing up a relative's child: a carer too (issue 20, need 12)
        worker = persona_of(tracker) == PRO
        if worker:
            intro = words.WIDER_INTRO_CLIENT.get(need, intro)
        safety = (words.WIDER_SAFETY_CLIENT if worker else words.WIDER_SAFETY).get(need)
        if need == "prison-release" and not worker and \
                risky_moments.about_someone_else(latest_text(tracker), persona_of(tracker)):
            # "my son gets out on friday": about him, and the tolerance warning about him came first
            intro, safety = words.PRISON_RELEASE_OTHERS, None
        said = {e.get("text") for e in tracker.events if e.get("event") == "bot"}
        if said & {risk_words.OVERDOSE_RISK, risk_words.OVERDOSE_RISK_CLIENT, risk_words.OVERDOSE_RISK_OTHERS}:
            safety = None  # the overdose warning was just given (understanding.risky_moments): once is enough
        for text in (intro, safety):
            if text:
                dispatcher.utter_message(text=text)
        return []
