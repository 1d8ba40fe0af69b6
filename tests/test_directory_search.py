"""Place lookup, opening hours and nearest-service search on the seeded demo directory."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from types import SimpleNamespace

import pytest

from directory import geo, hours, search
from directory.hours import LONDON
from directory.models import Service


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


@pytest.mark.parametrize("opens, closes", [(time(0), time(0)), (time(0), time(23, 59)), (time(0), None),
                                           (time(9), time(9))])
def test_a_service_open_round_the_clock_reads_open_24_hours_every_day(opens, closes):
    """Issue 19: a 24-hour line read "Mon–Sun 12am–12am"."""
    every_day = [row("MO,TU,WE,TH,FR,SA,SU", opens, closes)]
    assert hours.weekly_summary(every_day) == "open 24 hours, every day"
    assert "12am" not in hours.weekly_summary(every_day)
    weekdays = [row("MO,TU,WE,TH,FR", opens, closes), row("SA", time(10), time(13))]
    assert hours.weekly_summary(weekdays) == "Mon–Fri 24 hours; Sat 10am–1pm"


def test_a_24_7_listing_from_the_seed_reads_open_24_hours_every_day(db):
    """How the seed stores "24/7" (national lines, the outreach team, the custody team)."""
    for service_id in ("national-frank", "sample-leeds-hostel-outreach"):
        assert hours.weekly_summary(db.get(Service, service_id).schedules) == "open 24 hours, every day"
    assert hours.weekly_summary(db.get(Service, "national-carers-uk").schedules) == "Mon–Fri 9am–6pm"


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


# --- Feature filter, refused filters, and the search table kept in step with every write ---

LEEDS = (53.7997, -1.5492)  # LS1, the city centre


def _names(db, **filters):
    return [r.name for r in search.search(db, search.SearchQuery(*LEEDS, **filters))]


def test_feature_filter_finds_naloxone_for_families_and_staff_training(db):
    families = _names(db, need="naloxone", features=["naloxone-families"])
    assert "Families First Leeds (sample)" in families and "Kirkgate Recovery Hub (sample)" in families
    assert "Headingley Pharmacy Needle Exchange (sample)" not in families  # supplies clients only
    training = _names(db, features=["feature:naloxone-training"])
    assert "Leeds Street Outreach and Housing Team (sample)" in training
    assert "Families First Leeds (sample)" not in training
    both = _names(db, features=["naloxone-families", "naloxone-training"])
    assert both and set(both) <= set(families) & set(training)


@pytest.mark.parametrize("filters, word", [
    ({"need": "needle exchange"}, "needle-exchange"),
    ({"substance": "heroin"}, "opioids"),
    ({"features": ["sample-data"]}, "naloxone-families"),
])
def test_a_filter_the_directory_does_not_know_is_refused_by_name(db, filters, word):
    with pytest.raises(search.UnknownFilter, match=word):
        search.search(db, search.SearchQuery(*LEEDS, **filters))


def _every_service_by_hand(db, query):
    """The nearest `limit` matches worked out the slow way, from the directory's own tables."""
    from sqlalchemy import select

    from directory.models import Service

    from directory.search_index import coarse_point

    wanted = set(search.required_codes(query))
    best = []
    for service in db.scalars(select(Service).where(Service.status == "active")):
        if not wanted <= search.service_codes(service):
            continue
        keys = []
        for sal in service.service_at_locations:
            if sal.location.latitude is None:
                continue
            point = (sal.location.latitude, sal.location.longitude)
            hidden = "feature:confidential-address" in {search.attribute_code(a) for a in sal.location.attributes}
            # A confidential place: measured from its grid square's middle, ranked by its band.
            distance = geo.haversine_km(query.latitude, query.longitude, *(coarse_point(*point) if hidden else point))
            if distance <= query.max_distance_km:
                keys.append(search.distance_band(distance)[0] if hidden else distance)
        if keys:
            best.append((min(keys), service.id))
    return [sid for _, sid in sorted(best)[:query.limit]]


@pytest.mark.parametrize("point", [LEEDS, (53.4794, -2.2453), (53.65, -1.9)])  # Leeds, Manchester, between
@pytest.mark.parametrize("filters", [
    {}, {"need": "treatment"}, {"need": "treatment", "substance": "alcohol"}, {"need": "naloxone"},
    {"audience": "family"}, {"self_referral": True, "walk_in": True}, {"features": ["naloxone-clients"]},
    {"need": "mutual-aid", "max_distance_km": 80},
])
def test_search_returns_exactly_the_nearest_matching_services(db, point, filters):
    query = search.SearchQuery(*point, limit=4, **filters)
    results = search.search(db, query)
    assert [r.service_id for r in results] == _every_service_by_hand(db, query)
    assert results or point != LEEDS
    assert all(r.distance_km <= query.max_distance_km or r.distance_band for r in results)


def _search_table_is_up_to_date(db) -> None:
    from sqlalchemy import select

    from directory import search_index
    from directory.models import SearchEntry, Service

    def key(row):
        return tuple(row[k] for k in ("code", "place_id", "service_id", "location_id", "status", "geo_cell",
                                      "latitude", "longitude", "codes", "confidential"))

    db.flush()
    stored = {key(dict(r._mapping)) for r in db.execute(select(SearchEntry.__table__))}
    fresh = {key(r) for r in search_index.entries_for(db.connection(), list(db.scalars(select(Service.id))))}
    assert stored == fresh


def test_an_editor_change_is_searchable_at_once(db):
    from directory import editing
    from directory.models import Attribute, Location, new_id
    from directory.taxonomy import term

    _search_table_is_up_to_date(db)
    editing.create_service(db, {"name": "Wellington Street Drop-in (test)"}, "test-editor",
                           codes=["need:needle-exchange", "substance:opioids", "access:walk-in"],
                           location=editing.LocationInput(address_1="1 Wellington Street", city="Leeds",
                                                          postcode="LS1 4AP", latitude=53.7965, longitude=-1.5530),
                           service_id="test-wellington")
    found = search.search(db, search.SearchQuery(*LEEDS, need="needle-exchange", substance="opioids"))
    assert found[0].service_id == "test-wellington" and found[0].address == "1 Wellington Street, Leeds, LS1 4AP"

    editing.update_service(db, "test-wellington", {}, "test-editor", codes=["need:naloxone", "access:walk-in"])
    assert "test-wellington" not in {r.service_id for r in search.search(
        db, search.SearchQuery(*LEEDS, need="needle-exchange"))}
    assert "test-wellington" in {r.service_id for r in search.search(db, search.SearchQuery(*LEEDS, need="naloxone"))}

    place = db.get(Location, db.get(search.Service, "test-wellington").service_at_locations[0].location_id)
    place.latitude, place.longitude = 53.4794, -2.2453  # the team moves to Manchester
    moved = search.search(db, search.SearchQuery(53.4794, -2.2453, need="naloxone"))
    assert moved[0].service_id == "test-wellington" and moved[0].distance_km < 0.1
    assert "test-wellington" not in {r.service_id for r in search.search(
        db, search.SearchQuery(*LEEDS, need="naloxone", max_distance_km=20))}

    place.attributes.append(Attribute(id=new_id(), link_id=place.id, link_entity="location", link_type="feature",
                                      taxonomy_term_id=term("feature:confidential-address").id))
    hidden = next(r for r in search.search(db, search.SearchQuery(53.4794, -2.2453, need="naloxone"))
                  if r.service_id == "test-wellington")
    assert hidden.address is None and hidden.postcode is None and hidden.distance_band == "within 5 miles"
    _search_table_is_up_to_date(db)

    editing.suspend_service(db, "test-wellington", "test-editor")
    assert "test-wellington" not in {r.service_id for r in search.search(
        db, search.SearchQuery(53.4794, -2.2453, need="naloxone"))}
    editing.reactivate_service(db, "test-wellington", "test-editor")
    editing.close_service(db, "test-wellington", "test-editor", successor_id="sample-leeds-recovery-hub")
    offered = {r.service_id for r in search.search(db, search.SearchQuery(53.4794, -2.2453, need="naloxone",
                                                                         max_distance_km=80))}
    assert "test-wellington" not in offered and "sample-leeds-recovery-hub" in offered
    _search_table_is_up_to_date(db)


def test_a_removed_place_leaves_the_search(db):
    service = db.get(search.Service, "sample-leeds-pharmacy-nsp")
    assert "sample-leeds-pharmacy-nsp" in {r.service_id for r in search.search(
        db, search.SearchQuery(*LEEDS, need="needle-exchange"))}
    for sal in list(service.service_at_locations):
        service.service_at_locations.remove(sal)
    assert "sample-leeds-pharmacy-nsp" not in {r.service_id for r in search.search(
        db, search.SearchQuery(*LEEDS, need="needle-exchange"))}
    _search_table_is_up_to_date(db)


def test_an_import_is_searchable_at_once(db):
    from directory import oruk_import
    from support import ROOT

    template = ROOT / "directory" / "sample_data" / "import_template.csv"
    oruk_import.import_path(db, template, fmt="csv", source="search-test")
    armley = geo.resolve_place(db, "LS12")
    found = search.search(db, search.SearchQuery(armley.latitude, armley.longitude, need="needle-exchange",
                                                 features=["naloxone-clients"]))
    assert found[0].service_id == "template-armley-drop-in"
    _search_table_is_up_to_date(db)


def test_a_directory_from_before_the_search_table_is_searchable_after_upgrading(tmp_path):
    from alembic import command
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from directory.db import alembic_config, create_schema, make_engine
    from directory.models import Attribute, Location, Service, ServiceAtLocation, TaxonomyTerm
    from directory.taxonomy import term

    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.execute(insert(Service), [{"id": "old-hub", "name": "Old Hub", "status": "active"}])
        connection.execute(insert(Location), [{"id": "old-site", "location_type": "physical",
                                               "latitude": 53.8, "longitude": -1.55}])
        connection.execute(insert(ServiceAtLocation), [{"id": "old-sal", "service_id": "old-hub",
                                                        "location_id": "old-site"}])
        connection.execute(insert(TaxonomyTerm), [{"id": term("need:treatment").id, "code": "need:treatment",
                                                   "name": "Drug and alcohol treatment"}])
        connection.execute(insert(Attribute), [{"id": "old-attr", "link_id": "old-hub", "link_entity": "service",
                                                "taxonomy_term_id": term("need:treatment").id}])
    create_schema(engine)
    with Session(engine, future=True) as session:
        found = search.search(session, search.SearchQuery(*LEEDS, need="treatment"))
        assert [r.service_id for r in found] == ["old-hub"]
        _search_table_is_up_to_date(session)


def test_language_and_accessibility_filters(db):
    from directory.models import Accessibility, Language, Service, new_id

    hub = db.get(Service, "sample-leeds-recovery-hub")
    hub.languages.append(Language(id=new_id(), code="ro", name="Romanian"))
    families = db.get(Service, "sample-leeds-families")
    families.service_at_locations[0].location.accessibility.append(
        Accessibility(id=new_id(), description="Step-free entrance and a wheelchair accessible toilet"))
    db.flush()
    assert _names(db, language="Romanian") == ["Kirkgate Recovery Hub (sample)"]
    assert _names(db, need="treatment", language="RO") == ["Kirkgate Recovery Hub (sample)"]
    assert _names(db, need="treatment", language="Polish") == ["Aire Alcohol Service (sample)"]  # sample data's own
    assert _names(db, need="treatment", language="Tigrinya") == []
    assert _names(db, accessibility="Wheelchair") == ["Families First Leeds (sample)"]
    assert _names(db, need="treatment", accessibility="wheelchair") == []
