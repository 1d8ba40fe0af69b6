"""What every channel does first with a person's words: read them once, and triage them.

Every channel (web chat, SMS, the text of a voice speech result) calls `read_message` as the
first thing it does with the text, before its rate limits, before the conversation's lock
and before anything that treats "/" specially, and hands the result to `Assistant.handle`,
so the crisis patterns run exactly once per message and nothing can be put in front of them.

Three things are decided here:

* **Is it text at all?** A lone surrogate (JSON "\\udfff") cannot be encoded, and the model's
  tokenizer raised `UnicodeEncodeError` on it; that failure then queued the conversation for
  a helpline worker, so ten such requests put ten fake people in the console. A NUL byte is
  refused by PostgreSQL (the tracker store at scale) in the same way. Such characters (and
  the other control characters, and Unicode's non-characters, which no keyboard produces) are
  never passed on: the channel answers with `UNREADABLE`, and nothing reaches the model or
  the queue. The crisis patterns still read the rest of the message, so a crisis with one
  stray byte in it still gets the crisis reply (from the readable text).
* **Is it a crisis?** `safety.triage.triage`, on the text as the person wrote it.
* **Is it a button?** Only an exact payload from `KNOWN_PAYLOADS` (what Waymark's own
  buttons send) skips triage and goes to the model as an intent. Anything else that starts
  with "/" is words: "/ my friend has taken an overdose" used to skip triage and be parsed by
  Rasa as a malformed intent, which failed. Its leading slashes are dropped, so the model
  reads it as text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from safety.replies import DEFAULT_LINES
from safety.triage import CrisisMatch, triage

# Every payload a Waymark button sends (bot/domain/*.yml responses, the custom actions, the
# handover's buttons, the voice keypad). tests/test_inbound.py checks that every payload
# literal in those places is listed here, so a new button cannot silently be triaged as
# words (harmless) or, worse, a "/..." text be let past triage because it looks like one.
KNOWN_PAYLOADS: frozenset[str] = frozenset({
    "/ask_human",
    '/find_service{"need": "treatment"}',
    '/find_service{"need": "needle-exchange"}',
    "/ask_naloxone",
    "/ask_family_support",
    "/ask_carer_info",
    "/ask_young_people",
    "/ask_confidentiality",
    "/ask_referral_route",
    '/ask_referral_route{"need": "criminal-justice"}',
    "/ask_advocacy",
    "/request_client_text",
    "/request_reminder",
    "/decline_reminder",
    '/inform_persona{"persona": "self"}',
    '/inform_persona{"persona": "family"}',
    '/inform_persona{"persona": "young-person"}',
    '/inform_persona{"persona": "professional"}',
    '/handover_consent{"choice": "yes"}',
    '/handover_consent{"choice": "no"}',
    '/handover_consent{"choice": "edit"}',
    '/handover_consent{"choice": "callback"}',
    '/handover_consent{"choice": "cancel"}',
    '/handover_consent{"choice": "wait"}',
    '/handover_feedback{"got_help": "yes"}',
    '/handover_feedback{"got_help": "no"}',
    # The web chat's service cards (actions/cards.py).
    '/EXTERNAL_listing_follow_up{"follow_up": "others"}',
    '/EXTERNAL_listing_follow_up{"follow_up": "hours"}',
    '/EXTERNAL_listing_follow_up{"follow_up": "features", "feature": "self-referral"}',
})

# Said (never echoing the message) when a message holds characters that are not text. It
# gives 999 and Samaritans because the person may have been trying to say something urgent.
UNREADABLE = ("Sorry, I couldn't read that message: it has characters in it that aren't text. "
              "Please type it again, or copy and paste it in plain text. If you or someone else is "
              f"in danger now, call 999. You can call Samaritans free on {DEFAULT_LINES['samaritans'].number}, "
              "any time.")
# Said to a caller (voice) when the speech result could not be read.
UNREADABLE_SPOKEN = "Sorry, I couldn't make that out. Please say it again, or press 2 to talk to a person."

_ALLOWED_CONTROLS = frozenset("\t\n\r")
_LEADING_SLASHES = re.compile(r"^[\s/]+")


def unreadable_characters(text: str) -> list[str]:
    """The characters that make `text` not text: lone surrogates, NUL and other control
    characters (tab and line breaks are fine) and Unicode non-characters (U+FDD0..U+FDEF and
    the last two code points of every plane). Emoji, accents, private-use and not-yet-assigned
    characters are text."""
    return [ch for ch in text if _unreadable(ch)]


def _unreadable(ch: str) -> bool:
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate (a pair would have been one character)
        return True
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return True
    return ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc"


def is_readable(text: str) -> bool:
    return not any(_unreadable(ch) for ch in text)


def is_known_payload(text: str) -> bool:
    return text in KNOWN_PAYLOADS


@dataclass(frozen=True)
class Inbound:
    """A message as the channels and the assistant pass it on, read once.

    `text` is what goes on to the assistant: an exact known payload, or words (never
    something else starting with "/", never an unreadable character). `match` is what the
    crisis patterns found. `unreadable` is true when characters that are not text were
    removed: unless it is a crisis, the channel refuses the message with `UNREADABLE`.
    """

    text: str
    match: Optional[CrisisMatch] = None
    payload: bool = False
    unreadable: bool = False

    @property
    def is_crisis(self) -> bool:
        return self.match is not None

    @property
    def refused(self) -> bool:
        """Not passed on at all: characters that are not text, and no crisis in the rest."""
        return self.unreadable and self.match is None

    @property
    def empty(self) -> bool:
        return not self.text.strip()


def read_message(text: str) -> Inbound:
    """Read and triage one message, as described in the module's docstring."""
    if is_known_payload(text):
        return Inbound(text, None, payload=True)
    bad = not is_readable(text)
    if bad:
        text = "".join(ch for ch in text if not _unreadable(ch))
    match = triage(text)
    if text.startswith("/") or text.lstrip().startswith("/"):
        text = _LEADING_SLASHES.sub("", text)  # words, not an intent: the model reads them as text
    return Inbound(text, match, payload=False, unreadable=bad)
