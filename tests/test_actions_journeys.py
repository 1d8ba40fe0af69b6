"""Each journey's custom action against the real seeded demo directory.

The actions open their own directory sessions on WAYMARK_DATABASE_URL, which conftest points
at the seeded test database; trackers and dispatchers are rasa_sdk's own.
"""
from __future__ import annotations

import asyncio
from datetime import date, datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.advocacy import ActionComplaint, ActionLegalAdvice
from actions.carers import ActionAskCaredForPlace, ActionCarerInfo, ActionFindCarersAssessment, ValidateCarersAssessmentForm
from actions.context import ActionExtractContext
from actions.find_service import ActionAskPlace, ActionFindService, ValidateFindServiceForm
from actions.helplines import ActionOfferHelpline
from actions.naloxone import ActionNaloxoneInfo
from actions.persona import ActionAcknowledgePersona
from actions.service_details import ActionServiceDetails
from actions.staff import ActionClientText
from actions.waiting import (ActionAppointmentReminder, ActionRelapse, ActionSetReminder, ActionWaitingIntro,
                             ValidateReminderForm, parse_day, reminder_time)
from actions.wider_needs import ActionJourneyIntro
from actions.young_people import ActionConfidentiality
from directory import hours

DOMAIN = {"forms": {"find_service_form": {"required_slots": ["place"]},
                    "carers_assessment_form": {"required_slots": ["cared_for_place"]},
                    "reminder_form": {"required_slots": ["appointment_date"]}},
          "slots": {}}


def user(text: str, intent: str = "", entities=None) -> dict:
    return {"event": "user", "text": text,
            "parse_data": {"text": text, "intent": {"name": intent}, "entities": entities or []}}


def make_tracker(text: str = "", intent: str = "", slots: dict | None = None, entities=None,
                 events: list | None = None) -> Tracker:
    events = list(events or []) + [user(text, intent, entities)]
    return Tracker("test", dict(slots or {}), {"text": text, "intent": {"name": intent}, "entities": entities or []},
                   events, False, None, {}, "action_listen")


def run(action, tracker: Tracker):
    dispatcher = CollectingDispatcher()
    result = action.run(dispatcher, tracker, DOMAIN)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return dispatcher.messages, result


def said(messages) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def slots_of(events) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture(autouse=True)
def _directory(seeded_directory):
    return seeded_directory


# --- who is asking --------------------------------------------------------------------

@pytest.mark.parametrize("text, intent, persona", [
    ("my son uses crack", "ask_family_support", "family"),
    ("im 14 and my mum drinks too much", "ask_young_people", "young-person"),
    ("how do i refer a patient for detox", "ask_referral_route", "professional"),
    ("i want help with my drinking", "find_service", "self"),
    ("i'm a community nurse, where can my patient get a script", "find_service", "professional"),
    ("calling from the surgery about someone who drinks", "find_service", "professional"),
    ("im a carer for my nan, she drinks every day", "ask_carer_info", "family"),
    ("my little brother is on spice", "find_service", "family"),
    ("my 16 year old son is smoking weed every day", "ask_family_support", "family"),  # his age, not theirs
    ("im her grandma and i look after her kids", "ask_carer_info", "family"),
])
def test_context_recognises_who_is_asking(text, intent, persona):
    _, events = run(ActionExtractContext(), make_tracker(text, intent))
    assert slots_of(events)["persona"] == persona


def test_context_keeps_persona_but_a_child_is_always_a_young_person():
    _, events = run(ActionExtractContext(), make_tracker("i drink too", "find_service", {"persona": "family"}))
    assert "persona" not in slots_of(events)
    _, events = run(ActionExtractContext(), make_tracker("im 15 btw", "inform_persona", {"persona": "family"}))
    assert slots_of(events) == {"age": 15, "persona": "young-person"}


def test_acknowledge_persona_offers_next_steps_for_that_person():
    messages, _ = run(ActionAcknowledgePersona(),
                      make_tracker('/inform_persona{"persona": "family"}', "inform_persona",
                                   {"persona": "family"}))
    assert "in their own right" in said(messages)
    assert {"Carer's assessment", "Naloxone"} <= {b["title"] for b in messages[0]["buttons"]}


def test_form_asks_who_it_is_for_once_for_naloxone_only():
    form = ValidateFindServiceForm()
    required = asyncio.run(form.required_slots(["place"], CollectingDispatcher(),
                                               make_tracker("naloxone", "ask_naloxone", {"need": "naloxone"}), DOMAIN))
    assert required == ["persona", "place"]
    for slots in ({"need": "naloxone", "persona": "not-said"}, {"need": "treatment"}):
        tracker = make_tracker("help", "find_service", slots)
        assert asyncio.run(form.required_slots(["place"], CollectingDispatcher(), tracker, DOMAIN)) == ["place"]


def test_an_unanswered_who_is_it_for_is_not_asked_again():
    asked = [{"event": "slot", "name": "requested_slot", "value": "persona"}]
    tracker = make_tracker("dunno", "nlu_fallback", {"need": "naloxone", "requested_slot": "persona"}, events=asked)
    result = asyncio.run(ValidateFindServiceForm().extract_persona(CollectingDispatcher(), tracker, DOMAIN))
    assert result == {"persona": "not-said"}


def test_ask_place_uses_the_words_of_the_journey():
    messages, _ = run(ActionAskPlace(), make_tracker("", "", {"need": "prison-release"}))
    assert "after release" in said(messages)


# --- find a service (journey 1), harm reduction (2), naloxone (3) ---------------------

def test_find_service_says_how_to_get_in_and_what_to_expect():
    messages, events = run(ActionFindService(), make_tracker("LS1 4AP", "inform_place",
                                                            {"need": "treatment", "substance": "alcohol", "place": "LS1 4AP"}))
    text = said(messages)
    assert "Kirkgate Recovery Hub" in text and "walk in" in text and "What to expect" in text
    assert slots_of(events)["last_service_id"] == "sample-leeds-recovery-hub"


def test_needle_exchange_is_harm_reduction_without_a_lecture():
    messages, _ = run(ActionFindService(), make_tracker("LS6", "inform_place", {"need": "needle-exchange", "place": "LS6"}))
    text = said(messages)
    assert "Headingley Pharmacy Needle Exchange" in text and "pharmacy scheme" in text and "naloxone too" in text
    assert "rehab" not in text.lower() and "stop" not in text.lower()


def test_naloxone_info_says_families_and_staff_can_get_it():
    text = said(run(ActionNaloxoneInfo(), make_tracker("what is naloxone", "ask_naloxone"))[0])
    assert "without a prescription" in text and "family" in text and "hostel" in text and "999" in text


@pytest.mark.parametrize("persona, place, expected, fit", [
    ("family", "Manchester", "Moss Side Family Support", "family and friends"),
    ("professional", "Leeds", "Kirkgate Recovery Hub", "train staff"),
    ("self", "LS6", "Headingley Pharmacy Needle Exchange", "give out naloxone"),
])
def test_naloxone_answer_depends_on_who_is_asking(persona, place, expected, fit):
    messages, _ = run(ActionFindService(), make_tracker(place, "inform_place",
                                                       {"need": "naloxone", "persona": persona, "place": place}))
    text = said(messages)
    assert expected in text and fit in text


# --- families and carers (4) -----------------------------------------------------------

def test_carer_info_explains_the_assessment_and_asks_where_the_cared_for_person_lives():
    text = said(run(ActionCarerInfo(), make_tracker("am i a carer", "ask_carer_info"))[0])
    assert "carer's assessment" in text and "free" in text and "doesn't want help" in text
    asked = said(run(ActionAskCaredForPlace(), make_tracker("", "", {}))[0])
    assert "person you care for live" in asked


def test_carers_assessment_goes_to_the_council_where_the_cared_for_person_lives():
    messages, events = run(ActionFindCarersAssessment(),
                           make_tracker("Manchester", "inform_place", {"cared_for_place": "Manchester", "place": "Leeds"}))
    text = said(messages)
    assert "Manchester Carers' Assessments" in text and "0161 496 0600" in text
    assert "Carers UK" in text and "0808 808 7777" in text


def test_carers_form_takes_a_place_only_as_the_answer():
    asked = [{"event": "slot", "name": "requested_slot", "value": "cared_for_place"}]
    form = ValidateCarersAssessmentForm()
    tracker = make_tracker("leeds", "inform_place", events=asked)
    assert asyncio.run(form.extract_cared_for_place(CollectingDispatcher(), tracker, DOMAIN)) == {"cared_for_place": "leeds"}
    assert form.validate_cared_for_place("leeds", CollectingDispatcher(), tracker, DOMAIN) == {"cared_for_place": "Leeds"}


def test_family_support_puts_family_services_first_and_offers_more():
    messages, _ = run(ActionFindService(), make_tracker("Leeds", "inform_place",
                                                       {"need": "family-support", "persona": "family", "place": "Leeds"}))
    assert messages[0]["text"].startswith("Nearest to Leeds: Families First Leeds")
    assert "carer's assessment" in said(messages)


# --- young people (5) ------------------------------------------------------------------

def test_young_person_gets_young_peoples_service_and_childline():
    messages, _ = run(ActionFindService(), make_tracker("leeds", "inform_place",
                                                       {"need": "treatment", "persona": "young-person", "place": "Leeds"}))
    text = said(messages)
    assert "Leeds Young People's Drug and Alcohol Service" in text and "Kirkgate" not in text
    assert "Childline" in text and "0800 1111" in text


def test_young_carer_gets_the_young_persons_route():
    messages, _ = run(ActionFindCarersAssessment(), make_tracker("leeds", "inform_place",
                                                                {"cared_for_place": "Leeds", "persona": "young-person"}))
    text = said(messages)
    assert "Young People's" in text and "Childline" in text and "Carers' Assessments" not in text


def test_confidentiality_and_its_limits_for_a_young_person():
    messages, _ = run(ActionConfidentiality(), make_tracker("will they tell my parents", "ask_confidentiality",
                                                           {"persona": "young-person"}))
    text = said(messages)
    assert "won't tell your parents" in text and "serious danger" in text and "0800 1111" in text


# --- advocacy and rights (6), wider needs (7) ------------------------------------------

def test_complaint_and_legal_advice():
    assert "complaints procedure" in said(run(ActionComplaint(), make_tracker("complain", "ask_complaint"))[0])
    text = said(run(ActionLegalAdvice(), make_tracker("i got arrested", "ask_legal_advice"))[0])
    assert "Release" in text and "020 7324 2989" in text


@pytest.mark.parametrize("need, intro, service", [
    ("pregnancy", "specialist midwife", "Leeds Specialist Midwives"),
    ("prison-release", "release date", "Leeds Release and Continuity Team"),
    ("mental-health", "looked at together", "Aire Dual Diagnosis Team"),
    ("employment", "Work, training", "Recovery into Work Leeds"),
    ("housing", "sleeping rough", "Leeds Street Outreach and Housing Team"),
    ("user-involvement", "user forum", "Leeds Service User Voice Forum"),
    ("advocacy", "advocate", "Leeds Advocacy and Rights Project"),
])
def test_wider_needs_introduce_then_find_the_specialist_service(need, intro, service):
    assert intro in said(run(ActionJourneyIntro(), make_tracker("", "", {"need": need}))[0])
    messages, _ = run(ActionFindService(), make_tracker("LS1", "inform_place", {"need": need, "place": "LS1"}))
    assert service in said(messages)


def test_mental_health_also_gives_samaritans_from_the_directory():
    messages, _ = run(ActionFindService(), make_tracker("LS1", "inform_place", {"need": "mental-health", "place": "LS1"}))
    assert "116 123" in said(messages)


# --- waiting and staying in (8) --------------------------------------------------------

def test_waiting_gets_interim_options_and_a_reminder_offer():
    tracker = make_tracker("LS1", "inform_place", {"place": "LS1"},
                           events=[user("they said a month wait", "tell_waiting")])
    assert "meantime" in said(run(ActionWaitingIntro(), tracker)[0])
    messages, _ = run(ActionFindService(), tracker)
    text = said(messages)
    assert "Drop in: Kirkgate Recovery Hub" in text and "Peer support: Harehills" in text and "FRANK" in text
    assert any(b["payload"] == "/request_reminder" for b in messages[-1]["buttons"])


def test_reminder_is_scheduled_the_day_before():
    tracker = make_tracker("friday", "", {"appointment_date": "2030-01-11"})
    messages, events = run(ActionSetReminder(), tracker)
    assert events[0]["event"] == "reminder" and events[0]["date_time"].startswith("2030-01-10T10:00")
    assert "phone too" in said(messages)
    assert "tomorrow" in said(run(ActionAppointmentReminder(), make_tracker("", "", {}))[0])


def test_reminder_form_understands_everyday_dates():
    monday = date(2026, 11, 23)
    assert parse_day("tuesday", monday) == date(2026, 11, 24)
    assert parse_day("next fri", monday) == date(2026, 11, 27)
    assert parse_day("14th march", monday) == date(2027, 3, 14)
    assert parse_day("3/12", monday) == date(2026, 12, 3)
    assert parse_day("in a month", monday) is None
    late = datetime(2026, 11, 23, 20, 0, tzinfo=hours.LONDON)
    assert reminder_time(date(2026, 11, 24), late) > late
    form = ValidateReminderForm()
    assert form.validate_appointment_date("banana", CollectingDispatcher(), make_tracker(), DOMAIN) == {"appointment_date": None}


def test_relapse_is_met_without_judgement():
    messages, events = run(ActionRelapse(), make_tracker("ive relapsed", "tell_relapse", {"substance": "opioids"}))
    text = said(messages)
    assert "Thank you for telling me" in text and "naloxone" in text
    assert slots_of(events) == {"need": "treatment"}


# --- frontline staff (9) ---------------------------------------------------------------

def test_staff_get_the_referral_route_and_a_client_text():
    messages, events = run(ActionFindService(), make_tracker(
        "how do i refer a patient for alcohol detox in Leeds", "ask_referral_route",
        {"need": "treatment", "substance": "alcohol", "place": "Leeds", "persona": "professional"}))
    text = said(messages)
    assert "How to refer to" in text and "Include: Name, date of birth" in text and "Ages 18 and over" in text
    assert any(b["payload"] == "/request_client_text" for m in messages for b in m.get("buttons") or [])
    service_id = slots_of(events)["last_service_id"]
    short = said(run(ActionClientText(), make_tracker("yes", "request_client_text", {"last_service_id": service_id}))[0])
    assert "ring 0113 496" in short


def test_custody_referrals_go_to_the_team_that_holds_them_now():
    messages, _ = run(ActionFindService(), make_tracker("leeds", "inform_place",
                                                       {"need": "criminal-justice", "place": "Leeds",
                                                        "persona": "professional"}))
    text = said(messages)
    assert "Custody" in text or "Release and Continuity" in text
    assert "How to refer to" in text


# --- opening hours, number, directions (10), and never a dead end (11) ----------------

@pytest.mark.parametrize("intent, expected", [
    ("ask_phone_number", "ring 0113 496 0100"),
    ("ask_directions", "Put LS1 7AA into a maps app"),
    ("ask_open_now", "Hours: Mon–Wed, Fri 9am–5pm"),
])
def test_service_details_about_the_last_service(intent, expected):
    messages, _ = run(ActionServiceDetails(), make_tracker("?", intent, {"last_service_id": "sample-leeds-recovery-hub"}))
    assert expected in said(messages)


def test_confidential_address_is_never_given_as_directions():
    messages, _ = run(ActionServiceDetails(), make_tracker("where is it", "ask_directions",
                                                          {"last_service_id": "sample-leeds-womens-group"}))
    text = said(messages)
    assert "private" in text and "LS7" not in text


def test_no_service_yet_is_not_a_dead_end():
    assert "Tell me what you need" in said(run(ActionServiceDetails(), make_tracker("number?", "ask_phone_number"))[0])


def test_young_person_asking_for_a_human_gets_childline():
    messages, events = run(ActionOfferHelpline(), make_tracker("can i talk to someone", "ask_human",
                                                             {"persona": "young-person"}))
    assert "Childline" in said(messages)
    assert slots_of(events)["last_service_id"] == "national-childline"


# --- wording fixes (issues 19 and 20) ----------------------------------------------------

def test_a_24_hour_service_reads_open_24_hours_every_day():
    """Issue 19: a 24-hour service's hours read "Mon–Sun 12am–12am"."""
    messages, _ = run(ActionFindService(), make_tracker("LS10", "inform_place", {"need": "housing", "place": "LS10"}))
    listing = messages[0]["text"]
    assert "Leeds Street Outreach and Housing Team" in listing
    assert "Open 24 hours, every day." in listing and "12am" not in listing and "Mon–Sun" not in listing
    asked = said(run(ActionServiceDetails(), make_tracker("is it open", "ask_open_now",
                                                          {"last_service_id": "sample-leeds-hostel-outreach"}))[0])
    assert asked.startswith("Yes, Leeds Street Outreach and Housing Team (sample) is open now.")
    assert "Open 24 hours, every day." in asked and "12am" not in asked
    short = said(run(ActionClientText(), make_tracker("yes", "request_client_text",
                                                      {"last_service_id": "sample-leeds-hostel-outreach"}))[0])
    assert "Open 24 hours, every day." in short and "12am" not in short


@pytest.mark.parametrize("service_id, line", [
    ("national-drinkline", "Drinkline is a phone line, so there's no address to visit. Ring 0300 123 1110."),
    ("national-frank", "FRANK is a phone line, so there's no address to visit. Ring 0300 123 6600 or text 82111."),
    ("national-shout", "Shout is a text line, so there's no address to visit. Text 85258."),
    ("sample-helpline-adults", "Northern Drug and Alcohol Helpline (sample) is a phone line"),
])
def test_a_national_line_asked_for_its_address_is_a_line_not_a_refuge(service_id, line):
    """Issue 19: after a fallback that offered Drinkline, "what's the address" got "Drinkline keeps
    its address private to keep people safe". Only a confidential place says that."""
    text = said(run(ActionServiceDetails(), make_tracker("whats the address", "ask_directions",
                                                         {"last_service_id": service_id}))[0])
    assert text.startswith(line)
    assert "private" not in text and "keep people safe" not in text
    if service_id.startswith("national-"):
        assert "Open 24 hours, every day." in text


@pytest.fixture
def own_directory(fresh_directory, monkeypatch):
    """The actions on a directory of this test's own, so listings can be closed."""
    monkeypatch.setenv("WAYMARK_DATABASE_URL", fresh_directory)
    return fresh_directory


def test_a_closed_service_names_its_successor_from_the_directory(own_directory):
    """Issue 20: "{name} may have closed. Ask me to look again" should name the successor."""
    from directory import editing
    from directory.db import session_scope

    with session_scope(own_directory) as session:
        editing.close_service(session, "sample-leeds-alcohol-service", "test",
                              successor_id="sample-leeds-recovery-hub")
    messages, events = run(ActionServiceDetails(), make_tracker(
        "whats their number", "ask_phone_number", {"last_service_id": "sample-leeds-alcohol-service"}))
    assert messages[0]["text"] == ("Aire Alcohol Service (sample) has closed. "
                                   "Kirkgate Recovery Hub (sample) has taken over from it.")
    assert "ring 0113 496 0100" in messages[1]["text"] and "0113 496 0200" not in said(messages)
    assert "may have closed" not in said(messages) and "look again" not in said(messages)
    assert slots_of(events) == {"last_service_id": "sample-leeds-recovery-hub"}


def test_a_closed_service_without_a_successor_says_so_and_offers_to_find_another(own_directory):
    from directory import editing
    from directory.db import session_scope

    with session_scope(own_directory) as session:
        editing.close_service(session, "sample-leeds-alcohol-service", "test")
        editing.suspend_service(session, "sample-leeds-pharmacy-nsp", "test", alert="Closed for repairs until Monday")
    gone = said(run(ActionServiceDetails(), make_tracker("is it open", "ask_open_now",
                                                         {"last_service_id": "sample-leeds-alcohol-service"}))[0])
    assert gone == ("Aire Alcohol Service (sample) has closed. "
                    "Tell me what you need and where, and I'll find another service.")
    paused = said(run(ActionServiceDetails(), make_tracker("is it open", "ask_open_now",
                                                           {"last_service_id": "sample-leeds-pharmacy-nsp"}))[0])
    assert paused.startswith("Headingley Pharmacy Needle Exchange (sample) is closed for now. "
                             "Closed for repairs until Monday.")
    assert "I'll find another service" in paused


# --- asking for a person: never a button back to the same reply (issue 19) -----------------

OPEN = "2026-11-25T11:00"  # a Wednesday morning: the sample helplines take conversations
CLOSED = "2026-11-28T20:00"  # a Saturday evening: they are closed


def buttons_of(messages) -> list[dict]:
    return [b for m in messages for b in m.get("buttons") or []]


def on_channel(tracker: Tracker, channel: str) -> Tracker:
    tracker.events[-1]["input_channel"] = channel
    return tracker


def test_talk_to_a_person_here_is_offered_when_a_live_helpline_is_open(handover_time):
    handover_time(OPEN)
    messages, _ = run(ActionOfferHelpline(), make_tracker("purple monkey", "nlu_fallback"))
    assert {"title": "Talk to a person here", "payload": "/ask_human"} in buttons_of(messages)
    text = said(messages)
    assert "Nobody can chat" not in text
    assert "real person at FRANK. Ring 0300 123 6600 or text 82111." in text


def test_when_the_live_helpline_is_closed_nobody_can_chat_here_and_there_is_no_button(handover_time):
    handover_time(CLOSED)
    messages, events = run(ActionOfferHelpline(), make_tracker("purple monkey", "nlu_fallback"))
    assert buttons_of(messages) == []
    last = messages[-1]["text"]
    assert last == ("Nobody can chat with you here right now. You can talk to a real person at FRANK. "
                    "Ring 0300 123 6600 or text 82111. It is confidential. Open 24 hours, every day.")
    assert slots_of(events) == {"last_service_id": "national-frank"}


def test_a_line_that_is_not_24_7_gives_its_hours_and_when_it_opens(handover_time, monkeypatch):
    from actions import common

    handover_time(CLOSED)
    monkeypatch.setitem(common.HELPLINE_FOR_SUBSTANCE, "alcohol", "national-carers-uk")  # office hours
    text = said(run(ActionOfferHelpline(), make_tracker("help", "ask_human", {"substance": "alcohol"}))[0])
    assert "Ring 0808 808 7777." in text
    assert "They are closed now. They open Monday at 9am. Hours: Mon–Fri 9am–6pm." in text


def test_with_no_live_helpline_asking_for_a_person_is_not_a_dead_end_loop(own_directory, handover_time):
    """Issue 19: with no helpline marked for live handover, "can I talk to a real person" got
    FRANK's number and [Talk to a person here]; pressing it gave the same reply and button."""
    from actions.handover import ActionOfferHandover
    from directory import editing
    from directory.db import session_scope

    handover_time(OPEN)
    with session_scope(own_directory) as session:
        for helpline in ("sample-helpline-adults", "sample-helpline-families"):
            editing.close_service(session, helpline, "test")
    asked = run(ActionOfferHandover(), make_tracker("can I talk to a real person", "ask_human"))[0]
    pressed = run(ActionOfferHandover(), make_tracker("/ask_human", "ask_human"))[0]
    for messages in (asked, pressed):
        assert buttons_of(messages) == []  # nothing leads back to this reply
        text = said(messages)
        assert text.startswith("Nobody can chat with you here right now.")
        assert "Ring 0300 123 6600 or text 82111." in text and "Open 24 hours, every day." in text


def test_on_a_call_with_nobody_to_put_it_through_to_it_says_so(handover_time):
    from actions.handover import ActionOfferHandover

    handover_time(CLOSED)
    tracker = on_channel(make_tracker("can I talk to a real person", "ask_human"), "twilio_voice")
    messages, _ = run(ActionOfferHandover(), tracker)
    assert buttons_of(messages) == []
    assert said(messages).startswith("I can't put you through to a person right now. "
                                     "You can talk to a real person at FRANK.")


# --- issue 20: wording that must be honest --------------------------------------------------

def test_prison_release_reads_plainly_and_warns_about_tolerance():
    messages, _ = run(ActionJourneyIntro(), make_tracker("", "", {"need": "prison-release"}))
    intro, warning = messages[0]["text"], messages[1]["text"]
    assert "where you'll live the release date" not in intro
    assert "Tell the prison team and the drug service your release date and where you'll live" in intro
    assert "your old amount could kill you" in warning and "Use much less than before." in warning
    assert "Don't use alone." in warning and "Carry naloxone" in warning
    assert "prison's drug team or your local service for a kit on release" in warning
    assert "junkie" not in warning.lower() and "addict" not in warning.lower()


@pytest.mark.parametrize("substance, expected", [
    ("opioids", "use less than before: your old amount could kill you"),
    (None, "use less than before: your old amount could kill you"),
    ("alcohol", "If you use again, use less than before"),
])
def test_relapse_promises_nothing_it_cannot_keep_and_says_use_less(substance, expected):
    messages, _ = run(ActionRelapse(), make_tracker("ive relapsed", "tell_relapse", {"substance": substance}))
    text = said(messages)
    assert "or any service, today" not in text
    assert "You can ask your service, or another local service, to see you again." in text
    assert "ask how soon they can" in text
    assert expected in text


def test_housing_says_using_shouldnt_stop_help_and_what_to_expect():
    text = said(run(ActionJourneyIntro(), make_tracker("", "", {"need": "housing"}))[0])
    assert "Using drugs or alcohol shouldn't stop you getting help." in text
    assert "doesn't stop you" not in text
    assert "A worker will ask where you're staying now and what you need" in text


def test_naloxone_intro_is_honest_that_provision_varies():
    text = said(run(ActionNaloxoneInfo(), make_tracker("what is naloxone", "ask_naloxone"))[0])
    assert "Anyone who might need it to save a life can get one" not in text
    assert "to anyone who might need it to save a life" in text
    assert "Not every place does, so ring first to check." in text


@pytest.mark.parametrize("persona, place", [("self", "LS6"), ("family", "Manchester"), ("professional", "Leeds"),
                                            ("young-person", "Leeds"), ("not-said", "LS1")])
def test_every_naloxone_listing_says_ring_first(persona, place):
    messages, _ = run(ActionFindService(), make_tracker(place, "inform_place",
                                                       {"need": "naloxone", "persona": persona, "place": place}))
    assert "Ring first to check" in said(messages[1:])


def test_a_needle_exchange_with_naloxone_says_ring_first():
    messages, _ = run(ActionFindService(), make_tracker("LS6", "inform_place", {"need": "needle-exchange", "place": "LS6"}))
    assert "They can give you naloxone too. Ring first to check they have kits." in said(messages)


@pytest.mark.parametrize("persona", ["self", "family", "not-said"])
def test_confidentiality_states_its_real_limits(persona):
    text = said(run(ActionConfidentiality(), make_tracker("is it confidential", "ask_confidentiality",
                                                          {"persona": persona}))[0])
    assert "one limit" not in text.lower()
    assert "serious risk to you or someone else" in text
    assert "if a child may not be safe" in text
    assert "share how you're doing with probation or the court" in text
    assert "not on its own a reason to tell social services" in text
    assert "Ask them to explain their rules at the start." in text


def test_a_young_persons_confidentiality_states_its_real_limits():
    text = said(run(ActionConfidentiality(), make_tracker("will they tell my parents", "ask_confidentiality",
                                                          {"persona": "young-person"}))[0])
    assert "one limit" not in text.lower()
    assert "serious danger" in text and "a child isn't safe" in text
    assert "If a court sent you, they may share how you're doing with the court" in text


def test_legal_advice_points_to_release_a_solicitor_or_citizens_advice(own_directory):
    from directory import editing
    from directory.db import session_scope

    listed = said(run(ActionLegalAdvice(), make_tracker("i got arrested", "ask_legal_advice"))[0])
    assert "020 7324 2989" in listed and "A solicitor or Citizens Advice can help" in listed
    with session_scope(own_directory) as session:
        editing.close_service(session, "national-release", "test")
    missing = said(run(ActionLegalAdvice(), make_tracker("i got arrested", "ask_legal_advice"))[0])
    assert "NHS 111" not in missing and "FRANK" not in missing
    assert "Release's drugs and legal helpline, a solicitor or Citizens Advice" in missing


def test_the_client_text_note_points_staff_to_the_staff_page(monkeypatch):
    messages, _ = run(ActionClientText(), make_tracker("yes", "request_client_text",
                                                       {"last_service_id": "sample-leeds-alcohol-service"}))
    note = messages[0]["text"]
    assert "from here yet" not in note
    assert note == ("I can't send texts from this chat. The staff page can: sign in at /staff with a staff "
                    "account. Or copy this into a text to them:")
    monkeypatch.setenv("WAYMARK_PUBLIC_URL", "https://waymark.example.org/")
    messages, _ = run(ActionClientText(), make_tracker("yes", "request_client_text",
                                                       {"last_service_id": "sample-leeds-alcohol-service"}))
    assert "sign in at https://waymark.example.org/staff with a staff account" in messages[0]["text"]
