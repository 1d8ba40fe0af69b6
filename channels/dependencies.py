"""FastAPI dependencies shared by the channel routers."""
from __future__ import annotations

from fastapi import HTTPException, Request

from waymark.assistant import Assistant


async def get_assistant(request: Request) -> Assistant:
    """The loaded assistant, or 503 while it loads. `async` because it never blocks: FastAPI
    runs a plain `def` dependency in its thread pool, a thread hop on every message."""
    assistant = getattr(request.app.state, "assistant", None)
    if assistant is None or not assistant.is_ready():
        raise HTTPException(status_code=503, detail="The assistant is starting up. Please try again in a minute.")
    return assistant
