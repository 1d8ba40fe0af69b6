"""Issue 20, needs 8, 9, 10 and 12: answers that must be honest and complete.

* a parent afraid that asking means losing their children gets the honest answer, and the
  real limits of confidentiality, not "the one limit";
* "anyone who speaks polish?" keeps to listings that give the language, says so, and says an
  interpreter can usually be arranged ("ask when you ring");
* a complaint gets the whole route: the service, the council that pays for it, the Ombudsman,
  Healthwatch, an advocate at every step;
* a grandparent bringing up a child because a parent uses is told they are a carer too.

Every test runs the actions (or their wording) against the seeded demo directory: none needs
the model, so none needs retraining.
"""
from __future__ import annotations

import pytest

from actions.advocacy import ActionComplaint
from actions.carers import ActionCarerInfo, is_kinship_carer
from actions.find_service import ActionFindService
from actions.languages import asked_language
from actions.wider_needs import ActionJourneyIntro
from actions.young_people import ActionConfidentiality
from actions.what_to_expect import about_children
from test_actions_journeys import make_tracker, run, said, user


@pytest.fixture(autouse=True)
def _directory(seeded_directory):
    return seeded_directory


# --- need 8: a parent's fear of child protection -----------------------------------------

PARENTS_ASKING = [
    "will social services take my kids if i tell them i drink",
    "im scared if i go to the drug service theyll take my baby off me",
    "do they tell the social if ur using n got kids",
    "WILL MY CHILDREN BE TAKEN INTO CARE IF I ADMIT IM ON COKE",
    "im pregnant and using, will they call social services on me about the baby",
    "if i tell the worker i smoke weed will my son get taken off me",
]


@pytest.mark.parametrize("text", PARENTS_ASKING)
def test_a_parent_afraid_of_losing_their_children_gets_the_honest_answer(text):
    messages, _ = run(ActionConfidentiality(), make_tracker(text, "ask_confidentiality", {"persona": "self"}))
    answer = messages[0]["text"]
    assert "want to help parents keep their children safe" in answer
    assert "Using drugs or alcohol doesn't on its own mean social services are told." in answer
    assert "If a service thinks a child is at risk of harm, they may have to share that." in answer
    assert "Ask the service to explain its rules before you start" in answer
    # the other real limits, said too
    assert "a serious risk to you or someone else" in answer
    assert "share how you're doing with probation or the court" in answer
    assert "one limit" not in answer.lower()
    assert [b["title"] for b in messages[0]["buttons"]] == ["Find help near me", "Talk to a person"]


def test_a_family_member_asking_about_the_grandchildren_gets_the_same_honest_answer():
    text = said(run(ActionConfidentiality(), make_tracker("if my daughter gets help will social workers take the kids",
                                                          "ask_confidentiality", {"persona": "family"}))[0])
    assert "Using drugs or alcohol doesn't on its own mean social services are told." in text


@pytest.mark.parametrize("text", ["is it confidential", "will my gp find out", "will they tell my boss",
                                  "will my son find out im using"])
def test_other_confidentiality_questions_get_the_real_limits_not_the_parents_answer(text):
    answer = said(run(ActionConfidentiality(), make_tracker(text, "ask_confidentiality", {"persona": "self"}))[0])
    assert not about_children(text)
    assert "Lots of parents worry" not in answer
    assert "serious risk to you or someone else" in answer and "if a child may not be safe" in answer
    assert "probation or the court" in answer


def test_a_young_person_asking_about_their_baby_gets_the_young_persons_limits():
    answer = said(run(ActionConfidentiality(), make_tracker("im 16 n pregnant will they tell social services about my baby",
                                                            "ask_confidentiality", {"persona": "young-person"}))[0][:1])
    assert "What you tell a young people's service stays private." in answer
    assert "a child isn't safe" in answer and "Lots of parents worry" not in answer


# --- need 10: complaints, the whole route ------------------------------------------------

def test_a_complaint_gets_the_whole_route_in_order():
    messages, _ = run(ActionComplaint(), make_tracker("i want to complain about my drug service", "ask_complaint"))
    text = said(messages)
    steps = ["ask the service for its complaints procedure", "the council that pays for the service",
             "its public health team", "Local Government and Social Care Ombudsman",
             "run by the NHS, it's the Parliamentary and Health Service Ombudsman"]
    positions = [text.find(step) for step in steps]
    assert -1 not in positions, text
    assert positions == sorted(positions)
    assert "local Healthwatch can give you advice" in text
    assert "An independent advocate can help you at every step." in text


# --- need 12: kinship carers ------------------------------------------------------------

KINSHIP = [
    "im raising my grandson because his mum is on heroin, am i a carer",
    "we took in my sisters kids cos she drinks, is there any help for us",
    "my granddaughter lives with us now her dad uses crack",
    "got a special guardianship order for my nephew, his mum is an alcoholic",
    "im their nan and they live with me full time since there mum started on the gear",
]


@pytest.mark.parametrize("text", KINSHIP)
def test_a_kinship_carer_is_told_they_are_a_carer_with_an_assessment_and_family_support(text):
    answer = said(run(ActionCarerInfo(), make_tracker(text, "ask_carer_info", {"persona": "family"}))[0])
    assert "you're a carer too" in answer
    assert "You can ask the council for a carer's assessment. It's free" in answer
    assert "Family support services are for you as well" in answer


def test_a_kinship_carer_asking_for_family_support_hears_it_too():
    answer = said(run(ActionJourneyIntro(), make_tracker("my grandkids live with me because their mum uses",
                                                         "ask_family_support", {"need": "family-support"}))[0])
    assert "If you're bringing up a child because their parent uses drugs or alcohol, you're a carer too." in answer


@pytest.mark.parametrize("text", ["my son uses crack", "am i a carer", "my grandson is in custody",
                                  "i have a grandson who drinks"])
def test_other_carers_get_the_usual_carer_answer(text):
    assert not is_kinship_carer(text)
    answer = said(run(ActionCarerInfo(), make_tracker(text, "ask_carer_info", {"persona": "family"}))[0])
    assert "If you give unpaid help to someone, you're a carer." in answer
    assert "kinship" not in answer


# --- need 9: languages ----------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("anyone who speaks polish?", "Polish"),
    ("is there a polish speaking worker in leeds", "Polish"),
    ("ktos mowi po polsku? i need someone in polish pls", "Polish"),
    ("my mum only speaks urdu, can she get help for her drinking", "Urdu"),
    ("do u have arabic interpreter", "Arabic"),
    ("need a service with BSL, im deaf", "British Sign Language"),
])
def test_a_language_asked_for_is_read_from_the_words(text, name):
    assert asked_language(text).name == name


@pytest.mark.parametrize("text", ["my polish husband drinks every day", "where can i get clean needles",
                                  "im in french quarter"])
def test_a_language_only_mentioned_is_not_a_filter(text):
    found = asked_language(text)
    assert found is None or found.name is None


def test_an_interpreter_without_a_language_is_still_a_language_need():
    found = asked_language("my english is not good, can i have interpreter")
    assert found is not None and found.name is None


def test_anyone_who_speaks_polish_gets_a_listing_that_gives_polish_and_the_interpreter_line():
    messages, _ = run(ActionFindService(), make_tracker(
        "anyone who speaks polish in leeds", "find_service", {"need": "treatment", "place": "Leeds"}))
    first = messages[0]["text"]
    assert first.startswith("Nearest to Leeds: Aire Alcohol Service (sample)")
    assert "The listing for Aire Alcohol Service (sample) says they speak Polish." in first
    assert "If you need an interpreter, ask when you ring. NHS-funded services can usually arrange one." in first
    assert "I couldn't find" not in said(messages)


def test_the_language_asked_earlier_in_the_journey_is_remembered_when_the_place_comes():
    earlier = [user("any urdu speaking workers for my dad he drinks", "find_service")]
    messages, _ = run(ActionFindService(), make_tracker(
        "manchester", "inform_place", {"need": "treatment", "place": "Manchester"}, events=earlier))
    first = messages[0]["text"]
    assert first.startswith("Nearest to Manchester: Piccadilly Recovery Centre (sample)")
    assert "says they speak Polish and Urdu." in first
    assert "ask when you ring" in first


def test_a_language_no_listing_gives_is_said_honestly_before_the_nearest_service():
    messages, _ = run(ActionFindService(), make_tracker(
        "is there anyone who speaks tigrinya in leeds", "find_service", {"need": "treatment", "place": "Leeds"}))
    assert messages[0]["text"] == ("I couldn't find a service near Leeds whose listing says they speak Tigrinya. "
                                   "If you need an interpreter, ask when you ring. NHS-funded services can usually "
                                   "arrange one.")
    assert messages[1]["text"].startswith("Nearest to Leeds: ")


def test_a_listing_shows_its_languages_even_when_nobody_asked():
    messages, _ = run(ActionFindService(), make_tracker(
        "M1 2AA", "inform_place", {"need": "treatment", "place": "M1 2AA"}))
    first = messages[0]["text"]
    assert first.startswith("Nearest to M1 2AA: Piccadilly Recovery Centre (sample)")
    assert "says they speak Polish and Urdu." in first
    assert "interpreter" not in first  # nobody asked about language


def test_the_search_filters_by_a_listed_language_by_name_or_code(db):
    from directory import search

    for wanted in ("pl", "Polish", "polish"):
        found = search.search(db, search.SearchQuery(latitude=53.7985, longitude=-1.5405, need="treatment",
                                                     language=wanted))
        assert [m.service_id for m in found][:1] == ["sample-leeds-alcohol-service"]
    assert search.search(db, search.SearchQuery(latitude=53.7985, longitude=-1.5405, need="treatment",
                                                language="Tigrinya")) == []


# --- need 9 on the staff page: a language filter, and the language on the listing ----------

def test_the_staff_page_filters_by_language_and_shows_it_on_the_listing(fresh_directory):
    from test_staff_page import app_for, names, search as staff_search

    client = app_for(fresh_directory)
    everything = staff_search(client, area="Leeds", need="treatment")
    polish = staff_search(client, area="Leeds", need="treatment", language="Polish")
    assert names(polish) == ["Aire Alcohol Service (sample)"] and len(everything["listings"]) > 1
    assert "Speaks Polish" in polish["listings"][0]["tags"]
    assert names(staff_search(client, area="Leeds", need="treatment", language="pl")) == names(polish)
    nobody = staff_search(client, area="Leeds", need="treatment", language="Tigrinya")
    assert nobody["listings"] == [] and nobody["summary"].startswith("No local services match near Leeds")
    page = client.get("/staff").text
    assert '<label for="language">Speaks a language</label>' in page


# --- need 9 as a follow-up: "do they speak polish?" about the listing just given -------------

@pytest.mark.parametrize("text", ["do they speak polish", "any polish speakers there?", "can i get an interpreter there"])
def test_asking_about_language_after_a_listing_is_a_follow_up(text):
    from understanding import follow_ups

    assert follow_ups.act_on({"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": []},
                             has_listing=True) == (follow_ups.INTENT, [{"entity": "follow_up", "value": "language"}])


@pytest.mark.parametrize("service_id, text, expected", [
    ("sample-leeds-alcohol-service", "do they speak polish",
     "Yes, the listing for Aire Alcohol Service (sample) says they speak Polish. Ring 0113 496 0200 and ask."),
    ("sample-leeds-recovery-hub", "do they speak polish",
     "The listing for Kirkgate Recovery Hub (sample) doesn't say they speak Polish. Ring 0113 496 0100 and ask."),
    ("sample-manchester-recovery", "can i get an interpreter there",
     "The listing for Piccadilly Recovery Centre (sample) says they speak Polish and Urdu."),
])
def test_a_language_follow_up_says_what_the_listing_says_and_offers_an_interpreter(service_id, text, expected):
    from actions.service_details import ActionServiceDetails

    entities = [{"entity": "follow_up", "value": "language"}]
    tracker = make_tracker(text, "EXTERNAL_listing_follow_up", {"last_service_id": service_id}, entities=entities)
    answer = said(run(ActionServiceDetails(), tracker)[0])
    assert answer.startswith(expected)
    assert "If you need an interpreter, ask when you ring. NHS-funded services can usually arrange one." in answer
