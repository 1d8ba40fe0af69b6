"""The shipped sample area loads everything a listing says: who is eligible matters most to
staff referring someone (the custody team takes no self-referrals)."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from sqlalchemy import select

from directory.models import Service


def test_sample_eligibility_is_loaded(db):
    custody = db.get(Service, "sample-leeds-custody-team")
    assert "Professionals refer" in custody.eligibility_description
    midwives = db.get(Service, "sample-leeds-specialist-midwives")
    assert midwives.eligibility_description.startswith("Pregnant women")


def test_every_sample_helpline_for_the_handover_has_hours_and_a_number(db):
    for service_id in ("sample-helpline-adults", "sample-helpline-families"):
        helpline = db.get(Service, service_id)
        assert helpline.schedules and any(p.type == "voice" for p in helpline.phones)
        assert "(sample)" in helpline.name  # sample data says so


# Ofcom's numbers reserved for drama (DESIGN.md): nobody real is ever rung or texted by a demo.
DRAMA_NUMBER = re.compile(r"^(0113 496 0\d{3}|0161 496 0\d{3}|020 7946 0\d{3}|07700 900\d{3})$")
TEMPLATE = Path(__file__).resolve().parent.parent / "directory" / "sample_data" / "import_template.csv"


def _template_numbers() -> dict[str, str]:
    rows = csv.DictReader(line for line in TEMPLATE.read_text(encoding="utf-8").splitlines()
                          if not line.startswith("#"))
    return {number: row["service_id"] for row in rows for number in (row.get("phone"), row.get("text_number")) if number}


def test_no_two_listings_share_a_phone_number(db):
    """A person ringing one listing must never reach another (Harehills Peer Support Meeting
    once had the Northern helpline's number)."""
    owners: dict[str, set[str]] = {}
    for service in db.scalars(select(Service)):
        for phone in service.phones:
            owners.setdefault(phone.number, set()).add(service.id)
    for number, service_id in _template_numbers().items():
        owners.setdefault(number, set()).add(service_id)
    shared = {number: ids for number, ids in owners.items() if len(ids) > 1}
    assert not shared, shared
    assert db.get(Service, "sample-leeds-mutual-aid").phones[0].number == "0113 496 0180"
    assert db.get(Service, "sample-helpline-adults").phones[0].number == "0113 496 0900"


def test_every_sample_number_is_an_ofcom_drama_number(db):
    sample = [phone.number for service in db.scalars(select(Service)) if service.id.startswith("sample-")
              for phone in service.phones]
    assert sample
    assert [n for n in sample + list(_template_numbers()) if not DRAMA_NUMBER.match(n)] == []


def test_every_crisis_line_is_in_the_directory_with_its_verified_number(seeded_directory):
    """The crisis replies read their numbers from the directory (national.yml); each must be the
    number verified beside the reviewed wording, the NSPCC helpline included (issue 20)."""
    from safety.replies import DEFAULT_LINES
    from waymark.assistant import CRISIS_LINES, crisis_lines

    assert crisis_lines(seeded_directory) == {key: DEFAULT_LINES[key].number for key in CRISIS_LINES}
    assert crisis_lines(seeded_directory)["nspcc"] == "0808 800 5000"
