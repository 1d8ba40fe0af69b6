"""Web chat conversation ids the server issued, and can recognise as its own (issue 22, item 5).

A web chat conversation's id is all that stands between a stranger and that conversation: who
holds it can write into it, watch a helpline worker's lines and delete it. Stock Rasa clients
pick their own ids, and Waymark keeps accepting them by default. An id from
`POST /webhooks/rest/conversations` is 128 random bits and an HMAC-SHA256 tag over them, keyed
from `WAYMARK_SECRET_KEY` (HKDF, its own label, so it is independent of the phone-number and
address hashes). With `WAYMARK_REST_REQUIRE_SIGNED_IDS` on, only such ids are accepted, so an id
can't be made up or guessed: it must have come from this server (and can still only be found
by holding it, as the 128 random bits are never stored or logged).

The id is base64url (URL-safe, no padding) and always 64 characters: 16 random bytes then the
32-byte tag. It carries nothing about the person or the time.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from fastapi import HTTPException
from starlette.requests import Request

from channels.identity import _derive, load_secret

RANDOM_BYTES = 16
TAG_BYTES = 32
LENGTH = 64  # base64url characters for 48 bytes, exactly: no padding, one spelling per id
_SHAPE = re.compile(r"[A-Za-z0-9_-]{%d}" % LENGTH)
# The tag covers a purpose string too, so a tag made with this key for anything else one day
# can never pass as a conversation id.
_PURPOSE = b"waymark web chat conversation id v1:"

UNSIGNED = ("This conversation id was not issued by this server, so I can't keep a conversation under "
            "it. Please reload the page to start a new chat (a client asks for an id with "
            "POST /webhooks/rest/conversations and sends it as \"sender\"). If you or someone else is "
            "in danger now, call 999.")


# Beside the refusal, so the web chat page can tell it from other 422s (and ask for an id)
# without reading the words, which are for people.
REFUSAL_HEADERS = {"Waymark-Refusal": "conversation-id"}


class ConversationIds:
    def __init__(self, secret: bytes):
        self._key = _derive(secret, b"web-chat-conversation-id")

    def _tag(self, random_part: bytes) -> bytes:
        return hmac.new(self._key, _PURPOSE + random_part, hashlib.sha256).digest()

    def issue(self) -> str:
        random_part = secrets.token_bytes(RANDOM_BYTES)
        return base64.urlsafe_b64encode(random_part + self._tag(random_part)).decode("ascii").rstrip("=")

    def is_signed(self, conversation_id: str) -> bool:
        """True only for an id this key issued, unchanged. The shape is checked first, so the
        decoder never sees (and silently skips) characters outside base64url."""
        if not isinstance(conversation_id, str) or not _SHAPE.fullmatch(conversation_id):
            return False
        raw = base64.urlsafe_b64decode(conversation_id)
        random_part, tag = raw[:RANDOM_BYTES], raw[RANDOM_BYTES:]
        return hmac.compare_digest(tag, self._tag(random_part))


def conversation_ids(request: Request) -> ConversationIds:
    """The app's issuer (one per app, made on first use from the app's settings)."""
    issuer = getattr(request.app.state, "conversation_ids", None)
    if issuer is None:
        issuer = ConversationIds(load_secret(request.app.state.settings.secret_key))
        request.app.state.conversation_ids = issuer
    return issuer


def signing_required(request: Request) -> bool:
    return bool(getattr(request.app.state.settings, "rest_require_signed_ids", False))


def is_accepted(request: Request, conversation_id: str) -> bool:
    """Whether the web chat takes this id: any id when signing is not required; otherwise only
    one this server issued."""
    return not signing_required(request) or conversation_ids(request).is_signed(conversation_id)


def refuse_unless_accepted(request: Request, conversation_id: str) -> None:
    """422 with `UNSIGNED` for an id the web chat does not take (see `is_accepted`)."""
    if not is_accepted(request, conversation_id):
        raise HTTPException(status_code=422, detail=UNSIGNED, headers=REFUSAL_HEADERS)
