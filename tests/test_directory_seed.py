"""The shipped sample area loads everything a listing says: who is eligible matters most to
staff referring someone (the custody team takes no self-referrals)."""
from __future__ import annotations

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
