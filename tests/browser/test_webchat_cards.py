"""Service cards and the chat around them (issue 25, items 2 and 4), in Debian's chromium.

A search answer is a card with a link to call, the next steps as buttons, and holds on a
320 px phone at 200% text size, in dark mode and printed. A dropped connection never loses
what was typed. axe-core (from npm, never the internet) finds nothing serious in any of it.
Screenshots go to $WAYMARK_TEST_ARTEFACTS (default var/test-artefacts/webchat).
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from support import ROOT

SEARCH = "I need help with my drinking near LS1 4AP"
ARTEFACTS = Path(os.environ.get("WAYMARK_TEST_ARTEFACTS", ROOT / "var" / "test-artefacts")) / "webchat"


def ask(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def snap(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=True)


def serious_violations(page, axe_path) -> list:
    page.add_script_tag(path=str(axe_path))
    result = json.loads(page.evaluate("async () => JSON.stringify(await axe.run(document))"))
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def first_card(page):
    card = page.locator("article.card").first
    expect(card).to_be_visible()
    return card


@pytest.fixture
def open_page(browser, live_server):
    """A page with its own settings (viewport, colour scheme); closed after the test."""
    contexts = []

    def opened(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(live_server + "/")
        return page

    yield opened
    for context in contexts:
        context.close()


def test_a_search_shows_a_card_with_a_tap_to_call_link_and_next_steps(page):
    ask(page, SEARCH)
    card = first_card(page)
    expect(card.get_by_role("heading")).to_contain_text("Kirkgate Recovery Hub")
    call = card.get_by_role("link", name=re.compile(r"^Call 0113 496 0\d{3}, Kirkgate Recovery Hub"))
    assert re.fullmatch(r"tel:0113496\d{4}", call.get_attribute("href"))
    expect(card.locator(".badge")).to_have_text(re.compile(r"^(Open now|Closed now)$"))
    directions = card.get_by_role("link", name=re.compile("^Directions"))
    assert directions.get_attribute("href").startswith("https://www.openstreetmap.org/search?query=LS")
    steps = card.get_by_role("group", name=re.compile("^Next steps"))
    for title in ("Another option", "Opening hours", "How to refer"):
        expect(steps.get_by_role("button", name=title)).to_be_visible()
    # The words are still there for anyone who reads them, and nothing broke the page's CSP.
    expect(page.get_by_role("log")).to_contain_text("Nearest to LS1 4AP")
    assert page.csp_errors == []
    snap(page, "card")


def test_another_option_shows_another_card_and_the_old_buttons_go(page):
    ask(page, SEARCH)
    first = first_card(page)
    name = first.get_by_role("heading").inner_text()
    first.get_by_role("button", name="Another option").click()
    expect(page.locator(".msg.user").last).to_have_text("You" + "Another option")
    expect(page.locator("article.card")).not_to_have_count(1)
    newest = page.locator(".msg.cards").last.locator("article.card").first
    expect(newest.get_by_role("heading")).not_to_have_text(name)
    expect(newest.get_by_role("link", name=re.compile("^Call "))).to_have_attribute("href", re.compile(r"^tel:\d+$"))
    expect(first.get_by_role("button")).to_have_count(0)  # the older listing's buttons would now mislead
    expect(newest.get_by_role("button", name="Another option")).to_be_focused()  # focus is not lost
    expect(newest.get_by_role("button", name="Opening hours")).to_be_visible()
    newest.get_by_role("button", name="Opening hours").click()
    expect(page.locator(".msg.bot").last).to_contain_text(re.compile(r"\d(am|pm)"))


def test_a_reload_keeps_the_card_and_its_call_link(page):
    ask(page, SEARCH)
    first_card(page)
    page.reload()
    card = first_card(page)
    assert card.get_by_role("link", name=re.compile("^Call ")).get_attribute("href").startswith("tel:")


def test_a_typing_indicator_shows_while_the_reply_is_on_its_way(page):
    held = []
    page.route("**/webhooks/rest/webhook", lambda route: held.append(route))
    ask(page, "hello")
    expect(page.locator(".msg.user").last).to_have_text("You" + "hello")  # the person's own words, at once
    expect(page.get_by_role("status")).to_have_text("Waymark is typing…")
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    expect(page.locator(".msg.bot")).to_have_count(1)
    expect(page.locator("#typing")).to_be_hidden()


def test_a_dropped_connection_keeps_the_message_and_offers_to_send_it_again(page):
    page.context.set_offline(True)
    ask(page, SEARCH)
    expect(page.locator(".msg.error").last).to_contain_text("can't connect")
    expect(page.get_by_label("Your message")).to_have_value(SEARCH)  # what was typed is not lost
    retry = page.get_by_role("button", name="Try sending it again")
    expect(retry).to_be_visible()
    page.context.set_offline(False)
    if retry.is_visible():  # back online also resends by itself; either way it goes once
        try:
            retry.click(timeout=2000)
        except Exception:  # noqa: BLE001 - it had already gone: the page resent it on "online"
            pass
    first_card(page)
    expect(page.locator(".msg.user")).to_have_count(1)  # shown once, not once per attempt
    expect(page.get_by_label("Your message")).to_have_value("")
    expect(page.locator(".retry")).to_have_count(0)


def test_a_320px_phone_at_200_percent_text_has_no_sideways_scroll(open_page):
    page = open_page(viewport={"width": 320, "height": 640}, is_mobile=True)
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # text zoom, as a browser setting does
    ask(page, SEARCH)
    card = first_card(page)
    expect(card.get_by_role("button", name="Another option")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    # The card's name is what is in view in the conversation box, not scrolled past.
    log, name = page.get_by_role("log").bounding_box(), card.get_by_role("heading").bounding_box()
    assert log["y"] <= name["y"] and name["y"] + name["height"] <= log["y"] + log["height"]
    snap(page, "320px-200pct")


def test_dark_mode_renders_light_on_dark(open_page):
    page = open_page(color_scheme="dark")
    ask(page, SEARCH)
    card = first_card(page)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    card_background = card.evaluate("el => getComputedStyle(el).backgroundColor")
    text = card.get_by_role("heading").evaluate("el => getComputedStyle(el).color")

    def lightness(rgb: str) -> float:
        r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
        return (r + g + b) / 3

    assert lightness(background) < 60 and lightness(card_background) < 60 and lightness(text) > 180
    snap(page, "dark")


def test_printing_shows_the_listings_not_the_controls(page):
    ask(page, SEARCH)
    card = first_card(page)
    page.emulate_media(media="print")
    expect(card).to_be_visible()
    expect(card.get_by_role("link", name=re.compile("^Call "))).to_be_visible()
    expect(page.locator("#composer")).to_be_hidden()
    expect(page.get_by_role("button", name="Quick exit")).to_be_hidden()
    expect(card.get_by_role("button", name="Another option")).to_be_hidden()
    page.emulate_media(media="screen")
    expect(card.get_by_role("button", name="Another option")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations_with_cards_and_after_a_failure(open_page, axe_path, scheme):
    # axe is injected as a script, which our own CSP rightly forbids: bypass it for the check.
    page = open_page(bypass_csp=True, color_scheme=scheme)
    ask(page, SEARCH)
    first_card(page).get_by_role("button", name="Another option").click()
    expect(page.locator(".msg.cards")).to_have_count(2)
    assert serious_violations(page, axe_path) == []
    page.context.set_offline(True)
    ask(page, "hello")
    expect(page.get_by_role("button", name="Try sending it again")).to_be_visible()
    assert serious_violations(page, axe_path) == []
    page.context.set_offline(False)


def test_no_serious_accessibility_violations_on_a_small_screen_at_200_percent(open_page, axe_path):
    page = open_page(bypass_csp=True, viewport={"width": 320, "height": 640}, is_mobile=True, color_scheme="dark")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    ask(page, SEARCH)
    first_card(page)
    assert serious_violations(page, axe_path) == []


def test_a_card_is_drawn_as_text_and_only_with_the_links_it_should_have(page):
    # A listing edited by someone careless or hostile: markup in the words, a script as a link.
    hostile = {"recipient_id": "x", "custom": {"cards": [{
        "id": "x", "name": '<img src=x onerror="window.pwned=1">Odd Place', "distance": "<b>1 mile</b>",
        "open_now": True, "status": "Open now", "phone": "0113 496 0999", "tel": "javascript:window.pwned=1",
        "sms": "sms:07700900999<script>", "address": "<script>window.pwned=1</script>1 Road",
        "directions": "https://evil.example/?q=1", "buttons": [{"title": "<i>Go</i>", "payload": "/ask_human"}],
    }]}}
    page.route("**/webhooks/rest/webhook", lambda route: route.fulfill(
        status=200, content_type="application/json",
        body=json.dumps([{"recipient_id": "x", "text": "Here it is."}, hostile])))
    ask(page, "hello")
    card = first_card(page)
    expect(card.get_by_role("heading")).to_have_text('<img src=x onerror="window.pwned=1">Odd Place')
    expect(card.locator("img, script, b, i")).to_have_count(0)
    expect(card.get_by_role("link")).to_have_count(0)  # none of those links has the scheme expected
    expect(card.get_by_role("button", name="<i>Go</i>")).to_be_visible()
    assert page.evaluate("window.pwned === undefined")
