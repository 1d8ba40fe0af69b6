"""Limits on the public endpoints: request size and request rate, each with a polite answer.

Rate limits are per instance (a token bucket in memory per client address and per
conversation); behind a load balancer each instance applies its own share.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

TOO_LARGE = "That request is too large for me. Please send a shorter message."
TOO_FAST = "You're sending messages very quickly. Please wait a few seconds and try again."
MAX_TRACKED_KEYS = 50_000


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


def add_limits(app: FastAPI, max_body_bytes: int, per_ip_per_minute: int) -> None:
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
        if request.url.path not in ("/healthz",) and not request.url.path.startswith("/static/"):
            client = request.client.host if request.client else "unknown"
            if not limiter.allow(client):
                return JSONResponse({"detail": TOO_FAST}, status_code=429, headers={"Retry-After": "5"})
        return await call_next(request)
