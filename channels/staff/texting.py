"""Texting listing details to a client, on behalf of a signed-in member of staff.

The text goes through the SMS channel's durable outbox like every other text Waymark sends:
the client is known only by the keyed hash of their number, the number itself is kept
encrypted only until the text has gone (the outbox then wipes it and the body), and it is
never logged or written to the audit trail. The audit row says who sent which listing.
"""
from __future__ import annotations

import re
from typing import Optional

from channels import sms_text
from channels.twilio_common import TwilioChannels
from directory import editing
from waymark.limits import RateLimiter

# A member of staff texts one client at a time; this allows a busy desk, not a bulk sender.
TEXTS_PER_HOUR = 30
BURST = 5
UK_MOBILE = re.compile(r"^(?:\+44|0044|0)(7\d{9})$")
UK_LANDLINE = re.compile(r"^(?:\+44|0044|0)([1-35689]\d{8,9})$")

NOT_A_NUMBER = ("That doesn't look like a phone number. Type the client's mobile number, "
                "for example 07700 900123 or +44 7700 900123.")
NOT_A_MOBILE = ("That looks like a landline number, and landlines can't get texts. "
                "Type a mobile number: in the UK they start 07.")
NOT_UK = ("Waymark can only text UK mobile numbers. They start 07, or +44 7.")
WRONG_LENGTH = ("A UK mobile number has 11 digits, starting 07, like 07700 900123. "
                "Please check the number and try again.")
OPTED_OUT = ("This number has asked Waymark not to send it texts (it replied STOP). "
             "Please print the details or write them down instead.")
TOO_MANY = ("You have sent a lot of texts in a short time. Please wait a few minutes and try again, "
            "or print the details instead.")
NOT_SET_UP = ("Texting is not set up on this server (Twilio settings are missing), so the details "
              "can't be sent by text. Please print them or read them out instead.")
SENT = "Sent. The client should get the text in a minute or two. Waymark has not kept the number."
INTRO = "Here are the details you were given."


class BadNumber(ValueError):
    """The mobile number can't be texted; the message says why, politely."""


def uk_mobile(raw: str) -> str:
    """The number as +447…, or BadNumber with a specific reason."""
    cleaned = re.sub(r"[\s\-().]", "", raw or "")
    if not cleaned or not re.fullmatch(r"\+?\d+", cleaned):
        raise BadNumber(NOT_A_NUMBER)
    match = UK_MOBILE.match(cleaned)
    if match:
        return "+44" + match.group(1)
    if UK_LANDLINE.match(cleaned):
        raise BadNumber(NOT_A_MOBILE)
    if (cleaned.startswith("+") and not cleaned.startswith("+44")) or (
            cleaned.startswith("00") and not cleaned.startswith("0044")):
        raise BadNumber(NOT_UK)
    raise BadNumber(WRONG_LENGTH)


def limiter_for(app_state) -> RateLimiter:
    """One limiter per app instance, keyed by account."""
    if not hasattr(app_state, "staff_text_limiter"):
        app_state.staff_text_limiter = RateLimiter(per_minute=TEXTS_PER_HOUR / 60.0, burst=BURST)
    return app_state.staff_text_limiter


def bodies_for(summaries: list[str]) -> list[str]:
    """The texts: GSM-7, at most three segments each, with a discreet opening."""
    bodies, _ = sms_text.format_replies([INTRO, *summaries])
    return bodies


def send_details(channels: TwilioChannels, number: str, summaries: list[str], service_ids: list[str],
                 who: str) -> Optional[str]:
    """Queue the texts and audit them in one transaction. Returns a refusal message, or None."""
    person = channels.identity.hash_number(number)
    if channels.is_opted_out(person):
        return OPTED_OUT
    with channels.session() as session:  # the outbox lives in the directory database
        channels.outbox.enqueue(session, person, bodies_for(summaries), number=number, kind="details")
        for service_id in service_ids:
            editing.audit(session, "staff_text", service_id, "text_sent", who)
        session.commit()
    channels.outbox.wake()
    return None
