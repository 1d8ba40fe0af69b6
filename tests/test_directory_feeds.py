"""A real-shaped council feed (tests/oruk_feeds.py: hundreds of services, HTML, -1 ages,
extension and camelCase fields, odd phone numbers, missing locations, a few broken records)
imported with `waymark directory import --format oruk` as an operator would: what is
imported, quarantined and refused, and what the listings then say."""
from __future__ import annotations

import json
import re
import time

import pytest
from sqlalchemy import func, select

from directory import feed_normalise, oruk_import
from directory.db import session_scope
from directory.models import Phone, ReviewItem, Service
from oruk_feeds import council_feed
from test_directory_import import _snapshot, _waymark

UK_NUMBER = re.compile(r"^0\d{2,4} \d{3,4} ?\d{3,4}$")


@pytest.fixture(scope="module")
def feed():
    return council_feed(200)


def _import(url, page, source="bristol"):
    with session_scope(url) as s:
        return oruk_import.import_records(s, page["contents"], source=source)


def test_a_real_shaped_feed_imports_with_bad_records_quarantined_and_reasons_given(fresh_directory, feed):
    page, expected = feed
    started = time.monotonic()
    report = _import(fresh_directory, page)
    took = time.monotonic() - started
    assert report.imported == expected.imported == report.created
    assert [r.label.split(" ")[1] for r in report.refused] == [str(n) for n in expected.refused]
    assert all("field 'name': is missing" in str(r) for r in report.refused)
    assert sorted(q.id for q in report.quarantined) == sorted(expected.quarantined)
    summary = str(report)
    assert f"{expected.imported} imported" in summary
    assert f"{len(expected.quarantined)} quarantined" in summary and f"{len(expected.refused)} refused" in summary
    ignored = dict(report.ignored_fields)
    assert {"pc_metadata", "pc_targetAudience", "serviceId"} <= set(ignored)
    assert ignored["serviceId"] == expected.imported
    assert any("pc_metadata" in line for line in report.details())
    assert took < 60, f"200 services took {took:.1f} s"
    with session_scope(fresh_directory) as s:
        quarantine = s.scalars(select(ReviewItem).where(ReviewItem.kind == "quarantine")).all()
        assert sorted(q.resource_id for q in quarantine) == sorted(expected.quarantined)
        assert all("'open' is not one of" in q.detail for q in quarantine)
        for sid in expected.quarantined:
            assert s.get(Service, sid) is None

        def notes(sid):
            return [r.detail for r in s.scalars(select(ReviewItem).where(ReviewItem.kind == "data",
                                                                         ReviewItem.resource_id == sid))]

        some = s.get(Service, expected.ids[3])  # index 3: a script in its HTML
        assert some.description.startswith("About Us\nProject 3 works with young people & families in Bristol – ")
        assert some.description.endswith("\nDrop-in on Mondays\nText or call us")
        assert "<" not in some.description and "tracker" not in some.description and "&amp;" not in some.description
        assert some.organization.description == "A registered charity – since 1987."
        for sid in expected.no_limit_ages:
            service = s.get(Service, sid)
            if service is not None:
                assert (service.minimum_age, service.maximum_age) == (None, None)
                assert not any("age" in n for n in notes(sid))
        assert s.get(Service, expected.ids[1]).minimum_age == 16
        for sid in expected.bad_email:
            if s.get(Service, sid) is not None:
                assert s.get(Service, sid).email is None
                assert any(n.startswith("email: ") and "is not an email address" in n for n in notes(sid))
        for sid in expected.bad_url:
            if s.get(Service, sid) is not None:
                assert s.get(Service, sid).url is None and any("is not a web address" in n for n in notes(sid))
        for sid in expected.schemeless_url:
            if s.get(Service, sid) is not None:
                assert s.get(Service, sid).url.startswith("https://www.example.org/plain/")
        numbers = s.scalars(select(Phone.number).join(Service, Service.id == Phone.service_id)
                            .where(Service.id.in_(expected.ids))).all()
        assert numbers and all(UK_NUMBER.match(n) for n in numbers), [n for n in numbers if not UK_NUMBER.match(n)]
        for sid in expected.bad_phone:
            if s.get(Service, sid) is not None:
                assert len(s.get(Service, sid).phones) == 1
                assert any("'tbc' is not a phone number" in n for n in notes(sid))
        for sid in expected.bad_hours:
            if s.get(Service, sid) is not None:
                assert [x.byday for x in s.get(Service, sid).schedules] == ["MO,TU,WE,TH,FR"]
                assert any("schedules[1]" in n and "left out" in n for n in notes(sid))
        for sid in expected.no_location:
            if s.get(Service, sid) is not None:
                assert s.get(Service, sid).service_at_locations == []


def test_the_same_feed_again_changes_nothing(fresh_directory, feed):
    page, expected = feed
    _import(fresh_directory, page)
    with session_scope(fresh_directory) as s:
        reviews = s.scalar(select(func.count()).select_from(ReviewItem))
    again = _import(fresh_directory, page)
    assert (again.unchanged, again.created, again.updated, again.field_changes) == (expected.imported, 0, 0, 0)
    with session_scope(fresh_directory) as s:
        assert s.scalar(select(func.count()).select_from(ReviewItem)) == reviews  # no note filed twice


def test_quarantined_and_refused_records_are_not_retired_by_a_full_feed(fresh_directory, feed):
    page, expected = feed
    _import(fresh_directory, page)
    broken = json.loads(json.dumps(page))
    first = broken["contents"][0]
    first["status"] = "closed for now"  # now quarantined: its listing stays as it was
    with session_scope(fresh_directory) as s:
        report = oruk_import.import_records(s, broken["contents"], source="bristol", full_feed=True)
        assert report.retired == 0 and first["id"] in [q.id for q in report.quarantined]
    with session_scope(fresh_directory) as s:
        assert s.get(Service, first["id"]).status == "active"


def test_the_import_command_on_a_real_shaped_feed(fresh_directory, feed, tmp_path):
    page, expected = feed
    path = tmp_path / "bristol.json"
    path.write_text(json.dumps(page))
    run = _waymark("directory", "import", str(path), "--format", "oruk", "--source", "bristol",
                   env_url=fresh_directory)
    assert run.returncode == 0, run.stderr
    assert f"{expected.imported}/{expected.imported} services" in run.stdout  # progress over the records to import
    assert f"{expected.imported} imported" in run.stdout
    assert f"refused: record {expected.refused[0]}" in run.stdout
    assert "ignored (not in the profile):" in run.stdout and "serviceId" in run.stdout


def test_an_hsds_uk_1_feed_is_refused_naming_the_version(fresh_directory, tmp_path):
    v1 = {"totalElements": 1, "totalPages": 1, "number": 0, "size": 1, "first": True, "last": True,
          "content": [{"id": "a", "name": "Old style", "regular_schedules": [{"weekday": "Monday"}],
                       "service_taxonomys": [], "eligibilitys": [{"minimum_age": 18}]}]}
    path = tmp_path / "v1.json"
    path.write_text(json.dumps(v1))
    before = _snapshot(fresh_directory)
    run = _waymark("directory", "import", str(path), env_url=fresh_directory)
    assert run.returncode == 1
    assert "HSDS-UK 1.0" in run.stderr and "HSDS-UK 3.0" in run.stderr and "nothing was imported" in run.stderr
    assert _snapshot(fresh_directory) == before


@pytest.mark.parametrize("html, text", [
    ("<p>One</p><p>Two &amp; three</p>", "One\nTwo & three"),
    ("<ul><li>First</li><li>Second</li></ul>", "First\nSecond"),
    ("Line<br>next<br/>last", "Line\nnext\nlast"),
    ("<h1>Title</h1><script>var x = '<p>';</script><style>h1{}</style>Body", "Title\nBody"),
    ("Caf&eacute; &#8211; &#x27;open&#x27;&nbsp;now", "Café – 'open' now"),
    ("<!-- hidden --><div>Shown</div>", "Shown"),
    ("Fish & chips < 5 pounds", "Fish & chips < 5 pounds"),  # not HTML: left alone
])
def test_html_becomes_plain_text(html, text):
    assert feed_normalise.html_to_text(html) == text


@pytest.mark.parametrize("given, written", [
    ("+44 113 496 0555", "0113 496 0555"),
    ("01134960555", "0113 496 0555"),
    ("(0117) 922 1234", "0117 922 1234"),
    ("0044 20 7946 0000", "020 7946 0000"),
    ("tel:0300 123 6600", "0300 123 6600"),
    ("116 123", "116 123"),
    ("999", "999"),
    ("+1 415 555 2671", "+1 415-555-2671"),
    ("tbc", None),
    ("12", None),
    # a helpline's own grouping is how people know it: kept when the publisher wrote it so
    ("0808 2000 247", "0808 2000 247"),
    ("08082000247", "0808 200 0247"),
])
def test_phone_numbers_are_written_the_uk_way(given, written):
    result = feed_normalise.phone_number(given)
    assert (result[0] if result else None) == written


def test_web_addresses_and_emails_are_checked():
    assert feed_normalise.web_address("www.example.org/x") == "https://www.example.org/x"
    assert feed_normalise.web_address("https://council.gov.uk/a?b=1&c=2") == "https://council.gov.uk/a?b=1&c=2"
    for bad in ("http//broken", "javascript:alert(1)", "ftp://example.org", "not a url", "https://", "example"):
        assert feed_normalise.web_address(bad) is None, bad
    assert feed_normalise.email_address("mailto:Help@Example.org") == "Help@Example.org"
    for bad in ("help at example dot org", "a@b", "a@@b.org", "a..b@example.org"):
        assert feed_normalise.email_address(bad) is None, bad
