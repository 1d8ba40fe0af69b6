"""Conversation latency and throughput: Waymark's serving path against stock Rasa.

Starts each server on loopback with the same trained model, then drives N concurrent
simulated people through multi-turn conversations on the web chat endpoint. Each person waits
for the reply and "thinks" (about a second) before the next turn; the saturation run removes
the pause to find the saturation throughput. What the people say comes from a named profile
(`benchmarks/profiles.py`): `realistic` (mostly new messages, a third of turns searching the
directory, 4-12 turns, every kind of person) and `short` (the four short journeys used until
December 2026, half of them repeats the repeated-message cache answers).

Reports, for each server, profile and load: p50/p95/p99 per turn, turns per second, the
servers' CPU time per turn (read from /proc: on a shared machine the steadiest figure), peak
memory, and beside every figure the share of turns the repeated-message cache could have
answered and the share that asked the directory (with the share whose reply gave a distance,
so a search that found nothing shows). Writes benchmarks/results/conversations.json.

    .venv/bin/python benchmarks/conversations.py --help
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

import aiohttp
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from profiles import PROFILES, SEARCH, ProfileMix  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"
REDIS = os.environ.get("WAYMARK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


@dataclass
class RunResult:
    server: str
    profile: str
    conversations: int
    think_seconds: float
    turns: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    turns_per_second: float
    cpu_ms_per_turn: float  # user + system CPU of the serving processes, over the run, per turn
    peak_rss_mb: float
    cache_hit_share: float  # turns the repeated-message cache could have answered (at most)
    search_share: float  # turns that asked the directory for something near a place
    distance_reply_share: float  # of those, the share whose reply gave a distance ("2.1 miles")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_children(pids: list[int]) -> list[int]:
    """The processes and every process under them (uvicorn's workers run under its supervisor)."""
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        found.append(pid)
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def peak_rss_mb(pids: list[int]) -> float:
    """Sum of the processes' (and their children's) high-water resident memory (VmHWM), in MB."""
    total = 0
    for pid in with_children(pids):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def scratch_directory(source: Path, scratch: Path) -> str:
    """A copy of the demo directory for the run, in the run's scratch folder. The simulated
    people ask for a person, and their thousands of handovers must not land in the queue a
    developer's console shows."""
    copy = scratch / "directory.db"
    with closing(sqlite3.connect(source)) as original, closing(sqlite3.connect(copy)) as target:
        original.backup(target)  # a consistent copy, even of a database in use
    return f"sqlite:///{copy}"


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds the processes (and their children) have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in with_children(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def machine_loop_seconds() -> float:
    """How fast this machine is just now: seconds for a fixed pure-Python loop (median of 3).

    This machine is a shared host and its speed wanders by more than a code change moves the
    figures: the same code has given p95s twice apart at different hours. Recorded before and
    after every server's runs, so each figure can be read against the speed it was measured at.
    """
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(10**7):
            total += i
        timings.append(time.perf_counter() - start)
    return round(statistics.median(timings), 2)


def redis_answers(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1).close()
        return True
    except OSError:
        return False


def wait_healthy(url: str, procs: list[subprocess.Popen], timeout: float = 300) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if any(p.poll() is not None for p in procs):
            raise RuntimeError(f"a server exited while starting ({url})")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return time.monotonic() - start
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not healthy after {timeout} s")


class Server:
    """One way of serving the model: Waymark's (one process, or a worker per core) or stock
    Rasa's (`rasa run` and `rasa run actions`)."""

    def __init__(self, kind: str, env: dict[str, str], scratch: Path):
        self.kind, self.env, self.scratch, self.procs = kind, env, scratch, []
        self.sent: set[str] = set()  # every text sent to it, for the cache-hit share
        self.port = free_port()

    def start(self) -> float:
        log = open(Path(tempfile.gettempdir()) / f"bench-{self.kind}.log", "w")
        common = dict(cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        if self.kind == "waymark":
            self.procs.append(subprocess.Popen([str(BIN / "waymark"), "serve", "--port", str(self.port)], **common))
            return wait_healthy(f"http://127.0.0.1:{self.port}/healthz", self.procs)
        if self.kind == "waymark-workers":
            # One worker per core, as docs/deployment.md sizes it: the workers share the
            # conversations through the Redis lock store and a SQLite tracker store.
            common["env"] = {**self.env, "WAYMARK_LOCK_STORE_URL": REDIS,
                             "WAYMARK_TRACKER_STORE_URL": f"sqlite:///{self.scratch / 'conversations.db'}"}
            self.procs.append(subprocess.Popen([str(BIN / "waymark"), "serve", "--port", str(self.port),
                                                "--workers", str(os.cpu_count() or 2)], **common))
            return wait_healthy(f"http://127.0.0.1:{self.port}/healthz", self.procs)
        actions_port = free_port()
        endpoints = self.scratch / "endpoints.yml"
        endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions_port}/webhook"\n')
        self.procs.append(subprocess.Popen(
            [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(actions_port)], **common))
        self.procs.append(subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", "models/waymark.tar.gz", "--endpoints", str(endpoints),
             "--port", str(self.port), "--interface", "127.0.0.1"], **common))
        wait_healthy(f"http://127.0.0.1:{actions_port}/health", self.procs)
        return wait_healthy(f"http://127.0.0.1:{self.port}/", self.procs)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/rest/webhook"


@dataclass
class Tally:
    """What one run's people sent and got back."""
    latencies: list[float]
    sent_before: set[str]  # every text this server has been sent, warm-ups included
    errors: int = 0
    searches_with_distance: int = 0

    def __post_init__(self) -> None:
        self.mix = ProfileMix(self.sent_before)


async def person(url: str, profile: str, think: float, stop_at: float, tally: Tally, rng: random.Random) -> None:
    """One simulated person on their own phone or browser: their own keep-alive connection, as
    a person's chat page has (a pool shared by everyone would pile the traffic onto whichever
    worker accepted its first connections)."""
    # People arrive at different moments, not all in the same millisecond: without this, the
    # first turn of every conversation formed one queue that the whole run's p95 measured.
    if think:
        await asyncio.sleep(rng.uniform(0, think))
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), timeout=timeout) as client:
        while time.monotonic() < stop_at:
            # A new conversation each journey, never one from an earlier run: the same ids again
            # would replay ever longer histories, which no new person brings.
            sender = f"bench-{uuid.uuid4().hex}"
            for turn in PROFILES[profile](rng):
                if time.monotonic() >= stop_at:
                    return
                start = time.perf_counter()
                try:
                    async with client.post(url, json={"sender": sender, "message": turn.text}) as response:
                        replies = await response.json()
                        ok = response.status == 200 and isinstance(replies, list) and bool(replies)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                tally.latencies.append((time.perf_counter() - start) * 1000)
                tally.mix.count(turn)
                tally.errors += not ok
                if ok and turn.kind == SEARCH and any(" mile" in str(r.get("text", "")) for r in replies
                                                      if isinstance(r, dict)):
                    tally.searches_with_distance += 1
                if think:
                    await asyncio.sleep(rng.uniform(0.8 * think, 1.2 * think))


async def drive(server: Server, profile: str, conversations: int, think: float, seconds: float) -> RunResult:
    """One run. Each person's conversations are drawn from a seed named after the run and the
    person: the same for every server (a fair comparison), different for each run on one server
    (whose repeated-message cache remembers the runs before)."""
    # Warm-up: the first turns load lazily-built parts; several people, so every worker gets some.
    warm_until = time.monotonic() + 2
    await asyncio.gather(*(person(server.url, profile, 0, warm_until, Tally([], server.sent),
                                  random.Random(f"warm-{profile}-{conversations}-{think}-{i}"))
                           for i in range(2 * (os.cpu_count() or 2))))
    tally = Tally([], server.sent)
    pids = [p.pid for p in server.procs]
    cpu_before, start = cpu_seconds(pids), time.monotonic()
    stop_at = start + seconds
    await asyncio.gather(*(person(server.url, profile, think, stop_at, tally,
                                  random.Random(f"{profile}-{conversations}-{think}-{i}"))
                           for i in range(conversations)))
    elapsed, cpu_used = time.monotonic() - start, cpu_seconds(pids) - cpu_before
    latencies = tally.latencies
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [latencies[0]] * 99
    mix = tally.mix.summary()
    return RunResult(server.kind, profile, conversations, think, len(latencies), tally.errors, round(q[49], 1),
                     round(q[94], 1), round(q[98], 1), round(len(latencies) / elapsed, 1),
                     round(1000 * cpu_used / max(len(latencies), 1), 1), peak_rss_mb(pids),
                     mix["cache_hit_share"], mix["search_share"],
                     round(tally.searches_with_distance / max(tally.mix.searches, 1), 3))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", default="1,10,50", help="concurrent conversations per run (default 1,10,50)")
    parser.add_argument("--seconds", type=float, default=20, help="length of each run (default 20)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a person thinks between turns (default 1)")
    parser.add_argument("--saturation", type=int, default=50,
                        help="conversations for the no-think saturation run (0 to skip; default 50)")
    parser.add_argument("--profiles", default="realistic,short",
                        help="what the people say (benchmarks/profiles.py): realistic (mostly new messages and "
                             "directory searches) and short (the pre-December journeys); default both")
    parser.add_argument("--servers", default="waymark,waymark-workers,stock",
                        help="which servers to measure: waymark (one process), waymark-workers (a worker "
                             "per core sharing Redis locks; skipped without Redis), stock (default: all three)")
    parser.add_argument("--busy", type=int, default=0,
                        help="other processes to keep busy on the machine during the runs, as a shared "
                             "host's neighbours do (each spins one core; default 0)")
    parser.add_argument("--out", type=Path, default=RESULTS / "conversations.json", help="where to write the results")
    args = parser.parse_args(argv)
    # The directory copy, the workers' conversations and stock Rasa's endpoints file; removed
    # at the end.
    with tempfile.TemporaryDirectory(prefix="waymark-bench-") as scratch:
        return run(args, Path(scratch))


def run(args: argparse.Namespace, scratch: Path) -> int:
    # Every simulated person comes from 127.0.0.1, and the no-think run sends faster than any
    # person types: lift the per-address and per-conversation limits, or they measure 429s.
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "WAYMARK_TRACKER_STORE_URL": "memory",
           "WAYMARK_LOG_LEVEL": "WARNING", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
           "WAYMARK_RATE_LIMIT_PER_IP": "1000000", "WAYMARK_RATE_LIMIT_PER_CONVERSATION": "1000000"}
    if "WAYMARK_DATABASE_URL" not in env:
        if not (ROOT / "var" / "waymark.db").exists():
            print("No demo directory: run `make database` first.", file=sys.stderr)
            return 2
        env["WAYMARK_DATABASE_URL"] = scratch_directory(ROOT / "var" / "waymark.db", scratch)
    counts = [int(c) for c in args.conversations.split(",") if c]
    profiles = [p for p in args.profiles.split(",") if p]
    unknown = [p for p in profiles if p not in PROFILES]
    if unknown:
        print(f"Unknown profile(s) {', '.join(unknown)}: choose from {', '.join(sorted(PROFILES))}.", file=sys.stderr)
        return 2
    results: list[RunResult] = []
    cold_starts: dict[str, float] = {}
    machine: dict[str, dict[str, float]] = {}
    for kind in args.servers.split(","):
        if kind == "waymark-workers" and not redis_answers(REDIS):
            print(f"[{kind}] skipped: no Redis at {REDIS} for the workers' shared locks", flush=True)
            continue
        busy: list[subprocess.Popen] = []
        server = Server(kind, env, scratch)
        machine[kind] = {"before": machine_loop_seconds()}
        print(f"[{kind}] machine speed: fixed loop {machine[kind]['before']} s; starting...", flush=True)
        try:
            cold_starts[kind] = round(server.start(), 1)
            print(f"[{kind}] healthy after {cold_starts[kind]} s", flush=True)
            runs = [(n, args.think) for n in counts] + ([(args.saturation, 0.0)] if args.saturation else [])
            # Each in a session of its own, as another program on the machine would be (Linux
            # shares the CPU between sessions before the processes within them).
            busy += [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
                     for _ in range(args.busy)]
            if busy:
                print(f"[{kind}] {len(busy)} other process(es) kept busy during the runs", flush=True)
            for profile in profiles:
                for n, think in runs:
                    print(f"[{kind}] {profile}: {n} conversations, think {think} s, {args.seconds:.0f} s ...",
                          flush=True)
                    result = asyncio.run(drive(server, profile, n, think, args.seconds))
                    results.append(result)
                    print(f"    p50 {result.p50_ms} ms  p95 {result.p95_ms} ms  p99 {result.p99_ms} ms  "
                          f"{result.turns_per_second} turns/s  CPU {result.cpu_ms_per_turn} ms/turn  "
                          f"errors {result.errors}  peak RSS {result.peak_rss_mb} MB  |  cache hits at most "
                          f"{result.cache_hit_share:.0%}, searches {result.search_share:.0%} "
                          f"({result.distance_reply_share:.0%} of them gave a distance)", flush=True)
        finally:
            for proc in busy:
                proc.kill()
            server.stop()
        machine[kind]["after"] = machine_loop_seconds()
        print(f"[{kind}] machine speed after: fixed loop {machine[kind]['after']} s", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model = ROOT / "models" / "waymark.tar.gz"
    model_mb = round(model.stat().st_size / 1e6, 1) if model.exists() else None
    print(f"Model file: {model_mb} MB; cold start to healthy: {cold_starts}")
    args.out.write_text(json.dumps({"measured_at": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
                                    "model_mb": model_mb, "cold_start_seconds": cold_starts,
                                    "machine_loop_seconds": machine, "busy_processes": args.busy,
                                    "runs": [asdict(r) for r in results]}, indent=2))
    print(f"Results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
