"""Short messages people send again and again, understood once.

"hi", "thanks", "yes please", "bye", "leeds": a large share of turns are the same few words,
and running the model on them is about a third of the work of a turn. What the model made of
such a message is kept (in this process's memory only, never written anywhere) and given
again when the same words come back. Only short messages without digits are kept, so a
postcode, a phone number or a date is never held here; button payloads ("/ask_human") are
read without the model anyway and are not kept.
"""
from __future__ import annotations

import copy
from collections import OrderedDict
from typing import Any, Optional

MAX_CHARS = 24


class RepeatedMessages:
    """A bounded map from a short message to what the model understood of it (LRU)."""

    def __init__(self, size: int = 2048, max_chars: int = MAX_CHARS) -> None:
        self.size, self.max_chars = size, max_chars
        self._parses: "OrderedDict[str, dict[str, Any]]" = OrderedDict()

    def keeps(self, text: str) -> bool:
        """Whether a message like this may be kept: short, no digits, not a button payload."""
        return (self.size > 0 and 0 < len(text) <= self.max_chars and not text.startswith("/")
                and not any(c.isdigit() for c in text))

    def get(self, text: str) -> Optional[dict[str, Any]]:
        """A copy of what was understood (the dialogue may change it), or None."""
        if not self.keeps(text):
            return None
        parse = self._parses.get(text)
        if parse is None:
            return None
        self._parses.move_to_end(text)
        return copy.deepcopy(parse)

    def put(self, text: str, parse: dict[str, Any]) -> None:
        if not self.keeps(text):
            return
        self._parses[text] = copy.deepcopy(parse)
        self._parses.move_to_end(text)
        while len(self._parses) > self.size:
            self._parses.popitem(last=False)

    def __len__(self) -> int:
        return len(self._parses)
