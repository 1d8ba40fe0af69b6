"""FastAPI dependencies shared by the channel routers."""
from __future__ import annotations

from fastapi import HTTPException, Request

from waymark.assistant import Assistant


def get_assistant(request: Request) -> Assistant:
    assistant = getattr(request.app.state, "assistant", None)
    if assistant is None or not assistant.is_ready():
        raise HTTPException(status_code=503, detail="The assistant is starting up. Please try again in a minute.")
    return assistant
