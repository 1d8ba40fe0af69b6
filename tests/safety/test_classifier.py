"""The crisis classifier (safety/classifier.py): the second net beside the patterns.

Its weights are built by `make crisis-classifier` (a dependency of `make test`); these tests
fail, saying so, when they are missing."""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import sys

import pytest

from safety import classifier
from safety.triage import CrisisType, normalise, triage, triage_patterns

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = Path(__file__).resolve().parent / "corpus" / "heldout"
sys.path.insert(0, str(Path(__file__).resolve().parent))  # fingerprint_heldout.py


@pytest.fixture(scope="module")
def model() -> classifier.CrisisClassifier:
    try:
        return classifier.require()
    except classifier.ClassifierMissing as error:
        pytest.fail(f"{error} (`make test` builds it)")


def _key(text: str) -> str:
    return normalise(text)


# ------------------------------------------------------------------------ training data


def test_no_held_out_line_is_training_data():
    """The held-out half is a measurement: not one of its lines, normalised, may be learnt from.
    Only counts are shown, so the held-out lines stay unread."""
    files = [HELDOUT / "crisis.tsv", HELDOUT / "near_miss.tsv"]
    if not all(f.exists() for f in files):
        pytest.skip("no held-out corpus in this checkout")
    heldout = set()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                heldout.add(_key(line.partition("\t")[2]))
    heldout.discard("")
    training = {_key(e.text) for e in classifier.training_data()}
    shared = len(heldout & training)
    assert shared == 0, f"{shared} held-out messages (normalised) are in the classifier's training data"


def test_the_held_out_fingerprints_are_current():
    """safety/data/heldout_fingerprints.txt lists every held-out message (hashed, normalised), so
    the classifier can leave them out without the product reading tests/."""
    if not (HELDOUT / "crisis.tsv").exists():
        pytest.skip("no held-out corpus in this checkout")
    import fingerprint_heldout

    current = set(fingerprint_heldout.heldout_fingerprints())
    listed = classifier.read_fingerprints()
    assert current == listed, (f"{len(current - listed)} held-out messages are not fingerprinted: run "
                               "`.venv/bin/python tests/safety/fingerprint_heldout.py`")


def test_training_data_is_the_development_half_and_nlu_data():
    examples = classifier.training_data()
    sources = {e.source for e in examples}
    assert sources == {"crisis", "near_miss", "ordinary", "nlu_crisis", "nlu_other"}
    for path in classifier.training_files():
        assert "tests" not in path.relative_to(ROOT).parts, path  # the product never reads tests/
    crises = [e for e in examples if e.crisis]
    assert all(e.kind in classifier.KINDS for e in crises if e.source == "crisis")
    assert not any("](" in e.text for e in examples), "entity markup left in an nlu_data example"


def test_the_weights_were_built_from_the_current_training_data(model):
    assert model.trained_from == classifier.fingerprint(), (
        "the classifier is older than its training data: run `make crisis-classifier`")


def test_training_is_deterministic_and_scoring_matches_scikit_learn():
    """The pure-Python scorer reads the weights exactly as scikit-learn scored them; and the
    same data always gives the same weights (checked on a sample, for speed)."""
    from sklearn.linear_model import LogisticRegression

    examples = classifier.training_data()[::12]
    first, second = classifier.train(examples), classifier.train(examples)
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)

    normalised = classifier._normalised(e.text for e in examples)
    documents = classifier._documents(normalised)
    idf = {name: classifier._idf([d[name] for d in documents], classifier.CHAR_MIN_DF if name == "char" else 1)
           for name, _ in classifier._BLOCKS}
    vocab = {name: {g: i for i, g in enumerate(sorted(idf[name]))} for name in idf}
    matrix = classifier._matrix(documents, vocab, idf)
    reference = LogisticRegression(C=classifier.REGULARISATION_C, class_weight="balanced", max_iter=5000)
    reference.fit(matrix, [int(e.crisis) for e in examples])
    expected = reference.predict_proba(matrix)[:, 1]
    scorer = classifier.CrisisClassifier(first)
    for text, want in zip(normalised, expected):
        assert scorer.score(text).probability == pytest.approx(want, abs=1e-4)


# ------------------------------------------------------------------------------ triage


def test_a_pattern_hit_is_never_overruled(model):
    match = triage("she wont wake up")
    assert match is not None and match.rule != "classifier" and match.type is CrisisType.OVERDOSE


def test_the_classifier_catches_what_no_pattern_does(model):
    message = "my partner has me locked in and has taken my keys and phone"
    assert triage_patterns(message) is None
    match = triage(message)
    assert match is not None and match.rule == "classifier"
    assert match.type is CrisisType.DOMESTIC_ABUSE


@pytest.mark.parametrize("message", [
    "hi", "thanks", "where is the nearest needle exchange", "can i self refer",
    "killing it at work this week", "overdosed on netflix this weekend", "dying to see you",
    "my brother overdosed last year and survived, where can I get support", "",
])
def test_ordinary_messages_stay_below_the_threshold(model, message):
    assert model.score(normalise(message)).probability < classifier.THRESHOLD
    assert triage(message) is None


def test_an_unsure_kind_is_general(model, monkeypatch):
    monkeypatch.setattr(classifier, "TYPE_CONFIDENCE", 1.01)
    monkeypatch.setattr(classifier, "THRESHOLD", 0.0)
    match = triage("a sentence about the weather in leeds")
    assert match is not None and match.type is CrisisType.GENERAL and match.rule == "classifier"


def test_odd_input_never_raises(model):
    for text in ("", " ", "\x00", "\udfff", "a" * 5000, "k i l l " * 500, "🙂" * 100):
        model.score(normalise(text))
        triage(text)


def test_per_message_cost_is_well_under_a_millisecond(model):
    rows = [line.partition("\t")[2] for line in
            (ROOT / "safety" / "data" / "near_miss_train.tsv").read_text(encoding="utf-8").splitlines()]
    texts = [normalise(t) for t in rows if t]
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            model.score(text)
        best = min(best, (time.perf_counter() - started) / len(texts))
    assert best < 0.001, f"{best * 1000:.3f} ms a message"  # about 0.1 ms measured; 1 ms leaves room


# ----------------------------------------------------------------------- missing weights


def test_without_its_file_triage_runs_on_the_patterns_and_start_up_refuses(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("WAYMARK_CRISIS_CLASSIFIER", str(tmp_path / "absent.json"))
    classifier.forget()
    try:
        with caplog.at_level(logging.ERROR, logger="safety.classifier"):
            assert triage("she wont wake up").type is CrisisType.OVERDOSE  # the patterns still answer
            assert triage("my partner has me locked in and has taken my keys and phone") is None
            triage("hello")
        assert sum("patterns alone" in r.getMessage() for r in caplog.records) == 1  # said once
        with pytest.raises(classifier.ClassifierMissing, match="make"):
            classifier.require()
    finally:
        monkeypatch.delenv("WAYMARK_CRISIS_CLASSIFIER")
        classifier.forget()


def test_an_unreadable_or_foreign_file_counts_as_missing(monkeypatch, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"format": 999}))
    for path in (broken, other):
        monkeypatch.setenv("WAYMARK_CRISIS_CLASSIFIER", str(path))
        classifier.forget()
        assert classifier.get() is None
        assert triage("she wont wake up").type is CrisisType.OVERDOSE
    monkeypatch.delenv("WAYMARK_CRISIS_CLASSIFIER")
    classifier.forget()


def test_a_failing_classifier_leaves_the_patterns_answer(model, monkeypatch):
    def broken(self, normalised):
        raise RuntimeError("boom")

    monkeypatch.setattr(classifier.CrisisClassifier, "score", broken)
    assert triage("she wont wake up").type is CrisisType.OVERDOSE
    assert triage("my partner has me locked in and has taken my keys and phone") is None
