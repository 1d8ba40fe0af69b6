"""The web chat page as a person uses it, in a real browser."""
from __future__ import annotations

import json
import re

from playwright.sync_api import expect
from support import run_async


def ask(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def test_find_a_service_from_the_page(page):
    ask(page, "I need help with my drinking near LS1 4AP")
    log = page.get_by_role("log", name="Conversation")
    expect(log).to_contain_text("Kirkgate Recovery Hub")
    expect(log).to_contain_text("0113 496 0100")
    expect(page.locator("#typing")).to_be_hidden()
    assert page.csp_errors == []


def test_reload_keeps_the_conversation_and_its_context(page):
    ask(page, "I need help with my drinking near LS1 4AP")
    expect(page.locator(".msg.bot").first).to_contain_text("Kirkgate")
    page.reload()
    expect(page.get_by_role("log")).to_contain_text("Kirkgate Recovery Hub")
    ask(page, "what about in Manchester instead")
    expect(page.get_by_role("log")).to_contain_text("Piccadilly Recovery Centre")


def test_keyboard_only_use_with_quick_reply_buttons(page):
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    choice = page.get_by_role("group", name="Choices").get_by_role("button", name="Talk to a person")
    expect(choice).to_be_visible()
    choice.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("log")).to_contain_text("real person")
    expect(page.locator(".msg.user").last).to_have_text("You" + "Talk to a person")


def test_quick_exit_leaves_and_clears_the_chat(page, live_server):
    ask(page, "hello")
    expect(page.locator(".msg.bot")).to_have_count(1)
    before = page.evaluate("localStorage.getItem('waymark.sender')")
    assert re.fullmatch(r"[0-9a-f]{32}", before)  # 128 random bits, never a clock reading
    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    page.go_back()
    assert not page.url.startswith(live_server)  # back does not return to the chat
    page.goto(live_server + "/")
    expect(page.locator(".msg")).to_have_count(0)
    assert page.evaluate("localStorage.getItem('waymark.transcript')") is None
    assert page.evaluate("localStorage.getItem('waymark.sender')") != before


def test_delete_my_conversation_erases_it_on_the_server(page, assistant):
    ask(page, "hello")
    expect(page.locator(".msg.bot")).to_have_count(1)
    sender = page.evaluate("localStorage.getItem('waymark.sender')")
    assert run_async(assistant.has_conversation(sender))
    page.get_by_role("button", name="Delete my conversation").click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_role("log")).to_contain_text("Your conversation has been deleted")
    assert not run_async(assistant.has_conversation(sender))
    assert page.evaluate("localStorage.getItem('waymark.sender')") != sender


def test_fits_a_small_phone_screen(browser, live_server):
    context = browser.new_context(viewport={"width": 320, "height": 568}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server + "/")
    ask(page, "I need help with my drinking near LS1 4AP")
    expect(page.get_by_role("log")).to_contain_text("Kirkgate")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_no_serious_accessibility_violations(browser, live_server, axe_path):
    # axe is injected as a script, which our own CSP rightly forbids: bypass it for the check.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(live_server + "/")
    ask(page, "hello")
    expect(page.get_by_role("group", name="Choices")).to_be_visible()
    page.add_script_tag(path=str(axe_path))
    result = page.evaluate("async () => JSON.stringify(await axe.run(document))")
    violations = [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]
    context.close()
    assert violations == [], [(v["id"], v["help"]) for v in violations]


def test_no_cookies_and_nothing_loaded_from_elsewhere(page, live_server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.reload()
    ask(page, "hello")
    expect(page.locator(".msg.bot")).to_have_count(1)
    assert page.context.cookies() == []
    assert all(url.startswith(live_server) for url in requests), requests
