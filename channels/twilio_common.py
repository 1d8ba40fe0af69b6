"""What the SMS and voice channels share: configuration, Twilio's REST client, signature
checks, and the running services (outbox, reminders, background turns) kept on the app.

Start-up (`start`, called from the app's lifespan) does nothing unless Twilio credentials are
set; without them every Twilio route answers 503 and web chat carries on as before.
"""
from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Awaitable, Optional
from urllib.parse import urlsplit, urlunsplit

from fastapi import FastAPI, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

import timekeeping
from channels.identity import Identity, load_secret
from channels.models import SeenWebhook, SmsConversation, create_tables, to_naive_utc
from waymark.settings import Settings

log = logging.getLogger(__name__)
NOT_CONFIGURED = (
    "Text messages and phone calls are not set up on this server: TWILIO_ACCOUNT_SID, "
    "TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER (or TWILIO_MESSAGING_SERVICE_SID) are needed. "
    "Web chat still works."
)
BAD_SIGNATURE = "This request is not signed by Twilio (X-Twilio-Signature is missing or wrong)."
REQUEST_TIMEOUT_SECONDS = 10.0


def twilio_configured(settings: Settings) -> bool:
    return bool(settings.twilio_account_sid and settings.twilio_auth_token
                and (settings.twilio_from_number or settings.twilio_messaging_service_sid))


class BaseUrlHttpClient(TwilioHttpClient):
    """twilio's own HTTP client, with every request sent to another base URL.

    twilio 8.x builds absolute URLs per product (``https://api.twilio.com/2010-04-01/...``) and
    hands them to ``Client.http_client``, which may be any ``HttpClient``. Subclassing the
    library's own client and replacing only the scheme and host (plus an optional path prefix)
    keeps everything else twilio does: authentication, headers, form encoding, error parsing.
    So ``TWILIO_API_BASE_URL=http://127.0.0.1:8765`` sends ``POST
    /2010-04-01/Accounts/AC.../Messages.json`` to the local stub, exactly as Twilio would get it.
    """

    def __init__(self, base_url: str, timeout: float = REQUEST_TIMEOUT_SECONDS):
        super().__init__(timeout=timeout)
        self.base = urlsplit(base_url.rstrip("/"))

    def rewrite(self, url: str) -> str:
        target = urlsplit(url)
        return urlunsplit((self.base.scheme, self.base.netloc, self.base.path + target.path, target.query, ""))

    def request(self, method: str, url: str, *args: Any, **kwargs: Any):  # type: ignore[override]
        return super().request(method, self.rewrite(url), *args, **kwargs)


def make_client(settings: Settings) -> Client:
    http_client = (BaseUrlHttpClient(settings.twilio_api_base_url) if settings.twilio_api_base_url
                   else TwilioHttpClient(timeout=REQUEST_TIMEOUT_SECONDS))
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http_client)


def public_url_for(request: Request, settings: Settings) -> str:
    """The URL Twilio signed: WAYMARK_PUBLIC_URL plus the path (a proxy in front changes the
    scheme and host the app sees), or the request's own URL when no public URL is set."""
    if settings.public_url:
        query = f"?{request.url.query}" if request.url.query else ""
        return f"{settings.public_url}{request.url.path}{query}"
    return str(request.url)


@dataclass
class TwilioChannels:
    """The running SMS/voice machinery of one app instance (kept on `app.state.twilio`)."""

    settings: Settings
    engine: Engine
    identity: Identity
    poll_seconds: float = 1.0
    outbox: Any = None  # channels.outbox.Outbox
    reminders: Any = None  # channels.reminders.Reminders
    validator: Optional[RequestValidator] = None
    tasks: set = field(default_factory=set)
    loops: list = field(default_factory=list)

    @staticmethod
    def now() -> datetime:
        """The current time, aware UTC, from the product's one clock (`timekeeping`)."""
        return timekeeping.now().astimezone(timezone.utc)

    def spawn(self, coroutine: Awaitable[Any], name: str) -> asyncio.Task:
        """Run a turn in the background, keeping a reference so it is not garbage-collected."""
        task = asyncio.create_task(coroutine, name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    def session(self) -> Session:
        return Session(self.engine, future=True, expire_on_commit=False)

    def conversation(self, session: Session, person_hash: str) -> SmsConversation:
        row = session.get(SmsConversation, person_hash)
        if row is None:
            row = SmsConversation(person_hash=person_hash, opted_out=False, last_choices="[]", voice_choices="[]")
            session.add(row)
        return row

    def is_opted_out(self, person_hash: str) -> bool:
        with self.session() as session:
            return bool(session.execute(
                select(SmsConversation.opted_out).where(SmsConversation.person_hash == person_hash)
            ).scalar())

    async def idle(self, timeout: float = 10.0) -> None:
        """Wait until no turn is running (tests, and a tidy shutdown)."""
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=timeout)


def choices_of(raw: Optional[str]) -> list[dict]:
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def get_channels(request: Request) -> TwilioChannels:
    channels = getattr(request.app.state, "twilio", None)
    if channels is None:
        raise HTTPException(status_code=503, detail=NOT_CONFIGURED)
    return channels


FORM_TYPE = "application/x-www-form-urlencoded"
NOT_A_FORM = "Twilio's webhooks are application/x-www-form-urlencoded forms; nothing else is accepted here."
SEEN_FOR = timedelta(hours=24)


async def signed_form(request: Request) -> dict[str, str]:
    """The posted form, once it is known to come from Twilio (403 otherwise). Anything but a
    urlencoded form (a multipart body with a file part once gave a 500) is refused with 415
    before it is read."""
    channels = get_channels(request)
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        raise HTTPException(status_code=415, detail=NOT_A_FORM)
    form = await request.form()
    if channels.validator is not None:
        signature = request.headers.get("X-Twilio-Signature", "")
        url = public_url_for(request, channels.settings)
        if not signature or not channels.validator.validate(url, form, signature):
            log.warning("Refused a request to %s with a missing or wrong Twilio signature", request.url.path)
            raise HTTPException(status_code=403, detail=BAD_SIGNATURE)
    return {key: value for key, value in form.items() if isinstance(value, str)}


def first_time(channels: "TwilioChannels", key: str) -> bool:
    """Whether this webhook (by its MessageSid or CallSid and step: see SeenWebhook) is new;
    it is remembered for SEEN_FOR. Shared by every instance (the database), so a replay to
    another instance is caught too. Blocking: call it from a worker thread."""
    from sqlalchemy import delete
    from sqlalchemy.exc import IntegrityError

    now = to_naive_utc(channels.now())
    with channels.session() as session:
        session.execute(delete(SeenWebhook).where(SeenWebhook.seen_at < now - SEEN_FOR))  # forgotten after a day
        session.add(SeenWebhook(key=key[:160], seen_at=now))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            log.warning("A Twilio webhook was sent again (%s); it was answered but not acted on", key.split(":")[0])
            return False
    return True


def require(form: dict[str, str], *names: str) -> None:
    missing = [name for name in names if not form.get(name, "").strip()]
    if missing:
        raise HTTPException(status_code=400, detail=f"Missing required field(s): {', '.join(missing)}. "
                            "This endpoint expects Twilio's webhook parameters.")


async def start(app: FastAPI) -> Optional[TwilioChannels]:
    """Create the channel tables and start the outbox and reminder loops (if Twilio is set up)."""
    from channels.outbox import Outbox, TwilioSender
    from channels.reminders import Reminders
    from directory.db import engine_for

    settings: Settings = app.state.settings
    app.state.twilio = None
    if not twilio_configured(settings):
        log.info("Twilio is not configured: SMS and voice routes answer 503 (web chat is unaffected)")
        return None
    engine = engine_for(settings.database_url)
    await asyncio.to_thread(create_tables, engine)
    channels = TwilioChannels(settings=settings, engine=engine, identity=Identity(load_secret(settings.secret_key)))
    if settings.twilio_validate_signatures:
        channels.validator = RequestValidator(settings.twilio_auth_token)
    else:
        log.critical("!!! TWILIO SIGNATURE VALIDATION IS OFF (WAYMARK_TWILIO_VALIDATE_SIGNATURES=false): anyone "
                     "can post to /twilio/* as if they were Twilio. Never run like this where the internet can "
                     "reach the app. !!!")
    channels.outbox = Outbox(channels, TwilioSender(settings))
    channels.reminders = Reminders(channels)
    if settings.twilio_api_base_url:
        log.warning("Twilio REST API calls go to %s instead of Twilio", settings.twilio_api_base_url)
    channels.loops = [
        asyncio.create_task(channels.outbox.run_forever(), name="sms-outbox"),
        asyncio.create_task(channels.reminders.run_forever(), name="sms-reminders"),
    ]
    app.state.twilio = channels
    log.info("SMS and voice are on (outbox and reminder loops started)")
    return channels


async def stop(app: FastAPI) -> None:
    channels: Optional[TwilioChannels] = getattr(app.state, "twilio", None)
    if channels is None:
        return
    await channels.idle(timeout=5.0)
    for task in channels.loops + list(channels.tasks):
        task.cancel()
    await asyncio.gather(*channels.loops, *channels.tasks, return_exceptions=True)
