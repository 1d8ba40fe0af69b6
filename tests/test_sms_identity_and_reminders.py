"""Keyed hashing and encryption of numbers, and the reminder parser, alone."""
from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from channels.identity import Identity, load_secret
from channels.reminders import describe, is_cancel_request, parse_reminder

LONDON = ZoneInfo("Europe/London")
TUESDAY_9AM = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)  # a Tuesday


def test_the_same_number_hashes_the_same_however_it_is_written():
    identity = Identity(b"one secret")
    spellings = ["+447700900123", "+44 7700 900123", "07700 900123", "0044 7700 900 123"]
    assert len({identity.hash_number(s) for s in spellings}) == 1
    assert identity.hash_number("+447700900124") != identity.hash_number("+447700900123")
    assert "7700" not in identity.hash_number("+447700900123")
    # Another secret gives unrelated hashes: the hash is keyed, not a plain digest.
    assert Identity(b"another secret").hash_number("+447700900123") != identity.hash_number("+447700900123")


def test_numbers_are_encrypted_and_only_the_same_secret_reads_them():
    identity = Identity(b"one secret")
    token = identity.encrypt("+447700900123")
    assert "7700" not in token and identity.decrypt(token) == "+447700900123"
    assert Identity(b"another secret").decrypt(token) is None


def test_a_development_secret_is_generated_once_kept_and_announced(tmp_path, caplog):
    path = tmp_path / "var" / "secret_key"
    with caplog.at_level(logging.WARNING):
        first = load_secret("", path)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert "generated a development secret" in caplog.text and "WAYMARK_SECRET_KEY" in caplog.text
    assert load_secret("", path) == first
    assert load_secret("configured", path) == b"configured"


@pytest.mark.parametrize(
    "text, expected, purpose",
    [
        ("remind me on Tuesday at 10", datetime(2026, 12, 1, 10, 0), ""),
        ("Remind me on Tuesday at 8am", datetime(2026, 12, 8, 8, 0), ""),  # 8am today has passed
        ("remind me tomorrow at 2pm", datetime(2026, 12, 2, 14, 0), ""),
        ("remind me at 10:30", datetime(2026, 12, 1, 10, 30), ""),
        ("remind me friday at 2", datetime(2026, 12, 4, 14, 0), ""),  # a bare 2 is the afternoon
        ("remind me next tuesday", datetime(2026, 12, 8, 10, 0), ""),  # no time: 10am
        ("remind me at noon tomorrow", datetime(2026, 12, 2, 12, 0), ""),
        ("remind me to ring the hub on Thursday at 9.15am", datetime(2026, 12, 3, 9, 15), "ring the hub"),
        ("please remind me about my appointment tomorrow at 11", datetime(2026, 12, 2, 11, 0), "my appointment"),
    ],
)
def test_reminder_requests_are_understood_in_uk_time(text, expected, purpose):
    request = parse_reminder(text, TUESDAY_9AM)
    assert request is not None and request.due == expected.replace(tzinfo=LONDON)
    assert request.purpose == purpose


def test_uk_time_follows_the_clocks_changing():
    saturday = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)  # British Summer Time starts on Sunday 29 March
    request = parse_reminder("remind me on Monday at 10", saturday)
    assert request.due.utcoffset().total_seconds() == 3600  # 10am BST is 9am UTC
    assert describe(request.due, saturday) == "on Monday 30 March at 10am"


def test_not_a_reminder_or_not_enough_to_go_on():
    assert parse_reminder("hello, I need help near LS1 4AP", TUESDAY_9AM) is None
    assert parse_reminder("remind me", TUESDAY_9AM).due is None


@pytest.mark.parametrize("text", ["cancel reminder", "Cancel my reminders", "cancel", "stop reminders", "delete the reminder"])
def test_cancel_requests(text):
    assert is_cancel_request(text)


@pytest.mark.parametrize("text", ["cancel my appointment with the hub", "I want to stop drinking", "remind me at 10"])
def test_not_cancel_requests(text):
    assert not is_cancel_request(text)
