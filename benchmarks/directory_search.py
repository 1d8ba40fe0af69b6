"""Benchmark: nearest-10 filtered directory search at scale, on SQLite and PostgreSQL.

Generates N fictional services spread across England around real postcode districts (from a
CSV such as ../shared/data/uk-outcodes.csv), then times `directory.search.search` (the query
the assistant and the ORUK API use: nearest 10 active services with a need and sometimes a
substance filter, details loaded) from random district centres. Reports p50/p95/p99 in
milliseconds and writes benchmarks/results/directory_search.json.

    python benchmarks/directory_search.py                        # 50,000 services
    python benchmarks/directory_search.py --sizes 1000,10000,50000
    python benchmarks/directory_search.py --no-postgres          # SQLite only
    python benchmarks/directory_search.py --no-postgres --profile  # and where the time goes

PostgreSQL is used when it answers at --postgres-server (a scratch database is created and
dropped); otherwise that part is skipped with a note. The generated data is sample data only.
It is bulk-inserted past the ORM, so the search table is rebuilt afterwards
(directory.search_index.rebuild). Timings are wall-clock: on a shared machine, run it quiet and
more than once (each run records the load average it saw).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from directory import search, search_index  # noqa: E402
from directory.db import create_schema, make_engine  # noqa: E402
from directory.models import (  # noqa: E402
    Attribute,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
    geo_cell_for,
)
from directory.seed import ensure_taxonomy  # noqa: E402
from directory.taxonomy import AUDIENCES, NEEDS, SUBSTANCES, term  # noqa: E402

DEFAULT_POSTCODES = ROOT.parent / "shared" / "data" / "uk-outcodes.csv"
RESULTS = ROOT / "benchmarks" / "results" / "directory_search.json"
QUERY_NEEDS = ["treatment", "needle-exchange", "naloxone", "family-support", "young-people", "mutual-aid"]
QUERY_SUBSTANCES = [None, None, "alcohol", "opioids", "crack", "cannabis"]


def log(text: str, end: str = "\n") -> None:
    print(text, end=end, flush=True)


def read_districts(path: Path) -> list[tuple[str, float, float]]:
    districts = []
    with path.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            country = (row.get("country_name") or row.get("country") or "England").strip()
            if country.lower() not in ("england", "eng"):
                continue
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except (KeyError, ValueError):
                continue
            if 49.8 < lat < 55.9 and -6.5 < lon < 1.9:
                districts.append((row.get("postcode") or row.get("outcode") or "?", lat, lon))
    if not districts:
        raise SystemExit(f"no English districts with coordinates in {path}")
    return districts


def generate(url: str, n: int, districts: list, seed: int = 42) -> None:
    """Write n services (with organisation, location, phone, hours and 4-8 terms each)."""
    rng = random.Random(seed)
    engine = make_engine(url)
    create_schema(engine)
    with Session(engine, future=True) as session:
        ensure_taxonomy(session)
        session.commit()
    needs, substances, audiences = list(NEEDS), list(SUBSTANCES), list(AUDIENCES)
    now = datetime.now(timezone.utc)
    batch = 5000
    with engine.begin() as conn:
        orgs = [{"id": f"bench-org-{i}", "name": f"Benchmark Organisation {i}"} for i in range(max(1, n // 50))]
        conn.execute(insert(Organization), orgs)
        for start in range(0, n, batch):
            services, locations, sals, phones, schedules, attributes = [], [], [], [], [], []
            for i in range(start, min(n, start + batch)):
                sid = f"bench-{i}"
                _, lat, lon = rng.choice(districts)
                lat += rng.uniform(-0.03, 0.03)
                lon += rng.uniform(-0.045, 0.045)
                org = orgs[i % len(orgs)]["id"]
                services.append({"id": sid, "organization_id": org, "name": f"Benchmark service {i}",
                                 "description": "Fictional service for the search benchmark.",
                                 "status": "active" if rng.random() > 0.05 else "defunct",
                                 "last_modified": now})
                locations.append({"id": f"{sid}-loc", "organization_id": org, "location_type": "physical",
                                  "name": f"Benchmark site {i}", "latitude": lat, "longitude": lon,
                                  "geo_cell": geo_cell_for(lat, lon)})  # core inserts skip ORM events
                sals.append({"id": f"{sid}-sal", "service_id": sid, "location_id": f"{sid}-loc"})
                phones.append({"id": f"{sid}-phone", "service_id": sid, "number": f"0113 496 0{i % 1000:03d}",
                               "type": "voice"})
                schedules.append({"id": f"{sid}-hours", "service_id": sid, "freq": "WEEKLY",
                                  "byday": "MO,TU,WE,TH,FR", "opens_at": datetime(2000, 1, 1, 9).time(),
                                  "closes_at": datetime(2000, 1, 1, 17).time(), "timezone": "Europe/London"})
                codes = {f"need:{c}" for c in rng.sample(needs, rng.randint(1, 3))}
                codes |= {f"substance:{c}" for c in rng.sample(substances, rng.randint(1, 4))}
                codes.add(f"audience:{rng.choice(audiences)}")
                for code in codes:
                    attributes.append({"id": str(uuid.uuid4()), "link_id": sid, "link_entity": "service",
                                       "link_type": term(code).link_type, "taxonomy_term_id": term(code).id})
            for model, rows in ((Service, services), (Location, locations), (ServiceAtLocation, sals),
                                (Phone, phones), (Schedule, schedules), (Attribute, attributes)):
                conn.execute(insert(model), rows)
            log(f"\r  generated {min(n, start + batch):,}/{n:,} services", end="")
    log("")
    with engine.begin() as conn:  # the core inserts above bypass the ORM hook that keeps it in step
        log(f"  search table: {search_index.rebuild(conn):,} rows")
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def run_queries(url: str, districts: list, count: int, seed: int = 7, profile: bool = False) -> dict:
    rng = random.Random(seed)
    engine = make_engine(url)
    timings, cpu_times, found = [], [], []
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    now = datetime(2026, 11, 24, 11, 0, tzinfo=timezone.utc)
    with Session(engine, future=True) as session:
        for i in range(count + 20):
            _, lat, lon = rng.choice(districts)
            query = search.SearchQuery(lat, lon, need=rng.choice(QUERY_NEEDS),
                                       substance=rng.choice(QUERY_SUBSTANCES), limit=10)
            if profiler is not None and i >= 20:
                profiler.enable()
            started, cpu_started = time.perf_counter(), time.process_time()
            results = search.search(session, query, now=now)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu_started) * 1000
            if profiler is not None:
                profiler.disable()
            if i >= 20:  # the first few warm the caches
                timings.append(elapsed)
                cpu_times.append(cpu)
                found.append(len(results))
            if (i + 1) % 100 == 0:
                log(f"\r  {i + 1}/{count + 20} queries", end="")
            session.expunge_all()
    log("")
    engine.dispose()
    if profiler is not None:
        import pstats

        log("  where the time goes (cProfile, timed searches only; profiling slows them down):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    timings.sort()
    cpu_times.sort()
    return {
        "queries": count,
        # Other work on the machine stretches every timing: the 1-minute load average when the
        # searches finished (2 cores: anything above ~1 means this benchmark was waiting its turn).
        "load_average": round(os.getloadavg()[0], 2),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "p99_ms": round(timings[int(0.99 * (len(timings) - 1))], 2),
        # CPU time of this process per search: what the search itself computed, without the
        # time spent waiting for a core on a busy machine (PostgreSQL's own work is not in it).
        "cpu_p50_ms": round(statistics.median(cpu_times), 2),
        "cpu_p95_ms": round(cpu_times[int(0.95 * (len(cpu_times) - 1))], 2),
        "mean_results": round(statistics.mean(found), 1),
    }


def postgres_database(server: str):
    """Create a scratch database; returns (url, drop) or (None, reason)."""
    try:
        import psycopg2

        admin = psycopg2.connect(f"{server}/postgres", connect_timeout=3)
    except Exception as e:  # noqa: BLE001 - any failure means "not here"
        return None, f"PostgreSQL not answering at {server}: {e}".strip()
    admin.autocommit = True
    name = f"waymark_bench_{uuid.uuid4().hex[:8]}"
    admin.cursor().execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    return f"{server}/{name}", drop


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50000", help="comma-separated numbers of services (default 50000)")
    parser.add_argument("--postcodes", type=Path, default=DEFAULT_POSTCODES,
                        help=f"CSV of postcode districts with latitude/longitude (default {DEFAULT_POSTCODES})")
    parser.add_argument("--queries", type=int, default=500, help="timed searches per size and database (default 500)")
    parser.add_argument("--postgres-server", default="postgresql://postgres@127.0.0.1:5432",
                        help="PostgreSQL server to create a scratch database on")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--profile", action="store_true",
                        help="print a cProfile summary of the searches on SQLite at the largest size")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"results file (default {RESULTS})")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    districts = read_districts(args.postcodes)
    log(f"{len(districts)} English postcode districts from {args.postcodes}")
    results = {"benchmark": "nearest-10 filtered search (directory.search.search)",
               "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
               "target": "p95 < 10 ms on SQLite at 50,000 services", "runs": []}
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="waymark-bench-") as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            log(f"SQLite, {n:,} services: generating")
            started = time.perf_counter()
            generate(url, n, districts)
            log(f"  generated in {time.perf_counter() - started:.1f} s; searching")
            profile = args.profile and n == max(sizes)
            run = {"database": "sqlite", "services": n, **run_queries(url, districts, args.queries, profile=profile)}
            log(f"  p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, p99 {run['p99_ms']} ms; CPU p50 "
                f"{run['cpu_p50_ms']} ms, p95 {run['cpu_p95_ms']} ms (load average {run['load_average']})")
            results["runs"].append(run)
        if args.no_postgres:
            continue
        url, drop = postgres_database(args.postgres_server)
        if url is None:
            log(f"PostgreSQL skipped: {drop}")
            results.setdefault("notes", []).append(drop)
            continue
        try:
            log(f"PostgreSQL, {n:,} services: generating")
            started = time.perf_counter()
            generate(url, n, districts)
            log(f"  generated in {time.perf_counter() - started:.1f} s; searching")
            run = {"database": "postgresql", "services": n, **run_queries(url, districts, args.queries)}
            log(f"  p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, p99 {run['p99_ms']} ms; CPU p50 "
                f"{run['cpu_p50_ms']} ms, p95 {run['cpu_p95_ms']} ms (load average {run['load_average']})")
            results["runs"].append(run)
        finally:
            drop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    log(f"Results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
