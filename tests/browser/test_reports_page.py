"""The commissioner's reports page in a real browser: sign in as an admin, see a chart and tables."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from directory import editing
from directory.db import session_scope
from insights import record_demand
from insights.recording import flush, uk_today

PASSWORD = "correct horse battery"


@pytest.fixture
def admin(settings) -> str:
    """An admin account in the live server's database, and a week of demand to report on."""
    name = f"admin-{uuid.uuid4().hex[:8]}"
    with session_scope(settings.database_url) as s:
        editing.add_account(s, name, PASSWORD, "admin")
    day = uk_today() - timedelta(days=1)
    for _ in range(7):
        record_demand("needle-exchange", matched=False, area="LS7 3AB", persona="self", channel="rest", day=day)
    assert flush()
    return name


def sign_in(page, live_server, name, password=PASSWORD):
    page.goto(live_server + "/reports")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def reports_page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.csp_errors = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_errors.append(msg.text))
    yield page
    context.close()


def test_an_admin_signs_in_and_sees_a_chart_and_tables(reports_page, live_server, admin):
    page = reports_page
    sign_in(page, live_server, admin)
    unmet = page.get_by_role("table", name="Unmet need: where the directory had nothing within reach")
    expect(unmet).to_contain_text("LS7")
    expect(unmet).to_contain_text("Needle and syringe programme")
    expect(unmet).not_to_contain_text("3AB")
    chart = page.locator("#report-weekly svg.chart")
    expect(chart).to_be_visible()
    assert chart.locator("rect.bar").count() >= 1
    expect(page.get_by_role("heading", name="Handovers to a person: how many, waits and outcomes")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Counts under 5 are hidden")
    assert page.evaluate("sessionStorage.getItem('waymark.reports.token')")
    assert page.context.cookies() == []
    assert page.csp_errors == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Unmet need: where the directory had nothing within reach (CSV)").click()
    assert "LS7,Needle and syringe programme" in open(download.value.path()).read()


def test_a_wrong_password_or_a_non_admin_is_turned_away_politely(reports_page, live_server, settings):
    page = reports_page
    sign_in(page, live_server, "nobody-here", "not the password")
    expect(page.get_by_role("alert")).to_have_text("Wrong name or password.")
    name = f"editor-{uuid.uuid4().hex[:8]}"
    with session_scope(settings.database_url) as s:
        editing.add_account(s, name, PASSWORD, "editor")
    sign_in(page, live_server, name)
    expect(page.get_by_role("alert")).to_have_text("This account can't see reports. Reports are for admins.")
    expect(page.locator("#reports")).to_be_hidden()


def test_no_serious_accessibility_violations_on_the_reports_page(browser, live_server, admin, axe_path):
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script, which our CSP forbids
    page = context.new_page()
    sign_in(page, live_server, admin)
    expect(page.locator("#report-weekly svg.chart")).to_be_visible()
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]
    context.close()
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_the_date_filter_changes_what_is_shown_and_refuses_backwards_dates(reports_page, live_server, admin):
    page = reports_page
    sign_in(page, live_server, admin)
    expect(page.locator("#report-unmet")).to_contain_text("LS7")
    page.get_by_label("From", exact=True).fill("2020-01-06")
    page.get_by_label("To", exact=True).fill("2020-01-19")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_contain_text("Showing 2020-01-06 to 2020-01-19")
    expect(page.locator("#report-unmet")).to_contain_text("No unmet need recorded in these dates.")
    page.get_by_label("From", exact=True).fill("2020-02-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_have_text("The 'from' date is after the 'to' date.")
