"""Issue 20 needs 1-3 end to end: the person's own words through the real app, model, actions
and seeded directory. The safety facts come first; the dialogue's own answer still follows."""
from __future__ import annotations


from support import chat


def test_getting_out_of_prison_hears_about_tolerance_and_naloxone(client):
    (answer,) = chat(client, "getting out of prison next week, used to do a couple of bags a day")
    assert "tolerance" in answer and "don't use alone" in answer and "prison's drug team" in answer


def test_someone_asking_for_rehab_hears_how_it_is_reached(client):
    (answer,) = chat(client, "how do i get into rehab in manchester")
    assert "assessment" in answer and "funding" in answer and "ring and ask how long" in answer


def test_older_drinker_gets_the_self_check_and_drinkline_from_the_directory(client):
    (answer,) = chat(client, "am i drinking too much? i have about 3 bottles of wine a week")
    assert "14 units a week" in answer and "about 9" in answer
    assert "Drinkline (0300 123 1110)" in answer and "GP" in answer


def test_daily_drinker_is_told_not_to_stop_suddenly_alone(client):
    (answer,) = chat(client, "i drink a bottle of vodka every day, can i just stop")
    assert "don't stop suddenly" in answer and "fits" in answer and "NHS 111" in answer


def test_the_safety_facts_are_said_once_in_a_conversation_not_at_every_mention(client):
    first, second = chat(client, "how do i get into rehab in manchester", "is rehab free")
    assert first.count("ring and ask how long") == 1
    assert "ring and ask how long" not in second and second.strip()  # still answered, without the repeat
