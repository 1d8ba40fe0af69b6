"""`make bench` leaves a developer's demo directory as it found it.

The conversation benchmark's simulated people ask for a person thousands of times; run
against var/waymark.db, their handovers filled the helpline console's queue of the demo.
"""
from __future__ import annotations

import sqlite3
import sys
from contextlib import closing

from support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import conversations  # noqa: E402


def test_the_benchmark_writes_to_a_copy_of_the_directory(tmp_path):
    demo = tmp_path / "waymark.db"
    with closing(sqlite3.connect(demo)) as db:
        db.execute("PRAGMA journal_mode=WAL")  # as the served directory is
        db.execute("CREATE TABLE handover (id TEXT)")
        db.commit()

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    url = conversations.scratch_directory(demo, scratch)
    copy = url[len("sqlite:///"):]
    assert copy != str(demo)
    with closing(sqlite3.connect(copy)) as db:
        db.execute("INSERT INTO handover VALUES ('from-a-simulated-person')")
        db.commit()
    with closing(sqlite3.connect(demo)) as db:
        assert db.execute("SELECT count(*) FROM handover").fetchone() == (0,)
