"""The `waymark` command: every subcommand has --help, and the terminal chat works."""
from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from waymark.cli import build_parser, chat_loop

WAYMARK = str(Path(sys.executable).parent / "waymark")


def _subcommands(parser, prefix=()):
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            yield prefix + (name,)
            yield from _subcommands(sub, prefix + (name,))


@pytest.mark.parametrize("words", [()] + list(_subcommands(build_parser())))
def test_every_command_has_help(words):
    result = subprocess.run([WAYMARK, *words, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "usage: waymark" in result.stdout


async def test_terminal_chat_numbers_buttons_and_answers(assistant):
    typed = iter(["hello", "3", "I need help with my drinking near LS1 4AP", "/quit"])
    shown: list[str] = []
    await chat_loop(assistant, uuid.uuid4().hex, read=lambda _prompt: next(typed), write=shown.append)
    screen = "\n".join(shown)
    assert "   3. Talk to a person" in screen  # buttons become numbers
    assert "real person" in screen  # "3" chose that button
    assert "Kirkgate Recovery Hub" in screen


async def test_terminal_chat_stops_on_end_of_input(assistant):
    def end_of_input(_prompt):
        raise EOFError

    await chat_loop(assistant, uuid.uuid4().hex, read=end_of_input, write=lambda _line: None)
