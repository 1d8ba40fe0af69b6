"""Twilio edge cases from the probe (issue 22, item 6): a replayed, validly signed webhook is
answered but not acted on twice (de-duplicated on MessageSid / CallSid for 24 hours, in the
database so every instance sees it), and a body that is not Twilio's urlencoded form (a
multipart body with a file part gave a 500) is refused with 415 before anything else."""
from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from twilio_stub import FROM_NUMBER, PUBLIC_URL, open_app, sign, signed_post, sms_params

import timekeeping
from channels.models import DeliveryStatus, OutboxMessage, SmsConversation

NUMBERS = iter(f"+4477009007{n:02d}" for n in range(100))


@pytest.fixture(scope="module")
def sms(settings, assistant, stub):
    client = open_app(settings, assistant, stub)
    yield client
    client.__exit__(None, None, None)


def _settle(client, number: str, timeout: float = 30.0) -> None:
    channels = client.app.state.twilio
    client.portal.call(channels.idle)
    person = channels.identity.hash_number(number)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with channels.session() as session:
            busy = session.execute(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.person_hash == person, OutboxMessage.status.in_(["pending", "sending"]))).scalar()
        if not busy:
            return
        time.sleep(0.05)
    raise AssertionError("texts still waiting")


def test_a_replayed_sms_gets_no_second_reply(sms, stub):
    number = next(NUMBERS)
    params = sms_params(number, "where can I get clean needles in LS1")
    assert signed_post(sms, "/twilio/sms", params).status_code == 200
    _settle(sms, number)
    replies = len(stub.to(number))
    assert replies >= 1
    for _ in range(3):  # the attacker sends the same signed request again
        again = signed_post(sms, "/twilio/sms", params)
        assert again.status_code == 200 and "<Response" in again.text
    _settle(sms, number)
    assert len(stub.to(number)) == replies
    # A new message from the same person (its own MessageSid) is answered as usual.
    assert signed_post(sms, "/twilio/sms", sms_params(number, "thanks")).status_code == 200
    _settle(sms, number)
    assert len(stub.to(number)) > replies


def test_a_replayed_delivery_report_is_recorded_once(sms):
    sid = "SM" + uuid.uuid4().hex
    report = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC" + "0" * 32}
    for _ in range(3):
        assert signed_post(sms, "/twilio/sms/status", report).status_code == 204
    assert signed_post(sms, "/twilio/sms/status", {**report, "MessageStatus": "failed"}).status_code == 204
    with sms.app.state.twilio.session() as session:
        statuses = session.scalars(select(DeliveryStatus.status).where(DeliveryStatus.message_sid == sid)).all()
    assert sorted(statuses) == ["delivered", "failed"]


def test_a_replayed_incoming_call_does_not_reset_the_call(sms):
    from channels.twilio_voice import VoiceState

    caller = next(NUMBERS)
    call = {"CallSid": "CA" + uuid.uuid4().hex, "AccountSid": "AC" + "0" * 32, "From": caller, "To": FROM_NUMBER,
            "CallStatus": "ringing"}
    first = signed_post(sms, "/twilio/voice", call)
    assert first.status_code == 200 and "<Gather" in first.text
    channels = sms.app.state.twilio
    state = VoiceState(channels, channels.identity.hash_number(caller))
    state.save([{"title": "Call back", "payload": "/callback"}])  # the call has moved on
    again = signed_post(sms, "/twilio/voice", call)
    assert again.status_code == 200 and "<Gather" in again.text
    assert state.load() == [{"title": "Call back", "payload": "/callback"}]


def test_the_replay_guard_forgets_after_24_hours(sms):
    from channels.twilio_common import first_time

    channels = sms.app.state.twilio
    key = f"sms:SM{uuid.uuid4().hex}"
    assert first_time(channels, key) and not first_time(channels, key)
    timekeeping.advance(timedelta(hours=23))  # the conftest puts the one clock back afterwards
    assert not first_time(channels, key)
    timekeeping.advance(timedelta(hours=25))
    assert first_time(channels, key)


MULTIPART = ("--XyZ\r\nContent-Disposition: form-data; name=\"From\"\r\n\r\n+447700900999\r\n"
             "--XyZ\r\nContent-Disposition: form-data; name=\"Body\"\r\n\r\nhello\r\n"
             "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n\x00\x01\x02\r\n--XyZ--\r\n").encode("latin-1")


@pytest.mark.parametrize("path", ["/twilio/sms", "/twilio/sms/status", "/twilio/voice", "/twilio/voice/status",
                                  "/twilio/voice/turn"])
@pytest.mark.parametrize("signed", [False, True])
def test_a_multipart_body_with_a_file_is_refused_before_anything_else(sms, path, signed):
    headers = {"content-type": "multipart/form-data; boundary=XyZ"}
    if signed:  # a signature over the text fields, as if the rest were Twilio's
        headers["X-Twilio-Signature"] = sign(PUBLIC_URL + path, {"From": "+447700900999", "Body": "hello"})
    response = sms.post(path, content=MULTIPART, headers=headers)
    assert response.status_code == 415, response.text
    assert "urlencoded" in response.json()["detail"]
    with sms.app.state.twilio.session() as session:
        person = sms.app.state.twilio.identity.hash_number("+447700900999")
        assert session.get(SmsConversation, person) is None


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", ""])
def test_other_bodies_are_refused_too(sms, content_type):
    headers = {"content-type": content_type} if content_type else {}
    assert sms.post("/twilio/sms", content=b'{"From": "+447700900999"}', headers=headers).status_code == 415
