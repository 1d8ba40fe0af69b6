"""The held-out scorer (benchmarks/heldout_eval.py) plays `channel: sms` journeys by text, as a
person's phone would see them, and never quietly skips a journey it cannot play.

These use only texts written here, never the held-out set (tests/heldout/README.md).
"""
from __future__ import annotations

import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import heldout_eval  # noqa: E402

from channels.twilio_sms import HELP, STOPPED  # noqa: E402

AT = "2026-11-25T11:00:00+00:00"  # a Wednesday, as the held-out journeys are played


def journeys(*items: dict) -> dict:
    return {"version": 1, "at": AT, "never": ["something went wrong"], "journeys": list(items)}


def test_a_text_journey_the_run_cannot_text_counts_as_failed_not_skipped():
    played = heldout_eval.play_journeys(None, journeys(
        {"id": "t1", "kind": "k", "who": "pwud", "channel": "sms", "turns": [{"user": "HELP"}]}), fail_open="")
    assert played["passed"] == 0 and played["journeys"] == 1
    assert played["failing"][0]["turns"][0]["failed"] == ["no_sms_channel"]
    assert played["by_channel"] == {"sms": {"passed": 0, "of": 1, "pass_rate": 0.0}}


def test_each_text_journey_has_a_drama_number_of_its_own_never_waymarks():
    from twilio_stub import FROM_NUMBER

    numbers = [heldout_eval.sms_number(n) for n in range(998)]
    assert len(set(numbers)) == 998 and FROM_NUMBER not in numbers
    assert all(n.startswith("+447700900") and len(n) == 13 for n in numbers)


def test_a_journey_without_a_channel_is_web_chat():
    assert heldout_eval.journey_channel({"turns": []}) == "web"
    assert heldout_eval.journey_channel({"channel": "sms"}) == "sms"


def test_the_scorer_reads_the_texts_the_phone_gets(settings, assistant):
    with heldout_eval.TextingApp(settings, assistant) as (client, stub):
        send = heldout_eval.sms_sender(client, stub)
        status, content, has_text = send("+447700900991", "HELP")
        assert (status, has_text) == (200, True) and HELP in content
        status, content, _ = send("+447700900992", "STOP")
        assert STOPPED in content and HELP not in content  # each number sees only its own texts
        assert len(stub.to("+447700900991")) == 1 and HELP in stub.to("+447700900991")[0].body


def test_text_journeys_are_played_and_scored_by_channel(settings, assistant, client):
    with heldout_eval.TextingApp(settings, assistant) as (sms_client, stub):
        played = heldout_eval.play_journeys(client, journeys(
            {"id": "t2", "kind": "k", "who": "pwud", "channel": "sms",
             "turns": [{"user": "HELP", "contains_all": ["Reply STOP", "999"]}]},
            {"id": "t3", "kind": "k", "who": "pwud", "channel": "sms",
             "turns": [{"user": "HELP", "contains_any": ["a phrase the help text never has"]}]},
        ), fail_open="", sms_send=heldout_eval.sms_sender(sms_client, stub))
    assert played["by_channel"]["sms"] == {"passed": 1, "of": 2, "pass_rate": 0.5}
    assert [f["id"] for f in played["failing"]] == ["t3"]
    assert played["turns_without_reply"] == 0
