"""The helpline agent console and the person's web chat during a warm handover, in a real
browser: two pages (a person, a helpline worker) on one served app, talking live."""
from __future__ import annotations

import json
import uuid
from datetime import datetime, time, timedelta

import pytest
from playwright.sync_api import expect

import timekeeping


def _next_wednesday_morning() -> datetime:
    """The next Wednesday, 11:00 UK time (naive UTC): the sample helpline (Mon–Fri 09:00–21:00)
    is open, whatever the time the tests run. In the future, not the past, because the browser
    keeps its own clock: a sign-in token that expired by its clock would be thrown away."""
    today = datetime.now(timekeeping.LONDON).date()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    return timekeeping.to_naive_utc(datetime.combine(wednesday, time(11, 0), tzinfo=timekeeping.LONDON))


# The served app shares this process, and so the one clock (`timekeeping`).
OPEN_TIME = _next_wednesday_morning()
PASSWORD = "a long test password"


@pytest.fixture(autouse=True)
def helpline_open():
    timekeeping.travel(OPEN_TIME)  # running on from there; the conftest puts it back


@pytest.fixture(autouse=True)
def patient_expectations():
    """Two pages, the assistant and the stream's one-second poll share a busy machine here."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other modules


def _account(settings, role: str) -> str:
    from directory import editing
    from directory.db import session_scope

    name = f"Sam-{uuid.uuid4().hex[:4]}"
    with session_scope(settings.database_url) as session:
        editing.add_account(session, name, PASSWORD, role, display_name=f"Worker {name[-4:]}")
    return name


@pytest.fixture
def agent(settings, seeded_directory) -> str:
    return _account(settings, "agent")


@pytest.fixture
def console_context(browser):
    context = browser.new_context()
    yield context
    context.close()


def open_console(context, live_server):
    console = context.new_page()
    console.set_default_timeout(20_000)
    console.csp_errors = []
    console.on("console", lambda msg: "Content Security Policy" in msg.text and console.csp_errors.append(msg.text))
    console.goto(live_server + "/console")
    return console


SLOW = 30_000  # checking a password is slow on purpose (bcrypt), and slower on a busy machine


def sign_in(console, name: str, password: str = PASSWORD, works: bool = True) -> None:
    console.get_by_label("Name", exact=True).fill(name)
    console.get_by_label("Password", exact=True).fill(password)
    console.get_by_role("button", name="Sign in").click()
    if works:
        expect(console.get_by_text(f"Signed in as {name}")).to_be_visible(timeout=SLOW)
    else:
        expect(console.get_by_role("alert")).to_be_visible(timeout=SLOW)


def ask(page, text: str) -> None:
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")


def ask_for_a_person(page, settings) -> tuple[str, str]:
    """The person asks for a human and agrees to share the summary; returns the handover's
    id and the summary the worker should see."""
    from directory.db import session_scope
    from handover import desk

    ask(page, "can I talk to a real person")
    page.get_by_role("button", name="Yes, share it").click()
    expect(page.get_by_role("log")).to_contain_text("You're in the queue")
    sender = page.evaluate("localStorage.getItem('waymark.sender')")
    with session_scope(settings.database_url) as session:
        handover = desk.current(session, sender)
        assert handover is not None and handover.status == "waiting"
        return handover.id, handover.summary


def test_agent_claims_talks_and_ends_live_without_reloads(page, console_context, live_server, settings, agent):
    console = open_console(console_context, live_server)
    sign_in(console, agent)
    expect(console.get_by_text(f"Signed in as {agent}")).to_be_visible()
    expect(console.locator("#live-state")).to_contain_text("Live", timeout=SLOW)
    console.evaluate("window.notReloaded = true")

    handover_id, summary = ask_for_a_person(page, settings)

    # The new conversation appears in the queue by itself.
    waiting = console.locator(f'#waiting [data-handover-id="{handover_id}"]')
    expect(waiting).to_be_visible()
    expect(waiting).to_contain_text(summary)
    expect(waiting).to_contain_text("Northern Drug and Alcohol Helpline")
    expect(waiting).to_contain_text("waiting")

    waiting.get_by_role("button", name="Claim").click()
    expect(console.locator("#conversation-summary")).to_have_text(summary)
    expect(console.locator(f'#active [data-handover-id="{handover_id}"]')).to_contain_text("with you")
    expect(console.locator("#waiting").locator(f'[data-handover-id="{handover_id}"]')).to_have_count(0)
    # The person's talk with the assistant is there (they agreed to share it).
    expect(console.locator("#transcript .line.person").first).to_contain_text("can I talk to a real person")
    expect(page.locator(".msg.bot").last).to_contain_text(f"Worker {agent[-4:]} from the helpline has joined")

    # Worker -> person, live.
    console.get_by_label("Reply to the person").fill("Hello, I'm here. What's on your mind?")
    console.get_by_role("button", name="Send reply").click()
    agent_line = page.locator(".msg.agent").last
    expect(agent_line).to_contain_text("Hello, I'm here. What's on your mind?")
    expect(agent_line.locator(".who")).to_have_text(f"Helpline worker (Worker {agent[-4:]})")  # never the login name

    # Person -> worker, live; the assistant stays silent.
    bot_lines = page.locator(".msg.bot").count()
    ask(page, "I want to cut down on my drinking")
    expect(console.locator("#transcript .line.person").last).to_have_text("PersonI want to cut down on my drinking")
    expect(page.locator("#typing")).to_be_hidden()
    page.wait_for_timeout(2500)  # longer than the stream's poll: nothing late arrives either
    assert page.locator(".msg.bot").count() == bot_lines

    # A private note is marked private and never reaches the person.
    console.get_by_label("Private note").fill("Wants to cut down, not stop.")
    console.get_by_role("button", name="Add private note").click()
    expect(console.locator("#transcript .line.note")).to_contain_text("the person does not see this")

    # A service from the directory, sent as a message.
    console.get_by_label("Place or postcode").fill("LS1 4AP")
    console.get_by_role("button", name="Look up services").click()
    listing = console.locator("#listings li").filter(has_text="Kirkgate Recovery Hub")
    listing.get_by_role("button", name="Send to the person").click()
    expect(page.locator(".msg.agent").last).to_contain_text("Kirkgate Recovery Hub")

    # A reload of the person's page neither loses nor repeats the worker's lines.
    page.reload()
    expect(page.locator(".msg.agent")).to_have_count(2)
    page.wait_for_timeout(2500)
    expect(page.locator(".msg.agent")).to_have_count(2)

    console.get_by_role("button", name="End conversation").click()
    expect(console.locator("#conversation")).to_be_hidden()
    expect(console.locator(f'[data-handover-id="{handover_id}"]')).to_have_count(0)
    expect(page.locator(".msg.bot").last).to_contain_text("Did you get what you needed?")
    page.get_by_role("group", name="Choices").last.get_by_role("button", name="Yes", exact=True).click()
    expect(page.locator(".msg.bot").last).to_contain_text("Thank you. I'm glad.")

    assert "Wants to cut down" not in page.get_by_role("log").inner_text()
    assert console.evaluate("window.notReloaded") is True
    assert console.csp_errors == [] and page.csp_errors == []
    assert page.context.cookies() == [] and console_context.cookies() == []


def test_keyboard_only_claim_reply_and_end(page, console_context, live_server, settings, agent):
    console = open_console(console_context, live_server)
    expect(console.get_by_label("Name", exact=True)).to_be_focused()
    console.keyboard.type(agent)
    console.keyboard.press("Tab")
    console.keyboard.type(PASSWORD)
    console.keyboard.press("Enter")
    expect(console.locator("#queue-heading")).to_be_focused(timeout=SLOW)

    handover_id, _ = ask_for_a_person(page, settings)
    console.bring_to_front()  # the person's page was in front: keyboard focus is the console's again
    claim = console.locator(f'#waiting [data-handover-id="{handover_id}"] button')
    expect(claim).to_be_visible()
    # Tab through the page until the claim button has focus. The queue holds whatever earlier
    # tests on this server left waiting, so the number of stops is counted, not guessed: a
    # fixed 60 ran out on a CI run where other tests had left more than 30 people waiting.
    stops = console.evaluate("document.querySelectorAll('a[href], button, input, textarea, select, [tabindex]').length")
    reached = False
    for _ in range(stops + 2):
        console.keyboard.press("Tab")
        if console.evaluate("document.activeElement.getAttribute('data-action')") == f"waiting:{handover_id}":
            reached = True
            break
    assert reached, f"Tab never reached the claim button in {stops + 2} presses"
    expect(claim).to_be_focused()
    console.keyboard.press("Enter")
    expect(console.locator("#conversation-heading")).to_be_focused()

    console.keyboard.press("Tab")  # the transcript
    console.keyboard.press("Tab")  # the reply box
    expect(console.get_by_label("Reply to the person")).to_be_focused()
    console.keyboard.type("Hi, it's the helpline. I'm reading your note now.")
    console.keyboard.press("Control+Enter")
    expect(page.locator(".msg.agent").last).to_contain_text("I'm reading your note now.")

    console.get_by_role("button", name="End conversation").focus()
    console.keyboard.press("Enter")
    expect(page.locator(".msg.bot").last).to_contain_text("Did you get what you needed?")


def test_a_conversation_someone_else_claimed_says_so(page, browser, console_context, live_server, settings, agent):
    other = _account(settings, "agent")
    console = open_console(console_context, live_server)
    sign_in(console, agent)
    handover_id, _ = ask_for_a_person(page, settings)
    expect(console.locator(f'#waiting [data-handover-id="{handover_id}"]')).to_be_visible()

    # A second worker on a connection whose live updates have stalled: their queue is stale.
    slow = browser.new_context()
    slow.route("**/console/api/events*", lambda route: route.abort())
    stale = open_console(slow, live_server)
    sign_in(stale, other)
    stale_claim = stale.locator(f'#waiting [data-handover-id="{handover_id}"]').get_by_role("button", name="Claim")
    expect(stale_claim).to_be_visible()

    console.locator(f'#waiting [data-handover-id="{handover_id}"]').get_by_role("button", name="Claim").click()
    expect(console.locator("#conversation")).to_be_visible()
    stale_claim.click()
    expect(stale.get_by_role("alert")).to_contain_text("Someone else has already claimed this conversation")
    expect(stale.get_by_role("alert")).to_contain_text(agent)
    expect(stale.locator("#conversation")).to_be_hidden()
    slow.close()
    console.get_by_role("button", name="End conversation").click()
    expect(page.locator(".msg.bot").last).to_contain_text("Did you get what you needed?")


def test_sign_in_problems_are_explained_and_sign_out_forgets_the_token(console_context, live_server, settings, agent):
    editor = _account(settings, "editor")
    console = open_console(console_context, live_server)
    sign_in(console, agent, "not the password", works=False)
    expect(console.get_by_role("alert")).to_have_text("That name or password is wrong. Please try again.")
    sign_in(console, editor, works=False)
    expect(console.get_by_role("alert")).to_contain_text("It needs the agent role", timeout=SLOW)
    expect(console.locator("#main")).to_be_hidden()

    sign_in(console, agent)
    expect(console.get_by_text(f"Signed in as {agent}")).to_be_visible()
    stored = console.evaluate("sessionStorage.getItem('waymark.console')")
    assert stored and json.loads(stored)["token"]
    assert console_context.cookies() == []
    console.reload()  # the tab keeps its sign-in
    expect(console.get_by_text(f"Signed in as {agent}")).to_be_visible()
    console.get_by_role("button", name="Sign out").click()
    expect(console.get_by_label("Name", exact=True)).to_be_visible()
    expect(console.get_by_role("button", name="Sign out")).to_be_hidden()
    expect(console.get_by_role("heading", name="Queue")).to_be_hidden()
    assert console.evaluate("sessionStorage.getItem('waymark.console')") is None

    # A token that stops working (expired, revoked) sends the worker back to sign in.
    sign_in(console, agent)
    expect(console.get_by_text(f"Signed in as {agent}")).to_be_visible()
    expect(console.locator("#live-state")).to_contain_text("Live", timeout=SLOW)
    expect(console.get_by_role("alert")).to_be_hidden()
    console.evaluate("""() => { const a = JSON.parse(sessionStorage.getItem('waymark.console'));
                               a.token = 'revoked'; sessionStorage.setItem('waymark.console', JSON.stringify(a)); }""")
    console.reload()
    expect(console.get_by_role("alert")).to_have_text("Your sign-in has ended. Please sign in again.")


def test_console_accessibility_and_small_screens(page, browser, live_server, settings, agent, axe_path):
    handover_id, _ = ask_for_a_person(page, settings)
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script
    console = open_console(context, live_server)
    console.add_script_tag(path=str(axe_path))
    sign_in_result = console.evaluate("async () => JSON.stringify(await axe.run(document))")
    sign_in(console, agent)
    console.locator(f'#waiting [data-handover-id="{handover_id}"]').get_by_role("button", name="Claim").click()
    expect(console.locator("#conversation-summary")).to_be_visible()
    console.get_by_label("Private note").fill("Checking the page.")
    console.get_by_role("button", name="Add private note").click()
    expect(console.locator("#transcript .line.note")).to_be_visible()
    desk_result = console.evaluate("async () => JSON.stringify(await axe.run(document))")

    widths = {}
    for width, height in ((1024, 768), (320, 568)):
        console.set_viewport_size({"width": width, "height": height})
        widths[width] = console.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    console.get_by_role("button", name="End conversation").click()
    expect(console.locator("#conversation")).to_be_hidden()
    context.close()

    for result in (sign_in_result, desk_result):
        violations = [v for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")]
        assert violations == [], [(v["id"], v["help"]) for v in violations]
    assert widths == {1024: True, 320: True}


def _short_streams(context, seen: list) -> None:
    """Make every live-updates stream end after a second (the server's own limit is 25 s),
    so the pages must reconnect, from the last event id, many times during a test."""
    def shorten(route):
        url = route.request.url
        seen.append((url, route.request.headers.get("last-event-id")))
        route.continue_(url=url + ("&" if "?" in url else "?") + "max_seconds=1")
    context.route("**/console/api/events*", shorten)
    context.route("**/updates*", shorten)


def test_lines_arrive_once_across_stream_reconnects(page, console_context, live_server, settings, agent):
    person_streams, console_streams = [], []
    _short_streams(page.context, person_streams)
    _short_streams(console_context, console_streams)
    page.reload()
    console = open_console(console_context, live_server)
    sign_in(console, agent)
    handover_id, _ = ask_for_a_person(page, settings)
    console.locator(f'#waiting [data-handover-id="{handover_id}"]').get_by_role("button", name="Claim").click()
    expect(console.locator("#conversation-summary")).to_be_visible()

    for n in (1, 2, 3):
        console.get_by_label("Reply to the person").fill(f"Message {n} from the helpline.")
        console.get_by_role("button", name="Send reply").click()
        expect(page.locator(".msg.agent").last).to_contain_text(f"Message {n} from the helpline.")
        ask(page, f"Answer {n} from me.")
        expect(console.locator("#transcript .line.person").last).to_contain_text(f"Answer {n} from me.")
        page.wait_for_timeout(1500)  # at least one reconnect on each side between rounds

    expect(page.locator(".msg.agent")).to_have_count(3)
    expect(console.locator("#transcript .line.person").filter(has_text="from me.")).to_have_count(3)
    # Both pages resume from the last line they showed.
    assert len(person_streams) >= 3 and any(not url.endswith("after=0") for url, _ in person_streams[1:])
    assert len(console_streams) >= 3 and sum("after=" in url for url, _ in console_streams) >= 2
    console.get_by_role("button", name="End conversation").click()
    expect(page.locator(".msg.bot").last).to_contain_text("Did you get what you needed?")


def test_urgent_first_and_flagged_and_a_callback_marked_done(console_context, live_server, settings, agent):
    from directory.db import session_scope
    from handover import desk
    from handover.models import CallbackRequest

    now = OPEN_TIME
    with session_scope(settings.database_url) as session:
        calm = desk.enqueue_without_offer(session, f"test-{uuid.uuid4().hex}", "rest", reason="asked", urgent=False,
                                          now=now - timedelta(minutes=9))
        calm.summary, calm.consent, calm.timed_out_at = "Asking for a family member. Area: LS1.", "yes", now
        urgent = desk.enqueue_without_offer(session, f"test-{uuid.uuid4().hex}", "twilio_sms", reason="asked",
                                            urgent=True, now=now)
        urgent.crisis_type = "suicide"
        closed = desk.enqueue_without_offer(session, f"test-{uuid.uuid4().hex}", "rest", reason="asked", urgent=False,
                                            now=now)
        closed.summary = "Asked for a call back about alcohol."
        callback = desk.request_callback(session, closed, now)
        desk.close_out_of_hours(closed, now)
        ids = calm.id, urgent.id, callback.id
    calm_id, urgent_id, callback_id = ids
    try:
        console = open_console(console_context, live_server)
        sign_in(console, agent)
        urgent_card = console.locator(f'#waiting [data-handover-id="{urgent_id}"]')
        calm_card = console.locator(f'#waiting [data-handover-id="{calm_id}"]')
        expect(urgent_card).to_contain_text("Urgent: suicide")
        expect(calm_card).to_contain_text("waiting 9 minutes")
        expect(calm_card).to_contain_text("already told nobody is free")
        expect(calm_card).to_contain_text("Asking for a family member. Area: LS1.")
        order = console.locator("#waiting > li").evaluate_all("items => items.map(i => i.dataset.handoverId)")
        assert order.index(urgent_id) < order.index(calm_id)  # urgent first, though it waited less

        request = console.locator(f'#callbacks [data-callback-id="{callback_id}"]')
        expect(request).to_contain_text("Asked for a call back about alcohol.")
        request.get_by_role("button", name="Mark done").click()
        expect(request).to_have_count(0)
        expect(console.locator("#queue-news")).to_have_text("Callback request marked done.")
        with session_scope(settings.database_url) as session:
            assert session.get(CallbackRequest, callback_id).status == "done"
    finally:
        with session_scope(settings.database_url) as session:
            for handover_id in (calm_id, urgent_id):
                desk.end(session, handover_id, "test", now)
