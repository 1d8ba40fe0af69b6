"""Conversation latency and throughput: Waymark's serving path against stock Rasa.

Starts each server on loopback with the same trained model, then drives N concurrent
simulated people through realistic multi-turn journeys on the web chat endpoint. Each person
waits for the reply and "thinks" (about a second) before the next turn; the saturation run
removes the pause to find the saturation throughput. Reports p50/p95/p99 per turn, turns per
second and the peak memory of the serving processes, and writes them to
benchmarks/results/conversations.json.

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

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"
REDIS = os.environ.get("WAYMARK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
JOURNEYS = [
    ["hello", "I need help with my drinking near LS1 4AP", "thanks", "bye"],
    ["hi", "wheres the nearest needle exchange", "LS6", "what about in Manchester instead"],
    ["can i talk to a real person", "i want help for my drinking", "leeds", "cheers"],
    ["help with crack near M1 2AA", "are you a bot", "thanks"],
]


@dataclass
class RunResult:
    server: str
    conversations: int
    think_seconds: float
    turns: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    turns_per_second: float
    peak_rss_mb: float


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


async def person(url: str, think: float, stop_at: float, latencies: list[float], errors: list[int],
                 rng: random.Random) -> None:
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
            for text in rng.choice(JOURNEYS):
                if time.monotonic() >= stop_at:
                    return
                start = time.perf_counter()
                try:
                    async with client.post(url, json={"sender": sender, "message": text}) as response:
                        replies = await response.json()
                        ok = response.status == 200 and isinstance(replies, list) and bool(replies)
                except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                    ok = False
                latencies.append((time.perf_counter() - start) * 1000)
                if not ok:
                    errors.append(1)
                if think:
                    await asyncio.sleep(rng.uniform(0.8 * think, 1.2 * think))


async def drive(server: Server, conversations: int, think: float, seconds: float) -> RunResult:
    latencies: list[float] = []
    errors: list[int] = []
    # Warm-up: the first turns load lazily-built parts; several people, so every worker gets some.
    warm_until = time.monotonic() + 2
    await asyncio.gather(*(person(server.url, 0, warm_until, [], [], random.Random(-1 - i))
                           for i in range(2 * (os.cpu_count() or 2))))
    start = time.monotonic()
    stop_at = start + seconds
    await asyncio.gather(*(person(server.url, think, stop_at, latencies, errors, random.Random(i))
                           for i in range(conversations)))
    elapsed = time.monotonic() - start
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [latencies[0]] * 99
    return RunResult(server.kind, conversations, think, len(latencies), len(errors), round(q[49], 1),
                     round(q[94], 1), round(q[98], 1), round(len(latencies) / elapsed, 1),
                     peak_rss_mb([p.pid for p in server.procs]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", default="1,10,50", help="concurrent conversations per run (default 1,10,50)")
    parser.add_argument("--seconds", type=float, default=20, help="length of each run (default 20)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a person thinks between turns (default 1)")
    parser.add_argument("--saturation", type=int, default=50,
                        help="conversations for the no-think saturation run (0 to skip; default 50)")
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
            for n, think in runs:
                print(f"[{kind}] {n} conversations, think {think} s, {args.seconds:.0f} s ...", flush=True)
                result = asyncio.run(drive(server, n, think, args.seconds))
                results.append(result)
                print(f"    p50 {result.p50_ms} ms  p95 {result.p95_ms} ms  p99 {result.p99_ms} ms  "
                      f"{result.turns_per_second} turns/s  errors {result.errors}  peak RSS {result.peak_rss_mb} MB",
                      flush=True)
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
