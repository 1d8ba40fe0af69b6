"""Fuzzing the ways in, through the real app and model: web chat with any JSON, any bytes and
any content type, and Twilio's SMS webhook with validly signed but arbitrary forms. Never a
500, never a hidden failure (a turn that crashed in the background), and a refused message
leaves no conversation behind. Few examples: each accepted one is a turn of the model."""
from __future__ import annotations

import itertools
import json
import logging
import uuid

import pytest
from fuzzing import ANY_TEXT, CONTENT_TYPES, JSON, TEXT, bounded
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from support import WEBHOOK, run_async


@bounded(20)
@given(sender=TEXT, message=ANY_TEXT, extra=st.dictionaries(TEXT, JSON, max_size=2))
def test_web_chat_answers_any_message_or_refuses_it_cleanly(client, assistant, sender, message, extra):
    conversation = f"fuzz-{uuid.uuid4().hex[:12]}{sender}"
    response = client.post(WEBHOOK, json={**extra, "sender": conversation, "message": message})
    assert response.status_code in (200, 413, 422), response.text[:300]
    if response.status_code == 200:
        replies = response.json()
        assert replies and all(r["recipient_id"] == conversation and (r.get("text") or r.get("buttons"))
                               for r in replies)
    else:
        assert response.json()["detail"]
        if len(conversation) <= 128:
            assert not run_async(assistant.has_conversation(conversation))


@bounded(25)
@given(body=st.one_of(st.binary(max_size=300), JSON.map(json.dumps).map(str.encode),
                      st.just(b'{"sender": "x", "message": "hi"'), st.just(b"sender=x&message=hi")),
       content_type=CONTENT_TYPES)
def test_web_chat_refuses_malformed_bodies_and_wrong_content_types_cleanly(client, body, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post(WEBHOOK, content=body, headers=headers)
    assert response.status_code in (200, 400, 413, 422), (body[:100], response.text[:300])


@pytest.fixture(scope="module")
def sms(settings, assistant):
    from twilio_stub import TwilioStub, open_app

    with TwilioStub() as stub:
        client = open_app(settings, assistant, stub)
        yield client
        client.__exit__(None, None, None)


FRESH_NUMBERS = (f"+447700905{n:03d}" for n in itertools.count())
PARAMS = st.dictionaries(st.sampled_from(["NumMedia", "MediaUrl0", "FromCity", "SmsStatus", "X"]), TEXT, max_size=3)


@bounded(20)
@given(body=st.one_of(ANY_TEXT, st.sampled_from(["STOP", "start", "HELP", "1", "remind me at 99:99", "DELETE"]),
                      st.none()),
       number=st.one_of(st.builds(lambda: next(FRESH_NUMBERS)), TEXT.filter(str.strip)), extra=PARAMS)
def test_signed_sms_of_any_shape_is_answered_or_refused_cleanly(sms, caplog, body, number, extra):
    from twilio_stub import signed_post, sms_params

    from channels.models import SmsConversation

    channels = sms.app.state.twilio
    caplog.set_level(logging.ERROR)
    failures_before = sum("SMS turn failed" in r.getMessage() for r in caplog.records)
    response = signed_post(sms, "/twilio/sms", {**extra, **sms_params(number, body)})
    assert response.status_code in (200, 400, 413), response.text[:300]
    sms.portal.call(channels.idle)
    assert sum("SMS turn failed" in r.getMessage() for r in caplog.records) == failures_before
    if response.status_code != 200:
        assert response.json()["detail"]
        with channels.session() as session:
            person = channels.identity.hash_number(number)
            assert session.execute(select(SmsConversation).where(SmsConversation.person_hash == person)
                                   ).first() is None or not number.startswith("+447700905")
