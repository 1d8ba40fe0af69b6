"""A council's ORUK feed on a loopback port, for the sync tests (tests/test_directory_sync.py):
real HTTP from Python's http.server in a thread, serving real-shaped services
(tests/oruk_feeds.py) the way councils' servers do, and breaking on demand.

    GET /oruk/                      version and profile
    GET /oruk/services?page=&per_page=&modified_after=
                                    ORUK pages; list records carry only one-to-one fields
                                    (the profile's list shape) unless `nested_lists`
    GET /oruk/services/{id}         the service whole

Faults, set per page number or per service id in `faults`:
  "500"            the server answers 500 (every time, or the first `times` times: then fine)
  "503-retry-after" 503 with Retry-After: 1, the first `times` times
  "malformed"      200 with JSON cut off in the middle
  "html"           200 with an HTML error page
  "slow"           the body trickles out, a few bytes every `slow_step` seconds
  "stall"          headers, then nothing at all for a long time
  "huge"           a body of `huge_bytes`, sent without a Content-Length
  "huge-declared"  a Content-Length of `huge_bytes`
  "loop"           302 to itself
  "moved"          the page reports a different page count (the feed changed while it was walked)
  "empty"          an empty page where the feed says there are more
  "v1"             the older HSDS-UK 1.0 (Spring) page shape
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qs, unquote, urlsplit

NESTED = ("phones", "schedules", "service_at_locations", "contacts", "attributes", "languages", "cost_options")


@dataclass
class Fault:
    kind: str
    times: Optional[int] = None  # None: every time

    def active(self) -> bool:
        if self.times is None:
            return True
        if self.times > 0:
            self.times -= 1
            return True
        return False


@dataclass
class FeedState:
    records: list[dict]
    nested_lists: bool = False
    default_per_page: int = 50
    faults: dict = field(default_factory=dict)  # ("page", n) or ("service", id) -> Fault
    modified: dict = field(default_factory=dict)  # service id -> last_modified (ISO), default DEFAULT_MODIFIED
    requests: list[str] = field(default_factory=list)  # every path and query asked for
    slow_step: float = 0.3
    huge_bytes: int = 3_000_000
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, record: dict) -> dict:
        out = dict(record)
        out["last_modified"] = self.modified.get(record.get("id"), DEFAULT_MODIFIED)
        return out

    def fault(self, key) -> Optional[str]:
        with self.lock:
            found = self.faults.get(key)
            return found.kind if found is not None and found.active() else None


DEFAULT_MODIFIED = "2026-11-01T09:00:00Z"


def _handler(state: FeedState):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes, kind: str = "application/json", headers: Optional[dict] = None):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _json(self, data, status: int = 200):
            self._send(status, json.dumps(data).encode())

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            with state.lock:
                state.requests.append(self.path)
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            path = parts.path.rstrip("/")
            if path == "/oruk":
                return self._json({"version": "HSDS-UK-3.0", "profile": "https://example.org/profile"})
            if path == "/oruk/services":
                return self._page(query)
            if path.startswith("/oruk/services/"):
                return self._service(unquote(path[len("/oruk/services/"):]))
            return self._json({"detail": "Not Found"}, 404)

        def _faulty(self, kind: Optional[str], good: bytes) -> bool:
            """Answer with the fault `kind` (True), or let the good answer go (False)."""
            if kind is None:
                return False
            if kind == "500":
                self._json({"detail": "Internal Server Error"}, 500)
            elif kind == "503-retry-after":
                self._send(503, b'{"detail": "busy"}', headers={"Retry-After": "1"})
            elif kind == "malformed":
                self._send(200, good[: len(good) // 2])
            elif kind == "html":
                self._send(200, b"<html><body><h1>Service temporarily unavailable</h1></body></html>",
                           kind="text/html; charset=utf-8")
            elif kind == "slow":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(good)))
                self.end_headers()
                try:
                    for start in range(0, len(good), 64):
                        self.wfile.write(good[start:start + 64])
                        self.wfile.flush()
                        time.sleep(state.slow_step)
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif kind == "stall":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(good)))
                self.end_headers()
                self.wfile.flush()
                time.sleep(30)
            elif kind == "huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    chunk = b'{"contents": [' + b" " * 65536
                    sent = 0
                    while sent < state.huge_bytes:
                        self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                        sent += len(chunk)
                        chunk = b" " * 65536
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
            elif kind == "huge-declared":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(state.huge_bytes))
                self.end_headers()
                self.close_connection = True
            elif kind == "loop":
                self.send_response(302)
                self.send_header("Location", self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                return False
            return True

        def _listed(self, query) -> list[dict]:
            records = [state.record(r) for r in state.records]
            after = query.get("modified_after")
            if after:
                records = [r for r in records if r["last_modified"] > after]
            return records

        def _page(self, query) -> None:
            page = int(query.get("page", "1"))
            per_page = int(query.get("per_page", state.default_per_page))
            records = self._listed(query)
            total = len(records)
            total_pages = max(1, -(-total // per_page))
            contents = records[(page - 1) * per_page: page * per_page]
            if not state.nested_lists:
                contents = [{k: v for k, v in r.items() if k not in NESTED} for r in contents]
            kind = state.fault(("page", page))
            if kind == "moved":
                total_pages += 1
            if kind == "empty":
                contents = []
            if kind == "v1":
                body = {"totalElements": total, "totalPages": total_pages, "number": page - 1, "content": contents}
            else:
                body = {"total_items": total, "total_pages": total_pages, "page_number": page, "size": len(contents),
                        "first_page": page == 1, "last_page": page >= total_pages, "empty": not contents,
                        "contents": contents}
            good = json.dumps(body).encode()
            if not self._faulty(kind, good):
                self._send(200, good)

        def _service(self, ident: str) -> None:
            found = next((state.record(r) for r in state.records if r.get("id") == ident), None)
            if found is None:
                return self._json({"detail": f"no service with id '{ident}'"}, 404)
            good = json.dumps(found).encode()
            if not self._faulty(state.fault(("service", ident)), good):
                self._send(200, good)

    return Handler


class FeedServer:
    """`with FeedServer(records) as feed:` then `feed.url` ('http://127.0.0.1:PORT/oruk')."""

    def __init__(self, records: list[dict], **options):
        self.state = FeedState(records=list(records), **options)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/oruk"
        self.thread = threading.Thread(target=self.server.serve_forever, name="feed-server", daemon=True)

    def __enter__(self) -> "FeedServer":
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, key, kind: str, times: Optional[int] = None) -> None:
        self.state.faults[key] = Fault(kind, times)

    def heal(self) -> None:
        self.state.faults.clear()

    def requested(self, fragment: str) -> int:
        with self.state.lock:
            return sum(1 for r in self.state.requests if fragment in r)
