"""SMS end to end: signed webhooks into the real app and model, replies out through Twilio's
REST API to a local stub of it, checked as the person would see them on their phone."""
from __future__ import annotations

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from support import run_async
from twilio_stub import (
    FROM_NUMBER,
    PUBLIC_URL,
    open_app,
    sign,
    signed_post,
    sms_params,
)

import timekeeping
from channels import sms_text
from channels.models import DeliveryStatus, OutboxMessage, Reminder, SmsConversation

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def sms(settings, assistant, stub):
    client = open_app(settings, assistant, stub)
    yield client
    client.__exit__(None, None, None)


NUMBERS = iter(f"+4477009002{n:02d}" for n in range(100))


@pytest.fixture
def number():
    return next(NUMBERS)


def text(client, number: str, body: str):
    response = signed_post(client, "/twilio/sms", sms_params(number, body))
    assert response.status_code == 200, response.text
    return response


def conversation_of(client, number: str) -> str:
    return client.app.state.twilio.identity.hash_number(number)


def rows(client, model, number: str):
    channels = client.app.state.twilio
    with channels.session() as session:
        return session.execute(select(model).where(model.person_hash == conversation_of(client, number))).scalars().all()


def settle(client, timeout: float = 20.0, number: str | None = None) -> None:
    """Wait until every turn has run and nothing due is left unsent (to `number`, if given:
    other tests sharing the database may have left texts of their own behind)."""
    channels = client.app.state.twilio
    client.portal.call(channels.idle)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status.in_(["pending", "sending"]))
        if number is not None:
            busy = busy.where(OutboxMessage.person_hash == conversation_of(client, number))
        with channels.session() as session:
            if not session.execute(busy).scalar():
                return
        time.sleep(0.05)
    raise AssertionError("the outbox did not empty")


def assert_phone_friendly(body: str) -> None:
    assert sms_text.is_gsm7(body), body
    assert sms_text.segment_count(body) <= 3, body
    assert sms_text.is_discreet(body), body[:40]


def test_without_twilio_settings_sms_and_voice_answer_503(client):
    for path in ("/twilio/sms", "/twilio/sms/status", "/twilio/voice", "/twilio/voice/turn"):
        response = client.post(path, data={"From": "+447700900999", "Body": "hi"})
        assert response.status_code == 503
        assert "TWILIO_ACCOUNT_SID" in response.json()["detail"] and "Web chat still works" in response.json()["detail"]


def test_a_text_is_answered_by_text_through_twilios_api(sms, stub, assistant, number):
    started = time.monotonic()
    response = text(sms, number, "I need help with my drinking near LS1 4AP")
    assert time.monotonic() - started < 2  # the webhook answers before the turn runs
    assert response.headers["content-type"].startswith("application/xml")
    assert response.text.endswith("<Response />")

    # Longer than three segments: sent as two texts, split between paragraphs.
    message, expect = stub.wait_for(number, 2)
    assert message.sender == FROM_NUMBER
    assert message.status_callback == f"{PUBLIC_URL}/twilio/sms/status"
    assert "Kirkgate Recovery Hub" in message.body and "0113 496 0100" in message.body
    assert "Mon-Wed" in message.body  # the en dash became a plain hyphen
    assert message.body.startswith("Here is what I found. ")  # "Recovery" must not open it
    assert expect.body.startswith("Waymark: What to expect: Ring or walk in.")
    assert expect.body.endswith("Reply 1 for talk to a person.")
    for part in (message, expect):
        assert_phone_friendly(part.body)

    # The conversation is keyed by the keyed hash, never the number.
    person = conversation_of(sms, number)
    assert run_async(assistant.has_conversation(f"sms:{person}"))
    assert not run_async(assistant.has_conversation(number))
    settle(sms)
    sent = rows(sms, OutboxMessage, number)
    assert [row.twilio_sid for row in sent] == [message.sid, expect.sid]  # in order
    assert all(row.status == "sent" and row.to_encrypted is None and row.body == "" for row in sent)  # wiped


def test_buttons_become_numbered_choices_and_a_number_picks_one(sms, stub, number, handover_time):
    handover_time("2026-11-28T20:00")  # Saturday evening: the helpline is closed, so the 24/7 lines are given
    text(sms, number, "hi")
    [greeting] = stub.wait_for(number)
    assert "Reply 1 for help with drugs or alcohol, 2 for clean needles or 3 for talk to a person." in greeting.body
    assert_phone_friendly(greeting.body)
    settle(sms)
    [state] = rows(sms, SmsConversation, number)
    assert '"/ask_human"' in state.last_choices  # remembered durably, keyed by the hash

    text(sms, number, "3")
    person = stub.wait_for(number, 2)[1]
    assert "real person" in person.body and "0300 123" in person.body
    assert_phone_friendly(person.body)


def test_invalid_or_missing_signature_is_refused_and_nothing_happens(sms, stub, number):
    params = sms_params(number, "hello")
    assert signed_post(sms, "/twilio/sms", params, auth_token="not-the-token").status_code == 403
    response = sms.post("/twilio/sms", data=params)  # no signature at all
    assert response.status_code == 403 and "not signed by Twilio" in response.json()["detail"]
    # A signature over different content (a tampered body) fails too.
    tampered = sms.post("/twilio/sms", data={**params, "Body": "changed"},
                        headers={"X-Twilio-Signature": sign(PUBLIC_URL + "/twilio/sms", params)})
    assert tampered.status_code == 403
    settle(sms)
    assert stub.to(number) == [] and rows(sms, SmsConversation, number) == []


def test_signature_checks_go_off_only_when_asked_and_say_so_loudly(settings, assistant, stub, caplog, number):
    import logging

    with caplog.at_level(logging.WARNING):
        app = open_app(settings, assistant, stub, twilio_validate_signatures=False)
    try:
        assert "TWILIO SIGNATURE VALIDATION IS OFF" in caplog.text
        assert any(r.levelno == logging.CRITICAL for r in caplog.records)
        assert app.post("/twilio/sms", data=sms_params(number, "hello")).status_code == 200  # unsigned
        assert "Waymark" in stub.wait_for(number)[0].body
        settle(app, number=number)  # nothing left half-sent by an app about to close (the module's app shares the outbox)
    finally:
        app.__exit__(None, None, None)


def test_a_messaging_service_can_send_instead_of_a_number(settings, assistant, stub, number, fresh_directory):
    # A database of its own: the module's app polls the shared outbox and would send this
    # reply first, from its own number (in production every instance has the same settings).
    app = open_app(settings, assistant, stub, database_url=fresh_directory,
                   twilio_from_number="", twilio_messaging_service_sid="MG" + "1" * 32)
    try:
        text(app, number, "hello")
        assert stub.wait_for(number)[0].sender == "MG" + "1" * 32
    finally:
        app.__exit__(None, None, None)


def test_missing_fields_are_a_clear_400_and_nothing_is_stored(sms, stub, assistant, number):
    no_body = signed_post(sms, "/twilio/sms", sms_params(number, None))
    assert no_body.status_code == 400 and "Missing required field(s): Body" in no_body.json()["detail"]
    no_from = signed_post(sms, "/twilio/sms", {k: v for k, v in sms_params(number, "hi").items() if k != "From"})
    assert no_from.status_code == 400 and "From" in no_from.json()["detail"]
    settle(sms)
    assert stub.to(number) == [] and rows(sms, OutboxMessage, number) == []
    assert not run_async(assistant.has_conversation(f"sms:{conversation_of(sms, number)}"))


def test_oversized_messages_are_refused_with_413(sms, stub, settings, number):
    too_long = signed_post(sms, "/twilio/sms", sms_params(number, "a" * (settings.max_message_chars + 1)))
    assert too_long.status_code == 413 and "too long" in too_long.json()["detail"]
    huge = signed_post(sms, "/twilio/sms", sms_params(number, "a" * 100_000))
    assert huge.status_code == 413
    settle(sms)
    assert stub.to(number) == []


def test_when_twilio_fails_the_reply_waits_in_the_outbox_and_is_delivered_later(sms, stub, number):
    stub.fail_with = 500
    try:
        before = stub.requests
        text(sms, number, "hello")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # tried at least twice, with backoff
            if stub.requests - before >= 2:
                break
            time.sleep(0.05)
        [row] = rows(sms, OutboxMessage, number)
        assert row.status in ("pending", "sending") and row.attempts >= 1
        assert "500" in (row.last_error or "") and row.to_encrypted  # kept, encrypted, for the retry
        assert "7700" not in row.to_encrypted
        assert stub.to(number) == []
    finally:
        stub.fail_with = None
    [message] = stub.wait_for(number)
    assert "Waymark" in message.body
    settle(sms)
    [row] = rows(sms, OutboxMessage, number)
    assert row.status == "sent" and row.to_encrypted is None


def test_a_permanent_refusal_is_not_retried_for_ever(sms, stub, number):
    stub.fail_with = 400
    try:
        text(sms, number, "hello")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(r.status == "failed" for r in rows(sms, OutboxMessage, number)):
            time.sleep(0.05)
        [row] = rows(sms, OutboxMessage, number)
        assert row.status == "failed" and row.to_encrypted is None and "400" in row.last_error
    finally:
        stub.fail_with = None


def test_stop_start_and_help(sms, stub, number):
    text(sms, number, "STOP")
    [stopped] = stub.wait_for(number)
    assert "won't get any more messages" in stopped.body and "START" in stopped.body
    text(sms, number, "hello")  # nothing more until START
    settle(sms)
    assert len(stub.to(number)) == 1
    assert rows(sms, SmsConversation, number)[0].opted_out

    text(sms, number, "start")
    started = stub.wait_for(number, 2)[1]
    assert "back on" in started.body
    text(sms, number, "Help")
    helped = stub.wait_for(number, 3)[2]
    assert "Waymark" in helped.body and "999" in helped.body and "STOP" in helped.body
    for message in stub.to(number):
        assert_phone_friendly(message.body)


def test_delete_erases_the_conversation_and_the_channels_rows(sms, stub, assistant, number):
    text(sms, number, "hi")
    stub.wait_for(number)
    text(sms, number, "remind me tomorrow at 10")
    stub.wait_for(number, 2)
    settle(sms)
    person = conversation_of(sms, number)
    assert run_async(assistant.has_conversation(f"sms:{person}"))
    assert rows(sms, Reminder, number) and rows(sms, SmsConversation, number)

    text(sms, number, "DELETE")
    confirmation = stub.wait_for(number, 3)[2]
    assert "erased our conversation" in confirmation.body
    assert_phone_friendly(confirmation.body)
    settle(sms)
    assert not run_async(assistant.has_conversation(f"sms:{person}"))
    for model in (OutboxMessage, Reminder, SmsConversation, DeliveryStatus):
        assert rows(sms, model, number) == [], model.__tablename__


def test_delivery_reports_are_recorded(sms, stub, number):
    text(sms, number, "hi")
    [message] = stub.wait_for(number)
    settle(sms)
    report = {"MessageSid": message.sid, "MessageStatus": "delivered", "AccountSid": "x", "To": number}
    assert signed_post(sms, "/twilio/sms/status", report, auth_token="wrong").status_code == 403
    assert signed_post(sms, "/twilio/sms/status", {"MessageSid": message.sid}).status_code == 400
    assert signed_post(sms, "/twilio/sms/status", report).status_code == 204
    [status] = rows(sms, DeliveryStatus, number)
    assert status.message_sid == message.sid and status.status == "delivered"
    assert rows(sms, OutboxMessage, number)[0].status == "delivered"


def test_a_reminder_is_sent_when_due_even_after_a_restart(settings, assistant, stub, number):
    first = open_app(settings, assistant, stub)
    monday = datetime(2026, 11, 30, 15, 0, tzinfo=LONDON)
    timekeeping.travel(monday)  # every app in the process, and the one stopped below, reads this
    text(first, number, "Remind me to ring Kirkgate on Tuesday at 10")
    [confirmation] = stub.wait_for(number)
    assert "tomorrow (Tuesday 1 December) at 10am, UK time" in confirmation.body and "CANCEL REMINDER" in confirmation.body
    assert_phone_friendly(confirmation.body)
    settle(first)
    [reminder] = rows(first, Reminder, number)
    assert reminder.status == "scheduled" and reminder.to_encrypted and "7700" not in reminder.to_encrypted
    first.__exit__(None, None, None)  # the app stops before the reminder is due

    second = open_app(settings, assistant, stub)
    try:
        timekeeping.travel(datetime(2026, 12, 1, 9, 59, tzinfo=LONDON))
        time.sleep(0.5)
        assert len(stub.to(number)) == 1  # not yet
        timekeeping.travel(datetime(2026, 12, 1, 10, 0, 1, tzinfo=LONDON))
        reminded = stub.wait_for(number, 2)[1]
        assert "reminder you asked for: ring Kirkgate" in reminded.body
        assert_phone_friendly(reminded.body)
        settle(second)
        [reminder] = rows(second, Reminder, number)
        assert reminder.status == "sent" and reminder.to_encrypted is None
        time.sleep(0.3)
        assert len(stub.to(number)) == 2  # sent once
    finally:
        second.__exit__(None, None, None)


def test_a_reminder_can_be_cancelled(sms, stub, number):
    text(sms, number, "remind me tomorrow at 2pm")
    stub.wait_for(number)
    text(sms, number, "cancel reminder")
    cancelled = stub.wait_for(number, 2)[1]
    assert "cancelled your reminder" in cancelled.body
    timekeeping.advance(timedelta(days=2))
    time.sleep(0.5)
    settle(sms)
    assert len(stub.to(number)) == 2
    assert [r.status for r in rows(sms, Reminder, number)] == ["cancelled"]


def test_a_crisis_by_text_gets_999_first_and_still_opens_discreetly(sms, stub, number):
    text(sms, number, "hes gone grey and making a weird snoring noise, i cant get him to answer")
    first = stub.wait_for(number)[0]
    assert "Call 999" in first.body[:60]  # visible on the lock screen, before anything else
    assert "recovery position" in " ".join(m.body for m in stub.wait_for(number))
    for message in stub.to(number):
        assert_phone_friendly(message.body)


# --- issue 18: triage first, characters that are not text, and rate ------------------------

OVERDOSE = "my friend has taken an overdose and is not breathing"


def _twiml_messages(response) -> list[str]:
    import xml.etree.ElementTree as ET

    assert response.status_code == 200 and response.headers["content-type"].startswith("application/xml")
    return [m.text or "" for m in ET.fromstring(response.text).iter("Message")]


def test_a_text_that_is_not_text_is_answered_at_once_and_reaches_nothing(sms, stub, assistant, number):
    from handover.models import Handover

    for body in ("hello\u0000", "\uffff", "where\u0007 is help"):
        [answer] = _twiml_messages(text(sms, number, body))
        assert "couldn't read that message" in answer and "999" in answer, body
    settle(sms)
    assert not run_async(assistant.has_conversation(f"sms:{conversation_of(sms, number)}"))
    assert rows(sms, OutboxMessage, number) == [] and stub.to(number) == []
    with sms.app.state.twilio.session() as session:
        assert session.scalar(select(func.count()).select_from(Handover).where(
            Handover.sender_id == f"sms:{conversation_of(sms, number)}")) == 0


def test_a_slash_in_front_of_a_crisis_text_still_gets_999_first(sms, stub, number):
    text(sms, number, "/ my friend has taken an overdose")
    assert "Call 999" in stub.wait_for(number)[0].body[:60]


def test_a_crisis_text_is_answered_even_when_the_number_is_over_its_limit(sms, stub, number, monkeypatch):
    from waymark.limits import RateLimiter

    state = sms.app.state  # limiters that never refill: the test does not depend on the machine's speed
    monkeypatch.setattr(state, "sms_limiter", RateLimiter(per_minute=1e-9, burst=3), raising=False)
    monkeypatch.setattr(state, "sms_told_limiter", RateLimiter(per_minute=1e-9, burst=1), raising=False)
    answers = [_twiml_messages(text(sms, number, "cancel reminder")) for _ in range(5)]
    assert answers[:3] == [[], [], []]  # answered by the outbox, as usual
    [too_fast] = answers[3]  # told once, in TwiML (Twilio drops the answer to a 429) ...
    assert "sending messages very quickly" in too_fast and "999" in too_fast and "116 123" in too_fast
    assert answers[4] == []  # ... and not again for the rest of the burst
    settle(sms, number=number)
    assert len(stub.to(number)) == 3
    text(sms, number, OVERDOSE)  # over the limit, but a crisis
    first = stub.wait_for(number, 4)[3]
    assert "Call 999" in first.body[:60]
    text(sms, number, "STOP")  # an opt-out is always heard
    settle(sms, number=number)
    [state_row] = rows(sms, SmsConversation, number)
    assert state_row.opted_out
