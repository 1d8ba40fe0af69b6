"""The calendar runs (`make test-calendar`) must move the date without stopping the suite.

A moved monotonic clock made every timed wait hang under libfaketime: the wait's deadline is
worked out on the moved clock, the kernel keeps it on the real one. A feed sync's retry wait
then slept for a year and the run sat idle (3 December 2026). These start a real process the
way a calendar run does and check that the date moved and a short wait still ends.
"""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_calendar  # noqa: E402

PROBE = ("import threading, time, datetime\n"
         "started = time.monotonic()\n"
         "threading.Event().wait(0.2)\n"
         "print(datetime.datetime.now(datetime.timezone.utc).year, round(time.monotonic() - started, 1))\n")

needs_faketime = pytest.mark.skipif(not Path(run_calendar.FAKETIME).exists(),
                                    reason="Debian's faketime is not installed (make test-calendar installs it)")


@needs_faketime
@pytest.mark.parametrize("name", ["year-ahead", "spring-forward", "leap-day"])
def test_under_a_moved_clock_the_date_moves_and_a_short_wait_still_ends(name):
    moment = run_calendar.moments(datetime.now(timezone.utc))[name]
    command, env = run_calendar.moved([sys.executable, "-c", PROBE], moment)
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    year, waited = done.stdout.split()
    assert int(year) == moment.year
    assert 0.15 <= float(waited) < 5, f"a 0.2 s wait took {waited} s under the moved clock"


def test_the_product_clock_mode_moves_only_the_products_clock():
    moment = datetime(2028, 2, 29, 12, tzinfo=timezone.utc)
    command, env = run_calendar.moved(["true"], moment, faketime=False)
    assert command == ["true"]
    assert int(env["WAYMARK_CLOCK_OFFSET_SECONDS"]) > 0
