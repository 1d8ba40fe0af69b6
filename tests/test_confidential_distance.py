"""A confidential place (a refuge, a women's group whose address is given on the phone) can't
be located by searching around it (issue 22, item 2).

The probe: `/staff/api/search` gave `distance_miles` for the sample women's group although its
address was hidden, and eight searches from different districts put it within 30 m of its
stored point. Now every channel says only a band ("within 5 miles"), measured from the middle
of the place's grid square, and ranks it by that band: searches from anywhere around it get
the same answer, so there is nothing to triangulate. No model is loaded here.
"""
from __future__ import annotations

import json
import re
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from actions import replies
from directory import editing, geo, hours, search
from directory.db import session_scope
from directory.models import Location, SearchEntry
from directory.search_index import coarse_point
from waymark.app import create_app
from waymark.settings import Settings

REFUGE = "sample-leeds-womens-group"  # confidential_address: true, in LS7
REFUGE_LOCATION_POINT = (53.8290, -1.5300)
# Districts around it: LS7 itself and its neighbours on every side.
AROUND = ["LS7 4AA", "LS7", "LS6", "LS8", "LS2", "LS1", "LS1 4AP", "LS4", "LS9", "LS3"]
EXACT_MILES = re.compile(r"\d+(\.\d+)? miles away")
PASSWORD = "a-long-enough-password"


@pytest.fixture
def client(fresh_directory):
    from directory.db import engine_for
    from handover.models import create_tables

    create_tables(engine_for(fresh_directory))
    return TestClient(create_app(Settings(database_url=fresh_directory)))


def _staff_search(client, area: str, **ask) -> dict:
    response = client.post("/staff/api/search", json={"area": area, "need": "treatment", "women_only": True,
                                                      "within_miles": 25, **ask})
    assert response.status_code == 200, response.text
    return response.json()


def _refuge(results: dict) -> dict:
    return next(listing for listing in results["listings"] if listing["id"] == REFUGE)


def test_the_staff_page_gives_a_confidential_place_only_a_band_the_same_from_every_district(client):
    seen = []
    for area in AROUND:
        listing = _refuge(_staff_search(client, area))
        assert listing["address"] is None
        assert listing["distance_miles"] is None  # no number at all
        assert not EXACT_MILES.search(json.dumps(listing))
        seen.append(listing["distance_text"])
    assert set(seen) == {"Within 5 miles"}, seen  # identical from everywhere: nothing to triangulate


def test_a_confidential_place_is_ranked_by_its_band_not_its_distance(client):
    for area in ("LS1 4AP", "LS7", "LS9"):
        listings = _staff_search(client, area, women_only=False)["listings"]
        at = [listing["id"] for listing in listings].index(REFUGE)
        before = [x["distance_miles"] for x in listings[:at] if x["distance_miles"] is not None]
        after = [x["distance_miles"] for x in listings[at + 1:] if x["distance_miles"] is not None]
        assert all(miles <= 5.0 for miles in before) and all(miles >= 5.0 for miles in after), (area, listings)


def test_a_narrower_distance_never_measures_the_real_point(db):
    """Shrinking the search until the place drops out finds its grid square's middle at best:
    the search rows hold that, never the place's own point."""
    location_id = db.scalar(select(SearchEntry.location_id).where(SearchEntry.service_id == REFUGE))
    real = db.get(Location, location_id)
    assert (real.latitude, real.longitude) == REFUGE_LOCATION_POINT  # the directory keeps the truth
    points = set(db.execute(select(SearchEntry.latitude, SearchEntry.longitude)
                            .where(SearchEntry.service_id == REFUGE)).all())
    assert points == {coarse_point(*REFUGE_LOCATION_POINT)} and REFUGE_LOCATION_POINT not in points


def test_direct_searches_from_around_it_give_identical_bands_and_rank_keys(db):
    bands, keys = set(), set()
    for area in AROUND:
        place = geo.resolve_place(db, area)
        matches = search.search(db, search.SearchQuery(place.latitude, place.longitude, need="treatment",
                                                       women_only=True))
        refuge = next(m for m in matches if m.service_id == REFUGE)
        assert refuge.address is None
        bands.add(refuge.distance_band)
        keys.add(refuge.distance_km)
    assert bands == {"within 5 miles"} and len(keys) == 1


def test_the_assistants_replies_on_web_chat_and_sms_give_only_the_band(db):
    """actions.find_service (web chat, SMS and voice) and the console all word a result with
    replies.service_reply."""
    now = datetime(2026, 11, 25, 11, 0, tzinfo=hours.LONDON)
    for area in AROUND:
        place = geo.resolve_place(db, area)
        refuge = next(m for m in search.search(db, search.SearchQuery(place.latitude, place.longitude,
                                                                      need="treatment", women_only=True), now=now)
                      if m.service_id == REFUGE)
        text = replies.service_reply(refuge, place.label, now)
        assert "within 5 miles" in text and not EXACT_MILES.search(text), text
        assert refuge.address is None and "Confidential," not in text  # its (hidden) address line


def test_the_console_directory_lookup_gives_only_the_band(client, fresh_directory):
    with session_scope(fresh_directory) as session:
        editing.add_account(session, "agent-band", PASSWORD, "agent")
    token = client.post("/auth/token", data={"username": "agent-band", "password": PASSWORD}).json()["access_token"]
    for area in ("LS7", "LS6", "LS8"):
        response = client.get("/console/api/directory", params={"place": area, "need": "mutual-aid"},
                              headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text
        refuge = next(item for item in response.json() if item["service_id"] == REFUGE)
        assert "within 5 miles" in refuge["text"] and not EXACT_MILES.search(refuge["text"])


def test_the_oruk_feed_never_measures_a_distance_to_it(client):
    """The feed leaves confidential places out of every distance filter: no proximity, from
    any district, shows it, so its presence can't be used as a yes/no distance test either."""
    for area in ("LS7 4AA", "LS7 3AA", "LS1 4AP", "LS6 1AA"):
        for metres in (200, 1000, 3000, 10000, 100000):
            for path in ("/oruk/services", "/oruk/service_at_locations"):
                body = client.get(path, params={"postcode": area, "proximity": metres, "per_page": 100})
                if body.status_code == 400:  # a full postcode not in the sample list
                    continue
                text = json.dumps(body.json())
                assert REFUGE not in text and "distance" not in text
