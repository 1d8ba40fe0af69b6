"""Run the whole suite with the clock moved to dates that break date-dependent tests.

`make test-calendar` runs this. Each run starts pytest with the clock moved by a fixed offset,
so time runs on from the chosen moment as it would on a machine whose clock said so: a run that
starts at Sunday 23:59:30 crosses midnight into Monday while it runs. Subprocesses the tests
start inherit the offset.

Two ways to move it:
  system (default)   libfaketime, through Debian's `faketime` wrapper, moves the system clock for
                     everything: Rasa, TensorFlow, SQLite, Chromium. The wrapper shares one start
                     time with every process it starts (FAKETIME_SHARED), so test workers and the
                     servers they start agree. (Preloading the library by hand with a relative
                     FAKETIME made TensorFlow's model load hang, measured on 1 December 2026.
                     Through the wrapper it loaded three times in four on 2 December; once a
                     test worker's load hung inside Keras's fit. The model load now calls the
                     one training step directly, without fit's tf.data threads: six loads in
                     six under the wrapper, 13-20 s each, on 2 December.)
                     Only the calendar clock moves: the monotonic clock (time since boot, which
                     no date setting changes) is left alone (FAKETIME_DONT_FAKE_MONOTONIC). Moved
                     too, it made every timed wait hang: a wait's deadline is worked out on the
                     moved clock and the kernel keeps it on the real one, so
                     `threading.Event().wait(0.2)` under `faketime -f "@<a year ahead>"` never
                     returned (3 December 2026). Test workers sat idle in a feed sync's retry wait
                     for that reason, and most likely in Keras's fit before too.
  --product-clock    WAYMARK_CLOCK_OFFSET_SECONDS moves only the product's one clock
                     (`timekeeping`), where libfaketime is not installed. Rasa's own event
                     timestamps stay on the wall clock, so a server's retention sweep sees every
                     conversation as a year old in the year-ahead run and may delete it while a
                     test reads it (seen on 2 December in tests/test_scale_two_instances.py): a
                     failure there under this mode is the mode's, not the product's.

The moments (all given in UTC, the machine's zone here):
  year-ahead      one year from now
  sunday-2359     Sunday 23:59:30 (the week and the day change during the run)
  spring-forward  2027-03-28 00:59:30 UTC: UK time 00:59:30 GMT, 30 s before the clocks go
                  forward (01:59:30 UK time does not exist that night)
  fall-back       2027-10-31 00:59:30 UTC: UK time 01:59:30 BST, 30 s before the clocks go
                  back (and the hour is then lived twice)
  leap-day        2028-02-29 12:00:00 UTC

Run with `--only NAME` for one of them, and pytest arguments after `--`.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAKETIME = "/usr/bin/faketime"


def _next_sunday_2359(now: datetime) -> datetime:
    ahead = (6 - now.weekday()) % 7 or 7
    return datetime.combine(now.date() + timedelta(days=ahead), datetime.min.time(), timezone.utc).replace(
        hour=23, minute=59, second=30)


def moments(now: datetime) -> dict[str, datetime]:
    return {
        "year-ahead": now + timedelta(days=365),
        "sunday-2359": _next_sunday_2359(now),
        "spring-forward": datetime(2027, 3, 28, 0, 59, 30, tzinfo=timezone.utc),
        "fall-back": datetime(2027, 10, 31, 0, 59, 30, tzinfo=timezone.utc),
        "leap-day": datetime(2028, 2, 29, 12, 0, 0, tzinfo=timezone.utc),
    }


def wrapper() -> str:
    if os.path.exists(FAKETIME):
        return FAKETIME
    sys.exit("error: Debian's faketime is not installed (apt-get install faketime); "
             "`make test-calendar` installs it when run as root.")


def moved(command: list[str], moment: datetime, faketime: bool = True) -> tuple[list[str], dict[str, str]]:
    """`command` and its environment, run with the clock starting at `moment`."""
    if faketime:  # the system clock starts at the moment and runs on from it
        env = dict(os.environ, TZ="UTC", FAKETIME_DONT_FAKE_MONOTONIC="1")
        return [wrapper(), "-f", f"@{moment:%Y-%m-%d %H:%M:%S}", *command], env
    offset = int((moment - datetime.now(timezone.utc)).total_seconds())
    return command, dict(os.environ, WAYMARK_CLOCK_OFFSET_SECONDS=str(offset))


def run(name: str, moment: datetime, pytest_args: list[str], faketime: bool = True) -> int:
    offset = int((moment - datetime.now(timezone.utc)).total_seconds())
    command, env = moved([sys.executable, "-m", "pytest", *pytest_args], moment, faketime)
    print(f"\n=== {name}: the clock starts at {moment:%A %Y-%m-%d %H:%M:%S} UTC (offset {offset:+d} s) ===",
          flush=True)
    started = time.monotonic()
    code = subprocess.call(command, cwd=ROOT, env=env)
    print(f"=== {name}: exit {code} after {time.monotonic() - started:.0f} s ===", flush=True)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", choices=sorted(moments(datetime.now(timezone.utc))),
                        help="run only this moment (repeatable)")
    parser.add_argument("--product-clock", action="store_true",
                        help="move only the product's clock, not the system's with libfaketime (see above)")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (put them after --)")
    args = parser.parse_args(argv)
    chosen = moments(datetime.now(timezone.utc))
    names = args.only or list(chosen)
    results = {name: run(name, chosen[name], [*(args.pytest_args or ["-q"]), "-rfE"], not args.product_clock)
               for name in names}
    print("\nCalendar runs:")
    for name, code in results.items():
        print(f"  {name:15} {'passed' if code == 0 else f'FAILED (exit {code})'}")
    return 0 if all(code == 0 for code in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
