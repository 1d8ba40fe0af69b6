"""The error every importer raises for input it refuses (a module of its own, so the CSV
template reader and the ORUK importer can both raise it without importing each other)."""
from __future__ import annotations

from typing import Optional


class FeedError(ValueError):
    """A record that cannot be imported. Nothing from its file is written."""

    def __init__(self, record: str, field_name: Optional[str], message: str):
        self.record, self.field_name, self.message = record, field_name, message
        where = f"{record}, field '{field_name}'" if field_name else record
        super().__init__(f"{where}: {message}")
