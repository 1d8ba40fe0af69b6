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


# --- the realistic load profile (issue 24) ---------------------------------------------------

import profiles  # noqa: E402


def test_the_realistic_profile_is_mostly_new_messages_and_directory_searches():
    """As issue 24 asks: what a benchmark reports must come from load like real conversations,
    not greetings the repeated-message cache answers. 350 conversations is about a 60-second
    run at 50 people."""
    journeys, mix = profiles.sample("realistic", 350)
    assert mix["new_message_share"] >= 0.80
    assert mix["search_share"] >= 0.30
    assert all(4 <= len(journey) <= 12 for journey in journeys)
    openings = " ".join(journey[0].text.lower() for journey in journeys)
    assert "my son" in openings or "my daughter" in openings  # a family member
    assert "im 1" in openings  # a young person ("im 16 and ...")
    assert "refer" in openings  # frontline staff
    assert "clean needles" in openings  # someone who uses
    assert max(len(turn.text) for journey in journeys for turn in journey) > 120  # long, rambling ones too


def test_the_short_profile_is_the_old_one_and_says_how_repetitive_it_is():
    _, mix = profiles.sample("short", 350)
    assert mix["cache_hit_share"] > 0.4  # why its figures flatter: reported beside them


def test_each_benchmark_run_draws_different_conversations_but_every_server_the_same():
    first = profiles.realistic(profiles.random.Random("realistic-10-1.0-3"))
    again = profiles.realistic(profiles.random.Random("realistic-10-1.0-3"))
    other_run = profiles.realistic(profiles.random.Random("realistic-50-1.0-3"))
    assert first == again
    assert first != other_run
