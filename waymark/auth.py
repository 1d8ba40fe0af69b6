"""Signing in for the people who run Waymark: editors, admins, helpline agents and staff.

    POST /auth/token      name + password (form) -> a bearer token that expires, and the role
    GET  /auth/me         who the token belongs to
    POST /auth/sign-out   the token stops working now (204)

Accounts and tokens live in the directory database (`directory.editing`): passwords are
bcrypt hashes and only a SHA-256 of each token is stored. Pages keep the token in the tab's
sessionStorage and send it as `Authorization: Bearer …`, never as a cookie, so a page on
another site cannot make a signed-in browser act (no ambient credentials: the classic CSRF
hole does not exist). `reject_cross_site_posts` also refuses any state-changing request whose
Origin is another site, as a second lock.

Sign-in is throttled per address and name together: after `FREE_TRIES` wrong passwords in
`FAILURE_WINDOW_SECONDS` each further try waits twice as long as the last (a polite 429 with
Retry-After), so passwords can't be guessed at speed, and nobody elsewhere can lock a worker
out by failing at their name. An admin resets a password with `waymark users reset-password`.
"""
from __future__ import annotations

import math
import time
from collections import deque
from datetime import datetime
from typing import Callable, Deque, Dict, Optional
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2PasswordRequestForm
from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send
from sqlalchemy.orm import Session

import timekeeping
from directory import editing
from directory.api_deps import database_session
from directory.models import EditorAccount

router = APIRouter(prefix="/auth", tags=["signing in"])
_bearer = HTTPBearer(auto_error=False)
FREE_TRIES = MAX_FAILURES = 5  # wrong passwords for one name from one address before the delays start
ADDRESS_FACTOR = 4  # one address may get 4 times as many wrong, over every name, before its delays
FAILURE_WINDOW_SECONDS = 15 * 60
BASE_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 15 * 60


def too_many_tries(seconds: float) -> str:
    wait = f"{math.ceil(seconds)} seconds" if seconds < 90 else f"{math.ceil(seconds / 60)} minutes"
    return (f"Too many wrong passwords from here. Please wait {wait} and try again, "
            "or ask an admin to reset your password (waymark users reset-password).")
SIGN_IN_FIRST = "Sign in first: POST /auth/token, then send 'Authorization: Bearer <token>'"
# Twilio's webhooks carry no Origin header; browsers send one on every cross-site POST.
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
# A token in a response must never be kept by a browser's or a proxy's cache.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    # Seconds from now until the token expires. Browsers keep this, not `expires_at`: a PC whose
    # clock is wrong (a reception desk's, say) would otherwise drop or keep a sign-in by its
    # own idea of the date.
    expires_in: int
    role: str
    name: str


class Me(BaseModel):
    name: str
    role: str


class LoginThrottle:
    """Wrong passwords, counted per address and name together (and per address alone, more
    loosely), in memory, per instance. After FREE_TRIES wrong passwords in the window each
    further try must wait twice as long as the last (1 s, 2 s, 4 s ... up to MAX_DELAY_SECONDS):
    guessing slows to a crawl, but nobody can lock a worker out by failing at their name from
    somewhere else (a hard lock on the name alone once let anyone do that)."""

    def __init__(self, max_failures: int = FREE_TRIES, window: float = FAILURE_WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic, base_delay: float = BASE_DELAY_SECONDS,
                 max_delay: float = MAX_DELAY_SECONDS):
        self.max_failures, self.window, self.clock = max_failures, window, clock
        self.base_delay, self.max_delay = base_delay, max_delay
        self.failures: Dict[str, Deque[float]] = {}

    def _recent(self, key: str, now: float) -> Deque[float]:
        times = self.failures.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def _free_tries(self, key: str) -> int:
        return self.max_failures * ADDRESS_FACTOR if key.startswith("ip:") else self.max_failures

    def wait(self, *keys: str, now: Optional[float] = None) -> float:
        """Seconds until another try is allowed (0: now)."""
        now = self.clock() if now is None else now
        longest = 0.0
        for key in keys:
            times = self._recent(key, now)
            over = len(times) - self._free_tries(key)
            if over >= 0 and times:
                delay = min(self.base_delay * 2 ** min(over, 30), self.max_delay)
                longest = max(longest, times[-1] + delay - now)
        return max(longest, 0.0)

    def blocked(self, *keys: str, now: Optional[float] = None) -> bool:
        return self.wait(*keys, now=now) > 0

    def failed(self, *keys: str, now: Optional[float] = None) -> None:
        now = self.clock() if now is None else now
        for key in keys:
            self._recent(key, now).append(now)
        if len(self.failures) > 50_000:  # forget the quietest keys rather than grow for ever
            for key in [k for k, v in self.failures.items() if not v][:25_000]:
                del self.failures[key]

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self.failures.pop(key, None)


def login_throttle(request: Request) -> LoginThrottle:
    if not hasattr(request.app.state, "login_throttle"):
        request.app.state.login_throttle = LoginThrottle()
    return request.app.state.login_throttle


def sign_in(request: Request, form: OAuth2PasswordRequestForm, session: Session,
            throttle: LoginThrottle) -> Token:
    """Check a name and password (rate limited) and hand out a token. Used by /auth/token and
    the older /editor/token."""
    address = request.client.host if request.client else "unknown"
    keys = (f"ip:{address}", f"pair:{address}|{form.username.strip().lower()}")
    wait = throttle.wait(*keys)
    if wait > 0:
        raise HTTPException(429, too_many_tries(wait), headers={"Retry-After": str(math.ceil(wait)), **NO_STORE})
    account = editing.authenticate(session, form.username, form.password)
    if account is None:
        throttle.failed(*keys)
        raise HTTPException(401, "Wrong name or password", headers={"WWW-Authenticate": "Bearer"})
    throttle.succeeded(keys[1])  # this name from here; the address's own count stays
    token, expires = editing.issue_token(session, account)
    editing.audit(session, "editor_account", account.id, "sign_in", f"{account.role}:{account.name}")
    lasts = max(0, round((timekeeping.as_utc(expires) - timekeeping.as_utc(timekeeping.utc_now())).total_seconds()))
    return Token(access_token=token, expires_at=expires, expires_in=lasts, role=account.role, name=account.name)


@router.post("/token", response_model=Token)
def token(request: Request, response: Response, form: OAuth2PasswordRequestForm = Depends(),
          session: Session = database_session, throttle: LoginThrottle = Depends(login_throttle)) -> Token:
    response.headers.update(NO_STORE)
    return sign_in(request, form, session, throttle)


def signed_in(credentials: Optional[HTTPAuthorizationCredentials] = Depends(_bearer),
              session: Session = database_session) -> EditorAccount:
    account = editing.account_for_token(session, credentials.credentials) if credentials else None
    if account is None:
        raise HTTPException(401, SIGN_IN_FIRST, headers={"WWW-Authenticate": "Bearer"})
    return account


def require_role(*roles: str) -> Callable[..., EditorAccount]:
    """A dependency that lets through only accounts with one of `roles` (an admin always may)."""
    allowed = set(roles) | {"admin"}

    def check(account: EditorAccount = Depends(signed_in)) -> EditorAccount:
        if account.role not in allowed:
            raise HTTPException(403, f"This needs the {' or '.join(sorted(allowed))} role.")
        return account

    return check


def who(account: EditorAccount) -> str:
    """How an account is named in audit rows: 'agent:sam'."""
    return f"{account.role}:{account.name}"


@router.get("/me", response_model=Me)
def me(account: EditorAccount = Depends(signed_in)) -> Me:
    return Me(name=account.name, role=account.role)


@router.post("/sign-out", status_code=204, response_class=Response)
def sign_out(credentials: Optional[HTTPAuthorizationCredentials] = Depends(_bearer),
             account: EditorAccount = Depends(signed_in), session: Session = database_session) -> Response:
    """Revoke this bearer token on the server: a copy of it left anywhere is useless from now."""
    editing.revoke_token(session, credentials.credentials)
    editing.audit(session, "editor_account", account.id, "sign_out", who(account))
    return Response(status_code=204, headers=NO_STORE)


def _same_site(origin: str, headers: Headers, settings) -> bool:
    parsed = urlparse(origin)
    public = getattr(settings, "public_url", "")
    return parsed.netloc == headers.get("host", "") or (bool(public) and origin == public)


class CrossSitePostRefusal:
    """Refuse state-changing requests that a page on another site made a browser send
    (a plain ASGI middleware: see waymark.limits.RequestLimits for why)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and (origin == "null" or not _same_site(origin, headers, scope["app"].state.settings)):
                refusal = JSONResponse({"detail": "Requests from other websites are not accepted here."},
                                       status_code=403)
                return await refusal(scope, receive, send)
        await self.app(scope, receive, send)


def reject_cross_site_posts(app: FastAPI) -> None:
    app.add_middleware(CrossSitePostRefusal)
