"""Importing ORUK/HSDS 3.0 feeds and the CSV template: mapping, classification, review flags,
updates in place with an audit trail, full-feed retirement, and all-or-nothing rejection."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from directory import classify, oruk_import
from directory.db import engine_for, session_scope
from directory.models import (
    Attribute,
    FeedRecord,
    Location,
    Metadata,
    ReviewItem,
    Service,
)
from support import ROOT

EXAMPLE_ID = "ac148810-d857-441c-9679-408f346de14b"
TEMPLATE = ROOT / "directory" / "sample_data" / "import_template.csv"


def _codes(session, service_id):
    service = session.get(Service, service_id)
    return {a.taxonomy_term.code for a in service.attributes if a.taxonomy_term is not None}


def _snapshot(url):
    """Everything an import could touch, to prove a rejected file changed nothing."""
    with engine_for(url).connect() as conn:
        tables = ("service", "organization", "location", "address", "phone", "schedule", "attribute",
                  "metadata", "review_item", "feed_record", "taxonomy_term", "service_at_location")
        return {t: conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_official_service_full_example_imports_with_everything_nested(fresh_directory, hsds_dir):
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_path(s, hsds_dir / "examples" / "service_full.json", source="example")
        assert report.created == 1
    with session_scope(fresh_directory) as s:
        service = s.get(Service, EXAMPLE_ID)
        assert service.name == "Community Counselling" and service.status == "active"
        assert service.organization.name == "Example Organization Inc."
        assert service.minimum_age == 12 and service.assured_date.isoformat() == "2005-01-01"
        assert [p.number for p in service.phones] == ["01234 234567"]  # stray quotes removed, written the UK way
        assert service.schedules[0].byday == "TH,FR" and str(service.schedules[0].opens_at) == "10:00:00"
        assert service.languages[0].code == "ur"
        assert float(service.cost_options[0].amount) == 35.0 and service.cost_options[0].currency == "GBP"
        assert service.contacts[0].name == "Ann Persona"
        sal = service.service_at_locations[0]
        assert sal.location.name == "MyCity Civic Center"
        assert sal.location.addresses[0].address_1 == "1-30 Main Street"
        assert sal.location.accessibility[0].details.startswith("Switch hearing aid")
        # Latitude 100 is not on Earth, let alone in the UK: dropped, and flagged for a person.
        assert sal.location.latitude is None
        data_flags = s.scalars(select(ReviewItem).where(ReviewItem.kind == "data",
                                                        ReviewItem.resource_id == EXAMPLE_ID)).all()
        assert any("not in the UK" in f.detail for f in data_flags)
        # The feed's own (unknown) taxonomy term is kept, and ours are derived from the text.
        codes = _codes(s, EXAMPLE_ID)
        assert "code" in codes and "need:mental-health" in codes
        flag = s.scalar(select(ReviewItem).where(ReviewItem.kind == "classification",
                                                 ReviewItem.resource_id == EXAMPLE_ID))
        assert flag is not None and flag.status == "open" and "need:mental-health" in flag.suggested


def test_official_service_list_page_imports_and_leaves_nested_records_alone(fresh_directory, hsds_dir):
    with session_scope(fresh_directory) as s:
        oruk_import.import_path(s, hsds_dir / "examples" / "service_full.json", source="example")
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_path(s, hsds_dir / "examples" / "service_list.json", source="example")
        assert (report.created, report.unchanged) == (0, 1)
    with session_scope(fresh_directory) as s:
        assert len(s.get(Service, EXAMPLE_ID).phones) == 1  # a list page carries no phones: kept


def test_list_page_alone_creates_the_service(fresh_directory, hsds_dir):
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_path(s, hsds_dir / "examples" / "service_list.json")
        assert report.created == 1
        assert s.get(Service, EXAMPLE_ID).organization.legal_status == "Limited Company"


def test_reimport_updates_in_place_and_audits_every_field(fresh_directory, hsds_dir):
    record = json.loads((hsds_dir / "examples" / "service_full.json").read_text())
    with session_scope(fresh_directory) as s:
        oruk_import.import_records(s, [record], source="council")
    with session_scope(fresh_directory) as s:
        again = oruk_import.import_records(s, [copy.deepcopy(record)], source="council")
        assert (again.unchanged, again.field_changes) == (1, 0)
    changed = copy.deepcopy(record)
    changed["name"] = "Community Counselling and Alcohol Treatment"
    changed["phones"][0]["number"] = "0113 496 0555"
    changed["unexpected_future_field"] = {"kept": "or ignored"}
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_records(s, [changed], source="council", who="tester@example.org")
        assert report.updated == 1
    with session_scope(fresh_directory) as s:
        assert s.scalar(select(func.count()).select_from(Service).where(Service.id == EXAMPLE_ID)) == 1
        rows = s.scalars(select(Metadata).where(Metadata.updated_by == "tester@example.org")).all()
        by_field = {(r.resource_type, r.field_name): r for r in rows}
        name = by_field[("service", "name")]
        assert (name.resource_id, name.previous_value, name.replacement_value) == (
            EXAMPLE_ID, "Community Counselling", "Community Counselling and Alcohol Treatment")
        assert name.last_action_type == "update" and name.last_action_date is not None
        number = by_field[("phone", "number")]
        assert (number.previous_value, number.replacement_value) == ("01234 234567", "0113 496 0555")
        # "Treatment" in the name is now a confident need: the import's own question is closed.
        assert "need:treatment" in _codes(s, EXAMPLE_ID)
        flag = s.scalar(select(ReviewItem).where(ReviewItem.kind == "classification",
                                                 ReviewItem.resource_id == EXAMPLE_ID))
        assert flag.status == "resolved"


def test_a_place_or_contact_the_feed_drops_takes_its_own_phones_and_hours_with_it(fresh_directory):
    """Before, a service-at-location with phones of its own that left the feed failed the whole
    import on its foreign keys (and so every later import of that feed)."""
    from directory.models import Contact, Phone, Schedule, ServiceAtLocation

    def record(i, places=True, contacts=True):
        out = {"id": f"drop-{i}", "name": f"Alcohol treatment service {i}"}
        out["service_at_locations"] = [{
            "id": f"drop-{i}-sal", "location": {"id": f"drop-{i}-loc", "latitude": 53.8, "longitude": -1.55},
            "phones": [{"id": f"drop-{i}-sal-phone", "number": "0113 496 0123"}],
            "schedules": [{"id": f"drop-{i}-sal-hours", "byday": "SA", "opens_at": "10:00", "closes_at": "12:00"}]}
        ] if places else []
        out["contacts"] = [{"id": f"drop-{i}-contact", "name": "Duty worker",
                            "phones": [{"id": f"drop-{i}-contact-phone", "number": "0113 496 0124"}]}] if contacts else []
        return out

    with session_scope(fresh_directory) as s:
        oruk_import.import_records(s, [record(i) for i in range(3)], source="council")
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_records(s, [record(0, places=False), record(1, contacts=False), record(2)],
                                            source="council", who="drop-test")
        assert (report.updated, report.unchanged) == (2, 1)
    with session_scope(fresh_directory) as s:
        assert s.get(ServiceAtLocation, "drop-0-sal") is None
        assert s.get(Phone, "drop-0-sal-phone") is None and s.get(Schedule, "drop-0-sal-hours") is None
        assert s.get(Contact, "drop-1-contact") is None and s.get(Phone, "drop-1-contact-phone") is None
        assert s.get(ServiceAtLocation, "drop-2-sal") is not None and s.get(Phone, "drop-2-contact-phone") is not None
        deleted = {(m.resource_type, m.resource_id) for m in s.scalars(select(Metadata).where(
            Metadata.updated_by == "drop-test", Metadata.last_action_type == "delete"))}
        assert deleted == {("service_at_location", "drop-0-sal"), ("phone", "drop-0-sal-phone"),
                           ("schedule", "drop-0-sal-hours"), ("contact", "drop-1-contact"),
                           ("phone", "drop-1-contact-phone")}


def test_full_feed_retires_only_this_sources_missing_services(fresh_directory):
    def record(i):
        return {"id": f"feed-svc-{i}", "name": f"Alcohol treatment service {i}", "status": "active"}

    with session_scope(fresh_directory) as s:
        oruk_import.import_records(s, [record(1), record(2), record(3)], source="council-a")
        oruk_import.import_records(s, [{"id": "other-feed", "name": "Needle exchange", "status": "active"}],
                                   source="council-b")
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_records(s, [record(1), record(3)], source="council-a", full_feed=True)
        assert report.retired == 1
    with session_scope(fresh_directory) as s:
        assert s.get(Service, "feed-svc-2").status == "inactive"  # kept, never deleted
        assert s.get(Service, "feed-svc-1").status == "active"
        assert s.get(Service, "other-feed").status == "active"
        assert s.get(Service, "sample-leeds-recovery-hub").status == "active"
        assert s.get(Service, "national-frank").status == "active" if s.get(Service, "national-frank") else True
        retire = s.scalar(select(Metadata).where(Metadata.resource_id == "feed-svc-2",
                                                 Metadata.last_action_type == "retire"))
        assert (retire.field_name, retire.previous_value, retire.replacement_value) == ("status", "active", "inactive")
        assert s.get(FeedRecord, ("council-a", "feed-svc-2")) is not None


@pytest.mark.parametrize("mutate, outcome, field, message", [
    (lambda r: r.pop("name"), "refused", "name", "is missing"),
    (lambda r: r.update(name="   "), "refused", "name", "is missing"),
    (lambda r: r.update(status="open"), "quarantined", "status", "is not one of"),
    (lambda r: r["schedules"][0].update(opens_at="25:00"), "imported", "schedules[0].opens_at", "not a time"),
    (lambda r: r["phones"][0].pop("number"), "imported", "phones[0].number", "is missing"),
    (lambda r: r["phones"][0].update(number="call the office"), "imported", "phones[0].number",
     "is not a phone number"),
    (lambda r: r.update(assured_date="last Tuesday"), "imported", "assured_date", "not a date"),
    (lambda r: r.update(minimum_age="twelve"), "imported", "minimum_age", "not a number"),
    (lambda r: r.update(maximum_age=200), "imported", "maximum_age", "is not an age"),
    (lambda r: r.update(url="htp//nowhere"), "imported", "url", "is not a web address"),
    (lambda r: r.update(email="info at example"), "imported", "email", "is not an email address"),
    (lambda r: r["service_at_locations"][0]["location"].update(location_type="boat"), "imported",
     "service_at_locations[0].location.location_type", "is not one of"),
    (lambda r: r.update(phones={"number": "x"}), "imported", "phones", "expected a list"),
])
def test_a_bad_record_is_handled_alone(fresh_directory, hsds_dir, tmp_path, mutate, outcome, field, message):
    """A bad field is left out with a review note; an unknown status is quarantined with the
    reason; no id or no name refuses that record only. The good record beside it imports."""
    good = json.loads((hsds_dir / "examples" / "service_full.json").read_text())
    good["id"] = "good-first-record"
    bad = json.loads((hsds_dir / "examples" / "service_full.json").read_text())
    bad["id"] = "the-bad-one"
    mutate(bad)
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"contents": [good, bad]}))
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_path(s, path)
    with session_scope(fresh_directory) as s:
        assert s.get(Service, "good-first-record") is not None
        service = s.get(Service, "the-bad-one")
        reviews = s.scalars(select(ReviewItem).where(ReviewItem.resource_id == "the-bad-one")).all()
        if outcome == "refused":
            assert service is None and report.imported == 1 and not report.quarantined
            [refused] = report.refused
            assert f"field '{field}': {message}" in str(refused) and "record 2" in str(refused)
            assert "1 imported" in str(report) and "1 refused" in str(report)
        elif outcome == "quarantined":
            assert service is None and report.imported == 1 and not report.refused
            [item] = [r for r in reviews if r.kind == "quarantine"]
            assert item.status == "open" and f"field '{field}'" in item.detail and message in item.detail
            assert json.loads(item.suggested)["id"] == "the-bad-one"  # the record as the feed sent it
            assert "1 quarantined" in str(report)
        else:
            assert service is not None and service.name == "Community Counselling"
            assert report.imported == 2 and report.left_out >= 1 and not report.refused + report.quarantined
            notes = [r.detail for r in reviews if r.kind == "data"]
            assert any(n.startswith(f"{field}") and message in n and "left out" in n for n in notes), notes
            assert "bad fields left out" in str(report)


def test_field_left_out_keeps_the_rest_of_the_record(fresh_directory, hsds_dir):
    record = json.loads((hsds_dir / "examples" / "service_full.json").read_text())
    record["phones"].append({"id": "second-phone", "number": "not a number"})
    record.update(url="javascript:alert(1)", assured_date="soon")
    with session_scope(fresh_directory) as s:
        oruk_import.import_records(s, [record], source="council")
    with session_scope(fresh_directory) as s:
        service = s.get(Service, EXAMPLE_ID)
        assert [p.number for p in service.phones] == ["01234 234567"]
        assert service.url is None and service.assured_date is None
        assert service.schedules and service.service_at_locations and service.organization is not None


@pytest.mark.parametrize("content, message", [
    ('{"id": "x", "name": ', "not valid JSON"),
    ("<html><body>Service directory</body></html>", "not valid JSON"),
    ('{"contents": []}', "holds no services"),
    ("[]", "holds no services"),
    ('"just a string"', "expected a service object"),
    ('[{"title": "A"}, {"title": "B"}]', "none of its 2 records has an id and a name"),
    ('{"totalElements": 1, "totalPages": 1, "number": 0, "content": [{"id": "a", "name": "A"}]}', "HSDS-UK 1.0"),
    ('[{"id": "a", "name": "A", "regular_schedules": [], "service_taxonomys": []}]', "HSDS-UK 1.0"),
])
def test_a_file_that_is_not_a_feed_is_refused_whole_and_changes_nothing(fresh_directory, tmp_path, content,
                                                                        message):
    path = tmp_path / "feed.json"
    path.write_text(content)
    before = _snapshot(fresh_directory)
    with pytest.raises(oruk_import.FeedError, match=message) as caught:
        with session_scope(fresh_directory) as s:
            oruk_import.import_path(s, path)
    assert _snapshot(fresh_directory) == before
    if "1.0" in message:  # the message names the version, and what is imported instead
        assert "HSDS-UK 3.0" in str(caught.value)


def test_failure_while_writing_leaves_nothing_half_written(fresh_directory, monkeypatch):
    records = [{"id": f"svc-{i}", "name": f"Alcohol service {i}"} for i in range(5)]
    calls = []
    real = oruk_import._apply_service

    def failing(session, w, item, *args):
        calls.append(item.id)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(session, w, item, *args)

    monkeypatch.setattr(oruk_import, "_apply_service", failing)
    before = _snapshot(fresh_directory)
    with pytest.raises(RuntimeError):
        with session_scope(fresh_directory) as s:
            oruk_import.import_records(s, records, source="council")
    assert len(calls) == 3 and _snapshot(fresh_directory) == before


def test_duplicate_ids_and_broken_json_are_rejected(fresh_directory, tmp_path):
    path = tmp_path / "dupes.json"
    path.write_text(json.dumps([{"id": "x", "name": "A"}, {"id": "x", "name": "B"}]))
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_path(s, path)
        assert report.imported == 1 and "used twice" in str(report.refused[0])
        assert s.get(Service, "x").name == "A"
    path.write_text('{"id": "x", "name": ')
    with pytest.raises(oruk_import.FeedError, match="not valid JSON"):
        oruk_import.read_records(path)


def test_classification_from_feed_terms_then_keywords():
    result = classify.classify("Harbour Needle Exchange", ["Clean works and naloxone for people who inject heroin."])
    assert {"need:needle-exchange", "need:naloxone", "substance:opioids"} <= set(result.codes)
    assert result.confident  # "needle exchange" is in the name
    guessed = classify.classify("The Harbour", ["Support for carers of someone who drinks alcohol."])
    assert "audience:family" in guessed.codes and "substance:alcohol" in guessed.codes
    assert not guessed.confident
    from_terms = classify.classify("The Harbour", [], feed_terms=[{"code": "need:treatment"}, {"name": "Alcohol"}])
    assert {"need:treatment", "substance:alcohol"} <= set(from_terms.codes) and from_terms.confident
    nothing = classify.classify("The Harbour", ["A friendly place."])
    assert not nothing.confident and "no need" in nothing.reason


def test_csv_template_imports_with_review_flags_and_confidential_address(fresh_directory):
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_path(s, TEMPLATE, fmt="csv", source="template")
        assert report.created == 2 and report.flagged == ["template-family-group"]
    with session_scope(fresh_directory) as s:
        drop_in = s.get(Service, "template-armley-drop-in")
        assert {"need:treatment", "need:needle-exchange", "access:walk-in"} <= _codes(s, drop_in.id)
        assert len(drop_in.service_at_locations) == 2
        bramley = s.get(Location, "template-bramley-room")
        assert bramley.latitude == pytest.approx(53.810)  # no coordinates given: from the LS13 district
        assert [p.number for p in drop_in.phones] == ["0113 496 0910", "07700 900910"]
        assert [str(x.opens_at) for x in drop_in.schedules] == ["10:00:00", "10:00:00"]
        family = s.get(Location, "template-moss-room")
        assert "feature:confidential-address" in {a.taxonomy_term.code for a in family.attributes}
        flag = s.scalar(select(ReviewItem).where(ReviewItem.resource_id == "template-family-group"))
        assert flag.kind == "classification" and flag.status == "open"
        referral = s.scalar(select(Attribute).where(Attribute.link_id == drop_in.id,
                                                    Attribute.taxonomy_term_id == "waymark:feature:referral-include"))
        assert referral.value.startswith("Name, what they use")
    with session_scope(fresh_directory) as s:
        again = oruk_import.import_path(s, TEMPLATE, fmt="csv", source="template")
        assert again.unchanged == 2 and again.field_changes == 0 and again.flagged == []


def test_csv_errors_name_the_row_and_column(fresh_directory, tmp_path):
    lines = TEMPLATE.read_text().splitlines()
    header = next(line for line in lines if line.startswith("service_id"))
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([header, "x1,First,,,,,treatment,,,,,,,,,,,,,,,,,,,,,,,MO-FR 09:00-17:00",
                              "x2,Second,,,,,treatment,,,,,,,,,,,,,,,,,,,,,,,Mondays 9 till 5"]))
    with pytest.raises(oruk_import.FeedError) as caught:
        oruk_import.read_records(bad, "csv")
    assert str(caught.value).startswith("row 3 (service 'x2'), field 'hours'")
    bad.write_text("\n".join([header, "x1,First,,,,,spa-day,,,,,,,,,,,,,,,,,,,,,,,"]))
    with pytest.raises(oruk_import.FeedError, match="field 'needs'"):
        oruk_import.read_records(bad, "csv")


def _waymark(*args, env_url, stdin=None):
    env = {**os.environ, "WAYMARK_DATABASE_URL": env_url}
    return subprocess.run([str(Path(sys.executable).parent / "waymark"), *args], cwd=ROOT, env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_import_command_reports_progress_and_rejects_bad_files(fresh_directory, hsds_dir, tmp_path):
    ok = _waymark("directory", "import", str(TEMPLATE), "--format", "csv", "--source", "tpl",
                  env_url=fresh_directory)
    assert ok.returncode == 0, ok.stderr
    assert "2/2 services" in ok.stdout and "2 created" in ok.stdout
    some_bad = tmp_path / "some-bad.json"
    some_bad.write_text(json.dumps([{"id": "a", "name": "A"}, {"id": "b", "status": "active"},
                                    {"id": "c", "name": "C", "status": "open"}]))
    partly = _waymark("directory", "import", str(some_bad), env_url=fresh_directory)
    assert partly.returncode == 0, partly.stderr
    assert "1 imported" in partly.stdout and "1 quarantined" in partly.stdout and "1 refused" in partly.stdout
    assert "refused: record 2 (id 'b'), field 'name': is missing" in partly.stdout
    assert "quarantined" in partly.stdout and "'open' is not one of" in partly.stdout
    with session_scope(fresh_directory) as s:
        assert s.get(Service, "a") is not None and s.get(Service, "b") is None and s.get(Service, "c") is None
    review = _waymark("directory", "review", "--kind", "quarantine", env_url=fresh_directory)
    assert "[quarantine] c: Not imported" in review.stdout
    bad = tmp_path / "bad.json"
    bad.write_text("<html>not a feed</html>")
    failed = _waymark("directory", "import", str(bad), env_url=fresh_directory)
    assert failed.returncode == 1
    assert "nothing was imported" in failed.stderr and "not valid JSON" in failed.stderr
