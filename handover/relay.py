"""Getting words to the person on the channel they chose, and watching the queue.

Web chat: the line is stored and the person's page picks it up from its live updates stream.
SMS: the line is also queued in the durable SMS outbox (retried while Twilio fails), to the
number kept encrypted on the open handover; buttons become numbered choices as usual.
Voice: a call is handed over by <Dial>, so there is nothing to relay.
"""
from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from typing import Any, Iterable, Optional

from sqlalchemy.orm import Session

import timekeeping
from directory.db import session_scope
from handover import desk, wording
from handover.conversation import any_time_text
from handover.models import Handover, HandoverMessage

log = logging.getLogger(__name__)
SMS_CHANNEL = "twilio_sms"


def deliver(session: Session, twilio: Any, handover: Handover, author: str, text: str, *,
            buttons: Iterable[dict] = (), author_name: Optional[str] = None) -> HandoverMessage:
    """Store a line for the person (the web chat reads it) and, on SMS, queue it as a text.
    The caller commits, then calls `wake(twilio)`."""
    buttons = list(buttons)
    message = desk.add_message(session, handover, author, text, author_name=author_name, buttons=buttons,
                               now=timekeeping.utc_now())
    if handover.channel == SMS_CHANNEL:
        # On a phone every text looks alike: say who is writing.
        if author == "agent":  # author_name: the worker's display name, never their login name
            said = f"Waymark helpline, {author_name}: {text}" if author_name else f"Waymark helpline: {text}"
        else:
            said = text
        _queue_text(session, twilio, handover, said, buttons)
    return message


def _queue_text(session: Session, twilio: Any, handover: Handover, text: str, buttons: list[dict]) -> None:
    from channels import sms_text

    if twilio is None or not handover.contact_encrypted:
        log.warning("A handover message could not be texted (SMS not configured, or no number kept)")
        return
    person = handover.sender_id.split(":", 1)[1]
    bodies, choices = sms_text.format_replies([text], buttons)
    twilio.outbox.enqueue(session, person, bodies, to_encrypted=handover.contact_encrypted, kind="handover")
    if choices:  # so that "1" means the first of these choices
        twilio.conversation(session, person).last_choices = json.dumps(choices)


def wake(twilio: Any) -> None:
    if twilio is not None:
        twilio.outbox.wake()


def tell_overdue(database_url: str, twilio: Any, timeout_minutes: int) -> int:
    """Tell everyone who has waited too long, honestly, and offer the alternatives."""
    now = timekeeping.utc_now()
    with session_scope(database_url) as session:
        late = desk.overdue(session, now, timedelta(minutes=timeout_minutes))
        if late:
            text = wording.timed_out(timeout_minutes, any_time_text(session))
        for handover in late:
            deliver(session, twilio, handover, "assistant", text, buttons=wording.TIMEOUT_BUTTONS)
            desk.mark_timed_out(handover, now)
    if late:
        wake(twilio)
        log.info("Told %d waiting person(s) that nobody has picked up yet", len(late))
    return len(late)


async def watch_queue(app: Any, every_seconds: float = 15.0) -> None:
    """Runs while serving: the waiting-too-long check."""
    settings = app.state.settings
    while True:
        try:
            await asyncio.to_thread(tell_overdue, settings.database_url, getattr(app.state, "twilio", None),
                                    settings.handover_timeout_minutes)
        except Exception:  # noqa: BLE001 - the check must never take the service down
            log.exception("The handover queue check failed; trying again shortly")
        await asyncio.sleep(every_seconds)
