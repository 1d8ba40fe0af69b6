"""The spaCy gazetteer extractor on its own (no trained Rasa model): slang, typos, postcodes
with and without the space, mixed case, and words that only look like drugs or places."""
from __future__ import annotations

import shutil

import pytest

from understanding import spacy_pipeline


@pytest.fixture(scope="module")
def nlp():
    return spacy_pipeline.build()


def found(nlp, text):
    return [(e["entity"], e["value"], text[e["start"]:e["end"]]) for e in spacy_pipeline.find_entities(nlp, text)]


@pytest.mark.parametrize("text, substance, typed", [
    ("im on the gear", "opioids", "gear"),
    ("been on the BROWN for years", "opioids", "BROWN"),
    ("smokin too much rock wanna stop", "crack", "rock"),
    ("cant stop on the white", "crack", "white"),
    ("spice is ruining me", "nps", "spice"),
    ("addicted to mcat", "stimulants", "mcat"),
    ("doing k every weekend", "ketamine", "k"),
    ("ket bladder probs", "ketamine", "ket"),
    ("on the G most weekends", "ghb", "G"),
    ("on the script but still using", None, None),
    ("im on the drink every day", "alcohol", "drink"),
    ("need help with herion", "opioids", "herion"),       # typo
    ("Alchohol problem", "alcohol", "Alchohol"),          # typo, capital
    ("hooked on co-codamol from the chemist", "prescription", "co-codamol"),
    ("CHARLIE help", "cocaine", "CHARLIE"),
])
def test_substances_people_write_come_out_as_waymarks_codes(nlp, text, substance, typed):
    substances = [(value, words) for entity, value, words in found(nlp, text) if entity == "substance"]
    assert substances == ([(substance, typed)] if substance else [])


@pytest.mark.parametrize("text", [
    "k thanks", "ok k", "a white van", "hit rock bottom", "my mate charlie", "black and white",
    "the grass is green", "cheers m8", "b4 friday", "reading a book",
])
def test_ordinary_words_are_not_mistaken_for_drugs_or_places(nlp, text):
    assert found(nlp, text) == []


def test_white_wine_is_alcohol_not_crack(nlp):
    assert found(nlp, "too much white wine") == [("substance", "alcohol", "wine")]


def test_two_slang_words_together_are_both_found(nlp):
    assert [v for e, v, _ in found(nlp, "white and brown user")] == ["crack", "opioids"]


@pytest.mark.parametrize("text, typed", [
    ("help near LS1 4AP", "LS1 4AP"),
    ("help near ls14ap", "ls14ap"),
    ("its Ls2 7eW", "Ls2 7eW"),
    ("pins near M1", "M1"),
    ("round ls10 please", "ls10"),
    ("EC1A 1BB", "EC1A 1BB"),
    ("i live near m8", "m8"),  # a district that is also SMS slang counts after "near"
    ("ZZ9 9ZZ", "ZZ9 9ZZ"),  # postcode-shaped but unknown: whole, so the reply can say so
])
def test_postcodes_and_districts_are_places_as_typed(nlp, text, typed):
    assert ("place", typed, typed) in found(nlp, text)


@pytest.mark.parametrize("text, name", [
    ("what about in LEEDS instead", "Leeds"),
    ("anything in manc", "Manchester"),
    ("i live near reading", "Reading"),
    ("stoke on trent", "Stoke-on-Trent"),
    ("Moss Side", "Moss Side"),
])
def test_places_come_out_with_their_proper_name(nlp, text, name):
    assert [v for e, v, _ in found(nlp, text) if e == "place"] == [name]


def test_the_saved_pipeline_works_through_rasa_spacy_and_the_component(tmp_path):
    """Saved to disk and loaded by Rasa's SpacyNLP as make does; the component adds the
    gazetteer's entities and drops another extractor's guess for the same words."""
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from rasa.shared.nlu.training_data.message import Message

    from understanding.gazetteer_extractor import GazetteerEntityExtractor

    folder = tmp_path / "spacy-en"
    assert spacy_pipeline.main(["--out", str(folder)]) == 0
    model = SpacyNLP.load_model(str(folder))
    extractor = GazetteerEntityExtractor.create({}, None, None, None)
    message = Message(data={"text": "On the GEAR near ls1 4ap", "entities": [
        {"entity": "substance", "value": "gear", "start": 7, "end": 11, "extractor": "DIETClassifier"},
        {"entity": "need", "value": "treatment", "start": 0, "end": 2, "extractor": "DIETClassifier"},
    ]})
    [message] = extractor.process([message], model)
    entities = [(e["entity"], e["value"], e["extractor"]) for e in message.get("entities")]
    assert entities == [
        ("need", "treatment", "DIETClassifier"),
        ("substance", "opioids", "GazetteerEntityExtractor"),
        ("place", "ls1 4ap", "GazetteerEntityExtractor"),
    ]


def test_the_model_is_retrained_when_a_gazetteer_changes(tmp_path, monkeypatch):
    from understanding.gazetteer_extractor import GazetteerEntityExtractor

    before = GazetteerEntityExtractor.fingerprint_addon({})
    changed = tmp_path / "substances.yml"
    shutil.copy(spacy_pipeline.SUBSTANCES_FILE, changed)
    changed.write_text(changed.read_text() + "\nkratom:\n  words: [kratom]\n")
    monkeypatch.setattr(spacy_pipeline, "SUBSTANCES_FILE", changed)
    assert GazetteerEntityExtractor.fingerprint_addon({}) != before


def test_build_command_has_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        spacy_pipeline.main(["--help"])
    assert exit_.value.code == 0 and "EntityRuler" in capsys.readouterr().out


def test_the_saved_pipeline_is_found_from_any_working_folder(tmp_path, monkeypatch):
    """config.yml names build/spacy-en relative to the project; running from elsewhere works,
    and a pipeline that was never built says how to build it."""
    from rasa.nlu.model import InvalidModelError
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    from understanding import gazetteer_extractor

    project = tmp_path / "project"
    spacy_pipeline.main(["--out", str(project / "build" / "spacy-en")])
    monkeypatch.setattr(gazetteer_extractor, "PROJECT_ROOT", project)
    monkeypatch.chdir(tmp_path)
    assert SpacyNLP.load_model("build/spacy-en").model.has_pipe("entity_ruler")
    with pytest.raises(InvalidModelError, match="make model"):
        SpacyNLP.load_model("build/not-built")


# --- needs (issue 19): the help people name comes out as its taxonomy code -------------------------

@pytest.mark.parametrize("text, need, typed", [
    ("WERE CAN I GET CLEEN NEEDELS LS1", "needle-exchange", "NEEDELS"),  # DIET once read "CLEEN" as the need
    ("need clean works near ls6", "needle-exchange", "clean works"),
    ("where can i get pins", "needle-exchange", "pins"),
    ("any needle exchange round here", "needle-exchange", "needle exchange"),
    ("can i get nalaxone for my son", "naloxone", "nalaxone"),
    ("alcohol service in leeds", "treatment", "alcohol service"),
    ("how do i get on a methadone script", "treatment", "methadone script"),
    ("i need an alcohol detox", "detox", "alcohol detox"),
    ("how do i get into residential rehab, im in leeds LS9", "rehab", "residential rehab"),
    ("any aa meetings in bristol", "mutual-aid", "aa meetings"),
    ("is there a carers asessment", "carers-assessment", "carers asessment"),
    ("my mate just got out of prison", "prison-release", "out of prison"),
    ("im homeless and using", "housing", "homeless"),
    ("i need a job", "employment", "job"),
])
def test_needs_people_name_come_out_as_taxonomy_codes(nlp, text, need, typed):
    from directory.taxonomy import NEEDS

    needs = [(value, words) for entity, value, words in found(nlp, text) if entity == "need"]
    assert needs == [(need, typed)] and need in NEEDS


@pytest.mark.parametrize("text", ["good job thanks", "it works now", "any tips", "i need help", "support please",
                                  "im a hostel worker", "im a probation officer", "i'm a drug worker"])
def test_words_that_name_no_kind_of_help_are_not_needs(nlp, text):
    assert [e for e in found(nlp, text) if e[0] == "need"] == []


def test_a_need_phrase_keeps_the_substance_inside_it(nlp):
    """One ruler keeps only the longest match: "alcohol service" must still say alcohol."""
    assert found(nlp, "alcohol service in leeds") == [
        ("substance", "alcohol", "alcohol"), ("need", "treatment", "alcohol service"), ("place", "Leeds", "leeds")]


def test_the_extractor_replaces_a_wrong_need_but_keeps_other_entities():
    from rasa.shared.nlu.training_data.message import Message

    from understanding.gazetteer_extractor import GazetteerEntityExtractor

    class Model:
        model = spacy_pipeline.build()

    extractor = GazetteerEntityExtractor.create({}, None, None, None)
    text = "WERE CAN I GET CLEEN NEEDELS LS1"
    message = Message(data={"text": text, "entities": [
        {"entity": "need", "value": "CLEEN NEEDELS", "start": 15, "end": 28, "extractor": "DIETClassifier"}]})
    extractor.process([message], Model())
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [
        ("need", "needle-exchange"), ("place", "LS1")]


def test_real_places_outside_the_directory_are_recognised_as_real():
    from directory.geo import real_district

    assert real_district("im in ne1") == "NE1" and real_district("BS2 4AB please") == "BS2 4AB"
    assert real_district("ZZ9 9ZZ") is None and real_district("no place here") is None
    assert spacy_pipeline.known_town("we live in the toon") == "Newcastle upon Tyne"
    assert spacy_pipeline.known_town("im somewhere else") is None
