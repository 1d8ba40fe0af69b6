"""The assistant as one object: a trained Rasa model, its stores, and the custom actions.

Every channel hands a person's message to `Assistant.handle` and gets back the replies in
the shape of Rasa's REST channel: [{"recipient_id": ..., "text": ..., "buttons": [...]}].
"""
from __future__ import annotations

import asyncio
import logging
import re
import threading
from contextvars import ContextVar
from pathlib import Path

import yaml
from typing import Any, Optional
from urllib.parse import urlparse

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore, LockError, LockStore
from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore, TrackerStore
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection
from rasa_sdk.interfaces import ActionNotFoundException

from directory.db import session_scope
from directory.names import NameIndex, best_match
from directory.seed import SAMPLE_DATA, national_line
from handover.conversation import Desk
from handover.wording import FAILED_QUEUED
from safety import classifier as crisis_classifier
from safety.replies import crisis_reply
from safety.triage import CrisisMatch, CrisisType
from understanding import follow_ups, risky_moments, who_what_where, wider_topics
from actions import risk_words, wider_needs_words
from understanding.repeats import RepeatedMessages
from waymark.conversation_store import ConversationStore
from waymark.dialogue_states import remember_dialogue_states
from waymark.graph_runner import SequentialGraphRunner
from waymark.inbound import UNREADABLE, Inbound, read_message
from waymark.locks import AtomicRedisLockStore
from waymark.model_loading import networks_loaded_without_tracing_training
from waymark.settings import Settings
from waymark.turns import TurnGate, in_thread, stepping_aside

log = logging.getLogger(__name__)
ACTIONS_PACKAGE = "actions"
FAIL_OPEN_LINE = "national-frank"  # 24/7, any drug: the line to give when Waymark itself fails
NATIONAL_LINES_FILE = SAMPLE_DATA / "national.yml"
CRISIS_INTENT = "crisis"
# A message that arrives while the same conversation's previous one is still being answered
# waits its turn; Rasa checks again every second, which a person texting twice in a row would
# feel. Checking costs one Redis read.
LOCK_POLL_SECONDS = 0.05
OFFER_PERSON = {"title": "Talk to a person", "payload": "/ask_human"}
# The model's crisis intent is a second net. Measured on the near-miss corpus, it fires on
# figures of speech ("nearly died laughing") at lower confidence, so only a near-certain
# prediction counts; see tests/test_crisis_first.py for the whole-path false-alarm count
# (the deterministic patterns alone catch everything in the crisis corpus).
CRISIS_NLU_CONFIDENCE = 0.99
# The directory records whose numbers the crisis replies use (safety.replies keys them).
CRISIS_LINES = {
    "samaritans": "national-samaritans",
    "shout": "national-shout",
    "childline": "national-childline",
    "domestic_abuse": "national-domestic-abuse",
    "nhs111": "national-nhs111",
    "nspcc": "national-nspcc",
}


# A message that was nothing but slashes and spaces ("/"): the channels refuse it as empty first.
NO_WORDS = "I didn't get any words there. What do you need help with?"
# When the conversation locks (Redis, with several instances) do not answer, no turn can run
# safely; the person is asked to try again, with a person to ring meanwhile.
LOCKS_UNAVAILABLE = ("Sorry, I can't answer just now. Please try again in a few minutes. "
                     "To talk to a person now, ring {name} on {number}, any time. In an emergency, call 999.")


# How a person asks for a person in words, for when the turn failed before the model could
# say so.
ASKS_FOR_PERSON = re.compile(r"\b((talk|speak|chat)\s+(to|with)\s+(a |an )?(real )?(person|human|someone|somebody|"
                             r"advisor|adviser|worker)|real person|a human|human being)\b", re.IGNORECASE)
# The buttons that mean "I want a person" (leaving the queue, "/handover_consent{"choice":
# "cancel"}", does not).
PERSON_PAYLOADS = frozenset({"/ask_human"} | {f'/handover_consent{{"choice": "{choice}"}}'
                                              for choice in ("yes", "no", "edit", "callback", "wait")})


def _intent(message: UserMessage) -> Optional[str]:
    return ((message.parse_data or {}).get("intent") or {}).get("name")


def asks_for_person(message: UserMessage) -> bool:
    """Whether a message asked for a person: the button, the model's understanding of it if the
    turn got that far, or the words themselves."""
    text = message.text or ""
    return text in PERSON_PAYLOADS or _intent(message) == "ask_human" or bool(ASKS_FOR_PERSON.search(text))


def _last_action(tracker: Any) -> Optional[str]:
    """The last action the assistant ran before this message (not listening, not slot-filling)."""
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name not in (
                "action_listen", "action_extract_slots", None):
            return event.action_name
    return None


class StoreNotReachable(RuntimeError):
    """A configured store does not answer: say so at start-up instead of retrying for ever."""


def _check_sql(url: str) -> None:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url, future=True, hide_parameters=True, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text("SELECT 1"))
    except Exception as e:  # noqa: BLE001 - any failure is "not reachable"
        raise StoreNotReachable(f"Cannot reach the tracker store database {engine.url!r}: {e}") from e
    finally:
        engine.dispose()


_thread_loops = threading.local()


def run_on_this_threads_loop(coroutine: Any) -> Any:
    """Run a coroutine to the end on an event loop kept for the calling worker thread.

    Custom actions read and write the directory with blocking database calls. Run on the
    server's event loop, an action waiting for SQLite's write lock stopped every other
    conversation, and also the very work that would have released the lock (a request's
    commit is scheduled on that loop), so the wait ran out and the person got "database is
    locked". In a worker thread only this turn waits."""
    loop = getattr(_thread_loops, "loop", None)
    if loop is None:
        loop = _thread_loops.loop = asyncio.new_event_loop()
    return loop.run_until_complete(coroutine)


class InProcessActionEndpoint(EndpointConfig):
    """Runs the custom actions inside this process with rasa_sdk's own executor.

    Rasa 3.6 only knows how to call an action server over HTTP. The executor returns exactly
    what the action server's /webhook would, so handing the request to it directly gives the
    same behaviour without a second process or a network hop per action. Each action runs in
    a worker thread (`run_on_this_threads_loop`), so its database waits hold up nobody else.
    """

    def __init__(self) -> None:
        super().__init__(url="inprocess://actions")
        self.executor = ActionExecutor()
        self.executor.register_package(ACTIONS_PACKAGE)

    async def request(self, method: str = "post", subpath: Optional[str] = None,
                      content_type: Optional[str] = "application/json", compress: bool = False,
                      **kwargs: Any) -> Any:
        try:
            return await in_thread(run_on_this_threads_loop, self.executor.run(kwargs["json"]))
        except SdkRejection as e:  # a form slot was rejected: Rasa moves on to other policies
            raise ActionExecutionRejection(e.action_name, e.message) from e
        except ActionNotFoundException as e:
            raise RasaException(f"No custom action called '{e.action_name}' in '{ACTIONS_PACKAGE}'") from e

    def action_names(self) -> list[str]:
        return sorted(self.executor.actions)


class RemoteActionEndpoint(EndpointConfig):
    """A separate action server (WAYMARK_ACTION_SERVER_URL): while a turn waits for its
    answer, other turns use the event loop (waymark.turns)."""

    async def request(self, *args: Any, **kwargs: Any) -> Any:
        async with stepping_aside():
            return await super().request(*args, **kwargs)


def check_action_results_with_compiled_schema() -> None:
    """Make Rasa check what a custom action returns against its schema compiled once.

    Rasa 3.6 checks every action result with `jsonschema.validate`, which first checks the
    schema itself against the draft 2020-12 meta-schema: measured with py-spy under load, that
    was 62% of the server's CPU (benchmarks/conversations.py). The same schema compiled once
    by jsonschema_rs checks a result in microseconds; a result that fails goes on to Rasa's own
    check, which raises its ValidationError with its explanation.
    """
    if getattr(RemoteAction._validate_action_result, "waymark_compiled", False):
        return
    import jsonschema_rs

    schema = jsonschema_rs.validator_for(RemoteAction.action_response_format_spec())
    rasa_check = RemoteAction._validate_action_result

    def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        return True if schema.is_valid(result) else rasa_check(self, result)

    validate_action_result.waymark_compiled = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]


# The custom actions that failed during the turn being handled (Rasa logs a failed action and
# carries on, so a turn whose actions all failed would otherwise look like a quiet one).
_failed_actions: ContextVar[Optional[list]] = ContextVar("waymark_failed_actions", default=None)


def record_failed_actions_once() -> None:
    """Note every custom action that fails (action server down, an action raising), so the
    turn fails open with a helpline (and, when it matters, a queue entry) instead of being
    taken for a dialogue that had nothing to say, which gets a clarifying question."""
    if getattr(RemoteAction.run, "waymark_records_failures", False):
        return
    rasa_run = RemoteAction.run

    async def run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
        try:
            return await rasa_run(self, *args, **kwargs)
        except ActionExecutionRejection:  # a form's slot was refused: part of the dialogue
            raise
        except Exception:
            failures = _failed_actions.get()
            if failures is not None:
                failures.append(self.name())
            raise

    run.waymark_records_failures = True  # type: ignore[attr-defined]
    RemoteAction.run = run  # type: ignore[method-assign]


def look_up_event_types_once() -> None:
    """Make Rasa find an event's class by its name from a table instead of a search.

    Rasa 3.6 rebuilds the list of every Event subclass (and checks each for abstract methods)
    for every event it reads back from a conversation store: a few percent of a worker's time
    per turn, measured with py-spy. Names found are remembered; a name not found still goes
    to Rasa's search, which gives its default or raises its error.
    """
    if getattr(Event.resolve_by_type, "waymark_table", False):
        return
    rasa_search = Event.resolve_by_type
    found: dict[str, type] = {}

    def resolve_by_type(type_name: str, default: Optional[type] = None) -> Optional[type]:
        event_class = found.get(type_name)
        if event_class is None:
            event_class = rasa_search(type_name, default)
            if event_class is not None and event_class is not default:
                found[type_name] = event_class
        return event_class

    resolve_by_type.waymark_table = True  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[assignment]


def _apply_tensorflow_thread_settings() -> None:
    """TF_INTRA_OP_PARALLELISM_THREADS / TF_INTER_OP_PARALLELISM_THREADS, read as `rasa run`
    reads them (`waymark serve --workers N` sets both to 1: one core per worker)."""
    from rasa.utils.tensorflow.environment import setup_tf_environment

    try:
        setup_tf_environment()
    except RuntimeError:  # TensorFlow already started in this process (a second model load)
        log.info("TensorFlow is already running; its thread settings stay as they were")


def tracker_store_for(url: str) -> TrackerStore:
    """Conversation history: 'memory', a SQLite file, or a PostgreSQL database."""
    if url == "memory":
        return InMemoryTrackerStore(None)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return _with_pooled_sqlite(ConversationStore(None, dialect="sqlite", db=str(path)))
    parsed = urlparse(url)
    if parsed.scheme.startswith("postgres"):
        _check_sql(url)  # Rasa's SQL store would retry for ever on a dead database
        return ConversationStore(None, dialect="postgresql", host=parsed.hostname, port=parsed.port,
                                 db=parsed.path.lstrip("/"), username=parsed.username,
                                 password=parsed.password)
    raise ValueError(f"WAYMARK_TRACKER_STORE_URL must be 'memory', sqlite:/// or postgresql://, not {url!r}")


def _with_pooled_sqlite(store: SQLTrackerStore) -> SQLTrackerStore:
    """Rasa's SQLite tracker store opens the file for every read and write, in SQLite's
    rollback-journal mode (two syncs per commit). Give it the directory's pooled connections
    and settings instead (WAL: worker processes can share the file)."""
    from sqlalchemy.orm import sessionmaker

    from directory.db import make_engine

    pooled = make_engine(str(store.engine.url), future=False)
    store.engine.dispose()
    store.engine, store.sessionmaker = pooled, sessionmaker(bind=pooled)
    return store


def erase_conversation(store: TrackerStore, sender_id: str) -> None:
    """Delete everything a tracker store holds about one conversation."""
    if isinstance(store, InMemoryTrackerStore):
        store.store.pop(sender_id, None)
    elif isinstance(store, SQLTrackerStore):
        with store.session_scope() as session:
            session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == sender_id).delete()
            session.commit()
    else:
        raise NotImplementedError(f"Cannot erase conversations from {type(store).__name__}")


def lock_store_for(url: str) -> LockStore:
    """Per-conversation locks: in memory for one instance, Redis when several instances
    share the conversations (so one person's messages are never handled twice at once)."""
    if not url or url == "memory":
        return InMemoryLockStore()
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"WAYMARK_LOCK_STORE_URL must be 'memory' or redis://..., not {url!r}")
    store = AtomicRedisLockStore(host=parsed.hostname or "localhost", port=parsed.port or 6379,
                           db=int(parsed.path.lstrip("/") or 0), username=parsed.username,
                           password=parsed.password, use_ssl=parsed.scheme == "rediss",
                           key_prefix="waymark")
    try:
        store.red.ping()
    except Exception as e:  # noqa: BLE001
        raise StoreNotReachable(f"Cannot reach the Redis lock store at {url}: {e}") from e
    return store


def crisis_lines(database_url: str) -> dict[str, str]:
    """Current crisis numbers from the directory. If the directory cannot be read the crisis
    reply still goes out, with the verified defaults kept beside its wording."""
    try:
        with session_scope(database_url) as session:
            found = {key: national_line(session, service_id) for key, service_id in CRISIS_LINES.items()}
    except Exception:  # noqa: BLE001 - a crisis reply must never wait on a broken database
        log.exception("Could not read crisis numbers from the directory; using verified defaults")
        return {}
    return {key: number for key, number in found.items() if number}


def fail_open_text(database_url: str) -> str:
    """What a person is told when something inside Waymark broke: a real person to ring."""
    name, number = _fail_open_line(database_url)
    return (f"Sorry, something went wrong on my side. You can talk to a person at {name} "
            f"on {number}, any time. In an emergency, call 999.")


def _fail_open_line(database_url: str) -> tuple[str, str]:
    try:
        with session_scope(database_url) as session:
            number = national_line(session, FAIL_OPEN_LINE)
            if number:
                return "FRANK", number
    except Exception:  # noqa: BLE001 - the directory may be what broke
        log.exception("Directory unreadable while failing open")
    # The verified national record shipped with Waymark, read from its file, not typed here.
    records = yaml.safe_load(NATIONAL_LINES_FILE.read_text(encoding="utf-8"))["services"]
    record = next(r for r in records if r["id"] == FAIL_OPEN_LINE)
    return record["name"], record["phones"][0]["number"]


class Assistant:
    def __init__(self, agent: Agent, actions: EndpointConfig, database_url: str = "",
                 repeated_messages: int = 2048) -> None:
        self.agent = agent
        self.actions = actions
        self.database_url = database_url
        self.desk = Desk(database_url)
        self.repeats = RepeatedMessages(repeated_messages)
        self.turns = TurnGate()
        # Services asked about by name ("is kirkgate open on saturday"), read from the directory.
        self.names = NameIndex(lambda: session_scope(database_url)) if database_url else None

    @classmethod
    def load(cls, settings: Settings, lock_store: Optional[LockStore] = None) -> "Assistant":
        if not settings.model_path.exists():
            raise FileNotFoundError(
                f"No trained model at {settings.model_path}. Run `make model` (or `make run`) first."
            )
        # The crisis classifier is triage's second net: serving without it would quietly run on
        # the patterns alone, so start-up fails instead (triage itself never does).
        crisis_classifier.require()
        check_action_results_with_compiled_schema()
        record_failed_actions_once()
        look_up_event_types_once()
        remember_dialogue_states()
        _apply_tensorflow_thread_settings()
        actions: EndpointConfig = (
            RemoteActionEndpoint(url=settings.action_server_url)
            if settings.action_server_url
            else InProcessActionEndpoint()
        )
        with networks_loaded_without_tracing_training():  # 8 s instead of 38 s: see model_loading
            agent = Agent.load(
                str(settings.model_path),
                tracker_store=tracker_store_for(settings.tracker_store_url),
                lock_store=lock_store or lock_store_for(settings.lock_store_url),
                action_endpoint=actions,
            )
        agent.processor.graph_runner = SequentialGraphRunner.replacing(agent.processor.graph_runner)
        return cls(agent, actions, settings.database_url, settings.repeated_messages)

    async def handle(self, sender_id: str, text: str, channel: str = "rest",
                     inbound: Optional[Inbound] = None, address: Optional[str] = None,
                     metadata: Optional[dict] = None) -> list[dict]:
        """Run one message through crisis triage, understanding, dialogue and actions.

        Crisis comes first, whatever state the conversation is in (a form half filled, a
        question pending): deterministic patterns, then the model's `crisis` intent. A crisis
        message is answered from the reviewed templates without consulting the dialogue, and
        recorded in the conversation with the `urgent` flag, so the conversation carries on
        where it was and a human who takes it over sees the flag.

        The channels read and triage the message at their edge, before their rate limits
        (`waymark.inbound.read_message`), and pass what they found as `inbound`, so the
        patterns run once per message; without it (the terminal chat, tests) it is read here.
        A message with characters that are not text is answered with `UNREADABLE` and goes no
        further, unless the rest of it is a crisis.

        Fails open: every message gets an answer, so if the dialogue or the actions break
        (action server down, database gone) the person gets a helpline (FRANK, and 999)
        instead of silence. A helpline worker is asked to look as well (without a summary:
        nobody asked the person's consent to share one) only when it matters: a crisis, a
        person who asked for a person, or the same conversation failing twice
        (`handover.desk.after_failure`). `address` is a web chat's keyed address hash
        (`channels.addresses`): one address's web chats that keep failing make one queue item.
        `metadata` is what a Rasa client sent beside the message; it reaches the tracker (the
        session start and the user event carry it), as in stock Rasa.
        """
        if inbound is None:
            inbound = read_message(text)
        if inbound.refused:
            log.info("Refused a message with characters that are not text")
            return [{"recipient_id": sender_id, "text": UNREADABLE}]
        if inbound.empty and not inbound.is_crisis:
            return [{"recipient_id": sender_id, "text": NO_WORDS}]
        output = CollectingOutputChannel()
        message = UserMessage(inbound.text, output, sender_id, input_channel=channel, metadata=metadata)
        quiet = False  # a helpline worker has the conversation: silence is intended
        failed = False
        match = inbound.match  # the crisis patterns ran first: a crisis is answered even when the lock store is down
        failures: list = []
        _failed_actions.set(failures)
        try:
            replies, quiet = await self._handle_in_turn(message, match)
            if failures:
                log.error("Custom actions failed in this turn: %s", ", ".join(failures))
                failed = True
        except LockError:  # the lock store did not answer, so the turn never started
            log.error("The conversation lock store does not answer; asking the person to try again")
            replies = list(output.messages) or self._answer_without_lock(message, match)
        except Exception:  # noqa: BLE001 - whatever broke, the person must not be left in silence
            log.exception("The assistant failed on a message; answering with a helpline instead")
            replies = list(output.messages)  # a crisis reply already made still goes out
            failed = True
        if not replies and not quiet and not failed:
            # Nothing broke, but the dialogue had nothing to say: never silent, and nobody is
            # queued for it. Ask what they need (action_clarify does this within the dialogue;
            # this is the net under it).
            log.warning("The dialogue ended a turn without a reply; asking a clarifying question")
            replies = [{"recipient_id": sender_id, "text": who_what_where.OPEN_QUESTION,
                        "buttons": list(who_what_where.START_BUTTONS)}]
        if not replies and not quiet:
            log.error("No reply was produced; sending the fail-open helpline reply")
            text = fail_open_text(self.database_url)
            crisis_type = match.type.value if match else (
                CrisisType.GENERAL.value if _intent(message) == CRISIS_INTENT else None)
            if await asyncio.to_thread(self.desk.queue_after_failure, sender_id, channel, crisis_type=crisis_type,
                                       asked_for_person=asks_for_person(message), address=address):  # a person will look
                text = f"{text} {FAILED_QUEUED}"
            replies = [{"recipient_id": sender_id, "text": text}]
        return replies

    async def answer_crisis_unrecorded(self, sender_id: str, match: CrisisMatch) -> list[dict]:
        """The crisis reply from the reviewed templates, and nothing else: no dialogue, no
        tracker, no flag for a helpline worker, nothing recorded under `sender_id`. For a crisis
        under an id the web chat does not keep a conversation for (an unsigned id where signed
        ones are required): crisis replies come first, whoever asks. No "talk to a person"
        button either, as its answer would come back under the same id and be refused."""
        log.warning("Crisis reply sent, not recorded: the id is not one this server keeps (type=%s, rule=%s)",
                    match.type.value, match.rule)
        numbers = await asyncio.to_thread(crisis_lines, self.database_url)
        return [{"recipient_id": sender_id, "text": line} for line in crisis_reply(match.type, numbers)]

    def _answer_without_lock(self, message: UserMessage, match: Optional[CrisisMatch]) -> list[dict]:
        """No lock, so no dialogue and nothing recorded: a crisis still gets its reply first;
        anyone else is asked to try again, with a person to ring now."""
        if match is not None:
            log.warning("Crisis reply sent without the conversation lock (type=%s, rule=%s)",
                        match.type.value, match.rule)
            lines = crisis_reply(match.type, crisis_lines(self.database_url))
        else:
            name, number = _fail_open_line(self.database_url)
            lines = [LOCKS_UNAVAILABLE.format(name=name, number=number)]
        return [{"recipient_id": message.sender_id, "text": line} for line in lines]

    async def _handle_in_turn(self, message: UserMessage,
                              match: Optional[CrisisMatch]) -> tuple[list[dict], bool]:
        """The replies, and whether saying nothing is intended (a worker has the conversation).
        `match` is what the crisis patterns found in the message."""
        processor = self.agent.processor
        async with self.agent.lock_store.lock(message.sender_id, wait_time_in_seconds=LOCK_POLL_SECONDS), \
                self.turns.turn(urgent=match is not None):  # a crisis goes before everyone waiting
            crisis_type: Optional[CrisisType] = match.type if match else None
            if crisis_type is None:
                routed = await in_thread(self.desk.route, message.sender_id, message.text,
                                         message.input_channel or "rest")
                if routed is not None:
                    return routed.replies, True
                message.parse_data = self.repeats.get(message.text)
                if message.parse_data is None:
                    message.parse_data = await processor.parse_message(message)
                    self.repeats.put(message.text, message.parse_data)
                intent = message.parse_data["intent"]
                if intent.get("name") == CRISIS_INTENT and intent.get("confidence", 0) >= CRISIS_NLU_CONFIDENCE:
                    crisis_type = CrisisType.GENERAL
            if crisis_type is not None:
                await self._answer_crisis(message, crisis_type, rule=match.rule if match else "nlu")
                return list(message.output_channel.messages), False
            return await self._dialogue(message), False

    async def _dialogue(self, message: UserMessage) -> list[dict]:
        """Rasa's `MessageProcessor.handle_message`, step for step, with one step of Waymark's
        between reading the conversation and logging the message: acting on who, what and
        where (`understanding.who_what_where`), which needs the remembered slots."""
        processor = self.agent.processor
        tracker = await processor.fetch_tracker_and_update_session(message.sender_id, message.output_channel,
                                                                   message.metadata)
        named = await self._named_service(message.parse_data)
        message.parse_data = self._act_on(message.parse_data, tracker, named)
        await processor._handle_message_with_tracker(message, tracker)
        left = who_what_where.LEFT_FORM.get(message.parse_data.get("waymark_left_form") or "")
        if left:  # said first, then the dialogue answers the message itself
            await message.output_channel.send_text_message(message.sender_id, left)
            tracker.update(BotUttered(left))
        for first in await self._first_words(message.parse_data.get("text"), tracker):
            # issue 20: the safety facts for this moment (leaving prison, a detox, a home taken over
            # by dealers), then the dialogue's own answer
            await message.output_channel.send_text_message(message.sender_id, first)
            tracker.update(BotUttered(first))
        tracker = await processor.run_action_extract_slots(message.output_channel, tracker)
        await processor._run_prediction_loop(message.output_channel, tracker)
        await processor.run_anonymization_pipeline(tracker)
        await processor.save_tracker(tracker)
        return list(message.output_channel.messages)

    async def _first_words(self, text: Optional[str], tracker: Any) -> list[str]:
        """What to say before the dialogue's answer, each once in a conversation (a person who says
        "detox" three times is told it once): the facts for a risky moment
        (`understanding.risky_moments`), and police, Crimestoppers and the council for a home
        taken over by dealers (`understanding.wider_topics`). Numbers come from the directory,
        read off the event loop."""
        said = []
        topic = risky_moments.topic(text)
        if topic is not None:
            number = await in_thread(self._national_number, "national-drinkline") \
                if topic == risky_moments.DRINK_CHECK else None
            persona = who_what_where.understand(  # who is writing: the words, else what they said before
                {"text": text or "", "entities": []},
                {"persona": tracker.get_slot("persona")} if tracker is not None else {}).persona
            said.append(risk_words.topic_reply(topic, number, for_worker=self._from_a_worker(text, tracker),
                                               about_someone_else=risky_moments.about_someone_else(text, persona)))
        if wider_topics.topic(text) == wider_topics.CUCKOOING:
            said.append(wider_needs_words.cuckooing_reply(await in_thread(self._national_number,
                                                                           "national-crimestoppers")))
        before = {e.text for e in tracker.events if isinstance(e, BotUttered)} if tracker is not None else set()
        return [words for words in said if words and words not in before]

    @staticmethod
    def _from_a_worker(text: Optional[str], tracker: Any) -> bool:
        """Whether a professional is writing (remembered, or said in this message): the safety
        facts are then about their client, not about them."""
        from actions.context import PRO, clean_persona, detect_persona

        known = clean_persona(tracker.get_slot("persona")) if tracker is not None else None
        return (known or detect_persona(text or "")) == PRO

    def _national_number(self, service_id: str) -> Optional[str]:
        """A national line's number from the directory (None without one: the reply still names it)."""
        if not self.database_url:
            return None
        with session_scope(self.database_url) as session:
            return national_line(session, service_id)

    @staticmethod
    def _act_on(parse: dict, tracker: Any, named_service_id: Optional[str] = None) -> dict:
        """The parse the dialogue acts on: garbage entities dropped; a yes to a clarifying
        question becomes the search it offered; a follow-up on the listing just given, or a
        question about a service by name, is answered about it (`understanding.follow_ups`); a
        place plus a need, substance or persona is a search of the right kind whatever the
        intent; and an open form the message does not answer is left (see
        `who_what_where.leaves_form`)."""
        parse = dict(parse)
        text = parse.get("text") or ""
        parse["entities"] = who_what_where.needs_in_words(
            who_what_where.clean_entities(parse.get("entities") or [], text), text)
        parse["entities"] = wider_topics.sharpen_need(parse["entities"], text)  # issue 20, needs 4-6
        parse["entities"] = risky_moments.with_alcohol(parse["entities"], text)  # "is that too much", about drink
        parse = wider_topics.need_over_journey(parse)
        bot = tracker.latest_bot_utterance
        offered = wider_topics.after_abuse_reply(parse, bot.metadata if bot else None) \
            or wider_topics.after_child_reply(parse, bot.metadata if bot else None)
        if offered is not None:  # the domestic abuse crisis reply offered support near them (issue 20, need 6)
            log.info("Support near them, as the domestic abuse reply offered")
            parse = offered
        slots = {name: tracker.get_slot(name) for name in ("place", "persona", "need")}
        if _last_action(tracker) in who_what_where.CLARIFY_ACTIONS:
            answered = who_what_where.answer_to_clarification(parse, tracker.get_slot("clarify_offer"))
            if answered is not None:
                return answered
        person = who_what_where.wants_a_person(parse)
        if person:  # "can i talk to a real person": the warm handover, whatever the model guessed
            if (parse.get("intent") or {}).get("name") != "ask_human":
                log.info("Asked for a person in words, instead of %s", (parse.get("intent") or {}).get("name"))
                parse = who_what_where.reroute(parse, "ask_human")
        elif tracker.active_loop_name is None:
            followed = follow_ups.act_on(parse, bool(tracker.get_slot("last_service_id")), named_service_id)
            if followed is not None:
                log.info("A follow-up on the listing (%s) instead of %s", followed[1][0]["value"],
                         (parse.get("intent") or {}).get("name"))
                return who_what_where.reroute(parse, *followed)
        answer = None if person else who_what_where.answer_to_offer(parse, (bot.data or {}).get("buttons") if bot else None)
        intent = answer[0] if answer else None if person else who_what_where.act_on(parse, slots)
        if answer is not None:
            log.info("A typed answer to the buttons just offered: %s instead of %s", answer[0],
                     (parse.get("intent") or {}).get("name"))
            parse = who_what_where.reroute(parse, *answer)
        elif intent is not None:
            log.info("Acting on who/what/where: %s instead of %s", intent, (parse.get("intent") or {}).get("name"))
            parse = who_what_where.reroute(parse, intent)
        loop = tracker.active_loop_name
        if loop and who_what_where.place_attempt(tracker.get_slot("requested_slot"), parse):
            return who_what_where.reroute(parse, "inform_place")  # the form reads it as a place
        if loop and who_what_where.leaves_form(loop, tracker.get_slot("requested_slot"), parse):
            log.info("Leaving %s: the message does not answer it", loop)
            tracker.update(ActiveLoop(None))
            tracker.update(SlotSet("requested_slot", None))
            parse["waymark_left_form"] = loop
            loop = None
        if intent is None and loop is None and offered is None and (who_what_where.says_yes(parse)
                                                                    or who_what_where.says_no(parse)):
            parse = who_what_where.reroute(parse, who_what_where.YES_OR_NO_INTENT)  # asked what they need
        return parse

    async def _named_service(self, parse: dict) -> Optional[str]:
        """The id of a service the message names, or None (`follow_ups.act_on` decides whether
        a name that is also a place, "harehills", is the service or a search there)."""
        text = parse.get("text") or ""
        if self.names is None or not text or text.startswith("/"):
            return None
        try:
            services = await in_thread(self.names.services)
        except Exception:  # noqa: BLE001 - a name lookup must never cost the person their answer
            log.exception("Could not read the service names")
            return None
        found = best_match(text, services)
        return found.service_id if found else None

    async def _answer_crisis(self, message: UserMessage, crisis_type: CrisisType, rule: str) -> None:
        """Send the crisis reply first, then record it (a storage failure cannot stop it)."""
        log.warning("Crisis reply sent (type=%s, rule=%s)", crisis_type.value, rule)
        lines = crisis_reply(crisis_type, crisis_lines(self.database_url))
        for line in lines:
            await message.output_channel.send_text_message(message.sender_id, line)
        try:
            in_handover = await in_thread(self.desk.flag_crisis, message.sender_id, crisis_type.value,
                                          message.text)
        except Exception:  # noqa: BLE001 - the reply has gone; flagging must not undo it
            log.exception("Could not flag the handover as urgent")
            in_handover = False
        if not in_handover:  # offer a person, unless one is already with them or on the way
            message.output_channel.messages[-1]["buttons"] = [OFFER_PERSON]
        after = []
        if wider_topics.topic(message.text) == wider_topics.CUCKOOING:  # after the crisis reply, what else helps
            try:
                after = await self._first_words(message.text, None)
            except Exception:  # noqa: BLE001 - the crisis reply has gone; the extra facts must not undo it
                log.exception("Could not add the facts about a home taken over")
        for line in after:
            await message.output_channel.send_text_message(message.sender_id, line)
        if message.parse_data is None:
            message.parse_data = {"text": message.text, "entities": [],
                                  "intent": {"name": CRISIS_INTENT, "confidence": 1.0}}
        processor = self.agent.processor
        tracker = await processor.log_message(message, should_save_tracker=False)
        for line in lines:
            tracker.update(BotUttered(line, metadata={"crisis": crisis_type.value}))
        for line in after:
            tracker.update(BotUttered(line))
        tracker.update(SlotSet("urgent", True))
        tracker.update(SlotSet("crisis_type", crisis_type.value))
        persona = who_what_where.understand({"text": message.text or "", "entities": []}).persona
        if (persona is not None and tracker.get_slot("persona") is None and crisis_type != CrisisType.DOMESTIC_ABUSE
                and risky_moments.about_drugs_or_drink(message.text)):
            # the dialogue was not consulted, so remember who wrote ("my husbands on spice"): what
            # they ask next ("for me, i need someone to talk to") is answered for them
            tracker.update(SlotSet("persona", persona))
        await processor.save_tracker(tracker)

    async def warm_up(self) -> None:
        """Understand one message before the first person's: TensorFlow builds the model's
        graph on its first call, which took the first turn after a start (in each worker) a
        few hundred milliseconds longer. Nothing is recorded anywhere."""
        await self.agent.processor.parse_message(UserMessage("hello", sender_id="waymark-warm-up"))

    async def actions_respond(self) -> bool:
        """True when the custom actions can be reached (in-process or the action server)."""
        if isinstance(self.actions, InProcessActionEndpoint):
            return "action_find_service" in self.actions.action_names()
        try:
            health = EndpointConfig(url=self.actions.url.rsplit("/webhook", 1)[0])
            result = await health.request(method="get", subpath="health")
            return bool(result) and result.get("status") == "ok"
        except Exception:  # noqa: BLE001 - any failure means "not healthy"
            log.warning("Action server at %s did not answer", self.actions.url)
            return False

    def is_ready(self) -> bool:
        return self.agent.is_ready()

    def _store(self) -> TrackerStore:
        store = self.agent.tracker_store
        return getattr(store, "_tracker_store", store)  # unwrap Rasa's fail-safe wrapper

    async def forget(self, sender_id: str) -> dict[str, int]:
        """A person's "delete my data": their conversation history and their rows in every
        per-person table (waymark.privacy.erase_person; raises PrivacyIncomplete)."""
        import asyncio

        from waymark.privacy import erase_person

        return await asyncio.to_thread(erase_person, self._store(), self.database_url, sender_id)

    async def has_conversation(self, sender_id: str) -> bool:
        return sender_id in set(await self._store().keys())
