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
