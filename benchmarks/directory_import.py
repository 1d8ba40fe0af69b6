"""Benchmark: importing a real-shaped council feed (issue 21: 1,000 services in under 30 s).

The feed is tests/oruk_feeds.py's `council_feed(n)`: services shaped like Bristol's live ORUK
v3 feed (HTML descriptions with entities and scripts, -1 ages, extension and camelCase fields,
phone numbers written every way, missing locations, a few records to refuse or quarantine).
For each size it times, on a fresh SQLite directory (and PostgreSQL when it answers):

- `first`: `oruk_import.import_records` into a directory with only the national lines, as a
  full feed (every service is created);
- `again`: the same feed again (nothing changes; every service is compared field by field);
- `changed`: the feed with one service in ten renamed and one in twenty gone (updates,
  audit rows and retirements);
- `command`: `waymark directory import FILE --full-feed` as an operator runs it (reading the
  file, the checks, the progress lines), on a fresh directory.

It reports services per second, wall and CPU seconds, the load average (2 shared cores:
above ~1 the import was waiting its turn) and memory: the process's peak RSS and how much an
import raised it. Results go to benchmarks/results/directory_import.json.

    python benchmarks/directory_import.py                   # 1,000 services
    python benchmarks/directory_import.py --sizes 1000,5000 --no-postgres
    python benchmarks/directory_import.py --profile         # and where the time goes
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # oruk_feeds: the real-shaped feed the tests import too
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from directory import oruk_import, seed  # noqa: E402
from directory.db import create_schema, make_engine  # noqa: E402
from directory_search import postgres_database  # noqa: E402  (a scratch PostgreSQL database, as there)
from oruk_feeds import council_feed  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "directory_import.json"
TARGET_SECONDS = 30.0  # issue 21: 1,000 real-shaped services


def log(text: str, end: str = "\n") -> None:
    print(text, end=end, flush=True)


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # Linux: KiB


def fresh_directory(url: str) -> None:
    engine = make_engine(url)
    create_schema(engine)
    with Session(engine, future=True) as session:
        seed.seed_national(session)
        session.commit()
    engine.dispose()


def timed_import(url: str, records: list, label: str, profile: bool = False) -> dict:
    engine = make_engine(url)
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    rss_before = peak_rss_mb()
    with Session(engine, future=True) as session:
        started, cpu_started = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        report = oruk_import.import_records(session, copy.deepcopy(records), source="bench-council",
                                            full_feed=True)
        session.commit()
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    engine.dispose()
    if profiler:
        import pstats

        log(f"  where the time goes ({label}; cProfile slows it down):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    return {"pass": label, "records": len(records), "imported": report.imported, "created": report.created,
            "updated": report.updated, "unchanged": report.unchanged, "retired": report.retired,
            "quarantined": len(report.quarantined), "refused": len(report.refused),
            "field_changes": report.field_changes, "seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
            "services_per_second": round(len(records) / wall, 1), "load_average": round(os.getloadavg()[0], 2),
            "peak_rss_mb": peak_rss_mb(), "rss_growth_mb": round(peak_rss_mb() - rss_before, 1)}


def changed_feed(records: list) -> list:
    """One service in ten renamed, one in twenty gone from the feed."""
    out = []
    for i, record in enumerate(copy.deepcopy(records)):
        if i % 20 == 19:
            continue
        if i % 10 == 3 and isinstance(record.get("name"), str) and record["name"].strip():
            record["name"] += " (renamed)"
        out.append(record)
    return out


def command_import(url: str, path: Path) -> dict:
    """`waymark directory import` in its own process, timed from outside; its peak RSS too."""
    waymark = Path(sys.executable).parent / "waymark"
    env = {**os.environ, "WAYMARK_DATABASE_URL": url}
    started = time.perf_counter()
    child = subprocess.Popen([str(waymark), "directory", "import", str(path), "--source", "bench-command",
                              "--full-feed"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    # The child's own peak (VmHWM, reset by exec), read while it runs: getrusage(RUSAGE_CHILDREN)
    # would report the forked copy of this process before exec.
    peak_kb = [0]

    def watch() -> None:
        status = Path(f"/proc/{child.pid}/status")
        while child.poll() is None:
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb[0] = max(peak_kb[0], int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.05)

    import threading

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = child.communicate(timeout=600)
    wall = time.perf_counter() - started
    watcher.join(5)
    if child.returncode != 0:
        raise SystemExit(f"waymark directory import failed ({child.returncode}): {err.strip()}")
    progress = [line.strip() for line in out.replace("\r", "\n").splitlines() if "services" in line]
    return {"pass": "command", "seconds": round(wall, 2), "load_average": round(os.getloadavg()[0], 2),
            "peak_rss_mb": round(peak_kb[0] / 1024, 1) or None, "progress_lines": len(progress),
            "summary": next((line for line in out.splitlines() if " imported (" in line), "")}


def run_size(url: str, database: str, n: int, records: list, profile: bool) -> list[dict]:
    runs = []
    fresh_directory(url)
    for label, feed in (("first", records), ("again", records), ("changed", changed_feed(records))):
        run = {"database": database, "services": n,
               **timed_import(url, feed, label, profile=profile and label == "first")}
        log(f"  {label:8} {run['seconds']:6.2f} s ({run['services_per_second']:.0f} services/s, CPU "
            f"{run['cpu_seconds']:.2f} s, load {run['load_average']}): {run['created']} created, "
            f"{run['updated']} updated, {run['unchanged']} unchanged, {run['retired']} retired; "
            f"peak RSS {run['peak_rss_mb']} MB (+{run['rss_growth_mb']})")
        runs.append(run)
    return runs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000", help="comma-separated numbers of services (default 1000)")
    parser.add_argument("--postgres-server", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server to create a scratch database on")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-command", action="store_true", help="skip timing the `waymark directory import` command")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary of the first import")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS})")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = {"benchmark": "importing a real-shaped ORUK feed (directory.oruk_import.import_records)",
               "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
               "target": f"1,000 services in under {TARGET_SECONDS:.0f} s", "runs": []}
    for n in sizes:
        page, _ = council_feed(n)
        records = page["contents"]
        with tempfile.TemporaryDirectory(prefix="waymark-bench-import-") as tmp:
            log(f"SQLite, {n:,} services")
            results["runs"] += run_size(f"sqlite:///{tmp}/bench.db", "sqlite", n, records, args.profile)
            if not args.no_command:
                path = Path(tmp) / "feed.json"
                path.write_text(json.dumps(page))
                url = f"sqlite:///{tmp}/command.db"
                fresh_directory(url)
                run = {"database": "sqlite", "services": n, **command_import(url, path)}
                log(f"  command  {run['seconds']:6.2f} s ({run['progress_lines']} progress lines, load "
                    f"{run['load_average']}, peak RSS {run['peak_rss_mb']} MB): {run['summary']}")
                results["runs"].append(run)
        if args.no_postgres:
            continue
        url, drop = postgres_database(args.postgres_server)
        if url is None:
            log(f"PostgreSQL skipped: {drop}")
            results.setdefault("notes", []).append(drop)
            continue
        try:
            log(f"PostgreSQL, {n:,} services")
            results["runs"] += run_size(url, "postgresql", n, records, False)
        finally:
            drop()
    for run in results["runs"]:
        if run["services"] == 1000 and run["pass"] in ("first", "command"):
            run["within_target"] = run["seconds"] < TARGET_SECONDS
            if not run["within_target"]:
                log(f"NOTE: {run['database']} {run['pass']} import of 1,000 services took {run['seconds']} s, "
                    f"over the {TARGET_SECONDS:.0f} s target (load average {run['load_average']})")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    log(f"Results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
