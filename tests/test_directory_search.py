"""Place lookup, opening hours and nearest-service search on the seeded demo directory."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from types import SimpleNamespace

import pytest

from directory import geo, hours, search
from directory.hours import LONDON


def row(days=None, opens=None, closes=None, valid_from=None, valid_to=None):
    return SimpleNamespace(byday=days, opens_at=opens, closes_at=closes, valid_from=valid_from,
                           valid_to=valid_to, freq="WEEKLY")


@pytest.mark.parametrize("text, label, kind", [
    ("I need help near LS1 4AP", "LS1 4AP", "postcode"),
    ("ls14ap", "LS1 4AP", "postcode"),
    ("im in ls6", "LS6", "district"),
    ("somewhere in Leeds please", "Leeds", "town"),
    ("MANCHESTER", "Manchester", "town"),
])
def test_places_people_type_are_found(db, text, label, kind):
    place = geo.resolve_place(db, text)
    assert place is not None and (place.label, place.kind) == (label, kind)


def test_unknown_places_are_not_guessed(db):
    assert geo.resolve_place(db, "ZZ9 9ZZ") is None
    assert geo.resolve_place(db, "the moon") is None


def test_distance_leeds_to_manchester_is_about_sixty_km():
    assert 55 < geo.haversine_km(53.797, -1.548, 53.477, -2.235) < 62


def test_open_across_midnight():
    night_shelter = [row("FR", time(20, 0), time(8, 0))]
    assert hours.is_open(night_shelter, datetime(2026, 11, 28, 2, 0, tzinfo=LONDON))  # Saturday 2am
    assert not hours.is_open(night_shelter, datetime(2026, 11, 28, 9, 0, tzinfo=LONDON))


def test_bank_holiday_closure_row_overrides_weekly_hours():
    rows = [row("MO,TU,WE,TH,FR", time(9), time(17)),
            row(valid_from=date(2026, 12, 25), valid_to=date(2026, 12, 25))]
    christmas = datetime(2026, 12, 25, 11, 0, tzinfo=LONDON)  # a Friday
    assert not hours.is_open(rows, christmas)
    assert hours.next_opening(rows, christmas) == datetime(2026, 12, 28, 9, 0, tzinfo=LONDON)


def test_hours_are_london_wall_clock_in_summer_time():
    rows = [row("MO", time(9), time(17))]
    # 08:30 UTC on a July Monday is 09:30 in London (BST): open.
    assert hours.is_open(rows, datetime(2026, 7, 6, 8, 30, tzinfo=timezone.utc))
    # 08:30 UTC on a January Monday is 08:30 in London: closed.
    assert not hours.is_open(rows, datetime(2026, 1, 5, 8, 30, tzinfo=timezone.utc))


def test_weekly_summary_groups_days():
    rows = [row("MO,TU,WE,FR", time(9), time(17)), row("TH", time(9), time(19, 30))]
    assert hours.weekly_summary(rows) == "Mon–Wed, Fri 9am–5pm; Thu 9am–7:30pm"


def _leeds(db):
    return geo.resolve_place(db, "LS1 4AP")


def test_nearest_first_and_only_active(db):
    place = _leeds(db)
    results = search.search(db, search.SearchQuery(place.latitude, place.longitude))
    distances = [r.distance_km for r in results]
    assert distances == sorted(distances) and results
    from directory.models import Service

    closed = db.get(Service, results[0].service_id)
    closed.status = "defunct"
    db.flush()
    again = search.search(db, search.SearchQuery(place.latitude, place.longitude))
    assert closed.id not in {r.service_id for r in again}


@pytest.mark.parametrize("filters, must_have, must_not_have", [
    ({"need": "needle-exchange"}, "Headingley Pharmacy Needle Exchange (sample)", "Aire Alcohol Service (sample)"),
    ({"need": "treatment", "substance": "alcohol", "audience": "adult"}, "Aire Alcohol Service (sample)",
     "Leeds Young People's Drug and Alcohol Service (sample)"),
    ({"need": "family-support"}, "Families First Leeds (sample)", "Kirkgate Recovery Hub (sample)"),
    ({"women_only": True}, "Chapeltown Women's Recovery Group (sample)", "Kirkgate Recovery Hub (sample)"),
    ({"walk_in": True}, "Harehills Peer Support Meeting (sample)", "Aire Alcohol Service (sample)"),
])
def test_filters(db, filters, must_have, must_not_have):
    place = _leeds(db)
    names = {r.name for r in search.search(db, search.SearchQuery(place.latitude, place.longitude, **filters))}
    assert must_have in names and must_not_have not in names


def test_open_at_filter_and_next_opening(db):
    place = _leeds(db)
    sunday_noon = datetime(2026, 11, 29, 12, 0, tzinfo=LONDON)
    open_now = search.search(db, search.SearchQuery(place.latitude, place.longitude, open_at=sunday_noon),
                             now=sunday_noon)
    assert open_now and all(r.open_now for r in open_now)
    assert "Kirkgate Recovery Hub (sample)" not in {r.name for r in open_now}
    everything = search.search(db, search.SearchQuery(place.latitude, place.longitude), now=sunday_noon)
    hub = next(r for r in everything if r.name.startswith("Kirkgate"))
    assert hub.next_opens == datetime(2026, 11, 30, 9, 0, tzinfo=LONDON)


def test_confidential_address_is_never_given(db):
    place = _leeds(db)
    results = search.search(db, search.SearchQuery(place.latitude, place.longitude, women_only=True))
    group = next(r for r in results if "Women's" in r.name)
    assert group.address is None and group.postcode is None


def test_stale_listing_is_flagged(db):
    place = _leeds(db)
    later = datetime(2027, 6, 1, 12, 0, tzinfo=LONDON)
    results = search.search(db, search.SearchQuery(place.latitude, place.longitude), now=later)
    assert results and all(r.stale for r in results)
    fresh = search.search(db, search.SearchQuery(place.latitude, place.longitude),
                          now=datetime(2026, 11, 23, 12, tzinfo=LONDON))
    assert not any(r.stale for r in fresh)


def test_distance_limit(db):
    place = _leeds(db)
    near = search.search(db, search.SearchQuery(place.latitude, place.longitude, max_distance_km=5))
    assert near and all(r.distance_km <= 5 for r in near)
    assert not any("Manchester" in (r.address or "") for r in near)
