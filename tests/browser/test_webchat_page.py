"""The web chat page as a person uses it, in a real browser."""
from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from support import run_async, serving_in_a_thread

from channels.conversation_ids import ConversationIds
from channels.identity import load_secret

ISSUE = "**/webhooks/rest/conversations"  # where the page asks for its id (not ".../{id}")


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
    assert len(before) == 64  # issued by the server: 128 random bits and its signature
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


# --- the conversation id: the server's, or the page's own when it can't get one (issue 22, item 5)

def signed_by(settings, conversation_id: str) -> bool:
    return ConversationIds(load_secret(settings.secret_key)).is_signed(conversation_id)


def test_the_page_uses_the_id_the_server_issues(page, settings, assistant):
    ask(page, "hello")
    expect(page.locator(".msg.bot")).to_have_count(1)
    sender = page.evaluate("localStorage.getItem('waymark.sender')")
    assert signed_by(settings, sender)
    assert run_async(assistant.has_conversation(sender))
    page.reload()  # asked for once, then kept
    assert page.evaluate("localStorage.getItem('waymark.sender')") == sender


def test_without_an_issued_id_the_page_still_chats_under_its_own(browser, live_server, settings):
    context = browser.new_context()
    context.route(ISSUE, lambda route: route.abort())
    page = context.new_page()
    page.goto(live_server + "/")
    ask(page, "I need help with my drinking near LS1 4AP")
    expect(page.get_by_role("log")).to_contain_text("Kirkgate Recovery Hub")
    sender = page.evaluate("localStorage.getItem('waymark.sender')")
    assert len(sender) == 32 and not signed_by(settings, sender)  # its own 128 random bits
    context.close()


@pytest.fixture(scope="module")
def strict_server(settings, assistant):
    """A server that takes only the conversation ids it issued."""
    from waymark.app import create_app

    app = create_app(settings.with_changes(rest_require_signed_ids=True), assistant)
    with serving_in_a_thread(app, "signed-ids test server") as port:
        yield f"http://127.0.0.1:{port}"


def test_where_signed_ids_are_required_the_page_says_so_until_it_can_get_one(browser, strict_server, settings):
    context = browser.new_context()
    blocked = {"on": True}
    context.route(ISSUE, lambda route: route.abort() if blocked["on"] else route.continue_())
    page = context.new_page()
    page.goto(strict_server + "/")
    ask(page, "I need help with my drinking near LS1 4AP")
    expect(page.get_by_role("log")).to_contain_text("can't start a private conversation")
    expect(page.get_by_role("log")).to_contain_text("999")
    blocked["on"] = False
    page.get_by_role("button", name="Try sending it again").click()
    expect(page.get_by_role("log")).to_contain_text("Kirkgate Recovery Hub")
    assert signed_by(settings, page.evaluate("localStorage.getItem('waymark.sender')"))
    context.close()


def test_an_old_conversation_under_the_pages_own_id_moves_to_a_signed_one_where_required(
        browser, strict_server, settings):
    context = browser.new_context()
    context.add_init_script("""if (!sessionStorage.getItem("seeded")) {
        sessionStorage.setItem("seeded", "1");
        localStorage.setItem("waymark.sender", "0123456789abcdef0123456789abcdef");
        localStorage.setItem("waymark.transcript", JSON.stringify([{who: "user", text: "hello"}]));
    }""")
    page = context.new_page()
    page.goto(strict_server + "/")
    expect(page.locator(".msg.user")).to_have_count(1)
    ask(page, "I need help with my drinking near LS1 4AP")
    expect(page.get_by_role("log")).to_contain_text("Kirkgate Recovery Hub")
    assert signed_by(settings, page.evaluate("localStorage.getItem('waymark.sender')"))
    context.close()
