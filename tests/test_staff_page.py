"""The staff lookup page's API: search with referral routes, and texting details to a client.

Searching runs on an app without a model (`create_app` without `with`: nothing loads). The
texting tests start the app for real on the session's one model, with Twilio pointed at the
local stub, and check what reaches the client's phone and what is left in the database.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from fuzzing import ANY_TEXT, JSON, bounded
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from support import a_week_after_the_sample_was_checked, checked_on_text, sample_checked_on
from twilio_stub import open_app

import timekeeping
from channels import sms_text
from channels.models import OutboxMessage, SmsConversation
from channels.staff import texting
from directory import editing
from directory.db import session_scope
from directory.models import Metadata, ReviewItem, Service
from waymark.app import create_app
from waymark.settings import Settings

PASSWORD = "a long staff password"
KIRKGATE = "sample-leeds-recovery-hub"
ALCOHOL_SERVICE = "sample-leeds-alcohol-service"


def app_for(url: str) -> TestClient:
    return TestClient(create_app(Settings(database_url=url)))


def add_account(url: str, name: str, role: str = "staff") -> None:
    with session_scope(url) as session:
        editing.add_account(session, name, PASSWORD, role)


def sign_in(client: TestClient, name: str) -> dict:
    response = client.post("/auth/token", data={"username": name, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def search(client: TestClient, **ask) -> dict:
    response = client.post("/staff/api/search", json=ask)
    assert response.status_code == 200, response.text
    return response.json()


def names(results: dict) -> list[str]:
    return [listing["name"] for listing in results["listings"]]


def by_id(results: dict, service_id: str) -> dict:
    return next(listing for listing in results["listings"] if listing["id"] == service_id)


# --- the page ------------------------------------------------------------------------------


def test_the_page_is_served_by_the_app_with_its_own_files_and_no_inline_code(fresh_directory):
    client = app_for(fresh_directory)
    page = client.get("/staff")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/staff.js">' in page.text and "/static/staff.css" in page.text
    assert "<script>" not in page.text and "style=" not in page.text and "onclick" not in page.text
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for asset in ("/static/staff.js", "/static/staff.css"):
        assert client.get(asset).status_code == 200
    assert "@media print" in client.get("/static/staff.css").text


def test_the_filter_choices_come_from_the_taxonomy(fresh_directory):
    choices = app_for(fresh_directory).get("/staff/api/choices").json()
    assert choices["needs"]["criminal-justice"] == "Criminal justice: custody, courts and probation"
    assert choices["substances"]["alcohol"] == "Alcohol" and "family" in choices["audiences"]
    assert choices["default_miles"] in choices["distances_miles"]


# --- searching -----------------------------------------------------------------------------


def test_a_search_gives_the_referral_route_hours_distance_and_last_checked_date(fresh_directory):
    a_week_after_the_sample_was_checked()  # a year on, the same listing is stale: "ring first"
    results = search(app_for(fresh_directory), area="LS1 4AP", need="treatment", substance="alcohol")
    assert results["place"] == "LS1 4AP"
    assert results["summary"] == f"{results['count']} services found near LS1 4AP, nearest first."
    distances = [listing["distance_miles"] for listing in results["listings"]
                 if listing["distance_miles"] is not None]  # a confidential place has only a band
    assert distances == sorted(distances) and len(distances) >= 2
    alcohol = by_id(results, ALCOHOL_SERVICE)
    referral = alcohol["referral"]
    assert referral["who_can_refer"].startswith("Anyone. The person can refer themselves")
    assert referral["ways"] == ["phone", "email"] and referral["phone"] == "0113 496 0200"
    assert referral["include"] == "Name, date of birth, units a day, any past withdrawal fits, GP details."
    assert referral["ages"] == "Ages 18 and over"
    assert referral["what_to_expect"].startswith("Ring to book a first chat on the phone.")
    assert alcohol["hours"] == "Mon–Fri 8:30am–4:30pm"
    assert alcohol["opening_text"] in ("Open now.", "Ring to check when it is open.") or \
        alcohol["opening_text"].startswith("Closed now. Opens ")
    assert alcohol["address"] == "3 Cross Green Lane, Leeds, LS9 8AB"
    assert alcohol["distance_text"].endswith(" miles away")
    checked = sample_checked_on()
    assert alcohol["last_checked"] == checked.isoformat() and alcohol["last_checked_text"] == checked_on_text(checked)
    assert alcohol["is_sample"] is True


def test_a_professionals_only_route_says_the_person_cannot_refer_themselves(fresh_directory):
    results = search(app_for(fresh_directory), area="Leeds", need="criminal-justice")
    custody = by_id(results, "sample-leeds-custody-team")
    assert custody["referral"]["who_can_refer"] == (
        "Professionals. The person can't refer themselves: you need to refer them.")
    assert custody["referral"]["ways"] == ["phone", "email"] and custody["referral"]["ages"] == "Ages 18 and over"
    assert "custody number" in custody["referral"]["include"]
    assert custody["open_now"] is True and custody["opening_text"] == "Open now."  # 24/7


def test_filters_narrow_the_results(fresh_directory):
    client = app_for(fresh_directory)
    everything = search(client, area="Leeds", need="treatment", within_miles=25)
    women = search(client, area="Leeds", need="treatment", women_only=True)
    assert women["listings"] and len(women["listings"]) < len(everything["listings"])
    assert all("Women only" in listing["tags"] for listing in women["listings"])
    walk_in = search(client, area="Leeds", need="treatment", walk_in=True)
    assert walk_in["listings"] and all(listing["referral"]["walk_in"] for listing in walk_in["listings"])
    assert len(walk_in["listings"]) < len(everything["listings"])
    young = search(client, area="Leeds", need="treatment", audience="young-person")
    assert "Kirkgate Recovery Hub (sample)" not in names(young)
    near = search(client, area="LS1 4AP", need="treatment", within_miles=1)
    assert all((listing["distance_miles"] or 0) <= 1.0 for listing in near["listings"])
    assert len(near["listings"]) < len(everything["listings"])


def test_open_now_keeps_only_services_open_at_this_moment(fresh_directory):
    client = app_for(fresh_directory)
    housing = search(client, area="LS1 4AP", need="housing", open_now=True)
    assert "Leeds Street Outreach and Housing Team (sample)" in names(housing)  # 24/7
    everything = search(client, area="Leeds", need="treatment")
    open_now = search(client, area="Leeds", need="treatment", open_now=True)
    assert names(open_now) == [x["name"] for x in everything["listings"] if x["open_now"]]


def test_a_stale_listing_says_when_it_was_last_checked_and_to_ring_first(fresh_directory):
    old = timekeeping.today() - timedelta(days=200)
    with session_scope(fresh_directory) as session:
        session.get(Service, ALCOHOL_SERVICE).assured_date = old
    alcohol = by_id(search(app_for(fresh_directory), area="LS9", need="treatment"), ALCOHOL_SERVICE)
    assert alcohol["stale"] is True
    assert alcohol["last_checked_text"] == f"Last checked on {old.day} {old.strftime('%b %Y')} — ring first."
    assert "Ring first to check these details." in alcohol["sms_summary"]


def test_a_closed_service_is_never_shown_and_its_successor_is(fresh_directory):
    client = app_for(fresh_directory)
    assert "Kirkgate Recovery Hub (sample)" in names(search(client, area="LS1 4AP", need="needle-exchange"))
    with session_scope(fresh_directory) as session:
        editing.close_service(session, KIRKGATE, "test", successor_id="sample-leeds-pharmacy-nsp")
    after = names(search(client, area="LS1 4AP", need="needle-exchange"))
    assert "Kirkgate Recovery Hub (sample)" not in after
    assert "Headingley Pharmacy Needle Exchange (sample)" in after


def test_a_confidential_address_is_never_shown(fresh_directory):
    results = search(app_for(fresh_directory), area="Leeds", need="treatment", women_only=True)
    group = next(x for x in results["listings"] if x["id"] == "sample-leeds-womens-group")
    assert group["address"] is None and "Confidential" not in str(group)


@pytest.mark.parametrize("area, expected", [
    ("Narnia", 'Sorry, I don\'t know where "Narnia" is. Try a postcode like LS1 4AP'),
    ("SW1A 1AA", "Sorry, SW1A 1AA is not in Waymark's postcode list, and nor is its district SW1A."),
    ("ZZ9", "Sorry, the postcode district ZZ9 is not in Waymark's postcode list."),
    ("   ", "Type an area first"),
])
def test_an_unknown_area_gets_a_specific_polite_answer(fresh_directory, area, expected):
    response = app_for(fresh_directory).post("/staff/api/search", json={"area": area})
    assert response.status_code == 422
    assert response.json()["detail"].startswith(expected)


def test_an_unknown_filter_value_is_named_in_the_answer(fresh_directory):
    response = app_for(fresh_directory).post("/staff/api/search", json={"area": "LS1", "substance": "tea"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith('Sorry, "tea" is not a substance Waymark knows. Choose one of: alcohol,')


def test_when_nothing_local_matches_the_national_lines_are_offered(fresh_directory):
    results = search(app_for(fresh_directory), area="LS1 4AP", need="family-support", within_miles=1,
                     women_only=True)
    assert results["listings"] == [] and results["count"] == 0
    assert results["summary"].startswith("No local services match near LS1 4AP with these filters.")
    national = [x["name"] for x in results["national"]]
    assert "Carers UK helpline" in national
    assert all(x["distance_text"] == "National service" for x in results["national"])


# --- texting: the checks that come before anything is sent ---------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("07700 900123", "+447700900123"), ("+44 7700 900123", "+447700900123"),
    ("(07700) 900-123", "+447700900123"), ("0044 7700 900123", "+447700900123"),
])
def test_uk_mobile_numbers_are_accepted_in_the_ways_people_write_them(typed, expected):
    assert texting.uk_mobile(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("0113 496 0100", texting.NOT_A_MOBILE), ("+1 202 555 0143", texting.NOT_UK),
    ("07700 90012", texting.WRONG_LENGTH), ("call me", texting.NOT_A_NUMBER), ("", texting.NOT_A_NUMBER),
])
def test_numbers_that_cannot_be_texted_say_why(typed, expected):
    with pytest.raises(texting.BadNumber) as refused:
        texting.uk_mobile(typed)
    assert str(refused.value) == expected


def test_texting_needs_a_staff_or_admin_account(fresh_directory):
    client = app_for(fresh_directory)
    ask = {"mobile": "07700 900123", "service_ids": [KIRKGATE]}
    assert client.post("/staff/api/text", json=ask).status_code == 401
    add_account(fresh_directory, "eddie", role="editor")
    refused = client.post("/staff/api/text", json=ask, headers=sign_in(client, "eddie"))
    assert refused.status_code == 403 and "staff" in refused.json()["detail"]


def test_without_twilio_settings_texting_answers_503_with_a_clear_message(fresh_directory):
    client = app_for(fresh_directory)
    add_account(fresh_directory, "sam")
    response = client.post("/staff/api/text", json={"mobile": "07700 900123", "service_ids": [KIRKGATE]},
                           headers=sign_in(client, "sam"))
    assert response.status_code == 503
    assert response.json()["detail"] == texting.NOT_SET_UP
    assert "Please print them" in response.json()["detail"]


def test_a_bad_number_is_refused_politely_before_anything_else(fresh_directory):
    client = app_for(fresh_directory)
    add_account(fresh_directory, "sam")
    response = client.post("/staff/api/text", json={"mobile": "0113 496 0100", "service_ids": [KIRKGATE]},
                           headers=sign_in(client, "sam"))
    assert response.status_code == 422 and response.json()["detail"] == texting.NOT_A_MOBILE


# --- texting for real, through the outbox to the local Twilio stub ---------------------------


@pytest.fixture
def texting_app(settings, assistant, stub, fresh_directory):
    """The app started for real (outbox running) on this test's own directory database."""
    client = open_app(settings, assistant, stub, database_url=fresh_directory)
    yield client
    client.__exit__(None, None, None)


def settle(client: TestClient, timeout: float = 20.0) -> None:
    channels = client.app.state.twilio
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with channels.session() as session:
            waiting = session.scalar(select(func.count()).select_from(OutboxMessage)
                                     .where(OutboxMessage.status.in_(["pending", "sending"])))
        if not waiting:
            return
        time.sleep(0.05)
    raise AssertionError("the outbox did not empty")


def database_text(url: str) -> str:
    """Everything in the SQLite database, as SQL text."""
    connection = sqlite3.connect(url[len("sqlite:///"):])
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def outbox_rows(client: TestClient) -> list[OutboxMessage]:
    with client.app.state.twilio.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_details_reach_the_clients_phone_and_the_number_is_not_kept(texting_app, stub, fresh_directory, caplog):
    caplog.set_level(logging.DEBUG)
    add_account(fresh_directory, "sam")
    headers = sign_in(texting_app, "sam")
    response = texting_app.post("/staff/api/text", headers=headers,
                                json={"mobile": "07700 900123", "service_ids": [KIRKGATE]})
    assert response.status_code == 202, response.text
    assert response.json()["message"] == texting.SENT

    messages = stub.wait_for("+447700900123")
    text = " ".join(m.body for m in messages)
    assert "Kirkgate Recovery Hub: ring 0113 496 0100 or walk in." in text
    assert "14 Vicar Lane, Leeds, LS1 7AA" in text and "Mon-Wed, Fri 9am-5pm" in text
    assert "What to expect: Ring or walk in." in text
    for message in messages:
        assert sms_text.is_gsm7(message.body) and sms_text.segment_count(message.body) <= 3
        assert sms_text.is_discreet(message.body), message.body[:40]

    settle(texting_app)
    rows = outbox_rows(texting_app)
    assert [row.kind for row in rows] == ["details"] * len(messages)
    assert all(row.status == "sent" and row.to_encrypted is None and row.body == "" for row in rows)
    everything = database_text(fresh_directory)
    for spelling in ("7700900123", "7700 900123", "900123"):
        assert spelling not in everything
    for record in caplog.records:
        assert "900123" not in record.getMessage()

    with session_scope(fresh_directory) as session:
        audit = session.scalars(select(Metadata).where(Metadata.resource_type == "staff_text")).all()
        assert [(a.resource_id, a.last_action_type, a.updated_by) for a in audit] == [
            (KIRKGATE, "text_sent", "staff:sam")]
        assert "900123" not in " ".join(str(v) for v in (audit[0].field_name, audit[0].previous_value,
                                                         audit[0].replacement_value))


def test_a_closed_listing_texts_its_successor(texting_app, stub, fresh_directory):
    with session_scope(fresh_directory) as session:
        editing.close_service(session, KIRKGATE, "test", successor_id=ALCOHOL_SERVICE)
    add_account(fresh_directory, "sam")
    response = texting_app.post("/staff/api/text", headers=sign_in(texting_app, "sam"),
                                json={"mobile": "07700 900124", "service_ids": [KIRKGATE]})
    assert response.status_code == 202
    text = " ".join(m.body for m in stub.wait_for("+447700900124"))
    assert "Aire Alcohol Service" in text and "Kirkgate" not in text


def test_refusals_write_nothing(texting_app, fresh_directory):
    add_account(fresh_directory, "sam")
    add_account(fresh_directory, "eddie", role="editor")
    staff = sign_in(texting_app, "sam")
    for number, status in (("0161 496 0000", 422), ("not a number", 422), ("+33 6 12 34 56 78", 422)):
        response = texting_app.post("/staff/api/text", headers=staff,
                                    json={"mobile": number, "service_ids": [KIRKGATE]})
        assert response.status_code == status and response.json()["detail"], number
    unknown = texting_app.post("/staff/api/text", headers=staff,
                               json={"mobile": "07700 900125", "service_ids": ["no-such-service"]})
    assert unknown.status_code == 404 and "no longer in the directory" in unknown.json()["detail"]
    editor = texting_app.post("/staff/api/text", headers=sign_in(texting_app, "eddie"),
                              json={"mobile": "07700 900125", "service_ids": [KIRKGATE]})
    assert editor.status_code == 403
    assert outbox_rows(texting_app) == []
    with session_scope(fresh_directory) as session:
        assert session.scalar(select(func.count()).select_from(Metadata)
                              .where(Metadata.resource_type == "staff_text")) == 0


def test_a_number_that_replied_stop_is_not_texted(texting_app, fresh_directory):
    channels = texting_app.app.state.twilio
    with channels.session() as session:
        session.add(SmsConversation(person_hash=channels.identity.hash_number("+447700900126"), opted_out=True,
                                    last_choices="[]", voice_choices="[]"))
        session.commit()
    add_account(fresh_directory, "sam")
    response = texting_app.post("/staff/api/text", headers=sign_in(texting_app, "sam"),
                                json={"mobile": "07700 900126", "service_ids": [KIRKGATE]})
    assert response.status_code == 409 and response.json()["detail"] == texting.OPTED_OUT
    assert outbox_rows(texting_app) == []


def test_texts_are_rate_limited_per_account(texting_app, stub, fresh_directory):
    add_account(fresh_directory, "busy")
    add_account(fresh_directory, "other")
    busy = sign_in(texting_app, "busy")
    for n in range(texting.BURST):
        ok = texting_app.post("/staff/api/text", headers=busy,
                              json={"mobile": f"07700 9002{n:02d}", "service_ids": [KIRKGATE]})
        assert ok.status_code == 202, ok.text
    refused = texting_app.post("/staff/api/text", headers=busy,
                               json={"mobile": "07700 900299", "service_ids": [KIRKGATE]})
    assert refused.status_code == 429 and refused.json()["detail"] == texting.TOO_MANY
    other = texting_app.post("/staff/api/text", headers=sign_in(texting_app, "other"),
                             json={"mobile": "07700 900298", "service_ids": [KIRKGATE]})
    assert other.status_code == 202  # another member of staff is not held up
    settle(texting_app)
    assert stub.to("+447700900299") == [] and stub.wait_for("+447700900298")


def test_report_a_problem_reaches_the_review_queue(fresh_directory):
    client = app_for(fresh_directory)
    response = client.post(f"/oruk/services/{KIRKGATE}/report", json={"problem": "The phone number has changed."})
    assert response.status_code == 202
    with session_scope(fresh_directory) as session:
        [item] = session.scalars(select(ReviewItem).where(ReviewItem.kind == "report")).all()
        assert item.resource_id == KIRKGATE and item.detail == "The phone number has changed."


# --- odd input never breaks anything -----------------------------------------------------------


@pytest.fixture(scope="module")
def staff_api(tmp_path_factory):
    """The app on a directory of this module's own, without the model, and a staff token."""
    from directory import seed
    from directory.db import create_schema, engine_for

    url = f"sqlite:///{tmp_path_factory.mktemp('staff-fuzz') / 'directory.db'}"
    create_schema(engine_for(url))
    with session_scope(url) as session:
        seed.seed_national(session)
        seed.seed_sample(session)
    add_account(url, "fuzz")
    client = TestClient(create_app(Settings(database_url=url)), raise_server_exceptions=False)
    client.headers.update(sign_in(client, "fuzz"))
    client.database_url = url
    return client


SEARCH_FIELDS = ["area", "need", "substance", "audience", "open_now", "self_referral", "walk_in", "women_only",
                 "within_miles", "limit", "unknown"]


@bounded(60)
@given(ask=st.dictionaries(st.sampled_from(SEARCH_FIELDS),
                           st.one_of(ANY_TEXT, JSON, st.sampled_from(["LS1 4AP", "Leeds", "treatment", "alcohol"])),
                           max_size=6))
def test_any_search_gets_an_answer_not_a_crash(staff_api, ask):
    response = staff_api.post("/staff/api/search", json=ask)
    assert response.status_code in (200, 413, 422), (ask, response.text[:300])
    if response.status_code != 200:
        assert response.json()["detail"]


@bounded(60)
@given(mobile=st.one_of(ANY_TEXT, st.sampled_from(["07700 900123", "+447700900123"])),
       ids=st.one_of(JSON, st.lists(st.one_of(ANY_TEXT, st.just(KIRKGATE)), max_size=5)))
def test_any_text_request_is_refused_politely_and_writes_nothing(staff_api, mobile, ids):
    response = staff_api.post("/staff/api/text", json={"mobile": mobile, "service_ids": ids})
    assert response.status_code in (413, 422, 503), (mobile[:60], str(ids)[:60], response.text[:300])
    with session_scope(staff_api.database_url) as session:
        assert session.scalar(select(func.count()).select_from(Metadata)
                              .where(Metadata.resource_type == "staff_text")) == 0
