"""How `waymark serve` runs uvicorn: which proxies' X-Forwarded-For to believe, and how long a
client may take to send a request's headers (the body's deadline is in waymark.limits).

uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise, so a client on the same
host, or any client when a proxy passes the header through, could name its own address and get
past the per-address limits and the sign-in throttle. Waymark believes it only from the proxies
in WAYMARK_TRUSTED_PROXIES (none by default). uvicorn has no deadline for a request's headers
either: a client sending a byte every few seconds held its connection for ever.
"""
from __future__ import annotations

import asyncio
import os
from typing import Any, Optional

from uvicorn.protocols.http.h11_impl import H11Protocol

from waymark.settings import Settings


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments for uvicorn.run that follow the settings."""
    trusted = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    TimedH11Protocol.header_timeout = settings.header_timeout_seconds
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": ",".join(trusted) if trusted else "",
            "http": TimedH11Protocol, "timeout_keep_alive": 5}


class TimedH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for each request's headers: from the first
    byte of a request (or the connection opening) to the end of its headers. Past it the
    connection is closed."""

    # Read here too: with --workers each worker process imports this afresh.
    header_timeout: float = float(os.environ.get("WAYMARK_HEADER_TIMEOUT_SECONDS", "10"))

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: Optional[asyncio.TimerHandle] = None
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.cycle is None or self.cycle.response_complete:
            self._arm()  # waiting for (more of) a request's headers
        else:
            self._disarm()  # the headers are in: the request is the app's (and the body's deadline)

    def connection_lost(self, exc: Optional[Exception]) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # idle now: uvicorn's keep-alive timeout applies until the next byte

    def _arm(self) -> None:
        if getattr(self, "_header_timer", None) is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        timer = getattr(self, "_header_timer", None)
        if timer is not None:
            timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if (self.cycle is None or self.cycle.response_complete) and not self.transport.is_closing():
            self.logger.info("Closed a connection that took too long to send its request headers")
            self.transport.close()
