"""FastAPI dependencies shared by the routers: a database session per request."""
from __future__ import annotations

from typing import Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from directory.db import session_scope


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request on the app's directory database: committed when the
    handler succeeds, rolled back when it raises (including HTTPException)."""
    with session_scope(request.app.state.settings.database_url) as session:
        yield session


# Use as `session: Session = database_session`. The session ends as soon as the handler returns,
# before the answer is sent: by default FastAPI closes a yield dependency only after the whole
# response has gone, and until then a handler's write (an audit line, say) kept SQLite's write
# lock, so a conversation asking for a person meanwhile got "database is locked". Ending it
# first also means a failed commit is answered with an error, never a false success.
database_session = Depends(get_session, scope="function")
