"""How every channel reads a message first (waymark.inbound, issue 18): triage once, before
anything treats "/" specially; only Waymark's own button payloads skip it; characters that
are not text are never passed on. No model needed."""
from __future__ import annotations

import ast
import re

import pytest
import yaml
from support import ROOT

from waymark.inbound import KNOWN_PAYLOADS, UNREADABLE, is_readable, read_message

OVERDOSE = "my friend has taken an overdose and is not breathing"


def test_a_slash_in_front_of_a_crisis_no_longer_hides_it():
    for text in (f"/ {OVERDOSE}", f"/{OVERDOSE}", f"  // {OVERDOSE}", f"/ask_human {OVERDOSE}"):
        inbound = read_message(text)
        assert inbound.match is not None and inbound.match.type.value == "overdose", text
        assert not inbound.payload and not inbound.text.startswith("/"), text


def test_only_an_exact_known_payload_is_a_button():
    for payload in ("/ask_human", '/find_service{"need": "treatment"}', '/handover_consent{"choice": "yes"}'):
        inbound = read_message(payload)
        assert inbound.payload and inbound.text == payload and inbound.match is None
    # Anything else starting with "/" is words for the model, not an intent to parse.
    for text, words in (('/find_service{"need": "crack"}', 'find_service{"need": "crack"}'),
                        ("/ask_human please", "ask_human please"), ("/greet", "greet"), ("/ hello", "hello")):
        inbound = read_message(text)
        assert not inbound.payload and inbound.text == words, text
    assert read_message("/").empty and read_message("//  ").empty


@pytest.mark.parametrize("bad", ["\udfff", "\ud800", "hello \udfff", "\x00", "hi\x00there", "\x07", "\x1b[2J",
                                 "\ufffe", "\uffff", "\ufdd0", "\U0010ffff", "\x85"])
def test_characters_that_are_not_text_are_refused(bad):
    assert not is_readable(bad)
    inbound = read_message(bad)
    assert inbound.refused and inbound.match is None


@pytest.mark.parametrize("fine", ["café au lait", "I’m scared 😢", "line one\nline two\ttabbed\r\n", "日本語",
                                  "\ue000 private use", "\u00ad soft hyphen", "\ufffd replacement"])
def test_real_text_is_readable(fine):
    assert is_readable(fine) and not read_message(fine).refused


def test_a_crisis_with_a_stray_byte_is_still_a_crisis_read_without_it():
    inbound = read_message(f"{OVERDOSE}\x00\udfff")
    assert inbound.unreadable and not inbound.refused
    assert inbound.match is not None and inbound.text == OVERDOSE


def test_the_unreadable_reply_is_polite_specific_and_gives_999_and_samaritans():
    assert "couldn't read that message" in UNREADABLE and "999" in UNREADABLE and "116 123" in UNREADABLE


# --- every payload Waymark's buttons send is known, and only those --------------------------

def _domain_intents() -> set[str]:
    intents: set[str] = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        for intent in yaml.safe_load(path.read_text(encoding="utf-8")).get("intents") or []:
            intents.add(intent if isinstance(intent, str) else next(iter(intent)))
    return intents


def _domain_payloads() -> set[str]:
    found = set()
    for path in (ROOT / "bot" / "domain").glob("*.yml"):
        for variants in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).values():
            for variant in variants:
                for button in variant.get("buttons") or []:
                    found.add(button["payload"].replace("{{", "{").replace("}}", "}"))
    return found


def _code_payloads(intents: set[str]) -> set[str]:
    """Every string literal in the code that looks like "/<domain intent>" or
    "/<intent>{...}", and every payload built by handover.wording.payload()."""
    from handover import wording

    found = set()
    shape = re.compile(r"^/([A-Za-z_]+)(\{.*\})?$", re.DOTALL)
    for folder in ("actions", "channels", "handover", "waymark", "understanding"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "inbound.py":  # the list itself
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    match = shape.match(node.value)
                    if match and match.group(1) in intents:
                        found.add(node.value)
    for value in vars(wording).values():
        buttons = value if isinstance(value, list) else [value]
        found |= {b["payload"] for b in buttons if isinstance(b, dict) and "payload" in b}
    return found


def test_every_button_payload_in_the_domain_and_the_code_is_known():
    intents = _domain_intents()
    used = _domain_payloads() | _code_payloads(intents)
    assert used - KNOWN_PAYLOADS == set(), "a button sends a payload waymark.inbound does not know"
    assert {p.split("{")[0][1:] for p in KNOWN_PAYLOADS} <= intents  # and none is made up
    assert KNOWN_PAYLOADS - used == set(), "KNOWN_PAYLOADS lists a payload no button sends"


async def test_the_assistant_reads_a_message_itself_when_no_channel_did(assistant):
    # The terminal chat calls Assistant.handle directly: the same rules apply there.
    [reply] = await assistant.handle("inbound-test-unreadable", "hello\udfff")
    assert reply["text"] == UNREADABLE
    [reply] = await assistant.handle("inbound-test-slash", "/")
    assert "didn't get any words" in reply["text"]
    assert not await assistant.has_conversation("inbound-test-unreadable")
    replies = await assistant.handle("inbound-test-crisis", f"/ {OVERDOSE}")
    assert replies[0]["text"].startswith("Call 999")
