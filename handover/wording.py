"""What the person is told during a handover, in one place: short, plain, honest about waits."""
from __future__ import annotations

import json
from typing import Optional

from handover.desk import Estimate


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


CONSENT_BUTTONS = [
    {"title": "Yes, share it", "payload": payload("handover_consent", choice="yes")},
    {"title": "Connect without it", "payload": payload("handover_consent", choice="no")},
    {"title": "Change it", "payload": payload("handover_consent", choice="edit")},
]
CALLBACK_BUTTONS = [
    {"title": "Yes, ask them to contact me", "payload": payload("handover_consent", choice="callback")},
    {"title": "No thanks", "payload": payload("handover_consent", choice="cancel")},
]
LEAVE_QUEUE_BUTTON = {"title": "Stop waiting", "payload": payload("handover_consent", choice="cancel")}
TIMEOUT_BUTTONS = [
    {"title": "Keep waiting", "payload": payload("handover_consent", choice="wait")},
    {"title": "Ask them to contact me", "payload": payload("handover_consent", choice="callback")},
]
FEEDBACK_BUTTONS = [
    {"title": "Yes", "payload": payload("handover_feedback", got_help="yes")},
    {"title": "No", "payload": payload("handover_feedback", got_help="no")},
]


def offer(helpline: str, summary: str) -> str:
    return (f"I can pass you to a real person at {helpline}. So you don't have to say it all again, "
            f"I'd share this with them: \"{summary}\" Is that OK?")


def offer_closed(helpline: str, opens: Optional[str], summary: str, any_time: str) -> str:
    when = f" They open {opens}." if opens else ""
    return (f"A real person at {helpline} can talk with you, but they are closed now.{when} "
            f"I can ask them to contact you here when they open, and share this: \"{summary}\" "
            f"Would you like that? {any_time}")


def any_time_lines(samaritans: Optional[str], frank: Optional[str]) -> str:
    lines = []
    if samaritans:
        lines.append(f"Samaritans on {samaritans}")
    if frank:
        lines.append(f"FRANK on {frank}")
    text = "You can talk to someone any time: " + " or ".join(lines) + "." if lines else ""
    return (text + " In an emergency, call 999.").strip()


ASK_EDIT = "OK. Type what you'd like them to know, in your own words. I'll share only that."


def queued(helpline: str, wait: Estimate, shared: bool) -> str:
    ahead = ("You're next." if wait.ahead == 0 else
             f"There {'is 1 person' if wait.ahead == 1 else f'are {wait.ahead} people'} ahead of you.")
    if wait.minutes is None:
        guess = "I can't tell how long it will be."
    elif wait.measured:
        guess = f"It could be about {wait.minutes} minutes."
    else:
        guess = f"It could be about {wait.minutes} minutes, but that is only a rough guess."
    what = "They will see the note you agreed to." if shared else "They won't see anything you told me."
    return (f"Thanks. You're in the queue for {helpline}. {ahead} {guess} {what} "
            "You can still ask me things while you wait. If you're in danger now, call 999.")


LEFT_QUEUE = "OK, you've left the queue. I'm still here if you need me."
NO_THANKS = "OK. I'm still here if you need me."
KEEP_WAITING = "OK, you're still in the queue. I'll let you know when someone picks up."
CALLBACK_TAKEN = ("Done. I've asked them to contact you here when they open. "
                  "You don't need to do anything else.")


def callback_opening(worker: Optional[str], helpline: str) -> str:
    """`worker` is the account's display name (never its login name); none: "someone"."""
    return f"Hello, this is {worker or 'someone'} from {helpline}. You asked us to get in touch. How are you doing?"
EDITED_TOO_LONG = "That's a bit long for a note. Please keep it under 500 characters."


def timed_out(minutes: int, any_time: str) -> str:
    return (f"I'm sorry, nobody has been able to pick up in {minutes} minutes. "
            f"You can keep waiting, or ask them to contact you. {any_time}")


def picked_up(worker: Optional[str]) -> str:
    """`worker` is the account's display name (never its login name); none: "Someone"."""
    return f"{worker or 'Someone'} from the helpline has joined. They can see what you agreed to share."


FEEDBACK_QUESTION = "The helpline worker has ended the chat. Did you get what you needed?"
FEEDBACK_THANKS = {True: "Thank you. I'm glad. I'm here if you need me again.",
                   False: "Thank you for telling me. I'm sorry. You can ask me again any time, or ask for a person."}
FAILED_QUEUED = "I've also asked a helpline worker to look at this conversation."

# Why a conversation is in the queue, as the agent console says it (Handover.reason). After a
# failure the person was given FRANK and 999, and shared no summary.
QUEUED_BECAUSE = {
    "asked": "They asked to talk to a person.",
    "callback": "They asked to be contacted when the helpline opened.",
    "failed_crisis": "Waymark failed while answering a crisis message. They were given FRANK and 999.",
    "failed_asked": "They asked for a person, then Waymark failed. They were given FRANK and 999.",
    "failed_again": "Waymark failed twice in a row in this conversation. They were given FRANK and 999.",
    "failed": "Waymark failed in this conversation. They were given a helpline and 999.",
}


def queued_because(reason: str, merged: int = 0) -> str:
    """`merged`: other web chats from the same address merged into this item
    (`handover.address_failures`)."""
    why = QUEUED_BECAUSE.get(reason, QUEUED_BECAUSE["asked"])
    if merged:
        chats = "1 other web chat" if merged == 1 else f"{merged} other web chats"
        why += (f" Merged into this item: {chats} from the same address where Waymark also failed twice "
                "(one person trying again, or a script). Each was given FRANK and 999.")
    return why
