"""Liveness and readiness: /healthz is 200 only when the model, actions and database work."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from directory.db import engine_for

router = APIRouter(tags=["health"])


class DatabaseNotReady(RuntimeError):
    pass


def check_database(engine: Engine) -> None:
    """Fail fast with a clear message (Rasa's own SQL store would retry for ever)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        tables = set(inspect(engine).get_table_names())
    except Exception as e:  # noqa: BLE001 - any failure is "not reachable"
        raise DatabaseNotReady(f"Cannot reach the directory database at {engine.url!r}: {e}") from e
    if "service" not in tables:
        raise DatabaseNotReady(
            f"The directory database at {engine.url!r} has no tables. "
            "Run `waymark directory init` and `waymark directory seed --national --sample`."
        )


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    assistant = request.app.state.assistant
    checks = {"model": bool(assistant and assistant.is_ready())}
    checks["actions"] = bool(checks["model"] and await assistant.actions_respond())
    try:
        check_database(engine_for(request.app.state.settings.database_url))
        checks["database"] = True
    except DatabaseNotReady:
        checks["database"] = False
    healthy = all(checks.values())
    body: dict = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if not healthy:  # for the operator reading the probe; no addresses or credentials in it
        body["reasons"] = {name: WHY_NOT[name] for name, ok in checks.items() if not ok}
    return JSONResponse(body, status_code=200 if healthy else 503)


WHY_NOT = {
    "model": "the assistant's model is not loaded yet",
    "actions": "the custom actions (action server) do not answer",
    "database": "the directory database does not answer, or has no tables",
}
