"""The staff lookup page as a receptionist or housing officer uses it, in a real browser.

A real server (uvicorn, on the session's one loaded model) with its own seeded directory
and Twilio pointed at the local stub, so "text these details" really reaches a phone.
"""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from support import a_week_after_the_sample_was_checked, checked_on_text, sample_checked_on, serving_in_a_thread
from twilio_stub import twilio_settings

from directory import editing, seed
from directory.db import create_schema, engine_for, session_scope
from directory.models import ReviewItem

PASSWORD = "a long staff password"


@pytest.fixture(scope="module")
def staff_server(settings, assistant, stub, tmp_path_factory):
    """The app on its own port and database, with a staff account 'sam'."""
    from waymark.app import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('staff-page') / 'directory.db'}"
    create_schema(engine_for(url))
    with session_scope(url) as session:
        seed.seed_national(session)
        seed.seed_sample(session)
        editing.add_account(session, "sam", PASSWORD, "staff")
    app = create_app(twilio_settings(settings, stub.url, database_url=url, public_url=""), assistant)
    with serving_in_a_thread(app, "staff test server") as port:
        app.state.twilio.poll_seconds = 0.05
        yield {"base": f"http://127.0.0.1:{port}", "database_url": url}


@pytest.fixture
def staff_page(browser, staff_server):
    a_week_after_the_sample_was_checked()  # the listings read "Last checked on …", not stale
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.csp_errors = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
    page.goto(staff_server["base"] + "/staff")
    expect(page.get_by_label("What they need")).to_contain_text("Criminal justice")  # choices loaded
    yield page
    context.close()


def search_for(page, area: str, need: str = "Drug and alcohol treatment") -> None:
    page.get_by_label("Area").fill(area)
    page.get_by_label("What they need").select_option(label=need)
    page.get_by_role("button", name="Search", exact=True).click()


def listing(page, name: str):
    return page.get_by_role("article", name=name)


def open_the_text_form(page, name: str = "Kirkgate Recovery Hub (sample)"):
    """Search near LS1 4AP and open "Text these details to the client" on a listing."""
    search_for(page, "LS1 4AP")
    found = listing(page, name)
    found.get_by_role("button", name=f"Text these details to the client: {name}").click()
    return found


def send_text(found, number: str) -> None:
    found.get_by_label("Client's mobile number").fill(number)
    found.get_by_role("button", name="Send text").click()


def sign_in(page) -> None:
    page.get_by_label("Account name").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as sam (staff).")).to_be_visible()


def test_a_search_shows_the_referral_route_and_is_announced(staff_page):
    search_for(staff_page, "LS1 4AP")
    status = staff_page.get_by_role("status").first
    expect(status).to_have_text(re.compile(r"^\d+ services found near LS1 4AP, nearest first\.$"))
    expect(status).to_have_attribute("aria-live", "polite")
    hub = listing(staff_page, "Kirkgate Recovery Hub (sample)")
    expect(hub).to_contain_text("Anyone. The person can refer themselves")
    expect(hub).to_contain_text("What to include")
    expect(hub).to_contain_text("Name, date of birth, what they use, any risks")
    expect(hub).to_contain_text("Ring 0113 496 0100")
    expect(hub).to_contain_text("Mon–Wed, Fri 9am–5pm")
    expect(hub).to_contain_text(checked_on_text(sample_checked_on()))
    assert staff_page.csp_errors == []


def test_filters_and_a_professionals_only_route(staff_page):
    search_for(staff_page, "Leeds", need="Criminal justice: custody, courts and probation")
    team = listing(staff_page, "Leeds Custody and Courts Drug Team (sample)")
    expect(team).to_contain_text("Professionals. The person can't refer themselves")
    expect(team).to_contain_text("custody number")
    staff_page.get_by_label("are for women only").check()
    staff_page.get_by_role("button", name="Search", exact=True).click()
    expect(staff_page.get_by_role("status").first).to_contain_text("No local services match near Leeds")
    expect(staff_page.get_by_role("heading", name="National lines")).to_be_visible()


def test_an_unknown_area_gets_a_polite_specific_message(staff_page):
    search_for(staff_page, "Narnia")
    expect(staff_page.locator("#area-error")).to_have_text(
        'Sorry, I don\'t know where "Narnia" is. Try a postcode like LS1 4AP, a postcode district like LS1, '
        "or a town name like Leeds.")
    expect(staff_page.get_by_label("Area")).to_have_attribute("aria-invalid", "true")
    expect(staff_page.get_by_role("article")).to_have_count(0)


def test_keyboard_only_search_and_opening_the_text_form(staff_page):
    for _ in range(5):
        staff_page.keyboard.press("Tab")
        if staff_page.evaluate("document.activeElement.id") == "area":
            break
    expect(staff_page.get_by_label("Area")).to_be_focused()
    staff_page.keyboard.type("LS9 8AB")
    staff_page.keyboard.press("Enter")
    expect(staff_page.get_by_role("status").first).to_contain_text("found near LS9 8AB")
    button = listing(staff_page, "Aire Alcohol Service (sample)").get_by_role(
        "button", name="Text these details to the client: Aire Alcohol Service (sample)")
    for _ in range(60):
        staff_page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    staff_page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(listing(staff_page, "Aire Alcohol Service (sample)").get_by_label("Client's mobile number")).to_be_focused()


def test_text_these_details_to_the_client(staff_page, stub):
    sign_in(staff_page)
    assert staff_page.context.cookies() == []  # the token is in sessionStorage, never a cookie
    saved = json.loads(staff_page.evaluate("sessionStorage.getItem('waymark.staff.token')"))
    assert saved["role"] == "staff" and saved["access_token"]
    hub = open_the_text_form(staff_page)
    send_text(hub, "0113 496 0000")
    expect(hub.get_by_role("status")).to_have_text(
        "That looks like a landline number, and landlines can't get texts. Type a mobile number: in the UK they start 07.")
    send_text(hub, "07700 900777")
    expect(hub.get_by_role("status")).to_contain_text("Sent. The client should get the text")
    expect(hub.get_by_label("Client's mobile number")).to_have_value("")
    [message, *_] = stub.wait_for("+447700900777")
    assert "Kirkgate Recovery Hub: ring 0113 496 0100 or walk in." in message.body


def test_texting_asks_to_sign_in_first(staff_page, stub):
    hub = open_the_text_form(staff_page)
    send_text(hub, "07700 900778")
    expect(hub.get_by_role("status")).to_have_text("Sign in with your staff account first, then send the text.")
    expect(staff_page.get_by_label("Account name")).to_be_focused()
    assert stub.to("+447700900778") == []


def test_report_a_problem_with_a_listing(staff_page, staff_server):
    search_for(staff_page, "LS1 4AP")
    hub = listing(staff_page, "Kirkgate Recovery Hub (sample)")
    hub.get_by_role("button", name="Report a problem with this listing: Kirkgate Recovery Hub (sample)").click()
    hub.get_by_label("What is wrong with this listing?").fill("They have moved to Eastgate.")
    hub.get_by_role("button", name="Send report").click()
    expect(hub.get_by_role("status")).to_have_text(
        "Thank you. Someone who looks after the directory will check this listing.")
    with session_scope(staff_server["database_url"]) as session:
        details = [r.detail for r in session.scalars(select(ReviewItem).where(ReviewItem.kind == "report"))]
    assert "They have moved to Eastgate." in details


def test_the_printout_has_the_referral_route_and_no_page_chrome(staff_page):
    search_for(staff_page, "LS1 4AP")
    expect(staff_page.get_by_role("status").first).to_contain_text("found near LS1 4AP")
    shown = staff_page.get_by_role("article").count()
    assert shown >= 3
    # (A string that evaluates to a function would be called by Playwright: wrap it.)
    staff_page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    staff_page.get_by_role("button", name="Print these results").click()
    assert staff_page.evaluate("window.printed") == 1
    staff_page.emulate_media(media="print")
    for chrome in ("#search", ".account", "header", "footer", ".actions", "#print"):
        assert not staff_page.locator(chrome).first.is_visible(), chrome
    hub = listing(staff_page, "Kirkgate Recovery Hub (sample)")
    for needed in ("How to refer", "Name, date of birth, what they use", "0113 496 0100",
                   "Mon–Wed, Fri 9am–5pm", checked_on_text(sample_checked_on())):
        expect(hub).to_contain_text(needed)
    expect(staff_page.locator("#printed-on")).to_be_visible()
    expect(staff_page.locator("#printed-on")).to_contain_text("Drug and alcohol treatment near LS1 4AP")
    # "Print this listing" prints that one card only.
    staff_page.emulate_media(media="screen")
    hub.get_by_role("button", name="Print this listing: Kirkgate Recovery Hub (sample)").click()
    staff_page.emulate_media(media="print")
    assert staff_page.locator(".listing").count() == shown
    assert hub.is_visible()
    assert not listing(staff_page, "Aire Alcohol Service (sample)").is_visible()


def test_fits_a_small_phone_screen(browser, staff_server):
    context = browser.new_context(viewport={"width": 320, "height": 568}, is_mobile=True)
    page = context.new_page()
    page.goto(staff_server["base"] + "/staff")
    search_for(page, "LS1 4AP")
    expect(page.get_by_role("article").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_no_serious_accessibility_violations(browser, staff_server, axe_path):
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script, which our CSP forbids
    page = context.new_page()
    page.goto(staff_server["base"] + "/staff")
    hub = open_the_text_form(page)
    hub.get_by_role("button", name="Report a problem with this listing: Kirkgate Recovery Hub (sample)").click()
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]
    context.close()
    assert violations == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def test_nothing_is_loaded_from_elsewhere(staff_page, staff_server):
    requests = []
    staff_page.on("request", lambda r: requests.append(r.url))
    staff_page.reload()
    search_for(staff_page, "LS1 4AP")
    expect(staff_page.get_by_role("article").first).to_be_visible()
    assert requests and all(url.startswith(staff_server["base"]) for url in requests), requests
    # The area travels in a POST body: a postcode never sits in a URL, the history or an access log.
    assert not any("LS1" in url or "4AP" in url for url in requests + [staff_page.url]), requests
