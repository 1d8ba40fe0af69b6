"""The journeys end to end: the person's own words through the real app, model, actions and
seeded directory. Context is remembered: nobody is asked twice for what they said."""
from __future__ import annotations


from support import chat


def test_naloxone_asks_once_who_it_is_for_then_answers_for_a_parent(client):
    first, who, where = chat(client, "where can i get naloxone", "for my son", "LS6")
    assert "without a prescription" in first and "Who is it for?" in first
    assert "Where do you (or they) live?" in who
    assert "family and friends" in where and "Who is it for?" not in where


def test_naloxone_for_hostel_staff_gets_training_and_the_referral_route(client):
    _, _, answer = chat(client, "naloxone", "im a hostel worker", "leeds")
    assert "train staff" in answer and "How to refer to" in answer


def test_who_it_is_for_is_not_asked_when_they_already_said(client):
    (first,) = chat(client, "can i get naloxone for my brother hes on gear in manchester")
    assert "Who is it for?" not in first and "Moss Side Family Support" in first


def test_harm_reduction_in_slang_without_a_lecture(client):
    (answer,) = chat(client, "need clean works near LS6")
    assert "Needle Exchange" in answer and "rehab" not in answer.lower()


def test_carers_assessment_asks_where_the_cared_for_person_lives(client):
    info, answer = chat(client, "am i a carer", "manchester")
    assert "carer's assessment" in info and "Where does the person you care for live?" in info
    assert "Manchester Carers' Assessments" in answer and "0808 808 7777" in answer


def test_child_worried_about_a_parent_gets_the_young_persons_route(client):
    _, answer, private = chat(client, "im 14 my mum drinks too much", "leeds", "will they tell my mum")
    assert "Young People's" in answer and "Childline" in answer and "Kirkgate" not in answer
    assert "serious danger" in private


def test_staff_referral_route_and_text_for_the_client(client):
    route, short = chat(client, "how do i refer a patient for alcohol detox in Leeds", "yes short version")
    assert "How to refer to" in route and "Include:" in route
    assert "copy this into a text" in short and "ring 0113 496" in short
    assert "The staff page can: sign in at /staff" in short


def test_custody_referrals(client):
    _, answer = chat(client, "who takes referrals for custody now", "leeds")
    assert "How to refer to" in answer and ("Custody" in answer or "Release and Continuity" in answer)


def test_place_is_remembered_across_journeys_and_what_about_instead_works(client):
    first, second, moved, number = chat(client, "im getting out of prison next week", "leeds",
                                        "im pregnant and using", "whats the number again")
    assert "after release" in first and "Leeds Release and Continuity Team" in second
    assert "Where are you" not in moved and "Specialist Midwives" in moved
    assert "0113 496 0120" in number


def test_waiting_then_reminder(client):
    _, options, ask, done = chat(client, "they said a month wait", "LS1", "yes remind me", "next friday")
    assert "Drop in:" in options and "FRANK" in options and "reminder" in options
    assert "When is the appointment?" in ask
    assert "remind you" in done and "phone too" in done


def test_relapse_is_met_without_judgement(client):
    first, answer = chat(client, "ive relapsed", "leeds")
    assert "Thank you for telling me" in first and "Kirkgate Recovery Hub" in answer


def test_advocacy_legal_and_having_a_say(client):
    (legal,) = chat(client, "i got arrested for possession")
    assert "020 7324 2989" in legal
    _, forum = chat(client, "service user forum", "leeds")
    assert "Voice Forum" in forum


def test_changing_journey_while_asked_where_is_not_a_dead_end(client):
    _, switched, answer = chat(client, "i want help with my drinking", "what is naloxone", "leeds")
    assert "Naloxone is a medicine" in switched and "don't know where" not in switched
    assert "Nearest to Leeds" in answer


def test_a_real_place_the_directory_has_no_services_near_is_told_so_with_a_national_line(client):
    (answer,) = chat(client, "i need help with my drinking, im in NE1")
    assert "don't have any services near NE1" in answer and "Drinkline on 0300 123 1110" in answer
    assert "don't know where" not in answer


def test_a_place_nobody_has_heard_of_is_still_asked_for_again(client):
    _, answer = chat(client, "i need help with heroin", "Zzyzx")
    assert "don't know where" in answer and "services near" not in answer


def test_a_detox_with_no_unit_near_is_reached_through_the_local_service(client):
    """No detox unit is listed near M4: the local drug and alcohol service arranges one, so it is
    the listing given, not "I couldn't find a service"."""
    (answer,) = chat(client, "im a gp receptionist, how do i refer a patient for alcohol detox? M4")
    assert "couldn't find" not in answer and "Piccadilly Recovery Centre" in answer
    assert "assessment" in answer


def test_a_worker_asking_about_a_young_person_gets_the_young_peoples_service(client):
    (answer,) = chat(client, "whats the referral route for a 15 year old using cannabis in manchester")
    assert "Young People" in answer.split("\n")[0] or "young people" in answer.split("\n")[0].lower()


def test_a_neighbourhood_the_postcode_table_has_no_row_for_is_searched_from_its_district(client):
    (answer,) = chat(client, "i need help with heroin, im in headingley")
    assert "Nearest to Headingley" in answer and "don't have any services" not in answer


def test_a_service_named_with_a_place_in_its_name_is_described_not_searched_for(client):
    (answer,) = chat(client, "what does harehills peer support do")
    assert "Harehills Peer Support" in answer and "don't have any services" not in answer
