"""`waymark directory stale`: listings not verified within the stale period, grouped by the
organisation that runs them, oldest first, with whom to ask."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from directory import stale
from directory.db import session_scope
from directory.models import Contact, Service
from support import ROOT


def test_stale_listings_grouped_by_organisation_oldest_first(fresh_directory):
    with session_scope(fresh_directory) as s:
        hub = s.get(Service, "sample-leeds-recovery-hub")
        hub.assured_date = date(2026, 1, 5)
        hub.assurer_email = "checker@example.org"
        alcohol = s.get(Service, "sample-leeds-alcohol-service")
        alcohol.assured_date = None
        alcohol.contacts.append(Contact(name="Pat Example", email="pat@example.org"))
        pharmacy = s.get(Service, "sample-leeds-pharmacy-nsp")
        pharmacy.assured_date = date(2026, 3, 1)
        closed = s.get(Service, "sample-manchester-chemsex")
        closed.assured_date, closed.status = date(2025, 1, 1), "defunct"  # closed: nobody to chase
    with session_scope(fresh_directory) as s:
        groups = stale.stale_listings(s, days=90, today=date(2026, 11, 23))
        # The sample area was checked on 2026-11-02: only the three above are stale.
        listed = [item.service_id for g in groups for item in g.listings]
        assert set(listed) == {"sample-leeds-recovery-hub", "sample-leeds-alcohol-service",
                               "sample-leeds-pharmacy-nsp"}
        assert [g.organization for g in groups] == ["Aire Valley Recovery Partnership (sample)",
                                                    "Pennine Harm Reduction (sample)"]
        aire = groups[0]
        assert [i.service_id for i in aire.listings] == ["sample-leeds-alcohol-service", "sample-leeds-recovery-hub"]
        assert aire.listings[0].ask == "Pat Example <pat@example.org>"
        assert aire.listings[1].ask == "checker@example.org"
        text = stale.format_report(groups, 90, date(2026, 11, 23))
        assert "never checked" in text and "last checked 2026-01-05 (322 days ago)" in text


def test_stale_command(fresh_directory):
    env = {**os.environ, "WAYMARK_DATABASE_URL": fresh_directory}
    waymark = str(Path(sys.executable).parent / "waymark")
    result = subprocess.run([waymark, "directory", "stale", "--days", "0"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "not checked in the last 0 days" in result.stdout and "Kirkgate Recovery Hub (sample)" in result.stdout
    fresh = subprocess.run([waymark, "directory", "stale", "--days", "100000"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert "No stale listings" in fresh.stdout
