"""Short messages people send again and again are understood once, and only those: nothing
with a digit in it (a postcode, a phone number, a date) is ever kept."""
from __future__ import annotations

import uuid

from understanding.repeats import RepeatedMessages


def test_only_short_messages_without_digits_are_kept():
    repeats = RepeatedMessages(size=10)
    understood = {"text": "thanks", "intent": {"name": "thank", "confidence": 0.98}, "entities": []}
    repeats.put("thanks", understood)
    for text in ("LS6 1AA", "07700 900123", "on the 3rd", "/ask_human", "x" * 25, ""):
        repeats.put(text, understood)
        assert repeats.get(text) is None
    assert len(repeats) == 1
    again = repeats.get("thanks")
    assert again == understood
    again["intent"]["name"] = "changed by the dialogue"
    assert repeats.get("thanks")["intent"]["name"] == "thank"  # callers get their own copy


def test_the_least_recently_used_make_way():
    repeats = RepeatedMessages(size=2)
    for text in ("hi", "thanks", "hi", "bye"):
        repeats.put(text, {"text": text})
    assert repeats.get("thanks") is None  # the oldest unused one went
    assert repeats.get("hi") == {"text": "hi"} and repeats.get("bye") == {"text": "bye"}
    off = RepeatedMessages(size=0)
    off.put("hi", {"text": "hi"})
    assert off.get("hi") is None


async def test_a_repeated_greeting_gets_the_same_answer_without_running_the_model_again(assistant, monkeypatch):
    processor = assistant.agent.processor
    calls = []
    real_parse = processor.parse_message

    async def counting_parse(message, *args, **kwargs):
        calls.append(message.text)
        return await real_parse(message, *args, **kwargs)

    monkeypatch.setattr(processor, "parse_message", counting_parse)
    greeting = f"hiya there {uuid.uuid4().hex[:4].translate(str.maketrans('0123456789', 'ghijklmnop'))}"
    first = await assistant.handle(f"repeat-{uuid.uuid4().hex[:8]}", greeting)
    second = await assistant.handle(f"repeat-{uuid.uuid4().hex[:8]}", greeting)
    assert [r.get("text") for r in first] == [r.get("text") for r in second]
    assert first and calls == [greeting]
    # A message with a place in digits is always read by the model.
    for _ in range(2):
        await assistant.handle(f"repeat-{uuid.uuid4().hex[:8]}", "LS1 4AP")
    assert calls.count("LS1 4AP") == 2
