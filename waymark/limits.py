"""Limits on what comes in: request size, JSON nesting, request rate, import file size,
each with a polite answer.

Rate limits are per instance (a token bucket in memory per client address and per
conversation); behind a load balancer each instance applies its own share. A person's
message is triaged before any rate limit (`waymark.inbound`): the middleware leaves the
per-address limit of the message endpoints (`MESSAGE_PATHS`) to the endpoint, which applies
it after triage and never to a crisis, so "my friend has taken an overdose" is never refused
for rate. Every refusal for rate still gives 999 and Samaritans (`TOO_FAST`). JSON nesting is
checked before any parser sees the body: Python's parser gives up with a RecursionError (a
crash, not a clear refusal) on a few thousand levels, which fit easily in the size limit.
"""
from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from safety.replies import DEFAULT_LINES

TOO_LARGE = "That request is too large for me. Please send a shorter message."
# A person who is refused for rate may be in danger: the refusal itself gives the numbers
# (Samaritans from the verified default kept with the crisis wording: a flood of refusals must
# not read the directory).
TOO_FAST = ("You're sending messages very quickly. Please wait a few seconds and try again. "
            "If you or someone else is in danger now, call 999. "
            f"You can call Samaritans free on {DEFAULT_LINES['samaritans'].number}, any time.")
# The endpoints that take a person's message: their per-address limit comes after triage, in
# the endpoint (`address_allows`), not in the middleware. Twilio's webhooks are signed and all
# come from Twilio's addresses, so SMS is limited per phone number instead. A caller's answer to
# the handover's consent question is speech too, triaged first (`handover.voice.consent`).
MESSAGE_PATHS = frozenset({"/webhooks/rest/webhook", "/twilio/sms", "/twilio/voice/turn", "/twilio/voice/handover"})
MAX_TRACKED_KEYS = 50_000
DEFAULT_MAX_JSON_DEPTH = 32
_OPEN, _CLOSE, _QUOTE, _BACKSLASH = (ord("["), ord("{")), (ord("]"), ord("}")), ord('"'), ord("\\")


def too_deep(limit: int) -> str:
    return (f"That request is nested too deeply for me (more than {limit} levels of brackets). "
            "Please send simpler JSON.")


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """True when brackets outside strings nest deeper than `limit` (the body need not be
    valid JSON: a malformed body is left for the parser to refuse)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, in_string, escaped = 0, False, False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == _BACKSLASH:
                escaped = True
            elif byte == _QUOTE:
                in_string = False
        elif byte == _QUOTE:
            in_string = True
        elif byte in _OPEN:
            depth += 1
            if depth > limit:
                return True
        elif byte in _CLOSE:
            depth -= 1
    return False


class ImportTooLarge(ValueError):
    """An import file over WAYMARK_MAX_IMPORT_BYTES: refused before anything is read."""


def check_import_size(path: Path, max_bytes: int) -> None:
    size = Path(path).stat().st_size
    if size > max_bytes:
        raise ImportTooLarge(
            f"{path} is {_megabytes(size)}, larger than the {_megabytes(max_bytes)} an import may be "
            "(WAYMARK_MAX_IMPORT_BYTES). Split the file, or raise the limit if this machine has the memory.")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets: `per_minute` requests a minute on average, bursts up to `burst`."""

    def __init__(self, per_minute: float, burst: int):
        self.rate, self.burst = per_minute / 60.0, burst
        self.buckets: OrderedDict[str, Bucket] = OrderedDict()

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        bucket = self.buckets.pop(key, None) or Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        allowed = bucket.tokens >= 1
        if allowed:
            bucket.tokens -= 1
        self.buckets[key] = bucket  # most recently used last
        while len(self.buckets) > MAX_TRACKED_KEYS:
            self.buckets.popitem(last=False)
        return allowed


def _is_json(headers: Headers) -> bool:
    """As FastAPI decides: a JSON media type, or none at all (it then parses the body as JSON)."""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type in ("", "application/json") or (content_type.startswith("application/")
                                                        and content_type.endswith("+json"))


async def _read_body(receive: Receive, max_bytes: int) -> tuple[Message, bool]:
    """The whole body as one message (or the client's disconnect), and whether it fitted in
    `max_bytes` (reading stops once it does not)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away: the app sees that
            return message, True
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            return message, False
        chunks.append(chunk)
        if not message.get("more_body", False):
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}, True


TOO_SLOW = "The request's body took too long to arrive. Please try again."


class BodyTooSlow(HTTPException):
    """The client did not send the whole body within the deadline: 408, and the connection
    closes. An HTTPException, so that FastAPI answers it as it is when a handler is the one
    reading the body (a form), instead of "There was an error parsing the body"."""

    def __init__(self) -> None:
        super().__init__(status_code=408, detail=TOO_SLOW, headers={"Connection": "close"})


def with_deadline(receive: Receive, seconds: float) -> Receive:
    """`receive`, but the whole body must have arrived `seconds` after the first read (a
    client sending a byte every two seconds once held a connection for ever). Once the body
    is in, `receive` is left alone: a stream waits on it for the client's disconnect."""
    deadline: list[float] = []
    body_done = False

    async def timed() -> Message:
        nonlocal body_done
        if body_done:
            return await receive()
        loop = asyncio.get_running_loop()
        if not deadline:
            deadline.append(loop.time() + seconds)
        left = deadline[0] - loop.time()
        try:
            message = await asyncio.wait_for(receive(), timeout=max(left, 0.001))
        except asyncio.TimeoutError:
            raise BodyTooSlow() from None
        body_done = message["type"] != "http.request" or not message.get("more_body", False)
        return message

    return timed


class RequestLimits:
    """Size, JSON nesting and per-address rate, checked before any handler runs.

    A plain ASGI middleware, not `@app.middleware("http")`: Starlette's BaseHTTPMiddleware
    runs each request through extra tasks and memory streams, which cost a short chat turn
    measurably (benchmarks/conversations.py)."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter, max_body_bytes: int, max_json_depth: int,
                 body_seconds: float = 20.0):
        self.app, self.limiter = app, limiter
        self.max_body_bytes, self.max_json_depth = max_body_bytes, max_json_depth
        self.body_seconds = body_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        receive = with_deadline(receive, self.body_seconds)
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        too_slow = JSONResponse({"detail": TOO_SLOW}, status_code=408, headers={"Connection": "close"})
        try:
            refusal, receive = await self._check_body(scope, receive)
        except BodyTooSlow:
            return await too_slow(scope, receive, send)
        path = scope["path"]
        if (refusal is None and path != "/healthz" and not path.startswith("/static/")
                and path not in MESSAGE_PATHS):  # those are limited after triage, by the endpoint
            if not self.limiter.allow(client_address(scope)):
                refusal = too_fast()
        try:
            await (refusal or self.app)(scope, receive, sending)
        except BodyTooSlow:  # the app was reading the body itself (a form)
            if not started:
                await too_slow(scope, receive, send)

    async def _check_body(self, scope: Scope, receive: Receive) -> tuple[JSONResponse | None, Receive]:
        """A refusal for an oversized or too deeply nested body, and the `receive` the app
        should read the body from (replayed when it had to be read here)."""
        if scope["method"] not in ("POST", "PUT", "PATCH"):
            return None, receive
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            return JSONResponse({"detail": TOO_LARGE}, status_code=413), receive
        chunked = length is None and bool(headers.get("transfer-encoding"))
        is_json = _is_json(headers)
        if not (chunked or is_json):
            return None, receive
        first, fits = await _read_body(receive, self.max_body_bytes)
        if not fits:
            return JSONResponse({"detail": TOO_LARGE}, status_code=413), receive
        if is_json and json_depth_exceeds(first.get("body", b""), self.max_json_depth):
            return JSONResponse({"detail": too_deep(self.max_json_depth)}, status_code=400), receive
        replayed = False

        async def replay() -> Message:
            """What was read here first, then whatever comes next (a disconnect)."""
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return first

        return None, replay


def client_address(scope: Scope) -> str:
    return scope["client"][0] if scope.get("client") else "unknown"


def too_fast() -> JSONResponse:
    return JSONResponse({"detail": TOO_FAST}, status_code=429, headers={"Retry-After": "5"})


def address_allows(request: Request) -> bool:
    """The per-address limit, for an endpoint in MESSAGE_PATHS to apply once the message is
    known not to be a crisis (the middleware applies it to every other path)."""
    limiter = getattr(request.app.state, "ip_limiter", None)
    return limiter is None or limiter.allow(client_address(request.scope))


def per_conversation(app: FastAPI, name: str, per_minute: int) -> RateLimiter:
    """One limiter per app and channel (`name`): a single conversation may not flood the
    assistant. Separate per channel, so no one channel's ids can use up another's."""
    attribute = f"{name}_limiter"
    if not hasattr(app.state, attribute):
        setattr(app.state, attribute, RateLimiter(per_minute, burst=max(5, per_minute // 3)))
    return getattr(app.state, attribute)


def add_limits(app: FastAPI, max_body_bytes: int, per_ip_per_minute: int,
               max_json_depth: int = DEFAULT_MAX_JSON_DEPTH, body_seconds: float = 20.0) -> None:
    limiter = RateLimiter(per_minute=per_ip_per_minute, burst=max(10, per_ip_per_minute // 4))
    app.state.ip_limiter = limiter
    app.add_middleware(RequestLimits, limiter=limiter, max_body_bytes=max_body_bytes,
                       max_json_depth=max_json_depth, body_seconds=body_seconds)
