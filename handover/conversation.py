"""The handover's part of every message a person sends, run by the assistant after crisis
triage and before the dialogue.

While a human has the conversation, the message goes to them and the assistant says nothing.
While an offer is open, the answer to it (share the summary / connect without it / change it,
or a callback when the helpline is closed) is read here, deterministically, on every channel:
it is a button's payload, a numbered choice on SMS, or a plain "yes". After a worker ends the
conversation, the one-tap feedback answer is read here too. Everything else goes on to the
dialogue, so a person waiting in the queue still gets directory answers.
"""
from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

import timekeeping
from directory.db import session_scope
from directory.models import Service
from directory.seed import national_line
from handover import desk, wording
from handover.models import ACTIVE, EDITING, OFFERED, WAITING, Handover

log = logging.getLogger(__name__)
MAX_NOTE_CHARS = 500

_PAYLOAD = re.compile(r'^/(handover_consent|handover_feedback)(\{.*\})?$', re.DOTALL)
# A typed answer to the consent question: one of these words, or several ("ok share it",
# "yes thats fine", "no dont", "nah without it").
_YES_WORDS = (r"(y|ye|yes|yeah|yea|yep|yup|ya|aye|ok|okay|k|sure|fine|alright|go on|go ahead|please|pls|plz|"
              r"yes please|share it|share|thats fine|that's fine|that is fine|sounds good|do it|you can|connect me|"
              r"of course|go for it|please do|definitely|absolutely|perfect|great|brilliant|cool|correct|right|"
              r"thats right|that's right|thats ok|that's ok|that is ok|ok with me|im ok with that|i'm ok with that|"
              r"that would be great|that would help|share that|put me through|thanks|thank you|ta|cheers|x|mate)")
_NO_START = (r"(n|no|nah|nope|no thanks?|dont|don't|do not|without it|dont share|don't share|"
             r"connect without it|rather not)")
_NO_WORDS = (r"(no|nah|thanks?|dont|don't|do not|share|share it|it|without it|just connect me|connect me|pls|please|"
             r"i|want|that|shared|to|be|anything|just|me|rather|not)")
FEEDBACK_WORDS = 8
# The answer to "did you get the help you needed?" starts with it: "yeah they were great", "not really".
_HELPED = re.compile(r"^\s*(y|yes|yeah|yea|yep|yup|aye|it did|they did|definitely|absolutely|really helped|it helped|"
                     r"they helped|very much|loads)\b", re.IGNORECASE)
_NOT_HELPED = re.compile(r"^\s*(n|no|nah|nope|not really|not at all|it didn'?t|they didn'?t|didn'?t|not much)\b", re.IGNORECASE)
_YES = re.compile(rf"^\s*{_YES_WORDS}(?:[\s,]+{_YES_WORDS})*[\s.!x]*$", re.IGNORECASE)
_NO = re.compile(rf"^\s*{_NO_START}(?:[\s,]+{_NO_WORDS})*[\s.!]*$", re.IGNORECASE)
_EDIT = re.compile(r"^\s*(edit|change|change it|edit it|let me change it|i want to change it)\b[\s.!]*$"
                   r"|^\s*(can i |i want to |i'?d like to |let me )?(change|edit|fix|correct|add to|reword) (it|that|the message|"
                   r"what it says|the summary|what you share|some of it)\b", re.IGNORECASE)
# Typed asks for a call back, or to keep waiting ("can they ring me instead", "i'll wait").
_CALLBACK = re.compile(r"\b(ring|call|phone|text|contact) me (back|later|instead|tomorrow|when they open|in the morning)\b"
                       r"|\bcan (they|someone|somebody|you|a worker) (ring|call|phone|text|contact) me\b|\bcall ?back\b",
                       re.IGNORECASE)
_WAIT = re.compile(r"^\s*(i'?ll|ill|i will|i can|happy to|ok i'?ll|yes i'?ll|i'?m happy to) (wait|hang on|hold on)\b"
                   r"|^\s*(keep waiting|still waiting|ill keep waiting|i'?ll keep waiting|i don'?t mind waiting)\b",
                   re.IGNORECASE)
_CANCEL = re.compile(r"\b(cancel|stop waiting|leave the queue|never ?mind|dont want a person|don't want a person|"
                     r"no longer need)\b", re.IGNORECASE)


@dataclass
class Routed:
    """What the handover did with a message: replies to send (possibly none, on purpose)."""

    replies: list[dict] = field(default_factory=list)


def read_choice(text: str, payload_intent: str, key: str) -> Optional[str]:
    """A button's payload ("/handover_consent{"choice": "yes"}") or the same said in words."""
    match = _PAYLOAD.match(text.strip())
    if match:
        if match.group(1) != payload_intent:
            return None
        try:
            return str(json.loads(match.group(2) or "{}").get(key) or "") or None
        except ValueError:
            return None
    if key == "got_help":  # a short answer only: a longer message is a new request for the dialogue
        if len(text.split()) > FEEDBACK_WORDS:
            return None
        return "no" if _NOT_HELPED.match(text) else "yes" if _HELPED.match(text) else None
    if _CANCEL.search(text):
        return "cancel"
    if _CALLBACK.search(text):
        return "callback"
    if _WAIT.match(text):
        return "wait"
    if _EDIT.match(text):
        return "edit"
    if _YES.match(text):
        return "yes"
    if _NO.match(text):
        return "no"
    return None


def any_time_text(session) -> str:
    return wording.any_time_lines(national_line(session, "national-samaritans"), national_line(session, "national-frank"))


class Desk:
    """The handover as the assistant sees it (times from `timekeeping`, the one clock, which tests move)."""

    def __init__(self, database_url: str):
        self.database_url = database_url
        self._tables_ready = False
        self._tables_lock = threading.Lock()  # turns call in from several worker threads

    def _ensure_tables(self) -> None:
        """The queue's tables, created on first use (the app also creates them at start-up)."""
        if self._tables_ready:
            return
        with self._tables_lock:
            if not self._tables_ready:
                from directory.db import engine_for
                from handover.models import create_tables

                create_tables(engine_for(self.database_url))
                self._tables_ready = True

    @staticmethod
    def clock() -> datetime:
        return timekeeping.utc_now()

    def route(self, sender_id: str, text: str, channel: str) -> Optional[Routed]:
        """Handle the message here (a Routed, perhaps with no replies) or return None for the dialogue."""
        now = self.clock()
        self._ensure_tables()
        with session_scope(self.database_url) as session:
            handover, ended = desk.open_or_awaiting_feedback(session, sender_id, now)
            if handover is None:
                return self._feedback(ended, sender_id, text) if ended is not None else None
            if handover.status == ACTIVE:
                desk.add_message(session, handover, "person", text, now=now)
                return Routed([])  # the worker has the conversation: the assistant stays silent
            if handover.status == EDITING:
                return self._edited(session, handover, sender_id, text, now)
            if handover.status == OFFERED:
                return self._answer_offer(session, handover, sender_id, text, now)
            if handover.status == WAITING:
                return self._while_waiting(session, handover, sender_id, text, now)
        return None

    def flag_crisis(self, sender_id: str, crisis_type: str, text: str) -> bool:
        """A crisis message during a handover: flagged at once (a waiting person moves to the
        front of the queue) and the worker sees the message. True if a person is with them or
        on the way."""
        self._ensure_tables()
        with session_scope(self.database_url) as session:
            handover = desk.flag_urgent(session, sender_id, crisis_type)
            if handover is not None and handover.status == ACTIVE:
                desk.add_message(session, handover, "person", text, now=self.clock())
                desk.add_message(session, handover, "note", f"Waymark sent its {crisis_type.replace('_', ' ')} "
                                 "crisis reply to this message.", author_name="Waymark", now=self.clock())
            return handover is not None and handover.status in (ACTIVE, WAITING)

    def queue_after_failure(self, sender_id: str, channel: str, *, crisis_type: Optional[str] = None,
                            asked_for_person: bool = False, address: Optional[str] = None) -> bool:
        """Fail open: the assistant broke and the person has been given a helpline. True when a
        worker will look at the conversation too (no summary is shared): only for a crisis, a
        person who asked for one, or a second failure (see `handover.desk.after_failure`).
        `address`: a web chat's keyed address hash, so one address's web chats that keep
        failing make one queue item (`handover.address_failures`)."""
        try:
            self._ensure_tables()
            with session_scope(self.database_url) as session:
                queued = desk.after_failure(session, sender_id, channel, now=self.clock(), crisis_type=crisis_type,
                                            asked_for_person=asked_for_person, address=address)
            if queued is not None:
                log.warning("A failed conversation was queued for a person (reason=%s)", queued.reason)
            return queued is not None
        except Exception:  # noqa: BLE001 - the database may be what broke
            log.exception("Could not queue a failed conversation for a person")
            return False

    # --- the steps ----------------------------------------------------------------------------

    def _reply(self, sender_id: str, text: str, buttons: list[dict] = ()) -> dict:
        reply = {"recipient_id": sender_id, "text": text}
        if buttons:
            reply["buttons"] = list(buttons)
        return reply

    def _helpline_name(self, session, handover: Handover) -> str:
        service = session.get(Service, handover.helpline_id) if handover.helpline_id else None
        return service.name if service is not None else "the helpline"

    def _queued_reply(self, session, handover: Handover, sender_id: str, now: datetime) -> Routed:
        wait = desk.estimate(session, handover, now)
        text = wording.queued(self._helpline_name(session, handover), wait, shared=handover.consent != "no")
        log.info("Handover queued (urgent=%s, %d ahead)", handover.urgent, wait.ahead)
        return Routed([self._reply(sender_id, text, [wording.LEAVE_QUEUE_BUTTON])])

    def _answer_offer(self, session, handover: Handover, sender_id: str, text: str, now: datetime) -> Optional[Routed]:
        choice = read_choice(text, "handover_consent", "choice")
        if handover.offer_kind == "callback":
            if choice in ("callback", "yes"):
                desk.request_callback(session, handover, now)
                desk.close_out_of_hours(handover, now)
                return Routed([self._reply(sender_id, wording.CALLBACK_TAKEN)])
            if choice in ("cancel", "no"):
                desk.decline(handover, now)
                return Routed([self._reply(sender_id, wording.NO_THANKS)])
        elif choice in ("yes", "no"):
            desk.queue(session, handover, choice, now)
            return self._queued_reply(session, handover, sender_id, now)
        elif choice == "edit":
            desk.start_editing(handover)
            return Routed([self._reply(sender_id, wording.ASK_EDIT)])
        elif choice == "cancel":
            desk.decline(handover, now)
            return Routed([self._reply(sender_id, wording.NO_THANKS)])
        # Something else entirely: the offer lapses and the dialogue answers.
        desk.decline(handover, now)
        return None

    def _edited(self, session, handover: Handover, sender_id: str, text: str, now: datetime) -> Routed:
        if read_choice(text, "handover_consent", "choice") == "cancel":
            desk.decline(handover, now)
            return Routed([self._reply(sender_id, wording.NO_THANKS)])
        note = text.strip()
        if len(note) > MAX_NOTE_CHARS:
            return Routed([self._reply(sender_id, wording.EDITED_TOO_LONG)])
        desk.queue(session, handover, "edited", now, summary=note)
        return self._queued_reply(session, handover, sender_id, now)

    def _while_waiting(self, session, handover: Handover, sender_id: str, text: str, now: datetime) -> Optional[Routed]:
        choice = read_choice(text, "handover_consent", "choice") if (
            text.startswith("/") or _CANCEL.search(text) or _CALLBACK.search(text) or _WAIT.match(text)) else None
        if choice == "cancel":
            desk.decline(handover, now)
            return Routed([self._reply(sender_id, wording.LEFT_QUEUE)])
        if choice == "wait":
            return Routed([self._reply(sender_id, wording.KEEP_WAITING)])
        if choice == "callback":
            desk.request_callback(session, handover, now)
            desk.close_out_of_hours(handover, now)
            return Routed([self._reply(sender_id, wording.CALLBACK_TAKEN)])
        if choice == "yes":  # "Connect" pressed again: they are already in the queue
            return self._queued_reply(session, handover, sender_id, now)
        return None  # waiting people still get the assistant's answers

    def _feedback(self, ended, sender_id: str, text: str) -> Optional[Routed]:
        """The answer to "did you get what you needed?" after a handover ended."""
        choice = read_choice(text, "handover_feedback", "got_help")
        if choice not in ("yes", "no"):
            return None
        desk.record_feedback(ended, choice == "yes")
        return Routed([self._reply(sender_id, wording.FEEDBACK_THANKS[choice == "yes"])])
