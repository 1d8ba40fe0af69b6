"""Waymark's spaCy pipeline: a blank English pipeline whose EntityRuler knows the substance and
place gazetteers and the shape of UK postcodes, and whose SpanRuler knows the needs gazetteer.

No spaCy model can be downloaded where Waymark is built, and none is needed: the words people
use for drugs and places are a list, not something to learn. `make` builds the pipeline from
`understanding/gazetteers/*.yml` and saves it to `build/spacy-en`, which Rasa's `SpacyNLP`
loads (`config.yml`), and `understanding.gazetteer_extractor` turns its matches into entities.

Needs are matched by a SpanRuler of their own (spans under `doc.spans["needs"]`), not by the
EntityRuler: a need phrase often holds a substance ("alcohol service", "methadone script"), and
one ruler keeps only the longest of two overlapping matches, so the substance would be lost.

    python -m understanding.spacy_pipeline --out build/spacy-en
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

from directory.geo import POSTCODE_AREAS

GAZETTEERS = Path(__file__).resolve().parent / "gazetteers"
SUBSTANCES_FILE = GAZETTEERS / "substances.yml"
PLACES_FILE = GAZETTEERS / "places.yml"
NEEDS_FILE = GAZETTEERS / "needs.yml"
NEEDS_SPANS = "needs"  # the doc.spans key the SpanRuler writes to
DEFAULT_OUT = "build/spacy-en"  # relative to the project folder; config.yml names the same

# Words that say the next word is a drug being used ("on the white", "smoking rock").
USING_WORDS = [
    "on", "doing", "taking", "take", "takes", "took", "using", "use", "uses", "used", "smoking",
    "smokin", "smoke", "smoked", "sniffing", "snorting", "injecting", "banging", "bang",
    "buying", "buy", "scoring", "score", "addicted", "hooked", "off", "with", "some", "more",
]
FILLER_WORDS = ["the", "some", "to", "on", "too", "much", "of", "a", "bit", "lot", "lotta"]
# Words that say the word before was a drug ("white user", "rock habit").
USE_WORDS = ["user", "users", "habit", "problem", "problems", "addiction", "dependency",
             "smoker", "head", "use", "binge", "binges", "help", "support"]
AND_WORDS = ["and", "&", "n", "or"]
# Words before a place that could also be an ordinary word ("near reading").
PLACE_WORDS = ["in", "near", "around", "round", "from", "nr", "at", "outside", "to", "live",
               "living", "based"]

_AREA = "(?:" + "|".join(sorted((a.lower() for a in POSTCODE_AREAS), key=lambda a: (-len(a), a))) + ")"
OUTWARD = rf"^{_AREA}[0-9][a-z0-9]?$"  # LS6, M14, EC1A
INWARD = r"^[0-9][a-z]{2}$"  # 4AP
# Any whole postcode shape, even with an area that does not exist ("ZZ9 9ZZ"): taken as typed, so
# the assistant can say it doesn't know that postcode rather than quote a fragment of it.
ANY_OUTWARD = r"^[a-z]{1,2}[0-9][a-z0-9]?$"
WHOLE_POSTCODE = rf"^{_AREA}[0-9][a-z0-9]?[0-9][a-z]{{2}}$"  # LS14AP typed without the space
# Districts that are also SMS words ("b4" before, "l8" late, "m8" mate, "w8" wait).
SMS_LOOKALIKES = ["b4", "l8", "m8", "w8", "n1", "e1"]

# Words that say the next word is something wanted ("clean works", "need pins", "any meetings").
WANTING_WORDS = ["clean", "fresh", "new", "sterile", "free", "get", "getting", "need", "needs", "want",
                 "some", "any", "more", "find", "for", "local", "nearest"]

SUBSTANCE = "substance"
PLACE = "place"
NEED = "need"


def _read(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_substances(path: Path = SUBSTANCES_FILE) -> dict[str, dict[str, list[str]]]:
    """{code: {"words": [...], "in_context": [...]}}, every word lower case."""
    data = _read(path) or {}
    return {
        code: {key: [str(w).lower() for w in (entry or {}).get(key) or []] for key in ("words", "in_context")}
        for code, entry in data.items()
    }


def load_needs(path: Path = NEEDS_FILE) -> dict[str, dict[str, list[str]]]:
    """{code: {"words": [...], "in_context": [...], "typos": [regex, ...]}}, words lower case."""
    data = _read(path) or {}
    return {
        code: {"words": [str(w).lower() for w in (entry or {}).get("words") or []],
               "in_context": [str(w).lower() for w in (entry or {}).get("in_context") or []],
               "typos": [str(r) for r in (entry or {}).get("typos") or []]}
        for code, entry in data.items()
    }


def load_places(path: Path = PLACES_FILE) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({name: [names people type]}, same for names that need a word like "in" before them)."""
    data = _read(path) or {}

    def names(entries: Iterable[Any]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for entry in entries or []:
            if isinstance(entry, dict):
                for name, others in entry.items():
                    found[str(name)] = [str(name).lower(), *(str(o).lower() for o in others or [])]
            else:
                found[str(entry)] = [str(entry).lower()]
        return found

    return names(data.get("places")), names(data.get("in_context"))


def known_town(text: str) -> Optional[str]:
    """The name of the first town or city of the places gazetteer named in `text` ("newcastle"
    gives "Newcastle"), or None: a place people name, whether or not the directory has it."""
    lowered = f" {' '.join(re.sub(r'[^a-z0-9 ]+', ' ', (text or '').lower()).split())} "
    anywhere, in_context = _known_places()
    return next((name for name, typed in {**anywhere, **in_context}.items()
                 if any(f" {t} " in lowered for t in typed)), None)


@lru_cache(maxsize=1)
def _known_places() -> tuple[dict, dict]:
    return load_places()


@lru_cache(maxsize=1)
def _districts() -> dict[str, str]:
    data = _read(PLACES_FILE) or {}
    return {str(name): str(code).upper() for name, code in (data.get("districts") or {}).items()}


def district_of(text: str) -> Optional[tuple[str, str]]:
    """(place name, postcode district) for a neighbourhood of the gazetteer named in `text`
    ("we're in headingley" gives ("Headingley", "LS6")), or None."""
    name = known_town(text)
    district = _districts().get(name or "")
    return (name, district) if name and district else None


def _tokens(nlp: Any, phrase: str) -> list[dict]:
    return [{"LOWER": token.lower_} for token in nlp.make_doc(phrase)]


def pattern_id(value: str, keep: str = "all", count: int = 0) -> str:
    """The ruler's id for a match: the value to pass on, and which tokens of the match are
    the entity ("last:1" drops the context words before it, "first:1" those after it)."""
    return value if keep == "all" else f"{value}|{keep}:{count}"


def parse_pattern_id(ent_id: str) -> tuple[str, str, int]:
    value, _, keep = ent_id.partition("|")
    if not keep:
        return value, "all", 0
    side, _, count = keep.partition(":")
    return value, side, int(count)


def patterns(nlp: Any, substances: dict, places: tuple[dict, dict]) -> list[dict]:
    """Every EntityRuler pattern, in a stable order so the saved pipeline is reproducible."""
    found: list[dict] = []
    plain_single_words = sorted({w for entry in substances.values() for w in entry["words"] if " " not in w and "-" not in w})
    for code in sorted(substances):
        for word in sorted(set(substances[code]["words"])):
            found.append({"label": SUBSTANCE, "pattern": _tokens(nlp, word), "id": pattern_id(code)})
        for word in sorted(set(substances[code]["in_context"])):
            term = _tokens(nlp, word)
            filler = {"LOWER": {"IN": FILLER_WORDS}, "OP": "?"}
            before = [{"LOWER": {"IN": USING_WORDS}}, filler, filler]
            found.append({"label": SUBSTANCE, "pattern": before + term, "id": pattern_id(code, "last", len(term))})
            after = [{"LOWER": {"IN": USE_WORDS}}]
            found.append({"label": SUBSTANCE, "pattern": term + after, "id": pattern_id(code, "first", len(term))})
            # "white and brown", "gear n white": next to a word that is surely a drug
            other = [{"LOWER": {"IN": AND_WORDS}}, {"LOWER": {"IN": plain_single_words}}]
            found.append({"label": SUBSTANCE, "pattern": term + other, "id": pattern_id(code, "first", len(term))})
            found.append({"label": SUBSTANCE, "pattern": other[::-1] + term, "id": pattern_id(code, "last", len(term))})
    anywhere, in_context = places
    for name in sorted(anywhere):
        for typed in sorted(set(anywhere[name])):
            found.append({"label": PLACE, "pattern": _tokens(nlp, typed), "id": pattern_id(name)})
    for name in sorted(in_context):
        for typed in sorted(set(in_context[name])):
            term = _tokens(nlp, typed)
            found.append({"label": PLACE, "pattern": [{"LOWER": {"IN": PLACE_WORDS}}] + term,
                          "id": pattern_id(name, "last", len(term))})
    # Postcodes: the value is what was typed (the directory normalises it).
    found += [
        {"label": PLACE, "pattern": [{"LOWER": {"REGEX": OUTWARD}}, {"LOWER": {"REGEX": INWARD}}], "id": "postcode"},
        {"label": PLACE, "pattern": [{"LOWER": {"REGEX": ANY_OUTWARD}}, {"LOWER": {"REGEX": INWARD}}], "id": "postcode"},
        {"label": PLACE, "pattern": [{"LOWER": {"REGEX": WHOLE_POSTCODE}}], "id": "postcode"},
        {"label": PLACE, "pattern": [{"LOWER": {"REGEX": OUTWARD, "NOT_IN": SMS_LOOKALIKES}}], "id": "postcode"},
        {"label": PLACE, "pattern": [{"LOWER": {"IN": PLACE_WORDS}}, {"LOWER": {"IN": SMS_LOOKALIKES}}],
         "id": pattern_id("postcode", "last", 1)},
    ]
    return found


def need_patterns(nlp: Any, needs: dict) -> list[dict]:
    """The SpanRuler's patterns for the needs gazetteer, in a stable order."""
    found: list[dict] = []
    for code in sorted(needs):
        for word in sorted(set(needs[code]["words"])):
            found.append({"label": NEED, "pattern": _tokens(nlp, word), "id": pattern_id(code)})
        for regex in needs[code]["typos"]:
            found.append({"label": NEED, "pattern": [{"LOWER": {"REGEX": regex}}], "id": pattern_id(code)})
        for word in sorted(set(needs[code]["in_context"])):
            term = _tokens(nlp, word)
            filler = {"LOWER": {"IN": ["a", "an", "some", "the"]}, "OP": "?"}
            found.append({"label": NEED, "pattern": [{"LOWER": {"IN": WANTING_WORDS}}, filler] + term,
                          "id": pattern_id(code, "last", len(term))})
    return found


def build(substances_file: Path = SUBSTANCES_FILE, places_file: Path = PLACES_FILE,
          needs_file: Path = NEEDS_FILE) -> Any:
    """A blank English pipeline: one EntityRuler with the substance and place patterns, and one
    SpanRuler with the need patterns."""
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "validate": True})
    ruler.add_patterns(patterns(nlp, load_substances(substances_file), load_places(places_file)))
    span_ruler = nlp.add_pipe("span_ruler", config={"spans_key": NEEDS_SPANS, "validate": True})
    span_ruler.add_patterns(need_patterns(nlp, load_needs(needs_file)))
    return nlp


def find_entities(nlp: Any, text: str) -> list[dict]:
    """Rasa-shaped entities ({"entity", "value", "start", "end"}) the ruler finds in `text`.

    A postcode's value is what was typed; a substance's is Waymark's code ("gear" gives
    "opioids"); a place's is its name as the gazetteer spells it ("manc" gives "Manchester");
    a need's is its taxonomy code ("clean works" gives "needle-exchange"). A pipeline saved
    before the needs gazetteer existed finds no needs.
    """
    doc = nlp(text)
    return sorted(_entities(nlp, doc, offset=0, look_inside=True) + _needs(doc), key=lambda e: e["start"])


def _needs(doc: Any) -> list[dict]:
    from spacy.util import filter_spans

    found = []
    for span in filter_spans(list(doc.spans.get(NEEDS_SPANS, []))):  # longest first, no overlaps
        value, keep, count = parse_pattern_id(span.id_)
        if keep == "last":
            span = span[len(span) - count:]
        found.append({"entity": NEED, "value": value, "start": span.start_char, "end": span.end_char})
    return found


def _entities(nlp: Any, doc: Any, offset: int, look_inside: bool) -> list[dict]:
    entities = []
    for span in doc.ents:
        label = span.label_
        value, keep, count = parse_pattern_id(span.ent_id_)
        context = None
        if keep == "last":
            span, context = span[len(span) - count:], span[: len(span) - count]
        elif keep == "first":
            span, context = span[:count], span[count:]
        if value == "postcode":
            value = span.text
        entities.append({"entity": label, "value": value,
                         "start": offset + span.start_char, "end": offset + span.end_char})
        if context is not None and look_inside:
            # The words that gave the context may be an entity too ("white and brown").
            inside = nlp.get_pipe("entity_ruler")(nlp.make_doc(context.text))
            entities += _entities(nlp, inside, offset + context.start_char, look_inside=False)
    return sorted(entities, key=lambda e: e["start"])


def fingerprint() -> str:
    """Changes whenever the gazetteers or the way patterns are made from them change."""
    digest = hashlib.sha256()
    for path in (SUBSTANCES_FILE, PLACES_FILE, NEEDS_FILE, Path(__file__)):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m understanding.spacy_pipeline",
        description="Build Waymark's spaCy pipeline (blank English + EntityRuler from the "
                    "substance and place gazetteers, SpanRuler from the needs gazetteer) and save "
                    "it for Rasa's SpacyNLP. "
                    "Nothing is downloaded.",
    )
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"folder to save it in (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    nlp = build()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    count = len(nlp.get_pipe("entity_ruler").patterns)
    needs = len(nlp.get_pipe("span_ruler").patterns)
    print(f"Saved a blank English spaCy pipeline with {count} EntityRuler and {needs} SpanRuler (needs) "
          f"patterns to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
