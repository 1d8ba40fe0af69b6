"""Where a turn's time goes: CPU and wall time per stage, on the realistic profile.

Loads the trained model in this process as the app does, seeds the demo directory into a
scratch SQLite file, and sends conversations from `benchmarks/profiles.py` through the web chat
endpoint of the FastAPI app (TestClient), one turn at a time, so each stage's time is its own.
Every stage is timed where it runs, by wrapping the function that does it (only in this
process; nothing in the product changes):

  web layer             the request through FastAPI, minus the assistant's turn
  triage                crisis patterns and classifier (`waymark.inbound.read_message`)
  lock                  taking and releasing the conversation's lock
  conversation read     loading the conversation (the tracker store's `retrieve`)
  conversation save     saving it (`save`)
  NLU: featurizers      tokenizer, spaCy, featurizers and the gazetteer, each graph node timed
  NLU: classifier       DIET (intent and entities) and the entity filters after it
  policies              the dialogue policies (rules, memoization, TED) and the choice between them
  actions               the custom actions, in process, and inside them:
    directory search    `directory.search.search` and the national lines
    opening hours       the `directory.hours` functions (open now, next opening, weekly summary)
  insights              the demand recorder's background writes (its own thread)

CPU is `time.process_time` (every thread of this process; TensorFlow's own threads
included), taken around each stage while nothing else runs in the process, so it is the
stage's own work on a shared machine, where wall time waits for other programs. Nested
stages are included in their parents (actions includes directory search). The rest of the
turn (Rasa's dialogue loop, events, Waymark's own steps) is reported as "other".

    .venv/bin/python benchmarks/turn_stages.py --help
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
from heldout_eval import prepare_environment, quiet_logging, seed_directory  # noqa: E402
from profiles import PROFILES, ProfileMix  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
WEBHOOK = "/webhooks/rest/webhook"
FEATURIZERS = ("Tokenizer", "Featurizer", "SpacyNLP", "Gazetteer", "Spacy")


class Stages:
    """CPU and wall seconds per stage, summed over the run; the `depth` guard keeps a stage that
    calls itself (a retried save) from counting twice."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._depth: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def timing(self, stage: str, clock: Callable[[], float] = time.process_time):
        outermost = self._depth[stage] == 0
        self._depth[stage] += 1
        cpu, wall = clock(), time.perf_counter()
        try:
            yield
        finally:
            self._depth[stage] -= 1
            if outermost:
                with self._lock:
                    self.cpu[stage] += clock() - cpu
                    self.wall[stage] += time.perf_counter() - wall
                    self.calls[stage] += 1

    def wrap(self, stage: str | Callable[..., str], function: Callable, clock=time.process_time) -> Callable:
        name = stage if callable(stage) else (lambda *a, **k: stage)
        if asyncio.iscoroutinefunction(function):
            @functools.wraps(function)
            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                with self.timing(name(*args, **kwargs), clock):
                    return await function(*args, **kwargs)
            return timed_async

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.timing(name(*args, **kwargs), clock):
                return function(*args, **kwargs)
        return timed


def replace_everywhere(function: Callable, replacement: Callable) -> int:
    """Put `replacement` wherever a loaded module holds `function` by name (modules that did
    `from x import function` hold their own reference). Returns how many places."""
    replaced = 0
    for module in list(sys.modules.values()):
        for attribute, value in list(getattr(module, "__dict__", {}).items()):
            if value is function:
                setattr(module, attribute, replacement)
                replaced += 1
    return replaced


def node_stage(node: Any, *args: Any, **kwargs: Any) -> str:
    component = type(getattr(node, "_component", None) or node).__name__
    name = getattr(node, "_node_name", "") + " " + component
    if "Policy" in name or "select_prediction" in name or "PolicyPredictionEnsemble" in name:
        return "policies"
    if any(word in name for word in FEATURIZERS):
        return "NLU: featurizers"
    if "DIET" in name or "Extractor" in name or "Filter" in name or "Classifier" in name:
        return "NLU: classifier"
    return "graph: other nodes"


def instrument(stages: Stages, assistant: Any) -> None:
    """Wrap each stage's function. Imported here, after the model load, so every module is in."""
    from rasa.engine.graph import GraphNode

    import directory.hours as hours
    import directory.search as search
    import insights.recording as recording
    import waymark.inbound as inbound
    from waymark.assistant import InProcessActionEndpoint

    replace_everywhere(inbound.read_message, stages.wrap("triage", inbound.read_message))
    for name in ("search", "national_services", "nearest_locations"):
        function = getattr(search, name)
        replace_everywhere(function, stages.wrap("  directory search", function))
    for name in ("is_open", "next_opening", "openings_on", "weekly_summary", "describe_time"):
        function = getattr(hours, name)
        replace_everywhere(function, stages.wrap("  opening hours", function))
    # The writer runs on its own thread: its own CPU clock.
    recording._write = stages.wrap("insights", recording._write, clock=time.thread_time)
    GraphNode.__call__ = stages.wrap(node_stage, GraphNode.__call__)
    InProcessActionEndpoint.request = stages.wrap("actions", InProcessActionEndpoint.request)

    store = assistant.agent.tracker_store
    inner = getattr(store, "_tracker_store", store)  # Rasa's fail-safe wrapper, when present
    for owner in {id(store): store, id(inner): inner}.values():
        owner.retrieve = stages.wrap("conversation read", owner.retrieve)
        owner.save = stages.wrap("conversation save", owner.save)

    lock_store = assistant.agent.lock_store
    original_lock = lock_store.lock

    @contextlib.asynccontextmanager
    async def timed_lock(*args: Any, **kwargs: Any):
        manager = original_lock(*args, **kwargs)
        with stages.timing("lock"):
            value = await manager.__aenter__()
        try:
            yield value
        finally:
            with stages.timing("lock"):
                await manager.__aexit__(None, None, None)

    lock_store.lock = timed_lock
    assistant.handle = stages.wrap("assistant turn", assistant.handle)


ORDER = ["web layer", "triage", "lock", "conversation read", "NLU: featurizers", "NLU: classifier", "policies",
         "actions", "  directory search", "  opening hours", "conversation save", "graph: other nodes", "other",
         "insights"]


def breakdown(stages: Stages, turns: int, request_cpu: float, request_wall: float) -> list[dict]:
    """Per-turn milliseconds for each stage; "other" is the assistant's turn less its parts."""
    per = lambda seconds: round(1000 * seconds / max(turns, 1), 2)  # noqa: E731
    cpu, wall = dict(stages.cpu), dict(stages.wall)
    # The stages inside the assistant's turn (triage runs in the channel, before it).
    inside = ["lock", "conversation read", "NLU: featurizers", "NLU: classifier", "policies", "actions",
              "conversation save", "graph: other nodes"]
    turn_cpu, turn_wall = cpu.pop("assistant turn", 0.0), wall.pop("assistant turn", 0.0)
    cpu["other"] = max(turn_cpu - sum(cpu.get(p, 0.0) for p in inside), 0.0)
    wall["other"] = max(turn_wall - sum(wall.get(p, 0.0) for p in inside), 0.0)
    cpu["web layer"] = max(request_cpu - turn_cpu - cpu.get("triage", 0.0), 0.0)
    wall["web layer"] = max(request_wall - turn_wall - wall.get("triage", 0.0), 0.0)
    return [{"stage": s, "cpu_ms": per(cpu.get(s, 0.0)), "wall_ms": per(wall.get(s, 0.0))} for s in ORDER]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="realistic")
    parser.add_argument("--conversations", type=int, default=60, help="conversations to play (default 60)")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "waymark.tar.gz")
    parser.add_argument("--out", type=Path, default=RESULTS / "turn_stages.json")
    args = parser.parse_args(argv)
    if not args.model.exists():
        print(f"No trained model at {args.model}: run `make model` first.", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="waymark-stages-"))
    try:
        return measure(args, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def measure(args: argparse.Namespace, scratch: Path) -> int:
    prepare_environment(args.model, scratch)
    errors = quiet_logging("ERROR")
    from fastapi.testclient import TestClient

    from waymark.app import create_app
    from waymark.assistant import Assistant
    from waymark.settings import get_settings

    settings = get_settings()
    seed_directory(settings.database_url)
    print("loading the model (about 10-20 s)...", flush=True)
    assistant = Assistant.load(settings)
    stages = Stages()
    rng, mix = random.Random(f"stages-{args.profile}"), ProfileMix()
    journeys = [PROFILES[args.profile](rng) for _ in range(args.conversations + 5)]
    request_cpu = request_wall = 0.0
    turns = 0
    latencies: list[float] = []
    with TestClient(create_app(settings, assistant)) as client:
        for number, journey in enumerate(journeys):
            warming = number < 5  # the first conversations trace TensorFlow's graphs: not counted
            if number == 5:
                instrument(stages, assistant)
            sender = f"stages-{uuid.uuid4().hex}"
            for turn in journey:
                cpu, wall = time.process_time(), time.perf_counter()
                response = client.post(WEBHOOK, json={"sender": sender, "message": turn.text})
                if response.status_code != 200 or not response.json():
                    print(f"  a turn got {response.status_code} and no reply", flush=True)
                if warming:
                    continue
                request_cpu += time.process_time() - cpu
                request_wall += time.perf_counter() - wall
                latencies.append(1000 * (time.perf_counter() - wall))
                mix.count(turn)
                turns += 1
            if not warming and (number - 4) % 10 == 0:
                print(f"  {number - 4}/{args.conversations} conversations, {turns} turns", flush=True)
        from insights import recording
        recording.flush()
    rows = breakdown(stages, turns, request_cpu, request_wall)
    total_cpu = round(1000 * request_cpu / max(turns, 1), 2)
    print(f"\n{args.profile}: {turns} turns; {mix.summary()}; per turn: CPU {total_cpu} ms, "
          f"wall p50 {statistics.median(latencies):.1f} ms; load average {os.getloadavg()[0]:.1f}")
    print(f"{'stage':24} {'CPU ms':>8} {'wall ms':>8}")
    for row in rows:
        print(f"{row['stage']:24} {row['cpu_ms']:8.2f} {row['wall_ms']:8.2f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "measured_at": time.strftime("%Y-%m-%d %H:%M"), "profile": args.profile, "turns": turns,
        "mix": mix.summary(), "cpu_ms_per_turn": total_cpu, "load_average": round(os.getloadavg()[0], 1),
        "errors_logged": errors.count, "stages": rows}, indent=2) + "\n")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
