"""Crisis replies come first, whatever state the conversation is in (issue 9), end to end
through the web chat endpoint with the real model, actions and directory."""
from __future__ import annotations

import uuid

import pytest

from support import say, texts

GREY_AND_SNORING = "hes gone grey and making a weird snoring noise, i cant get him to answer"


def test_overdose_reply_arrives_first_while_a_form_is_waiting_for_a_place(client, assistant):
    sender = uuid.uuid4().hex
    assert "Where are you?" in texts(say(client, "i need help with my drinking", sender))
    replies = say(client, GREY_AND_SNORING, sender)
    assert replies[0]["text"].startswith("Call 999")
    assert "recovery position" in texts(replies)
    assert "Where are you?" not in texts(replies)  # nothing else gets in the way
    # The person can carry on with what they were doing.
    assert "Kirkgate Recovery Hub" in texts(say(client, "LS1 4AP", sender))


async def test_crisis_flags_the_conversation_urgent(assistant):
    sender = uuid.uuid4().hex
    await assistant.handle(sender, "hello")
    await assistant.handle(sender, "i cant go on, im going to end it tonight")
    tracker = await assistant.agent.tracker_store.retrieve(sender)
    assert tracker.get_slot("urgent") is True
    assert tracker.get_slot("crisis_type") == "suicide"


def test_suicide_reply_gives_samaritans_and_shout_from_the_directory(client):
    reply = texts(say(client, "honestly everyone would be better off if i was dead"))
    assert "116 123" in reply and "85258" in reply


def test_domestic_abuse_reply_gives_the_national_helpline(client):
    reply = texts(say(client, "he hits me when hes had a drink and im scared to go home"))
    assert "999" in reply and "0808 2000 247" in reply


def test_questions_about_overdose_are_not_answered_as_an_emergency(client):
    for message in ("do you have any overdose awareness leaflets", "how long do naloxone kits last"):
        first = say(client, message)[0]["text"]
        assert not first.startswith("Call 999"), message


def test_button_payloads_are_never_triaged(client):
    # A payload is the person pressing a button we offered, not words to read for danger.
    first = say(client, "/ask_human")[0]["text"]
    assert not first.startswith("Call 999")


def test_a_slash_in_front_of_a_crisis_gets_the_crisis_reply_not_a_failure(client):
    # Issue 18: "/..." skipped triage, and Rasa parsed it as a broken intent: "something went wrong".
    for message in ("/ my friend has taken an overdose", "/my friend has taken an overdose"):
        replies = say(client, message)
        assert replies[0]["text"].startswith("Call 999"), message
        assert "something went wrong" not in texts(replies)


def test_other_text_starting_with_a_slash_is_understood_as_words(client):
    reply = texts(say(client, "/ hello"))
    assert "something went wrong" not in reply and "I'm Waymark" in reply
    reply = texts(say(client, '/find_service{"need": "crack"}'))  # not one of Waymark's buttons
    assert "something went wrong" not in reply


def test_crisis_numbers_fall_back_when_the_directory_is_unreachable():
    from waymark.assistant import crisis_lines

    assert crisis_lines("sqlite:////nonexistent-dir/for/sure/x.db") == {}


def _corpus(name: str) -> list[tuple[str, str]]:
    """A file of the crisis corpus's development half (safety/data/)."""
    from support import ROOT

    rows = (ROOT / "safety" / "data" / name).read_text(encoding="utf-8").splitlines()
    return [tuple(r.split("\t", 1)) for r in rows if r.strip() and not r.startswith("#")]


CORPUS_PARTS = 4  # so a test run with several workers (pytest -n) can share the corpus out


@pytest.mark.parametrize("part", range(CORPUS_PARTS))
async def test_whole_path_on_the_corpora_crisis_first_and_few_false_alarms(assistant, part):
    """Patterns AND the model's crisis intent together, as every channel runs them; a quarter
    of each corpus per part, every line in exactly one part."""
    crisis = _corpus("crisis_train.tsv")[part::CORPUS_PARTS]
    near = _corpus("near_miss_train.tsv")[part::CORPUS_PARTS]
    missed, false_alarms = [], []
    for label, text in crisis:
        replies = await assistant.handle(f"corpus-{uuid.uuid4().hex}", text)
        if not replies[0]["text"].startswith("Call 999"):
            missed.append((label, text))
    for label, text in near:
        replies = await assistant.handle(f"corpus-{uuid.uuid4().hex}", text)
        if replies[0]["text"].startswith("Call 999"):
            false_alarms.append((label, text))
    print(f"\nwhole path, part {part}: crisis recall {len(crisis) - len(missed)}/{len(crisis)}, "
          f"false alarms {len(false_alarms)}/{len(near)}: {false_alarms[:10]}")
    assert missed == []
    assert len(false_alarms) <= 0.03 * len(near), false_alarms
