"""A conversation's dialogue states, worked out once per turn and extended as the turn goes on.

To choose the next action, each policy asks the tracker for the dialogue's states so far (what
the person said, the last action, the slots and the active form before each action). Rasa 3.6
works them out from the first event on every asking: it replays every event on a blank tracker
and describes the dialogue before each action. A turn asks 5 to 10 times (two policies, a few
times each per step, a few steps per turn), and each asking costs more the longer the
conversation. Profiled in-process: about 8% of a turn's CPU in the benchmark's four-turn
conversations, and a quarter in conversations a few hundred events long.

Here that work is kept on the tracker for the rest of the turn. Asked again with the same
events, it gives the same states; asked after the turn took a step (new events added), it
replays only the new events. If the events Rasa applies are anything but the earlier ones
followed by new ones (an event undone, a restart, a form's steps folded together), it starts
again from the first event, as Rasa does. `tests/test_dialogue_states.py` checks every answer
against Rasa's own over whole conversations.
"""
from __future__ import annotations

from operator import is_
from typing import Any, Optional, Sequence

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

_KEPT = "_waymark_dialogue_states"


def _starts_with(events: Sequence[Event], prefix: Sequence[Event]) -> bool:
    """Whether `events` are the very `prefix` event objects, then perhaps more."""
    return len(events) >= len(prefix) and all(map(is_, events, prefix))


def _copy(states: list[State]) -> list[State]:
    """States the caller may change: the policies edit the last state's user part in place.
    A state is a dict of dicts of strings and tuples, so two levels are the whole of it."""
    return [{part: dict(sub) for part, sub in state.items()} for state in states]


class StatesSoFar:
    """The dialogue's states for one tracker and one way of asking, with what is needed to go
    on from there: a blank tracker replayed through the events applied so far, and where the
    rule-only turns were left (Domain.states_for_tracker_history, step by step)."""

    def __init__(self, tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool,
                 ignore_rule_only_turns: bool, rule_only_data: Optional[dict[str, Any]]) -> None:
        self.domain, self.omit_unset_slots = domain, omit_unset_slots
        self.ignore_rule_only_turns, self.rule_only_data = ignore_rule_only_turns, rule_only_data
        self.replayed = tracker.init_copy()
        self.applied: list[Event] = []
        self.states: list[State] = []  # one per action so far, rule-only turns left out as asked
        self.last_ml_action: Optional[dict[str, Any]] = None
        self.turn_was_hidden = False
        self.events_seen: Optional[tuple[Event, ...]] = None  # None: nothing worked out yet
        self.answer: list[State] = []  # the states, with the dialogue's current one last

    def answers(self, domain: Domain, omit_unset_slots: bool, ignore_rule_only_turns: bool,
                rule_only_data: Optional[dict[str, Any]]) -> bool:
        return (domain is self.domain and omit_unset_slots == self.omit_unset_slots
                and ignore_rule_only_turns == self.ignore_rule_only_turns
                and rule_only_data == self.rule_only_data)

    def states_for(self, tracker: DialogueStateTracker) -> Optional[list[State]]:
        """The tracker's states, or None when its applied events do not go on from the ones
        replayed here (then start again)."""
        events = tuple(tracker.events)
        seen = self.events_seen
        if seen is None or len(events) != len(seen) or not _starts_with(events, seen):
            applied = tracker.applied_events()
            if not _starts_with(applied, self.applied):
                return None
            for event in applied[len(self.applied):]:
                if isinstance(event, ActionExecuted):
                    self._add_state(event.hide_rule_turn)
                self.replayed.update(event)
            self.applied = applied
            self.events_seen = events
            # The current state is worked out without moving on: the next step may add to it.
            kept = self.last_ml_action, self.turn_was_hidden
            current = self._state(hide_rule_turn=False)
            self.last_ml_action, self.turn_was_hidden = kept
            self.answer = self.states + ([current] if current is not None else [])
        return _copy(self.answer)

    def _add_state(self, hide_rule_turn: bool) -> None:
        state = self._state(hide_rule_turn)
        if state is not None:
            self.states.append(state)

    def _state(self, hide_rule_turn: bool) -> Optional[State]:
        """The state before the next action, as Domain.states_for_tracker_history describes it
        (None: a rule-only turn, left out)."""
        domain, replayed = self.domain, self.replayed
        if self.ignore_rule_only_turns:
            if not self.turn_was_hidden:
                self.last_ml_action = domain._get_prev_action_sub_state(replayed)
            # a follow-up action or a form going on keeps whether the turn is hidden
            if not replayed.followup_action and replayed.latest_action_name != replayed.active_loop_name:
                self.turn_was_hidden = hide_rule_turn
            if self.turn_was_hidden:
                return None
        state = domain.get_active_state(replayed, omit_unset_slots=self.omit_unset_slots)
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if self.states:
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if self.last_ml_action:
                state[PREVIOUS_ACTION] = self.last_ml_action
        return domain._clean_state(state)


def remember_dialogue_states() -> None:
    """Make a conversation's tracker keep its dialogue states for the rest of the turn.

    Only plain conversation trackers: training's trackers (a subclass, with its own keeping)
    and rule trackers go Rasa's own way."""
    if getattr(DialogueStateTracker.past_states, "waymark_kept", False):
        return
    rasa_past_states = DialogueStateTracker.past_states

    def past_states(self: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                    ignore_rule_only_turns: bool = False,
                    rule_only_data: Optional[dict[str, Any]] = None) -> list[State]:
        if type(self) is not DialogueStateTracker or self.is_rule_tracker:
            return rasa_past_states(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        kept: list[StatesSoFar] = self.__dict__.setdefault(_KEPT, [])
        for i, so_far in enumerate(kept):
            if so_far.answers(domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data):
                states = so_far.states_for(self)
                if states is not None:
                    return states
                del kept[i]  # the events changed otherwise than by adding: start again
                break
        so_far = StatesSoFar(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        kept.append(so_far)
        return so_far.states_for(self)  # type: ignore[return-value] - a new one always answers

    past_states.waymark_kept = True  # type: ignore[attr-defined]
    DialogueStateTracker.past_states = past_states  # type: ignore[method-assign]
