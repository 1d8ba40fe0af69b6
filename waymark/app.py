"""The FastAPI application: the front door for every channel and page."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator, Optional

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from channels import rest, webchat
from directory.db import engine_for
from waymark import health
from waymark.assistant import Assistant
from waymark.logs import configure_logging
from waymark.security import add_security_headers
from waymark.settings import Settings, get_settings

log = logging.getLogger(__name__)


def create_app(settings: Optional[Settings] = None, assistant: Optional[Assistant] = None) -> FastAPI:
    """Build the app. Pass `assistant` to share one loaded model (tests); otherwise it is
    loaded at start-up from `settings.model_path`."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging()
        health.check_database(engine_for(settings.database_url))
        if app.state.assistant is None:
            log.info("Loading the assistant from %s", settings.model_path)
            app.state.assistant = Assistant.load(settings)
        log.info("Waymark is ready")
        yield

    app = FastAPI(title="Waymark", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.assistant = assistant
    add_security_headers(app)
    app.mount("/static", StaticFiles(directory=webchat.STATIC), name="static")
    app.include_router(health.router)
    app.include_router(rest.router)
    app.include_router(webchat.router)
    return app
