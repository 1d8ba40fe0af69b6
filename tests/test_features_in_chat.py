"""Issue 20 item 11: asking in chat for a place with something particular - women only, children
welcome, walk in, self-referral, open now, in the evening or at the weekend. The search puts the
places that list it first, says which it has, and is honest when none near there lists it."""
from __future__ import annotations

from datetime import date, time
from types import SimpleNamespace

import pytest

from actions import listing_words
from directory import hours
from support import chat
from understanding.follow_ups import wanted_in


@pytest.mark.parametrize("text, wanted", [
    ("is there a women only service in leeds", ("women-only",)),
    ("somewhere i can take my kids with me", ("child-friendly",)),
    ("anywhere i can just walk in LS6", ("walk-in",)),
    ("can i refer myself without my gp", ("self-referral",)),
    ("anything open now near M4", ("open-now",)),
    ("somewhere open late, i work days", ("evenings",)),
    ("is anywhere open at the weekend near LS6", ("weekends",)),
    ("i need help with my drinking, LS9", ()),
])
def test_what_a_search_asks_for_is_read_from_the_words(text, wanted):
    assert wanted_in(text) == wanted


def test_the_reply_says_what_the_place_has_and_is_honest_about_what_none_lists():
    text = listing_words.wanted_reply("Kirkgate Recovery Hub", "LS1", ("walk-in", "evenings"), ("walk-in",))
    assert "Kirkgate Recovery Hub lists walk-in" in text
    assert "None of the places I have near LS1 list opening in the evening" in text and "ringing to ask" in text
    assert listing_words.wanted_reply("Kirkgate", "LS1", (), ()) is None


def test_evening_and_weekend_opening_come_from_the_hours():
    def row(days, opens, closes):
        return SimpleNamespace(byday=days, opens_at=opens, closes_at=closes, valid_from=None, valid_to=None,
                               freq="WEEKLY", dtstart=None, until=None)

    weekdays = [row("MO,TU,WE,TH,FR", time(9), time(17))]
    late_thursday = weekdays + [row("TH", time(17), time(20))]
    saturday = weekdays + [row("SA", time(10), time(13))]
    monday = date(2026, 11, 30)
    assert not hours.opens_evenings(weekdays) and hours.opens_evenings(late_thursday)
    assert not hours.opens_weekends(weekdays, monday) and hours.opens_weekends(saturday, monday)


def test_a_women_only_place_is_offered_first_when_asked_for(client):
    (answer,) = chat(client, "is there a women only drug service in leeds")
    first = answer.split("\n")[0]
    assert "lists women-only sessions" in answer, answer
    assert "women" in first.lower() or "Women" in first


def test_a_weekend_opening_is_offered_first_when_asked_for(client):
    (answer,) = chat(client, "is anywhere open at the weekend for drug help near LS1")
    assert "lists opening at weekends" in answer and "Sat" in answer.split("\n")[0]
