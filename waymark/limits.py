"""Limits on what comes in: request size, JSON nesting, request rate, import file size,
each with a polite answer.

Rate limits are per instance (a token bucket in memory per client address and per
conversation); behind a load balancer each instance applies its own share. JSON nesting is
checked before any parser sees the body: Python's parser gives up with a RecursionError (a
crash, not a clear refusal) on a few thousand levels, which fit easily in the size limit.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

TOO_LARGE = "That request is too large for me. Please send a shorter message."
TOO_FAST = "You're sending messages very quickly. Please wait a few seconds and try again."
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


def _is_json(request: Request) -> bool:
    """As FastAPI decides: a JSON media type, or none at all (it then parses the body as JSON)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return content_type in ("", "application/json") or (content_type.startswith("application/")
                                                        and content_type.endswith("+json"))


def add_limits(app: FastAPI, max_body_bytes: int, per_ip_per_minute: int,
               max_json_depth: int = DEFAULT_MAX_JSON_DEPTH) -> None:
    limiter = RateLimiter(per_minute=per_ip_per_minute, burst=max(10, per_ip_per_minute // 4))
    app.state.ip_limiter = limiter

    @app.middleware("http")
    async def limit_requests(request: Request, call_next):
        if request.method in ("POST", "PUT", "PATCH"):
            length = request.headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > max_body_bytes):
                return JSONResponse({"detail": TOO_LARGE}, status_code=413)
            if length is None and request.headers.get("transfer-encoding"):
                body = await request.body()  # chunked: Starlette caches it for the handler
                if len(body) > max_body_bytes:
                    return JSONResponse({"detail": TOO_LARGE}, status_code=413)
            if _is_json(request) and json_depth_exceeds(await request.body(), max_json_depth):
                return JSONResponse({"detail": too_deep(max_json_depth)}, status_code=400)
        if request.url.path not in ("/healthz",) and not request.url.path.startswith("/static/"):
            client = request.client.host if request.client else "unknown"
            if not limiter.allow(client):
                return JSONResponse({"detail": TOO_FAST}, status_code=429, headers={"Retry-After": "5"})
        return await call_next(request)
