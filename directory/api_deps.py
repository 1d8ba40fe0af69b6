"""FastAPI dependencies shared by the directory's routers: a database session per request."""
from __future__ import annotations

from typing import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from directory.db import session_scope


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request on the app's directory database: committed when the
    handler succeeds, rolled back when it raises (including HTTPException)."""
    with session_scope(request.app.state.settings.database_url) as session:
        yield session
