"""Detox and residential rehab are needs of their own (issue 20, need 1).

People ask for "a detox" or "rehab" by name; an import that filed those only under general
treatment would make them unfindable as themselves. They still count as treatment too, so a
plain treatment search keeps finding them.
"""
from directory import classify
from directory.taxonomy import NEEDS, term


def test_detox_and_rehab_are_taxonomy_needs():
    assert "detox" in NEEDS and "rehab" in NEEDS
    assert term("need:detox").link_type == "need"
    assert term("need:rehab").link_type == "need"


def test_importer_files_a_detox_unit_under_detox_and_treatment():
    result = classify.classify("Riverside Detox Unit", ["Inpatient medically supported withdrawal from alcohol."])
    assert "need:detox" in result.needs and "need:treatment" in result.needs
    assert "need:rehab" not in result.needs


def test_importer_files_a_residential_rehab_under_rehab():
    result = classify.classify("Hillside House", ["A 12-week residential rehab for drugs and alcohol."])
    assert "need:rehab" in result.needs and "need:treatment" in result.needs
    assert "need:detox" not in result.needs


def test_ordinary_service_is_neither_detox_nor_rehab():
    result = classify.classify("Forward Leeds", ["Drug and alcohol treatment and key work."])
    assert "need:detox" not in result.needs and "need:rehab" not in result.needs


def test_sample_area_has_a_detox_and_a_rehab_reached_through_assessment():
    """The demo area must be able to answer "where's a detox/rehab" with an honest listing."""
    from pathlib import Path

    import yaml

    services = yaml.safe_load(Path("directory/sample_data/sample_area.yml").read_text())["services"]
    for need in ("detox", "rehab"):
        found = [s for s in services if need in s["needs"]]
        assert found, need
        for service in found:
            assert "assessment" in service["application_process"]
            assert "local drug and alcohol service" in service["application_process"]  # the wait is said first
            assert "self-referral" not in service["access"]


def test_seeded_sample_area_finds_detox_in_leeds_and_rehab_in_manchester(tmp_path):
    """Real SQLite: a search for the new needs returns the new listings, not general treatment."""
    from directory import db, seed
    from directory.search import SearchQuery, search

    url = f"sqlite:///{tmp_path / 'dir.db'}"
    db.create_schema(db.engine_for(url))
    with db.session_scope(url) as session:
        seed.seed_sample(session)
    with db.session_scope(url) as session:
        leeds = search(session, SearchQuery(latitude=53.7985, longitude=-1.5405, need="detox"))
        manchester = search(session, SearchQuery(latitude=53.4770, longitude=-2.2320, need="rehab"))
        general = search(session, SearchQuery(latitude=53.7985, longitude=-1.5405, need="treatment", limit=50))
        assert [m.service_id for m in leeds][:1] == ["sample-leeds-detox-unit"]
        assert [m.service_id for m in manchester][:1] == ["sample-manchester-rehab"]
        assert "sample-leeds-recovery-hub" not in [m.service_id for m in leeds]
        assert "sample-leeds-detox-unit" in [m.service_id for m in general]
