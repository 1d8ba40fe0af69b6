"""The held-out evaluation (issue 19): `make eval-heldout`, and part of `make eval`.

Loads the trained model in-process as the app does (`waymark.assistant.Assistant.load`),
seeds the demo directory (national lines + sample area) into a SQLite file in a temporary
folder, and then:

(a) understands every held-out message (tests/heldout/messages.yml) as the app does (the
    channel's reading of the text, then Rasa's NLU), and reports intent accuracy (a message
    that falls under the fallback threshold counts as a miss; the accuracy of the top intent
    without the threshold is given beside it), entity precision, recall and F1 for each entity,
    what the dialogue sets from a first message (the persona and age by
    `actions.context.context_events`, the need by the domain's slot mappings), and crisis
    detection (patterns or the model's `crisis` intent at the app's confidence) on the crisis
    messages, with false alarms on the others;
(b) plays every held-out journey (tests/heldout/journeys.yml) through the web chat endpoint of
    the FastAPI app (TestClient, in this process), with the product's clock stopped at the
    journeys' `at`, and reports the end-to-end pass rate for each kind of journey, turns with
    no reply, and per-turn latency. A journey with `channel: sms` is texted instead: each turn
    is a signed webhook to POST /twilio/sms of a second app whose Twilio REST calls go to a
    local stub of Twilio (tests/twilio_stub.py), and the reply is what the stub was sent for
    that number (the texts as the person's phone shows them, numbered choices included).

It prints only aggregate figures and the ids of failing items, never a held-out text or a
reply (the set stays held out only while nobody reads it), shows progress, writes
docs/eval/heldout.json (every figure) and docs/eval/heldout.md (the tables), and exits 0
whatever the scores.

    .venv/bin/python benchmarks/heldout_eval.py --help
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "heldout"
DEFAULT_OUT = ROOT / "docs" / "eval"
WEBHOOK = "/webhooks/rest/webhook"
FALLBACK_INTENT = "nlu_fallback"
ENTITY_ORDER = ("need", "persona", "place", "substance", "age", "choice", "got_help")
TARGETS = {"journeys": 0.95, "intent_accuracy": 0.90, "entity_f1": 0.90}  # issue 19
TARGET_ENTITIES = ("need", "persona", "place")


def say(text: str) -> None:
    print(f"[heldout {time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- matching -------------------------------------------------------------------------------

def squash(text: Any) -> str:
    """Casefold, apostrophes and dashes made plain, runs of spaces collapsed."""
    text = str(text).casefold()
    for fancy, plain in (("\u2019", "'"), ("\u2018", "'"), ("\u2013", "-"), ("\u2014", "-"), ("\u00a0", " ")):
        text = text.replace(fancy, plain)
    return " ".join(text.split())


def words(text: Any) -> list[str]:
    return re.sub(r"[^\w]+", " ", squash(text).replace("'", "")).split()


def appears(needle: str, haystack: str) -> bool:
    """Case-insensitive; a needle of digits and spaces (a phone number) also matches without spaces."""
    n, h = squash(needle), squash(haystack)
    if n in h:
        return True
    if re.fullmatch(r"[\d ]+", n):
        return n.replace(" ", "") in re.sub(r"(?<=\d) (?=\d)", "", h)
    return False


def _contains_run(longer: list[str], shorter: list[str]) -> bool:
    size = len(shorter)
    return size > 0 and any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


def same_value(entity: str, gold: Any, predicted: Any) -> bool:
    if entity == "age":
        try:
            return int(float(gold)) == int(float(predicted))
        except (TypeError, ValueError):
            return False
    if entity == "place":  # as written: "leeds LS11" is found by "LS11" or by "leeds LS11"
        g, p = words(gold), words(predicted)
        return g == p or _contains_run(g, p) or _contains_run(p, g)
    return squash(gold) == squash(predicted)


def match_counts(entity: str, gold: list, predicted: list) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives), each value used once."""
    left = list(predicted)
    tp = 0
    for g in gold:
        hit = next((p for p in left if same_value(entity, g, p)), None)
        if hit is not None:
            left.remove(hit)
            tp += 1
    return tp, len(left), len(gold) - tp


def prf(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else (1.0 if not fn else 0.0)
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def unique(values: Iterable[Any], entity: str) -> list:
    found: list = []
    for v in values:
        if not any(same_value(entity, v, f) and same_value(entity, f, v) for f in found):
            found.append(v)
    return found


# --- loading --------------------------------------------------------------------------------

def load_heldout(messages_path: Path, journeys_path: Path) -> tuple[dict, dict]:
    return (yaml.safe_load(messages_path.read_text(encoding="utf-8")),
            yaml.safe_load(journeys_path.read_text(encoding="utf-8")))


def prepare_environment(model: Path, tmp: Path) -> None:
    """Before anything reads settings: a directory of our own, conversations in memory."""
    os.environ["WAYMARK_MODEL"] = str(model)
    os.environ["WAYMARK_DATABASE_URL"] = f"sqlite:///{tmp / 'directory.db'}"
    os.environ["WAYMARK_TRACKER_STORE_URL"] = "memory"
    os.environ["WAYMARK_LOCK_STORE_URL"] = "memory"
    os.environ["WAYMARK_RATE_LIMIT_PER_IP"] = "1000000"
    os.environ["WAYMARK_RATE_LIMIT_PER_CONVERSATION"] = "1000000"
    os.environ.setdefault("WAYMARK_SECRET_KEY", uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class CountingHandler(logging.Handler):
    """Counts the errors logged while measuring, without printing them (they may quote a message)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def quiet_logging(level: str) -> CountingHandler:
    os.environ["WAYMARK_LOG_LEVEL"] = level
    from waymark.logs import configure_logging

    configure_logging(level)
    shown = logging.getLevelName(level.upper()) if isinstance(logging.getLevelName(level.upper()), int) else logging.CRITICAL
    root = logging.getLogger()
    for handler in root.handlers:  # what is printed: only `level` and above
        handler.setLevel(shown)
    root.setLevel(min(shown, logging.ERROR))  # errors are still made, to be counted
    for noisy in ("rasa", "tensorflow", "absl", "matplotlib", "apscheduler", "sqlalchemy", "asyncio"):
        logging.getLogger(noisy).setLevel(min(shown, logging.ERROR))
    counter = CountingHandler()
    root.addHandler(counter)
    return counter


def seed_directory(database_url: str) -> None:
    from directory import seed
    from directory.db import create_schema, engine_for, session_scope

    create_schema(engine_for(database_url))
    with session_scope(database_url) as session:
        seed.seed_national(session)
        seed.seed_sample(session)


# --- (a) single messages --------------------------------------------------------------------

def understood_context(parse: dict) -> tuple[Optional[str], Optional[int]]:
    """Persona and age as the assistant sets them from a first message (actions/context.py)."""
    from rasa_sdk import Tracker

    from actions.context import context_events

    tracker = Tracker("heldout-eval", {"persona": None, "age": None}, parse, [], False, None, {}, None)
    persona = age = None
    for event in context_events(tracker):
        if event.get("name") == "persona":
            persona = event.get("value")
        elif event.get("name") == "age" and event.get("value") is not None:
            age = int(event["value"])
    return persona, age


def need_mappings() -> list[dict]:
    """The `need` slot's mappings, in the domain's order."""
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        slots = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("slots") or {}
        if "need" in slots:
            return slots["need"].get("mappings") or []
    return []


def need_from_mappings(parse: dict, mappings: list[dict]) -> Optional[str]:
    """The need the dialogue would set from this message: the first applicable mapping wins
    (Rasa 3.6's ActionExtractSlots); a from_entity mapping takes the last `need` entity."""
    intent = (parse.get("intent") or {}).get("name")
    values = [e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "need"]
    for mapping in mappings:
        wanted, unwanted = as_list(mapping.get("intent")), as_list(mapping.get("not_intent"))
        if mapping.get("type") == "from_intent":
            if intent in wanted or (not wanted and intent not in unwanted):
                return mapping.get("value")
        elif mapping.get("type") == "from_entity" and mapping.get("entity") == "need" and values:
            if (not wanted or intent in wanted) and intent not in unwanted:
                return values[-1]
    return None


async def parse_all(assistant, items: list[dict]) -> list[dict]:
    from rasa.core.channels.channel import UserMessage

    from waymark.inbound import read_message

    processor = assistant.agent.processor
    results = []
    started = time.monotonic()
    for number, item in enumerate(items, start=1):
        inbound = read_message(item["text"])
        t0 = time.perf_counter()
        parse = await processor.parse_message(UserMessage(inbound.text, sender_id="heldout-eval"))
        results.append({"parse": parse, "crisis_pattern": inbound.match is not None,
                        "ms": (time.perf_counter() - t0) * 1000})
        if number % 100 == 0 or number == len(items):
            say(f"messages: {number}/{len(items)} understood ({time.monotonic() - started:.0f} s)")
    return results


def score_messages(items: list[dict], results: list[dict], aliases: dict, crisis_threshold: float) -> dict:
    def gold_intent(item: dict) -> str:
        return aliases.get(item["intent"], item["intent"])

    correct = correct_top = 0
    per_intent: dict[str, Counter] = defaultdict(Counter)
    predicted_as: Counter = Counter()
    by_who: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    intent_failures: list[str] = []
    fallback_ids: list[str] = []
    entity_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    entity_failures: dict[str, list[str]] = defaultdict(list)
    understood_counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    understood_failures: dict[str, list[str]] = defaultdict(list)
    crisis_caught = crisis_total = false_alarms = others = 0
    crisis_missed: list[str] = []
    crisis_false: list[str] = []
    mappings = need_mappings()

    for item, result in zip(items, results):
        parse, gold = result["parse"], gold_intent(item)
        intent = (parse.get("intent") or {}).get("name")
        ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]
        top = ranking[0]["name"] if ranking else intent
        ok = intent == gold
        correct += ok
        correct_top += top == gold
        per_intent[gold]["support"] += 1
        per_intent[gold]["correct"] += ok
        predicted_as[intent] += 1
        if not ok:
            per_intent[gold][f"as:{intent}"] += 1
            intent_failures.append(item["id"])
            if intent == FALLBACK_INTENT:
                fallback_ids.append(item["id"])
        for bucket, key in ((by_who, item["who"]), *((by_tag, t) for t in item.get("tags") or [])):
            bucket[key][0] += ok
            bucket[key][1] += 1

        labels = item.get("entities") or {}
        found: dict[str, list] = defaultdict(list)
        for entity in parse.get("entities") or []:
            found[entity.get("entity")].extend(as_list(entity.get("value")))
        for name in set(labels) | set(found):
            gold_values = unique(as_list(labels.get(name)), name)
            predicted = unique(found.get(name, []), name)
            if name == "persona":  # as the assistant reads the entity (actions.context.clean_persona)
                from actions.context import clean_persona

                predicted = unique([clean_persona(v) or v for v in predicted], name)
            tp, fp, fn = match_counts(name, gold_values, predicted)
            row = entity_counts[name]
            row[0] += tp
            row[1] += fp
            row[2] += fn
            if fp or fn:
                entity_failures[name].append(item["id"])

        persona, age = understood_context(parse)
        need = need_from_mappings(parse, mappings)
        for name, value in (("need", need), ("persona", persona), ("age", age)):
            gold_values = as_list(labels.get(name))
            if name == "need":  # one slot: right if it is one of the needs labelled
                hit = value is not None and value in gold_values
                tp, fp, fn = int(hit), int(value is not None and not hit), int(bool(gold_values) and not hit)
            else:
                tp, fp, fn = match_counts(name, gold_values, as_list(value))
            row = understood_counts[name]
            row[0] += tp
            row[1] += fp
            row[2] += fn
            if fp or fn:
                understood_failures[name].append(item["id"])

        confidence = float((parse.get("intent") or {}).get("confidence") or 0.0)
        flagged = result["crisis_pattern"] or (intent == "crisis" and confidence >= crisis_threshold)
        if gold == "crisis":
            crisis_total += 1
            crisis_caught += flagged
            if not flagged:
                crisis_missed.append(item["id"])
        else:
            others += 1
            false_alarms += flagged
            if flagged:
                crisis_false.append(item["id"])

    total = len(items)
    intents = {}
    for name, row in sorted(per_intent.items()):
        confused = Counter({k[3:]: v for k, v in row.items() if k.startswith("as:")})
        tp = row["correct"]
        fp = predicted_as[name] - tp
        fn = row["support"] - tp
        intents[name] = {"support": row["support"], "correct": tp, "accuracy": round(tp / row["support"], 4),
                         "f1": prf(tp, fp, fn)["f1"], "confused_with": dict(confused.most_common(3))}
    entities = {name: prf(*entity_counts[name]) for name in sorted(entity_counts, key=_entity_key)}
    micro = [sum(entity_counts[n][i] for n in entity_counts) for i in range(3)]
    return {
        "messages": total,
        "intent_accuracy": round(correct / total, 4),
        "intent_accuracy_without_fallback": round(correct_top / total, 4),
        "fallbacks": len(fallback_ids),
        "intents": intents,
        "predicted_intents": dict(predicted_as.most_common()),
        "by_who": {k: {"correct": v[0], "of": v[1], "accuracy": round(v[0] / v[1], 4)} for k, v in sorted(by_who.items())},
        "by_tag": {k: {"correct": v[0], "of": v[1], "accuracy": round(v[0] / v[1], 4)} for k, v in sorted(by_tag.items())},
        "entities": entities,
        "entities_micro": prf(*micro),
        "understood": {name: prf(*understood_counts[name]) for name in ("need", "persona", "age")},
        "crisis": {"crises": crisis_total, "caught": crisis_caught,
                   "recall": round(crisis_caught / crisis_total, 4) if crisis_total else None,
                   "other_messages": others, "false_alarms": false_alarms,
                   "false_alarm_rate": round(false_alarms / others, 4) if others else None,
                   "threshold": crisis_threshold},
        "parse_ms": _latency([r["ms"] for r in results]),
        "failing": {
            "intent": intent_failures,
            "fell_back": fallback_ids,
            "entities": {k: v for k, v in sorted(entity_failures.items(), key=lambda kv: _entity_key(kv[0]))},
            "understood": dict(understood_failures),
            "crisis_missed": crisis_missed,
            "crisis_false_alarms": crisis_false,
        },
    }


def _entity_key(name: Optional[str]) -> tuple:
    name = name or ""
    return (ENTITY_ORDER.index(name) if name in ENTITY_ORDER else len(ENTITY_ORDER), name)


def _latency(values: list[float]) -> dict:
    if not values:
        return {}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {"p50": at(0.5), "p95": at(0.95), "max": round(ordered[-1], 1), "mean": round(statistics.mean(values), 1)}


# --- (b) journeys ---------------------------------------------------------------------------

def reply_content(replies: list[dict]) -> str:
    """What the person sees: every reply's text and its buttons' titles."""
    parts = []
    for reply in replies:
        if reply.get("text"):
            parts.append(str(reply["text"]))
        for button in reply.get("buttons") or []:
            if button.get("title"):
                parts.append(str(button["title"]))
    return "\n".join(parts)


def check_turn(turn: dict, content: str, has_text: bool, previous: Optional[str], never: list[str],
               fail_open: str) -> list[str]:
    """The names of the checks this reply fails (empty: it passes)."""
    failed = []
    if not has_text:
        return ["replied"]
    if fail_open and squash(content).startswith(squash(fail_open)[:40]):
        failed.append("fail_open")
    if not turn.get("may_not_understand") and any(appears(n, content) for n in never):
        failed.append("never")
    for key in ("contains_any", "also_contains_any"):
        if turn.get(key) and not any(appears(n, content) for n in turn[key]):
            failed.append(key)
    if turn.get("contains_all") and not all(appears(n, content) for n in turn["contains_all"]):
        failed.append("contains_all")
    if turn.get("not_contains") and any(appears(n, content) for n in turn["not_contains"]):
        failed.append("not_contains")
    if turn.get("names_new") and not any(appears(n, content) and not (previous and appears(n, previous))
                                         for n in turn["names_new"]):
        failed.append("names_new")
    if turn.get("not_repeated") and previous is not None and squash(previous) == squash(content):
        failed.append("not_repeated")
    return failed


def journey_channel(journey: dict) -> str:
    return journey.get("channel") or "web"


def web_sender(client):
    """A turn through the web chat: (HTTP status, what the person sees, whether any text came)."""
    def send(conversation: str, text: str) -> tuple[int, str, bool]:
        response = client.post(WEBHOOK, json={"sender": conversation, "message": text})
        if response.status_code != 200:
            return response.status_code, "", False
        replies = response.json()
        return 200, reply_content(replies), any(str(r.get("text") or "").strip() for r in replies)

    return send


def sms_sender(client, stub, settle_seconds: float = 60.0):
    """A turn by text: a webhook signed as Twilio signs it, then wait until the turn has run and
    the outbox holds nothing unsent for this number; the reply is every text the stub received
    for the number since (plus any TwiML answered at once, e.g. a refusal)."""
    import xml.etree.ElementTree as ElementTree

    from sqlalchemy import func, select
    from twilio_stub import signed_post, sms_params

    from channels.models import OutboxMessage

    channels = client.app.state.twilio

    def settled(number: str) -> bool:
        person = channels.identity.hash_number(number)
        busy = (select(func.count()).select_from(OutboxMessage)
                .where(OutboxMessage.person_hash == person, OutboxMessage.status.in_(["pending", "sending"])))
        with channels.session() as session:
            return not session.execute(busy).scalar()

    def send(number: str, text: str) -> tuple[int, str, bool]:
        before = len(stub.to(number))
        response = signed_post(client, "/twilio/sms", sms_params(number, text))
        if response.status_code != 200:
            return response.status_code, "", False
        try:
            at_once = [m.text or "" for m in ElementTree.fromstring(response.text).iter("Message")]
        except ElementTree.ParseError:
            at_once = []
        client.portal.call(channels.idle)
        deadline = time.monotonic() + settle_seconds
        while not settled(number) and time.monotonic() < deadline:
            time.sleep(0.02)
        bodies = at_once + [m.body for m in stub.to(number)[before:]]
        return 200, "\n".join(bodies), any(b.strip() for b in bodies)

    return send


def sms_number(n: int) -> str:
    """The n-th text journey's own mobile number, from Ofcom's drama range (07700 900000-900999),
    starting at 900500 and never 900000 or 900001 (the stub's own number is 900001)."""
    return f"+447700900{2 + (498 + n) % 998:03d}"


def play_journeys(client, journeys_file: dict, fail_open: str, sms_send=None) -> dict:
    """`client` is the web chat app; `sms_send` (from `sms_sender`) plays `channel: sms` journeys."""
    import timekeeping

    never = journeys_file.get("never") or []
    at = datetime.fromisoformat(journeys_file["at"])
    journeys = journeys_file["journeys"]
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    failing: list[dict] = []
    check_failures: Counter = Counter()
    by_kind_checks: dict[str, Counter] = defaultdict(Counter)
    turns = turns_passed = silent = fail_open_turns = http_errors = 0
    latencies: list[float] = []
    sms_latencies: list[float] = []
    per_channel: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    senders = {"web": web_sender(client), "sms": sms_send}
    sms_numbers = 0
    started = time.monotonic()
    timekeeping.freeze(at)
    try:
        for number, journey in enumerate(journeys, start=1):
            timekeeping.freeze(at)  # every journey starts at the same moment
            channel = journey_channel(journey)
            send = senders.get(channel)
            if channel == "sms":
                sender = sms_number(sms_numbers)
                sms_numbers += 1
            else:
                sender = f"heldout-{uuid.uuid4().hex}"
            previous: Optional[str] = None
            failed_turns = []
            for index, turn in enumerate(journey["turns"], start=1):
                turns += 1
                if send is None:  # a channel this run cannot play counts as failed, never skipped
                    failed_turns.append({"turn": index, "failed": [f"no_{channel}_channel"]})
                    check_failures.update([f"no_{channel}_channel"])
                    by_kind_checks[journey["kind"]].update([f"no_{channel}_channel"])
                    continue
                t0 = time.perf_counter()
                status, content, has_text = send(sender, turn["user"])
                (sms_latencies if channel == "sms" else latencies).append((time.perf_counter() - t0) * 1000)
                if status != 200:
                    http_errors += 1
                    failed = [f"http_{status}"]
                else:
                    failed = check_turn(turn, content, has_text, previous, never, fail_open)
                if "replied" in failed:
                    silent += 1
                if "fail_open" in failed:
                    fail_open_turns += 1
                if failed:
                    failed_turns.append({"turn": index, "failed": failed})
                    check_failures.update(failed)
                    by_kind_checks[journey["kind"]].update(failed)
                else:
                    turns_passed += 1
                previous = content
                timekeeping.advance(timedelta_seconds(20))  # a person takes a moment to answer
            ok = not failed_turns
            per_kind[journey["kind"]][0] += ok
            per_kind[journey["kind"]][1] += 1
            per_channel[channel][0] += ok
            per_channel[channel][1] += 1
            if not ok:
                failing.append({"id": journey["id"], "kind": journey["kind"], "channel": channel, "turns": failed_turns})
            if number % 10 == 0 or number == len(journeys):
                passed = sum(v[0] for v in per_kind.values())
                say(f"journeys: {number}/{len(journeys)} played, {passed} passed ({time.monotonic() - started:.0f} s)")
    finally:
        timekeeping.reset()
    total = len(journeys)
    passed = sum(v[0] for v in per_kind.values())
    return {
        "journeys": total,
        "passed": passed,
        "pass_rate": round(passed / total, 4) if total else None,
        "turns": turns,
        "turns_passed": turns_passed,
        "turn_pass_rate": round(turns_passed / turns, 4) if turns else None,
        "turns_without_reply": silent,
        "fail_open_replies": fail_open_turns,
        "http_errors": http_errors,
        "by_kind": {k: {"passed": v[0], "of": v[1], "pass_rate": round(v[0] / v[1], 4)}
                    for k, v in sorted(per_kind.items())},
        "failed_checks": dict(check_failures.most_common()),
        "failed_checks_by_kind": {k: dict(v.most_common()) for k, v in sorted(by_kind_checks.items())},
        "by_channel": {k: {"passed": v[0], "of": v[1], "pass_rate": round(v[0] / v[1], 4)}
                       for k, v in sorted(per_channel.items())},
        "turn_ms": _latency(latencies),
        "sms_turn_ms": _latency(sms_latencies),
        "at": journeys_file["at"],
        "failing": failing,
    }


class TextingApp:
    """A second app on the same loaded model with SMS switched on, its Twilio REST calls sent to
    a local stub of Twilio (a real HTTP server on 127.0.0.1), polling its outbox often. The web
    chat app stays exactly as configured, so web journeys measure what they always did."""

    def __init__(self, settings, assistant) -> None:
        self.settings, self.assistant = settings, assistant

    def __enter__(self):
        sys.path.insert(0, str(ROOT / "tests"))  # twilio_stub: the stand-in the SMS tests use too
        from fastapi.testclient import TestClient
        from twilio_stub import TwilioStub, twilio_settings

        from waymark.app import create_app

        self.stub = TwilioStub().__enter__()
        self.client = TestClient(create_app(twilio_settings(self.settings, self.stub.url), self.assistant))
        self.client.__enter__()
        channels = self.client.app.state.twilio
        channels.poll_seconds = 0.05
        channels.outbox.base_delay = 0.2
        return self.client, self.stub

    def __exit__(self, *exc) -> None:
        try:
            self.client.__exit__(None, None, None)
        finally:
            self.stub.__exit__(None, None, None)


def timedelta_seconds(seconds: float):
    from datetime import timedelta

    return timedelta(seconds=seconds)


# --- reporting ------------------------------------------------------------------------------

def _pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.1%}"


def print_summary(summary: dict) -> None:
    m, j = summary.get("messages"), summary.get("journeys")
    print()
    if m:
        print(f"Single messages: {m['messages']}")
        print(f"  intent accuracy            {_pct(m['intent_accuracy'])}  (top intent without the fallback "
              f"threshold: {_pct(m['intent_accuracy_without_fallback'])}; fell back: {m['fallbacks']})")
        for name, row in m["entities"].items():
            print(f"  entity {name:<12} F1 {row['f1']:.3f}  P {row['precision']:.3f}  R {row['recall']:.3f}  "
                  f"(labelled {row['support']}, extracted wrongly {row['fp']})")
        for name, row in m["understood"].items():
            print(f"  {name} as understood F1 {row['f1']:.3f}  P {row['precision']:.3f}  R {row['recall']:.3f}")
        c = m["crisis"]
        print(f"  crisis caught {c['caught']}/{c['crises']}, false alarms {c['false_alarms']}/{c['other_messages']}")
        print("  accuracy by intent (lowest first):")
        for name, row in sorted(m["intents"].items(), key=lambda kv: (kv[1]["accuracy"], kv[0])):
            confused = ", ".join(f"{k} {v}" for k, v in row["confused_with"].items())
            print(f"    {name:<22} {row['correct']:>3}/{row['support']:<3} {_pct(row['accuracy']):>6}"
                  + (f"   as: {confused}" if confused else ""))
        print("  accuracy by who: " + ", ".join(f"{k} {_pct(v['accuracy'])} ({v['of']})" for k, v in m["by_who"].items()))
        print("  accuracy by tag: " + ", ".join(f"{k} {_pct(v['accuracy'])} ({v['of']})" for k, v in m["by_tag"].items()))
        print("  failing ids (intent): " + (" ".join(m["failing"]["intent"]) or "none"))
        for name, ids in m["failing"]["entities"].items():
            print(f"  failing ids (entity {name}): " + " ".join(ids))
    if j:
        print(f"\nJourneys: {j['passed']}/{j['journeys']} passed end to end ({_pct(j['pass_rate'])}); turns "
              f"{j['turns_passed']}/{j['turns']} ({_pct(j['turn_pass_rate'])}); without a reply "
              f"{j['turns_without_reply']}; fail-open replies {j['fail_open_replies']}; per-turn p50 "
              f"{j['turn_ms'].get('p50')} ms, p95 {j['turn_ms'].get('p95')} ms")
        for kind, row in sorted(j["by_kind"].items(), key=lambda kv: (kv[1]["pass_rate"], kv[0])):
            print(f"    {kind:<22} {row['passed']:>3}/{row['of']:<3} {_pct(row['pass_rate']):>6}")
        print("  by channel: " + ", ".join(f"{k} {v['passed']}/{v['of']} ({_pct(v['pass_rate'])})"
                                         for k, v in j.get("by_channel", {}).items())
              + (f"; per SMS turn (webhook to last text sent) p50 {j['sms_turn_ms'].get('p50')} ms, "
                 f"p95 {j['sms_turn_ms'].get('p95')} ms" if j.get("sms_turn_ms") else ""))
        print("  failed checks: " + ", ".join(f"{k} {v}" for k, v in j["failed_checks"].items()))
        print("  failing ids: " + (" ".join(f"{f['id']}(" + ",".join(
            f"{t['turn']}:{'+'.join(t['failed'])}" for t in f["turns"]) + ")" for f in j["failing"]) or "none"))
    print()


def markdown(summary: dict) -> str:
    lines = ["# Held-out evaluation (issue 19)", "",
             f"Measured {summary['date']} with `make eval-heldout` (`{summary['command']}`), model "
             f"`{summary['model']['path']}` (sha256 {summary['model']['sha256']}), commit {summary['commit']}. "
             "The set and how it was written: tests/heldout/README.md. Only figures and ids are shown here.", ""]
    m, j = summary.get("messages"), summary.get("journeys")
    if m:
        lines += ["## Single messages", "", "| measure | value | target |", "|---|---|---|",
                  f"| messages | {m['messages']} | ≥ 800 |",
                  f"| intent accuracy (fallback counts as a miss) | {_pct(m['intent_accuracy'])} | ≥ 90% |",
                  f"| top intent, ignoring the fallback threshold | {_pct(m['intent_accuracy_without_fallback'])} | |",
                  f"| messages that fell back (`nlu_fallback`) | {m['fallbacks']} | |"]
        for name, row in m["entities"].items():
            target = "≥ 0.9" if name in TARGET_ENTITIES else ""
            lines.append(f"| entity F1, {name} (P {row['precision']:.2f}, R {row['recall']:.2f}, {row['support']} labelled) "
                         f"| {row['f1']:.3f} | {target} |")
        for name, row in m["understood"].items():
            how = "the need slot's mappings" if name == "need" else "actions/context.py"
            lines.append(f"| {name} as the dialogue sets it on a first message ({how}) | {row['f1']:.3f} | |")
        c = m["crisis"]
        lines += [f"| crisis messages caught (patterns or model) | {c['caught']}/{c['crises']} | all |",
                  f"| false crisis alarms on the other messages | {c['false_alarms']}/{c['other_messages']} | |",
                  f"| understanding time per message, p50 / p95 | {m['parse_ms'].get('p50')} / {m['parse_ms'].get('p95')} ms | |",
                  "", "| intent | messages | accuracy | F1 | most often taken for |", "|---|---|---|---|---|"]
        for name, row in sorted(m["intents"].items(), key=lambda kv: (kv[1]["accuracy"], kv[0])):
            confused = ", ".join(f"{k} ({v})" for k, v in row["confused_with"].items())
            lines.append(f"| {name} | {row['support']} | {_pct(row['accuracy'])} | {row['f1']:.2f} | {confused} |")
        lines += ["", "By who is writing: " + ", ".join(f"{k} {_pct(v['accuracy'])} of {v['of']}" for k, v in m["by_who"].items())
                  + ". By style: " + ", ".join(f"{k} {_pct(v['accuracy'])} of {v['of']}" for k, v in m["by_tag"].items()) + ".", ""]
    if j:
        lines += ["## Journeys through the web chat", "",
                  f"{j['journeys']} journeys, {j['turns']} turns, the product's clock stopped at {j['at']}.", "",
                  "| kind | passed | pass rate |", "|---|---|---|"]
        for kind, row in sorted(j["by_kind"].items()):
            lines.append(f"| {kind} | {row['passed']}/{row['of']} | {_pct(row['pass_rate'])} |")
        for channel, row in j.get("by_channel", {}).items():
            lines.append(f"| on {'SMS' if channel == 'sms' else 'web chat'} | {row['passed']}/{row['of']} | {_pct(row['pass_rate'])} |")
        lines += [f"| **all** (target ≥ 95%) | **{j['passed']}/{j['journeys']}** | **{_pct(j['pass_rate'])}** |", "",
                  f"Turns passing their checks: {j['turns_passed']}/{j['turns']} ({_pct(j['turn_pass_rate'])}). "
                  f"Turns without a reply: {j['turns_without_reply']} (target 0); \"something went wrong\" "
                  f"replies: {j['fail_open_replies']}. Per turn p50 {j['turn_ms'].get('p50')} ms, p95 "
                  f"{j['turn_ms'].get('p95')} ms.", "",
                  "Checks failed: " + (", ".join(f"{k} {v}" for k, v in j["failed_checks"].items()) or "none") + ".", ""]
    lines += ["Failing ids are in `heldout.json` (`failing`).", ""]
    return "\n".join(lines)


def model_info(model: Path) -> dict:
    digest = hashlib.sha256()
    with model.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {"path": os.path.relpath(model, ROOT) if model.is_relative_to(ROOT) else str(model),
            "sha256": digest.hexdigest()[:16],
            "modified": datetime.fromtimestamp(model.stat().st_mtime).isoformat(timespec="seconds")}


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, timeout=10).stdout.strip() or "unknown"
    except Exception:  # noqa: BLE001 - only for the record
        return "unknown"


# --- main -----------------------------------------------------------------------------------

def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="benchmarks/heldout_eval.py",
        description="Measure the trained assistant on the held-out set (tests/heldout/): intent accuracy and "
                    "entity F1 on single messages, and the end-to-end pass rate of journeys played through the "
                    "web chat. Prints figures and failing ids only (never a held-out text); writes "
                    "docs/eval/heldout.json and heldout.md; exits 0 whatever the scores.")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "waymark.tar.gz",
                        help="trained model (default models/waymark.tar.gz)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write heldout.json and heldout.md (default docs/eval)")
    parser.add_argument("--messages", type=Path, default=HELDOUT / "messages.yml", help=argparse.SUPPRESS)
    parser.add_argument("--journeys", type=Path, default=HELDOUT / "journeys.yml", help=argparse.SUPPRESS)
    parser.add_argument("--only", choices=("messages", "journeys"), help="measure only one half")
    parser.add_argument("--limit", type=int, default=0,
                        help="only the first N messages and N journeys (a quick check of the harness; figures are not comparable)")
    parser.add_argument("--log-level", default="CRITICAL",
                        help="the app's log level while measuring (default CRITICAL: logs can quote messages; "
                             "errors are counted either way)")
    args = parser.parse_args(argv)
    model = args.model.resolve()
    if not model.exists():
        parser.error(f"no trained model at {model}: run `make model` first")

    started = time.monotonic()
    os.chdir(ROOT)  # config.yml names the spaCy pipeline relative to the project folder
    sys.path.insert(0, str(ROOT))
    messages_file, journeys_file = load_heldout(args.messages, args.journeys)
    items = messages_file["messages"][: args.limit or None]
    journeys_file = {**journeys_file, "journeys": journeys_file["journeys"][: args.limit or None]}
    aliases = messages_file.get("intent_aliases") or {}

    tmp = Path(tempfile.mkdtemp(prefix="waymark-heldout-"))
    try:
        return measure(args, argv, model, tmp, items, journeys_file, aliases, started)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def measure(args: argparse.Namespace, argv: Optional[list[str]], model: Path, tmp: Path, items: list[dict],
            journeys_file: dict, aliases: dict, started: float) -> int:
    prepare_environment(model, tmp)
    errors = quiet_logging(args.log_level)
    from waymark.settings import get_settings

    settings = get_settings()
    say(f"seeding the demo directory in {tmp}")
    seed_directory(settings.database_url)
    say(f"loading {os.path.relpath(model, ROOT) if model.is_relative_to(ROOT) else model} "
        "(about 20-40 s on 2 cores)")
    from waymark.assistant import CRISIS_NLU_CONFIDENCE, Assistant, fail_open_text

    assistant = Assistant.load(settings)
    say(f"model loaded in {time.monotonic() - started:.0f} s")

    summary: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "command": " ".join(["benchmarks/heldout_eval.py", *(argv if argv is not None else sys.argv[1:])]),
        "model": model_info(model),
        "commit": git_commit(),
        "limited_to": args.limit or None,
    }
    if args.only != "journeys":
        results = asyncio.run(parse_all(assistant, items))
        summary["messages"] = score_messages(items, results, aliases, CRISIS_NLU_CONFIDENCE)
    if args.only != "messages":
        from fastapi.testclient import TestClient

        from waymark.app import create_app

        fail_open = fail_open_text(settings.database_url).split(" You can")[0]
        by_text = sum(journey_channel(j) == "sms" for j in journeys_file["journeys"])
        say(f"playing {len(journeys_file['journeys'])} journeys through the web chat"
            + (f" ({by_text} of them by text, through a local stub of Twilio)" if by_text else ""))
        with TestClient(create_app(settings, assistant)) as client:
            if not by_text:
                summary["journeys"] = play_journeys(client, journeys_file, fail_open)
            else:
                with TextingApp(settings, assistant) as (sms_client, stub):
                    summary["journeys"] = play_journeys(client, journeys_file, fail_open,
                                                        sms_send=sms_sender(sms_client, stub))
    summary["errors_logged"] = errors.count
    summary["seconds"] = round(time.monotonic() - started)

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "heldout.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (args.out / "heldout.md").write_text(markdown(summary), encoding="utf-8")
    print_summary(summary)
    say(f"wrote {args.out / 'heldout.json'} and heldout.md in {summary['seconds']} s; errors logged while "
        f"measuring: {errors.count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
