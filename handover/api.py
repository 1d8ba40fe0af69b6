"""The helpline agent console's API, and the web chat's live updates during a handover.

Console (sign in with POST /auth/token; role "agent", or admin):
    GET  /console                                   the console page
    GET  /console/api/queue                         waiting (urgent first), active, callbacks
    GET  /console/api/events?after=N                live updates (server-sent events)
    GET  /console/api/handovers/{id}                summary, flags and what the worker may see
    POST /console/api/handovers/{id}/claim          one owner at a time
    POST /console/api/handovers/{id}/messages       reply to the person, on their channel
    POST /console/api/handovers/{id}/notes          a private note for other workers
    GET  /console/api/directory?place=&need=        look up services to send
    POST /console/api/handovers/{id}/directory      send a listing as a message
    POST /console/api/handovers/{id}/end            hand back to the assistant (it asks for feedback)
    POST /console/api/callbacks/{id}/start          return a callback: open the conversation
    POST /console/api/callbacks/{id}/done           a callback request dealt with otherwise

Person (web chat; the random conversation id is the key, as for delete):
    GET /webhooks/rest/conversations/{sender}/updates?after=N   worker's lines, live (SSE)

What a worker sees follows the person's consent: with "yes" the summary and the conversation
with the assistant; with a summary they wrote themselves, only that; with "no", nothing from
before the worker joined. Every view and action is audit-logged.
"""
from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path
from typing import AsyncIterator, Callable, List, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from pydantic import BaseModel, constr
from sqlalchemy.orm import Session, object_session

import timekeeping
from channels.conversation_ids import refuse_unless_accepted
from directory import geo, search
from directory.api_deps import database_session
from directory.db import session_scope
from directory.models import EditorAccount, Service
from handover import address_failures, desk, relay, wording
from handover.models import ACTIVE, WAITING, CallbackRequest, Handover, HandoverMessage
from waymark.auth import NO_STORE, require_role, who
from waymark.privacy import is_phone_conversation

def no_store(response: Response) -> None:
    """Summaries, transcripts and lines are never kept in a browser's or a proxy's cache."""
    response.headers.update(NO_STORE)


router = APIRouter(tags=["helpline console"], dependencies=[Depends(no_store)])
STATIC = Path(__file__).resolve().parent / "static"  # served at /console/static
current_agent = require_role("agent")
POLL_SECONDS = 1.0
STREAM_SECONDS = 25.0  # a stream ends now and then; browsers reconnect with Last-Event-ID
NO_SUMMARY = "The person chose not to share a summary."
PERSON_AUTHORS = ("agent", "assistant")
# The largest event id a client may send back (a JavaScript number stays exact below it; a
# larger one is more than the database's integers hold, and was once a 500).
MAX_EVENT_ID = 2**53

MessageText = constr(strip_whitespace=True, min_length=1, max_length=1600)


class HandoverOut(BaseModel):
    id: str
    channel: str
    status: str
    helpline: Optional[str]
    urgent: bool
    crisis_type: Optional[str]
    summary: str
    consent: Optional[str]
    queued_at: Optional[datetime]
    waiting_minutes: Optional[int]
    claimed_by: Optional[str]
    told_nobody_free: bool
    reason: str  # asked, callback, failed_crisis, failed_asked, failed_again (Handover.reason)
    why: str  # the reason, in words a worker reads


class CallbackOut(BaseModel):
    id: str
    channel: str
    helpline: Optional[str]
    summary: str
    created_at: datetime


class QueueOut(BaseModel):
    waiting: List[HandoverOut]
    active: List[HandoverOut]
    callbacks: List[CallbackOut]


class LineOut(BaseModel):
    id: Optional[int]
    who: str  # person, assistant, agent, note
    name: Optional[str]
    text: str
    at: Optional[datetime]


class HandoverDetail(HandoverOut):
    transcript: List[LineOut]


class TextIn(BaseModel):
    text: MessageText  # type: ignore[valid-type]


class ListingIn(BaseModel):
    service_id: constr(strip_whitespace=True, min_length=1, max_length=64)  # type: ignore[valid-type]
    place: constr(strip_whitespace=True, min_length=1, max_length=64)  # type: ignore[valid-type]


class ListingOut(BaseModel):
    service_id: str
    name: str
    text: str


def _helpline_names(session: Session, rows) -> dict:
    ids = {r.helpline_id for r in rows if r.helpline_id}
    return {s.id: s.name for s in (session.get(Service, i) for i in ids) if s is not None}


def _out(handover: Handover, names: dict, now: datetime, merged: Optional[dict] = None) -> HandoverOut:
    waited = int((now - handover.queued_at).total_seconds() // 60) if handover.queued_at and handover.status == WAITING else None
    return HandoverOut(id=handover.id, channel=handover.channel, status=handover.status,
                       helpline=names.get(handover.helpline_id), urgent=handover.urgent,
                       crisis_type=handover.crisis_type, summary=handover.summary or NO_SUMMARY,
                       consent=handover.consent, queued_at=handover.queued_at, waiting_minutes=waited,
                       claimed_by=handover.claimed_by, told_nobody_free=handover.timed_out_at is not None,
                       reason=handover.reason, why=wording.queued_because(handover.reason, _merged(handover, merged)))


def _merged(handover: Handover, merged: Optional[dict]) -> int:
    """Other web chats merged into this item (`merged`: counted for a whole queue at once)."""
    if merged is None:
        session = object_session(handover)
        merged = address_failures.merged_counts(session, [handover.id]) if session is not None else {}
    return merged.get(handover.id, 0)


def _queue(session: Session) -> QueueOut:
    now = timekeeping.utc_now()
    waiting, active, callbacks = desk.waiting_list(session), desk.active_list(session), desk.open_callbacks(session)
    names = _helpline_names(session, [*waiting, *active, *callbacks])
    merged = address_failures.merged_counts(session, [h.id for h in [*waiting, *active]])
    return QueueOut(waiting=[_out(h, names, now, merged) for h in waiting],
                    active=[_out(h, names, now, merged) for h in active],
                    callbacks=[CallbackOut(id=c.id, channel=c.channel, helpline=names.get(c.helpline_id),
                                           summary=c.summary or NO_SUMMARY, created_at=c.created_at) for c in callbacks])


def _errors(action: Callable):
    try:
        return action()
    except desk.HandoverError as e:
        raise HTTPException(409, str(e)) from None


def _owned(session: Session, handover_id: str, account: EditorAccount) -> Handover:
    handover = _errors(lambda: desk.get(session, handover_id))
    if handover.status != ACTIVE:
        raise HTTPException(409, f"This conversation is {handover.status}, not with a worker.")
    if handover.claimed_by != account.name and account.role != "admin":
        raise HTTPException(403, f"{handover.claimed_by} has this conversation.")
    return handover


def _tell_person(request: Request, session: Session, handover: Handover, author: str, text: str, *,
                 buttons=(), author_name: Optional[str] = None) -> HandoverMessage:
    """Say something to the person on their channel, committed before the answer so their page
    (or the SMS outbox) sees it at once."""
    twilio = getattr(request.app.state, "twilio", None)
    message = relay.deliver(session, twilio, handover, author, text, buttons=buttons, author_name=author_name)
    session.commit()
    relay.wake(twilio)
    return message


@router.get("/console", include_in_schema=False)
async def console_page() -> FileResponse:
    return FileResponse(STATIC / "console.html", media_type="text/html")


@router.get("/console/api/queue", response_model=QueueOut)
def queue(account: EditorAccount = Depends(current_agent), session: Session = database_session) -> QueueOut:
    desk.audit(session, "queue", "view_queue", who(account))  # the queue shows every summary
    return _queue(session)


async def _assistant_lines(request: Request, sender_id: str) -> list[LineOut]:
    assistant = getattr(request.app.state, "assistant", None)
    if assistant is None:
        return []
    tracker = await assistant.agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        return []
    lines = []
    for event in tracker.events:
        text = getattr(event, "text", None)
        if event.type_name == "user" and text:
            lines.append(LineOut(id=None, who="person", name=None, text=text,
                                 at=datetime.utcfromtimestamp(event.timestamp)))
        elif event.type_name == "bot" and text:
            lines.append(LineOut(id=None, who="assistant", name="Waymark", text=text,
                                 at=datetime.utcfromtimestamp(event.timestamp)))
    return lines


@router.get("/console/api/handovers/{handover_id}", response_model=HandoverDetail)
async def detail(handover_id: str, request: Request, account: EditorAccount = Depends(current_agent),
                 session: Session = database_session) -> HandoverDetail:
    handover = _errors(lambda: desk.get(session, handover_id))
    before = await _assistant_lines(request, handover.sender_id) if handover.consent == "yes" else []
    during = [LineOut(id=m.id, who=m.author, name=m.author_name, text=m.text, at=m.created_at) for m in handover.messages]
    base = _out(handover, _helpline_names(session, [handover]), timekeeping.utc_now())
    # Last, so that no query here flushes it: the write happens at the commit, in a worker
    # thread, and the event loop never waits for the database's write lock.
    desk.audit(session, handover.id, "view", who(account))
    return HandoverDetail(**base.dict(), transcript=before + during)


@router.post("/console/api/handovers/{handover_id}/claim", response_model=HandoverOut)
def claim(handover_id: str, request: Request, account: EditorAccount = Depends(current_agent),
          session: Session = database_session) -> HandoverOut:
    now = timekeeping.utc_now()
    handover = _errors(lambda: desk.claim(session, handover_id, account.name, now))
    _tell_person(request, session, handover, "assistant", wording.picked_up(account.display_name))
    return _out(handover, _helpline_names(session, [handover]), now)


@router.post("/console/api/handovers/{handover_id}/messages", response_model=LineOut, status_code=201)
def reply(handover_id: str, body: TextIn, request: Request, account: EditorAccount = Depends(current_agent),
          session: Session = database_session) -> LineOut:
    handover = _owned(session, handover_id, account)
    desk.audit(session, handover.id, "message", who(account))
    message = _tell_person(request, session, handover, "agent", body.text, author_name=account.display_name)
    return LineOut(id=message.id, who="agent", name=message.author_name, text=message.text, at=message.created_at)


@router.post("/console/api/handovers/{handover_id}/notes", response_model=LineOut, status_code=201)
def note(handover_id: str, body: TextIn, account: EditorAccount = Depends(current_agent),
         session: Session = database_session) -> LineOut:
    handover = _errors(lambda: desk.get(session, handover_id))
    message = desk.add_message(session, handover, "note", body.text, author_name=account.name, now=timekeeping.utc_now())
    desk.audit(session, handover.id, "note", who(account))
    return LineOut(id=message.id, who="note", name=account.name, text=message.text, at=message.created_at)


@router.get("/console/api/directory", response_model=List[ListingOut])
def directory_lookup(place: str = Query(..., min_length=1, max_length=64), need: str = Query("treatment", max_length=48),
                     account: EditorAccount = Depends(current_agent),
                     session: Session = database_session) -> List[ListingOut]:
    return _listings(session, place, need)


def _listings(session: Session, place_text: str, need: Optional[str], limit: int = 5) -> List[ListingOut]:
    from actions import replies

    place = geo.resolve_place(session, place_text)
    if place is None:
        raise HTTPException(404, replies.unknown_place_reply(place_text))
    now = timekeeping.now()
    try:
        matches = search.search(session, search.SearchQuery(latitude=place.latitude, longitude=place.longitude,
                                                            need=need, limit=limit), now=now)
    except search.UnknownFilter as e:
        raise HTTPException(422, str(e)) from None
    return [ListingOut(service_id=m.service_id, name=m.name, text=replies.service_reply(m, place.label, now))
            for m in matches]


@router.post("/console/api/handovers/{handover_id}/directory", response_model=LineOut, status_code=201)
def send_listing(handover_id: str, body: ListingIn, request: Request, account: EditorAccount = Depends(current_agent),
                 session: Session = database_session) -> LineOut:
    """The listing's text is written here from the directory, as the assistant would write it."""
    handover = _owned(session, handover_id, account)
    listing = next((item for item in _listings(session, body.place, None, limit=25)
                    if item.service_id == body.service_id), None)
    if listing is None:
        raise HTTPException(404, "That service is not in the directory near that place.")
    desk.audit(session, handover.id, "send_listing", who(account), body.service_id)
    message = _tell_person(request, session, handover, "agent", listing.text, author_name=account.display_name)
    return LineOut(id=message.id, who="agent", name=message.author_name, text=message.text, at=message.created_at)


@router.post("/console/api/handovers/{handover_id}/end", response_model=HandoverOut)
def end(handover_id: str, request: Request, account: EditorAccount = Depends(current_agent),
        session: Session = database_session) -> HandoverOut:
    if _is_active(session, handover_id):  # a worker ends only their own; anyone may close a waiting one
        _owned(session, handover_id, account)
    now = timekeeping.utc_now()
    handover = _errors(lambda: desk.end(session, handover_id, who(account), now))
    _tell_person(request, session, handover, "assistant", wording.FEEDBACK_QUESTION, buttons=wording.FEEDBACK_BUTTONS)
    desk.forget_contact(handover)  # the question is queued with its own copy of the number
    session.commit()
    return _out(handover, _helpline_names(session, [handover]), now)


def _is_active(session: Session, handover_id: str) -> bool:
    handover = session.get(Handover, handover_id)
    return handover is not None and handover.status == ACTIVE


@router.post("/console/api/callbacks/{callback_id}/start", response_model=HandoverOut)
def callback_start(callback_id: str, request: Request, account: EditorAccount = Depends(current_agent),
                   session: Session = database_session) -> HandoverOut:
    """Return a callback: the worker opens the conversation on the person's channel (web chat:
    the person sees it when they next open the page; SMS: a text)."""
    now = timekeeping.utc_now()
    handover = _errors(lambda: desk.start_callback(session, callback_id, account.name, now))
    names = _helpline_names(session, [handover])
    _tell_person(request, session, handover, "agent",
                 wording.callback_opening(account.display_name, names.get(handover.helpline_id, "the helpline")),
                 author_name=account.display_name)
    return _out(handover, names, now)


@router.post("/console/api/callbacks/{callback_id}/done", status_code=204)
def callback_done(callback_id: str, account: EditorAccount = Depends(current_agent),
                  session: Session = database_session) -> None:
    callback = session.get(CallbackRequest, callback_id)
    if callback is None or callback.status != "requested":
        raise HTTPException(404, "There is no open callback request with that id.")
    callback.status, callback.done_at, callback.done_by = "done", timekeeping.utc_now(), account.name
    callback.contact_encrypted = None
    desk.audit(session, callback.id, "callback_done", who(account))


# --- live updates ------------------------------------------------------------------------------


def _event(event_id: int, kind: str, data: dict) -> str:
    return f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(data, default=str)}\n\n"


def _start_after(request: Request, after: Optional[int]) -> int:
    last = request.headers.get("last-event-id", "").strip()
    if last.isascii() and last.isdigit() and len(last) <= 16 and int(last) <= MAX_EVENT_ID:
        return int(last)
    return after or 0


async def _stream(produce: Callable[[int], tuple[list[str], int]], after: int, seconds: float) -> AsyncIterator[str]:
    deadline = asyncio.get_running_loop().time() + seconds
    yield "retry: 1000\n\n"
    while True:
        chunks, after = await asyncio.to_thread(produce, after)
        for chunk in chunks:
            yield chunk
        if asyncio.get_running_loop().time() >= deadline:
            return
        await asyncio.sleep(POLL_SECONDS)


@router.get("/console/api/events")
async def console_events(request: Request, after: Optional[int] = Query(None, ge=0, le=MAX_EVENT_ID),
                         max_seconds: float = Query(STREAM_SECONDS, gt=0, le=STREAM_SECONDS),
                         account: EditorAccount = Depends(current_agent)) -> StreamingResponse:
    """New lines in any handover, and the queue whenever it changes (signed in: an agent)."""
    database_url = request.app.state.settings.database_url
    state = {"queue": None}
    def start_watching() -> int:
        with session_scope(database_url) as session:
            desk.audit(session, "queue", "watch_queue", who(account))
            return desk.latest_message_id(session)

    if after is None and not request.headers.get("last-event-id"):  # a new watcher, not a reconnect
        after = await asyncio.to_thread(start_watching)  # never wait for the database on the event loop

    def produce(since: int) -> tuple[list[str], int]:
        out = []
        with session_scope(database_url) as session:
            for m in desk.changed_since(session, since):
                out.append(_event(m.id, "line", {"handover_id": m.handover_id, "id": m.id, "who": m.author,
                                                 "name": m.author_name, "text": m.text, "at": m.created_at}))
                since = m.id
            snapshot = _queue(session).dict()
        signature = json.dumps([[h["id"], h["status"], h["urgent"], h["claimed_by"], h["told_nobody_free"]]
                                for h in snapshot["waiting"] + snapshot["active"]] + [c["id"] for c in snapshot["callbacks"]])
        if signature != state["queue"]:
            state["queue"] = signature
            out.append(_event(since, "queue", snapshot))
        return out, since

    return StreamingResponse(_stream(produce, _start_after(request, after), max_seconds),
                             media_type="text/event-stream", headers={"Cache-Control": "no-store"})


@router.get("/webhooks/rest/conversations/{sender}/updates")
async def person_updates(sender: str, request: Request, after: Optional[int] = Query(None, ge=0, le=MAX_EVENT_ID),
                         max_seconds: float = Query(STREAM_SECONDS, gt=0, le=STREAM_SECONDS)) -> StreamingResponse:
    """What the helpline worker (and the handover) says to this web chat person, live."""
    if not 0 < len(sender) <= 128:
        raise HTTPException(422, "That is not a conversation id.")
    if is_phone_conversation(sender):  # a texter's lines go by text, never to a web page
        raise HTTPException(422, "That is not a web chat conversation id.")
    refuse_unless_accepted(request, sender)  # when signed ids are required
    database_url = request.app.state.settings.database_url

    def produce(since: int) -> tuple[list[str], int]:
        with session_scope(database_url) as session:
            lines = desk.messages_after(session, sender, since, PERSON_AUTHORS)
            out = []
            for m in lines:
                out.append(_event(m.id, "line", {"id": m.id, "who": m.author, "name": m.author_name, "text": m.text,
                                                 "buttons": json.loads(m.buttons) if m.buttons else []}))
                since = m.id
        return out, since

    return StreamingResponse(_stream(produce, _start_after(request, after), max_seconds),
                             media_type="text/event-stream", headers={"Cache-Control": "no-store"})
