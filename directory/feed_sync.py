"""Keeping the directory current from councils' ORUK feeds (issue 21, item 3).

    waymark directory sync URL|NAME [--source NAME] [--full]
    waymark directory sync --configured          # every feed in WAYMARK_FEEDS that is due
    waymark directory syncs                      # the recorded runs

A council publishes its directory at a URL (`https://example.org/oruk`, or its `/services`).
A sync walks `GET /services?page=N&per_page=100` to the last page; a listed service without its
nested records (the profile's list pages carry only one-to-one fields) is fetched whole from
`GET /services/{id}`. Everything is imported through `oruk_import.import_records`, the path
`waymark directory import` takes, in one transaction.

- **Incremental or full.** After a good sync, the next asks only for services changed since
  (`modified_after`, the last good pull's start less an hour, for clocks that disagree); a
  feed that ignores it just sends everything again, which changes nothing. `--full` (and the
  schedule once a day) pulls everything and marks the source's services missing from the feed
  inactive, as `import --full-feed` does.
- **A failed or partial pull changes nothing.** Every page is fetched, checked and held before
  anything is written; then the import runs in one transaction. A page that cannot be had
  (after retries), is not JSON, is too large, redirects in a loop, or a feed that changes
  while it is walked (its page count moves) or gives fewer services than it says, fails the
  whole run with an error that names the page and the reason. A full pull with less than half
  the services the source had is refused too (a feed that shrank that much is more likely
  broken than right): `--allow-shrink` accepts it. A bad *record* is not a bad page: the import
  quarantines or refuses it alone, as for a file.
- **Bounded.** Each request has connect/read timeouts, and the whole of one response must come
  within `page_timeout` (a server trickling bytes is cut off); the run has an overall
  `deadline`. Timeouts, dropped connections, 429 and 5xx are retried with exponential backoff
  and jitter (Retry-After is honoured, up to `max_backoff`); other 4xx are not. A page may be
  at most `max_page_bytes`, the whole feed `max_total_bytes` (WAYMARK_MAX_IMPORT_BYTES), and at
  most `max_pages` pages.
- **Recorded.** Every run is a `feed_sync_run` row (when, which URL, full or since when, pages,
  requests, bytes, what the import did, the error), written even when the run fails. Editors
  see them at `GET /editor/feeds` and `/editor/feeds/runs`; `waymark directory stale` names a
  feed whose last good sync is older than WAYMARK_FEED_STALE_HOURS.
- **One at a time.** A run holds the database lease `feed-sync:SOURCE` (table `lease`), so two
  instances serving the same directory (or a command beside them) never sync one feed at once.
- **On a schedule.** While serving, each feed in WAYMARK_FEEDS ("name=URL, ...") is synced every
  WAYMARK_FEED_SYNC_HOURS (6) and in full every WAYMARK_FEED_FULL_SYNC_HOURS (24); a failed run
  is tried again after half an hour. A feed's failure never stops the others or the server.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import re
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator, Optional
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

import timekeeping
from directory import oruk_import
from directory.db import engine_for, session_scope
from directory.models import FeedRecord, FeedSyncRun, Lease, Service

log = logging.getLogger(__name__)

# What a list record has when it carries the service's nested records (Bristol's pages do; the
# profile's list pages do not): without any of these, the service is fetched whole.
NESTED = ("service_at_locations", "phones", "schedules", "contacts", "attributes")
OVERLAP = timedelta(hours=1)  # an incremental pull asks from this long before the last good one began
RETRY_FAILED_AFTER = timedelta(minutes=30)


class SyncError(Exception):
    """A sync that did not happen; nothing was written. `status` is the HTTP answer the
    editors' API gives for it."""

    status = 502

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FeedRefused(SyncError):
    """What the feed sent is not a feed Waymark can take (not JSON, too large, a redirect loop,
    the older HSDS-UK 1.0 shape, a feed that shrank too far): trying again will not help."""

    status = 422


class FeedUnavailable(SyncError):
    """The feed could not be had whole: timeouts, refused connections, 5xx after retries, a page
    missing or the feed changing while it was read."""

    status = 502


class SyncBusy(SyncError):
    """Another process holds this feed's lease."""

    status = 409


class Stopped(SyncError):
    """The server is shutting down."""

    status = 503


@dataclass
class SyncOptions:
    per_page: int = 100  # ORUK's per_page (Waymark's own feed allows up to 100); 0: the server's own
    timeout: float = 30.0  # seconds to connect, and between bytes read
    page_timeout: float = 120.0  # seconds for the whole of one response
    deadline: float = 1800.0  # seconds for the whole pull
    retries: int = 3  # tries after the first, for what is worth trying again
    backoff: float = 1.0  # the first wait; it doubles, with jitter
    max_backoff: float = 30.0
    max_redirects: int = 5
    max_page_bytes: int = 20 * 1000 * 1000
    max_total_bytes: int = 200 * 1000 * 1000
    max_pages: int = 10000
    details: str = "auto"  # fetch /services/{id}: auto (when a list record lacks nested records), always, never
    concurrency: int = 4  # /services/{id} requests at once
    allow_shrink: bool = False
    min_kept: float = 0.5  # a full pull must keep at least this share of the source's live services

    @classmethod
    def from_settings(cls, settings, **changes) -> "SyncOptions":
        return replace(cls(max_total_bytes=settings.max_import_bytes), **changes)


@dataclass
class Pull:
    """What a walk of the feed brought back, before anything is written."""

    url: str
    records: list[dict] = field(default_factory=list)
    pages: int = 0
    requests: int = 0
    bytes_read: int = 0
    total_items: Optional[int] = None


@dataclass(frozen=True)
class Feed:
    """A configured feed (WAYMARK_FEEDS)."""

    name: str
    url: str


def configured_feeds(text: str) -> list[Feed]:
    """'bristol=https://a.example/oruk, leeds=https://b.example/oruk' (commas, spaces or new lines
    between). A bare URL is named after its host and path."""
    feeds, seen = [], set()
    for item in re.split(r"[\s,]+", text or ""):
        if not item:
            continue
        name, _, url = item.partition("=") if "=" in item and not item.startswith(("http:", "https:")) else ("", "", item)
        url = url.strip()
        name = (name.strip() or source_for(url))[:128]
        if name in seen:
            raise ValueError(f"WAYMARK_FEEDS names '{name}' twice")
        check_url(url)
        seen.add(name)
        feeds.append(Feed(name, url))
    return feeds


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FeedRefused(f"'{url}' is not an http(s) address of a feed")


def source_for(url: str) -> str:
    """The source name a URL's services are recorded under when none is given."""
    parts = urlsplit(url)
    path = re.sub(r"/services/?$", "", parts.path.rstrip("/"))
    return f"feed:{parts.hostname or ''}{path}"[:128]


def services_url(url: str) -> str:
    """The feed's /services address: the URL itself when it ends so, otherwise URL/services."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if not path.endswith("/services"):
        path += "/services"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _with_params(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += [(k, str(v)) for k, v in params.items() if v is not None]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _iso(moment: datetime) -> str:
    return timekeeping.as_utc(moment).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# ---------------------------------------------------------------------------------------
# Fetching


class FeedClient:
    """GETs JSON from a feed within the options' bounds, retrying what is worth retrying."""

    def __init__(self, options: SyncOptions, stop: Optional[threading.Event] = None,
                 transport: Optional[httpx.BaseTransport] = None):
        self.options = options
        self.stop = stop or threading.Event()  # the caller's: the server is shutting down
        self.cancelled = threading.Event()  # ours: another request of this pull failed
        self.started = time.monotonic()
        self.requests = 0
        self.bytes_read = 0
        self._lock = threading.Lock()
        self.client = httpx.Client(
            timeout=httpx.Timeout(options.timeout), follow_redirects=True, max_redirects=options.max_redirects,
            headers={"Accept": "application/json", "User-Agent": "Waymark directory sync (ORUK)"},
            transport=transport)

    def close(self) -> None:
        self.client.close()

    def _left(self) -> float:
        return self.options.deadline - (time.monotonic() - self.started)

    def _check_time(self, what: str) -> None:
        if self.stop.is_set():
            raise Stopped(f"stopped while reading {what}: the server is shutting down")
        if self.cancelled.is_set():
            raise Stopped(f"stopped while reading {what}: another part of the feed failed")
        if self._left() <= 0:
            raise FeedUnavailable(f"the whole feed was not read within {self.options.deadline:g} s "
                                  f"(stopped at {what})")

    def get_json(self, url: str, what: str) -> Any:
        """The JSON body at `url`; `what` names it in errors ('page 3', 'service abc')."""
        attempt = 0
        while True:
            self._check_time(what)
            try:
                return self._get_once(url, what)
            except _Retry as e:
                attempt += 1
                if attempt > self.options.retries:
                    tries = f"{attempt} tries" if attempt > 1 else "1 try"
                    raise FeedUnavailable(f"{what} ({url}): {e.message} ({tries})") from None
                wait = min(self.options.max_backoff, self.options.backoff * 2 ** (attempt - 1))
                wait = wait * random.uniform(0.5, 1.0) if e.retry_after is None else min(e.retry_after,
                                                                                      self.options.max_backoff)
                if wait >= self._left():
                    raise FeedUnavailable(f"{what} ({url}): {e.message}; no time left to try again within "
                                          f"{self.options.deadline:g} s") from None
                log.info("Feed sync: %s (%s): %s; trying again in %.1f s", what, url, e.message, wait)
                if self.stop.wait(wait):
                    raise Stopped(f"stopped while reading {what}: the server is shutting down") from None

    def _get_once(self, url: str, what: str) -> Any:
        options = self.options
        started = time.monotonic()
        with self._lock:
            self.requests += 1
        try:
            with self.client.stream("GET", url) as response:
                if response.status_code == 429 or response.status_code >= 500:
                    raise _Retry(f"the server answered {response.status_code} {response.reason_phrase}",
                                 _retry_after(response.headers.get("retry-after")))
                if response.status_code >= 400:
                    raise FeedRefused(f"{what} ({url}): the server answered {response.status_code} "
                                      f"{response.reason_phrase}")
                length = response.headers.get("content-length")
                if length and length.isdigit() and int(length) > options.max_page_bytes:
                    raise FeedRefused(f"{what} ({url}) is {int(length):,} bytes; at most "
                                      f"{options.max_page_bytes:,} are read from one page")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > options.max_page_bytes:
                        raise FeedRefused(f"{what} ({url}) is larger than {options.max_page_bytes:,} bytes, "
                                          "the most read from one page")
                    if time.monotonic() - started > options.page_timeout:
                        raise _Retry(f"the answer took longer than {options.page_timeout:g} s to arrive")
                    self._check_time(what)
                kind = response.headers.get("content-type", "")
        except httpx.TooManyRedirects:
            raise FeedRefused(f"{what} ({url}) redirects in a loop (more than {options.max_redirects} "
                              "redirects)") from None
        except httpx.TimeoutException as e:
            raise _Retry(f"no answer within {options.timeout:g} s ({type(e).__name__})") from None
        except httpx.UnsupportedProtocol as e:
            raise FeedRefused(f"{what} ({url}): {e}") from None
        except httpx.TransportError as e:
            raise _Retry(f"the connection failed ({type(e).__name__}: {e})") from None
        with self._lock:
            self.bytes_read += len(body)
            if self.bytes_read > options.max_total_bytes:
                raise FeedRefused(f"the feed is larger than {options.max_total_bytes:,} bytes "
                                  "(WAYMARK_MAX_IMPORT_BYTES); nothing was imported")
        try:
            return json.loads(bytes(body).decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise FeedRefused(f"{what} ({url}) is not UTF-8 text") from None
        except json.JSONDecodeError as e:
            said = f" (the server said it is {kind.split(';')[0]})" if kind and "json" not in kind else ""
            raise FeedRefused(f"{what} ({url}) is not valid JSON{said}: line {e.lineno}, column {e.colno}: "
                              f"{e.msg}") from None
        except RecursionError:
            raise FeedRefused(f"{what} ({url}) is nested too deeply to be a service feed") from None


class _Retry(Exception):
    def __init__(self, message: str, retry_after: Optional[float] = None):
        super().__init__(message)
        self.message, self.retry_after = message, retry_after


def _retry_after(value: Optional[str]) -> Optional[float]:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


# ---------------------------------------------------------------------------------------
# Walking the feed


def pull(url: str, options: Optional[SyncOptions] = None, modified_after: Optional[datetime] = None,
         progress: Optional[Callable[[str], None]] = None, stop: Optional[threading.Event] = None,
         transport: Optional[httpx.BaseTransport] = None) -> Pull:
    """Every service the feed has (since `modified_after`), whole, or SyncError. Nothing is written."""
    options = options or SyncOptions()
    check_url(url)
    client = FeedClient(options, stop, transport)
    try:
        for attempt in (1, 2):
            try:
                result = _walk(client, url, options, modified_after, progress)
                break
            except _FeedMoved as e:
                if attempt == 2:
                    raise FeedUnavailable(f"{e} twice running; nothing was imported") from None
                log.info("Feed sync: %s; reading it again from the first page", e)
                if progress:
                    progress(f"{e}; reading it again from the first page")
        _fetch_details(client, result, options, progress)
        result.requests, result.bytes_read = client.requests, client.bytes_read
        return result
    finally:
        client.close()


class _FeedMoved(Exception):
    """The feed changed while it was walked (its pages shifted)."""


def _walk(client: FeedClient, url: str, options: SyncOptions, modified_after: Optional[datetime],
          progress: Optional[Callable[[str], None]]) -> Pull:
    base = services_url(url)
    result = Pull(url=url)
    first: Optional[tuple] = None
    seen: set[str] = set()
    page = 1
    while True:
        if page > options.max_pages:
            raise FeedRefused(f"the feed has more than {options.max_pages} pages")
        params: dict = {"page": page}
        if options.per_page:
            params["per_page"] = options.per_page
        if modified_after is not None:
            params["modified_after"] = _iso(modified_after)
        page_url = _with_params(base, params)
        data = client.get_json(page_url, f"page {page}")
        if oruk_import._is_v1(data):
            raise FeedRefused(f"page {page} ({page_url}): {oruk_import.V1_MESSAGE}")
        result.pages += 1
        if isinstance(data, list):  # a plain list of services, no paging
            _take(result, data, page, seen)
            break
        if not isinstance(data, dict) or not isinstance(data.get("contents"), list):
            raise FeedRefused(f"page {page} ({page_url}) is not a page of services: expected an object with "
                              "'contents' (ORUK's total_items, total_pages, page_number, contents)")
        total_pages, total_items = _count(data.get("total_pages")), _count(data.get("total_items"))
        if first is None:
            first = (total_pages, total_items)
            result.total_items = total_items
        elif (total_pages, total_items) != first:
            raise _FeedMoved(f"the feed changed while it was read: page 1 said {first[1]} services on "
                             f"{first[0]} pages, page {page} says {total_items} on {total_pages}")
        contents = data["contents"]
        if not contents:
            if total_pages is not None and page <= total_pages and (total_items or 0) > 0:
                raise FeedUnavailable(f"page {page} ({page_url}) is empty, but the feed says it has "
                                      f"{total_pages} pages of {total_items} services")
            break
        _take(result, contents, page, seen)
        if progress:
            shown = f" of {total_pages}" if total_pages else ""
            progress(f"page {page}{shown}: {len(result.records)} services")
        if data.get("last_page") is True or (total_pages is not None and page >= total_pages):
            break
        if total_pages is None and options.per_page and len(contents) < options.per_page:
            break  # no paging figures: a short page is the last
        page += 1
    if result.total_items is not None and len(result.records) < result.total_items:
        raise FeedUnavailable(f"the feed says it has {result.total_items} services but its "
                              f"{result.pages} pages gave {len(result.records)}")
    return result


def _count(value: Any) -> Optional[int]:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _take(result: Pull, contents: list, page: int, seen: set[str]) -> None:
    for record in contents:
        ident = record.get("id") if isinstance(record, dict) else None
        key = str(ident) if ident is not None else None
        if key is not None and key in seen:
            # The same service on two pages: the pages moved under us (or the feed repeats itself).
            raise _FeedMoved(f"the feed changed while it was read: service '{key}' is on page {page} "
                             "and an earlier one")
        if key is not None:
            seen.add(key)
        result.records.append(record)


def _needs_details(record: Any, mode: str) -> bool:
    if mode == "never" or not isinstance(record, dict) or record.get("id") in (None, ""):
        return False
    return mode == "always" or not any(k in record for k in NESTED)


def _fetch_details(client: FeedClient, result: Pull, options: SyncOptions,
                   progress: Optional[Callable[[str], None]]) -> None:
    """Replace each list record without its nested records by its /services/{id}."""
    wanted = [i for i, r in enumerate(result.records) if _needs_details(r, options.details)]
    if not wanted:
        return
    base = services_url(result.url).split("?")[0]
    done = 0
    lock = threading.Lock()

    def fetch(index: int) -> tuple[int, Any]:
        nonlocal done
        ident = str(result.records[index]["id"])
        from urllib.parse import quote

        data = client.get_json(f"{base}/{quote(ident, safe='')}", f"service '{ident}'")
        if not isinstance(data, dict) or str(data.get("id")) != ident:
            raise FeedRefused(f"service '{ident}' ({base}/{ident}) answered with "
                              + ("a different service" if isinstance(data, dict) else "something that is not a service"))
        with lock:
            done += 1
            if progress and (done % 50 == 0 or done == len(wanted)):
                progress(f"services in full: {done}/{len(wanted)}")
        return index, data

    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        futures = [pool.submit(fetch, i) for i in wanted]
        try:
            for future in as_completed(futures):
                index, data = future.result()  # the first failure, in time, is the one reported
                result.records[index] = data
        except BaseException:
            client.cancelled.set()  # the others stop at their next read
            for future in futures:
                future.cancel()
            raise


# ---------------------------------------------------------------------------------------
# Leases: one instance at a time


def _holder() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(database_url: str, name: str, holder: str, seconds: float) -> bool:
    """Take the lease `name` for `seconds` unless someone else holds it now."""
    engine = engine_for(database_url)
    now = timekeeping.as_utc(timekeeping.now())
    until = now + timedelta(seconds=seconds)
    with engine.begin() as conn:
        taken = conn.execute(update(Lease).where(Lease.name == name, or_(Lease.expires_at < now,
                                                                          Lease.holder == holder))
                             .values(holder=holder, expires_at=until))
        if taken.rowcount == 1:
            return True
    try:
        with engine.begin() as conn:
            conn.execute(insert(Lease).values(name=name, holder=holder, expires_at=until))
        return True
    except IntegrityError:
        return False


def release_lease(database_url: str, name: str, holder: str) -> None:
    with engine_for(database_url).begin() as conn:
        conn.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))


def lease_holder(database_url: str, name: str) -> Optional[tuple[str, datetime]]:
    with engine_for(database_url).connect() as conn:
        row = conn.execute(select(Lease.holder, Lease.expires_at).where(Lease.name == name)).first()
    return (row.holder, timekeeping.as_utc(row.expires_at)) if row else None


@contextmanager
def lease(database_url: str, name: str, seconds: float) -> Iterator[Optional[str]]:
    """The lease held for the block (its holder id), or None when someone else has it."""
    holder = _holder()
    if not acquire_lease(database_url, name, holder, seconds):
        yield None
        return
    try:
        yield holder
    finally:
        try:
            release_lease(database_url, name, holder)
        except Exception:  # noqa: BLE001 - it expires by itself
            log.exception("Could not release the lease %s; it expires by itself", name)


# ---------------------------------------------------------------------------------------
# A run


def lease_name(source: str) -> str:
    return f"feed-sync:{source}"[:160]


def last_good_run(session, source: str, full: Optional[bool] = None, url: Optional[str] = None) -> Optional[FeedSyncRun]:
    stmt = select(FeedSyncRun).where(FeedSyncRun.source == source, FeedSyncRun.status == "ok")
    if full is not None:
        stmt = stmt.where(FeedSyncRun.full.is_(full))
    if url is not None:
        stmt = stmt.where(FeedSyncRun.url == url[:1024])
    return session.scalars(stmt.order_by(FeedSyncRun.started_at.desc()).limit(1)).first()


def last_run(session, source: str) -> Optional[FeedSyncRun]:
    return session.scalars(select(FeedSyncRun).where(FeedSyncRun.source == source)
                           .order_by(FeedSyncRun.started_at.desc()).limit(1)).first()


def _live_services(session, source: str) -> int:
    return session.scalar(select(func.count()).select_from(FeedRecord).join(Service, Service.id == FeedRecord.service_id)
                          .where(FeedRecord.source == source, Service.status.in_(("active", "temporarily closed"))))


def sync(database_url: str, url: str, source: Optional[str] = None, full: bool = False,
         options: Optional[SyncOptions] = None, trigger: str = "command", who: Optional[str] = None,
         progress: Optional[Callable[[str], None]] = None, import_progress: Optional[Callable[[int, int], None]] = None,
         stop: Optional[threading.Event] = None, transport: Optional[httpx.BaseTransport] = None) -> FeedSyncRun:
    """Sync one feed now: the recorded run (status "ok"), or SyncError (its run recorded as
    failed; nothing else written). SyncBusy when another process is syncing this source."""
    options = options or SyncOptions()
    check_url(url)
    source = source or source_for(url)
    with lease(database_url, lease_name(source), options.deadline + 3600) as holder:
        if holder is None:
            held = lease_holder(database_url, lease_name(source))
            until = f" (held by {held[0]} until {_iso(held[1])})" if held else ""
            raise SyncBusy(f"another sync of '{source}' is running{until}")
        return _sync_holding(database_url, url, source, full, options, trigger, who, holder, progress,
                             import_progress, stop, transport)


def _sync_holding(database_url, url, source, full, options, trigger, who, holder, progress, import_progress,
                  stop, transport) -> FeedSyncRun:
    now = timekeeping.as_utc(timekeeping.now())
    with session_scope(database_url) as session:
        # Runs left "running" by a process that died: their lease has lapsed, since we hold it now.
        session.execute(update(FeedSyncRun).where(FeedSyncRun.source == source, FeedSyncRun.status == "running")
                        .values(status="interrupted", finished_at=now,
                                error="the process running it stopped before it finished; nothing was imported"))
        previous = None if full else last_good_run(session, source, url=url)  # changes since, from this URL
        modified_after = timekeeping.as_utc(previous.started_at) - OVERLAP if previous else None
        run = FeedSyncRun(id=str(uuid.uuid4()), source=source, url=url[:1024], full=full, modified_after=modified_after,
                          trigger=trigger[:128], status="running", started_at=now, holder=holder, pages=0,
                          requests=0, bytes_read=0, records=0, created=0, updated=0, unchanged=0, retired=0,
                          quarantined=0, refused=0)
        session.add(run)
    got: Optional[Pull] = None
    try:
        got = pull(url, options, modified_after, progress, stop, transport)
        with session_scope(database_url) as session:
            if full and not options.allow_shrink:
                had = _live_services(session, source)
                if had >= 10 and len(got.records) < had * options.min_kept:
                    raise FeedRefused(
                        f"the feed gave {len(got.records)} services where '{source}' has {had} live ones: a full "
                        f"sync would mark {had - len(got.records)} or more inactive, so nothing was changed. If the "
                        "feed really is that much smaller, sync again with --allow-shrink")
            if got.records:
                report = oruk_import.import_records(session, got.records, source, who=who or f"sync:{source}",
                                                    full_feed=full, progress=import_progress)
            elif full:
                raise FeedRefused("the feed lists no services; a full sync would mark all of this source's "
                                  "services inactive, so nothing was changed")
            else:
                report = oruk_import.ImportReport()  # nothing changed since the last sync
            recorded = session.get(FeedSyncRun, run.id)
            _fill(recorded, got)
            recorded.status, recorded.finished_at = "ok", timekeeping.as_utc(timekeeping.now())
            recorded.created, recorded.updated, recorded.unchanged = report.created, report.updated, report.unchanged
            recorded.retired, recorded.quarantined, recorded.refused = (report.retired, len(report.quarantined),
                                                                        len(report.refused))
            session.flush()
            session.expunge(recorded)
        recorded.report = report  # for the command's summary (not stored)
        return recorded
    except BaseException as e:
        error = e if isinstance(e, SyncError) else None
        if isinstance(e, oruk_import.FeedError):
            error = FeedRefused(f"the feed was not imported: {e}")
        message = error.message if error else f"{type(e).__name__}: {e}"
        _record_failure(database_url, run.id, got, message)
        if error is not None and error is not e:
            raise error from None
        raise


def _fill(run: FeedSyncRun, got: Optional[Pull]) -> None:
    if got is not None:
        run.pages, run.requests, run.bytes_read, run.records = got.pages, got.requests, got.bytes_read, len(got.records)


def _record_failure(database_url: str, run_id: str, got: Optional[Pull], message: str) -> None:
    try:
        with session_scope(database_url) as session:
            run = session.get(FeedSyncRun, run_id)
            if run is not None:
                _fill(run, got)
                run.status, run.finished_at, run.error = "failed", timekeeping.as_utc(timekeeping.now()), message[:4000]
        log.warning("Feed sync of %s failed: %s", run_id, message)
    except Exception:  # noqa: BLE001 - the run is then shown as interrupted later
        log.exception("Could not record the failed feed sync %s", run_id)


# ---------------------------------------------------------------------------------------
# Which feeds are due, and the schedule while serving


@dataclass
class Due:
    feed: Feed
    full: bool
    why: str


def due(session, feed: Feed, every: timedelta, full_every: timedelta, now: datetime) -> Optional[Due]:
    """Whether `feed` should be synced now, and in full or not."""
    latest = last_run(session, feed.name)
    last_full = last_good_run(session, feed.name, full=True)
    full = last_full is None or now - timekeeping.as_utc(last_full.started_at) >= full_every
    if latest is None:
        return Due(feed, True, "never synced")
    age = now - timekeeping.as_utc(latest.started_at)
    if latest.status != "ok":
        # Asked under the feed's lease, so a run still "running" was cut off (its process died).
        what = "was interrupted" if latest.status in ("running", "interrupted") else "failed"
        return Due(feed, full, f"the last sync {what}") if age >= min(RETRY_FAILED_AFTER, every) else None
    if full:
        return Due(feed, True, "a full sync is due")
    return Due(feed, False, "due") if age >= every else None


def sync_due_feeds(settings, trigger: str = "schedule", stop: Optional[threading.Event] = None,
                   progress: Optional[Callable[[str], None]] = None, options: Optional[SyncOptions] = None,
                   transport: Optional[httpx.BaseTransport] = None) -> list[tuple[Feed, Any]]:
    """Sync each configured feed that is due, one at a time, each under its lease (a feed another
    instance is syncing, or has just synced, is skipped). Returns (feed, run or the error)."""
    feeds = configured_feeds(settings.feeds)
    every = timedelta(hours=settings.feed_sync_hours)
    full_every = timedelta(hours=settings.feed_full_sync_hours)
    options = options or SyncOptions.from_settings(settings)
    outcomes = []
    for feed in feeds:
        if stop is not None and stop.is_set():
            break
        with lease(settings.database_url, lease_name(feed.name), options.deadline + 3600) as holder:
            if holder is None:
                continue  # another instance is on it
            with session_scope(settings.database_url) as session:  # looked at again under the lease
                wanted = due(session, feed, every, full_every, timekeeping.as_utc(timekeeping.now()))
            if wanted is None:
                continue
            if progress:
                progress(f"{feed.name}: {wanted.why}; {'full' if wanted.full else 'changes only'}")
            try:
                run = _sync_holding(settings.database_url, feed.url, feed.name, wanted.full, options, trigger, None,
                                    holder, progress, None, stop, transport)
                log.info("Feed sync of %s: %d records, %d created, %d updated, %d retired", feed.name, run.records,
                         run.created, run.updated, run.retired)
                outcomes.append((feed, run))
            except SyncError as e:
                outcomes.append((feed, e))
            except Exception as e:  # noqa: BLE001 - one feed never stops the others
                log.exception("Feed sync of %s failed", feed.name)
                outcomes.append((feed, e))
    return outcomes


async def sync_on_schedule(settings, check_every: float = 300.0) -> None:
    """While serving: every `check_every` seconds, sync the configured feeds that are due (in a
    thread). Cancelled when the server stops: the run in progress stops at its next read."""
    try:
        feeds = configured_feeds(settings.feeds)
    except (ValueError, SyncError) as e:
        log.error("WAYMARK_FEEDS is not right, so no feed is synced: %s", e)
        return
    if not feeds:
        return
    log.info("Syncing %d feed(s) every %g hours: %s", len(feeds), settings.feed_sync_hours,
             ", ".join(f.name for f in feeds))
    stop = threading.Event()
    try:
        while True:
            try:
                await asyncio.to_thread(sync_due_feeds, settings, "schedule", stop)
            except Exception:  # noqa: BLE001 - the schedule must never take the service down
                log.exception("Feed syncs failed; trying again in %g s", check_every)
            await asyncio.sleep(check_every)
    finally:
        stop.set()


# ---------------------------------------------------------------------------------------
# What editors and `waymark directory stale` see


def feed_status(settings, now: Optional[datetime] = None) -> list[dict]:
    """Each feed that is configured or has been synced: its last run, its last good run, and
    whether it is stale (no good sync within WAYMARK_FEED_STALE_HOURS)."""
    now = now or timekeeping.as_utc(timekeeping.now())
    try:
        configured = {f.name: f for f in configured_feeds(settings.feeds)}
    except (ValueError, SyncError):
        configured = {}
    limit = timedelta(hours=settings.feed_stale_hours)
    with session_scope(settings.database_url) as session:
        sources = set(configured) | set(session.scalars(select(FeedSyncRun.source).distinct()))
        out = []
        for source in sorted(sources):
            latest, good = last_run(session, source), last_good_run(session, source)
            good_at = timekeeping.as_utc(good.started_at) if good else None
            out.append({
                "source": source,
                "url": configured[source].url if source in configured else (latest.url if latest else None),
                "configured": source in configured,
                "last_run": run_dict(latest) if latest else None,
                "last_good_run": run_dict(good) if good else None,
                "stale": good_at is None or now - good_at > limit,
                "hours_since_good_sync": round((now - good_at).total_seconds() / 3600, 1) if good_at else None,
            })
    return out


def run_dict(run: FeedSyncRun) -> dict:
    moment = (lambda v: _iso(v) if v else None)
    return {"id": run.id, "source": run.source, "url": run.url, "full": run.full,
            "modified_after": moment(run.modified_after), "trigger": run.trigger, "status": run.status,
            "started_at": moment(run.started_at), "finished_at": moment(run.finished_at), "pages": run.pages,
            "requests": run.requests, "bytes_read": run.bytes_read, "records": run.records, "created": run.created,
            "updated": run.updated, "unchanged": run.unchanged, "retired": run.retired,
            "quarantined": run.quarantined, "refused": run.refused, "error": run.error}


def recent_runs(database_url: str, source: Optional[str] = None, limit: int = 50) -> list[FeedSyncRun]:
    with session_scope(database_url) as session:
        stmt = select(FeedSyncRun).order_by(FeedSyncRun.started_at.desc()).limit(limit)
        if source:
            stmt = stmt.where(FeedSyncRun.source == source)
        runs = list(session.scalars(stmt))
        for run in runs:
            session.expunge(run)
        return runs


def stale_feeds_report(settings) -> Optional[str]:
    """Lines for `waymark directory stale` about feeds, or None when there are none."""
    status = feed_status(settings)
    if not status:
        return None
    stale = [s for s in status if s["stale"]]
    if not stale:
        return f"Feeds: all {len(status)} synced successfully in the last {settings.feed_stale_hours:g} hours."
    lines = [f"{len(stale)} feed(s) with no good sync in the last {settings.feed_stale_hours:g} hours:"]
    for s in stale:
        when = (f"last good sync {s['last_good_run']['started_at']} ({s['hours_since_good_sync']:g} hours ago)"
                if s["last_good_run"] else "never synced successfully")
        last = s["last_run"]
        failed = f"; last try {last['started_at']} {last['status']}: {last['error']}" if last and last["status"] != "ok" else ""
        lines.append(f"  - {s['source']} ({s['url']}): {when}{failed}")
    return "\n".join(lines)
