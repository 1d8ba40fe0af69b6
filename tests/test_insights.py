"""The commissioner's figures: anonymous demand counts, unmet need, handovers, stale listings,
small counts hidden, and `waymark report` writing them to a folder. Real SQLite databases."""
from __future__ import annotations

import csv
import io
import logging
import os
import re
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from directory.db import create_schema, engine_for, session_scope
from directory.models import Metadata, Service
from insights import export, queries, record_demand
from insights.recording import flush
from insights.models import DemandCount
from support import ROOT

DAY = date(2026, 11, 18)  # a Wednesday
WEEK = queries.DateRange(date(2026, 11, 16), date(2026, 11, 22))
FULL_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}", re.IGNORECASE)


@pytest.fixture
def url(tmp_path) -> str:
    """An empty directory database of this test's own (tables, no services)."""
    url = f"sqlite:///{tmp_path / 'reports.db'}"
    create_schema(engine_for(url))
    return url


def record(url, times, need="treatment", matched=True, area="LS6", day=DAY, **extra):
    for _ in range(times):
        assert record_demand(need, matched=matched, area=area, day=day, database_url=url, **extra)
    assert flush()


def build(url, name, k=5, dr=WEEK):
    assert flush()
    with session_scope(url) as s:
        return queries.build(s, name, dr, k)


def demand_rows(url):
    assert flush()
    with session_scope(url) as s:
        return [dict(r._mapping) for r in s.execute(select(DemandCount.__table__))]


# --- recording -------------------------------------------------------------------------------

def test_a_full_postcode_is_never_recorded_only_its_district(url):
    for typed in ("LS6 1AA", "ls61aa", "near LS1 4AP please", "LS6", "Leeds", "M1 1AE", "12 Acacia Avenue",
                  "call me on 07700 900123"):
        assert record_demand("treatment", matched=True, area=typed, day=DAY, database_url=url)
    areas = {r["area"] for r in demand_rows(url)}
    assert areas == {"LS6", "LS1", "Leeds", "M1", "unknown"}
    for row in demand_rows(url):
        assert not any(FULL_POSTCODE.search(str(v)) for v in row.values()), row


def test_a_row_is_a_count_with_no_identifiers_and_no_time_of_day(url):
    record(url, 3, need="naloxone", substance="opioids", persona="family", channel="twilio_sms", matched=False)
    record(url, 1, need="naloxone", substance="opioids", persona="family", channel="twilio_sms", matched=False)
    columns = {c["name"] for c in inspect(engine_for(url)).get_columns("insights_demand")}
    assert columns == {"day", "need", "substance", "area", "persona", "channel", "matched", "requests"}
    assert demand_rows(url) == [{"day": DAY, "need": "naloxone", "substance": "opioids", "area": "LS6",
                                 "persona": "family", "channel": "sms", "matched": False, "requests": 4}]


def test_values_are_cut_down_to_known_codes(url):
    assert record_demand("something odd", matched=True, substance="gin and tonic", persona="my son",
                         channel="carrier pigeon", area="Leeds", day=DAY, database_url=url)
    assert record_demand("treatment", matched=True, persona="young-person", channel="twilio_voice",
                         area="LS1", database_url=url)
    rows = sorted(demand_rows(url), key=lambda r: r["need"])
    assert (rows[0]["need"], rows[0]["substance"], rows[0]["persona"], rows[0]["channel"]) == \
        ("other", "not-said", "unknown", "other")
    assert (rows[1]["persona"], rows[1]["channel"]) == ("young-person", "voice")
    assert rows[1]["day"] == queries.uk_today()


def test_a_failure_to_record_is_logged_without_personal_data_and_never_raises(tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the database folder should be")
    with caplog.at_level(logging.WARNING):
        started = time.monotonic()
        taken = record_demand("treatment", matched=True, area="LS1 4AP", persona="self",
                              database_url=f"sqlite:///{blocked}/sub/demand.db")
        assert taken is True and time.monotonic() - started < 0.5  # the reply never waits for it
        assert flush()
        assert record_demand("treatment", matched=True, area="LS1", day="not a date") is False
    assert "Could not record demand" in caplog.text and "1 request(s) not counted" in caplog.text
    assert "LS1" not in caplog.text and "4AP" not in caplog.text


# --- reports and suppression -----------------------------------------------------------------

def test_demand_by_area_and_need_hides_small_counts(url):
    record(url, 7, area="LS6", matched=True)
    record(url, 6, area="LS6", matched=False)
    record(url, 2, need="naloxone", area="LS1", matched=True)
    record(url, 9, need="housing", area="M1", matched=True)
    report = build(url, "demand")
    rows = {(r["area"], r["need"]): r for r in report.rows}
    assert rows[("LS6", "Drug and alcohol treatment")] == {
        "area": "LS6", "need": "Drug and alcohol treatment", "requests": 13, "found": 7, "unmet": 6}
    assert rows[("LS1", "Take-home naloxone")]["requests"] == "fewer than 5"
    assert rows[("LS1", "Take-home naloxone")]["found"] == "fewer than 5"
    # One hidden row could be worked out from the grand total: the smallest other row goes too.
    assert rows[("M1", "Housing and homelessness")]["requests"] == "hidden"
    assert [r["area"] for r in report.rows][0] == "LS6"  # largest shown first
    text = export.to_csv(report)
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == ["Area", "Need", "Requests", "Something within reach", "Nothing within reach"]
    assert ["LS1", "Take-home naloxone", "fewer than 5", "fewer than 5", "fewer than 5"] in lines
    assert lines[-1] == ["Total of the figures shown", "", "13", "7", "6"]  # hidden cells add nothing
    assert "2" not in [cell for line in lines for cell in line]


def test_a_small_part_hides_its_neighbour_so_it_cannot_be_subtracted(url):
    record(url, 7, area="LS6", matched=True)
    record(url, 2, area="LS6", matched=False)
    record(url, 8, area="M1", matched=True)
    record(url, 6, area="M1", matched=False)
    rows = {r["area"]: r for r in build(url, "demand").rows}
    assert rows["LS6"] == {"area": "LS6", "need": "Drug and alcohol treatment", "requests": 9,
                           "found": "hidden", "unmet": "fewer than 5"}
    # ...and down the column: M1's parts are hidden too, so the unmet total can't give LS6's away.
    assert rows["M1"]["requests"] == 14 and rows["M1"]["unmet"] == "hidden"
    unmet = {r["area"]: r["unmet"] for r in build(url, "unmet").rows}
    assert unmet == {"LS6": "fewer than 5", "M1": "hidden"}


def test_the_threshold_is_a_setting(url, monkeypatch):
    record(url, 3, area="LS6", matched=False)
    record(url, 6, area="M1", matched=False)
    assert {r["area"]: r["unmet"] for r in build(url, "unmet", k=queries.min_count()).rows} == \
        {"LS6": "fewer than 5", "M1": "hidden"}
    monkeypatch.setenv("WAYMARK_REPORT_MIN_COUNT", "3")
    assert queries.min_count() == 3
    assert {r["area"]: r["unmet"] for r in build(url, "unmet", k=queries.min_count()).rows} == {"LS6": 3, "M1": 6}
    monkeypatch.setenv("WAYMARK_REPORT_MIN_COUNT", "1")
    assert queries.min_count() == 2  # never "hide nothing"
    monkeypatch.setenv("WAYMARK_REPORT_MIN_COUNT", "lots")
    assert queries.min_count() == 5


def test_unmet_need_lists_only_where_nothing_was_found(url):
    record(url, 8, area="LS6", matched=True)
    record(url, 6, need="naloxone", area="Leeds", matched=False)
    record(url, 5, need="housing", area="M1", matched=False)
    report = build(url, "unmet")
    assert [(r["area"], r["need"], r["unmet"]) for r in report.rows] == [
        ("Leeds", "Take-home naloxone", 6), ("M1", "Housing and homelessness", 5)]


def test_weekly_and_who_asked(url):
    record(url, 6, persona="self", channel="rest", substance="alcohol")
    record(url, 5, persona="family", channel="twilio_sms", day=DAY + timedelta(days=7), matched=False)
    dr = queries.DateRange(date(2026, 11, 16), date(2026, 11, 29))
    weekly = build(url, "weekly", dr=dr)
    assert [(r["week"], r["requests"], r["unmet"]) for r in weekly.rows] == [
        ("2026-11-16", 6, 0), ("2026-11-23", 5, 5)]
    assert weekly.chart == {"x": "week", "series": ["requests", "unmet"]}
    askers = {(r["group"], r["value"]): r["requests"] for r in build(url, "askers", dr=dr).rows}
    assert askers[("Who was asking", "Themselves")] == 6 and askers[("Who was asking", "Family or carer")] == 5
    assert askers[("How they came in", "Web chat")] == 6 and askers[("How they came in", "Text message")] == 5
    assert askers[("Substance mentioned", "Alcohol")] == 6 and askers[("Substance mentioned", "Not said")] == 5


def test_an_empty_database_gives_empty_reports_not_errors(url):
    for name in queries.REPORTS:
        report = build(url, name)
        assert report.rows == [], name
    assert build(url, "handovers").empty == "No handovers recorded."
    assert build(url, "unmet").empty == "No unmet need recorded in these dates."
    assert "No handovers recorded." in export.summary_markdown([build(url, "handovers")], WEEK, 5)


def test_dates_are_checked_politely():
    assert queries.date_range("2026-11-01", "2026-11-30") == queries.DateRange(date(2026, 11, 1), date(2026, 11, 30))
    default = queries.date_range(today=date(2026, 11, 27))
    assert (default.start, default.end) == (date(2026, 8, 29), date(2026, 11, 27))
    with pytest.raises(queries.ReportError, match="must look like 2026-11-01"):
        queries.date_range("1st November")
    with pytest.raises(queries.ReportError, match="after the 'to' date"):
        queries.date_range("2026-11-30", "2026-11-01")
    with pytest.raises(queries.ReportError, match="no report called"):
        build("sqlite://", "everything")


# --- handovers -------------------------------------------------------------------------------

def make_handover_table(url):
    """The handover desk's own table (created unless another test's app already made it)."""
    from handover.models import Handover, create_tables

    create_tables(engine_for(url))
    return Handover.__table__


def add_handover(url, table, n, created, wait=None, status="ended", feedback=None, queued=True):
    with engine_for(url).begin() as c:
        queued_at = created + timedelta(minutes=1) if queued else None
        c.execute(table.insert().values(
            id=f"h{n}", sender_id=f"sender-{n}", channel="rest", status=status, urgent=False, created_at=created,
            queued_at=queued_at, claimed_at=queued_at + timedelta(minutes=wait) if wait is not None else None,
            feedback=feedback))


def test_handovers_per_week_with_waits_losses_and_outcomes(url):
    table = make_handover_table(url)
    monday = datetime(2026, 11, 16, 10, 0)
    for i, wait in enumerate([2, 4, 6, 8, 10, 12, 30, 1, 3, 5]):
        add_handover(url, table, i, monday + timedelta(hours=i), wait=wait,
                     feedback="yes" if i < 6 else "no" if i < 8 else None)
    for i in range(10, 15):  # nobody picked up: five left or expired
        add_handover(url, table, i, monday + timedelta(days=1, hours=i), status="expired" if i % 2 else "ended")
    add_handover(url, table, 15, monday + timedelta(days=2), status="declined", queued=False)
    add_handover(url, table, 20, monday + timedelta(days=7), wait=3)  # next week: a single handover
    for i in range(30, 36):  # the week after: six
        add_handover(url, table, i, monday + timedelta(days=14, hours=i - 29), wait=i - 29,
                     feedback="yes" if i < 35 else None)
    dr = queries.DateRange(date(2026, 11, 16), date(2026, 12, 6))
    report = build(url, "handovers", dr=dr)
    first, second, third, overall = report.rows
    assert first["week"] == "2026-11-16" and first["handovers"] == 16 and first["queued"] == 15
    assert first["median_wait"] == 5.5 and first["p90_wait"] == 12.0
    assert first["lost"] == 5 and first["lost_share"] == 33
    assert (first["feedback_yes"], first["feedback_no"]) == (6, "fewer than 5")
    assert second["handovers"] == "fewer than 5" and second["median_wait"] == "hidden"
    # The one small week could be worked out from the whole range's line: the next smallest hides too.
    assert third["handovers"] == "hidden" and third["median_wait"] == 3.5 and third["feedback_yes"] == "hidden"
    assert overall["week"] == "All these dates" and overall["handovers"] == 23
    csv_text = export.to_csv(report)
    assert "Median wait (minutes)" in csv_text and "fewer than 5" in csv_text


def test_no_handover_table_means_no_handovers_recorded(url):
    report = build(url, "handovers")
    assert report.rows == [] and report.empty == "No handovers recorded."
    assert export.to_csv(report).splitlines()[0].startswith("Week starting,Handovers")


# --- stale listings --------------------------------------------------------------------------

def test_stale_listings_by_owner(fresh_directory):
    with session_scope(fresh_directory) as s:
        fresh = queries.stale_by_owner(s, WEEK, 5, days=100000, today=date(2026, 11, 27))
    assert fresh.rows == [] and fresh.empty.startswith("No stale listings")
    with session_scope(fresh_directory) as s:
        s.get(Service, "sample-leeds-alcohol-service").assured_date = None
        report = queries.stale_by_owner(s, WEEK, 5, days=90, today=date(2027, 6, 1))
    rows = {r["organisation"]: r for r in report.rows}
    aire = rows["Aire Valley Recovery Partnership (sample)"]
    assert aire["listings"] >= 2 and aire["never"] == 1 and aire["oldest"] <= "2026-11-23"
    assert report.title == "Stale listings by owner (not checked for 90 days)"


# --- waymark report --------------------------------------------------------------------------

def waymark(*args, url, **kw):
    env = {**os.environ, "WAYMARK_DATABASE_URL": url}
    return subprocess.run([str(Path(sys.executable).parent / "waymark"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, **kw)


def test_waymark_report_writes_csv_files_and_a_summary(url, tmp_path):
    record(url, 8, area="LS6 1AA", matched=False)
    record(url, 2, need="naloxone", area="LS1", matched=True)
    record(url, 6, need="housing", area="M1", matched=False)
    out = tmp_path / "out"
    done = waymark("report", "--from", "2026-11-16", "--to", "2026-11-22", "--out", str(out), url=url)
    assert done.returncode == 0, done.stderr
    assert "demand.csv" in done.stdout and "Done: 6 CSV files" in done.stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "askers.csv", "demand.csv", "handovers.csv", "stale.csv", "summary.md", "unmet.csv", "weekly.csv"]
    unmet = list(csv.reader((out / "unmet.csv").open()))
    assert ["LS6", "Drug and alcohol treatment", "8"] in unmet
    summary = (out / "summary.md").read_text()
    assert summary.startswith("# Waymark reports, 2026-11-16 to 2026-11-22")
    assert "No handovers recorded." in summary and "fewer than 5" in summary
    assert not FULL_POSTCODE.search("".join(p.read_text() for p in out.iterdir()))
    with session_scope(url) as s:
        audited = s.scalars(select(Metadata).where(Metadata.resource_type == "report")).all()
    assert {(m.resource_id, m.last_action_type) for m in audited} == {(n, "exported") for n in queries.REPORTS}


def test_waymark_report_refuses_bad_dates_and_writes_nothing(url, tmp_path):
    out = tmp_path / "out"
    bad = waymark("report", "--from", "2026-11-30", "--to", "2026-11-01", "--out", str(out), url=url)
    assert bad.returncode == 2 and "after the 'to' date" in bad.stderr and not out.exists()
    helped = waymark("report", "--help", url=url)
    assert helped.returncode == 0 and "--from DATE" in helped.stdout and "fewer than 5" in helped.stdout


# --- PostgreSQL --------------------------------------------------------------------------------

def test_counts_and_reports_on_postgres(postgres_url):
    create_schema(engine_for(postgres_url))
    record(postgres_url, 6, area="LS6 1AA", matched=False)
    record(postgres_url, 7, need="naloxone", area="M1", matched=True, channel="twilio_voice")
    record(postgres_url, 1, need="housing", area="Leeds", matched=False)
    make_handover_table(postgres_url)
    unmet = {r["area"]: r["unmet"] for r in build(postgres_url, "unmet").rows}
    assert unmet == {"LS6": "hidden", "Leeds": "fewer than 5"}  # LS6 hides Leeds from the total
    demand = {r["area"]: r["requests"] for r in build(postgres_url, "demand").rows}
    assert demand == {"LS6": "hidden", "M1": 7, "Leeds": "fewer than 5"}
    assert build(postgres_url, "handovers").rows == []
    for name in queries.REPORTS:
        export.to_csv(build(postgres_url, name))  # every report builds and writes on PostgreSQL


def test_handover_figures_read_the_handover_desks_own_table(url):
    from handover import models as handover_models

    handover_models.create_tables(engine_for(url))
    start = datetime(2026, 11, 17, 9, 0)
    with session_scope(url) as s:
        for i in range(6):
            queued = start + timedelta(hours=i)
            s.add(handover_models.Handover(
                sender_id=f"web-{i}", channel="rest", status="ended", created_at=queued, queued_at=queued,
                claimed_at=queued + timedelta(minutes=2 * (i + 1)), feedback="yes"))
    week = build(url, "handovers").rows[0]
    assert (week["week"], week["handovers"], week["median_wait"], week["p90_wait"]) == ("2026-11-16", 6, 7.0, 12.0)
    assert (week["lost"], week["feedback_yes"], week["feedback_no"]) == (0, 6, 0)
