"""Issue 20 needs 8, 9, 10 and 12 end to end: the person's own words through the real app,
model, actions and seeded directory. These need the model retrained with
nlu_data/honest_answers_as_texted.yml (the words are new to it)."""
from __future__ import annotations


from support import chat


def test_a_mother_afraid_of_losing_her_children_gets_the_honest_answer(client):
    (answer,) = chat(client, "will social services take my children if i tell the drug service i use")
    assert "doesn't on its own mean social services are told" in answer
    assert "child is at risk of harm, they may have to share that" in answer
    assert "explain its rules" in answer


def test_someone_asking_for_a_polish_speaker_gets_one_and_the_interpreter_line(client):
    _, answer = chat(client, "is there anyone who speaks polish", "Leeds")
    assert "Aire Alcohol Service (sample)" in answer and "says they speak Polish" in answer
    assert "ask when you ring" in answer


def test_a_complaint_the_service_did_not_sort_gets_the_route_beyond_it(client):
    (answer,) = chat(client, "i already complained to the service and got nowhere, what can i do now")
    assert "public health team" in answer and "Ombudsman" in answer and "Healthwatch" in answer


def test_grandparents_bringing_up_a_grandson_are_told_they_are_carers(client):
    (answer,) = chat(client, "me and my husband are bringing up our grandson because his mum is on drugs, are we carers")
    assert "you're a carer too" in answer and "carer's assessment" in answer


def test_a_kinship_carer_who_says_where_is_not_asked_where_the_child_lives(client):
    (answer,) = chat(client, "im raising my grandkids because my daughter is on heroin, is there any help for me? LS9")
    assert "kinship care" in answer and "Where does the person you care for live?" not in answer
    assert "Leeds Carers' Assessments" in answer
