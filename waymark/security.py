"""Security headers on every response: the app's own pages run no inline code and load
nothing from anywhere else, can't be framed, and send no referrer to the sites they link to."""
from __future__ import annotations

import os
from typing import Optional

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# FastAPI's interactive API docs load their script from a CDN; they get no CSP of ours.
DOCS_PATHS = ("/docs", "/redoc", "/openapi.json")


class SecurityHeaders:
    """Adds HEADERS to every response that does not set them itself (a plain ASGI
    middleware: see waymark.limits.RequestLimits for why)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        with_csp = not scope["path"].startswith(DOCS_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if with_csp or name != "Content-Security-Policy":
                        headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_security_headers(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)


class StaticFolder(StaticFiles):
    """Static files that answer 404, not 500, for a path the file system refuses (a NUL byte:
    `/static/a%00b` raised ValueError from os.stat)."""

    def lookup_path(self, path: str) -> tuple[str, Optional[os.stat_result]]:
        if "\x00" in path:
            return "", None
        try:
            return super().lookup_path(path)
        except (ValueError, OSError):
            return "", None
