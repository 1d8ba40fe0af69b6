"""SMS text rules, alone: GSM-7, segments, splitting, numbered choices, discreet openings."""
from __future__ import annotations

import pytest

from channels import sms_text as t


def test_typographic_characters_become_plain_gsm7():
    text = "Mon\u2013Wed, it\u2019s \u201cfree\u201d \u2014 just walk in\u2026 \U0001F60A\u2764\ufe0f ok"
    out = t.to_gsm7(text)
    assert out == 'Mon-Wed, it\'s "free" - just walk in... ok'
    assert t.is_gsm7(out)


def test_accents_outside_gsm7_are_folded_and_gsm7_accents_kept():
    assert t.to_gsm7("café crème à Zoë £5") == "café crème à Zoe £5"  # é, à, £ are GSM-7; ë is not
    assert t.to_gsm7("façade") == "facade"


@pytest.mark.parametrize(
    "text, segments",
    [("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3), ("a" * 459, 3), ("a" * 460, 4),
     ("€" * 80, 1), ("€" * 81, 2), ("é" * 160, 1), ("\u0416" * 70, 1), ("\u0416" * 71, 2)],
)
def test_segment_count(text, segments):
    assert t.segment_count(text) == segments


def test_long_text_is_split_at_sentence_boundaries_within_three_segments():
    sentences = [f"This is sentence number {i} and it says something useful." for i in range(30)]
    text = " ".join(sentences)
    parts = t.split_for_sms(text)
    assert len(parts) > 1
    assert all(t.segment_count(p) <= 3 for p in parts)
    assert all(p.endswith(".") for p in parts)  # never cut mid-sentence
    assert " ".join(parts) == text  # nothing lost


def test_a_single_huge_sentence_is_cut_between_words():
    text = " ".join(["word"] * 400)
    parts = t.split_for_sms(text)
    assert all(t.segment_count(p) <= 3 for p in parts)
    assert " ".join(parts) == text


def test_buttons_become_numbered_choices_and_numbers_map_back():
    buttons = [
        {"title": "Help with drugs or alcohol", "payload": '/find_service{"need": "treatment"}'},
        {"title": "Clean needles", "payload": '/find_service{"need": "needle-exchange"}'},
        {"title": "Talk to a person", "payload": "/ask_human"},
    ]
    line, choices = t.numbered_choices(buttons)
    assert line == "Reply 1 for help with drugs or alcohol, 2 for clean needles or 3 for talk to a person."
    assert t.choice_from_reply("1", choices) == '/find_service{"need": "treatment"}'
    assert t.choice_from_reply(" 3. ", choices) == "/ask_human"
    assert t.choice_from_reply("talk to a person", choices) == "/ask_human"
    assert t.choice_from_reply("4", choices) is None
    assert t.choice_from_reply("1 more thing", choices) is None
    assert t.choice_from_reply("1", []) is None


@pytest.mark.parametrize(
    "text",
    [
        "Heroin help near you: ring 0113 496 0100",
        "Nearest to LS1 4AP: Aire Alcohol Service, 1.2 miles away.",
        "If someone has taken an overdose, ring 999.",
        "You can get naloxone free from a pharmacy.",
        "Help with your drinking is available today.",
        "Reply 1 for help with drugs or alcohol.",
        "Your appointment at the needle exchange is on Tuesday.",
        "Kirkgate Recovery Hub is open now, ring first.",
    ],
)
def test_lock_screen_opening_never_spells_out_drugs(text):
    assert not t.is_discreet(text)
    out = t.make_discreet(text)
    assert t.is_discreet(out), out
    assert out.endswith(text)  # the message itself is unchanged after the lead-in


def test_clean_openings_get_the_short_lead_in():
    assert t.make_discreet("Take care. You can message me again any time.") == (
        "Waymark: Take care. You can message me again any time."
    )
    # Past the first 40 characters sensitive words are fine.
    text = "Hi, I'm Waymark, an automated assistant. I can help you find drug services."
    assert t.is_discreet(text)


def test_a_word_cut_at_the_fortieth_character_still_counts():
    text = "x" * 38 + " drugs are mentioned here"
    assert not t.is_discreet(text)


def test_format_replies_end_to_end():
    replies = ["Nearest to LS1 4AP: Kirkgate Recovery Hub (sample), 0.3 miles away. Hours: Mon\u2013Wed 9am\u20135pm."]
    bodies, choices = t.format_replies(replies, [{"title": "Talk to a person", "payload": "/ask_human"}])
    assert len(bodies) == 1
    body = bodies[0]
    assert t.is_gsm7(body) and t.segment_count(body) <= 3 and t.is_discreet(body)
    assert "Mon-Wed 9am-5pm" in body and body.endswith("Reply 1 for talk to a person.")
    assert choices == [{"title": "Talk to a person", "payload": "/ask_human"}]


def test_format_replies_splits_long_content_and_every_part_is_discreet():
    long = " ".join(f"Heroin and alcohol service number {i} is open on weekdays." for i in range(20))
    bodies, _ = t.format_replies([long])
    assert len(bodies) > 1
    for body in bodies:
        assert t.is_gsm7(body) and t.segment_count(body) <= 3 and t.is_discreet(body)
