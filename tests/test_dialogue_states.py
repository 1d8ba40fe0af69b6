"""The dialogue states a tracker keeps for the turn (waymark.dialogue_states) are exactly the
ones Rasa would work out from the first event, and they are reused rather than worked out
again: if they were wrong, the assistant would pick the wrong next action."""
from __future__ import annotations

import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActionReverted, ActiveLoop, Restarted, SlotSet,
                                     UserUttered, UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker

from support import say
from waymark import dialogue_states

# Journeys that take many steps in one turn, fill forms, leave them and come back, are
# refused a slot, ask for a person, and say something alarming half-way through a form.
CONVERSATIONS = [
    ["hello", "I need help with my drinking near LS1 4AP", "thanks", "bye"],
    ["hi", "wheres the nearest needle exchange", "LS6", "what about in Manchester instead"],
    ["can i talk to a real person", "i want help for my drinking", "leeds", "cheers"],
    ["where can i get naloxone", "for my son", "LS6", "is it free", "how do i get there"],
    ["i need help with heroin", "are you a bot", "ok", "Zzyzx", "LS6"],
    ["am i a carer", "manchester", "thanks"],
    ["ive been waiting weeks for my appointment", "yes remind me", "next tuesday", "thanks"],
    ["help with crack", "i want to die", "LS6", "thanks"],
    ["i need help with my drinking", "bye", "hello again", "needle exchange in leeds"],
]


@pytest.fixture
def checked(monkeypatch):
    """Every time a policy asks for the states, also ask Rasa's own way and record both."""
    kept = DialogueStateTracker.past_states
    assert getattr(kept, "waymark_kept", False), "the assistant did not install the kept states"
    record = {"asked": 0, "differ": [], "started": 0}

    def past_states(self, domain, omit_unset_slots=False, ignore_rule_only_turns=False, rule_only_data=None):
        ours = kept(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        rasas = domain.states_for_tracker_history(self, omit_unset_slots, ignore_rule_only_turns,
                                                  rule_only_data)
        record["asked"] += 1
        if ours != rasas:
            record["differ"].append((self.sender_id, ours, rasas))
        return ours

    started = dialogue_states.StatesSoFar.__init__

    def counting_init(self, *args, **kwargs):
        record["started"] += 1
        started(self, *args, **kwargs)

    monkeypatch.setattr(DialogueStateTracker, "past_states", past_states)
    monkeypatch.setattr(dialogue_states.StatesSoFar, "__init__", counting_init)
    return record


def test_kept_states_are_rasas_own_over_whole_conversations(client, checked):
    for messages in CONVERSATIONS:
        sender = uuid.uuid4().hex
        for text in messages:
            assert say(client, text, sender)
    assert checked["asked"] > 100
    assert checked["differ"] == []
    # Worked out from the first event about once per turn for each way of asking (two
    # policies; again when a form's steps fold together), not at every asking.
    assert 0 < checked["started"] < checked["asked"] / 2


@pytest.fixture(scope="module")
def domain(assistant) -> Domain:
    return assistant.agent.domain


def _user(intent: str, text: str) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 1.0})


def _same_as_rasa(tracker: DialogueStateTracker, domain: Domain, **asking) -> list:
    ours = tracker.past_states(domain, **asking)
    assert ours == domain.states_for_tracker_history(tracker, **asking)
    return ours


@pytest.mark.parametrize("asking", [{}, {"ignore_rule_only_turns": True, "rule_only_data": {
    "rule_only_slots": [], "rule_only_loops": ["find_service_form"]}}, {"omit_unset_slots": True}])
def test_undone_and_restarted_conversations_start_again(domain, asking):
    tracker = DialogueStateTracker("states-" + uuid.uuid4().hex, domain.slots)
    assert len(_same_as_rasa(tracker, domain, **asking)) == 1  # a blank conversation has a state

    for event in [ActionExecuted("action_listen"), _user("greet", "hi"), ActionExecuted("utter_greet"),
                  ActionExecuted("action_listen"), _user("find_service", "needle exchange"),
                  ActionExecuted("find_service_form"), ActiveLoop("find_service_form"),
                  SlotSet("requested_slot", "place")]:
        tracker.update(event)
        _same_as_rasa(tracker, domain, **asking)
    before_undo = _same_as_rasa(tracker, domain, **asking)

    # An action undone, then a message undone: what was replayed no longer applies.
    tracker.update(ActionReverted())
    after_action_undone = _same_as_rasa(tracker, domain, **asking)
    assert after_action_undone != before_undo
    tracker.update(UserUtteranceReverted())
    _same_as_rasa(tracker, domain, **asking)

    tracker.update(ActionExecuted("action_listen"))
    tracker.update(_user("goodbye", "bye"))
    _same_as_rasa(tracker, domain, **asking)
    tracker.update(Restarted())
    assert len(_same_as_rasa(tracker, domain, **asking)) == 1


def test_a_caller_changing_the_states_does_not_change_the_kept_ones(domain):
    tracker = DialogueStateTracker("states-" + uuid.uuid4().hex, domain.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(_user("greet", "hi"))
    first = tracker.past_states(domain)
    first[-1]["user"].clear()  # as the featurizer does to the last user input
    first.append({"slots": {"place": ("x",)}})
    assert tracker.past_states(domain) == domain.states_for_tracker_history(tracker)
