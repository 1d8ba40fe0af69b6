"""The trained model's graph runs node after node without dask, and decides exactly as Rasa's
dask runner does: the same intent, entities and confidence for a message, and the same next
action for a conversation (waymark.graph_runner)."""
from __future__ import annotations

import asyncio
import uuid
from contextlib import contextmanager
from unittest import mock

import pytest
from rasa.core.channels.channel import UserMessage
from rasa.engine.runner.dask import DaskGraphRunner

from waymark.graph_runner import SequentialGraphRunner

MESSAGES = ["hello", "I need help with my drinking near LS1 4AP", "wheres the nearest needle exchange",
            "help with crack near M1 2AA", "my son is using heroin what do I do", "LS6", "asdfgh"]


@contextmanager
def rasas_own_runner(processor):
    """Run the processor on Rasa's DaskGraphRunner over the very same loaded nodes."""
    ours = processor.graph_runner
    dask_runner = DaskGraphRunner.__new__(DaskGraphRunner)
    dask_runner._graph_schema, dask_runner._instantiated_nodes = ours._schema, ours._nodes
    dask_runner._execution_context = None
    processor.graph_runner = dask_runner
    try:
        yield
    finally:
        processor.graph_runner = ours


def parse(processor, text: str) -> dict:
    return asyncio.run(processor.parse_message(UserMessage(text, sender_id="graph-runner-test")))


def test_the_assistant_runs_its_model_without_dask(assistant):
    assert isinstance(assistant.agent.processor.graph_runner, SequentialGraphRunner)
    with mock.patch("dask.get", side_effect=AssertionError("dask was used")):
        replies = asyncio.run(assistant.handle(f"runner-{uuid.uuid4().hex}",
                                               "I need help with my drinking near LS1 4AP"))
    assert "Kirkgate" in " ".join(r.get("text", "") for r in replies)


@pytest.mark.parametrize("text", MESSAGES)
def test_understanding_is_the_same_as_with_rasas_runner(assistant, text):
    processor = assistant.agent.processor
    ours = parse(processor, text)
    with rasas_own_runner(processor):
        rasas = parse(processor, text)
    assert ours["intent"]["name"] == rasas["intent"]["name"]
    assert ours["intent"]["confidence"] == pytest.approx(rasas["intent"]["confidence"], abs=1e-6)
    assert [(e["entity"], e["value"]) for e in ours["entities"]] == \
        [(e["entity"], e["value"]) for e in rasas["entities"]]


def test_next_action_is_the_same_as_with_rasas_runner(assistant):
    processor = assistant.agent.processor
    sender = f"runner-{uuid.uuid4().hex}"
    for text in ["hi", "wheres the nearest needle exchange"]:  # the form now asks where they are
        asyncio.run(assistant.handle(sender, text))
    tracker = asyncio.run(processor.get_tracker(sender))
    ours = processor.predict_next_with_tracker(tracker)
    with rasas_own_runner(processor):
        rasas = processor.predict_next_with_tracker(tracker)
    best = [max(p["scores"], key=lambda s: s["score"])["action"] for p in (ours, rasas)]
    assert best[0] == best[1] == "find_service_form"  # the form is still asking where they are
    assert ours["policy"] == rasas["policy"]
    assert ours["confidence"] == pytest.approx(rasas["confidence"])


def test_a_plan_is_worked_out_once_per_target(assistant):
    runner = assistant.agent.processor.graph_runner
    target = assistant.agent.processor.model_metadata.nlu_target
    first = runner.plan([target])
    assert runner.plan([target]) is first
    names = [name for name, _, _ in first]
    assert names[-1] == target and len(names) == len(set(names))
    for position, (name, _, parents) in enumerate(first):  # every parent runs before its child
        assert all(names.index(p) < position for p in parents if p in names)
