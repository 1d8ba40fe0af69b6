"""Web chat: the same contract as Rasa's REST channel, so any Rasa client works with it.

POST /webhooks/rest/webhook {"sender": "...", "message": "..."}
  -> [{"recipient_id": "...", "text": "...", "buttons": [...]}, ...]
"""
from __future__ import annotations

from typing import Any, List

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field

from channels.dependencies import get_assistant
from waymark.assistant import Assistant
from waymark.limits import TOO_FAST, RateLimiter
from waymark.privacy import PrivacyIncomplete, is_phone_conversation
from waymark.settings import get_settings

router = APIRouter(tags=["web chat"])
NOT_A_WEB_CHAT = "That is not a web chat conversation id."


class ChatMessage(BaseModel):
    sender: str = Field(..., min_length=1, max_length=128, description="The conversation's id")
    message: str = Field(..., description="What the person typed, or a button's payload")


async def conversation_limiter(request: Request) -> RateLimiter:
    """One limiter per app: a single conversation may not flood the assistant."""
    if not hasattr(request.app.state, "conversation_limiter"):
        per_minute = get_settings().messages_per_minute_per_conversation
        request.app.state.conversation_limiter = RateLimiter(per_minute, burst=max(5, per_minute // 3))
    return request.app.state.conversation_limiter


@router.post("/webhooks/rest/webhook", response_model=List[dict])
async def receive(body: ChatMessage, request: Request, response: Response,
                  assistant: Assistant = Depends(get_assistant),
                  limiter: RateLimiter = Depends(conversation_limiter)) -> List[Any]:
    if is_phone_conversation(body.sender):  # a texter's or caller's history is not reachable from here
        raise HTTPException(status_code=422, detail=NOT_A_WEB_CHAT)
    if not limiter.allow(body.sender):
        raise HTTPException(status_code=429, detail=TOO_FAST, headers={"Retry-After": "5"})
    limit = get_settings().max_message_chars
    if len(body.message) > limit:
        raise HTTPException(
            status_code=413,
            detail=f"That message is too long for me ({len(body.message)} characters). "
            f"Please send it in parts of up to {limit} characters.",
        )
    if not body.message.strip():
        raise HTTPException(status_code=422, detail="The message is empty. Please type something.")
    replies = await assistant.handle(body.sender, body.message, channel="rest")
    if assistant.turns.under_way() and request.app.state.settings.workers > 1:
        # Busy here: the next message comes on a new connection, to whichever worker is free.
        response.headers["Connection"] = "close"
    return replies


@router.delete("/webhooks/rest/conversations/{sender}", status_code=204, response_class=Response)
async def delete_conversation(sender: str, assistant: Assistant = Depends(get_assistant)) -> Response:
    """The person's "delete my conversation": erases the history the assistant holds.

    The sender id is a random value known only to the person's browser, so holding it is
    what entitles the caller to delete that conversation.
    """
    if not 0 < len(sender) <= 128:
        raise HTTPException(status_code=422, detail="That is not a conversation id.")
    if is_phone_conversation(sender):  # a texter deletes by texting DELETE
        raise HTTPException(status_code=422, detail=NOT_A_WEB_CHAT)
    try:
        await assistant.forget(sender)
    except PrivacyIncomplete:
        raise HTTPException(status_code=503, detail="Sorry, I could not erase everything just now. "
                            "Please try again in a few minutes.") from None
    return Response(status_code=204)
