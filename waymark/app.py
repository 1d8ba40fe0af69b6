"""The FastAPI application: the front door for every channel and page."""
from __future__ import annotations

import asyncio
import gc
import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator, Optional

from fastapi import FastAPI

from channels import rest, twilio_common, twilio_sms, twilio_voice, webchat
from channels import staff as staff_page
from directory import api_editor, api_oruk, api_oruk_profile, feed_sync
from directory.db import engine_for
from handover import api as handover_api
from handover import relay as handover_relay
from handover import voice as handover_voice
from handover.models import create_tables as create_handover_tables
from insights import api as insights_api
from insights.models import create_tables as create_insights_tables
from waymark import auth, health
from waymark.docs import add_api_docs
from waymark.assistant import Assistant
from waymark.limits import add_limits
from waymark.logs import configure_logging
from waymark.security import StaticFolder, add_security_headers
from waymark.settings import Settings, get_settings

log = logging.getLogger(__name__)


async def purge_daily(assistant: Assistant, retention_days: int) -> None:
    """Retention when serving: delete old conversations now and then once a day."""
    from waymark.privacy import purge_everything

    while True:
        try:
            removed = await asyncio.to_thread(purge_everything, assistant.agent.tracker_store,
                                              assistant.database_url, retention_days * 86400)
            if any(removed.values()):
                log.info("Retention: deleted past %d days: %s", retention_days, removed)
        except Exception:  # noqa: BLE001 - retention must never take the service down
            log.exception("Retention purge failed; will try again tomorrow")
        await asyncio.sleep(86400)


def create_app(settings: Optional[Settings] = None, assistant: Optional[Assistant] = None) -> FastAPI:
    """Build the app. Pass `assistant` to share one loaded model (tests); otherwise it is
    loaded at start-up from `settings.model_path`."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging()
        health.check_database(engine_for(settings.database_url))
        create_insights_tables(engine_for(settings.database_url))  # anonymous demand counts
        if app.state.assistant is None:
            log.info("Loading the assistant from %s", settings.model_path)
            app.state.assistant = Assistant.load(settings)
        await app.state.assistant.warm_up()
        await asyncio.to_thread(create_handover_tables, engine_for(settings.database_url))
        purging = asyncio.create_task(purge_daily(app.state.assistant, settings.retention_days))
        # Councils' feeds in WAYMARK_FEEDS, synced every few hours by one instance at a time (a
        # database lease); nothing when none is configured.
        syncing = asyncio.create_task(feed_sync.sync_on_schedule(settings), name="feed-sync")
        await twilio_common.start(app)  # SMS outbox and reminder loops; nothing without Twilio settings
        app.state.voice_transfer = handover_voice.make_transfer(app)
        watching = asyncio.create_task(handover_relay.watch_queue(app), name="handover-queue")
        # The loaded model is millions of long-lived objects; without this, each full garbage
        # collection walks all of them in the middle of someone's turn.
        gc.collect()
        gc.freeze()
        log.info("Waymark is ready")
        yield
        watching.cancel()
        syncing.cancel()
        await twilio_common.stop(app)
        purging.cancel()

    # The API descriptions are added by waymark.docs: only the ORUK feed's is public.
    app = FastAPI(title="Waymark", version="0.1.0", lifespan=lifespan, openapi_url=None, docs_url=None,
                  redoc_url=None)
    app.state.settings = settings
    app.state.assistant = assistant
    add_limits(app, settings.max_body_bytes, settings.requests_per_minute_per_ip, settings.max_json_depth,
               settings.body_timeout_seconds)
    auth.reject_cross_site_posts(app)
    add_security_headers(app)  # added last = outermost, so refusals carry the headers too
    app.mount("/static", StaticFolder(directory=webchat.STATIC), name="static")
    app.mount("/console/static", StaticFolder(directory=handover_api.STATIC), name="console-static")
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(rest.router)
    app.include_router(webchat.router)
    app.include_router(staff_page.router)
    app.include_router(twilio_sms.router)
    app.include_router(twilio_voice.router)
    app.include_router(api_oruk.router)
    app.include_router(api_oruk_profile.router)
    app.include_router(api_editor.router)
    app.include_router(handover_api.router)
    app.include_router(handover_voice.router)
    app.include_router(insights_api.router)
    add_api_docs(app)
    return app
