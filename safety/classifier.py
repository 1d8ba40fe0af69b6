"""The crisis classifier: a second, learned net beside the patterns in :mod:`safety.triage`.

The patterns catch what someone wrote a rule for; measured on messages written apart from
them (the held-out half, and each fresh round of development lines before rules were written
for it), about one crisis in five was phrased in a way no rule foresaw. This classifier reads
the same normalised text (:func:`safety.triage.normalise`) and scores how much it looks like
the crisis corpus rather than its near misses. :func:`safety.triage.triage` answers a message
as a crisis when a pattern fires, **or** when no pattern fired and this score is at least
:data:`THRESHOLD`. It never overrules a pattern: a pattern hit stands whatever the score.

What it is
----------
* Features: character n-grams of 2 to 5 letters inside word boundaries (each word padded with
  a space, so "overdos", "breath" and "kil" are shared by every spelling and inflection), and
  word unigrams and bigrams ("wont wake", "last year"). Each block is TF-IDF (sublinear term
  frequency, smoothed idf, character n-grams seen in at least 2 messages) scaled to unit length.
* Model: logistic regression (scikit-learn, L-BFGS, C = 100, balanced class weights) for
  crisis / not a crisis, and a second one, on the crisis lines only, for the kind of crisis
  (overdose, suicide, child at risk, domestic abuse). A classifier catch takes that kind when
  its probability is at least :data:`TYPE_CONFIDENCE`, else :attr:`CrisisType.GENERAL` (the
  reply that fits every crisis).
* Training data (:func:`training_data`): the development half of the crisis corpus
  (``safety/data/crisis_train.tsv``, ``near_miss_train.tsv``), ordinary messages
  (``safety/data/ordinary_train.tsv``: greetings, fragments, questions about services, pasted
  system text) and generated half-sent fragments ("my mum was not"), the ``crisis`` examples in
  ``nlu_data/crisis.yml`` as crises, and every other intent's examples in ``nlu_data/`` as
  ordinary messages. Never the held-out half (``tests/safety/test_classifier.py`` checks).
  A message of fewer than :data:`MIN_WORDS` words (normalised) is never a classifier catch.
  A message whose normalised form is held out (``safety/data/heldout_fingerprints.txt``, the
  SHA-256 of each held-out message, written by ``tests/safety/fingerprint_heldout.py``) is
  left out, so an nlu_data example that happens to be a held-out line is never learnt.
* Weights: trained at build time (``make crisis-classifier``, i.e. ``models/crisis_classifier
  .json``, a dependency of ``make run``, ``test``, ``chat``, ``bench``, ``eval`` and
  ``eval-crisis``; 4 to 11 s on 2 busy cores) into a plain JSON file of n-gram weights (about
  28,000 n-grams, 1.6 MB), with the SHA-256 of each training file it was built from. Nothing
  is downloaded and nothing is unpickled: scoring is dictionary look-ups and a few sums in
  pure Python, so scikit-learn is needed to train, not to answer, and the same message always
  gets the same score. Training is deterministic (L-BFGS, no random state).

Cost, measured with timeit over the development corpus (4,814 messages, median 40 characters
normalised, best of 10, Python 3.10 on 2 shared, busy cores): :meth:`CrisisClassifier.score`
about 0.16 ms a message (about 2 ms for a message at the 2,000-character limit), on top of
about 0.02 ms for :func:`~safety.triage.normalise` and 0.5 ms for the patterns; it only runs
when no pattern fired. Loading the file takes about 0.4 s, once per process; the weights are
about 9 MB of Python objects (the process grows by about 35 MB while the JSON is parsed).

The threshold, chosen by cross-validation on the development half only
----------------------------------------------------------------------
``make crisis-cv`` (``python -m safety.classifier cv``, 1 to 2.5 minutes on 2 busy cores):
5-fold stratified cross-validation, repeated with 2 seeds, on all 6,341 training messages;
each message is scored by models that never saw it, and its two scores are averaged (a
classifier catch also needs :data:`MIN_WORDS`). :data:`THRESHOLD` is the lowest score at
which patterns OR classifier raise at most 1% false alarms on the near-miss lines. For the
data in this commit:

=========  ===================================  ========================  ================
threshold  patterns OR classifier: recall,      classifier alone:         ordinary messages
           false alarms on 2,488 near misses    recall, false alarms      alarmed (of 1,315)
=========  ===================================  ========================  ================
0.90       100%, 64 (2.57%)                     79.8%, 2.57%              5
0.95       100%, 35 (1.41%)                     72.7%, 1.41%              0
**0.969**  **100%, 23 (0.92%)**                 **67.3%, 0.92%**          **0**
0.99       100%, 9 (0.36%)                      52.4%, 0.36%              0
=========  ===================================  ========================  ================

The union's 100% says little: the patterns were written against these lines (they catch all
of them, with no false alarm). What says more: of the 103 fresh crisis lines that the
patterns missed when they were first written (rounds 3, 4 and 5 of the corpus, before any
rule was added for them), the classifier caught 42 (41%) out of fold (``--fresh`` with a file
of them). On the round-4 and round-5 lines as written, before they were added, patterns alone
caught 82.4% and 82.9%, patterns + classifier 89.4% and 92.4%, for 6.5% / 7.2% and 7.1% /
8.4% false alarms on deliberately hard near misses. Given a kind (97.9% of crises), the
classifier's kind was right for 97.5% of them out of fold.

A low score does not veto a pattern hit. Out of fold, development crises scored as low as
0.0011, so the only veto with no recall loss would have to sit below that, where it removes
none of the patterns' false alarms (there are none left on the development half to remove);
a veto would trade a crisis reply that a pattern was sure of for a guess, so there is none.

When the file is missing
------------------------
:func:`get` returns None and logs an error once, and triage runs on the patterns alone: a
crisis message must never go unanswered because a build step was skipped, and the patterns do
not depend on this file. The app refuses to start without it (:func:`require`, called from
``Assistant.load``), as it does without the Rasa model, so a deployment cannot silently lose
the second net; ``make run`` and ``make test`` build it first.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import logging
import math
import os
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

__all__ = ["CrisisClassifier", "THRESHOLD", "TYPE_CONFIDENCE", "get", "require", "model_path",
           "training_data", "train", "ClassifierMissing"]

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
TRAINING_FILES = (DATA / "crisis_train.tsv", DATA / "near_miss_train.tsv", DATA / "ordinary_train.tsv")
# SHA-256 of each held-out message, normalised (written by tests/safety/fingerprint_heldout.py):
# a training message with one of these is left out, so nothing held out is ever learnt.
HELDOUT_FINGERPRINTS = DATA / "heldout_fingerprints.txt"
NLU_DATA = ROOT / "nlu_data"
DEFAULT_MODEL = ROOT / "models" / "crisis_classifier.json"
FORMAT = 1

# Chosen by `python -m safety.classifier cv` on the development half (see the module docstring).
THRESHOLD = 0.969
TYPE_CONFIDENCE = 0.6
# Fewer words than this (normalised) are never a classifier catch: "he is", "and", "not found"
# carry too little to score, and every short crisis in the corpus is a pattern's ("suicidal",
# "gone blue", "not breathing").
MIN_WORDS = 3

CHAR_NGRAMS = (2, 5)
WORD_NGRAMS = (1, 2)
CHAR_MIN_DF = 2
REGULARISATION_C = 100.0
KINDS = ("overdose", "suicide", "child_at_risk", "domestic_abuse")


class ClassifierMissing(RuntimeError):
    """The classifier's weights were not built (or cannot be read)."""


def model_path() -> Path:
    """Where the weights are read from: $WAYMARK_CRISIS_CLASSIFIER, else models/."""
    value = os.environ.get("WAYMARK_CRISIS_CLASSIFIER")
    if not value:
        return DEFAULT_MODEL
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


# ------------------------------------------------------------------------------ features


def _char_grams(text: str) -> Counter:
    grams: Counter = Counter()
    low, high = CHAR_NGRAMS
    for word in text.split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, min(high, size) + 1):
            for i in range(size - n + 1):
                grams[padded[i:i + n]] += 1
    return grams


def _word_grams(text: str) -> Counter:
    words = text.split()
    grams: Counter = Counter()
    low, high = WORD_NGRAMS
    for n in range(low, high + 1):
        for i in range(len(words) - n + 1):
            grams[" ".join(words[i:i + n])] += 1
    return grams


_BLOCKS = (("char", _char_grams), ("word", _word_grams))


# ------------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Score:
    probability: float  # that the message is a crisis
    kind: Optional[str]  # the most likely kind (KINDS), or None if no kind reaches TYPE_CONFIDENCE
    kind_probability: float


class CrisisClassifier:
    """Weights read from the JSON file written by :func:`train` / ``build``."""

    def __init__(self, model: dict):
        if model.get("format") != FORMAT:
            raise ClassifierMissing(f"crisis classifier file has format {model.get('format')!r}, "
                                    f"this code reads {FORMAT}: rebuild it")
        self.kinds: tuple[str, ...] = tuple(model["kinds"])
        self.bias: float = float(model["bias"])
        self.kind_bias: tuple[float, ...] = tuple(model["kind_bias"])
        self.trained_from: dict = dict(model.get("trained_from") or {})
        # block -> n-gram -> (idf, crisis weight x idf, kind weights x idf ...)
        self.blocks: dict[str, dict[str, tuple[float, ...]]] = {}
        for name, _ in _BLOCKS:
            self.blocks[name] = {gram: tuple(values) for gram, values in model[name].items()}

    @classmethod
    def load(cls, path: Path) -> "CrisisClassifier":
        try:
            model = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ClassifierMissing(f"cannot read the crisis classifier at {path}: {error}") from error
        return cls(model)

    def _sums(self, normalised: str) -> list[float]:
        """Per output (crisis, then each kind): the linear score without its bias."""
        outputs = 1 + len(self.kinds)
        total = [0.0] * outputs
        for name, grams_of in _BLOCKS:
            weights = self.blocks[name]
            sums = [0.0] * outputs
            norm = 0.0
            for gram, count in grams_of(normalised).items():
                row = weights.get(gram)
                if row is None:
                    continue
                tf = 1.0 + math.log(count)
                norm += (tf * row[0]) ** 2
                for k in range(outputs):
                    sums[k] += tf * row[k + 1]
            if norm > 0.0:
                scale = 1.0 / math.sqrt(norm)
                for k in range(outputs):
                    total[k] += sums[k] * scale
        return total

    def score(self, normalised: str) -> Score:
        """How crisis-like an already normalised message is. Never raises on a string."""
        sums = self._sums(normalised)
        z = sums[0] + self.bias
        probability = 1.0 / (1.0 + math.exp(-z)) if z >= -700 else 0.0
        logits = [s + b for s, b in zip(sums[1:], self.kind_bias)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        best = max(range(len(exps)), key=exps.__getitem__)
        kind_probability = exps[best] / sum(exps)
        kind = self.kinds[best] if kind_probability >= TYPE_CONFIDENCE else None
        return Score(probability, kind, kind_probability)


_lock = threading.Lock()
_loaded: dict[Path, Optional[CrisisClassifier]] = {}


def get() -> Optional[CrisisClassifier]:
    """The classifier, loaded once per path; None (with one logged error) if it is missing."""
    path = model_path()
    if path in _loaded:
        return _loaded[path]
    with _lock:
        if path not in _loaded:
            try:
                _loaded[path] = CrisisClassifier.load(path)
            except ClassifierMissing as error:
                log.error("%s. Crisis triage is running on its patterns alone: build the classifier "
                          "with `make models/crisis_classifier.json`.", error)
                _loaded[path] = None
    return _loaded[path]


def require() -> CrisisClassifier:
    """The classifier, or :class:`ClassifierMissing`: for start-up, so a deployment without it
    fails loudly instead of running on one net."""
    classifier = get()
    if classifier is None:
        raise ClassifierMissing(f"No crisis classifier at {model_path()}. Run `make "
                                "models/crisis_classifier.json` (or `make run`) first.")
    return classifier


def forget() -> None:
    """Drop the loaded classifier (tests that move the file)."""
    with _lock:
        _loaded.clear()


# ------------------------------------------------------------------------------ training

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, _, message = line.partition("\t")
            rows.append((label, message))
    return rows


def _nlu_examples() -> list[tuple[str, str]]:
    """(intent, example) for every intent example in nlu_data/, entity markup removed."""
    import yaml

    found = []
    for path in sorted(NLU_DATA.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" not in item:
                continue
            for line in str(item.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    found.append((item["intent"], _ANNOTATION.sub(r"\1", line[2:]).strip()))
    return found


def training_files() -> list[Path]:
    return [*TRAINING_FILES, HELDOUT_FINGERPRINTS, *sorted(NLU_DATA.glob("*.yml"))]


def fingerprint_of(text: str) -> str:
    """How a message is recognised as held out: the SHA-256 of its normalised form."""
    from safety.triage import normalise

    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


def read_fingerprints(path: Path = HELDOUT_FINGERPRINTS) -> frozenset[str]:
    if not path.exists():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="ascii").splitlines()
                     if line.strip() and not line.startswith("#"))


def write_fingerprints(path: Path, prints: Iterable[str]) -> None:
    header = ("# SHA-256 of each held-out crisis corpus message, normalised (safety.triage.normalise).\n"
              "# Written by tests/safety/fingerprint_heldout.py; the classifier never trains on these.\n")
    path.write_text(header + "".join(f"{p}\n" for p in sorted(prints)), encoding="ascii")


def fingerprint() -> dict[str, str]:
    """SHA-256 of each training file, by path relative to the project."""
    return {str(p.relative_to(ROOT)): hashlib.sha256(p.read_bytes()).hexdigest() for p in training_files()}


@dataclass(frozen=True)
class Example:
    text: str  # as written
    crisis: bool
    kind: Optional[str]  # one of KINDS for a crisis whose kind is known
    source: str  # "crisis", "near_miss", "ordinary", "nlu_crisis", "nlu_other"


def training_data() -> list[Example]:
    """Every training message, once (the first source wins for a repeated one)."""
    from safety.triage import triage_patterns

    examples: list[Example] = []
    seen: set[str] = set()
    held_out = read_fingerprints()

    def add(text: str, crisis: bool, kind: Optional[str], source: str) -> None:
        key = " ".join(text.lower().split())
        if key and key not in seen and fingerprint_of(text) not in held_out:
            seen.add(key)
            examples.append(Example(text, crisis, kind, source))

    crisis_file, near_file, ordinary_file = TRAINING_FILES
    for kind, text in _tsv(crisis_file):
        add(text, True, kind if kind in KINDS else None, "crisis")
    for _, text in _tsv(near_file):
        add(text, False, None, "near_miss")
    for _, text in _tsv(ordinary_file):
        add(text, False, None, "ordinary")
    for text in _fragments():
        add(text, False, None, "ordinary")
    for intent, text in _nlu_examples():
        if intent == "crisis":
            match = triage_patterns(text)  # the kind, where the patterns can tell it
            add(text, True, match.type.value if match and match.type.value in KINDS else None, "nlu_crisis")
        else:
            add(text, False, None, "nlu_other")
    return examples


def _fragments() -> list[str]:
    """Half-sent messages with nothing in them ("he is", "my mum was not", "and then"): people
    send a sentence in pieces, and a piece is not a crisis on its own."""
    subjects = ("he", "she", "they", "it", "i", "we", "you", "my mum", "my son", "my mate", "my partner",
                "my dad", "my friend", "my daughter", "someone")
    verbs = ("is", "was", "has", "had", "will", "would", "is not", "was not", "has not", "does not",
             "did not", "can", "cannot", "keeps", "just", "is still", "has been")
    found = [f"{s} {v}" for s in subjects for v in verbs]
    found += [f"{c} {w}" for c in ("and", "so", "but", "then", "because", "also")
              for w in ("he", "she", "i", "it", "then", "yeah", "now", "that", "we", "they")]
    return found


def _idf(documents: Sequence[Counter], min_df: int) -> dict[str, float]:
    df: Counter = Counter()
    for grams in documents:
        df.update(grams.keys())
    n = len(documents)
    return {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items() if d >= min_df}


def _matrix(documents: Sequence[dict[str, Counter]], vocab: dict[str, dict[str, int]],
            idf: dict[str, dict[str, float]]):
    """Sparse TF-IDF rows, each block scaled to unit length, blocks side by side."""
    from scipy.sparse import csr_matrix

    offsets, width = {}, 0
    for name, _ in _BLOCKS:
        offsets[name] = width
        width += len(vocab[name])
    data, indices, indptr = [], [], [0]
    for doc in documents:
        for name, _ in _BLOCKS:
            cols, vals = [], []
            for gram, count in doc[name].items():
                column = vocab[name].get(gram)
                if column is not None:
                    cols.append(offsets[name] + column)
                    vals.append((1.0 + math.log(count)) * idf[name][gram])
            norm = math.sqrt(sum(v * v for v in vals))
            if norm:
                order = sorted(range(len(cols)), key=cols.__getitem__)
                indices.extend(cols[i] for i in order)
                data.extend(vals[i] / norm for i in order)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(documents), width))


def _normalised(texts: Iterable[str]) -> list[str]:
    from safety.triage import normalise

    return [normalise(text) for text in texts]


def _documents(normalised: Iterable[str]) -> list[dict[str, Counter]]:
    return [{name: grams_of(text) for name, grams_of in _BLOCKS} for text in normalised]


def _fit(documents: list[dict[str, Counter]], examples: Sequence[Example]) -> dict:
    """Train both models on these documents; the JSON-ready weights."""
    from sklearn.linear_model import LogisticRegression

    idf = {name: _idf([d[name] for d in documents], CHAR_MIN_DF if name == "char" else 1)
           for name, _ in _BLOCKS}
    vocab = {name: {g: i for i, g in enumerate(sorted(idf[name]))} for name in idf}
    matrix = _matrix(documents, vocab, idf)
    labels = [int(e.crisis) for e in examples]
    crisis_model = LogisticRegression(C=REGULARISATION_C, class_weight="balanced", max_iter=5000)
    crisis_model.fit(matrix, labels)
    typed = [i for i, e in enumerate(examples) if e.crisis and e.kind]
    kind_model = LogisticRegression(C=REGULARISATION_C, max_iter=5000)
    kind_model.fit(matrix[typed], [KINDS.index(examples[i].kind) for i in typed])
    assert list(kind_model.classes_) == list(range(len(KINDS)))
    coef = crisis_model.coef_[0]
    kind_coef = kind_model.coef_
    model = {"format": FORMAT, "kinds": list(KINDS), "bias": float(crisis_model.intercept_[0]),
             "kind_bias": [float(b) for b in kind_model.intercept_]}
    offset = 0
    for name, _ in _BLOCKS:
        rows = {}
        for gram, column in vocab[name].items():
            i = offset + column
            weight = idf[name][gram]
            rows[gram] = [round(weight, 6), float(f"{coef[i] * weight:.6g}"),
                          *(float(f"{kind_coef[k][i] * weight:.6g}") for k in range(len(KINDS)))]
        model[name] = rows
        offset += len(vocab[name])
    return model


def train(examples: Optional[Sequence[Example]] = None) -> dict:
    """The model (as written to the JSON file) trained on every training message."""
    examples = list(examples if examples is not None else training_data())
    model = _fit(_documents(_normalised(e.text for e in examples)), examples)
    model["trained_from"] = fingerprint()
    model["training_messages"] = len(examples)
    return model


def build(out: Path) -> None:
    started = time.monotonic()
    model = train()
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.with_name(out.name + ".tmp")
    scratch.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    scratch.replace(out)  # whole, so a running process never reads half a file
    grams = sum(len(model[name]) for name, _ in _BLOCKS)
    print(f"crisis classifier: {model['training_messages']} messages, {grams} n-grams, "
          f"{out.stat().st_size / 1e6:.1f} MB -> {out} in {time.monotonic() - started:.1f} s")


# -------------------------------------------------------------------- cross-validation


def cross_validate(folds: int = 5, seeds: Sequence[int] = (1, 2), fresh: Optional[Path] = None,
                   target: float = 0.01) -> dict:
    """Out-of-fold scores for every training message, averaged over the seeds, and the figures
    the threshold is chosen from. `fresh`: a file of crisis lines (one a line) to report on
    separately, e.g. the lines the patterns missed when they were first written."""
    from sklearn.model_selection import StratifiedKFold

    from safety.triage import triage_patterns

    examples = training_data()
    normalised = _normalised(e.text for e in examples)
    documents = _documents(normalised)
    labels = [int(e.crisis) for e in examples]
    scores = [0.0] * len(examples)
    kinds_given = [0] * len(examples)
    kinds_right = [0] * len(examples)
    for seed in seeds:
        for train_rows, test_rows in StratifiedKFold(folds, shuffle=True, random_state=seed).split(
                documents, labels):
            model = CrisisClassifier({**_fit([documents[i] for i in train_rows],
                                             [examples[i] for i in train_rows]), "format": FORMAT})
            for i in test_rows:
                result = model.score(normalised[i])
                scores[i] += result.probability / len(seeds)
                kinds_given[i] += int(result.kind is not None)
                kinds_right[i] += int(result.kind is not None and result.kind == examples[i].kind)
    patterns = [triage_patterns(e.text) is not None for e in examples]
    crises = [i for i, e in enumerate(examples) if e.crisis]
    near = [i for i, e in enumerate(examples) if e.source == "near_miss"]
    ordinary = [i for i, e in enumerate(examples) if e.source in ("nlu_other", "ordinary")]
    long_enough = [len(text.split()) >= MIN_WORDS for text in normalised]

    def rates(threshold: float) -> dict:
        alone = [s >= threshold and enough for s, enough in zip(scores, long_enough)]
        hit = [p or a for p, a in zip(patterns, alone)]
        return {
            "threshold": threshold,
            "union_recall": sum(hit[i] for i in crises) / len(crises),
            "union_false_alarms": sum(hit[i] for i in near), "near_misses": len(near),
            "union_false_alarm_rate": sum(hit[i] for i in near) / len(near),
            "classifier_recall": sum(alone[i] for i in crises) / len(crises),
            "classifier_false_alarm_rate": sum(alone[i] for i in near) / len(near),
            "ordinary_false_alarms": sum(hit[i] for i in ordinary), "ordinary": len(ordinary),
        }

    candidates = sorted({round(s, 3) for s in scores} | {round(0.5 + i / 1000, 3) for i in range(500)})
    chosen = next((t for t in candidates if t >= 0.5 and rates(t)["union_false_alarm_rate"] <= target), 1.0)
    result = {"folds": folds, "seeds": list(seeds), "messages": len(examples), "chosen": rates(chosen),
              "table": [rates(t) for t in (0.5, 0.8, 0.9, 0.95, 0.98, chosen, 0.99)],
              "lowest_crisis_score": min(scores[i] for i in crises),
              "highest_pattern_false_alarm_score": max((scores[i] for i in near if patterns[i]), default=None),
              # of the crises with a known kind: how often a kind was given, and right when given
              "kind_given": sum(kinds_given[i] for i in crises if examples[i].kind) /
              (len(seeds) * sum(1 for i in crises if examples[i].kind)),
              "kind_right_when_given": sum(kinds_right[i] for i in crises if examples[i].kind) /
              max(1, sum(kinds_given[i] for i in crises if examples[i].kind))}
    if fresh is not None:
        wanted = {" ".join(line.lower().split()) for line in fresh.read_text(encoding="utf-8").splitlines()
                  if line.strip()}
        rows = [i for i, e in enumerate(examples) if " ".join(e.text.lower().split()) in wanted]
        result["fresh"] = {"lines": len(rows), "caught": sum(scores[i] >= chosen and long_enough[i] for i in rows)}
    return result


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m safety.classifier", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build_parser = sub.add_parser("build", help="train on safety/data and nlu_data, write the weights")
    build_parser.add_argument("--out", type=Path, default=None, help="default: $WAYMARK_CRISIS_CLASSIFIER "
                              "or models/crisis_classifier.json")
    cv_parser = sub.add_parser("cv", help="cross-validate on the development half and report the threshold")
    cv_parser.add_argument("--folds", type=int, default=5)
    cv_parser.add_argument("--seeds", default="1,2")
    cv_parser.add_argument("--fresh", type=Path, default=None,
                           help="a file of crisis lines (one a line) to report on separately")
    args = parser.parse_args(argv)
    if args.command == "build":
        build(args.out or model_path())
        return 0
    started = time.monotonic()
    result = cross_validate(args.folds, tuple(int(s) for s in args.seeds.split(",")), args.fresh)
    print(f"{args.folds}-fold cross-validation, seeds {args.seeds}, {result['messages']} messages "
          f"({time.monotonic() - started:.0f} s)")
    print("threshold | patterns OR classifier: recall, false alarms on near misses | classifier alone: "
          "recall, false alarms | ordinary messages (ordinary_train.tsv, fragments, nlu_data) alarmed")
    for row in result["table"]:
        print(f"{row['threshold']:.3f} | {row['union_recall']:.1%}, {row['union_false_alarms']}/"
              f"{row['near_misses']} ({row['union_false_alarm_rate']:.2%}) | {row['classifier_recall']:.1%}, "
              f"{row['classifier_false_alarm_rate']:.2%} | {row['ordinary_false_alarms']}/{row['ordinary']}")
    print(f"chosen threshold (lowest with at most 1% false alarms): {result['chosen']['threshold']:.3f}")
    print(f"lowest out-of-fold score of a crisis: {result['lowest_crisis_score']:.4f}; highest of a "
          f"pattern false alarm: {result['highest_pattern_false_alarm_score']}")
    print(f"kind of crisis, out of fold: given for {result['kind_given']:.1%} of crises "
          f"(probability at least {TYPE_CONFIDENCE}), right for {result['kind_right_when_given']:.1%} of those")
    if "fresh" in result:
        print(f"fresh lines: {result['fresh']['caught']}/{result['fresh']['lines']} caught by the classifier "
              "out of fold at the chosen threshold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
