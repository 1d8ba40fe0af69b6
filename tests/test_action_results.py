"""What custom actions return is still checked against Rasa's schema, compiled once.

Rasa 3.6 re-checks the schema itself against its meta-schema for every action result; Waymark
compiles it once (waymark.assistant). A result that breaks the schema must still be refused
with Rasa's own explanation, so a broken action cannot put nonsense into a conversation."""
from __future__ import annotations

from unittest import mock

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from waymark.assistant import check_action_results_with_compiled_schema


def test_action_results_are_checked_without_rechecking_the_schema_each_time():
    check_action_results_with_compiled_schema()
    action = RemoteAction("action_find_service", None)
    good = {"events": [{"event": "slot", "name": "place", "value": "LS1"}],
            "responses": [{"text": "Here is what I found."}]}
    with mock.patch.object(jsonschema.validators.Draft202012Validator, "check_schema") as meta_check:
        for _ in range(5):
            assert action._validate_action_result(good) is True
    assert meta_check.call_count == 0

    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list of events", "responses": []})
    with pytest.raises(jsonschema.ValidationError):
        action._validate_action_result({"events": [{"event": "slot"}], "responses": "hello"})


def test_installing_twice_keeps_one_layer():
    check_action_results_with_compiled_schema()
    installed = RemoteAction._validate_action_result
    check_action_results_with_compiled_schema()
    assert RemoteAction._validate_action_result is installed
