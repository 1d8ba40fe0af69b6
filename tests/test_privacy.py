"""Logs carry no phone numbers, emails or full postcodes; old conversations are purged."""
from __future__ import annotations

import logging
import time

from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

import timekeeping
from waymark.assistant import tracker_store_for
from waymark.privacy import RedactingFilter, purge_conversations, redact


def test_redact_keeps_the_district_and_drops_what_identifies_someone():
    text = "Text 07700 900123 or +44 7700 900123, email sam.jones@example.org, home LS1 4AP"
    out = redact(text)
    assert "900123" not in out and "sam.jones" not in out and "4AP" not in out
    assert "LS1 [postcode]" in out and out.count("[phone]") == 2 and "[email]" in out


def test_redact_leaves_dates_and_short_numbers_alone():
    assert redact("opens 2026-11-23 at 10, 3 services") == "opens 2026-11-23 at 10, 3 services"


def test_log_records_are_redacted_before_any_handler(caplog):
    logger = logging.getLogger("waymark.test.privacy")
    caplog.handler.addFilter(RedactingFilter())
    logger.warning("sms from %s about %s", "07700 900456", "M1 2AA")
    assert "900456" not in caplog.text and "2AA" not in caplog.text
    assert "[phone]" in caplog.text and "M1 [postcode]" in caplog.text


async def _conversation(store, sender: str, at: float) -> None:
    tracker = DialogueStateTracker(sender, slots=[])
    tracker.update(UserUttered("hello", timestamp=at))
    await store.save(tracker)


async def test_purge_deletes_only_conversations_past_retention(tmp_path):
    store = tracker_store_for(f"sqlite:///{tmp_path / 'conversations.db'}")
    now = timekeeping.timestamp()
    await _conversation(store, "old", now - 40 * 86400)
    await _conversation(store, "recent", now - 2 * 86400)
    assert purge_conversations(store, 30 * 86400, now=now) == 1
    assert set(await store.keys()) == {"recent"}


async def test_purge_works_on_the_in_memory_store():
    store = tracker_store_for("memory")
    now = timekeeping.timestamp()
    await _conversation(store, "old", now - 40 * 86400)
    await _conversation(store, "recent", now - 60)
    assert purge_conversations(store, 30 * 86400, now=now) == 1
    assert set(await store.keys()) == {"recent"}


# --- retention over every store, and a person's own delete (issue 7) ---------------------------

DAY = 86400


def _channel_db(tmp_path):
    from channels.models import create_tables
    from directory.db import engine_for

    url = f"sqlite:///{tmp_path / 'channels.db'}"
    create_tables(engine_for(url))
    return url


def _add(url, *rows):
    from sqlalchemy.orm import Session

    from directory.db import engine_for

    with Session(engine_for(url), future=True) as session:
        session.add_all(rows)
        session.commit()


def _all(url, model):
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from directory.db import engine_for

    with Session(engine_for(url), future=True) as session:
        return session.execute(select(model)).scalars().all()


def _sms_rows_old_and_new(now):
    """Old and recent rows of every kind in the SMS tables, labelled by what they say."""
    from datetime import datetime, timedelta

    from channels.models import DeliveryStatus, OutboxMessage, Reminder, SmsConversation

    at = datetime.utcfromtimestamp(now)
    old, recent = at - timedelta(days=40), at - timedelta(days=2)

    def text(label, status, created, person="p-old"):
        return OutboxMessage(person_hash=person, body=label, status=status, created_at=created,
                             next_attempt_at=created, sent_at=created if status == "sent" else None)

    return [
        text("old sent", "sent", old), text("old failed", "failed", old), text("old cancelled", "cancelled", old),
        text("old delivered", "delivered", old), text("old pending", "pending", old, person="p-waiting"),
        text("recent sent", "sent", recent, person="p-recent"),
        Reminder(person_hash="p-old", body="old sent", status="sent", due_at=old, created_at=old),
        Reminder(person_hash="p-old", body="old cancelled", status="cancelled", due_at=old, created_at=old),
        Reminder(person_hash="p-remind", body="old scheduled", status="scheduled", due_at=at + timedelta(days=1),
                 created_at=old),
        Reminder(person_hash="p-recent", body="recent cancelled", status="cancelled", due_at=recent,
                 created_at=recent),
        DeliveryStatus(message_sid="SMold", person_hash="p-old", status="delivered", received_at=old),
        DeliveryStatus(message_sid="SMnew", person_hash="p-recent", status="delivered", received_at=recent),
        SmsConversation(person_hash="p-old", last_choices='[{"title": "x"}]', updated_at=old),
        SmsConversation(person_hash="p-stopped", opted_out=True, last_choices='[{"title": "x"}]', updated_at=old),
        SmsConversation(person_hash="p-recent", updated_at=recent),
        # Row untouched for long (same choices each time), but written to last week: still in use.
        SmsConversation(person_hash="p-busy", last_choices='[{"title": "y"}]', updated_at=old),
        text("busy recent", "sent", recent, person="p-busy"),
        SmsConversation(person_hash="p-waiting", updated_at=old),  # a text still waiting to go
        SmsConversation(person_hash="p-remind", updated_at=old),  # a reminder still to come
    ]


def test_purge_of_the_sms_tables_removes_only_what_is_past_retention(tmp_path):
    from channels.models import DeliveryStatus, OutboxMessage, Reminder, SmsConversation
    from waymark.privacy import cutoff_for, purge_sms_tables

    url = _channel_db(tmp_path)
    now = timekeeping.timestamp()
    _add(url, *_sms_rows_old_and_new(now))
    removed = purge_sms_tables(url, cutoff_for(30 * DAY, now))

    assert sorted(m.body for m in _all(url, OutboxMessage)) == ["busy recent", "old pending", "recent sent"]
    assert sorted(r.body for r in _all(url, Reminder)) == ["old scheduled", "recent cancelled"]
    assert [d.message_sid for d in _all(url, DeliveryStatus)] == ["SMnew"]
    kept = {c.person_hash: c for c in _all(url, SmsConversation)}
    assert set(kept) == {"p-stopped", "p-recent", "p-busy", "p-waiting", "p-remind"}
    # An opt-out outlives retention (carriers expect STOP to hold), but only as a hash and a flag.
    assert kept["p-stopped"].opted_out and kept["p-stopped"].last_choices == "[]"
    assert removed == 4 + 2 + 1 + 1
    assert purge_sms_tables(url, cutoff_for(30 * DAY, now)) == 0  # nothing left to do


def test_purge_of_the_sms_tables_is_a_no_op_before_twilio_made_them(tmp_path):
    from waymark.privacy import cutoff_for, purge_sms_tables

    assert purge_sms_tables(f"sqlite:///{tmp_path / 'empty.db'}", cutoff_for(30 * DAY)) == 0


async def test_waymark_purge_covers_conversations_sms_tables_and_registered_stores(tmp_path, monkeypatch, capsys):
    from channels.models import OutboxMessage
    from waymark import cli, privacy

    url = _channel_db(tmp_path)
    tracker_url = f"sqlite:///{tmp_path / 'conversations.db'}"
    monkeypatch.setenv("WAYMARK_DATABASE_URL", url)
    monkeypatch.setenv("WAYMARK_TRACKER_STORE_URL", tracker_url)
    now = timekeeping.timestamp()
    store = tracker_store_for(tracker_url)
    await _conversation(store, "sms:p-old", now - 40 * DAY)
    await _conversation(store, "web-recent", now - 2 * DAY)
    _add(url, *_sms_rows_old_and_new(now))
    cutoffs = []
    monkeypatch.setitem(privacy.PURGERS, "handover", lambda engine, cutoff: cutoffs.append(cutoff) or 3)

    assert cli.main(["purge", "--days", "30"]) == 0
    out = capsys.readouterr().out
    assert "Deleted 1 conversation(s) untouched for more than 30 days" in out
    assert "Deleted 8 sms row(s)" in out and "Deleted 3 handover row(s)" in out
    assert set(await store.keys()) == {"web-recent"}
    assert len(_all(url, OutboxMessage)) == 3
    assert abs(cutoffs[0].timestamp() - privacy.cutoff_for(30 * DAY, now).timestamp()) < 60


async def test_a_store_that_fails_does_not_stop_the_others_and_purge_says_so(tmp_path, monkeypatch, capsys):
    from waymark import cli, privacy

    url = _channel_db(tmp_path)
    monkeypatch.setenv("WAYMARK_DATABASE_URL", url)
    monkeypatch.setenv("WAYMARK_TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'conversations.db'}")
    _add(url, *_sms_rows_old_and_new(timekeeping.timestamp()))

    def broken(engine, cutoff):
        raise RuntimeError("handover tables locked")

    monkeypatch.setitem(privacy.PURGERS, "handover", broken)
    assert cli.main(["purge"]) == 1
    captured = capsys.readouterr()
    assert "Could not purge in: handover" in captured.err
    assert "Deleted 8 sms row(s)" in captured.out  # the other stores were still purged


def test_web_chat_delete_erases_the_tracker_and_every_registered_store(client, assistant, monkeypatch):
    import uuid

    from support import run_async

    from waymark import privacy

    sender = uuid.uuid4().hex
    run_async(_conversation(assistant.agent.tracker_store, sender, timekeeping.timestamp()))
    assert run_async(assistant.has_conversation(sender))
    asked = []
    monkeypatch.setitem(privacy.ERASERS, "handover", lambda engine, who: asked.append(who) or 1)
    assert client.delete(f"/webhooks/rest/conversations/{sender}").status_code == 204
    assert not run_async(assistant.has_conversation(sender))
    assert asked == [sender]


def test_web_chat_delete_that_cannot_finish_says_so_politely(client, assistant, monkeypatch):
    import uuid

    from support import run_async

    from waymark import privacy

    sender = uuid.uuid4().hex
    run_async(_conversation(assistant.agent.tracker_store, sender, timekeeping.timestamp()))

    def broken(engine, who):
        raise RuntimeError("database down")

    monkeypatch.setitem(privacy.ERASERS, "handover", broken)
    response = client.delete(f"/webhooks/rest/conversations/{sender}")
    assert response.status_code == 503 and "try again" in response.json()["detail"]


def test_erasing_a_number_reaches_its_texts_and_calls_but_keeps_an_opt_out(tmp_path):
    from channels.models import DeliveryStatus, OutboxMessage, Reminder, SmsConversation
    from waymark.privacy import erase_person

    url = _channel_db(tmp_path)
    store = tracker_store_for("memory")
    now = timekeeping.timestamp()
    import asyncio

    for sender in ("sms:p-old", "voice:p-old", "sms:p-recent"):
        asyncio.run(_conversation(store, sender, now))
    _add(url, *_sms_rows_old_and_new(now))
    _add(url, SmsConversation(person_hash="p-gone", opted_out=True, last_choices='[{"title": "z"}]'))

    done = erase_person(store, url, "sms:p-old")
    assert done["conversations"] == 2 and done["sms"] == 4 + 2 + 1 + 1
    assert set(store.store) == {"sms:p-recent"}
    for model in (OutboxMessage, Reminder, DeliveryStatus, SmsConversation):
        assert not [r for r in _all(url, model) if r.person_hash == "p-old"], model.__tablename__
    assert any(r.person_hash == "p-recent" for r in _all(url, OutboxMessage))  # others untouched

    erase_person(store, url, "voice:p-gone")
    [kept] = [c for c in _all(url, SmsConversation) if c.person_hash == "p-gone"]
    assert kept.opted_out and kept.last_choices == "[]"
    # A web chat id never reaches the SMS tables, whatever it looks like.
    assert erase_person(store, url, "p-recent")["sms"] == 0


def test_texting_delete_erases_the_calls_too_and_an_opt_out_holds(settings, assistant):
    from support import run_async
    from twilio_stub import TwilioStub, open_app, signed_post, sms_params

    from channels.models import OutboxMessage, SmsConversation

    number = "+447700900777"
    with TwilioStub() as stub:
        sms = open_app(settings, assistant, stub)
        try:
            person = sms.app.state.twilio.identity.hash_number(number)
            store = assistant.agent.tracker_store
            for channel in ("sms", "voice"):  # they texted, and rang once
                run_async(_conversation(store, f"{channel}:{person}", timekeeping.timestamp()))
                assert run_async(assistant.has_conversation(f"{channel}:{person}"))
            for body in ("STOP", "DELETE"):
                assert signed_post(sms, "/twilio/sms", sms_params(number, body)).status_code == 200
                sms.portal.call(sms.app.state.twilio.idle)
            assert not run_async(assistant.has_conversation(f"sms:{person}"))
            assert not run_async(assistant.has_conversation(f"voice:{person}"))
            channels = sms.app.state.twilio
            with channels.session() as session:
                [row] = session.query(SmsConversation).filter_by(person_hash=person).all()
                assert row.opted_out and row.last_choices == "[]"
                assert session.query(OutboxMessage).filter_by(person_hash=person, status="pending").count() == 0
            # Still opted out after DELETE: a new text gets no answer. The only text this number
            # ever gets is the opt-out confirmation (sent in the background, so it may land late).
            signed_post(sms, "/twilio/sms", sms_params(number, "hello"))
            sms.portal.call(channels.idle)
            time.sleep(1.0)
            assert [m.body for m in stub.to(number)
                    if "You won't get any more messages" not in m.body] == []
        finally:
            sms.__exit__(None, None, None)


def test_a_reporters_contact_goes_once_the_report_is_long_resolved(tmp_path):
    """Report a problem with a listing: the contact left is for answering it, not for ever."""
    from datetime import timedelta

    from directory import editing, seed
    from directory.db import create_schema, engine_for, session_scope
    from directory.models import ReviewItem
    from waymark.privacy import purge_everything

    url = f"sqlite:///{tmp_path / 'directory.db'}"
    create_schema(engine_for(url))
    with session_scope(url) as session:
        seed.seed_national(session)
        old = editing.report_problem(session, "national-frank", "number has changed", contact="sam@example.org")
        recent = editing.report_problem(session, "national-frank", "hours wrong", contact="07700 900123")
        unanswered = editing.report_problem(session, "national-frank", "closed?", contact="jo@example.org")
        editing.resolve_review_item(session, old.id, "editor", "fixed")
        editing.resolve_review_item(session, recent.id, "editor", "fixed")
        now = old.resolved_at
        old.resolved_at = now - timedelta(days=40)
        unanswered.created_at = now - timedelta(days=400)
        ids = old.id, recent.id, unanswered.id

    store = tracker_store_for("memory")
    removed = purge_everything(store, url, 30 * DAY, now=now.timestamp())
    assert removed["reporter_contacts"] == 2
    with session_scope(url) as session:
        old, recent, unanswered = (session.get(ReviewItem, i) for i in ids)
        assert old.reporter_contact is None and old.detail == "number has changed"  # the report stays
        assert recent.reporter_contact == "07700 900123"  # resolved lately: may still be answered
        assert unanswered.reporter_contact is None and unanswered.status == "open"
    assert purge_everything(store, url, 30 * DAY, now=now.timestamp())["reporter_contacts"] == 0
