"""Faults made to happen for real: the person still gets a way to a human, never silence."""
from __future__ import annotations

import socket
import uuid
from contextlib import contextmanager

from rasa.utils.endpoints import EndpointConfig
from support import say, texts

from waymark.assistant import fail_open_text


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket closes


@contextmanager
def action_server_down(assistant):
    processor = assistant.agent.processor
    working = processor.action_endpoint
    processor.action_endpoint = EndpointConfig(url=f"http://127.0.0.1:{closed_port()}/webhook")
    try:
        yield
    finally:
        processor.action_endpoint = working


def test_action_server_down_gives_a_helpline_not_silence(client, assistant):
    with action_server_down(assistant):
        replies = say(client, "I need help with my drinking near LS1 4AP", uuid.uuid4().hex)
    reply = texts(replies)
    assert "something went wrong" in reply and "0300 123 6600" in reply and "999" in reply


def test_directory_down_still_gives_the_verified_number():
    text = fail_open_text("sqlite:////nonexistent-dir/for/sure/waymark.db")
    assert "FRANK" in text and "0300 123 6600" in text


def test_when_the_actions_work_again_the_conversation_goes_on(client, assistant):
    sender = uuid.uuid4().hex
    with action_server_down(assistant):
        say(client, "hello", sender)
    assert "Kirkgate Recovery Hub" in texts(say(client, "I need help with my drinking near LS1 4AP", sender))
