"""Web chat: the same contract as Rasa 3.6's REST channel, so any Rasa client works with it.

GET  /webhooks/rest/                -> {"status": "ok"}
POST /webhooks/rest/conversations   -> {"sender": "<a new signed conversation id>", "required": false}
POST /webhooks/rest/webhook {"sender": "...", "message": "...", "metadata": {...}}
  -> [{"recipient_id": "...", "text": "...", "buttons": [...]}, ...]
POST /webhooks/rest/webhook?stream=true
  -> the same replies, one JSON object per line (newline-delimited JSON), as Rasa's console
     client reads them by default.

Two choices differ from stock Rasa, on purpose:
- A message without a `sender` is refused (422, `NO_SENDER`), where stock Rasa files it under
  the one conversation "default". Here that would put strangers' messages, about drugs and
  their families, into one shared history that each of them could read back or delete.
- When processing fails, stock Rasa answers 200 with `[]`: silence. Here the person still
  gets a reply they can act on (FRANK and 999: `Assistant.handle` fails open), also with 200.

The server also issues conversation ids it can recognise (`channels.conversation_ids`); the
web chat page uses one. Any id is accepted unless `WAYMARK_REST_REQUIRE_SIGNED_IDS` is on.
"""
from __future__ import annotations

import json
from typing import Any, AsyncIterator, List, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from channels.addresses import address_hash
from channels.conversation_ids import (REFUSAL_HEADERS, UNSIGNED, conversation_ids, is_accepted, refuse_unless_accepted,
                                      signing_required)
from channels.dependencies import get_assistant
from waymark.assistant import Assistant
from waymark.inbound import UNREADABLE, is_readable, read_message
from waymark.limits import TOO_FAST, RateLimiter, address_allows, per_conversation
from waymark.privacy import PrivacyIncomplete, is_phone_conversation

router = APIRouter(tags=["web chat"])
NOT_A_CONVERSATION = "That is not a conversation id."
NOT_A_WEB_CHAT = "That is not a web chat conversation id."
NO_SENDER = ("Every message needs a \"sender\": your conversation's id, a random value your client keeps "
             "(for example a UUID). Messages without one are not put into a shared conversation.")
NDJSON = "application/x-ndjson"


def too_long(length: int, limit: int) -> str:
    return (f"That message is too long for me ({length} characters). Please send it in parts of up to "
            f"{limit} characters. If you or someone else is in danger now, call 999.")


class ChatMessage(BaseModel):
    # Optional here only so that a missing sender gets NO_SENDER, not pydantic's "field required".
    sender: Optional[str] = Field(None, max_length=128, description="The conversation's id (required)")
    message: str = Field(..., description="What the person typed, or a button's payload")
    metadata: Optional[dict] = Field(None, description="Anything the client sends beside the message; "
                                     "kept with the conversation, as stock Rasa keeps it")


@router.get("/webhooks/rest/")
async def health() -> dict:
    """Stock Rasa's channel health check, which Rasa clients call before they talk."""
    return {"status": "ok"}


async def as_lines(replies: List[Any]) -> AsyncIterator[bytes]:
    for reply in replies:
        yield (json.dumps(reply, ensure_ascii=False) + "\n").encode("utf-8")


async def conversation_limiter(request: Request) -> RateLimiter:
    """One limiter per app: a single conversation may not flood the assistant."""
    return per_conversation(request.app, "conversation", request.app.state.settings.messages_per_minute_per_conversation)


class NewConversation(BaseModel):
    sender: str = Field(..., description="A new conversation id, signed by this server: send it as \"sender\"")
    required: bool = Field(..., description="Whether this server accepts only ids it issued")


@router.post("/webhooks/rest/conversations", response_model=NewConversation)
async def new_conversation(request: Request, response: Response) -> NewConversation:
    """A new conversation id for a web chat: 128 random bits and the server's signature.

    Nothing is stored: the id is recognised later by its signature alone. `required` tells
    the page whether an id of its own would be accepted (so it knows to keep asking).
    """
    response.headers["Cache-Control"] = "no-store"
    return NewConversation(sender=conversation_ids(request).issue(), required=signing_required(request))


@router.post("/webhooks/rest/webhook", response_model=List[dict])
async def receive(body: ChatMessage, request: Request, response: Response,
                  stream: bool = Query(False, description="one reply per line (newline-delimited JSON)"),
                  assistant: Assistant = Depends(get_assistant),
                  limiter: RateLimiter = Depends(conversation_limiter)) -> Any:
    """One message, in this order: its length (413); read and triage it (`waymark.inbound`);
    refuse characters that are not text (422) and a texter's or caller's id (422: their history
    is not reachable from here); then, unless it is a crisis, an id the server did not issue
    when signed ids are required (422), the rate limits (429, per address and per
    conversation) and emptiness (422); then the assistant.

    A crisis under an id the server did not issue, when signed ids are required, still gets
    the crisis reply, but from the templates alone: nothing is recorded under that id (it is
    not a conversation this server keeps).

    A crisis is never refused for rate: it goes straight to the assistant, which answers it
    first. The length comes before triage because it bounds what triage costs (it runs on
    every message, refused for rate or not); a message over it is told to send it in parts,
    and 999. Every refusal here is specific and polite, and never reaches the model.

    With `?stream=true` the same replies go out one JSON object per line; every refusal is
    still an ordinary 4xx answer, decided before anything is streamed.
    """
    if not body.sender:
        raise HTTPException(status_code=422, detail=NO_SENDER)
    if not is_readable(body.sender):
        raise HTTPException(status_code=422, detail=NOT_A_CONVERSATION)
    if is_phone_conversation(body.sender):
        raise HTTPException(status_code=422, detail=NOT_A_WEB_CHAT)
    limit = request.app.state.settings.max_message_chars
    if len(body.message) > limit:
        raise HTTPException(status_code=413, detail=too_long(len(body.message), limit))
    inbound = read_message(body.message)
    if inbound.refused:
        raise HTTPException(status_code=422, detail=UNREADABLE)
    if not is_accepted(request, body.sender):
        if not inbound.is_crisis:
            raise HTTPException(status_code=422, detail=UNSIGNED, headers=REFUSAL_HEADERS)
        replies = await assistant.answer_crisis_unrecorded(body.sender, inbound.match)
        return StreamingResponse(as_lines(replies), media_type=NDJSON) if stream else replies
    if not inbound.is_crisis:
        if not address_allows(request) or not limiter.allow(body.sender):
            raise HTTPException(status_code=429, detail=TOO_FAST, headers={"Retry-After": "5"})
        if inbound.empty:
            raise HTTPException(status_code=422, detail="The message is empty. Please type something.")
    replies = await assistant.handle(body.sender, inbound.text, channel="rest", inbound=inbound,
                                     address=address_hash(request), metadata=body.metadata or None)
    close = assistant.turns.under_way() and request.app.state.settings.workers > 1
    if stream:
        # The whole turn is done before the first line: a reply is never half sent.
        return StreamingResponse(as_lines(replies), media_type=NDJSON,
                                 headers={"Connection": "close"} if close else None)
    if close:
        # Busy here: the next message comes on a new connection, to whichever worker is free.
        response.headers["Connection"] = "close"
    return replies


@router.delete("/webhooks/rest/conversations/{sender}", status_code=204, response_class=Response)
async def delete_conversation(sender: str, request: Request,
                              assistant: Assistant = Depends(get_assistant)) -> Response:
    """The person's "delete my conversation": erases the history the assistant holds.

    The sender id is a random value known only to the person's browser, so holding it is
    what entitles the caller to delete that conversation.
    """
    if not 0 < len(sender) <= 128 or not is_readable(sender):
        raise HTTPException(status_code=422, detail=NOT_A_CONVERSATION)
    if is_phone_conversation(sender):  # a texter deletes by texting DELETE
        raise HTTPException(status_code=422, detail=NOT_A_WEB_CHAT)
    refuse_unless_accepted(request, sender)
    try:
        await assistant.forget(sender)
    except PrivacyIncomplete:
        raise HTTPException(status_code=503, detail="Sorry, I could not erase everything just now. "
                            "Please try again in a few minutes.") from None
    return Response(status_code=204)
