"""Twilio's API unreachable (for real: the REST client pointed at a closed port). The text
waits in the durable outbox, retried, its number kept only encrypted; once Twilio answers
again it goes out, and nothing was lost. (Twilio answering 500 or refusing a message for
good is covered in tests/test_twilio_sms.py.)"""
from __future__ import annotations

import time

from sqlalchemy import select
from support import free_port
from twilio_stub import TwilioStub, open_app, signed_post, sms_params, twilio_settings

from channels.models import OutboxMessage
from channels.outbox import TwilioSender

NUMBER = "+447700900888"


def test_twilio_unreachable_the_text_waits_and_goes_once_twilio_is_back(settings, assistant):
    with TwilioStub() as stub:
        sms = open_app(settings, assistant, stub, twilio_api_base_url=f"http://127.0.0.1:{free_port()}")
        try:
            channels = sms.app.state.twilio
            person = channels.identity.hash_number(NUMBER)
            assert signed_post(sms, "/twilio/sms", sms_params(NUMBER, "STOP")).status_code == 200

            def row():  # None until the turn, which runs after the webhook has answered, queues it
                with channels.session() as session:
                    return session.execute(select(OutboxMessage).where(OutboxMessage.person_hash == person)
                                           ).scalars().one_or_none()

            deadline = time.monotonic() + 20
            while row() is None or row().attempts < 2:  # tried, and tried again after backing off
                assert time.monotonic() < deadline, "the outbox did not retry"
                time.sleep(0.05)
            waiting = row()
            assert waiting.status in ("pending", "sending") and "Could not reach Twilio" in waiting.last_error
            assert waiting.to_encrypted and "7700" not in waiting.to_encrypted
            assert stub.to(NUMBER) == []

            channels.outbox.sender = TwilioSender(twilio_settings(settings, stub.url))  # Twilio is back
            [message] = stub.wait_for(NUMBER)
            assert "won't get any more messages" in message.body
            deadline = time.monotonic() + 10
            while row().status != "sent":
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert row().to_encrypted is None and row().twilio_sid == message.sid
        finally:
            sms.__exit__(None, None, None)
